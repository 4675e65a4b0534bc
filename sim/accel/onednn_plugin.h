#pragma once
// Finds and loads librcsim_onednn.so (accel/onednn_plugin_api.h) on first use, so that only a
// process that runs a fast-mode int8 GEMM pays for oneDNN (start-up of every other command:
// docs/performance.md). Where it looks: core/plugin_loader.h ($RCSIM_ONEDNN_PLUGIN first).
#include "accel/onednn_plugin_api.h"

namespace rcsim {

/// Whether this build was configured with oneDNN (libdnnl-dev found): then a fast-mode int8 GEMM
/// needs the plugin.
bool onednn_plugin_configured();

/// The loaded plugin's interface (loaded once, thread-safe). EnvironmentError, one line naming
/// the paths tried and the loader's reason, when it cannot be loaded; only call it when
/// onednn_plugin_configured().
const RcsimOneDnnApi& onednn_plugin();

}  // namespace rcsim

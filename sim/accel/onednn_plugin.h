#pragma once
// Finds and loads librcsim_onednn.so (accel/onednn_plugin_api.h) on first use, so that only a
// process that runs a fast-mode int8 GEMM pays for oneDNN (start-up of every other command:
// docs/performance.md). Where it looks, in order:
//   1. $RCSIM_ONEDNN_PLUGIN, if set (a path to the plugin);
//   2. <prefix>/<libdir>/rcsim/librcsim_onednn.so for the installed program or Python module that
//      contains this code (<prefix> = 1 to 4 directories above it: bin/rcsim, or
//      lib/python3/dist-packages/rcsim/_rcsim*.so);
//   3. the install prefix rcsim was configured with (a find_package(rcsim) user's program);
//   4. the build tree's plugin (the path CMake built it at).
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

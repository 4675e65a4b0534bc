#include "accel/onednn_plugin.h"

#include "core/errors.h"
#include "core/plugin_loader.h"

namespace rcsim {

bool onednn_plugin_configured() {
#ifdef RCSIM_HAVE_DNNL
  return true;
#else
  return false;
#endif
}

#ifdef RCSIM_HAVE_DNNL
const RcsimOneDnnApi& onednn_plugin() {
  static const RcsimOneDnnApi& api = *static_cast<const RcsimOneDnnApi*>(load_plugin(
      {"fast mode's oneDNN plugin", "librcsim_onednn.so", "RCSIM_ONEDNN_PLUGIN",
       RCSIM_ONEDNN_PLUGIN_INSTALL_PATH, RCSIM_ONEDNN_PLUGIN_BUILD_PATH, kOneDnnPluginEntry,
       kOneDnnPluginVersion}));
  return api;
}
#else
const RcsimOneDnnApi& onednn_plugin() {
  throw InternalError("onednn_plugin(): rcsim was built without oneDNN");
}
#endif

}  // namespace rcsim

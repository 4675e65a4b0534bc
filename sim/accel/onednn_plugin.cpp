#include "accel/onednn_plugin.h"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "core/errors.h"

namespace rcsim {

bool onednn_plugin_configured() {
#ifdef RCSIM_HAVE_DNNL
  return true;
#else
  return false;
#endif
}

#ifdef RCSIM_HAVE_DNNL
namespace {

constexpr const char* kPluginFile = "librcsim_onednn.so";

/// The paths onednn_plugin.h lists, in order.
std::vector<std::string> candidate_paths() {
  std::vector<std::string> paths;
  if (const char* p = std::getenv("RCSIM_ONEDNN_PLUGIN"); p && *p) {
    paths.emplace_back(p);
    return paths;
  }
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&candidate_paths), &info) && info.dli_fname && *info.dli_fname) {
    std::error_code ec;
    std::filesystem::path dir = std::filesystem::canonical(info.dli_fname, ec).parent_path();
    for (int up = 1; !ec && up <= 4 && dir.has_relative_path(); ++up) {
      dir = dir.parent_path();
      const auto p = dir / RCSIM_INSTALL_LIBDIR / "rcsim" / kPluginFile;
      if (std::filesystem::exists(p, ec)) paths.push_back(p.string());
    }
  }
  paths.emplace_back(RCSIM_ONEDNN_PLUGIN_INSTALL_PATH);
  paths.emplace_back(RCSIM_ONEDNN_PLUGIN_BUILD_PATH);
  return paths;
}

const RcsimOneDnnApi& load() {
  std::string tried, reason;
  for (const std::string& path : candidate_paths()) {
    tried += (tried.empty() ? "" : ", ") + path;
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char* e = dlerror();
      reason = e ? e : "dlopen failed";
      continue;
    }
    using Entry = const RcsimOneDnnApi* (*)();
    const auto entry = reinterpret_cast<Entry>(dlsym(handle, kOneDnnPluginEntry));
    const RcsimOneDnnApi* api = entry ? entry() : nullptr;
    if (api && api->version == kOneDnnPluginVersion) return *api;  // stays loaded for the process
    reason = path + (api ? " is a plugin of another rcsim version" : " is not rcsim's oneDNN plugin");
    dlclose(handle);
  }
  throw EnvironmentError("cannot load fast mode's oneDNN plugin (tried " + tried + "): " + reason +
                         "; rebuild or reinstall rcsim, or point RCSIM_ONEDNN_PLUGIN at librcsim_onednn.so");
}

}  // namespace

const RcsimOneDnnApi& onednn_plugin() {
  static const RcsimOneDnnApi& api = load();
  return api;
}
#else
const RcsimOneDnnApi& onednn_plugin() {
  throw InternalError("onednn_plugin(): rcsim was built without oneDNN");
}
#endif

}  // namespace rcsim

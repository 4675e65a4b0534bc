#include "core/plugin_loader.h"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "core/errors.h"

namespace rcsim {
namespace {

/// The paths plugin_loader.h lists, in order.
std::vector<std::string> candidate_paths(const PluginSpec& spec) {
  std::vector<std::string> paths;
  if (const char* p = std::getenv(spec.env_var); p && *p) {
    paths.emplace_back(p);
    return paths;
  }
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&candidate_paths), &info) && info.dli_fname && *info.dli_fname) {
    std::error_code ec;
    std::filesystem::path dir = std::filesystem::canonical(info.dli_fname, ec).parent_path();
    for (int up = 1; !ec && up <= 4 && dir.has_relative_path(); ++up) {
      dir = dir.parent_path();
      const auto p = dir / RCSIM_INSTALL_LIBDIR / "rcsim" / spec.file;
      if (std::filesystem::exists(p, ec)) paths.push_back(p.string());
    }
  }
  paths.emplace_back(spec.install_path);
  paths.emplace_back(spec.build_path);
  return paths;
}

}  // namespace

const void* load_plugin(const PluginSpec& spec) {
  std::string tried, reason;
  for (const std::string& path : candidate_paths(spec)) {
    tried += (tried.empty() ? "" : ", ") + path;
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char* e = dlerror();
      reason = e ? e : "dlopen failed";
      continue;
    }
    using Entry = const void* (*)();
    const auto entry = reinterpret_cast<Entry>(dlsym(handle, spec.entry));
    const void* table = entry ? entry() : nullptr;
    if (table && *static_cast<const int*>(table) == spec.version) return table;  // stays loaded
    reason = path + (table ? " is a plugin of another rcsim version" : std::string(" is not ") + spec.what);
    dlclose(handle);
  }
  throw EnvironmentError(std::string("cannot load ") + spec.what + " (tried " + tried + "): " + reason +
                         "; rebuild or reinstall rcsim, or point " + spec.env_var + " at " + spec.file);
}

}  // namespace rcsim

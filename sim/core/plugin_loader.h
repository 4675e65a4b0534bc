#pragma once
// Finds and dlopens one of rcsim's plugins: shared libraries that carry a heavy dependency
// (oneDNN: accel/onednn_plugin.h; protobuf + libonnx: onnx/onnx_reader_plugin.h) so that only a
// process that uses it pays its loading, relocation and static initialization (start-up of
// every other command: docs/performance.md). Where it looks, in order:
//   1. $<env_var>, if set (a path to the plugin; then only there);
//   2. <prefix>/<libdir>/rcsim/<file> for the installed program or Python module that contains
//      this code (<prefix> = 1 to 4 directories above it: bin/rcsim, or
//      lib/python3/dist-packages/rcsim/_rcsim*.so);
//   3. the install prefix rcsim was configured with (a find_package(rcsim) user's program);
//   4. the build tree's plugin (the path CMake built it at).
// A plugin exports one extern "C" function, `entry`, returning a table of plain function
// pointers whose first member is an int version, checked against `version` (a stale plugin).

namespace rcsim {

struct PluginSpec {
  const char* what;          ///< for messages, e.g. "fast mode's oneDNN plugin"
  const char* file;          ///< e.g. "librcsim_onednn.so"
  const char* env_var;       ///< e.g. "RCSIM_ONEDNN_PLUGIN"
  const char* install_path;  ///< absolute path under the configured install prefix
  const char* build_path;    ///< absolute path in the build tree
  const char* entry;         ///< the exported function returning the table
  int version;               ///< the table's expected first member
};

/// The plugin's table (the plugin stays loaded for the process). EnvironmentError, one line
/// naming the paths tried and the loader's last reason, when no candidate loads.
const void* load_plugin(const PluginSpec& spec);

}  // namespace rcsim

#pragma once
// Runs a program to completion and captures its output (posix_spawn + pipes + poll). Used to
// evaluate each design point in its own `rcsim run` process: SystemC allows one elaboration per
// process and its kernel is not thread-safe, so processes are what makes threads safe here.
#include <string>
#include <vector>

namespace rcsim::sweep {

struct ChildResult {
  int exit_code = -1;  ///< exit status, or -1 if killed by a signal
  int signal = 0;      ///< terminating signal, 0 if it exited
  std::string out;
  std::string err;
};

/// argv[0] is the program path (not searched in PATH). Throws std::runtime_error if it cannot
/// be started.
ChildResult run_child(const std::vector<std::string>& argv);

/// The program `name` as run_child needs it: `name` itself if it contains a '/', else the first
/// executable `name` in $PATH. EnvironmentError "'name' not found in PATH (hint)" otherwise.
std::string find_program(const std::string& name, const std::string& hint);

/// Absolute path of the running executable (/proc/self/exe resolved), so children run the
/// same binary even if the parent's working directory changes.
std::string self_executable();

}  // namespace rcsim::sweep

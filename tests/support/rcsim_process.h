#pragma once
// Runs the built `rcsim` binary through the shell and captures its exit code, stdout and stderr:
// the end-to-end tests of the command line.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace rcsim::test {

struct RcsimResult {
  int exit_code;
  std::string out, err;
};

/// `rcsim ARGS` (ARGS are shell words; `env` = "NAME=value …" assignments put before the command).
inline RcsimResult run_rcsim(const std::string& args, const std::string& env = "") {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("rcsim_cli_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string out = (dir / "out").string(), err = (dir / "err").string();
  const std::string cmd = env + (env.empty() ? "" : " ") + std::string(RCSIM_BUILD_DIR) + "/sim/cli/rcsim " + args +
                          " >" + out + " 2>" + err;
  const int status = std::system(cmd.c_str());
  auto slurp = [](const std::string& p) {
    std::ifstream f(p);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
  };
  RcsimResult r{WEXITSTATUS(status), slurp(out), slurp(err)};
  std::filesystem::remove_all(dir);
  return r;
}

}  // namespace rcsim::test

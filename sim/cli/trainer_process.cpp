#include "cli/trainer_process.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "core/errors.h"

namespace rcsim::cli {

const char* const kTrainerExecutable = "rcsim-train";

namespace {

bool is_executable_file(const std::string& path) { return !path.empty() && access(path.c_str(), X_OK) == 0; }

std::string own_directory() {
  char buf[4096];
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "";
  const std::string exe(buf, std::size_t(n));
  const auto slash = exe.rfind('/');
  return slash == std::string::npos ? "" : exe.substr(0, slash);
}

}  // namespace

std::string find_trainer() {
  const std::string dir = own_directory();
  if (!dir.empty() && is_executable_file(dir + "/" + kTrainerExecutable)) return dir + "/" + kTrainerExecutable;
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "");
  for (std::string d; std::getline(dirs, d, ':');) {
    if (d.empty()) d = ".";
    const std::string candidate = d + "/" + kTrainerExecutable;
    if (is_executable_file(candidate)) return candidate;
  }
  return "";
}

std::vector<std::string> own_argv() {
  std::ifstream f("/proc/self/cmdline", std::ios::binary);
  const std::string all((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  std::vector<std::string> args;
  std::string cur;
  for (char c : all) {
    if (c == '\0') {
      args.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) args.push_back(cur);
  return args;
}

void exec_trainer(int threads) {
  const std::string trainer = find_trainer();
  const std::string dir = own_directory();
  if (trainer.empty())
    throw EnvironmentError(std::string("rcsim train needs the trainer executable ") + kTrainerExecutable +
                           ", which is neither in " + (dir.empty() ? "rcsim's directory" : dir) +
                           " nor on PATH (it is built only when libtorch is found: install libtorch-dev and "
                           "reconfigure)");
  std::vector<std::string> args = own_argv();
  if (args.empty()) throw EnvironmentError("rcsim train: cannot read this process's command line (/proc/self/cmdline)");
  const std::string n = std::to_string(threads);
  for (const char* var : {"OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"}) setenv(var, n.c_str(), 1);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::cout.flush();
  std::cerr.flush();
  execv(trainer.c_str(), argv.data());
  throw EnvironmentError("rcsim train: cannot run " + trainer + ": " + std::strerror(errno));
}

}  // namespace rcsim::cli

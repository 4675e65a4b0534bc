#pragma once
// The process boundary to the trainer: `rcsim` does not link libtorch (loading it cost every
// command ~1 s and ~130 MB), so `rcsim train` replaces itself with the `rcsim-train` executable
// (sim/train), which takes the same command line.
#include <string>
#include <vector>

namespace rcsim::cli {

/// The name of the trainer executable.
extern const char* const kTrainerExecutable;

/// Where the trainer is: `rcsim-train` in the directory of this process's executable
/// (/proc/self/exe: an installed or build-tree rcsim finds its sibling), else the first
/// executable `rcsim-train` on PATH; "" if neither exists.
std::string find_trainer();

/// This process's argv as the kernel holds it (/proc/self/cmdline).
std::vector<std::string> own_argv();

/// Replaces this process with the trainer, passing it this process's argv unchanged (argv[0]
/// too, so the weights file's provenance still reads `rcsim train ...`). OPENBLAS_NUM_THREADS,
/// OMP_NUM_THREADS and MKL_NUM_THREADS are set to `threads`, so the BLAS behind libtorch uses no
/// more threads than --threads. Throws EnvironmentError when the trainer is missing or cannot run.
[[noreturn]] void exec_trainer(int threads);

}  // namespace rcsim::cli

#pragma once
// The options of `rcsim train`, declared in one place for both executables that parse them: `rcsim`
// (which checks them, then hands the command line to the trainer) and `rcsim-train` (the only
// executable that links libtorch, sim/train/rcsim_train_main.cpp). Torch-free.
#include <cstddef>
#include <cstdint>
#include <string>

namespace rcsim::cli {

class Command;

struct TrainCliOptions {
  std::string net = "mnist_lenet";
  std::string dataset = "mnist";
  std::string data_dir;
  int groups = 0;  // 0 = the network YAML's width_groups
  std::string algo = "incremental";
  int epochs = 15;
  std::uint64_t seed = 1;
  double lr = 0.05;
  int batch = 64;
  int threads = 2;
  int shift = 2;
  double weight_decay = 5e-4;
  double clip = 5.0;
  int bits = 8;
  std::size_t train_images = 0;
  std::size_t calibration_images = 500;
  std::size_t eval_images = 0;
  std::string out;
  bool time = false;
};

/// The description of the `train` subcommand in --help.
extern const char* const kTrainDescription;

/// Declares every `rcsim train` option on `cmd`, bound to `o`.
void declare_train_options(Command& cmd, TrainCliOptions& o);

}  // namespace rcsim::cli

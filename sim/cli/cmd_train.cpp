// `rcsim train`: checks the options, then replaces this process with the libtorch trainer
// `rcsim-train` (cli/trainer_process.h), which trains a network's width configurations
// (incremental or joint), quantizes it on training images and writes the weights file.
#include <memory>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/train_options.h"
#include "cli/trainer_process.h"

namespace rcsim::cli {

void add_train_command(CommandLine& cl) {
  auto o = std::make_shared<TrainCliOptions>();
  Command cmd = cl.add("train", kTrainDescription);
  declare_train_options(cmd, *o);
  cmd.action([o] { exec_trainer(o->threads); });
}

}  // namespace rcsim::cli

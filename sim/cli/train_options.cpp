#include "cli/train_options.h"

#include "cli/command_line.h"
#include "cli/model_options.h"

namespace rcsim::cli {

const char* const kTrainDescription = "Train a network's width configurations (libtorch), quantize, save weights";

void declare_train_options(Command& cmd, TrainCliOptions& o) {
  cmd.option("--net", o.net, kNetHelp).show_default();
  cmd.option("--dataset", o.dataset, "mnist, fashion-mnist, cifar10 or svhn").show_default();
  cmd.option("--data-dir", o.data_dir, "Dataset directory (default: the dataset's default location)");
  cmd.option("--groups", o.groups, "Width groups (default: the network YAML's width_groups)");
  cmd.option("--algo", o.algo, "incremental (the paper's, earlier groups frozen) or joint (slimmable)")
      .one_of({"incremental", "joint"})
      .show_default();
  cmd.option("--epochs", o.epochs, "Epochs per step (incremental) or in total (joint)").show_default();
  cmd.option("--seed", o.seed, "Seed for init, shuffling and augmentation").show_default();
  cmd.option("--lr", o.lr, "Peak SGD learning rate (warm-up, cosine decay per step)").show_default();
  cmd.option("--batch", o.batch, "Batch size").show_default();
  cmd.option("--threads", o.threads, "libtorch, OpenMP and OpenBLAS threads (results depend on it)").show_default();
  cmd.option("--shift", o.shift, "Random ±N-pixel shifts of training images (0 = off)").show_default();
  cmd.option("--weight-decay", o.weight_decay, "L2 weight decay on trainable entries").show_default();
  cmd.option("--clip", o.clip, "Clip the trainable gradients' L2 norm (0 = off)").show_default();
  cmd.option("--bits", o.bits, "Quantized precision").one_of({8, 16}).show_default();
  cmd.option("--train-images", o.train_images, "Use only the first N training images (0 = all)");
  cmd.option("--calibration-images", o.calibration_images, "Training images for activation-range calibration")
      .show_default();
  cmd.option("--eval-images", o.eval_images, "Test images for the per-epoch progress accuracy (0 = all)");
  cmd.option("--out", o.out, "Weights file to write (.safetensors)").required();
  cmd.flag("--time", o.time, "Report the training time of every step");
}

}  // namespace rcsim::cli

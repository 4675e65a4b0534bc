// `rcsim train`: trains a network's width configurations (incremental or joint, libtorch),
// quantizes it on training images and writes the weights file with its provenance.
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/model_options.h"
#include "core/errors.h"
#include "core/network_yaml.h"

#ifdef RCSIM_HAVE_TORCH
#include "eval/model_source.h"
#include "host/dataset.h"
#include "host/quantizer.h"
#include "host/weights_file.h"
#include "train/trainer.h"
#endif

namespace rcsim::cli {

namespace {

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

#ifdef RCSIM_HAVE_TORCH

/// The process's own argv, for provenance (Linux; empty elsewhere).
std::string raw_command_line() {
  std::ifstream f("/proc/self/cmdline", std::ios::binary);
  std::string all((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>()), out;
  for (char c : all) out += c == '\0' ? ' ' : c;
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string fmt(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

/// Every option spelled out: reruns the same training even if defaults change later.
std::string canonical_command(const TrainCliOptions& o, int groups) {
  std::ostringstream s;
  s << "rcsim train --net " << o.net << " --dataset " << o.dataset << " --groups " << groups << " --algo "
    << o.algo << " --epochs " << o.epochs << " --seed " << o.seed << " --lr " << fmt(o.lr) << " --batch "
    << o.batch << " --threads " << o.threads << " --shift " << o.shift << " --weight-decay "
    << fmt(o.weight_decay) << " --clip " << fmt(o.clip) << " --bits " << o.bits;
  if (o.train_images) s << " --train-images " << o.train_images;
  s << " --calibration-images " << o.calibration_images << " --out " << o.out;
  return s.str();
}

std::string percent(double a) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(2) << 100 * a;
  return s.str();
}

void run_train(const TrainCliOptions& o) {
  Network net = eval::load_network_spec(o.net);  // an .onnx gives its structure (trained from scratch)
  if (o.groups != 0) {
    int max_groups = 0;
    for (const Layer& l : net.layers)
      if (l.split) max_groups = max_groups == 0 ? l.out.c : std::min(max_groups, l.out.c);
    if (o.groups < 1 || o.groups > max_groups)
      throw InputError("--groups " + std::to_string(o.groups) + " is out of range for network '" + net.name +
                       "': 1.." + std::to_string(max_groups) + " (its narrowest split layer)");
    net.width_groups = o.groups;
    net.finalize("network " + net.name);
  }
  TrainOptions t;
  t.algo = parse_train_algo(o.algo);
  t.epochs = o.epochs;
  t.seed = o.seed;
  t.lr = o.lr;
  t.batch = o.batch;
  t.threads = o.threads;
  t.shift_augment = o.shift;
  t.weight_decay = o.weight_decay;
  t.clip_grad_norm = o.clip;
  t.eval_images = o.eval_images;

  const Dataset train = load_dataset(o.dataset, o.data_dir, Split::Train).head(o.train_images);
  const Dataset test = load_dataset(o.dataset, o.data_dir, Split::Test);
  std::cerr << "training " << net.name << " (" << net.width_groups << " width groups) on " << o.dataset << ": "
            << train.size() << " training / " << test.size() << " test images, algo " << o.algo << "\n";

  TrainHooks hooks;
  hooks.on_epoch = [&](const EpochReport& r) {
    std::cerr << (t.algo == TrainAlgo::Incremental ? "step " + std::to_string(r.step) + " " : std::string())
              << "epoch " << r.epoch << "/" << o.epochs << " loss " << std::fixed << std::setprecision(4) << r.loss
              << " test accuracy";
    for (std::size_t j = 0; j < r.accuracy.size(); ++j) std::cerr << " w" << j + 1 << "=" << percent(r.accuracy[j]) << "%";
    std::cerr << std::defaultfloat << " (" << std::setprecision(3) << r.seconds << " s)\n";
  };
  const TrainResult res = train_network(net, train, test, t, hooks);

  QuantizedNetwork qn;
  qn.net = net;
  qn.bits = o.bits;
  qn.float_params = res.params;
  QuantizerOptions q;
  q.bits = o.bits;
  q.calibration_images = o.calibration_images;
  // A batch norm per width leaves the conv weights unnormalised: their output channels' ranges
  // differ by orders of magnitude (depthwise convs most), so each channel gets its own weight
  // scale, which the per-width batch-norm multiplier absorbs; and its residual sums are
  // heavy-tailed, so activation scales are chosen by least squared error (host/quantizer.h).
  // Measured on fmnist_resdw (docs/host-model.md §8): together they bring int8 from 2.5 to
  // < 1 point of float. Networks without batch norm keep the max-based per-layer scales.
  for (const Layer& l : net.layers)
    if (l.batchnorm) q.per_channel = q.mse_activation_shifts = true;
  quantize(qn, train, q);
  qn.metadata["dataset"] = o.dataset;
  qn.metadata["algo"] = o.algo;
  qn.metadata["epochs"] = std::to_string(o.epochs);
  qn.metadata["seed"] = std::to_string(o.seed);
  qn.metadata["lr"] = fmt(o.lr);
  qn.metadata["batch"] = std::to_string(o.batch);
  qn.metadata["threads"] = std::to_string(o.threads);
  qn.metadata["shift_augment"] = std::to_string(o.shift);
  qn.metadata["weight_decay"] = fmt(o.weight_decay);
  qn.metadata["clip_grad_norm"] = fmt(o.clip);
  qn.metadata["train_images"] = std::to_string(train.size());
  qn.metadata["calibration_images"] = std::to_string(std::min(o.calibration_images, train.size()));
  qn.metadata["command"] = canonical_command(o, net.width_groups);
  qn.metadata["command_line"] = raw_command_line();
  save_weights(qn, o.out);

  if (o.time) {
    for (std::size_t s = 0; s < res.step_seconds.size(); ++s)
      std::cerr << "time: " << (t.algo == TrainAlgo::Incremental ? "step " + std::to_string(s + 1) : std::string("joint"))
                << " " << std::fixed << std::setprecision(2) << res.step_seconds[s] << " s\n";
    double sum = 0;
    for (double v : res.step_seconds) sum += v;
    std::cerr << "time: training " << sum << " s (without evaluation), total " << res.seconds << " s, "
              << o.threads << " threads\n";
  }
  std::cerr << "wrote " << o.out << "\n";
}

#endif

}  // namespace

void add_train_command(CommandLine& cl) {
  auto o = std::make_shared<TrainCliOptions>();
  Command cmd = cl.add("train", "Train a network's width configurations (libtorch), quantize, save weights");
  cmd.option("--net", o->net, kNetHelp).show_default();
  cmd.option("--dataset", o->dataset, "mnist, fashion-mnist, cifar10 or svhn").show_default();
  cmd.option("--data-dir", o->data_dir, "Dataset directory (default: the dataset's default location)");
  cmd.option("--groups", o->groups, "Width groups (default: the network YAML's width_groups)");
  cmd.option("--algo", o->algo, "incremental (the paper's, earlier groups frozen) or joint (slimmable)")
      .one_of({"incremental", "joint"})
      .show_default();
  cmd.option("--epochs", o->epochs, "Epochs per step (incremental) or in total (joint)").show_default();
  cmd.option("--seed", o->seed, "Seed for init, shuffling and augmentation").show_default();
  cmd.option("--lr", o->lr, "Peak SGD learning rate (warm-up, cosine decay per step)").show_default();
  cmd.option("--batch", o->batch, "Batch size").show_default();
  cmd.option("--threads", o->threads, "libtorch threads (results depend on it)").show_default();
  cmd.option("--shift", o->shift, "Random ±N-pixel shifts of training images (0 = off)").show_default();
  cmd.option("--weight-decay", o->weight_decay, "L2 weight decay on trainable entries").show_default();
  cmd.option("--clip", o->clip, "Clip the trainable gradients' L2 norm (0 = off)").show_default();
  cmd.option("--bits", o->bits, "Quantized precision").one_of({8, 16}).show_default();
  cmd.option("--train-images", o->train_images, "Use only the first N training images (0 = all)");
  cmd.option("--calibration-images", o->calibration_images, "Training images for activation-range calibration")
      .show_default();
  cmd.option("--eval-images", o->eval_images, "Test images for the per-epoch progress accuracy (0 = all)");
  cmd.option("--out", o->out, "Weights file to write (.safetensors)").required();
  cmd.flag("--time", o->time, "Report the training time of every step");
  cmd.action([o] {
#ifdef RCSIM_HAVE_TORCH
    run_train(*o);
#else
    throw ConfigError("rcsim train: this rcsim was built without libtorch (install libtorch-dev and reconfigure)");
#endif
  });
}

}  // namespace rcsim::cli

// rcsim-train: the only executable that links libtorch. `rcsim train` checks its options and
// then runs this program with the same command line (`rcsim-train train --net ...`), so every
// other rcsim command starts without loading libtorch (docs/architecture.md, "executables").
// It trains a network's width configurations (incremental or joint), quantizes it on training
// images and writes the weights file with its provenance.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "cli/command_line.h"
#include "cli/exit_codes.h"
#include "cli/progress.h"
#include "cli/train_options.h"
#include "core/errors.h"
#include "core/network_yaml.h"
#include "eval/model_source.h"
#include "host/dataset.h"
#include "host/quantizer.h"
#include "host/weights_file.h"
#include "train/trainer.h"

namespace rcsim::cli {

namespace {

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
  // On a terminal: batch progress and an ETA over the whole run (steps × epochs × batches).
  ProgressMeter meter;
  const int steps = t.algo == TrainAlgo::Incremental ? net.width_groups : 1;
  bool meter_started = false;
  hooks.on_batch = [&](const BatchReport& b) {
    const std::size_t per_step = std::size_t(o.epochs) * b.batches;
    if (!meter_started) meter.start("training", std::size_t(steps) * per_step), meter_started = true;
    meter.update(std::size_t(b.step - 1) * per_step + std::size_t(b.epoch - 1) * b.batches + b.batch,
                 (steps > 1 ? "step " + std::to_string(b.step) + "/" + std::to_string(steps) + " " : std::string()) +
                     "epoch " + std::to_string(b.epoch) + "/" + std::to_string(o.epochs) + " batch " +
                     std::to_string(b.batch) + "/" + std::to_string(b.batches));
  };
  hooks.on_epoch = [&](const EpochReport& r) {
    meter.clear();
    std::cerr << (t.algo == TrainAlgo::Incremental ? "step " + std::to_string(r.step) + " " : std::string())
              << "epoch " << r.epoch << "/" << o.epochs << " loss " << std::fixed << std::setprecision(4) << r.loss
              << " test accuracy";
    for (std::size_t j = 0; j < r.accuracy.size(); ++j) std::cerr << " w" << j + 1 << "=" << percent(r.accuracy[j]) << "%";
    std::cerr << std::defaultfloat << " (" << std::setprecision(3) << r.seconds << " s)\n";
  };
  const TrainResult res = train_network(net, train, test, t, hooks);
  meter.clear();

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

}  // namespace

}  // namespace rcsim::cli

int main(int argc, char** argv) {
  rcsim::cli::TrainCliOptions o;
  rcsim::cli::CommandLine cl("rcsim-train: the libtorch trainer behind `rcsim train` (same options)", "rcsim 0.1.0");
  rcsim::cli::Command cmd = cl.add("train", rcsim::cli::kTrainDescription);
  rcsim::cli::declare_train_options(cmd, o);
  cmd.action([&o] { rcsim::cli::run_train(o); });
  return rcsim::cli::run_with_exit_codes(cl, argc, argv);
}

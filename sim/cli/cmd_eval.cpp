// `rcsim eval`: test accuracy of a weights file per width configuration, with the float reference
// (float_forward) and the integer reference (int_forward, the accelerator's arithmetic).
// `--net MODEL.onnx` without --weights: the model's own weights (float) and their quantization,
// calibrated on --calib-dataset or else the training split of --dataset (eval/model_source.h).
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/progress.h"
#include "cli/model_options.h"
#include "core/errors.h"
#include "core/network_yaml.h"
#include "host/dataset.h"
#include "host/float_reference.h"
#include "host/int_reference.h"
#include "host/weights_file.h"
#include "host/weights_source.h"

namespace rcsim::cli {

namespace {

struct EvalOptions {
  std::string weights;  // "" with --net MODEL.onnx: the model's own weights
  std::string net;      // optional: the file must hold this network
  std::string dataset;  // default: the file's metadata "dataset"
  std::string data_dir;
  int width = 0;
  bool width_given = false;  // else every width
  bool int_only = false;
  bool json = false;
  std::size_t images = 0;  // 0 = the whole test split
  int threads = 0;         // 0 = hardware concurrency
  int bits = 8;            // --net MODEL.onnx without --weights: quantized precision
  CalibrationOptions calibration;
};

struct WidthAccuracy {
  int width = 0;
  std::size_t correct_float = 0, correct_int = 0;
};

/// Images per batch: enough that the fully connected layers' weights are read once per batch
/// rather than once per image, few enough that a batch's activations stay in cache.
constexpr std::size_t kEvalBatch = 64;

/// Counts correct predictions at every width in `widths`, images in batches of kEvalBatch split
/// across threads (each image independent; quantized once for all widths). `meter` shows images
/// done (on a TTY).
std::vector<WidthAccuracy> evaluate_widths(const QuantizedNetwork& qn, const Dataset& test, const std::vector<int>& widths,
                                           bool do_float, int threads, ProgressMeter& meter) {
  const std::size_t n = test.size(), nw = widths.size();
  const std::size_t batches = (n + kEvalBatch - 1) / kEvalBatch;
  const std::size_t t_count = std::max<std::size_t>(1, std::min<std::size_t>(std::size_t(threads), batches));
  const std::size_t image_size = std::size_t(qn.net.input.size());
  std::vector<std::vector<std::size_t>> cf(t_count, std::vector<std::size_t>(nw, 0)), ci = cf;
  std::vector<std::exception_ptr> errors(t_count);
  std::atomic<std::size_t> done{0}, next{0};
  meter.start("eval", n);
  std::vector<std::thread> pool;
  for (std::size_t t = 0; t < t_count; ++t)
    pool.emplace_back([&, t] {
      try {
        std::vector<std::int32_t> q;
        for (std::size_t batch = next++; batch < batches; batch = next++) {
          const std::size_t first = batch * kEvalBatch, count = std::min(kEvalBatch, n - first);
          q.resize(count * image_size);
          for (std::size_t b = 0; b < count; ++b) {
            const std::vector<std::int32_t> img = quantize_image(qn, test.image(first + b));
            std::copy(img.begin(), img.end(), q.begin() + std::ptrdiff_t(b * image_size));
          }
          // Correct predictions among this batch's logits (classes per image).
          auto correct = [&](const auto& logits) {
            const std::size_t classes = logits.size() / count;
            std::size_t c = 0;
            for (std::size_t b = 0; b < count; ++b) {
              const auto* v = logits.data() + b * classes;
              c += std::size_t(std::max_element(v, v + classes) - v) == std::size_t(test.labels[first + b]);
            }
            return c;
          };
          // All widths in one call: the width-invariant first layers run once.
          if (do_float) {
            const auto logits = float_logits_widths(qn, widths, test.image(first), count);
            for (std::size_t w = 0; w < nw; ++w) cf[t][w] += correct(logits[w]);
          }
          const auto logits = int_logits_widths(qn, widths, q.data(), count);
          for (std::size_t w = 0; w < nw; ++w) ci[t][w] += correct(logits[w]);
          const std::size_t d = done += count;
          if (t == 0) meter.update(d);
        }
      } catch (...) {
        errors[t] = std::current_exception();
      }
    });
  for (auto& th : pool) th.join();
  meter.clear();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
  std::vector<WidthAccuracy> out(nw);
  for (std::size_t w = 0; w < nw; ++w) {
    out[w].width = widths[w];
    for (std::size_t t = 0; t < t_count; ++t) out[w].correct_float += cf[t][w], out[w].correct_int += ci[t][w];
  }
  return out;
}

/// The weights evaluated: a weights file (checked against --net if given), or the own weights of
/// --net MODEL.onnx quantized to --bits.
QuantizedNetwork load_eval_weights(const EvalOptions& o, const std::string& ds_name) {
  if (!o.weights.empty()) {
    std::unique_ptr<Network> expected;
    if (!o.net.empty()) expected = std::make_unique<Network>(eval::load_network_spec(o.net));
    return load_weights(o.weights, expected.get());
  }
  return eval::quantize_model(eval::load_model(o.net), o.bits, resolve_calibration(o.calibration, ds_name, o.data_dir));
}

void run_eval(EvalOptions o) {
  // A shipped network without --weights: its shipped (incremental) weights for --dataset.
  if (o.weights.empty() && !o.net.empty() && !eval::is_onnx_spec(o.net)) {
    const std::string shipped = shipped_weights_path(o.net, o.dataset);
    if (std::filesystem::exists(shipped)) o.weights = shipped;
  }
  if (o.weights.empty() && !eval::is_onnx_spec(o.net))
    throw InputError(
        "give --weights FILE (a weights file), or --net MODEL.onnx to evaluate an ONNX model's own weights");
  if (o.weights.empty() && o.dataset.empty())
    throw InputError(o.net + ": give --dataset (an ONNX model does not say which dataset it was trained on)");
  const QuantizedNetwork qn = load_eval_weights(o, o.dataset);
  const Network& net = qn.net;

  std::string ds_name = o.dataset;
  if (ds_name.empty()) {
    auto it = qn.metadata.find("dataset");
    if (it == qn.metadata.end())
      throw InputError(o.weights + ": no 'dataset' in its metadata: give --dataset");
    ds_name = it->second;
  }
  const Dataset test = load_dataset(ds_name, o.data_dir, Split::Test).head(o.images);
  if (test.shape != net.input)
    throw InputError("dataset '" + ds_name + "' images are " + std::to_string(test.shape.c) + "x" +
                     std::to_string(test.shape.h) + "x" + std::to_string(test.shape.w) + " but network '" +
                     net.name + "' expects " + std::to_string(net.input.c) + "x" + std::to_string(net.input.h) +
                     "x" + std::to_string(net.input.w));
  if (test.num_classes != net.num_classes())
    throw InputError("dataset '" + ds_name + "' has " + std::to_string(test.num_classes) + " classes but network '" +
                     net.name + "' has " + std::to_string(net.num_classes()) + " outputs");
  if (test.size() == 0) throw InputError("dataset '" + ds_name + "': no test images");

  std::vector<int> widths;
  if (o.width_given) {
    net.check_width(o.width);
    widths.push_back(o.width);
  } else {
    for (int k = 1; k <= net.width_groups; ++k) widths.push_back(k);
  }
  const bool do_float = !o.int_only && qn.has_float();
  const int threads = o.threads > 0 ? o.threads : int(std::max(1u, std::thread::hardware_concurrency()));

  const double n = double(test.size());
  nlohmann::json all = nlohmann::json::array();
  if (!o.json)
    std::cout << "network " << net.name << " (" << net.width_groups << " width groups, int" << qn.bits
              << "), dataset " << ds_name << " test split, " << test.size() << " images\n"
              << std::left << std::setw(7) << "width" << std::setw(10) << "float" << "int" << qn.bits << "\n";
  ProgressMeter meter;
  const std::vector<WidthAccuracy> results = evaluate_widths(qn, test, widths, do_float, threads, meter);
  for (const WidthAccuracy& a : results) {
    const int k = a.width;
    nlohmann::json j;
    j["network"] = net.name;
    j["dataset"] = ds_name;
    j["width"] = k;
    j["groups"] = net.width_groups;
    j["accuracy_float"] = do_float ? nlohmann::json(double(a.correct_float) / n) : nlohmann::json(nullptr);
    j["accuracy_int8"] = double(a.correct_int) / n;
    j["images"] = test.size();
    all.push_back(j);
    if (!o.json) {
      std::ostringstream f;
      if (do_float) f << std::fixed << std::setprecision(2) << 100 * double(a.correct_float) / n << " %";
      else f << "-";
      std::cout << std::left << std::setw(7) << k << std::setw(10) << f.str() << std::fixed << std::setprecision(2)
                << 100 * double(a.correct_int) / n << " %\n";
    }
  }
  if (o.json) std::cout << (all.size() == 1 ? all[0] : all).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

}  // namespace

void add_eval_command(CommandLine& cl) {
  auto o = std::make_shared<EvalOptions>();
  Command cmd = cl.add("eval", "Test accuracy of a weights file per width (float and integer reference)");
  cmd.option("--weights", o->weights,
             "Weights file (.safetensors); default with --net MODEL.onnx: the model's own weights, quantized; with "
             "a shipped --net: its shipped incremental weights for --dataset (workloads/weights)");
  cmd.option("--net", o->net,
             "With --weights: check that the file holds this network (name, YAML path or .onnx); without: an ONNX "
             "model whose own weights are evaluated, or a shipped network with shipped weights for --dataset");
  cmd.option("--bits", o->bits, "With --net MODEL.onnx and no --weights: quantized precision")
      .one_of({8, 16})
      .show_default();
  add_calibration_options(cmd, o->calibration);
  cmd.option("--dataset", o->dataset, "mnist, fashion-mnist, cifar10 or svhn (default: the file's metadata)");
  cmd.option("--data-dir", o->data_dir, "Dataset directory (default: the dataset's default location)");
  Option width = cmd.option("--width", o->width, "Only this width configuration (default: all)");
  cmd.flag("--int8", o->int_only, "Only the integer reference (no float accuracy)");
  cmd.flag("--json", o->json, "JSON: one object per width (an array when several)");
  cmd.option("--images", o->images, "Only the first N test images (default: all)");
  cmd.option("--threads", o->threads, "Worker threads (default: all cores)");
  cmd.action([o, width] {
    o->width_given = width.given();
    run_eval(*o);
  });
}

}  // namespace rcsim::cli

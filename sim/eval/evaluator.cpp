#include "eval/evaluator.h"

#include "area/area_model.h"

#include <algorithm>
#include <vector>

#include "core/errors.h"
#include "core/network_yaml.h"
#include "energy/arch_energy.h"
#include "eval/run_energy.h"
#include "host/dataset.h"
#include "host/int_reference.h"

namespace rcsim::eval {

namespace {

// Produces the quantized images of an ImageSpec one at a time (in order), and their labels.
class ImageFeed {
 public:
  ImageFeed(const ImageSpec& spec, const QuantizedNetwork& qn, std::uint64_t seed) : qn_(qn) {
    const Shape3& shape = qn.net.input;
    switch (spec.kind) {
      case ImageSpec::Kind::Random:
        count_ = spec.count;
        random_ = std::make_unique<RandomImageStream>(shape, seed);
        pixels_.resize(std::size_t(shape.size()));
        break;
      case ImageSpec::Kind::Zeros:
        count_ = spec.count;
        image_.assign(std::size_t(shape.size()), 0);
        break;
      case ImageSpec::Kind::Dataset:
        if (spec.loaded) {
          check_image_shape(*spec.loaded, shape);
          dataset_ = spec.loaded;
        } else {
          dataset_ =
              std::make_shared<const Dataset>(load_run_images(spec.dataset, spec.data_dir, spec.count, shape, seed));
        }
        count_ = spec.count == 0 ? dataset_->size() : std::min(spec.count, dataset_->size());
        break;
    }
  }
  std::size_t count() const { return count_; }
  bool labelled() const { return dataset_ != nullptr; }
  int label(std::size_t i) const { return dataset_->labels[i]; }
  /// Image i; valid until the next call. Calls must come in order 0, 1, 2, …
  const std::vector<std::int32_t>& image(std::size_t i) {
    if (random_) {
      random_->next(pixels_.data());
      image_ = quantize_image(qn_, pixels_.data());
    } else if (dataset_) {
      image_ = quantize_image(qn_, dataset_->image(i));
    }
    return image_;
  }
  /// The image last returned by image().
  const std::vector<std::int32_t>& current() const { return image_; }

 private:
  const QuantizedNetwork& qn_;
  std::size_t count_ = 0;
  std::unique_ptr<RandomImageStream> random_;
  std::vector<float> pixels_;
  std::shared_ptr<const Dataset> dataset_;
  std::vector<std::int32_t> image_;
};

}  // namespace

std::shared_ptr<const LoadedModel> Evaluator::model(const std::string& spec) {
  auto it = models_.find(spec);
  if (it == models_.end()) it = models_.emplace(spec, std::make_shared<const LoadedModel>(load_model(spec))).first;
  return it->second;
}

std::shared_ptr<const QuantizedNetwork> Evaluator::weights(const std::string& network_spec, const std::string& spec,
                                                           int bits, std::uint64_t seed, std::string* label,
                                                           const CalibrationSpec& calib) {
  const std::shared_ptr<const LoadedModel> m = model(network_spec);
  // The seed only selects random weights, the calibration only an imported model's own weights;
  // a file or the trained default ignores both.
  const bool calibrated = spec.empty() && m->imported;
  const auto key = std::make_tuple(network_spec, spec, bits, spec == "random" ? seed : 0,
                                   calibrated ? calib.describe() : std::string());
  auto it = weights_.find(key);
  if (it == weights_.end()) {
    Weights w;
    w.qn = std::make_shared<const QuantizedNetwork>(load_model_weights(*m, spec, bits, seed, calib, &w.label));
    it = weights_.emplace(key, std::move(w)).first;
  }
  if (label) *label = it->second.label;
  return it->second.qn;
}

const energy::EnergyTable& Evaluator::energy_table(const std::string& tech) {
  auto it = energy_tables_.find(tech);
  if (it == energy_tables_.end()) it = energy_tables_.emplace(tech, energy::load_energy_table(tech)).first;
  return it->second;
}

const area::AreaTable& Evaluator::area_table(const std::string& tech) {
  auto it = area_tables_.find(tech);
  if (it == area_tables_.end()) it = area_tables_.emplace(tech, area::load_area_table(tech)).first;
  return it->second;
}

PreparedRun Evaluator::prepare(const EvalRequest& r) {
  PreparedRun p;
  p.network = network(r.network);
  p.arch = load_arch(r.arch, r.arch_sets);
  p.width = r.width.value_or(p.network->width_groups);
  p.network->check_width(p.width);
  p.weights = weights(r.network, r.weights, p.arch.precision, r.seed, &p.weights_label, r.calibration);
  return p;
}

EvalResult Evaluator::evaluate(const EvalRequest& r) {
  const PreparedRun p = prepare(r);
  const QuantizedNetwork& qn = *p.weights;
  const int k = p.width;
  ImageFeed feed(r.images, qn, r.seed);
  if (feed.count() == 0) throw InputError("no images to run");
  if (r.accel.mode == ExecMode::Fast && !r.accel.compute_outputs && (r.check_outputs || feed.labelled()))
    throw InputError("a timing-only run (compute_outputs = false) has no outputs to check or score");

  EvalResult res;
  res.network = p.network;
  res.arch = p.arch;
  res.width = k;
  res.weights_label = p.weights_label;
  res.accel = r.accel;
  res.images = feed.count();
  res.outputs_checked = r.check_outputs;
  res.outputs_match_reference = r.check_outputs;
  std::size_t correct = 0;
  // Every layer's output only for the reference check or the first image's outputs.
  AccelOptions accel = r.accel;
  accel.keep_layer_outputs = accel.keep_layer_outputs && (r.check_outputs || r.keep_first_outputs);
  AcceleratorSim sim(p.weights, p.arch, accel);
  // The sink runs on the controller thread as each image finishes: check, score, then drop the
  // image's layer outputs (the first image's counters are kept for the report).
  sim.run_each(
      feed.count(), k, [&](std::size_t i) -> const std::vector<std::int32_t>& { return feed.image(i); },
      [&](std::size_t i, InferenceRun&& run) {
        if (r.check_outputs) {
          const auto ref = int_forward(qn, k, feed.current());
          bool same = true;
          for (std::size_t l = 0; l < ref.size(); ++l) same = same && run.layers[l].output == ref[l];
          if (!same && !res.first_mismatch) res.first_mismatch = i;
          res.outputs_match_reference = res.outputs_match_reference && same;
        }
        if (feed.labelled()) correct += argmax(run.logits()) == feed.label(i);
        if (r.keep_logits) res.logits.push_back(run.logits());
        if (i == 0) {
          if (r.keep_first_outputs)
            for (const LayerRun& l : run.layers) res.first_outputs.push_back(l.output);
          for (LayerRun& l : run.layers) std::vector<std::int32_t>().swap(l.output);
          res.run = std::move(run);
        }
      });
  if (feed.labelled()) res.accuracy = double(correct) / double(feed.count());
  const std::string tech = energy::energy_hardware_of(p.arch).tech;
  res.energy = energy_of_run(energy_table(tech), p.arch, res.run);
  // Area at the energy table's node: a custom energy table (a YAML path) names its node, and a
  // node without a shipped area table has no area (the reports leave it out, never guess).
  const std::string& node = energy_table(tech).node;
  const auto& shipped = area::builtin_area_table_names();
  if (std::find(shipped.begin(), shipped.end(), node) != shipped.end()) res.area = area::area_of(p.arch, area_table(node));
  return res;
}

}  // namespace rcsim::eval

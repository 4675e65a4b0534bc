#include "eval/model_source.h"

#include <algorithm>
#include <cctype>

#include "core/errors.h"
#include "core/network_yaml.h"
#include "host/dataset.h"
#include "host/quantizer.h"
#include "host/weights_source.h"
#ifdef RCSIM_HAVE_ONNX
#include "onnx/onnx_import.h"
#endif

namespace rcsim::eval {

std::size_t CalibrationSpec::image_count() const {
  return images ? images : dataset.empty() ? kDefaultRandomCalibrationImages : kDefaultCalibrationImages;
}

std::string CalibrationSpec::describe() const {
  std::string s = dataset.empty() ? "random images (seed " + std::to_string(seed) + ")"
                                  : dataset + " training images" + (data_dir.empty() ? "" : " in " + data_dir);
  s += ", first " + std::to_string(image_count()) + ", " +
       (per_channel ? "per-channel weight scales" : "per-layer weight scales");
  return s;
}

bool is_onnx_spec(const std::string& spec) {
  if (spec.size() < 5) return false;
  std::string tail = spec.substr(spec.size() - 5);
  for (char& c : tail) c = char(std::tolower(static_cast<unsigned char>(c)));
  return tail == ".onnx";
}

LoadedModel load_model(const std::string& spec, const OnnxImportOptions& import) {
  LoadedModel m;
  m.spec = spec;
  if (!is_onnx_spec(spec)) {
    m.net = std::make_shared<const Network>(load_network(spec));
    return m;
  }
#ifdef RCSIM_HAVE_ONNX
  ImportedNetwork in = import_onnx_file(spec, import);
  m.net = std::make_shared<const Network>(std::move(in.net));
  m.imported = true;
  m.float_params = std::move(in.float_params);
  m.origin = std::move(in.origin);
  m.metadata = std::move(in.metadata);
  return m;
#else
  (void)import;
  throw EnvironmentError(spec +
                         ": this rcsim was built without ONNX support (install libonnx-dev, "
                         "libprotobuf-dev and protobuf-compiler, then reconfigure)");
#endif
}

Network load_network_spec(const std::string& spec) { return *load_model(spec).net; }

QuantizedNetwork quantize_model(const LoadedModel& model, int bits, const CalibrationSpec& calib) {
  if (!model.imported || model.float_params.empty())
    throw InputError("network '" + model.spec + "' has no float weights of its own to quantize");
  QuantizedNetwork qn;
  qn.net = *model.net;
  qn.bits = bits;
  qn.float_params = model.float_params;
  const std::size_t n = calib.image_count();
  Dataset images;
  if (calib.dataset.empty()) {
    images = random_images(qn.net.input, n, calib.seed);
  } else {
    images = load_dataset(calib.dataset, calib.data_dir, Split::Train).head(n);
    check_image_shape(images, qn.net.input);
  }
  QuantizerOptions q;
  q.bits = bits;
  q.calibration_images = n;
  q.per_channel = calib.per_channel;
  quantize(qn, images, q);
  for (const auto& [k, v] : model.metadata) qn.metadata[k] = v;
  qn.metadata["calibration"] = calib.describe() + ", widths 1.." + std::to_string(qn.net.width_groups);
  if (!calib.dataset.empty()) qn.metadata["dataset"] = calib.dataset;
  return qn;
}

QuantizedNetwork load_model_weights(const LoadedModel& model, const std::string& weights_spec, int bits,
                                    std::uint64_t seed, const CalibrationSpec& calib, std::string* label) {
  if (weights_spec.empty() && model.imported) {
    if (label)
      *label =
          model.spec + " (its own weights, int" + std::to_string(bits) + ", calibrated on " + calib.describe() + ")";
    return quantize_model(model, bits, calib);
  }
  return load_weights_spec(weights_spec, *model.net, bits, seed, label);
}

}  // namespace rcsim::eval

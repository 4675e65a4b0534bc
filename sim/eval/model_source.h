#pragma once
// The one loader of "network specs" and their weights, for every command that takes --net (run,
// info, eval, report, bench, cosim, sweep and governor points, train's network structure, import):
//
//   spec ending in .onnx  → the ONNX importer (onnx/onnx_import.h): the network and the model's
//                           own float weights (its initializers)
//   anything else         → a shipped network name or a YAML path (core/network_yaml.h)
//
// and for the weights of a loaded model (`--weights`):
//   ""        → an imported model's initializers, quantized with calibration (CalibrationSpec);
//               for YAML/shipped networks the trained default (host/weights_source.h)
//   "random"  → seeded random weights;   a path → a weights file (.safetensors) for the network
//
// Lives in sim/eval because it is the lowest layer that sees both host (YAML, weights, quantizer)
// and onnx; sim/onnx is optional (libonnx-dev): without it a .onnx spec is an EnvironmentError
// saying rcsim was built without ONNX support.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/network.h"
#include "core/quantized_network.h"
#include "onnx/onnx_import.h"  // OnnxImportOptions (plain C++; nothing of libonnx)

namespace rcsim::eval {

/// How an imported model's float weights become integers (`--calib-dataset`, `--calib-images`).
struct CalibrationSpec {
  std::string dataset;      ///< "" = seeded random images (uniform pixels in [0, 1))
  std::string data_dir;     ///< the dataset's directory ("" = its default location)
  std::size_t images = 0;   ///< 0 = kDefaultCalibrationImages, or kDefaultRandomCalibrationImages
  std::uint64_t seed = 1;   ///< random images (fixed, so `rcsim import` and `--net M.onnx` agree)
  bool per_channel = true;  ///< one weight scale per output channel (QuantizerOptions::per_channel)

  std::size_t image_count() const;
  /// Says everything that changes the result: a cache key, and the weights file's metadata.
  std::string describe() const;
};

/// Calibration images when --calib-images is not given: the first 500 training images of a
/// dataset, as `rcsim train` calibrates; or 32 random images — they carry no distribution worth
/// sampling longer, and a 224×224 ResNet-18 takes seconds per image over its four widths.
constexpr std::size_t kDefaultCalibrationImages = 500;
constexpr std::size_t kDefaultRandomCalibrationImages = 32;

/// A network spec, loaded.
struct LoadedModel {
  std::string spec;  ///< as given
  std::shared_ptr<const Network> net;
  bool imported = false;                        ///< from an .onnx file
  std::vector<FloatLayerParams> float_params;   ///< imported: the model's weights, like net->layers
  std::map<std::string, std::string> origin;    ///< imported: layer → the ONNX nodes it came from
  std::map<std::string, std::string> metadata;  ///< imported: onnx_source, onnx_producer, onnx_opset
};

/// True if `spec` names an ONNX file (ends in ".onnx", any case).
bool is_onnx_spec(const std::string& spec);

/// Loads a spec (above). `import` applies to .onnx specs only. Errors: InputError/ConfigError
/// (one line, naming the file), EnvironmentError for .onnx when built without ONNX.
LoadedModel load_model(const std::string& spec, const OnnxImportOptions& import = {});

/// load_model(spec).net, for callers that need only the structure.
Network load_network_spec(const std::string& spec);

/// An imported model's float weights quantized to `bits` (8 or 16), activation ranges calibrated
/// per `calib` over widths 1..G. InputError if the model has no float weights.
QuantizedNetwork quantize_model(const LoadedModel& model, int bits, const CalibrationSpec& calib);

/// The weights of `model` per `weights_spec` (above). `label` receives where they came from.
QuantizedNetwork load_model_weights(const LoadedModel& model, const std::string& weights_spec, int bits,
                                    std::uint64_t seed, const CalibrationSpec& calib, std::string* label = nullptr);

}  // namespace rcsim::eval

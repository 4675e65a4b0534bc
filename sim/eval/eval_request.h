#pragma once
// What to evaluate: a network with a weight set at one width on one architecture, run on the
// accelerator over some images (eval/evaluator.h evaluates it).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "accel/accelerator.h"
#include "eval/model_source.h"

namespace rcsim {
struct Dataset;
}

namespace rcsim::eval {

/// The images a run simulates, produced one at a time (never all held as quantized images).
struct ImageSpec {
  enum class Kind {
    Random,   ///< seeded uniform pixels (EvalRequest::seed), as host/dataset.h random_images
    Zeros,    ///< all-zero images: cycles and counters do not depend on the data
    Dataset,  ///< a dataset's first test images; their labels give the accuracy
  };
  Kind kind = Kind::Random;
  std::size_t count = 1;                         ///< number of images (Dataset: the first `count`; 0 = all)
  std::string dataset;                           ///< Dataset: "mnist", "fashion-mnist", "cifar10", "svhn"…
  std::string data_dir;                          ///< … in this directory ("" = the dataset's default location),
  std::shared_ptr<const rcsim::Dataset> loaded;  ///< … or this already loaded one (name/dir unused)

  static ImageSpec random(std::size_t n) { return {Kind::Random, n, "", "", nullptr}; }
  static ImageSpec zeros(std::size_t n) { return {Kind::Zeros, n, "", "", nullptr}; }
  static ImageSpec from_dataset(std::string name, std::string dir, std::size_t n) {
    return {Kind::Dataset, n, std::move(name), std::move(dir), nullptr};
  }
  static ImageSpec from_dataset(std::shared_ptr<const rcsim::Dataset> ds, std::size_t n) {
    return {Kind::Dataset, n, "", "", std::move(ds)};
  }
};

struct EvalRequest {
  std::string network = "mnist_lenet";  ///< shipped name, YAML path or .onnx file (eval/model_source.h)
  std::string arch = "default";         ///< shipped name or YAML path
  std::vector<std::string> arch_sets;   ///< `--set path=value` overrides of the architecture
  std::string weights;                  ///< "" = the trained default (.onnx: its own), "random" = seeded, else a file
  CalibrationSpec calibration;          ///< .onnx without weights: how its own weights are quantized
  std::uint64_t seed = 1;               ///< seed of random weights and random images
  std::optional<int> width;             ///< width configuration k (1..G); none = full width G
  AccelOptions accel;                   ///< execution mode, backend, VCD
  ImageSpec images;
  /// Compare every layer's output of every image with the integer reference (bit-exact).
  bool check_outputs = true;
  /// Keep every image's classifier logits (EvalResult::logits) — for callers that want the
  /// numbers themselves (the Python module), not only their check and accuracy.
  bool keep_logits = false;
  /// Keep the first image's output of every layer (EvalResult::first_outputs).
  bool keep_first_outputs = false;
};

}  // namespace rcsim::eval

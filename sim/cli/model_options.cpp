#include "cli/model_options.h"

#include "cli/command_line.h"

namespace rcsim::cli {

const char* const kNetHelp = "Network: a shipped name, a YAML path or an ONNX model (.onnx, imported)";

void add_calibration_options(Command& cmd, CalibrationOptions& o) {
  eval::CalibrationSpec& calib = o.spec;
  cmd.option("--calib-dataset", calib.dataset,
             "Quantizing an ONNX model's own weights: calibrate activation ranges on this dataset's training "
             "images (mnist, fashion-mnist, cifar10, svhn; default: the command's --dataset if given, else seeded "
             "random images)");
  cmd.option("--calib-data-dir", calib.data_dir, "Directory of --calib-dataset (default: its default location)");
  cmd.option("--calib-images", calib.images,
             "Number of calibration images (default: " + std::to_string(eval::kDefaultCalibrationImages) +
                 " of a dataset, " + std::to_string(eval::kDefaultRandomCalibrationImages) + " random ones)");
  cmd.flag("--per-layer-scales", o.per_layer_scales,
           "Quantizing an ONNX model's own weights: one weight scale per layer instead of one per output channel "
           "(per-channel scales are the default: they keep batch-norm-folded channels accurate)");
}

eval::CalibrationSpec resolve_calibration(const CalibrationOptions& o, const std::string& dataset,
                                          const std::string& data_dir) {
  eval::CalibrationSpec calib = o.spec;
  calib.per_channel = !o.per_layer_scales;
  if (calib.dataset.empty() && !dataset.empty()) {
    calib.dataset = dataset;
    if (calib.data_dir.empty()) calib.data_dir = data_dir;
  }
  return calib;
}

}  // namespace rcsim::cli

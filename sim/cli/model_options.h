#pragma once
// The options every command that takes --net shares for an imported model (`--net MODEL.onnx`
// without --weights: its own weights, quantized): --calib-dataset, --calib-images. The loading
// itself is eval/model_source.h.
#include <string>

#include "eval/model_source.h"

namespace rcsim::cli {

class Command;

/// Help text of --net: a shipped name, a YAML path or an .onnx file.
extern const char* const kNetHelp;

/// What the command line says about quantizing an imported model's own weights.
struct CalibrationOptions {
  eval::CalibrationSpec spec;     ///< --calib-dataset, --calib-data-dir, --calib-images
  bool per_layer_scales = false;  ///< --per-layer-scales
};

/// Declares --calib-dataset, --calib-data-dir, --calib-images and --per-layer-scales on `cmd`.
void add_calibration_options(Command& cmd, CalibrationOptions& calib);

/// The calibration set: --calib-dataset if given, else the command's own --dataset (its
/// training split: the images the model would be trained on, never the test images scored),
/// else seeded random images; per-channel weight scales unless --per-layer-scales.
eval::CalibrationSpec resolve_calibration(const CalibrationOptions& calib, const std::string& dataset,
                                          const std::string& data_dir);

}  // namespace rcsim::cli

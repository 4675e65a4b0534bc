// `rcsim import MODEL.onnx --out DIR`: an ONNX model as the rcsim network YAML (DIR/<name>.yaml,
// commented with where every layer came from) and its weights file (DIR/<name>.safetensors: the
// float weights and their quantization), so that `--net DIR/<name>.yaml --weights
// DIR/<name>.safetensors` runs exactly what `--net MODEL.onnx` runs, and both can be inspected
// and edited. The import itself is eval/model_source.h (onnx/onnx_import.h).
#include <filesystem>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/model_options.h"
#include "core/errors.h"
#include "core/network_yaml.h"
#include "eval/model_source.h"
#include "host/output_file.h"
#include "host/weights_file.h"

namespace rcsim::cli {

namespace {

struct ImportCliOptions {
  std::string model;
  std::string out;
  int width_groups = 4;
  bool full_width_stem = false;
  std::string name;
  int bits = 8;
  bool no_weights = false;
  CalibrationOptions calibration;
};

/// The options that shape the result, spelled out (the model by its file name: the YAML must
/// not depend on where the model was read from).
std::string regenerate_command(const ImportCliOptions& o) {
  std::ostringstream s;
  s << "rcsim import " << std::filesystem::path(o.model).filename().string() << " --out DIR --width-groups "
    << o.width_groups;
  if (o.full_width_stem) s << " --full-width-stem";
  if (!o.name.empty()) s << " --name " << o.name;
  if (o.no_weights) {
    s << " --no-weights";
  } else {
    s << " --bits " << o.bits;
    const eval::CalibrationSpec c = resolve_calibration(o.calibration, "", "");
    if (!c.dataset.empty()) s << " --calib-dataset " << c.dataset;
    s << " --calib-images " << c.image_count();
    if (!c.per_channel) s << " --per-layer-scales";
  }
  return s.str();
}

std::string header(const ImportCliOptions& o, const eval::LoadedModel& m, const std::string& weights_file) {
  const Network& net = *m.net;
  const auto meta = [&](const char* k) { return m.metadata.count(k) ? m.metadata.at(k) : std::string("?"); };
  std::ostringstream h;
  h << "# " << net.name << ": imported from " << std::filesystem::path(o.model).filename().string() << " ("
    << meta("onnx_producer") << ", ONNX opset " << meta("onnx_opset") << ") by `rcsim import`.\n"
    << "# Regenerate: " << regenerate_command(o) << "\n"
    << "# Each layer's comment names the ONNX node(s) it came from: a Relu or Clip(0, 6) after a conv, fc\n"
    << "# or add is fused into it, a Flatten before a Gemm is the fc's own flattening, and a\n"
    << "# BatchNormalization that could not fold into a Conv is a depthwise 1x1 conv (weight =\n"
    << "# scale/sqrt(var + eps), bias = shift - mean * weight). Width groups: docs/networks.md.\n";
  if (weights_file.empty()) {
    h << "# Structure only (no weights file): rcsim run --net <this file> --weights random\n";
  } else {
    h << "# Weights: " << weights_file << " (float32 + int" << o.bits << ", calibrated on "
      << resolve_calibration(o.calibration, "", "").describe() << ").\n"
      << "#   rcsim run --net <this file> --weights " << weights_file << "\n";
  }
  return h.str();
}

void run_import(const ImportCliOptions& o) {
  if (!eval::is_onnx_spec(o.model))
    throw InputError(o.model + ": rcsim import reads ONNX models (a .onnx file); YAML networks need no import");
  if (o.width_groups < 1)
    throw InputError("--width-groups must be at least 1 (got " + std::to_string(o.width_groups) + ")");
  OnnxImportOptions io;
  io.width_groups = o.width_groups;
  io.full_width_stem = o.full_width_stem;
  io.name = o.name;
  const eval::LoadedModel m = eval::load_model(o.model, io);
  const Network& net = *m.net;

  // Everything is computed before anything is written: a failure leaves no half-import behind.
  std::vector<std::uint8_t> weights;
  std::string calibration;
  if (!o.no_weights) {
    QuantizedNetwork qn = eval::quantize_model(m, o.bits, resolve_calibration(o.calibration, "", ""));
    qn.metadata["command"] = regenerate_command(o);
    calibration = qn.metadata.at("calibration");
    weights = encode_weights(qn);
  }
  const std::string weights_name = o.no_weights ? "" : net.name + ".safetensors";
  const std::string yaml = header(o, m, weights_name) + to_yaml(net, m.origin);
  // What we write must read back as this network (e.g. a name YAML would misread).
  const Network back = parse_network(yaml, "rcsim import of " + o.model);
  if (to_yaml(back) != to_yaml(net))
    throw InternalError("rcsim import: the written YAML does not read back as the network");

  create_output_directory(o.out);
  const std::string yaml_path = (std::filesystem::path(o.out) / (net.name + ".yaml")).string();
  write_file_atomic(yaml_path, yaml);
  std::cout << "wrote " << yaml_path << ": " << net.layers.size() << " layers, " << net.width_groups
            << " width groups, " << net.total_macs(net.width_groups) << " MACs at full width\n";
  if (!o.no_weights) {
    const std::string w_path = (std::filesystem::path(o.out) / weights_name).string();
    write_file_atomic(w_path, std::string(weights.begin(), weights.end()));
    std::cout << "wrote " << w_path << ": float32 + int" << o.bits << " weights, calibrated on " << calibration << "\n";
  }
}

}  // namespace

void add_import_command(CommandLine& cl) {
  auto o = std::make_shared<ImportCliOptions>();
  Command cmd = cl.add("import", "Import an ONNX model: the rcsim network YAML and its weights file");
  cmd.option("model", o->model, "The ONNX model (.onnx)").required();
  cmd.option("--out", o->out, "Directory to write <name>.yaml and <name>.safetensors into").required();
  cmd.option("--width-groups", o->width_groups,
             "Width groups G: every conv/fc output but the classifier's is split into G groups")
      .show_default();
  cmd.flag("--full-width-stem", o->full_width_stem,
           "Keep the layers reading the image at full width (`width: false`), and what they pin");
  cmd.option("--name", o->name, "Network name (default: the model's file name)");
  cmd.option("--bits", o->bits, "Precision of the quantized weights").one_of({8, 16}).show_default();
  cmd.flag("--no-weights", o->no_weights, "Write only the network YAML (structure; run it with --weights random)");
  add_calibration_options(cmd, o->calibration);
  cmd.action([o] { run_import(*o); });
}

}  // namespace rcsim::cli

#pragma once
// ONNX model → rcsim network: the graph IR (core/network.h) and its float weights, full width.
//
// Input: an OnnxModel after normalize() (onnx_normalize.h lists the canonical nodes). Mapping,
// one canonical node → one layer (docs/networks.md, "ONNX import"):
//   Conv                → conv (bias, groups, per-side pads, strides, non-square kernels)
//   BatchNormalization  → conv 1×1 with groups = channels (a per-channel affine: weight =
//                         scale/√(var+ε), bias = shift − mean·weight); only the BNs normalize()
//                         could not fold into a Conv (e.g. after a pool) are left
//   Relu / Clip(0, 6)   → relu / relu6 nodes, fused into the conv, fc or add before them by
//                         Network::finalize() where that node feeds only the activation
//   Add, Concat         → add, concat;   MaxPool, AveragePool → maxpool, avgpool (pads,
//                         count_include_pad);   GlobalAveragePool → avgpool global
//   Flatten             → flatten, or nothing when only Gemms read it (an fc flattens CHW itself)
//   Gemm                → fc (weight [out][in], the CHW flattening ONNX's Flatten also uses)
// The graph output must be a Gemm (the classifier: int32 logits, never narrowed).
// Layer names come from the node names (onnx_layer_names.h). Errors are one InputError line
// starting with the model's file name.
#include <map>
#include <string>
#include <vector>

#include "core/network.h"
#include "core/quantized_network.h"
#include "onnx/onnx_model.h"

namespace rcsim {

struct OnnxImportOptions {
  int width_groups = 4;          ///< G of the network (every conv/fc but the classifier is split)
  bool full_width_stem = false;  ///< mark the layers reading the image `width: false`
  std::string name;              ///< network name; "" = the file's stem
};

struct ImportedNetwork {
  Network net;                                 ///< finalized
  std::vector<FloatLayerParams> float_params;  ///< indexed like net.layers (empty for unweighted)
  /// Layer name → the ONNX node(s) it was made from ("'/a/Conv' + '/Relu'"), for comments.
  std::map<std::string, std::string> origin;
  /// Provenance for weights files: onnx_source, onnx_producer, onnx_opset.
  std::map<std::string, std::string> metadata;
};

/// Maps a normalized model to the IR. InputError (one line) for what the IR cannot hold.
ImportedNetwork import_onnx(const OnnxModel& normalized, const OnnxImportOptions& options = {});

/// read_onnx + normalize + import_onnx.
ImportedNetwork import_onnx_file(const std::string& path, const OnnxImportOptions& options = {});

}  // namespace rcsim

#pragma once
// A network with its trained weights, in float and quantized (power-of-two scales) form.
// Produced by the host model (sim/host: trainer, quantizer, weights file, ONNX import), consumed
// by the integer reference, the mapper/accelerator and the RTL co-simulation.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/network.h"
#include "core/quant_weights.h"

namespace rcsim {

/// Float parameters of one weighted node, full width, PyTorch layout:
/// conv weight [out][in/groups][kh][kw], fc weight [out][in], bias [out]. Batch norm is folded in.
/// `bn_scale`/`bn_shift` (optional, [G][out]): a batch norm per width configuration (switchable
/// batch norm, as slimmable networks train it) applied after the conv: y = conv(x)·scale + shift.
struct FloatLayerParams {
  std::vector<float> weight;
  std::vector<float> bias;
  std::vector<std::vector<float>> bn_scale;
  std::vector<std::vector<float>> bn_shift;
};

/// Per-output-channel post-processing of a weighted node: y = clamp(round_shift(acc·mult + add,
/// shift)) on int64 (core/int_arith.h requantize_affine). Indexed by full-width output channel.
struct PostScale {
  std::vector<std::int32_t> mult;   ///< [out]
  std::vector<std::int32_t> add;    ///< [out], at scale 2^-(acc shift + mult shift)
  std::vector<std::int32_t> shift;  ///< [out], 0..62
};

/// Quantized parameters of one node (full width, same layout as the float ones).
/// A real value v is represented by q with v ≈ q · 2^-shift.
struct QuantLayerParams {
  QuantWeights weight;  ///< int8 or int16 values (QuantizedNetwork::bits), stored int8 when they fit
  std::vector<std::int32_t> bias;    ///< scale 2^-(in_shift + w_shift)
  int in_shift = 0;                  ///< scale exponent of this layer's (first) input activations
  int w_shift = 0;                   ///< scale exponent of the weights
  int out_shift = 0;                 ///< scale exponent of the output (conv/fc/add/concat; the classifier: unused)
  /// Post-processing beyond the plain shift: empty = every channel shifts by requant_shift();
  /// one entry = the same for every width; G entries = entry k−1 at width k (a batch norm per width).
  std::vector<PostScale> post;
  /// Right shift applied by the post-processing unit: in_shift + w_shift − out_shift.
  int requant_shift() const { return in_shift + w_shift - out_shift; }
  /// The post-processing of width k (null = the plain shift).
  const PostScale* post_of(int k) const {
    return post.empty() ? nullptr : post.size() == 1 ? &post[0] : &post[std::size_t(k - 1)];
  }
};

/// Everything a run needs: the IR, float weights (may be empty when only integers are known),
/// and the quantized form. `float_params` and `quant_params` are indexed like `net.layers`;
/// entries of nodes without weights are empty except `out_shift` of add and concat nodes.
struct QuantizedNetwork {
  Network net;
  int bits = 8;         ///< activation and weight precision: 8 or 16
  int input_shift = 7;  ///< image pixels are quantized with scale 2^-input_shift
  std::vector<FloatLayerParams> float_params;
  std::vector<QuantLayerParams> quant_params;
  std::map<std::string, std::string> metadata;  ///< free-form provenance (dataset, algo, seed, …)

  bool has_float() const;
  /// Scale exponent of tensor t (a node index or kNetworkInput): pools, flatten and stand-alone
  /// activations keep their input's scale.
  int tensor_shift(int t) const;
  /// Clamp bounds of node i's outputs: [0 or qmin, qmax or the quantized 6 of a ReLU6].
  std::int32_t out_lo(std::size_t i) const;
  std::int32_t out_hi(std::size_t i) const;
  /// Throws InputError unless every weighted node's tensors match the IR's full-width sizes,
  /// every quantized value fits `bits`, and all shifts are in range.
  void validate() const;
};

/// Expected element counts of a node's full-width weight tensor (0 without weights).
std::int64_t full_weight_count(const Layer& l);
/// Full-width tensor shape of a node's weight ({out,in/groups,kh,kw} or {out,in}).
std::vector<std::int64_t> weight_shape(const Layer& l);

/// Random quantized weights (uniform int8/int16 values, shifts chosen so activations stay in
/// range) for running networks without trained weights; deterministic for `seed`.
QuantizedNetwork random_quantized_network(const Network& net, int bits, std::uint64_t seed);

}  // namespace rcsim

#pragma once
// A network with its trained weights, in float and quantized (power-of-two scales) form.
// Produced by the host model (sim/host: trainer, quantizer, weights file), consumed by the
// integer reference, the mapper/accelerator and the RTL co-simulation.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/network.h"

namespace rcsim {

/// Float parameters of one weighted layer, full width, PyTorch layout:
/// conv weight [out][in][k][k], fc weight [out][in], bias [out].
struct FloatLayerParams {
  std::vector<float> weight;
  std::vector<float> bias;
};

/// Quantized parameters of one weighted layer (full width, same layout as the float ones).
/// A real value v is represented by q with v ≈ q · 2^-shift.
struct QuantLayerParams {
  std::vector<std::int16_t> weight;  ///< int8 or int16 values (QuantizedNetwork::bits)
  std::vector<std::int32_t> bias;    ///< scale 2^-(in_shift + w_shift)
  int in_shift = 0;                  ///< scale exponent of this layer's input activations
  int w_shift = 0;                   ///< scale exponent of the weights
  int out_shift = 0;                 ///< scale exponent of the output activations (unused by the classifier)
  /// Right shift applied by the post-processing unit: in_shift + w_shift − out_shift.
  int requant_shift() const { return in_shift + w_shift - out_shift; }
};

/// Everything a run needs: the IR, float weights (may be empty when only integers are known),
/// and the quantized form. `float_params` and `quant_params` are indexed like `net.layers`;
/// entries of layers without weights (maxpool) are empty.
struct QuantizedNetwork {
  Network net;
  int bits = 8;         ///< activation and weight precision: 8 or 16
  int input_shift = 7;  ///< image pixels are quantized with scale 2^-input_shift
  std::vector<FloatLayerParams> float_params;
  std::vector<QuantLayerParams> quant_params;
  std::map<std::string, std::string> metadata;  ///< free-form provenance (dataset, algo, seed, …)

  bool has_float() const;
  /// Throws InputError unless every weighted layer's tensors match the IR's full-width sizes,
  /// every quantized value fits `bits`, and all shifts are in range (requant shift 0..31).
  void validate() const;
};

/// Expected element counts of a layer's full-width weight and bias tensors.
std::int64_t full_weight_count(const Layer& l);
/// Full-width tensor shape of a layer's weight ({out,in,k,k} or {out,in}).
std::vector<std::int64_t> weight_shape(const Layer& l);

/// Random quantized weights (uniform int8/int16 values, shifts chosen so activations stay in
/// range) for running networks without trained weights; deterministic for `seed`.
QuantizedNetwork random_quantized_network(const Network& net, int bits, std::uint64_t seed);

}  // namespace rcsim

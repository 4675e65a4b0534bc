#pragma once
// A GEMM job's weights W^T as the array reads them: column n (an output channel) holds the K
// reduction weights at [n·stride + k]. A view, never a copy per job: the storage is one block per
// node and width, shared by the node's job and its row tiles' slices (a slice is a column range
// of it), and where a job's weights are a contiguous run of the network's own weight tensor
// (a dense conv or fc whose active channels are consecutive) the block is that tensor itself.
// Stored int8 for an int8 network, int16 otherwise (core/quantized_network.h).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace rcsim {

class JobWeights {
 public:
  JobWeights() = default;
  /// A view of columns [0, N) of `values` (column n at values + n·stride, K ≤ stride weights
  /// each): the caller keeps `values` alive as long as any view of it (the QuantizedNetwork
  /// outlives the simulators built from it).
  static JobWeights view(const std::int8_t* values, std::int64_t stride, std::int64_t K, std::int64_t N);
  static JobWeights view(const std::int16_t* values, std::int64_t stride, std::int64_t K, std::int64_t N);
  /// Own storage, [N][stride] with zeros beyond K in each column.
  static JobWeights own(std::vector<std::int8_t> values, std::int64_t stride, std::int64_t K, std::int64_t N);
  static JobWeights own(std::vector<std::int16_t> values, std::int64_t stride, std::int64_t K, std::int64_t N);

  std::int32_t operator()(std::int64_t k, std::int64_t n) const {
    const std::size_t i = std::size_t((n0_ + n) * b_->stride + k);
    return b_->w8 ? std::int32_t(b_->w8[i]) : std::int32_t(b_->w16[i]);
  }
  std::int64_t K() const { return b_ ? b_->K : 0; }
  std::int64_t N() const { return N_; }
  /// Whether the storage is int8 (then every weight fits int8).
  bool int8_storage() const { return b_ && b_->w8; }
  /// int8 storage: column n at data8() + n·stride() (null for int16 storage).
  const std::int8_t* data8() const { return int8_storage() ? b_->w8 + n0_ * b_->stride : nullptr; }
  std::int64_t stride() const { return b_ ? b_->stride : 0; }
  /// Every weight fits int8 (checked once per block).
  bool fits_int8() const;
  /// The columns as int16, [N][padded_stride()] with zeros beyond K (padded_stride() =
  /// round_up(K, intgemm::kColAlign)): what the host's int16 kernels and the per-cycle array's
  /// preload read. The storage itself where it already has that form; otherwise made on the first
  /// call, once per block (a slice's call fills its parent's), so only the paths that need it pay.
  const std::int16_t* padded16() const;
  std::int64_t padded_stride() const;
  /// Columns [n0, n1) of this view (same storage, no copy).
  JobWeights columns(std::int64_t n0, std::int64_t n1) const;
  /// Bytes of storage the block owns (0 for a view of the network's tensor), padded copy included.
  std::size_t owned_bytes() const;
  /// The storage's first weight (identity of the block's storage, for tests).
  const void* storage() const { return b_ ? (b_->w8 ? static_cast<const void*>(b_->w8) : static_cast<const void*>(b_->w16)) : nullptr; }

 private:
  struct Block {
    const std::int8_t* w8 = nullptr;
    const std::int16_t* w16 = nullptr;
    std::int64_t stride = 0, K = 0, N = 0;
    std::vector<std::int8_t> own8;  // own storage (else a view)
    std::vector<std::int16_t> own16;
    mutable int fits8 = -1;                   // -1: not yet checked
    mutable std::vector<std::int16_t> padded;  // padded16(), when the storage is not already that form
  };
  static JobWeights of(std::shared_ptr<Block> b);
  std::shared_ptr<const Block> b_;
  std::int64_t n0_ = 0, N_ = 0;
};

}  // namespace rcsim

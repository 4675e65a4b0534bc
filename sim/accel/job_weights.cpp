#include "accel/job_weights.h"

#include "core/errors.h"
#include "host/int_gemm.h"

namespace rcsim {

JobWeights JobWeights::of(std::shared_ptr<Block> b) {
  if (b->K > b->stride) throw InternalError("JobWeights: " + std::to_string(b->K) + " weights per column exceed the stride");
  JobWeights w;
  w.N_ = b->N;
  w.b_ = std::move(b);
  return w;
}

JobWeights JobWeights::view(const std::int8_t* values, std::int64_t stride, std::int64_t K, std::int64_t N) {
  auto b = std::make_shared<Block>();
  b->w8 = values, b->stride = stride, b->K = K, b->N = N;
  return of(std::move(b));
}

JobWeights JobWeights::view(const std::int16_t* values, std::int64_t stride, std::int64_t K, std::int64_t N) {
  auto b = std::make_shared<Block>();
  b->w16 = values, b->stride = stride, b->K = K, b->N = N;
  return of(std::move(b));
}

JobWeights JobWeights::own(std::vector<std::int8_t> values, std::int64_t stride, std::int64_t K, std::int64_t N) {
  if (std::int64_t(values.size()) != stride * N) throw InternalError("JobWeights: storage is not [N][stride]");
  auto b = std::make_shared<Block>();
  b->own8 = std::move(values);
  b->w8 = b->own8.data(), b->stride = stride, b->K = K, b->N = N;
  return of(std::move(b));
}

JobWeights JobWeights::own(std::vector<std::int16_t> values, std::int64_t stride, std::int64_t K, std::int64_t N) {
  if (std::int64_t(values.size()) != stride * N) throw InternalError("JobWeights: storage is not [N][stride]");
  auto b = std::make_shared<Block>();
  b->own16 = std::move(values);
  b->w16 = b->own16.data(), b->stride = stride, b->K = K, b->N = N;
  return of(std::move(b));
}

bool JobWeights::fits_int8() const {
  if (!b_) return true;
  if (b_->w8) return true;
  if (b_->fits8 < 0) {
    bool fits = true;
    for (std::int64_t n = 0; n < b_->N && fits; ++n)
      for (std::int64_t k = 0; k < b_->K && fits; ++k) {
        const std::int16_t v = b_->w16[std::size_t(n * b_->stride + k)];
        fits = v >= -128 && v <= 127;
      }
    b_->fits8 = fits;
  }
  return b_->fits8 == 1;
}

std::int64_t JobWeights::padded_stride() const { return intgemm::round_up(int(K()), intgemm::kColAlign); }

const std::int16_t* JobWeights::padded16() const {
  if (!b_) return nullptr;
  const std::int64_t ps = padded_stride();
  // int16 storage of that stride: as is when the columns hold nothing but zeros beyond K (own
  // storage is zero-padded; a view is only when it has no columns beyond K).
  if (b_->w16 && b_->stride == ps && (b_->K == ps || !b_->own16.empty())) return b_->w16 + n0_ * ps;
  if (b_->padded.empty()) {
    b_->padded.assign(std::size_t(b_->N * ps), 0);
    for (std::int64_t n = 0; n < b_->N; ++n)
      for (std::int64_t k = 0; k < b_->K; ++k) {
        const std::size_t i = std::size_t(n * b_->stride + k);
        b_->padded[std::size_t(n * ps + k)] = b_->w8 ? std::int16_t(b_->w8[i]) : b_->w16[i];
      }
  }
  return b_->padded.data() + n0_ * ps;
}

JobWeights JobWeights::columns(std::int64_t n0, std::int64_t n1) const {
  if (n0 < 0 || n1 < n0 || n1 > N_) throw InternalError("JobWeights: column range out of the view");
  JobWeights w = *this;
  w.n0_ = n0_ + n0;
  w.N_ = n1 - n0;
  return w;
}

std::size_t JobWeights::owned_bytes() const {
  if (!b_) return 0;
  return b_->own8.capacity() + 2 * b_->own16.capacity() + 2 * b_->padded.capacity();
}

}  // namespace rcsim

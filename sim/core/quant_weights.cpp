#include "core/quant_weights.h"

namespace rcsim {

QuantWeights::QuantWeights(std::vector<std::int16_t> values) : v16_(std::move(values)) { compact(); }

std::vector<std::int16_t> QuantWeights::values() const {
  return narrow_ ? std::vector<std::int16_t>(v8_.begin(), v8_.end()) : v16_;
}

std::vector<std::int16_t>& QuantWeights::edit() {
  if (narrow_) {
    v16_.assign(v8_.begin(), v8_.end());
    std::vector<std::int8_t>().swap(v8_);
    narrow_ = false;
  }
  return v16_;
}

void QuantWeights::compact() {
  if (narrow_) return;
  for (const std::int16_t v : v16_)
    if (v < -128 || v > 127) return;
  v8_.assign(v16_.begin(), v16_.end());
  std::vector<std::int16_t>().swap(v16_);
  narrow_ = true;
}

}  // namespace rcsim

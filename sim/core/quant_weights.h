#pragma once
// A weighted node's quantized weight values, stored in as few bytes as they need: one byte each
// when every value fits int8 (every int8 network: the simulator's weights then take the int8
// bytes, not twice them), two otherwise. Read-only once built; `edit()` gives int16 storage back
// for code that changes values in place (tests, the quantizer's rescaling).
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <vector>

namespace rcsim {

class QuantWeights {
 public:
  QuantWeights() = default;
  /// Stores `values` as int8 when every one fits, else as int16.
  QuantWeights(std::vector<std::int16_t> values);  // NOLINT: implicit, a weight tensor is its values
  QuantWeights(std::initializer_list<std::int16_t> values) : QuantWeights(std::vector<std::int16_t>(values)) {}

  std::size_t size() const { return narrow_ ? v8_.size() : v16_.size(); }
  bool empty() const { return size() == 0; }
  std::int16_t operator[](std::size_t i) const { return narrow_ ? std::int16_t(v8_[i]) : v16_[i]; }
  /// int8 storage (then data8() holds the values), else int16 (data16()).
  bool int8_storage() const { return narrow_; }
  const std::int8_t* data8() const { return narrow_ ? v8_.data() : nullptr; }
  const std::int16_t* data16() const { return narrow_ ? nullptr : v16_.data(); }
  /// Bytes of storage held.
  std::size_t storage_bytes() const { return v8_.capacity() + v16_.capacity() * sizeof(std::int16_t); }
  /// The values as int16 (a copy).
  std::vector<std::int16_t> values() const;
  /// The values as an int16 vector to change in place (int8 storage is widened first; call
  /// compact() after editing to narrow it again).
  std::vector<std::int16_t>& edit();
  /// int8 storage again if every value fits.
  void compact();

  friend bool operator==(const QuantWeights& a, const QuantWeights& b) { return a.values() == b.values(); }
  friend bool operator==(const QuantWeights& a, const std::vector<std::int16_t>& b) { return a.values() == b; }

 private:
  bool narrow_ = false;
  std::vector<std::int8_t> v8_;
  std::vector<std::int16_t> v16_;
};

}  // namespace rcsim

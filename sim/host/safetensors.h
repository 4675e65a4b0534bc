#pragma once
// Generic safetensors reader/writer (https://github.com/huggingface/safetensors format):
// u64 little-endian header length N, N bytes of JSON header {name: {dtype, shape,
// data_offsets: [begin, end)}, "__metadata__": {string: string}} padded with spaces to a
// multiple of 8, then the data buffer. Offsets are relative to the buffer; tensors are laid out
// in header order without gaps. Reading validates every field: a malformed file is an
// InputError naming it, never an out-of-bounds read.
#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <type_traits>
#include <vector>

namespace rcsim {

enum class DType { F32, F64, I8, U8, I16, I32, I64 };

const char* to_string(DType t);
std::size_t dtype_size(DType t);

template <class T> constexpr DType dtype_of();
template <> constexpr DType dtype_of<float>() { return DType::F32; }
template <> constexpr DType dtype_of<double>() { return DType::F64; }
template <> constexpr DType dtype_of<std::int8_t>() { return DType::I8; }
template <> constexpr DType dtype_of<std::uint8_t>() { return DType::U8; }
template <> constexpr DType dtype_of<std::int16_t>() { return DType::I16; }
template <> constexpr DType dtype_of<std::int32_t>() { return DType::I32; }
template <> constexpr DType dtype_of<std::int64_t>() { return DType::I64; }

struct Tensor {
  std::string name;
  DType dtype = DType::F32;
  std::vector<std::int64_t> shape;
  std::vector<std::uint8_t> data;  ///< numel() · dtype_size little-endian values

  std::int64_t numel() const;

  /// A tensor holding `values` stored as `T` (values are converted, e.g. int16 → int8; the
  /// caller guarantees they fit).
  template <class T, class V>
  static Tensor from(const std::string& name, std::vector<std::int64_t> shape, const std::vector<V>& values) {
    Tensor t{name, dtype_of<T>(), std::move(shape), std::vector<std::uint8_t>(values.size() * sizeof(T))};
    for (std::size_t i = 0; i < values.size(); ++i) {
      const T v = static_cast<T>(values[i]);
      std::memcpy(t.data.data() + i * sizeof(T), &v, sizeof(T));
    }
    return t;
  }

  /// The values as V, read as `dtype` (any of the integer/float dtypes converts to V).
  template <class V>
  std::vector<V> values() const {
    std::vector<V> out(data.size() / dtype_size(dtype));
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<V>(value_at(i));
    return out;
  }
  /// Element i as double (exact for every supported dtype except I64 beyond 2^53).
  double value_at(std::size_t i) const;
};

struct SafeTensors {
  std::vector<Tensor> tensors;                  ///< in file (data) order
  std::map<std::string, std::string> metadata;  ///< "__metadata__"

  const Tensor* find(const std::string& name) const;
  /// The tensor called `name`; InputError "<origin>: missing tensor 'name'" otherwise.
  const Tensor& at(const std::string& name, const std::string& origin) const;
  void add(Tensor t) { tensors.push_back(std::move(t)); }
};

/// Serialises to bytes. Throws InputError on duplicate names or data sizes that do not match
/// shape × dtype (a caller bug surfaced with the tensor's name).
std::vector<std::uint8_t> encode_safetensors(const SafeTensors& st);
/// Parses bytes; `origin` (the file name) starts every error message.
SafeTensors decode_safetensors(const std::vector<std::uint8_t>& bytes, const std::string& origin);

void write_safetensors(const SafeTensors& st, const std::string& path);
SafeTensors read_safetensors(const std::string& path);

}  // namespace rcsim

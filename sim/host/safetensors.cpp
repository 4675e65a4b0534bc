#include "host/safetensors.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <limits>
#include <set>

#include "core/errors.h"
#include "host/output_file.h"
#include "host/binary_file.h"

namespace rcsim {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "safetensors I/O assumes a little-endian host");

namespace {

// The reference implementation refuses headers over 100 MB; so do we (a corrupt length must
// not make us allocate gigabytes).
constexpr std::uint64_t kMaxHeader = 100u * 1000 * 1000;

bool parse_dtype(const std::string& s, DType& out) {
  static const std::pair<const char*, DType> table[] = {{"F32", DType::F32}, {"F64", DType::F64}, {"I8", DType::I8},
                                                        {"U8", DType::U8},   {"I16", DType::I16}, {"I32", DType::I32},
                                                        {"I64", DType::I64}};
  for (const auto& [name, t] : table)
    if (s == name) {
      out = t;
      return true;
    }
  return false;
}

std::int64_t checked_numel(const std::vector<std::int64_t>& shape, const std::string& where) {
  std::int64_t n = 1;
  for (auto d : shape) {
    if (d < 0) throw InputError(where + ": negative dimension");
    if (d != 0 && n > std::numeric_limits<std::int64_t>::max() / 8 / d) throw InputError(where + ": shape is implausibly large");
    n *= d;
  }
  return n;
}

}  // namespace

const char* to_string(DType t) {
  switch (t) {
    case DType::F32: return "F32";
    case DType::F64: return "F64";
    case DType::I8: return "I8";
    case DType::U8: return "U8";
    case DType::I16: return "I16";
    case DType::I32: return "I32";
    case DType::I64: return "I64";
  }
  return "?";
}

std::size_t dtype_size(DType t) {
  switch (t) {
    case DType::I8: case DType::U8: return 1;
    case DType::I16: return 2;
    case DType::F32: case DType::I32: return 4;
    case DType::F64: case DType::I64: return 8;
  }
  return 1;
}

std::int64_t Tensor::numel() const {
  std::int64_t n = 1;
  for (auto d : shape) n *= d;
  return n;
}

double Tensor::value_at(std::size_t i) const {
  const std::uint8_t* p = data.data() + i * dtype_size(dtype);
  switch (dtype) {
    case DType::F32: return load_le<float>(p);
    case DType::F64: return load_le<double>(p);
    case DType::I8: return load_le<std::int8_t>(p);
    case DType::U8: return load_le<std::uint8_t>(p);
    case DType::I16: return load_le<std::int16_t>(p);
    case DType::I32: return load_le<std::int32_t>(p);
    case DType::I64: return double(load_le<std::int64_t>(p));
  }
  return 0;
}

const Tensor* SafeTensors::find(const std::string& name) const {
  for (const auto& t : tensors)
    if (t.name == name) return &t;
  return nullptr;
}

const Tensor& SafeTensors::at(const std::string& name, const std::string& origin) const {
  if (const Tensor* t = find(name)) return *t;
  throw InputError(origin + ": missing tensor '" + name + "'");
}

std::vector<std::uint8_t> encode_safetensors(const SafeTensors& st) {
  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  if (!st.metadata.empty()) header["__metadata__"] = st.metadata;
  std::uint64_t offset = 0;
  std::set<std::string> names;
  for (const auto& t : st.tensors) {
    const std::string where = "safetensors: tensor '" + t.name + "'";
    if (t.name.empty() || t.name == "__metadata__") throw InputError(where + ": invalid tensor name");
    if (!names.insert(t.name).second) throw InputError(where + ": duplicate tensor name");
    const std::int64_t n = checked_numel(t.shape, where);
    if (t.data.size() != std::uint64_t(n) * dtype_size(t.dtype))
      throw InputError(where + ": " + std::to_string(t.data.size()) + " data bytes, shape needs " +
                       std::to_string(std::uint64_t(n) * dtype_size(t.dtype)));
    header[t.name] = {{"dtype", to_string(t.dtype)}, {"shape", t.shape}, {"data_offsets", {offset, offset + t.data.size()}}};
    offset += t.data.size();
  }
  std::string text = header.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  text.resize((text.size() + 7) / 8 * 8, ' ');
  const std::uint64_t n = text.size();
  std::vector<std::uint8_t> out(8 + n + offset);
  std::memcpy(out.data(), &n, 8);
  std::memcpy(out.data() + 8, text.data(), n);
  std::size_t pos = 8 + n;
  for (const auto& t : st.tensors) {
    if (!t.data.empty()) std::memcpy(out.data() + pos, t.data.data(), t.data.size());
    pos += t.data.size();
  }
  return out;
}

SafeTensors decode_safetensors(const std::vector<std::uint8_t>& bytes, const std::string& origin) {
  const std::string bad = origin + ": not a valid safetensors file: ";
  if (bytes.size() < 8) throw InputError(bad + "shorter than the 8-byte header length");
  const std::uint64_t n = load_le<std::uint64_t>(bytes.data());
  if (n > kMaxHeader || n > bytes.size() - 8)
    throw InputError(bad + "header length " + std::to_string(n) + " exceeds the file size " + std::to_string(bytes.size()));
  if (n < 2 || bytes[8] != '{') throw InputError(bad + "header does not start with '{'");
  const auto hbegin = bytes.begin() + 8, hend = hbegin + std::ptrdiff_t(n);

  // nlohmann keeps the last of duplicate keys silently; catch duplicates while parsing.
  std::set<std::string> top_keys;
  std::string duplicate;
  const nlohmann::ordered_json::parser_callback_t cb = [&](int depth, nlohmann::ordered_json::parse_event_t ev,
                                                           nlohmann::ordered_json& parsed) {
    if (ev == nlohmann::ordered_json::parse_event_t::key && depth == 1 && !top_keys.insert(parsed.get<std::string>()).second)
      duplicate = parsed.get<std::string>();
    return true;
  };
  nlohmann::ordered_json header;
  try {
    header = nlohmann::ordered_json::parse(hbegin, hend, cb);
  } catch (const nlohmann::json::exception& e) {
    throw InputError(bad + "header is not valid JSON (" + std::string(e.what()) + ")");
  }
  if (!duplicate.empty()) throw InputError(origin + ": duplicate tensor '" + duplicate + "' in the header");
  if (!header.is_object()) throw InputError(bad + "header is not a JSON object");

  SafeTensors st;
  const std::uint64_t buffer = bytes.size() - 8 - n;
  struct Span {
    std::uint64_t begin, end;
    std::size_t index;
  };
  std::vector<Span> spans;
  for (const auto& [name, v] : header.items()) {
    if (name == "__metadata__") {
      if (!v.is_object()) throw InputError(origin + ": __metadata__ is not a JSON object");
      for (const auto& [k, s] : v.items()) {
        if (!s.is_string()) throw InputError(origin + ": __metadata__ entry '" + k + "' is not a string");
        st.metadata[k] = s.get<std::string>();
      }
      continue;
    }
    const std::string where = origin + ": tensor '" + name + "'";
    if (!v.is_object() || !v.contains("dtype") || !v.contains("shape") || !v.contains("data_offsets"))
      throw InputError(where + ": expected {dtype, shape, data_offsets}");
    if (!v["dtype"].is_string()) throw InputError(where + ": dtype is not a string");
    Tensor t;
    t.name = name;
    const std::string dt = v["dtype"].get<std::string>();
    if (!parse_dtype(dt, t.dtype))
      throw InputError(where + ": unsupported dtype '" + dt + "' (rcsim reads F32, F64, I8, U8, I16, I32, I64)");
    if (!v["shape"].is_array()) throw InputError(where + ": shape is not a list");
    for (const auto& d : v["shape"]) {
      if (!d.is_number_unsigned()) throw InputError(where + ": shape entries must be non-negative integers");
      if (d.get<std::uint64_t>() > std::uint64_t(std::numeric_limits<std::int64_t>::max()))
        throw InputError(where + ": shape is implausibly large");
      t.shape.push_back(d.get<std::int64_t>());
    }
    const auto& off = v["data_offsets"];
    if (!off.is_array() || off.size() != 2 || !off[0].is_number_unsigned() || !off[1].is_number_unsigned())
      throw InputError(where + ": data_offsets must be [begin, end]");
    const std::uint64_t b = off[0].get<std::uint64_t>(), e = off[1].get<std::uint64_t>();
    if (b > e || e > buffer)
      throw InputError(where + ": data_offsets [" + std::to_string(b) + ", " + std::to_string(e) +
                       ") outside the " + std::to_string(buffer) + "-byte data buffer (truncated file?)");
    const std::int64_t numel = checked_numel(t.shape, where);
    if (e - b != std::uint64_t(numel) * dtype_size(t.dtype))
      throw InputError(where + ": holds " + std::to_string(e - b) + " bytes, its shape and dtype " + dt + " need " +
                       std::to_string(std::uint64_t(numel) * dtype_size(t.dtype)));
    spans.push_back({b, e, st.tensors.size()});
    const auto data0 = hend + std::ptrdiff_t(b);
    t.data.assign(data0, data0 + std::ptrdiff_t(e - b));
    st.tensors.push_back(std::move(t));
  }
  // The data buffer must be covered exactly: no gaps, no overlaps, nothing left over.
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.begin != b.begin ? a.begin < b.begin : a.end < b.end; });
  std::uint64_t pos = 0;
  for (const auto& s : spans) {
    if (s.begin != pos)
      throw InputError(origin + ": tensor '" + st.tensors[s.index].name + "' starts at byte " + std::to_string(s.begin) +
                       " of the data buffer, expected " + std::to_string(pos) + (s.begin < pos ? " (overlap)" : " (gap)"));
    pos = s.end;
  }
  if (pos != buffer)
    throw InputError(origin + ": " + std::to_string(buffer - pos) + " bytes after the last tensor (data buffer has " +
                     std::to_string(buffer) + ", tensors cover " + std::to_string(pos) + ")");
  return st;
}

void write_safetensors(const SafeTensors& st, const std::string& path) {
  const std::vector<std::uint8_t> bytes = encode_safetensors(st);
  // Temp file + fsync + rename (host/output_file.h): a crash or a full disk never leaves a
  // half-written weights file, and a failed write removes its temp file.
  write_file_atomic(path, std::string(bytes.begin(), bytes.end()));
}

SafeTensors read_safetensors(const std::string& path) { return decode_safetensors(read_binary_file(path), path); }

}  // namespace rcsim

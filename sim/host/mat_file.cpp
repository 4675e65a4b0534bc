#include "host/mat_file.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <limits>

#include "core/errors.h"
#include "host/binary_file.h"

namespace rcsim {

namespace {

std::uint32_t le32(const std::uint8_t* p) {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

std::size_t type_size(std::uint32_t t) {
  switch (t) {
    case 1: case 2: return 1;
    case 3: case 4: return 2;
    case 5: case 6: case 7: return 4;
    case 9: case 12: case 13: return 8;
    default: return 0;
  }
}

/// A data element located in a byte range: [data, data + size).
struct Element {
  std::uint32_t type = 0;
  const std::uint8_t* data = nullptr;
  std::size_t size = 0;
};

/// Reads the element at `pos` within [begin, end) and advances `pos` past it (and its padding).
Element next_element(const std::uint8_t* begin, std::size_t len, std::size_t& pos,
                     const std::string& origin, const std::string& what) {
  if (len - pos < 8) throw InputError(origin + ": truncated " + what + " (tag cut off)");
  const std::uint8_t* p = begin + pos;
  std::uint32_t type = le32(p);
  Element e;
  if (type >> 16) {  // small data element: 2-byte size, 2-byte type, 4 data bytes
    e.type = type & 0xffff;
    e.size = type >> 16;
    if (e.size > 4) throw InputError(origin + ": corrupt " + what + " (small element of " + std::to_string(e.size) + " bytes)");
    e.data = p + 4;
    pos += 8;
    return e;
  }
  e.type = type;
  e.size = le32(p + 4);
  if (e.size > len - pos - 8)
    throw InputError(origin + ": truncated " + what + " (element of " + std::to_string(e.size) + " bytes, " +
                     std::to_string(len - pos - 8) + " left)");
  e.data = p + 8;
  pos += 8 + e.size;
  // Compressed elements are not padded; everything else is padded to 8 bytes.
  if (e.type != std::uint32_t(MatType::Compressed)) pos = std::min(len, (pos + 7) & ~std::size_t(7));
  return e;
}

std::vector<std::uint8_t> inflate_element(const Element& e, const std::string& origin) {
  // The inflated stream holds one element whose tag gives its size: inflate the tag first so
  // the output can be allocated exactly (and a corrupt size cannot ask for gigabytes).
  z_stream zs{};
  if (inflateInit(&zs) != Z_OK) throw InputError(origin + ": zlib initialisation failed");
  zs.next_in = const_cast<Bytef*>(e.data);
  zs.avail_in = static_cast<uInt>(e.size);
  std::vector<std::uint8_t> out(8);
  zs.next_out = out.data();
  zs.avail_out = 8;
  int rc = Z_OK;
  while (zs.avail_out > 0 && rc == Z_OK) rc = inflate(&zs, Z_NO_FLUSH);
  auto fail = [&](const std::string& why) {
    inflateEnd(&zs);
    throw InputError(origin + ": corrupt compressed element (" + why + ")");
  };
  if (zs.avail_out > 0) fail(rc == Z_OK || rc == Z_BUF_ERROR || rc == Z_STREAM_END ? "truncated zlib stream" : zs.msg ? zs.msg : "zlib error");
  const std::uint32_t t0 = le32(out.data());
  std::uint64_t total = 8;
  if ((t0 >> 16) == 0) total += le32(out.data() + 4);
  // zlib cannot expand more than ~1032:1.
  if (total > std::uint64_t(e.size) * 1100 + 1024) fail("declared size " + std::to_string(total) + " is impossible for " + std::to_string(e.size) + " compressed bytes");
  out.resize(total);
  zs.next_out = out.data() + 8;
  zs.avail_out = static_cast<uInt>(total - 8);
  while (zs.avail_out > 0 && rc == Z_OK) rc = inflate(&zs, Z_NO_FLUSH);
  if (zs.avail_out > 0) fail(rc == Z_OK || rc == Z_BUF_ERROR || rc == Z_STREAM_END ? "truncated zlib stream" : zs.msg ? zs.msg : "zlib error");
  if (rc != Z_STREAM_END) {
    // Run to the end of the stream so the Adler-32 checksum is verified.
    std::uint8_t extra;
    zs.next_out = &extra;
    zs.avail_out = 1;
    rc = inflate(&zs, Z_FINISH);
    if (rc != Z_STREAM_END) fail(zs.avail_out == 0 ? "more data than its tag declares" : zs.msg ? zs.msg : "truncated zlib stream");
  }
  inflateEnd(&zs);
  return out;
}

bool is_numeric_class(std::uint32_t c) { return c >= 6 && c <= 15; }

/// Decodes a miMATRIX element; returns false for arrays that are not real numeric (skipped).
bool parse_matrix(const Element& m, const std::string& origin, const std::vector<std::string>& wanted,
                  MatArray& out) {
  if (m.size == 0) return false;  // empty placeholder arrays
  std::size_t pos = 0;
  const Element flags = next_element(m.data, m.size, pos, origin, "array flags");
  if (flags.type != 6 || flags.size != 8) throw InputError(origin + ": corrupt array flags");
  const std::uint32_t f = le32(flags.data);
  const std::uint32_t cls = f & 0xff;
  const Element dims = next_element(m.data, m.size, pos, origin, "array dimensions");
  if (dims.type != 5 || dims.size % 4 != 0 || dims.size < 8)
    throw InputError(origin + ": corrupt array dimensions");
  const Element name = next_element(m.data, m.size, pos, origin, "array name");
  if (name.type != 1 && name.type != 2) throw InputError(origin + ": corrupt array name");
  out.name.assign(reinterpret_cast<const char*>(name.data), name.size);
  if (!wanted.empty() && std::find(wanted.begin(), wanted.end(), out.name) == wanted.end()) return false;
  if (!is_numeric_class(cls)) return false;  // char, cell, struct, sparse, object
  if (f & 0x800) throw InputError(origin + ": variable '" + out.name + "' is complex (only real arrays are supported)");
  out.cls = static_cast<MatClass>(cls);
  out.dims.clear();
  std::int64_t numel = 1;
  for (std::size_t i = 0; i < dims.size / 4; ++i) {
    std::int32_t d;
    std::memcpy(&d, dims.data + 4 * i, 4);
    if (d < 0) throw InputError(origin + ": variable '" + out.name + "' has a negative dimension");
    out.dims.push_back(d);
    if (d != 0 && numel > std::numeric_limits<std::int64_t>::max() / 8 / d)
      throw InputError(origin + ": variable '" + out.name + "' is implausibly large");
    numel *= d;
  }
  const Element real = next_element(m.data, m.size, pos, origin, "data of '" + out.name + "'");
  const std::size_t es = type_size(real.type);
  if (es == 0) throw InputError(origin + ": variable '" + out.name + "' has unsupported data type " + std::to_string(real.type));
  if (real.size != std::size_t(numel) * es)
    throw InputError(origin + ": variable '" + out.name + "' holds " + std::to_string(real.size) + " data bytes, its " +
                     std::to_string(out.dims.size()) + "-d shape needs " + std::to_string(std::size_t(numel) * es));
  out.storage = static_cast<MatType>(real.type);
  out.bytes.assign(real.data, real.data + real.size);
  return true;
}

}  // namespace

const char* to_string(MatClass c) {
  switch (c) {
    case MatClass::Double: return "double";
    case MatClass::Single: return "single";
    case MatClass::Int8: return "int8";
    case MatClass::UInt8: return "uint8";
    case MatClass::Int16: return "int16";
    case MatClass::UInt16: return "uint16";
    case MatClass::Int32: return "int32";
    case MatClass::UInt32: return "uint32";
    case MatClass::Int64: return "int64";
    case MatClass::UInt64: return "uint64";
  }
  return "?";
}

std::int64_t MatArray::numel() const {
  std::int64_t n = 1;
  for (auto d : dims) n *= d;
  return n;
}

double MatArray::value(std::size_t i) const {
  const std::uint8_t* p = bytes.data() + i * type_size(std::uint32_t(storage));
  switch (storage) {
    case MatType::Int8: return load_le<std::int8_t>(p);
    case MatType::UInt8: return load_le<std::uint8_t>(p);
    case MatType::Int16: return load_le<std::int16_t>(p);
    case MatType::UInt16: return load_le<std::uint16_t>(p);
    case MatType::Int32: return load_le<std::int32_t>(p);
    case MatType::UInt32: return load_le<std::uint32_t>(p);
    case MatType::Single: return load_le<float>(p);
    case MatType::Double: return load_le<double>(p);
    case MatType::Int64: return double(load_le<std::int64_t>(p));
    case MatType::UInt64: return double(load_le<std::uint64_t>(p));
    default: return 0;
  }
}

std::vector<MatArray> parse_mat(const std::vector<std::uint8_t>& file, const std::string& origin,
                                const std::vector<std::string>& wanted) {
  if (file.size() < 128) throw InputError(origin + ": not a MAT file (shorter than the 128-byte header)");
  const std::string text(reinterpret_cast<const char*>(file.data()), 116);
  if (text.rfind("MATLAB", 0) != 0) throw InputError(origin + ": not a MATLAB MAT-file (header does not start with 'MATLAB')");
  const std::uint16_t version = std::uint16_t(file[124] | (file[125] << 8));
  if (file[126] == 'M' && file[127] == 'I') throw InputError(origin + ": big-endian MAT files are not supported");
  if (file[126] != 'I' || file[127] != 'M') throw InputError(origin + ": not a MAT-file (bad endian indicator)");
  if (version == 0x0200)
    throw InputError(origin + ": MATLAB v7.3 (HDF5) files are not supported; resave with save(..., '-v7')");
  if (version != 0x0100) throw InputError(origin + ": unsupported MAT-file version 0x" + std::to_string(version));
  std::vector<MatArray> out;
  std::size_t pos = 128;
  while (file.size() - pos >= 8) {
    const Element e = next_element(file.data(), file.size(), pos, origin, "data element");
    MatArray a;
    if (e.type == std::uint32_t(MatType::Compressed)) {
      const std::vector<std::uint8_t> inner = inflate_element(e, origin);
      std::size_t ipos = 0;
      const Element m = next_element(inner.data(), inner.size(), ipos, origin, "compressed element");
      if (m.type == std::uint32_t(MatType::Matrix) && parse_matrix(m, origin, wanted, a)) out.push_back(std::move(a));
    } else if (e.type == std::uint32_t(MatType::Matrix)) {
      if (parse_matrix(e, origin, wanted, a)) out.push_back(std::move(a));
    } else if (type_size(e.type) == 0 && e.type != 16 && e.type != 17 && e.type != 18) {
      throw InputError(origin + ": unknown data element type " + std::to_string(e.type));
    }
  }
  if (pos != file.size()) throw InputError(origin + ": truncated MAT file (" + std::to_string(file.size() - pos) + " stray bytes at the end)");
  return out;
}

std::vector<MatArray> read_mat_file(const std::string& path, const std::vector<std::string>& wanted) {
  return parse_mat(read_binary_file(path), path, wanted);
}

const MatArray& find_mat_array(const std::vector<MatArray>& arrays, const std::string& name,
                               const std::string& origin) {
  for (const auto& a : arrays)
    if (a.name == name) return a;
  throw InputError(origin + ": no numeric variable '" + name + "'");
}

}  // namespace rcsim

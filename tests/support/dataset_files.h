#pragma once
// Writers of tiny dataset files in the exact on-disk formats, for the loader tests.
#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace rcsim::testfiles {

using Bytes = std::vector<std::uint8_t>;

inline std::string temp_dir(const std::string& name) {
  const auto dir = std::filesystem::path(::testing::TempDir()) / ("rcsim_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

inline void write_file(const std::string& path, const Bytes& b) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(b.data()), std::streamsize(b.size()));
}

inline void write_gzip(const std::string& path, const Bytes& b) {
  gzFile f = gzopen(path.c_str(), "wb");
  gzwrite(f, b.data(), unsigned(b.size()));
  gzclose(f);
}

inline void put_le32(Bytes& b, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b.push_back(std::uint8_t(v >> (8 * i)));
}
inline void put_be32(Bytes& b, std::uint32_t v) {
  for (int i = 3; i >= 0; --i) b.push_back(std::uint8_t(v >> (8 * i)));
}

inline Bytes idx(std::uint32_t magic, const std::vector<std::uint32_t>& dims, const Bytes& values) {
  Bytes b;
  put_be32(b, magic);
  for (auto d : dims) put_be32(b, d);
  b.insert(b.end(), values.begin(), values.end());
  return b;
}

// ---- MATLAB v5 ----
constexpr std::uint32_t miINT8 = 1, miUINT8 = 2, miINT32 = 5, miUINT32 = 6, miDOUBLE = 9, miMATRIX = 14,
                        miCOMPRESSED = 15;

/// A data element: tag + data + padding to 8 bytes (small-element form when data ≤ 4 bytes and `small`).
inline Bytes mat_element(std::uint32_t type, const Bytes& data, bool small = false) {
  Bytes b;
  if (small && data.size() <= 4) {
    put_le32(b, (std::uint32_t(data.size()) << 16) | type);
    b.insert(b.end(), data.begin(), data.end());
    b.resize(8, 0);
    return b;
  }
  put_le32(b, type);
  put_le32(b, std::uint32_t(data.size()));
  b.insert(b.end(), data.begin(), data.end());
  while (b.size() % 8) b.push_back(0);
  return b;
}

template <class T>
Bytes raw(const std::vector<T>& v) {
  Bytes b(v.size() * sizeof(T));
  if (!b.empty()) std::memcpy(b.data(), v.data(), b.size());  // an empty vector's data() may be null
  return b;
}

inline Bytes mat_matrix(const std::string& name, std::uint8_t cls, const std::vector<std::int32_t>& dims,
                        std::uint32_t storage, const Bytes& data) {
  Bytes content = mat_element(miUINT32, raw(std::vector<std::uint32_t>{cls, 0}));
  const Bytes d = mat_element(miINT32, raw(dims));
  const Bytes n = mat_element(miINT8, Bytes(name.begin(), name.end()), /*small=*/true);
  const Bytes r = mat_element(storage, data);
  for (const Bytes* p : {&d, &n, &r}) content.insert(content.end(), p->begin(), p->end());
  return mat_element(miMATRIX, content);
}

inline Bytes mat_compressed(const Bytes& element) {
  uLongf len = compressBound(uLong(element.size()));
  Bytes z(len);
  compress2(z.data(), &len, element.data(), uLong(element.size()), 6);
  z.resize(len);
  Bytes b;
  put_le32(b, miCOMPRESSED);
  put_le32(b, std::uint32_t(z.size()));
  b.insert(b.end(), z.begin(), z.end());
  return b;
}

inline Bytes mat_header() {
  std::string text = "MATLAB 5.0 MAT-file, Platform: GLNXA64, Created on: Fri Nov 27 00:00:00 2026";
  text.resize(116, ' ');
  Bytes b(text.begin(), text.end());
  b.resize(124, 0);  // subsystem data offset
  b.push_back(0x00);
  b.push_back(0x01);  // version 0x0100
  b.push_back('I');
  b.push_back('M');
  return b;
}

/// SVHN-style file with n images: X(i,j,c,k) = svhn_pixel(i,j,c,k), y(k) = k % 10 + 1 (double).
inline std::uint8_t svhn_pixel(int i, int j, int c, int k) { return std::uint8_t((i * 7 + j * 3 + c * 50 + k * 11) % 256); }

inline Bytes svhn_mat(int n, bool compressed) {
  Bytes x(std::size_t(n) * 3072);
  for (int k = 0; k < n; ++k)
    for (int c = 0; c < 3; ++c)
      for (int j = 0; j < 32; ++j)
        for (int i = 0; i < 32; ++i) x[std::size_t(i + 32 * j + 1024 * c + 3072 * k)] = svhn_pixel(i, j, c, k);
  std::vector<double> y;
  for (int k = 0; k < n; ++k) y.push_back(k % 10 + 1);
  Bytes file = mat_header();
  const Bytes ex = mat_matrix("X", 9 /*uint8*/, {32, 32, 3, n}, miUINT8, x);
  const Bytes ey = mat_matrix("y", 6 /*double*/, {n, 1}, miDOUBLE, raw(y));
  for (const Bytes* e : {&ex, &ey}) {
    const Bytes el = compressed ? mat_compressed(*e) : *e;
    file.insert(file.end(), el.begin(), el.end());
  }
  return file;
}

}  // namespace rcsim::testfiles

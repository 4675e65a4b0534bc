#pragma once
// IDX files (the MNIST / Fashion-MNIST container): magic 0x0000 <type> <ndims>, big-endian u32
// dimensions, then the raw values. Only unsigned-byte data (type 0x08) is supported, which is
// all the MNIST family uses.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace rcsim {

struct IdxArray {
  std::uint32_t magic = 0;               ///< e.g. 0x00000803 for 3-dimensional ubyte images
  std::vector<std::uint32_t> dims;       ///< outermost first, as in the file
  std::vector<std::uint8_t> values;      ///< product(dims) bytes
};

/// Parses IDX bytes; `origin` names the file in InputError messages.
IdxArray parse_idx(const std::vector<std::uint8_t>& bytes, const std::string& origin);

/// Reads a gzip-compressed (or plain: zlib passes those through) IDX file.
IdxArray read_idx_gz(const std::string& path);

/// Cap on what a gzip file may expand to: Fashion-MNIST's largest file (train images) is 47 MB;
/// a 4 MB "gzip bomb" would otherwise expand to 4 GiB.
inline constexpr std::size_t kMaxGzipExpandedBytes = std::size_t(256) << 20;

/// Reads a whole gzip file through zlib; a truncated or corrupt stream, or one that expands past
/// `max_bytes`, is an InputError.
std::vector<std::uint8_t> read_gzip_file(const std::string& path, std::size_t max_bytes = kMaxGzipExpandedBytes);

}  // namespace rcsim

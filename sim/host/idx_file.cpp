#include "host/idx_file.h"

#include <zlib.h>

#include <algorithm>
#include <filesystem>

#include "core/errors.h"

namespace rcsim {

namespace {
std::uint32_t be32(const std::uint8_t* p) {
  return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | p[3];
}
}  // namespace

IdxArray parse_idx(const std::vector<std::uint8_t>& bytes, const std::string& origin) {
  if (bytes.size() < 4) throw InputError(origin + ": truncated IDX file (" + std::to_string(bytes.size()) + " bytes)");
  IdxArray a;
  a.magic = be32(bytes.data());
  if (bytes[0] != 0 || bytes[1] != 0)
    throw InputError(origin + ": not an IDX file (bad magic number)");
  if (bytes[2] != 0x08)
    throw InputError(origin + ": unsupported IDX element type 0x" + std::to_string(bytes[2]) + " (only unsigned bytes)");
  const int ndims = bytes[3];
  if (ndims < 1) throw InputError(origin + ": IDX file with 0 dimensions");
  const std::size_t header = 4 + 4 * std::size_t(ndims);
  if (bytes.size() < header) throw InputError(origin + ": truncated IDX header");
  std::uint64_t count = 1;
  for (int d = 0; d < ndims; ++d) {
    a.dims.push_back(be32(bytes.data() + 4 + 4 * d));
    count *= a.dims.back();
    if (count > (std::uint64_t(1) << 40)) throw InputError(origin + ": IDX dimensions are implausibly large");
  }
  if (bytes.size() - header != count)
    throw InputError(origin + ": IDX data has " + std::to_string(bytes.size() - header) +
                     " bytes, the header's dimensions need " + std::to_string(count) +
                     (bytes.size() - header < count ? " (truncated file)" : ""));
  a.values.assign(bytes.begin() + std::ptrdiff_t(header), bytes.end());
  return a;
}

std::vector<std::uint8_t> read_gzip_file(const std::string& path, std::size_t max_bytes) {
  if (!std::filesystem::is_regular_file(path)) throw InputError(path + ": file not found");
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) throw InputError(path + ": cannot open file");
  std::vector<std::uint8_t> out;
  constexpr unsigned chunk = 1u << 20;
  for (;;) {
    const std::size_t old = out.size();
    out.resize(old + chunk);
    const int n = gzread(f, out.data() + old, chunk);
    if (n < 0) {
      int err = 0;
      const std::string msg = gzerror(f, &err);
      gzclose(f);
      throw InputError(path + ": corrupt gzip data (" + msg + ")");
    }
    out.resize(old + std::size_t(n));
    if (n == 0) break;
    if (out.size() > max_bytes) {
      gzclose(f);
      throw InputError(path + ": expands to more than " + std::to_string(max_bytes >> 20) +
                       " MiB (not a dataset file, or a gzip bomb)");
    }
  }
  int err = 0;
  const std::string msg = gzerror(f, &err);
  gzclose(f);
  // A stream cut short reads as end of file; zlib flags it as Z_BUF_ERROR.
  if (err != Z_OK && err != Z_STREAM_END) throw InputError(path + ": corrupt or truncated gzip data (" + msg + ")");
  return out;
}

IdxArray read_idx_gz(const std::string& path) {
  // Read the header first and then only as many bytes as its dimensions promise (plus one, to
  // notice extra data): a bogus or hostile file stops at its header instead of being inflated
  // up to the gzip cap.
  if (!std::filesystem::is_regular_file(path)) throw InputError(path + ": file not found");
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) throw InputError(path + ": cannot open file");
  std::vector<std::uint8_t> bytes;
  auto read_to = [&](std::uint64_t want) {
    while (bytes.size() < want) {
      const std::size_t old = bytes.size();
      const unsigned chunk = unsigned(std::min<std::uint64_t>(want - old, 1u << 20));
      bytes.resize(old + chunk);
      const int n = gzread(f, bytes.data() + old, chunk);
      if (n < 0) {
        int err = 0;
        const std::string msg = gzerror(f, &err);
        gzclose(f);
        throw InputError(path + ": corrupt gzip data (" + msg + ")");
      }
      bytes.resize(old + std::size_t(n));
      if (n == 0) break;
    }
  };
  read_to(4);
  std::uint64_t want = bytes.size();
  if (bytes.size() == 4 && bytes[0] == 0 && bytes[1] == 0 && bytes[2] == 0x08 && bytes[3] >= 1) {
    const std::uint64_t header = 4 + 4 * std::uint64_t(bytes[3]);
    read_to(header);
    want = bytes.size();
    if (bytes.size() == header) {
      std::uint64_t count = 1;
      for (std::uint64_t d = 0; d < bytes[3] && count <= kMaxGzipExpandedBytes; ++d) count *= be32(bytes.data() + 4 + 4 * d);
      if (count > kMaxGzipExpandedBytes) {
        gzclose(f);
        throw InputError(path + ": IDX dimensions need more than " + std::to_string(kMaxGzipExpandedBytes >> 20) +
                         " MiB (not a dataset file?)");
      }
      want = header + count + 1;
    }
  }
  read_to(want);
  int err = 0;
  const std::string msg = gzerror(f, &err);
  gzclose(f);
  if (err != Z_OK && err != Z_STREAM_END) throw InputError(path + ": corrupt or truncated gzip data (" + msg + ")");
  return parse_idx(bytes, path);
}

}  // namespace rcsim

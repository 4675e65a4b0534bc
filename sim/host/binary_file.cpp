#include "host/binary_file.h"

#include <filesystem>
#include <fstream>

#include "core/errors.h"

namespace rcsim {

std::vector<std::uint8_t> read_binary_file(const std::string& path, const std::string& hint) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw InputError(path + ": file not found" + (hint.empty() ? "" : " (" + hint + ")"));
  std::ifstream in(path, std::ios::binary);
  const auto size = std::filesystem::file_size(path, ec);
  if (!in || ec) throw InputError(path + ": cannot open file");
  std::vector<std::uint8_t> bytes(size);
  if (!in.read(reinterpret_cast<char*>(bytes.data()), std::streamsize(bytes.size())))
    throw InputError(path + ": read error");
  return bytes;
}

}  // namespace rcsim

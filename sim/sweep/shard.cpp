#include "sweep/shard.h"

#include <cstdlib>

#include "core/errors.h"

namespace rcsim::sweep {

Shard parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  auto bad = [&](const std::string& why) {
    return InputError("--shard '" + text + "': " + why);
  };
  if (slash == std::string::npos) throw bad("expected i/N, e.g. 0/4");
  char* e1 = nullptr;
  char* e2 = nullptr;
  const std::string a = text.substr(0, slash), b = text.substr(slash + 1);
  const long i = std::strtol(a.c_str(), &e1, 10);
  const long n = std::strtol(b.c_str(), &e2, 10);
  if (a.empty() || b.empty() || *e1 || *e2) throw bad("expected two integers i/N");
  if (n < 1 || n > 1000000) throw bad("N must be between 1 and 1000000");
  if (i < 0 || i >= n) throw bad("i must satisfy 0 <= i < N");
  return {int(i), int(n)};
}

std::vector<std::size_t> shard_indices(std::size_t num_points, const Shard& shard) {
  std::vector<std::size_t> out;
  for (std::size_t i = std::size_t(shard.index); i < num_points; i += std::size_t(shard.count))
    out.push_back(i);
  return out;
}

}  // namespace rcsim::sweep

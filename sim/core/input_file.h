#pragma once
// Reading a whole input file (YAML, CSV, journal) without trusting it: a directory, device, FIFO or
// socket is refused instead of read to EOF (`--net /dev/zero` would never end), and a file larger
// than a cap is refused before anything is allocated.
#include <cstddef>
#include <string>

namespace rcsim {

/// Cap on a YAML configuration file (network, arch, energy, sweep spec): the largest shipped one is
/// under 100 KiB; an imported network's YAML names its weights file, so it stays small too.
inline constexpr std::size_t kMaxConfigFileBytes = std::size_t(64) << 20;  // 64 MiB
/// Cap on a CSV / journal read whole (sweep results, governor traces).
inline constexpr std::size_t kMaxTableFileBytes = std::size_t(1) << 30;  // 1 GiB

/// Which error a refused file is: a config file → ConfigError, a data file → InputError.
enum class InputKind { Config, Data };

/// The contents of the regular file `path` (symlinks followed). Throws ConfigError or InputError
/// (by `kind`) naming the path when it cannot be opened, is not a regular file, or exceeds
/// `max_bytes`.
std::string read_input_file(const std::string& path, InputKind kind, std::size_t max_bytes);

}  // namespace rcsim

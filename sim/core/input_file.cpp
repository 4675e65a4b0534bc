#include "core/input_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>

#include "core/errors.h"

namespace rcsim {

namespace {

[[noreturn]] void fail(InputKind kind, const std::string& msg) {
  if (kind == InputKind::Config) throw ConfigError(msg);
  throw InputError(msg);
}

std::string type_name(mode_t m) {
  if (S_ISDIR(m)) return "Is a directory";
  if (S_ISCHR(m) || S_ISBLK(m)) return "a device, not a regular file";
  if (S_ISFIFO(m)) return "a pipe, not a regular file";
  if (S_ISSOCK(m)) return "a socket, not a regular file";
  return "not a regular file";
}

struct Fd {
  int fd;
  ~Fd() { ::close(fd); }
};

}  // namespace

std::string read_input_file(const std::string& path, InputKind kind, std::size_t max_bytes) {
  // O_NONBLOCK: opening a FIFO for reading must not wait for a writer; fstat then refuses it.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) fail(kind, path + ": cannot open file: " + std::strerror(errno));
  Fd guard{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) fail(kind, path + ": cannot read: " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) fail(kind, path + ": cannot read: " + type_name(st.st_mode));
  if (std::uint64_t(st.st_size) > max_bytes)
    fail(kind, path + ": file is " + std::to_string(st.st_size) + " bytes, more than the " +
                   std::to_string(max_bytes >> 20) + " MiB this reader accepts");
  std::string out(std::size_t(st.st_size), '\0');
  std::size_t done = 0;
  // A file that grows while it is read is read up to the cap and no further.
  for (;;) {
    if (done == out.size()) {
      if (out.size() >= max_bytes + 1) break;
      out.resize(std::min(max_bytes + 1, out.size() + 65536));
    }
    const ssize_t n = ::read(fd, &out[done], out.size() - done);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      fail(kind, path + ": read error: " + std::strerror(errno));
    }
    if (n == 0) break;
    done += std::size_t(n);
  }
  if (done > max_bytes)
    fail(kind, path + ": file is more than the " + std::to_string(max_bytes >> 20) + " MiB this reader accepts");
  out.resize(done);
  return out;
}

}  // namespace rcsim

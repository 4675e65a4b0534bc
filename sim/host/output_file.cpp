#include "host/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "core/errors.h"

namespace rcsim {

void create_output_directory(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw EnvironmentError(dir + ": cannot create the output directory: " + ec.message());
  if (!std::filesystem::is_directory(dir, ec))
    throw EnvironmentError(dir + ": cannot create the output directory: a file of that name exists");
  // Root ignores permission bits, so ask the kernel (read-only mounts, ACLs) rather than the mode.
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    throw EnvironmentError(dir + ": output directory is not writable: " + std::strerror(errno));
}

// A directory fails in rename() with its own message; a symlink is replaced, not followed.
void refuse_non_regular_target(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode) && !S_ISLNK(st.st_mode))
    throw EnvironmentError(path + ": cannot write: it exists and is not a regular file");
}

void sync_file(const std::string& path) {
  // fsync() on any descriptor of the file flushes its data: the writer may have closed its own.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw EnvironmentError(path + ": cannot open to sync it: " + std::strerror(errno));
  if (::fsync(fd) != 0 && errno != EINVAL) {
    const int err = errno;
    ::close(fd);
    throw EnvironmentError(path + ": fsync failed: " + std::strerror(err));
  }
  ::close(fd);
}

void sync_parent_directory(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw EnvironmentError(dir + ": cannot open the directory to sync it: " + std::strerror(errno));
  // EINVAL: the file system cannot sync directories (some FUSE/network mounts); nothing to wait for.
  if (::fsync(fd) != 0 && errno != EINVAL) {
    const int err = errno;
    ::close(fd);
    throw EnvironmentError(dir + ": fsync of the directory failed: " + std::strerror(err));
  }
  ::close(fd);
}

void commit_file(const std::string& tmp, const std::string& path) {
  try {
    refuse_non_regular_target(path);
  } catch (const EnvironmentError&) {
    ::unlink(tmp.c_str());
    throw;
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw EnvironmentError(path + ": cannot write: " + std::strerror(err));
  }
  sync_parent_directory(path);
}

void write_file_atomic(const std::string& path, const std::string& contents) {
  refuse_non_regular_target(path);
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw EnvironmentError(tmp + ": cannot create: " + std::strerror(errno));
  std::size_t done = 0;
  while (done < contents.size()) {
    const ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      throw EnvironmentError(tmp + ": write failed: " + std::strerror(err));
    }
    done += std::size_t(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw EnvironmentError(tmp + ": fsync/close failed: " + std::strerror(err));
  }
  commit_file(tmp, path);
}

void require_complete_image(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw EnvironmentError(path + ": was not written: " + std::strerror(errno));
  struct stat st {};
  std::string tail(64, '\0');
  ssize_t n = 0;
  if (::fstat(fd, &st) == 0 && st.st_size > 0) {
    const off_t from = st.st_size > off_t(tail.size()) ? st.st_size - off_t(tail.size()) : 0;
    n = ::pread(fd, tail.data(), tail.size(), from);
  }
  ::close(fd);
  tail.resize(n > 0 ? std::size_t(n) : 0);
  auto ends_with = [&](const std::string& s) {
    return tail.size() >= s.size() && tail.compare(tail.size() - s.size(), s.size(), s) == 0;
  };
  auto named = [&path](const std::string& suffix) {
    return path.size() > suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  const bool png = named(".png") || named(".png.tmp");
  const bool ok = png ? ends_with(std::string("IEND\xAE\x42\x60\x82", 8)) : tail.find("</svg>") != std::string::npos;
  if (!ok) {
    ::unlink(path.c_str());
    throw EnvironmentError(path + ": the image is incomplete (disk full?); removed it");
  }
}

}  // namespace rcsim

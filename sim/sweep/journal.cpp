#include "sweep/journal.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "core/errors.h"

namespace rcsim::sweep {

std::string row_to_json_line(const Params& row) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& [k, v] : row) j[k] = v;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

Params row_from_json_line(const std::string& line, const std::string& origin) {
  nlohmann::ordered_json j;
  try {
    j = nlohmann::ordered_json::parse(line);
  } catch (const nlohmann::json::exception& e) {
    throw InputError(origin + ": not a sweep journal line (" + e.what() + ")");
  }
  if (!j.is_object()) throw InputError(origin + ": not a sweep journal line (expected an object)");
  Params p;
  for (const auto& [k, v] : j.items()) {
    if (!v.is_string()) throw InputError(origin + ": field '" + k + "' is not a string");
    p.emplace_back(k, v.get<std::string>());
  }
  return p;
}

Journal::Journal(std::string path) : path_(std::move(path)) {
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) throw EnvironmentError(path_ + ": cannot open journal: " + std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd_);
    fd_ = -1;
    throw InputError(path_ + ": another rcsim sweep is writing this result file");
  }
  existing_ = read_rows(true);
}

std::vector<Params> Journal::read_rows(bool truncate_torn_tail) {
  std::string text;
  char buf[65536];
  ssize_t n;
  while ((n = ::pread(fd_, buf, sizeof buf, off_t(text.size()))) > 0) text.append(buf, std::size_t(n));
  if (n < 0) throw EnvironmentError(path_ + ": cannot read journal: " + std::strerror(errno));
  const std::size_t keep = text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1;
  if (keep < text.size() && truncate_torn_tail) {
    dropped_ = text.size() - keep;
    if (::ftruncate(fd_, off_t(keep)) != 0 || ::fsync(fd_) != 0)
      throw EnvironmentError(path_ + ": cannot truncate torn journal line: " + std::strerror(errno));
  }
  std::vector<Params> rows;
  std::size_t start = 0, line_no = 1;
  while (start < keep) {
    const std::size_t end = text.find('\n', start);
    if (end > start)
      rows.push_back(row_from_json_line(text.substr(start, end - start), path_ + ":" + std::to_string(line_no)));
    start = end + 1;
    ++line_no;
  }
  return rows;
}

std::vector<Params> Journal::read_all() {
  std::lock_guard<std::mutex> lock(mu_);
  return read_rows(false);
}

Journal::~Journal() {
  if (fd_ >= 0) ::close(fd_);
}

void Journal::append(const Params& row) {
  const std::string line = row_to_json_line(row);
  std::lock_guard<std::mutex> lock(mu_);
  // One write() of the whole line: with O_APPEND the line lands contiguously at the end.
  const off_t before = ::lseek(fd_, 0, SEEK_END);
  const ssize_t n = ::write(fd_, line.data(), line.size());
  if (n != ssize_t(line.size())) {
    const int err = n < 0 ? errno : ENOSPC;  // a short write sets no errno: the disk is full
    // Drop the partial line now: the next append would otherwise glue onto it, making a complete
    // but invalid line that refuses the journal on resume.
    // Best effort: if this fails too, opening the journal drops the torn tail.
    if (before >= 0) {
      const int rc = ::ftruncate(fd_, before);
      (void)rc;
    }
    throw EnvironmentError(path_ + ": journal write failed: " + std::strerror(err));
  }
  if (::fdatasync(fd_) != 0) throw EnvironmentError(path_ + ": fsync failed: " + std::strerror(errno));
}

}  // namespace rcsim::sweep

#pragma once
// The crash-safe record of finished design points: one JSON object per line, each appended with
// a single write() of the complete line followed by fsync(). A kill (even SIGKILL, even power
// loss after fsync returned) can therefore only lose the line being written; opening the
// journal drops such a torn last line (no trailing newline) by truncating the file to the last
// complete line. Lines that are complete but not valid JSON mean the file is not ours: error.
#include <mutex>
#include <string>
#include <vector>

#include "sweep/design_point.h"

namespace rcsim::sweep {

class Journal {
 public:
  /// Opens (creating if absent) `path`, reads its complete rows, truncates a torn tail. Holds an
  /// exclusive flock while open: a second sweep writing the same OUT is an InputError instead of
  /// two processes evaluating the same points.
  explicit Journal(std::string path);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  /// Rows that were already in the file when it was opened.
  const std::vector<Params>& existing() const { return existing_; }
  /// Number of torn bytes dropped on open (0 normally).
  std::size_t dropped_bytes() const { return dropped_; }
  /// Appends one row durably; thread-safe.
  void append(const Params& row);
  /// Every complete row in the file now (those existing at open plus the appended ones).
  std::vector<Params> read_all();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
  std::vector<Params> existing_;
  std::vector<Params> read_rows(bool truncate_torn_tail);
  std::size_t dropped_ = 0;
  std::mutex mu_;
};

/// One row as a JSON line (with the trailing '\n') and back (InputError naming origin).
std::string row_to_json_line(const Params& row);
Params row_from_json_line(const std::string& line, const std::string& origin);

}  // namespace rcsim::sweep

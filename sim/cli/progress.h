#pragma once
// A one-line progress meter on stderr for long commands (train, eval): "label done/total (p %),
// ETA m:ss", redrawn in place at most ten times a second. Only on a terminal: when stderr is a
// file or a pipe (logs, tests, CI) it prints nothing, so output stays stable and greppable.
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>

namespace rcsim::cli {

class ProgressMeter {
 public:
  /// `enabled`: draw at all (default: stderr is a terminal).
  explicit ProgressMeter(bool enabled = stderr_is_terminal());
  ~ProgressMeter();
  /// Starts a new task of `total` units; the ETA is measured from here.
  void start(std::string label, std::size_t total);
  /// `done` of the current task's units are finished (thread-safe; `note` is appended).
  void update(std::size_t done, const std::string& note = "");
  /// Erases the line (before ordinary output is printed).
  void clear();
  bool enabled() const { return enabled_; }

  static bool stderr_is_terminal();
  /// "1:05" / "1:02:03" for a number of seconds.
  static std::string clock_text(double seconds);
  /// The line drawn for `done` of `total` after `elapsed_s` (exposed for tests).
  static std::string line(const std::string& label, std::size_t done, std::size_t total, double elapsed_s,
                          const std::string& note);

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_;
  std::mutex mu_;
  std::string label_;
  std::size_t total_ = 0;
  Clock::time_point t0_, last_draw_;
  std::size_t drawn_width_ = 0;
};

}  // namespace rcsim::cli

#include "cli/progress.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace rcsim::cli {

ProgressMeter::ProgressMeter(bool enabled) : enabled_(enabled) {}

ProgressMeter::~ProgressMeter() { clear(); }

bool ProgressMeter::stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

std::string ProgressMeter::clock_text(double seconds) {
  const long s = std::lround(std::max(0.0, seconds));
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}

std::string ProgressMeter::line(const std::string& label, std::size_t done, std::size_t total, double elapsed_s,
                                const std::string& note) {
  std::string s = label + " " + std::to_string(done) + "/" + std::to_string(total);
  if (total > 0) s += " (" + std::to_string(100 * done / total) + " %)";
  // Remaining time at the rate so far; unknown until something finished.
  if (done > 0 && done < total) s += ", ETA " + clock_text(elapsed_s * double(total - done) / double(done));
  if (!note.empty()) s += ", " + note;
  return s;
}

void ProgressMeter::start(std::string label, std::size_t total) {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(mu_);
  label_ = std::move(label);
  total_ = total;
  t0_ = Clock::now();
  last_draw_ = Clock::time_point{};
}

void ProgressMeter::update(std::size_t done, const std::string& note) {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(mu_);
  const auto now = Clock::now();
  if (done < total_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  const std::string s = line(label_, done, total_, std::chrono::duration<double>(now - t0_).count(), note);
  // Pad over a longer previous line.
  std::fprintf(stderr, "\r%s%*s", s.c_str(), int(drawn_width_ > s.size() ? drawn_width_ - s.size() : 0), "");
  std::fflush(stderr);
  drawn_width_ = s.size();
}

void ProgressMeter::clear() {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (!drawn_width_) return;
  std::fprintf(stderr, "\r%*s\r", int(drawn_width_), "");
  std::fflush(stderr);
  drawn_width_ = 0;
}

}  // namespace rcsim::cli

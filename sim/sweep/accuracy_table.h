#pragma once
// The host model's per-width accuracy for sweep rows: the integer reference (bit-identical to
// the accelerator at every width) over a test set, computed once per network and cached.
// Accuracy does not depend on the array, dataflow, SRAMs, clock or technology, only on the
// network, the weights and the width.
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace rcsim::sweep {

class AccuracyTable {
 public:
  /// `weights`: a weights file for every network, or "" for each network's trained default
  /// (workloads/weights/…). `images`: first N test images (0 = all).
  AccuracyTable(std::string weights, int images) : weights_(std::move(weights)), images_(images) {}

  /// Accuracy of `net` at width k with `bits`-bit weights, or nullopt when no weights/dataset
  /// are available (why() says why) or the weights file has another precision (a 16-bit point
  /// needs 16-bit weights). Thread-safe; the first call per network does the work.
  std::optional<double> get(const std::string& net, int k, int bits);
  std::string why(const std::string& net);

 private:
  struct Entry {
    std::vector<double> per_width;
    int bits = 0;
    std::string why;
  };
  const Entry& entry(const std::string& net);
  std::string weights_;
  int images_;
  std::mutex mu_;
  std::map<std::string, Entry> cache_;
};

}  // namespace rcsim::sweep

#include <charconv>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "core/network_yaml.h"
#include "eval/model_source.h"
#include "sweep/evaluator.h"

namespace rcsim::sweep {

namespace {
std::string num(double v) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}
}  // namespace

Evaluator make_sleep_evaluator(int milliseconds) {
  auto macs_cache = std::make_shared<std::map<std::string, long long>>();
  auto mu = std::make_shared<std::mutex>();
  return [milliseconds, macs_cache, mu](const DesignPoint& p) -> Params {
    std::this_thread::sleep_for(std::chrono::milliseconds(milliseconds));
    const int width = std::stoi(p.get("width", "1"));
    long long macs;
    {
      std::lock_guard<std::mutex> lock(*mu);
      const std::string key = p.get("network") + "@" + std::to_string(width);
      auto it = macs_cache->find(key);
      if (it == macs_cache->end())
        it = macs_cache->emplace(key, eval::load_network_spec(p.get("network")).total_macs(width)).first;
      macs = it->second;
    }
    const double rows = std::stod(p.get("rows", "16")), cols = std::stod(p.get("cols", "16"));
    const double bits = std::stod(p.get("precision", "8"));
    const double clock = std::stod(p.get("clock_hz", "1e9"));
    // Synthetic: perfect utilization plus a fill/drain term; energy ∝ MACs·bits² plus leakage.
    const double cycles = std::ceil(double(macs) / (rows * cols)) + rows + cols;
    const double latency = cycles / clock;
    const double dynamic = double(macs) * 0.2e-12 * (bits / 8) * (bits / 8);
    const double stat = latency * 1e-6 * rows * cols;
    return {{"evaluator", "sleep"},
            {"cycles", num(cycles)},
            {"latency_s", num(latency)},
            {"macs", std::to_string(macs)},
            {"energy_j", num(dynamic + stat)},
            {"dynamic_j", num(dynamic)},
            {"static_j", num(stat)},
            {"edp_js", num((dynamic + stat) * latency)},
            {"accuracy", num(1.0 - 0.1 / width)}};
  };
}

}  // namespace rcsim::sweep

#pragma once
// What every PE-array backend is, whatever dataflow family it serves: an R×C array clocked one
// edge at a time by the controller's thread, built by a factory from PeArrayOptions and
// registered by name per family (i_pe_array.h: the weight-stationary array; i_os_pe_array.h:
// the output-stationary one). A dataflow plug-in (sim/accel/dataflow/) names the family it
// drives, so `--backend` is checked against that family's registered names.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "accel/pe_array/signal_sink.h"
#include "core/errors.h"

namespace rcsim {

/// Co-simulation self-test: after edge `edge` of array run `run` (0-based count of reset()
/// calls, one per GEMM job), the array's output in column `column` reads one too high, so the
/// lock-step mismatch report can be checked end to end (`rcsim cosim --inject-fault`).
struct PeArrayFault {
  bool enabled = false;
  std::int64_t run = 0;
  std::int64_t edge = 0;
  int column = 0;
};

/// What a backend factory builds.
struct PeArrayOptions {
  int rows = 0;
  int cols = 0;
  int precision = 8;   ///< operand bits (8 | 16): a backend built for fixed widths picks its model by this
  PeArrayFault fault;  ///< a factory that cannot inject it throws InputError
};

class IPeArrayBackend {
 public:
  virtual ~IPeArrayBackend() = default;
  virtual int rows() const = 0;
  virtual int cols() const = 0;
  /// Clears every register (synchronous reset; no clock edge is counted).
  virtual void reset() = 0;
  /// One rising clock edge (inputs were presented by the family's set_inputs()).
  virtual void step() = 0;
  /// Backend name for reports ("systolic", "rtl", ...).
  virtual std::string backend() const = 0;
  /// Internal registers for waveforms, in a "state" scope (default: none; the C++ models report
  /// every PE's sum, the Verilated model only its ports).
  virtual void probe_state(SignalSink& sink) const { (void)sink; }
};

/// The registered backends of one array family: name → factory. Unknown names are an
/// InputError listing the valid ones.
template <class Factory>
class BackendTable {
 public:
  BackendTable(std::string family, std::map<std::string, Factory> builtins)
      : family_(std::move(family)), factories_(std::move(builtins)) {}
  void add(const std::string& name, Factory f) { factories_[name] = f; }
  std::vector<std::string> names() const {
    std::vector<std::string> n;
    for (const auto& [name, f] : factories_) n.push_back(name);
    return n;
  }
  Factory find(const std::string& name) const {
    const auto it = factories_.find(name);
    if (it == factories_.end()) {
      std::string valid;
      for (const auto& n : names()) valid += (valid.empty() ? "" : ", ") + n;
      throw InputError("unknown PE-array backend '" + name + "' for the " + family_ + " (valid: " + valid + ")");
    }
    return it->second;
  }

 private:
  std::string family_;
  std::map<std::string, Factory> factories_;
};

}  // namespace rcsim

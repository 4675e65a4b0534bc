#pragma once
// How a PE array shows its signals to a waveform writer (accel/vcd_trace.h), whatever its
// dataflow family or backend: every traced cycle, the array's driver reports each signal once,
// in the same order every cycle, inside named scopes. The first cycle declares them.
#include <cstdint>

namespace rcsim {

class SignalSink {
 public:
  virtual ~SignalSink() = default;
  virtual void begin_scope(const char* name) = 0;
  virtual void end_scope() = 0;
  /// A port or net: `name` (followed by _i, then _j, for indices ≥ 0), `bits` wide, this cycle's value.
  virtual void wire(const char* name, int i, int j, int bits, std::int64_t value) = 0;
  /// A register (same naming).
  virtual void reg(const char* name, int i, int j, int bits, std::int64_t value) = 0;
};

/// Something that can report its signals into a sink (an array's ports in one cycle).
class SignalSource {
 public:
  virtual ~SignalSource() = default;
  virtual void probe(SignalSink& sink) const = 0;
};

}  // namespace rcsim

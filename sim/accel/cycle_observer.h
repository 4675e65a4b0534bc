#pragma once
// Optional per-cycle observer of the PE array (the VCD writer): after every traced clock edge,
// the dataflow driving the array hands it the array's signals.
#include <cstdint>

#include "accel/pe_array/signal_sink.h"

namespace rcsim {

class CycleObserver {
 public:
  virtual ~CycleObserver() = default;
  /// `cycle` counts from the job's first array cycle; `array` reports ports and registers.
  virtual void on_cycle(std::int64_t cycle, const SignalSource& array) = 0;
};

}  // namespace rcsim

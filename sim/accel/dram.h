#pragma once
// Off-chip memory: a fixed latency plus bytes / bandwidth. Used for weights that do not fit
// their group's banks; the fetch happens before the layer's first fold and stalls the array.
//
// A SystemC module with its own thread: the controller writes a refill request (bytes) into
// `req` and blocks on `done`, which the DRAM writes after latency + ceil(bytes/bandwidth)
// cycles of simulated time. This is the one place where time passes inside another module than
// the controller, hence real sc_fifo channels (one request per layer that has a refill — the
// two thread switches cost nothing measurable).
#include <cmath>
#include <cstdint>
#include <systemc>

#include "core/arch_params.h"

namespace rcsim {

class Dram final : public sc_core::sc_module {
 public:
  sc_core::sc_fifo_in<std::int64_t> req;    ///< bytes to read
  sc_core::sc_fifo_out<std::int64_t> done;  ///< stall cycles, written when the data arrived

  SC_HAS_PROCESS(Dram);
  explicit Dram(const sc_core::sc_module_name& name) : sc_core::sc_module(name), req("req"), done("done") {
    SC_THREAD(serve);
  }
  /// Per accelerator configuration.
  void configure(const ArchParams& a) {
    bw_ = a.dram_bytes_per_cycle;
    latency_ = a.dram_latency_cycles;
    period_ = sc_core::sc_time(1.0 / a.clock_hz, sc_core::SC_SEC);
  }
  /// Cycles to read `bytes` (0 for none).
  std::int64_t fetch_cycles(std::int64_t bytes) const {
    return bytes == 0 ? 0 : latency_ + std::int64_t(std::ceil(double(bytes) / bw_));
  }

 private:
  void serve() {
    for (;;) {
      const std::int64_t cycles = fetch_cycles(req.read());
      if (cycles > 0) sc_core::wait(period_ * double(cycles));
      done.write(cycles);
    }
  }
  double bw_ = 1;
  std::int64_t latency_ = 0;
  sc_core::sc_time period_;
};

}  // namespace rcsim

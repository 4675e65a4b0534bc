#pragma once
// The request stream as a trace another DRAM simulator can replay:
//  - DRAMsim3 (umd-memsys/DRAMsim3, src/common.cc operator>> and src/cpu.cc TraceBasedCPU): one
//    request a line, "<hex address> READ|WRITE <cycle>", the cycle in DRAM clock cycles; the
//    request is offered to the controller from that cycle on.
//  - Ramulator 2 (CMU-SAFARI/ramulator2, src/frontend/impl/memory_trace/loadstore_trace.cpp):
//    "LD|ST <address>" (0x hex accepted); no time: the LoadStoreTrace frontend sends requests as
//    fast as the memory system accepts them.
// Each line is one burst-sized request exactly as submitted. How to replay: docs/dram.md.
#include <ostream>
#include <string>

#include "dram/dram_request.h"

namespace rcsim::dram {

enum class TraceFormat { Dramsim3, Ramulator2 };

/// "dramsim3" | "ramulator2"; anything else is an InputError.
TraceFormat parse_trace_format(const std::string& name);

/// One line (without newline) of `format` for `r`.
std::string trace_line(TraceFormat format, const DramRequest& r);

/// Writes every submitted request to `out` (not owned), one line each.
class TraceWriter final : public DramRequestObserver {
 public:
  TraceWriter(std::ostream& out, TraceFormat format) : out_(out), format_(format) {}
  void on_submit(RequestId id, const DramRequest& r) override;
  std::int64_t lines() const { return lines_; }

 private:
  std::ostream& out_;
  TraceFormat format_;
  std::int64_t lines_ = 0;
};

}  // namespace rcsim::dram

#include "dram/dram_trace.h"

#include <cstdio>

#include "core/errors.h"

namespace rcsim::dram {

TraceFormat parse_trace_format(const std::string& name) {
  if (name == "dramsim3") return TraceFormat::Dramsim3;
  if (name == "ramulator2") return TraceFormat::Ramulator2;
  throw InputError("unknown trace format '" + name + "' (dramsim3 | ramulator2)");
}

std::string trace_line(TraceFormat format, const DramRequest& r) {
  char buf[64];
  if (format == TraceFormat::Dramsim3)
    std::snprintf(buf, sizeof buf, "0x%llX %s %lld", static_cast<unsigned long long>(r.addr),
                  r.is_write ? "WRITE" : "READ", static_cast<long long>(r.arrival));
  else
    std::snprintf(buf, sizeof buf, "%s 0x%llX", r.is_write ? "ST" : "LD", static_cast<unsigned long long>(r.addr));
  return buf;
}

void TraceWriter::on_submit(RequestId, const DramRequest& r) {
  out_ << trace_line(format_, r) << '\n';
  ++lines_;
}

}  // namespace rcsim::dram

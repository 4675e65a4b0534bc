#pragma once
// Off-chip memory behind the DMA: the event-driven DRAM model of sim/dram (channels, banks, row
// buffers, JEDEC timing, FR-FCFS, refresh; the preset named by the arch's `dram.type`), driven
// with the byte-range transfers of each tile (mapper/tile_plan.h).
//
// A SystemC module reached through `port` (an sc_export of IDram), like the SRAMs: the controller
// issues a tile's transfers at an accelerator cycle and asks when they completed; the model runs
// on its own DRAM clock (dram/clock_ratio.h) and simulates only as far as the question needs.
// Per-cycle and fast mode make the same calls with the same cycles, so their DRAM results are
// identical (the model has no state but the calls). The controller waits the stall itself (one
// wait), so no time passes in this module.
#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <systemc>
#include <utility>
#include <vector>

#include "core/arch_params.h"
#include "core/errors.h"
#include "dram/clock_ratio.h"
#include "dram/dram_config.h"
#include "dram/dram_controller.h"
#include "dram/dram_trace.h"
#include "mapper/tile_plan.h"

namespace rcsim {

/// The bursts of issued transfers: [first id, count) per transfer.
using DmaTicket = std::vector<std::pair<dram::RequestId, std::int64_t>>;

class IDram : public virtual sc_core::sc_interface {
 public:
  /// A fresh DRAM (idle, all banks precharged) at accelerator cycle 0: one per image, so every
  /// image's timing and DRAM counters are the same.
  virtual void begin_image() = 0;
  /// Submits `transfers` (in order) arriving at accelerator cycle `cycle` (non-decreasing).
  virtual DmaTicket issue(const std::vector<DmaTransfer>& transfers, std::int64_t cycle) = 0;
  /// Accelerator cycle at which every burst of `ticket` has its last data beat (`cycle_if_empty`
  /// for no transfer).
  virtual std::int64_t completion(const DmaTicket& ticket, std::int64_t cycle_if_empty) = 0;
  /// Simulates the DRAM up to accelerator cycle `cycle` (idle time: refresh, background).
  virtual void settle(std::int64_t cycle) = 0;
  virtual const dram::DramStats& stats() const = 0;
  /// The device's peak bandwidth in bytes per accelerator cycle.
  virtual double peak_bytes_per_cycle() const = 0;
};

class Dram final : public sc_core::sc_module, public IDram {
 public:
  sc_core::sc_export<IDram> port;  ///< the controller's access

  explicit Dram(const sc_core::sc_module_name& name) : sc_core::sc_module(name), port("port") { port.bind(*this); }

  /// Per accelerator configuration: the preset of `dram.type` (ConfigError if unknown) and,
  /// optionally, a request trace of the first image.
  void configure(const ArchParams& a, const std::string& trace_path = "",
                 dram::TraceFormat format = dram::TraceFormat::Dramsim3) {
    cfg_ = std::make_unique<dram::DramConfig>(dram::load_dram_config(a.dram_type));
    ratio_ = std::make_unique<dram::ClockRatio>(a.clock_hz, cfg_->timing.tck_ps);
    clock_hz_ = a.clock_hz;
    trace_.reset();
    trace_file_.reset();
    if (!trace_path.empty()) {
      trace_file_ = std::make_unique<std::ofstream>(trace_path);
      if (!*trace_file_) throw InputError("--dram-trace " + trace_path + ": cannot open for writing");
      trace_ = std::make_unique<dram::TraceWriter>(*trace_file_, format);
    }
    images_ = 0;
  }
  const dram::DramConfig& config() const { return *cfg_; }

  void begin_image() override {
    ctrl_ = std::make_unique<dram::DramController>(*cfg_);
    if (trace_ && images_ == 0) ctrl_->set_observer(trace_.get());  // the first image's requests
    if (images_ == 1 && trace_file_) trace_file_->flush();
    ++images_;
  }
  DmaTicket issue(const std::vector<DmaTransfer>& transfers, std::int64_t cycle) override {
    DmaTicket t;
    const dram::Cycle at = std::max(ratio_->to_dram(cycle), ctrl_->frontier());
    for (const DmaTransfer& x : transfers)
      if (x.bytes > 0) t.push_back(ctrl_->submit_bytes(x.addr, x.bytes, x.write, at));
    return t;
  }
  std::int64_t completion(const DmaTicket& ticket, std::int64_t cycle_if_empty) override {
    dram::Cycle last = 0;
    bool any = false;
    for (const auto& [id0, n] : ticket)
      for (std::int64_t b = 0; b < n; ++b) last = std::max(last, ctrl_->wait_for(id0 + dram::RequestId(b))), any = true;
    return any ? std::max(cycle_if_empty, ratio_->to_accel(last)) : cycle_if_empty;
  }
  void settle(std::int64_t cycle) override {
    const dram::Cycle d = ratio_->to_dram(cycle);
    if (d > ctrl_->frontier()) ctrl_->advance(d);
  }
  const dram::DramStats& stats() const override { return ctrl_->stats(); }
  double peak_bytes_per_cycle() const override { return cfg_->peak_bytes_per_s() / clock_hz_; }

 private:
  std::unique_ptr<dram::DramConfig> cfg_;
  std::unique_ptr<dram::ClockRatio> ratio_;
  std::unique_ptr<dram::DramController> ctrl_;
  std::unique_ptr<std::ofstream> trace_file_;
  std::unique_ptr<dram::TraceWriter> trace_;
  int images_ = 0;
  double clock_hz_ = 1;
};

}  // namespace rcsim

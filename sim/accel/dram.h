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

/// The DRAM model behind IDram, with a memo of one image's calls (why: docs/performance.md, "The
/// DRAM per image"). Every image starts from a fresh controller (begin_image), and the model is
/// deterministic: the results of a call depend only on the calls made since begin_image. So the
/// first image's calls are recorded with their results (and the statistics after each), and a
/// later image whose calls are the same, one by one (same transfers, same cycles), gets the
/// recorded results without simulating the DRAM again: exactly what the live model would return.
/// At the first call that differs, the image goes live: a fresh controller replays the recorded
/// calls so far (reaching the state the live model would have), then runs the differing call and
/// the rest, recording them for the next images.
class Dram final : public sc_core::sc_module, public IDram {
 public:
  sc_core::sc_export<IDram> port;  ///< the controller's access

  explicit Dram(const sc_core::sc_module_name& name) : sc_core::sc_module(name), port("port") { port.bind(*this); }

  /// Per run: the preset (loaded once per simulator, accel/accelerator.cpp) and, optionally, a
  /// request trace of the run's first image. The memo of calls is kept while preset and clock
  /// are the same.
  void configure(std::shared_ptr<const dram::DramConfig> cfg, const ArchParams& a, const std::string& trace_path = "",
                 dram::TraceFormat format = dram::TraceFormat::Dramsim3) {
    if (cfg != cfg_ || a.clock_hz != clock_hz_) {
      cfg_ = std::move(cfg);
      ratio_ = std::make_unique<dram::ClockRatio>(a.clock_hz, cfg_->timing.tck_ps);
      clock_hz_ = a.clock_hz;
      memo_.clear();
      have_memo_ = false;
    }
    trace_.reset();
    trace_file_.reset();
    if (!trace_path.empty()) {
      trace_file_ = std::make_unique<std::ofstream>(trace_path);
      if (!*trace_file_) throw InputError("--dram-trace " + trace_path + ": cannot open for writing");
      trace_ = std::make_unique<dram::TraceWriter>(*trace_file_, format);
    }
    images_ = 0;
  }
  /// The same with the preset of `a.dram_type` (ConfigError if unknown), read now.
  void configure(const ArchParams& a, const std::string& trace_path = "",
                 dram::TraceFormat format = dram::TraceFormat::Dramsim3) {
    configure(std::make_shared<const dram::DramConfig>(dram::load_dram_config(a.dram_type)), a, trace_path, format);
  }
  const dram::DramConfig& config() const { return *cfg_; }

  void begin_image() override {
    const bool traced = trace_ && images_ == 0;  // the first image's requests go to the trace: live
    if (images_ == 1 && trace_file_) trace_file_->flush();
    ++images_;
    pos_ = 0;
    if (have_memo_ && !traced) {
      replaying_ = true;
      ctrl_.reset();
      return;
    }
    replaying_ = false;
    go_live(traced);
    memo_.clear();
    have_memo_ = true;
  }
  DmaTicket issue(const std::vector<DmaTransfer>& transfers, std::int64_t cycle) override {
    if (replaying_) {
      if (const Call* c = next(Call::Issue, cycle, &transfers)) return c->ticket;
    }
    Call c(Call::Issue, cycle);
    c.transfers = transfers;
    c.ticket = live_issue(transfers, cycle);
    return record(std::move(c)).ticket;
  }
  std::int64_t completion(const DmaTicket& ticket, std::int64_t cycle_if_empty) override {
    if (replaying_) {
      if (const Call* c = next(Call::Completion, cycle_if_empty, nullptr, &ticket)) return c->result;
    }
    Call c(Call::Completion, cycle_if_empty);
    c.ticket = ticket;
    c.result = live_completion(ticket, cycle_if_empty);
    return record(std::move(c)).result;
  }
  void settle(std::int64_t cycle) override {
    if (replaying_ && next(Call::Settle, cycle)) return;
    live_settle(cycle);
    record(Call(Call::Settle, cycle));
  }
  const dram::DramStats& stats() const override {
    if (!replaying_) return ctrl_->stats();
    return pos_ == 0 ? fresh_stats_ : memo_[pos_ - 1].stats;
  }
  double peak_bytes_per_cycle() const override { return cfg_->peak_bytes_per_s() / clock_hz_; }

 private:
  /// One call of an image and its result.
  struct Call {
    enum Kind { Issue, Completion, Settle };
    Call(Kind k, std::int64_t c) : kind(k), cycle(c) {}
    Kind kind;
    std::int64_t cycle;                    ///< the call's cycle (cycle_if_empty for Completion)
    std::vector<DmaTransfer> transfers;    ///< Issue's argument
    DmaTicket ticket;                      ///< Issue's result, Completion's argument
    std::int64_t result = 0;               ///< Completion's result
    dram::DramStats stats;                 ///< the controller's statistics after the call
  };

  static bool same(const std::vector<DmaTransfer>& a, const std::vector<DmaTransfer>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (a[i].addr != b[i].addr || a[i].bytes != b[i].bytes || a[i].write != b[i].write) return false;
    return true;
  }
  /// While replaying: the recorded call at the current position if it is this call (and advances),
  /// else goes live (diverge) and returns null.
  const Call* next(Call::Kind kind, std::int64_t cycle, const std::vector<DmaTransfer>* transfers = nullptr,
                   const DmaTicket* ticket = nullptr) {
    if (pos_ < memo_.size()) {
      const Call& c = memo_[pos_];
      if (c.kind == kind && c.cycle == cycle && (!transfers || same(c.transfers, *transfers)) &&
          (!ticket || c.ticket == *ticket)) {
        ++pos_;
        return &c;
      }
    }
    diverge();
    return nullptr;
  }
  /// A fresh controller brought to the state after the first pos_ recorded calls (the same calls
  /// in the same order: the same state); the memo keeps those, the image continues live.
  void diverge() {
    replaying_ = false;
    go_live(false);
    for (std::size_t i = 0; i < pos_; ++i) {
      const Call& c = memo_[i];
      switch (c.kind) {
        case Call::Issue: live_issue(c.transfers, c.cycle); break;
        case Call::Completion: live_completion(c.ticket, c.cycle); break;
        case Call::Settle: live_settle(c.cycle); break;
      }
    }
    memo_.erase(memo_.begin() + std::ptrdiff_t(pos_), memo_.end());
  }
  void go_live(bool traced) {
    ctrl_ = std::make_unique<dram::DramController>(*cfg_);
    if (traced) ctrl_->set_observer(trace_.get());
    fresh_stats_ = ctrl_->stats();
  }
  const Call& record(Call c) {
    c.stats = ctrl_->stats();
    memo_.push_back(std::move(c));
    pos_ = memo_.size();
    return memo_.back();
  }
  DmaTicket live_issue(const std::vector<DmaTransfer>& transfers, std::int64_t cycle) {
    DmaTicket t;
    const dram::Cycle at = std::max(ratio_->to_dram(cycle), ctrl_->frontier());
    for (const DmaTransfer& x : transfers)
      if (x.bytes > 0) t.push_back(ctrl_->submit_bytes(x.addr, x.bytes, x.write, at));
    return t;
  }
  std::int64_t live_completion(const DmaTicket& ticket, std::int64_t cycle_if_empty) {
    dram::Cycle last = 0;
    bool any = false;
    for (const auto& [id0, n] : ticket)
      for (std::int64_t b = 0; b < n; ++b) last = std::max(last, ctrl_->wait_for(id0 + dram::RequestId(b))), any = true;
    return any ? std::max(cycle_if_empty, ratio_->to_accel(last)) : cycle_if_empty;
  }
  void live_settle(std::int64_t cycle) {
    const dram::Cycle d = ratio_->to_dram(cycle);
    if (d > ctrl_->frontier()) ctrl_->advance(d);
  }

  std::shared_ptr<const dram::DramConfig> cfg_;
  std::unique_ptr<dram::ClockRatio> ratio_;
  std::unique_ptr<dram::DramController> ctrl_;
  std::unique_ptr<std::ofstream> trace_file_;
  std::unique_ptr<dram::TraceWriter> trace_;
  int images_ = 0;
  double clock_hz_ = 0;
  std::vector<Call> memo_;      ///< the calls since the last begin_image that went live, with results
  bool have_memo_ = false;      ///< memo_ holds calls recorded from a fresh controller
  bool replaying_ = false;      ///< this image's calls so far were all memo_[0, pos_)
  std::size_t pos_ = 0;         ///< calls of this image so far
  dram::DramStats fresh_stats_;  ///< a fresh controller's statistics
};

}  // namespace rcsim

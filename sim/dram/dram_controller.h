#pragma once
// An event-driven DRAM controller and device timing model: per channel a request queue served
// FR-FCFS (or FCFS), per rank/bank the JEDEC state machine (ACT, RD/WR, PRE, REF, power-down,
// self-refresh), with open- or closed-page policy. Time jumps from one event to the next: an
// idle stretch costs nothing but the refreshes in it, so streaming 10^6 requests takes well under
// a second. Everything is integer arithmetic on DRAM cycles: the same calls give the same cycles
// and counters every time (docs/dram.md).
//
// Use:  DramController c(load_dram_config("ddr4-3200"));
//       for (...) c.submit({addr, is_write, arrival});     // arrivals never decrease
//       Cycle done = c.run_until_idle();                    // or advance(t) step by step
//       c.completion(id); c.stats(); dram_energy(c.config(), c.stats())
#include <cstdint>
#include <memory>
#include <utility>

#include "dram/address_mapping.h"
#include "dram/dram_config.h"
#include "dram/dram_request.h"
#include "dram/dram_stats.h"

namespace rcsim::dram {

class DramController {
 public:
  /// Not yet completed (completion()).
  static constexpr Cycle kPending = -1;

  /// Validates `config` (validate_dram_config).
  explicit DramController(const DramConfig& config);
  ~DramController();
  DramController(DramController&&) noexcept;
  DramController& operator=(DramController&&) noexcept;

  /// Queues one burst access. `r.arrival` must be >= the previous request's arrival and >=
  /// frontier() (an InternalError otherwise: a caller bug). Returns its id (0, 1, 2, ...).
  RequestId submit(const DramRequest& r);
  /// Splits [addr, addr + bytes) into the bursts covering it, all arriving at `arrival`.
  /// Returns {first id, number of bursts} (ids are consecutive).
  std::pair<RequestId, std::int64_t> submit_bytes(std::uint64_t addr, std::int64_t bytes, bool is_write,
                                                  Cycle arrival);

  /// Simulates every event before cycle `until` (refreshes and power-state changes included, even
  /// with no requests) and accounts the power states up to it; now() becomes `until`. A request
  /// submitted next with arrival == until competes with the events of that cycle exactly as if it
  /// had been submitted before the advance, so stepping never changes results.
  void advance(Cycle until);
  /// Simulates until every submitted request has completed and advances to the last data beat;
  /// returns now() (= the last completion unless an earlier advance() went further).
  Cycle run_until_idle();

  /// Simulates only until the completion of request `id` is known (its column command issued)
  /// and returns it (last data beat). Later requests may still arrive before that completion, from
  /// frontier() on: the way a DMA asks for one transfer while issuing the next.
  Cycle wait_for(RequestId id);

  Cycle now() const;
  /// Earliest arrival a new request may have: events before it are simulated already.
  Cycle frontier() const;
  std::int64_t submitted() const;
  /// Requests whose column command has been issued (their completion cycle is known).
  std::int64_t completed() const;
  /// Cycle of the last data beat of request `id`, or kPending.
  Cycle completion(RequestId id) const;
  const DramStats& stats() const;
  const DramConfig& config() const;
  const AddressMapping& mapping() const;
  /// Every later submit is reported to `observer` (nullptr: none); not owned.
  void set_observer(DramRequestObserver* observer);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rcsim::dram

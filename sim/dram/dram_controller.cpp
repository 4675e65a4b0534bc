#include "dram/dram_controller.h"

#include <algorithm>
#include <array>
#include <deque>
#include <limits>
#include <string>
#include <vector>

#include "core/errors.h"

namespace rcsim::dram {

namespace {

constexpr Cycle kNever = std::numeric_limits<Cycle>::max() / 4;
constexpr Cycle kLongAgo = std::numeric_limits<Cycle>::min() / 4;

enum class RankState { ActiveStandby, PrechargeStandby, Refreshing, ActivePowerDown, PrechargePowerDown, SelfRefresh };

bool is_powerdown(RankState s) { return s == RankState::ActivePowerDown || s == RankState::PrechargePowerDown; }
bool is_standby(RankState s) { return s == RankState::ActiveStandby || s == RankState::PrechargeStandby; }

struct Bank {
  bool open = false;
  int row = -1;
  Cycle next_act = 0, next_pre = 0, next_rd = 0, next_wr = 0;
  Cycle auto_pre_at = kNever;  // closed page: the precharge a RDA/WRA performs by itself
};

struct Rank {
  std::vector<Bank> banks;           // bank_group * banks_per_group + bank
  Cycle next_act = 0;                // tRRD_S
  std::vector<Cycle> next_act_bg;    // tRRD_L
  std::array<Cycle, 4> faw{};        // last four ACTs, oldest at faw_head
  int faw_head = 0;
  std::vector<Cycle> last_rd_bg, last_wr_bg;  // last RD / WR command per bank group
  Cycle refresh_due = 0, refresh_end = kLongAgo;
  RankState state = RankState::PrechargeStandby;
  Cycle since = 0;            // state entered at
  Cycle lowpower_since = 0;   // power-down / self-refresh entered at
  Cycle awake_at = 0;         // first command after a power-down / self-refresh exit
  Cycle last_activity = 0;    // last request arrival or data beat: the idle timers count from it
  int open_banks = 0, queued = 0, auto_pre_pending = 0;
};

enum class RowClass : std::int8_t { Unknown, Miss, Conflict };

struct Entry {
  std::int64_t seq;  // admission order: FCFS age
  RequestId id;
  DramAddress a;
  int bank;  // bank_group * banks_per_group + bank, inside the rank
  bool is_write;
  Cycle arrival;
  RowClass cls = RowClass::Unknown;
};

enum class Kind {
  None,
  AutoPrecharge,
  RefreshEnd,
  WakeForRefresh,
  EnterSelfRefresh,
  RefreshPrecharge,
  Refresh,
  Column,
  Activate,
  Precharge,
  EnterPowerDown
};

// Same-cycle order: internal state changes, then refresh, then row hits (FR), then the oldest
// request's ACT/PRE (FCFS), then power-down entry.
int priority(Kind k) {
  switch (k) {
    case Kind::AutoPrecharge:
    case Kind::RefreshEnd:
    case Kind::WakeForRefresh:
    case Kind::EnterSelfRefresh:
      return 0;
    case Kind::RefreshPrecharge:
    case Kind::Refresh:
      return 1;
    case Kind::Column:
      return 2;
    case Kind::Activate:
    case Kind::Precharge:
      return 3;
    case Kind::EnterPowerDown:
      return 4;
    case Kind::None:
      break;
  }
  return 9;
}

struct Event {
  Cycle time = kNever;
  Kind kind = Kind::None;
  int rank = -1, bank = -1;
  int pos = -1;              // position of the request in its bank's queue
  std::int64_t age = -1;     // its admission number (older first); -1: no request
};

bool before(const Event& a, const Event& b) {
  if (a.time != b.time) return a.time < b.time;
  const int pa = priority(a.kind), pb = priority(b.kind);
  if (pa != pb) return pa < pb;
  if (a.age != b.age) return a.age < b.age;
  if (a.rank != b.rank) return a.rank < b.rank;
  return a.bank < b.bank;
}

struct Channel {
  std::vector<Rank> ranks;
  // Admitted requests, one queue per bank (rank * banks + bank), each oldest first: the scheduler
  // looks at a bank's own requests only, so a plan costs O(banks), not O(queue depth).
  std::vector<std::deque<Entry>> bank_q;
  int queued = 0;
  Cycle bus_next = 0;        // one command per cycle on the command bus
  Cycle last_rd = kLongAgo, last_wr = kLongAgo;
  int last_rd_rank = -1, last_wr_rank = -1;
  Event planned;
  bool dirty = true;
};

struct Pending {
  RequestId id;
  DramAddress a;
  bool is_write;
  Cycle arrival;
};

const DramConfig& validated(const DramConfig& c) {
  validate_dram_config(c);
  return c;
}

}  // namespace

struct DramController::Impl {
  DramConfig cfg;
  AddressMapping map;
  const Timing& t;
  const Organization& org;
  int burst;  // data-bus cycles of a burst
  int banks;  // per rank
  std::vector<Channel> channels;
  std::deque<Pending> incoming;  // submitted, not yet in a channel queue (in order)
  std::vector<Cycle> completion;
  DramStats stats;
  Cycle now = 0;
  // First cycle whose channel events have not been processed: a request arriving at or after it
  // is scheduled exactly as if it had been submitted earlier.
  Cycle frontier = 0;
  Cycle last_arrival = 0;
  std::int64_t admitted = 0;
  std::int64_t completed = 0;
  DramRequestObserver* observer = nullptr;

  explicit Impl(const DramConfig& c)
      : cfg(validated(c)), map(cfg.controller.address_mapping, cfg.org), t(cfg.timing), org(cfg.org) {
    burst = org.burst_cycles();
    banks = org.banks();
    channels.resize(std::size_t(org.channels));
    for (Channel& ch : channels) {
      ch.ranks.resize(std::size_t(org.ranks));
      for (std::size_t r = 0; r < ch.ranks.size(); ++r) {
        Rank& R = ch.ranks[r];
        R.banks.resize(std::size_t(banks));
        R.next_act_bg.assign(std::size_t(org.bank_groups), 0);
        R.last_rd_bg.assign(std::size_t(org.bank_groups), kLongAgo);
        R.last_wr_bg.assign(std::size_t(org.bank_groups), kLongAgo);
        R.faw.fill(kLongAgo);
        // Ranks refresh staggered by tREFI / ranks, the first one at tREFI.
        R.refresh_due = t.trefi + Cycle(r) * (t.trefi / org.ranks);
      }
      ch.bank_q.resize(std::size_t(org.ranks * banks));
    }
  }

  // ---- power-state accounting -------------------------------------------------------------
  Cycle& bucket(RankState s) {
    switch (s) {
      case RankState::ActiveStandby: return stats.active_standby_cycles;
      case RankState::PrechargeStandby: return stats.precharge_standby_cycles;
      case RankState::Refreshing: return stats.refreshing_cycles;
      case RankState::ActivePowerDown: return stats.active_powerdown_cycles;
      case RankState::PrechargePowerDown: return stats.precharge_powerdown_cycles;
      case RankState::SelfRefresh: return stats.self_refresh_cycles;
    }
    throw InternalError("dram: bad rank state");
  }
  void set_state(Rank& R, RankState s, Cycle at) {
    if (at < R.since) throw InternalError("dram: rank state change at " + std::to_string(at) + " before " +
                                          std::to_string(R.since));
    bucket(R.state) += at - R.since;
    R.since = at;
    R.state = s;
  }
  void account_until(Cycle until) {
    for (Channel& ch : channels)
      for (Rank& R : ch.ranks)
        if (until > R.since) {
          bucket(R.state) += until - R.since;
          R.since = until;
        }
    stats.elapsed = std::max(stats.elapsed, until);
  }
  RankState standby_of(const Rank& R) const {
    return R.open_banks > 0 ? RankState::ActiveStandby : RankState::PrechargeStandby;
  }

  // ---- earliest issue times ----------------------------------------------------------------
  int bg_of(int bank) const { return bank / org.banks_per_group; }

  Cycle act_time(const Channel& ch, const Rank& R, int b) const {
    const Bank& B = R.banks[std::size_t(b)];
    return std::max({ch.bus_next, B.next_act, R.next_act, R.next_act_bg[std::size_t(bg_of(b))],
                     R.faw[std::size_t(R.faw_head)] + t.tfaw, R.awake_at});
  }
  Cycle pre_time(const Channel& ch, const Rank& R, int b) const {
    return std::max({ch.bus_next, R.banks[std::size_t(b)].next_pre, R.awake_at});
  }
  Cycle column_time(const Channel& ch, const Rank& R, int r, int b, bool is_write) const {
    const Bank& B = R.banks[std::size_t(b)];
    const int bg = bg_of(b);
    const int ccd_s = std::max(burst, t.tccd_s), ccd_l = std::max(burst, t.tccd_l);
    Cycle e = std::max({ch.bus_next, R.awake_at, is_write ? B.next_wr : B.next_rd});
    for (int g = 0; g < org.bank_groups; ++g) {
      const bool same = g == bg;
      const Cycle rd = R.last_rd_bg[std::size_t(g)], wr = R.last_wr_bg[std::size_t(g)];
      if (!is_write) {
        e = std::max(e, rd + (same ? ccd_l : ccd_s));
        e = std::max(e, wr + t.cwl + burst + (same ? t.twtr_l : t.twtr_s));
      } else {
        e = std::max(e, wr + (same ? ccd_l : ccd_s));
        e = std::max(e, rd + t.cl + burst + 2 - t.cwl);  // read-to-write turnaround (1 tCK preambles)
      }
    }
    // Another rank drove the data bus last: leave tRTRS between the two bursts.
    if (!is_write) {
      if (ch.last_rd_rank >= 0 && ch.last_rd_rank != r) e = std::max(e, ch.last_rd + burst + t.trtrs);
      if (ch.last_wr_rank >= 0 && ch.last_wr_rank != r) e = std::max(e, ch.last_wr + t.cwl + burst + t.trtrs - t.cl);
    } else {
      if (ch.last_wr_rank >= 0 && ch.last_wr_rank != r) e = std::max(e, ch.last_wr + burst + t.trtrs);
      if (ch.last_rd_rank >= 0 && ch.last_rd_rank != r) e = std::max(e, ch.last_rd + t.cl + burst + t.trtrs - t.cwl);
    }
    return e;
  }
  Cycle refresh_time(const Channel& ch, const Rank& R) const {
    Cycle e = std::max({ch.bus_next, R.awake_at, R.refresh_due});
    for (const Bank& B : R.banks) e = std::max(e, B.next_act);  // tRP after PRE, tRC after ACT
    return e;
  }

  // ---- scheduling --------------------------------------------------------------------------
  Event plan(Channel& ch) {
    Event best;
    auto consider = [&](Event e) {
      e.time = std::max(e.time, now);
      if (before(e, best)) best = e;
    };
    // FCFS: only the oldest request of the channel may be served.
    int fcfs_bank = -1;
    if (cfg.controller.scheduler == Scheduler::Fcfs) {
      std::int64_t oldest = -1;
      for (std::size_t bi = 0; bi < ch.bank_q.size(); ++bi)
        if (!ch.bank_q[bi].empty() && (oldest < 0 || ch.bank_q[bi].front().seq < oldest)) {
          oldest = ch.bank_q[bi].front().seq;
          fcfs_bank = int(bi);
        }
    }
    const Cycle pd_idle = cfg.controller.powerdown_idle_ck, sr_idle = cfg.controller.self_refresh_idle_ck;
    for (int r = 0; r < org.ranks; ++r) {
      Rank& R = ch.ranks[std::size_t(r)];
      if (R.auto_pre_pending > 0)
        for (int b = 0; b < banks; ++b)
          if (R.banks[std::size_t(b)].auto_pre_at != kNever)
            consider({R.banks[std::size_t(b)].auto_pre_at, Kind::AutoPrecharge, r, b});
      if (R.state == RankState::Refreshing) {
        consider({R.refresh_end, Kind::RefreshEnd, r});
        continue;
      }
      if (is_powerdown(R.state)) {
        const Cycle min_exit = R.lowpower_since + t.tcke;
        consider({std::max(R.refresh_due, min_exit), Kind::WakeForRefresh, r});
        if (sr_idle > 0) consider({std::max(R.last_activity + sr_idle, min_exit), Kind::EnterSelfRefresh, r});
        continue;
      }
      if (R.state == RankState::SelfRefresh) continue;  // leaves only when a request arrives
      const Cycle due = R.refresh_due;
      // Refresh: once due, close every bank, then REF; requests of this rank wait.
      if (R.open_banks > 0) {
        for (int b = 0; b < banks; ++b) {
          const Bank& B = R.banks[std::size_t(b)];
          if (B.open && B.auto_pre_at == kNever)
            consider({std::max(due, pre_time(ch, R, b)), Kind::RefreshPrecharge, r, b});
        }
      } else if (R.auto_pre_pending == 0) {
        consider({refresh_time(ch, R), Kind::Refresh, r});
      }
      if (R.queued > 0) {
        for (int b = 0; b < banks; ++b) {
          const int bi = r * banks + b;
          const std::deque<Entry>& q = ch.bank_q[std::size_t(bi)];
          if (q.empty() || (fcfs_bank >= 0 && bi != fcfs_bank)) continue;
          const Bank& B = R.banks[std::size_t(b)];
          // FR: the oldest request hitting the open row (FCFS: only if it is the oldest of all).
          int hit = -1;
          if (B.open) {
            const int n = fcfs_bank >= 0 ? 1 : int(q.size());
            for (int i = 0; i < n && hit < 0; ++i)
              if (q[std::size_t(i)].a.row == B.row) hit = i;
          }
          Event e;
          if (hit >= 0) {
            const Entry& h = q[std::size_t(hit)];
            e = {column_time(ch, R, r, b, h.is_write), Kind::Column, r, b, hit, h.seq};
          } else if (B.auto_pre_at != kNever) {
            continue;  // the bank closes by itself; ACT after that
          } else if (B.open) {
            e = {pre_time(ch, R, b), Kind::Precharge, r, b, 0, q.front().seq};
          } else {
            e = {act_time(ch, R, b), Kind::Activate, r, b, 0, q.front().seq};
          }
          if (std::max(e.time, now) < due) consider(e);
        }
      } else if (R.auto_pre_pending == 0) {
        const Cycle idle_from = std::max({R.last_activity, R.awake_at, R.refresh_end});
        if (sr_idle > 0) {
          const Cycle at = std::max(R.last_activity + sr_idle, idle_from);
          if (std::max(at, now) < due) consider({at, Kind::EnterSelfRefresh, r});
        }
        if (pd_idle > 0) {
          const Cycle at = std::max(R.last_activity + pd_idle, idle_from);
          if (std::max(at, now) < due) consider({at, Kind::EnterPowerDown, r});
        }
      }
    }
    return best;
  }

  std::deque<Entry>& queue_of(Channel& ch, const Event& ev) {
    return ch.bank_q[std::size_t(ev.rank * banks + ev.bank)];
  }

  void close_bank(Channel& ch, Rank& R, int b, Cycle at) {
    Bank& B = R.banks[std::size_t(b)];
    B.open = false;
    B.row = -1;
    B.next_act = std::max(B.next_act, at + t.trp);
    ++stats.precharges;
    if (--R.open_banks == 0 && is_standby(R.state)) set_state(R, RankState::PrechargeStandby, at);
    (void)ch;
  }

  void process(Channel& ch, const Event& ev) {
    const Cycle at = ev.time;
    Rank& R = ch.ranks[std::size_t(ev.rank)];
    switch (ev.kind) {
      case Kind::AutoPrecharge: {
        Bank& B = R.banks[std::size_t(ev.bank)];
        B.auto_pre_at = kNever;
        --R.auto_pre_pending;
        close_bank(ch, R, ev.bank, at);
        break;
      }
      case Kind::RefreshEnd:
        set_state(R, standby_of(R), at);
        break;
      case Kind::WakeForRefresh:
        set_state(R, standby_of(R), at);
        R.awake_at = at + t.txp;
        break;
      case Kind::EnterSelfRefresh:
        for (int b = 0; b < banks; ++b)
          if (R.banks[std::size_t(b)].open) close_bank(ch, R, b, at);
        set_state(R, RankState::SelfRefresh, at);
        R.lowpower_since = at;
        ++stats.self_refresh_entries;
        break;
      case Kind::EnterPowerDown:
        set_state(R, R.open_banks > 0 ? RankState::ActivePowerDown : RankState::PrechargePowerDown, at);
        R.lowpower_since = at;
        ++stats.powerdown_entries;
        break;
      case Kind::RefreshPrecharge:
      case Kind::Precharge:
        if (ev.kind == Kind::Precharge) queue_of(ch, ev).front().cls = RowClass::Conflict;
        close_bank(ch, R, ev.bank, at);
        ch.bus_next = at + 1;
        break;
      case Kind::Refresh:
        ++stats.refreshes;
        set_state(R, RankState::Refreshing, at);
        R.refresh_end = at + t.trfc;
        for (Bank& B : R.banks) B.next_act = std::max(B.next_act, R.refresh_end);
        R.refresh_due += t.trefi;
        ch.bus_next = at + 1;
        break;
      case Kind::Activate: {
        Entry& e = queue_of(ch, ev).front();
        if (e.cls == RowClass::Unknown) e.cls = RowClass::Miss;
        Bank& B = R.banks[std::size_t(ev.bank)];
        B.open = true;
        B.row = e.a.row;
        B.next_rd = B.next_wr = at + t.trcd;
        B.next_pre = at + t.tras;
        B.next_act = at + t.trc;
        R.next_act = at + t.trrd_s;
        Cycle& bg_next = R.next_act_bg[std::size_t(bg_of(ev.bank))];
        bg_next = at + t.trrd_l;
        R.faw[std::size_t(R.faw_head)] = at;
        R.faw_head = (R.faw_head + 1) % 4;
        ++stats.activates;
        if (R.open_banks++ == 0) set_state(R, RankState::ActiveStandby, at);
        ch.bus_next = at + 1;
        break;
      }
      case Kind::Column: {
        std::deque<Entry>& q = queue_of(ch, ev);
        const Entry e = q[std::size_t(ev.pos)];
        Bank& B = R.banks[std::size_t(ev.bank)];
        const std::size_t bg = std::size_t(bg_of(ev.bank));
        Cycle done;
        if (e.is_write) {
          done = at + t.cwl + burst;
          R.last_wr_bg[bg] = at;
          ch.last_wr = at;
          ch.last_wr_rank = ev.rank;
          B.next_pre = std::max(B.next_pre, done + t.twr);
          ++stats.writes;
          stats.write_latency_sum += done - e.arrival;
          stats.write_latency_max = std::max(stats.write_latency_max, done - e.arrival);
        } else {
          done = at + t.cl + burst;
          R.last_rd_bg[bg] = at;
          ch.last_rd = at;
          ch.last_rd_rank = ev.rank;
          B.next_pre = std::max(B.next_pre, at + t.trtp);
          ++stats.reads;
          stats.read_latency_sum += done - e.arrival;
          stats.read_latency_max = std::max(stats.read_latency_max, done - e.arrival);
        }
        if (e.cls == RowClass::Unknown) ++stats.row_hits;
        else if (e.cls == RowClass::Miss) ++stats.row_misses;
        else ++stats.row_conflicts;
        stats.bytes += org.bytes_per_burst();
        stats.last_completion = std::max(stats.last_completion, done);
        completion[std::size_t(e.id)] = done;
        ++completed;
        // Power-down waits for the last beat (and, after a write, the write recovery).
        R.last_activity = std::max(R.last_activity, e.is_write ? done + t.twr : done);
        q.erase(q.begin() + ev.pos);
        --R.queued;
        --ch.queued;
        ch.bus_next = at + 1;
        if (cfg.controller.page_policy == PagePolicy::Closed) {
          bool more_hits = false;
          for (const Entry& o : q)
            if (o.a.row == B.row) more_hits = true;
          if (!more_hits) {  // RDA / WRA: precharge as soon as tRAS / tRTP / tWR allow
            B.auto_pre_at = B.next_pre;
            ++R.auto_pre_pending;
          }
        }
        break;
      }
      case Kind::None:
        throw InternalError("dram: processing an empty event");
    }
  }

  // ---- admission ---------------------------------------------------------------------------
  Cycle admission_time() const {
    if (incoming.empty()) return kNever;
    const Pending& p = incoming.front();
    const Channel& ch = channels[std::size_t(p.a.channel)];
    if (ch.queued >= cfg.controller.queue_depth) return kNever;  // a column command frees a slot
    return std::max(now, p.arrival);
  }

  void admit(Cycle at) {
    const Pending p = incoming.front();
    incoming.pop_front();
    Channel& ch = channels[std::size_t(p.a.channel)];
    Rank& R = ch.ranks[std::size_t(p.a.rank)];
    const int bank = p.a.bank_group * org.banks_per_group + p.a.bank;
    ch.bank_q[std::size_t(p.a.rank * banks + bank)].push_back(
        {admitted++, p.id, p.a, bank, p.is_write, p.arrival, RowClass::Unknown});
    ++R.queued;
    ++ch.queued;
    R.last_activity = std::max(R.last_activity, at);
    if (is_powerdown(R.state)) {
      const Cycle exit = std::max(at, R.lowpower_since + t.tcke);
      set_state(R, standby_of(R), exit);
      R.awake_at = exit + t.txp;
    } else if (R.state == RankState::SelfRefresh) {
      const Cycle exit = std::max(at, R.lowpower_since + t.tckesr);
      set_state(R, RankState::PrechargeStandby, exit);
      R.awake_at = exit + t.txs;
      // The device refreshed itself; the controller's refresh timer restarts at the exit.
      R.refresh_due = std::max(R.refresh_due, exit + t.trefi);
    }
    ch.dirty = true;
  }

  // Processes one event before `limit` (exclusive); false if there is none.
  bool step(Cycle limit) {
    const Cycle ta = admission_time();
    int best = -1;
    for (std::size_t c = 0; c < channels.size(); ++c) {
      Channel& ch = channels[c];
      if (ch.dirty) {
        ch.planned = plan(ch);
        ch.dirty = false;
      }
      if (ch.planned.kind != Kind::None &&
          (best < 0 || ch.planned.time < channels[std::size_t(best)].planned.time))
        best = int(c);
    }
    const Cycle tc = best < 0 ? kNever : channels[std::size_t(best)].planned.time;
    if (ta <= tc) {  // a request arriving at t can be scheduled at t
      if (ta >= limit) return false;
      now = ta;
      admit(ta);
      return true;
    }
    if (tc >= limit) return false;
    now = tc;
    Channel& ch = channels[std::size_t(best)];
    process(ch, ch.planned);
    ch.dirty = true;
    frontier = std::max(frontier, tc + 1);
    return true;
  }
};

DramController::DramController(const DramConfig& config) : impl_(std::make_unique<Impl>(config)) {}
DramController::~DramController() = default;
DramController::DramController(DramController&&) noexcept = default;
DramController& DramController::operator=(DramController&&) noexcept = default;

RequestId DramController::submit(const DramRequest& r) {
  Impl& m = *impl_;
  if (r.arrival < m.last_arrival || r.arrival < m.frontier)
    throw InternalError("dram: request arrives at cycle " + std::to_string(r.arrival) +
                        ", before an earlier request (" + std::to_string(m.last_arrival) +
                        ") or an already simulated cycle (" + std::to_string(m.frontier) + ")");
  const RequestId id = RequestId(m.completion.size());
  m.completion.push_back(kPending);
  m.last_arrival = r.arrival;
  m.incoming.push_back({id, m.map.decode(r.addr), r.is_write, r.arrival});
  if (m.observer) m.observer->on_submit(id, r);
  return id;
}

std::pair<RequestId, std::int64_t> DramController::submit_bytes(std::uint64_t addr, std::int64_t bytes,
                                                                bool is_write, Cycle arrival) {
  if (bytes <= 0) return {RequestId(impl_->completion.size()), 0};
  const std::uint64_t bpb = std::uint64_t(impl_->org.bytes_per_burst());
  const std::uint64_t first = addr / bpb * bpb, end = addr + std::uint64_t(bytes);
  const RequestId id0 = RequestId(impl_->completion.size());
  std::int64_t n = 0;
  for (std::uint64_t a = first; a < end; a += bpb, ++n) submit({a, is_write, arrival});
  return {id0, n};
}

void DramController::advance(Cycle until) {
  Impl& m = *impl_;
  while (m.step(until)) {
  }
  if (until > m.now) m.now = until;
  m.frontier = std::max(m.frontier, m.now);
  m.account_until(m.now);
}

Cycle DramController::wait_for(RequestId id) {
  Impl& m = *impl_;
  if (id < 0 || id >= RequestId(m.completion.size())) throw InternalError("dram: no request " + std::to_string(id));
  while (m.completion[std::size_t(id)] == kPending)
    if (!m.step(kNever)) throw InternalError("dram: request pending but no event can happen");
  return m.completion[std::size_t(id)];
}

Cycle DramController::frontier() const { return impl_->frontier; }

Cycle DramController::run_until_idle() {
  Impl& m = *impl_;
  while (m.completed < RequestId(m.completion.size()))
    if (!m.step(kNever)) throw InternalError("dram: requests pending but no event can happen");
  advance(std::max(m.now, m.stats.last_completion));
  return m.now;
}

Cycle DramController::now() const { return impl_->now; }
std::int64_t DramController::submitted() const { return std::int64_t(impl_->completion.size()); }
std::int64_t DramController::completed() const { return impl_->completed; }
Cycle DramController::completion(RequestId id) const {
  if (id < 0 || id >= RequestId(impl_->completion.size())) throw InternalError("dram: no request " + std::to_string(id));
  return impl_->completion[std::size_t(id)];
}
const DramStats& DramController::stats() const { return impl_->stats; }
const DramConfig& DramController::config() const { return impl_->cfg; }
const AddressMapping& DramController::mapping() const { return impl_->map; }
void DramController::set_observer(DramRequestObserver* observer) { impl_->observer = observer; }

}  // namespace rcsim::dram

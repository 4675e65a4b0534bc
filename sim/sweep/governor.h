#pragma once
// The runtime governor (Tann et al.: width "adjusted depending on response time, power, and
// accuracy targets"): replays a request trace and picks a width per request from measured
// per-width cycles, energy and accuracy, counting the cost of reconfiguring between widths.
//
// Timing model: requests are served one at a time in arrival order; a request starts at
// max(its arrival, the previous request's finish), then pays the reconfiguration time (if the
// width changes) and the width's latency. Its deadline is relative to its arrival.
//
// Idle periods (optional, IdlePower): between two requests the accelerator leaks. Each gateable
// unit is clock-gated when idle; once the idle period has lasted the unit's break-even time
// t_be = wake energy / (clock-gated − gated leakage) it is power-gated, and woken (paying the
// wake energy and latency) when the next request arrives. This timeout rule needs no knowledge
// of future arrivals and never spends more than twice the best choice in hindsight (ski rental);
// with gating priced free (t_be = 0) every idle period is gated at once.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace rcsim::sweep {

/// One width's measured cost and quality (from the accelerator + energy model, or a CSV).
struct WidthEntry {
  int width = 0;
  std::int64_t cycles = 0;
  double latency_s = 0;
  double energy_j = 0;     ///< per inference
  double avg_power_w = 0;
  double accuracy = 0;     ///< fraction in [0,1]
};

struct WidthTable {
  std::vector<WidthEntry> widths;  ///< ascending width, contiguous 1..G
  /// reconfig_j[from-1][to-1], reconfig_s[from-1][to-1]: cost of switching between inferences.
  std::vector<std::vector<double>> reconfig_j;
  std::vector<std::vector<double>> reconfig_s;

  const WidthEntry& at(int width) const { return widths.at(std::size_t(width - 1)); }
  int max_width() const { return int(widths.size()); }
  /// Throws InputError unless widths are 1..G in order and the matrices are G×G.
  void validate(const std::string& origin) const;
};

/// CSV with columns width, cycles, latency_s, energy_j, avg_power_w, accuracy and optionally
/// widen_j, widen_cycles: the cost of bringing width g's banks back when widening to or past g
/// (reconfiguring a→b with b > a costs Σ_{g=a+1..b} widen_*; narrowing costs nothing). Cycles
/// convert to seconds with the table's own clock (cycles / latency_s).
WidthTable load_width_table(const std::string& csv_path);
/// The same table as CSV (with the widening costs taken from the matrix's a→a+1 steps).
std::string width_table_csv(const WidthTable& t);

/// One kind of gateable unit (from area::gating_model, built by idle_power_of() in idle_power.h).
struct IdleUnit {
  std::string name;
  int count = 0;        ///< units of this kind
  int width_group = 0;  ///< 0: gateable at every width; g ≥ 1: a weight bank of width group g,
                        ///< already in its gated state while the width is below g
  double on_w = 0;      ///< one unit, powered and clock-gated
  double gated_w = 0;   ///< one unit, gated
  double wake_j = 0;    ///< one unit
  double wake_s = 0;
  double break_even_s() const;  ///< wake_j / (on_w − gated_w), +∞ if on_w ≤ gated_w
};

/// Leakage between requests. Not modelled unless `modelled` (the default keeps the replay as
/// before: no idle energy, no wake latency).
struct IdlePower {
  bool modelled = false;
  double always_on_w = 0;  ///< never gated
  std::vector<IdleUnit> units;
};

struct Request {
  double time_s = 0;
  double deadline_s = std::numeric_limits<double>::infinity();      ///< relative; empty → none
  double power_budget_w = std::numeric_limits<double>::infinity();  ///< empty → none
  double min_accuracy = 0;
  double energy_budget_j = std::numeric_limits<double>::quiet_NaN(); ///< allowance; NaN → none
};

/// CSV with columns time_s, deadline_s, power_budget_w, min_accuracy[, energy_budget_j]; empty
/// cells mean "no constraint". Times must not decrease. InputError names file:row:column.
std::vector<Request> load_trace(const std::string& csv_path);

enum class PolicyKind { Fixed, Deadline, Accuracy, Energy };

struct Policy {
  PolicyKind kind = PolicyKind::Deadline;
  int fixed_width = 0;  ///< Fixed
  /// Deadline: how many requests (the current one included) the width choice plans over.
  /// The window holds the current request and the following ones that arrive before the
  /// latest the current one could finish plus each of them run at the slowest width with the
  /// slowest reconfiguration (the only requests a choice can delay), at most this many.
  /// Over the window, widths are chosen to miss the fewest deadlines (exact, by dynamic
  /// programming over (request, width, misses) → earliest finish); the current request takes
  /// the widest width of such a plan. 1 = greedy (each request alone: the widest width that
  /// meets its own deadline), which is optimal when no request arrives while the previous one
  /// could still be running (then each choice delays nothing) — e.g. the spaced traces.
  /// The planner ignores idle-period wake latencies (IdlePower) of requests after the current one.
  int lookahead = 32;
  /// Energy: total budget over the trace, spread evenly over the remaining requests when a
  /// request has no energy_budget_j of its own (infinity = no budget: then every request must
  /// have its own energy_budget_j, else replay() throws InputError).
  double total_energy_budget_j = std::numeric_limits<double>::infinity();
};

/// "fixed:K" | "deadline" (look-ahead) | "deadline-greedy" (lookahead 1) | "accuracy" |
/// "energy"; InputError otherwise.
Policy parse_policy(const std::string& text);
/// The name parse_policy() reads back.
std::string policy_name(const Policy& p);

struct Decision {
  int width = 0;
  double start_s = 0;     ///< when service began (after waiting for the previous request)
  double finish_s = 0;
  double response_s = 0;  ///< finish − arrival
  double reconfig_j = 0;
  double energy_j = 0;    ///< inference + reconfiguration
  double accuracy = 0;
  bool reconfigured = false;  ///< the width differs from the previous one (or the initial width)
  bool deadline_met = true;
  bool power_ok = true;
  bool accuracy_ok = true;
  /// Measured on a real image (set by the caller, not replay()): 1 when the network at this
  /// width classified the request's test image correctly, 0 when not, −1 when not measured.
  int correct = -1;
  // Idle period before this request (IdlePower modelled; zero otherwise).
  double idle_s = 0;        ///< time the accelerator was idle before this request arrived
  double idle_j = 0;        ///< leakage over it + wake energy of the units gated in it
  int units_gated = 0;      ///< units power-gated in it (0: clock-gated only)
  double wake_s = 0;        ///< wake latency added before service
};

struct GovernorTotals {
  std::size_t requests = 0;
  double energy_j = 0;
  double reconfig_j = 0;
  std::size_t reconfigurations = 0;
  std::size_t deadline_misses = 0;
  std::size_t power_violations = 0;
  std::size_t accuracy_misses = 0;
  double mean_accuracy = 0;  ///< expected accuracy: mean of the chosen widths' accuracies
  std::size_t measured = 0;  ///< requests whose accuracy was measured on a real image
  double measured_accuracy = std::numeric_limits<double>::quiet_NaN();  ///< correct / measured
  double idle_j = 0;            ///< Σ idle energy (not in energy_j)
  std::size_t idle_periods = 0;  ///< requests that found the accelerator idle
  std::size_t gated_periods = 0; ///< idle periods in which some unit was power-gated
};

/// Replays `trace`, starting at width `initial_width` (the accelerator's configuration before
/// the first request).
std::vector<Decision> replay(const WidthTable& table, const std::vector<Request>& trace,
                             const Policy& policy, int initial_width, const IdlePower& idle = {});

/// Energy of one idle period of `idle_s` at width `width` under the timeout rule above; sets
/// `units_gated` and `wake_s` of `d` when given.
double idle_energy(const IdlePower& idle, double idle_s, int width, Decision* d = nullptr);
GovernorTotals totals(const std::vector<Decision>& d);

/// Per-request CSV (request, time_s, width, …) of a replay.
std::string decisions_csv(const std::vector<Request>& trace, const std::vector<Decision>& d);

}  // namespace rcsim::sweep

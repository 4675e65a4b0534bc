#pragma once
// The dataflows an architecture may name (`array.dataflow`): name, one-line description and the
// constraints the arch loader checks. Only names and rules live here, at the bottom layer, so
// the arch loader can list and validate them without depending on the code that runs them; each
// dataflow's implementation (fold planning, schedule, closed-form counters, per-cycle driving)
// is a plug-in in sim/accel/dataflow/ registered under the same name
// (docs/architecture.md: "Adding a dataflow").
#include <string>
#include <vector>

namespace rcsim {

struct DataflowInfo {
  const char* name;           ///< as written in `array.dataflow`
  const char* description;    ///< e.g. "weight-stationary"
  bool scalesim_timing_only;  ///< runs only with `timing: scalesim` (folds serialized)
};

/// Every dataflow, in the order docs and error messages list them.
const std::vector<DataflowInfo>& dataflow_catalog();

/// A catalogued dataflow, held by name (cheap to copy and compare; points into the catalog).
class Dataflow {
 public:
  /// The built-in dataflows, for code and tests that name one; others come from parse().
  static const Dataflow WS, OS, IS;
  /// The catalogued dataflow called `name`, or false if there is none.
  static bool parse(const std::string& name, Dataflow& out);
  const char* name() const { return name_; }
  const DataflowInfo& info() const;
  friend bool operator==(Dataflow a, Dataflow b);
  friend bool operator!=(Dataflow a, Dataflow b) { return !(a == b); }

 private:
  constexpr explicit Dataflow(const char* name) : name_(name) {}
  const char* name_;
};

inline constexpr Dataflow Dataflow::WS{"ws"};
inline constexpr Dataflow Dataflow::OS{"os"};
inline constexpr Dataflow Dataflow::IS{"is"};

inline const char* to_string(Dataflow d) { return d.name(); }
/// "ws (weight-stationary), os (...), is (input-stationary; timing: scalesim only)": the
/// `array.dataflow` field's description, from the catalog.
const char* dataflow_field_description();

/// "ws, os, is": the catalogued names joined by `separator`.
std::string dataflow_names(const std::string& separator = ", ");

}  // namespace rcsim

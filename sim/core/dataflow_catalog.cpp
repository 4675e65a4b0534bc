#include "core/dataflow_catalog.h"

#include <cstring>

#include "core/errors.h"

namespace rcsim {

const std::vector<DataflowInfo>& dataflow_catalog() {
  // Registration, part 1 of 2 (part 2: sim/accel/dataflow/dataflow_registry.cpp).
  static const std::vector<DataflowInfo> catalog{
      {"ws", "weight-stationary", false},
      {"os", "output-stationary", false},
      {"is", "input-stationary", true},
  };
  return catalog;
}

bool Dataflow::parse(const std::string& name, Dataflow& out) {
  for (const DataflowInfo& d : dataflow_catalog())
    if (name == d.name) {
      out = Dataflow(d.name);
      return true;
    }
  return false;
}

const DataflowInfo& Dataflow::info() const {
  for (const DataflowInfo& d : dataflow_catalog())
    if (std::strcmp(d.name, name_) == 0) return d;
  throw InternalError(std::string("dataflow '") + name_ + "' is not in the dataflow catalog");
}

bool operator==(Dataflow a, Dataflow b) { return a.name_ == b.name_ || std::strcmp(a.name_, b.name_) == 0; }

std::string dataflow_names(const std::string& separator) {
  std::string s;
  for (const DataflowInfo& d : dataflow_catalog()) s += (s.empty() ? "" : separator) + d.name;
  return s;
}

const char* dataflow_field_description() {
  static const std::string d = [] {
    std::string s;
    for (const DataflowInfo& f : dataflow_catalog())
      s += std::string(s.empty() ? "" : ", ") + f.name + " (" + f.description +
           (f.scalesim_timing_only ? "; timing: scalesim only" : "") + ")";
    return s;
  }();
  return d.c_str();
}

}  // namespace rcsim

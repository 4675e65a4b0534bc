#include "core/layer_counters_json.h"

namespace rcsim {

nlohmann::json counters_to_json(const LayerCounters& c) {
  nlohmann::json j = nlohmann::json::object();
  for_each_counter(c, [&j](const CounterDescription& d, const auto& value) { j[d.name] = value; });
  return j;
}

}  // namespace rcsim

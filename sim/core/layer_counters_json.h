#pragma once
// Counters of one layer as a JSON object: {"<counter>": number | [per bank], …} with every
// counter of RCSIM_LAYER_COUNTERS under its declared name (`rcsim run --json`, sweeps).
#include <nlohmann/json.hpp>

#include "core/layer_counters.h"

namespace rcsim {

nlohmann::json counters_to_json(const LayerCounters& c);

}  // namespace rcsim

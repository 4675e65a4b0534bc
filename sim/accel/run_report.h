#pragma once
// The JSON report of one `rcsim run` (documented in docs/accelerator.md); reusable by sweeps.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "accel/accelerator.h"
#include "core/layer_counters_json.h"

namespace rcsim {

struct RunInfo {
  std::string network, arch, weights;
  int width = 1;
  AccelOptions opts;
  int images = 1;
  bool outputs_match_reference = false;
  std::optional<double> accuracy;  ///< over the images when a dataset was given
};

/// {"network","width","arch","mode","backend","dataflow","timing","rows","cols","clock_hz",
///  "weights","images","cycles","latency_s","macs","utilization","layers":[{"name","type",
///  "cycles","macs","utilization","jobs","counters":{…}}],"totals":{…},"outputs_match_reference",
///  "accuracy"} — accuracy is null without a dataset.
nlohmann::json run_to_json(const RunInfo& info, const ArchParams& arch, const Network& net,
                           const InferenceRun& run);

}  // namespace rcsim

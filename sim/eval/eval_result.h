#pragma once
// What one evaluation measured. Holds only what reports need — no image's layer outputs: each
// image is checked against the integer reference as soon as it finished and then dropped, so a
// run's memory does not grow with its number of images.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "accel/accelerator.h"
#include "area/area_model.h"
#include "core/network.h"
#include "energy/energy_report.h"
#include "core/arch_params.h"

namespace rcsim::eval {

struct EvalResult {
  std::shared_ptr<const Network> network;
  ArchParams arch;
  int width = 0;
  std::string weights_label;  ///< where the weights came from (a path, "random (seed 1)")
  AccelOptions accel;
  /// The first image's run: cycles, MACs, per-layer counters and utilization (its `output`s are
  /// empty). Timing and counters do not depend on the data, so it stands for every image.
  InferenceRun run;
  energy::EnergyReport energy;  ///< per inference, from run's counters
  /// Silicon area of `arch` at the energy table's node (docs/area.md); empty when that node has
  /// no shipped area table (a custom energy table for another node).
  std::optional<area::AreaReport> area;
  std::size_t images = 0;
  bool outputs_checked = false;  ///< EvalRequest::check_outputs
  /// Every layer of every image equal to the integer reference (false when not checked).
  bool outputs_match_reference = false;
  std::optional<std::size_t> first_mismatch;  ///< index of the first image that differed
  /// Share of the images whose accelerator logits' argmax equals the label (dataset images only).
  std::optional<double> accuracy;

  std::int64_t cycles() const { return run.cycles; }
  double latency_s() const { return double(run.cycles) / arch.clock_hz; }
  /// Energy × delay × area (J·s·mm²): the design-space figure of merit with silicon cost.
  std::optional<double> edap() const {
    if (!area) return std::nullopt;
    return energy.energy_j * latency_s() * area->area_mm2;
  }
};

}  // namespace rcsim::eval

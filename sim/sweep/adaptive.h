#pragma once
// The adaptive ("escalate when unsure") policy beyond the paper: run the narrowest width; when
// the softmax top-1 margin (p1 − p2) of its logits is below a threshold, run a wider width on
// the same image, until the margin clears the threshold or the full width has run. One weight
// set serves every width (incremental training), so this is big/LITTLE without a second model.
// Energy per image counts every width run plus the reconfigurations (widen, then back to the
// start width for the next image); the prediction is the last width's.
#include <cstdint>
#include <string>
#include <vector>

#include "core/quantized_network.h"
#include "host/dataset.h"
#include "sweep/governor.h"

namespace rcsim::sweep {

/// Prediction and softmax margin of one image at every width (index k−1).
struct ImageOutcome {
  int label = 0;
  std::vector<int> pred;
  std::vector<double> margin;
};

/// Softmax top-1 margin p1 − p2 of logits at scale 2^-shift (0 for fewer than two classes).
double softmax_margin(const std::vector<std::int32_t>& logits, int shift);

/// Runs the integer reference on every image at every width.
std::vector<ImageOutcome> image_outcomes(const QuantizedNetwork& qn, const Dataset& ds);

enum class Escalation {
  Next,  ///< 1 → 2 → … → G, stopping at the first confident width
  Full,  ///< 1 → G directly (big/LITTLE)
};

struct CascadeResult {
  double threshold = 0;
  double accuracy = 0;          ///< fraction correct
  double energy_j = 0;          ///< mean per image, reconfiguration included
  double latency_s = 0;         ///< mean per image, reconfiguration included
  double escalated = 0;         ///< fraction of images that ran more than the first width
  std::vector<double> final_width_share;  ///< fraction of images finishing at each width
};

CascadeResult evaluate_cascade(const std::vector<ImageOutcome>& images, const WidthTable& table, double threshold,
                               Escalation mode);

/// The same numbers for always running width k (no reconfiguration).
CascadeResult evaluate_fixed(const std::vector<ImageOutcome>& images, const WidthTable& table, int k);

}  // namespace rcsim::sweep

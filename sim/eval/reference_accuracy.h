#pragma once
// Accuracy of a weight set at every width from the integer reference, which is bit-identical to
// the accelerator at every width (tests/e2e/test_accel_reference.cpp): the cheap way to score a
// whole test set. Used by `rcsim report`, the governor's width table and the sweep's accuracy
// column.
#include <vector>

#include "core/quantized_network.h"
#include "host/dataset.h"

namespace rcsim::eval {

/// Element k−1: share of `ds`'s images whose width-k logits' argmax equals the label (k = 1..G).
std::vector<double> reference_accuracy(const QuantizedNetwork& qn, const Dataset& ds);

}  // namespace rcsim::eval

#pragma once
// The integer reference's logits for every image of a dataset at every width, batch by batch
// through int_logits_widths (the batched all-widths path `rcsim eval` uses): several times faster
// than int_forward per image and width, with the same integers. For callers that score a whole
// test set (sweep accuracy, cascade outcomes).
#include <cstdint>
#include <functional>

#include "core/quantized_network.h"
#include "host/dataset.h"

namespace rcsim {

/// Images per int_logits_widths call: weights are packed once per batch.
inline constexpr std::size_t kLogitsBatch = 64;

/// Calls visit(i, k, logits, classes) for every image i of `ds` and every width k = 1..G, in
/// image order, width by width within a batch. `logits` points at image i's `classes` width-k
/// logits (exactly int_forward(qn, k, quantize_image(qn, ds.image(i))).back()).
void for_each_int_logits(const QuantizedNetwork& qn, const Dataset& ds,
                         const std::function<void(std::size_t i, int k, const std::int32_t* logits, std::size_t classes)>& visit);

}  // namespace rcsim

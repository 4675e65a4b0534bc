#pragma once
// The runs of possibly non-zero operands a row of a systolic array model still holds, shared by
// the weight- and output-stationary models: a row multiplies only where a span meets non-zero
// weights, so zero operands (narrow widths, padding, fill and drain) cost nothing.
#include <cstdint>

namespace rcsim {

/// Edges [first, last] of a row whose operands may be non-zero (all others entered as 0).
struct OperandSpan {
  std::int64_t first, last;
};

/// Zero operands between two non-zero ones of a row that still extend one span: computing a few
/// products with 0 is cheaper than tracking another span.
constexpr std::int64_t kOperandSpanGap = 8;

/// One edge t of a row whose spans sit in the ring `sp` (capacity mask + 1, from `first`, `count`
/// of them): drops the spans that ended before `oldest` (their operands have left the row) and
/// records the operand `a_new` that entered at t.
inline void advance_operand_spans(OperandSpan* sp, int mask, int& first, int& count, std::int64_t oldest,
                                  std::int64_t t, std::int32_t a_new) {
  while (count > 0 && sp[first].last < oldest) first = (first + 1) & mask, --count;
  if (a_new == 0) return;
  OperandSpan* const back = count > 0 ? &sp[(first + count - 1) & mask] : nullptr;
  if (back && t - back->last <= kOperandSpanGap + 1) {
    back->last = t;
  } else {
    sp[(first + count) & mask] = OperandSpan{t, t};
    ++count;
  }
}

}  // namespace rcsim

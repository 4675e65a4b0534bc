#include "core/layer_counters.h"

namespace rcsim {

namespace {

void add(std::int64_t& a, std::int64_t b) { a += b; }

void add(std::vector<std::int64_t>& a, const std::vector<std::int64_t>& b) {
  if (a.size() < b.size()) a.resize(b.size(), 0);
  for (std::size_t i = 0; i < b.size(); ++i) a[i] += b[i];
}

}  // namespace

LayerCounters& LayerCounters::operator+=(const LayerCounters& o) {
#define RCSIM_COUNTER_ADD(name, kind, unit, description) add(name, o.name);
  RCSIM_LAYER_COUNTERS(RCSIM_COUNTER_ADD)
#undef RCSIM_COUNTER_ADD
  return *this;
}

bool LayerCounters::operator==(const LayerCounters& o) const {
  bool same = layer == o.layer;
#define RCSIM_COUNTER_EQUAL(name, kind, unit, description) same = same && name == o.name;
  RCSIM_LAYER_COUNTERS(RCSIM_COUNTER_EQUAL)
#undef RCSIM_COUNTER_EQUAL
  return same;
}

const std::vector<CounterDescription>& counter_descriptions() {
  static const std::vector<CounterDescription> d{
#define RCSIM_COUNTER_DESCRIPTION(name, kind, unit, description) {#name, unit, description, CounterKind::kind},
      RCSIM_LAYER_COUNTERS(RCSIM_COUNTER_DESCRIPTION)
#undef RCSIM_COUNTER_DESCRIPTION
  };
  return d;
}

}  // namespace rcsim

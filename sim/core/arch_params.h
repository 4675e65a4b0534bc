#pragma once
// Architecture parameters (workloads/arch/*.yaml): parsed → validated → immutable.
//
// Each field is declared ONCE, in RCSIM_ARCH_FIELDS: the struct member and its default, and —
// through core/arch_fields.h — the YAML keys, `--set path=value` paths, value parsing (sizes
// with units), the single-field validation rule and its message, the sweep's axes and the docs
// table (`rcsim info --fields arch --markdown`). Rules that relate two fields are in
// arch_cross_rules() (core/arch_fields.h).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/dataflow_catalog.h"

namespace rcsim {

enum class TimingMode { Overlapped, ScaleSim };
/// What happens to the weight-SRAM banks of width groups the current width does not use; the
/// accelerator sets the bank states and the energy model charges them.
enum class BankGating {
  Retention,  ///< drowsy: contents kept, leak retention_factor, wake in a few cycles
  Off,        ///< power-gated: contents lost, leak off_factor, reload from DRAM on widening
};

const char* to_string(TimingMode t);
const char* to_string(BankGating g);

/// The YAML spelling of every value of an enum field, in enum order.
template <class E>
const std::vector<std::pair<E, const char*>>& enum_names();
template <>
const std::vector<std::pair<Dataflow, const char*>>& enum_names<Dataflow>();
template <>
const std::vector<std::pair<TimingMode, const char*>>& enum_names<TimingMode>();
template <>
const std::vector<std::pair<BankGating, const char*>>& enum_names<BankGating>();

/// How a field's text is read (core/field_value.h) and what C++ type holds it.
namespace arch_type {
struct Text {
  using value_type = std::string;
};
struct Int {
  using value_type = int;
};
struct Number {
  using value_type = double;
};
struct Bytes {  ///< a byte count: "65536", "64K", "128KiB", "1MiB"
  using value_type = std::int64_t;
};
template <class E>
struct Choice {  ///< one of enum_names<E>()
  using value_type = E;
};
}  // namespace arch_type

// X(member, type, path, unit, default, rule, description), in YAML order. `rule` is a single-
// field rule of core/arch_fields.h (none, positive, non_negative, in_range(a, b), either(a, b),
// positive_multiple_of(m)). The defaults are workloads/arch/default.yaml's (a test checks).
#define RCSIM_ARCH_FIELDS(X)                                                                                    \
  X(name, Text, "name", "", "default", none(), "architecture name (reports)")                                  \
  X(technology, Text, "technology", "", "45nm", none(), "energy table: energy_models/<technology>.yaml")       \
  X(clock_hz, Number, "clock_hz", "Hz", 1e9, in_range(1e3, 1e12), "clock frequency")                           \
  X(precision, Int, "precision", "bits", 8, either(8, 16),                                                      \
    "operand precision of weights and activations (must equal the weights')")                                  \
  X(timing, Choice<TimingMode>, "timing", "", TimingMode::Overlapped, none(),                                   \
    "overlapped (next fold preloads during compute) or scalesim (serialized folds, SCALE-Sim v2 counts)")       \
  X(rows, Int, "array.rows", "PEs", 16, in_range(1, 1024), "PE-array rows R (reduction dimension in WS)")       \
  X(cols, Int, "array.cols", "PEs", 16, in_range(1, 1024), "PE-array columns C (output channels in WS)")        \
  X(dataflow, Choice<Dataflow>, "array.dataflow", "", Dataflow::WS, none(), dataflow_field_description())    \
  X(wsram_bytes, Bytes, "weight_sram.size_bytes", "bytes", 1024 * 1024, none(),                                 \
    "weight SRAM capacity (all banks; each width group gets size_bytes / G)")                                  \
  X(wsram_banks, Int, "weight_sram.banks", "banks", 8, positive(),                                              \
    "number of banks; split evenly among the width groups (a multiple of the network's G)")                    \
  X(wsram_word_bits, Int, "weight_sram.word_bits", "bits", 128, none(),                                         \
    "bank word width (one read returns one word)")                                                              \
  X(gating, Choice<BankGating>, "weight_sram.gating", "", BankGating::Retention, none(),                        \
    "state of banks of inactive width groups: retention (drowsy) or off (power-gated)")                        \
  X(act_bytes, Bytes, "act_buffer.size_bytes", "bytes", 128 * 1024, none(),                                     \
    "activation buffer capacity: a chain's two ping-pong halves; a graph's tensors live at each node")         \
  X(act_word_bits, Int, "act_buffer.word_bits", "bits", 8, positive_multiple_of(8),                             \
    "activation buffer word width (SRAM macro sizing; counters count one access per activation)")              \
  X(dram_type, Text, "dram.type", "", "lpddr4-3200", none(),                                                    \
    "DRAM device: a preset of energy_models/dram (ddr4-3200, lpddr4-3200) or a preset YAML path; times and "    \
    "charges every DMA transfer (sim/dram)")                                                                    \
  X(dram_bytes_per_cycle, Number, "dram.bandwidth_bytes_per_cycle", "bytes/cycle", 16, in_range(1e-3, 1e6),             \
    "off-chip bandwidth assumed by the reconfiguration-cost estimate (reloading power-gated weights)")         \
  X(dram_latency_cycles, Int, "dram.latency_cycles", "cycles", 100, non_negative(),                             \
    "off-chip latency assumed by the reconfiguration-cost estimate")

struct ArchParams {
#define RCSIM_ARCH_MEMBER(member, type, path, unit, default_value, rule, description) \
  arch_type::type::value_type member = default_value;
  RCSIM_ARCH_FIELDS(RCSIM_ARCH_MEMBER)
#undef RCSIM_ARCH_MEMBER

  /// Bytes of one stationary fold's weights (rows × cols operands).
  std::int64_t fold_weight_bytes() const { return std::int64_t(rows) * cols * precision / 8; }
  /// Every field equal.
  bool operator==(const ArchParams& o) const;
  bool operator!=(const ArchParams& o) const { return !(*this == o); }
};

/// Parses an arch YAML text; `overrides` are `path=value` pairs applied first (`--set`).
/// Every error is a ConfigError "<origin>: <field path>: <rule>".
ArchParams parse_arch(const std::string& yaml_text, const std::string& origin,
                      const std::vector<std::string>& overrides = {});
/// Loads a file path, or a shipped arch by name ("default" → workloads/arch/default.yaml).
ArchParams load_arch(const std::string& name_or_path, const std::vector<std::string>& overrides = {});
/// Throws ConfigError naming the field if a value is out of range (every field's rule, then
/// every cross-field rule, in declaration order).
void validate_arch(const ArchParams& a, const std::string& origin);

}  // namespace rcsim

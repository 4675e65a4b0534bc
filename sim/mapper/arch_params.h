#pragma once
// Architecture parameters (workloads/arch/*.yaml): parsed → validated → immutable. Every field
// is described once in arch_field_descriptions() (docs and `--set` errors use it).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/dataflow_catalog.h"

namespace rcsim {

enum class TimingMode { Overlapped, ScaleSim };
enum class BankGating { Retention, Off };

const char* to_string(TimingMode t);
const char* to_string(BankGating g);

struct ArchParams {
  std::string name = "default";
  std::string technology = "45nm";  ///< energy table to use (energy_models/<technology>.yaml)
  double clock_hz = 1e9;
  int rows = 16;                    ///< array.rows
  int cols = 16;                    ///< array.cols
  Dataflow dataflow = Dataflow::WS; ///< array.dataflow
  int precision = 8;                ///< operand bits (8|16)
  TimingMode timing = TimingMode::Overlapped;
  // Weight SRAM: banks are split evenly among the width groups (each group its own banks).
  std::int64_t wsram_bytes = 256 * 1024;  ///< weight_sram.size_bytes
  int wsram_banks = 8;                    ///< weight_sram.banks (multiple of the network's G)
  int wsram_word_bits = 128;              ///< weight_sram.word_bits
  BankGating gating = BankGating::Retention;  ///< weight_sram.gating
  // Activation buffer: ping-pong, each half holds one layer's input or output.
  std::int64_t act_bytes = 128 * 1024;    ///< act_buffer.size_bytes (both halves)
  int act_word_bits = 8;                  ///< act_buffer.word_bits (macro sizing; one access per activation)
  // DRAM: weights that do not fit their group's banks are fetched per inference.
  double dram_bytes_per_cycle = 16;       ///< dram.bandwidth_bytes_per_cycle
  int dram_latency_cycles = 100;          ///< dram.latency_cycles

  /// Bytes of one stationary fold's weights (rows × cols operands).
  std::int64_t fold_weight_bytes() const { return std::int64_t(rows) * cols * precision / 8; }
};

/// Parses an arch YAML text; `overrides` are `path=value` pairs applied first (`--set`).
/// Every error is a ConfigError "<origin>: <field path>: <rule>".
ArchParams parse_arch(const std::string& yaml_text, const std::string& origin,
                      const std::vector<std::string>& overrides = {});
/// Loads a file path, or a shipped arch by name ("default" → workloads/arch/default.yaml).
ArchParams load_arch(const std::string& name_or_path, const std::vector<std::string>& overrides = {});
/// Throws ConfigError naming the field if a value is out of range.
void validate_arch(const ArchParams& a, const std::string& origin);

struct ArchFieldDescription {
  const char* path;
  const char* unit;
  const char* description;
};
const std::vector<ArchFieldDescription>& arch_field_descriptions();

}  // namespace rcsim

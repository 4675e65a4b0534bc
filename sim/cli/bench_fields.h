#pragma once
// The fields of `rcsim bench --json`, declared once for `rcsim info --fields bench`
// (docs/outputs.md). Naming rule: sweep/result_columns.h.
#include <vector>

namespace rcsim::cli {

struct BenchField {
  const char* name;
  const char* unit;
  const char* meaning;
};

inline const std::vector<BenchField>& bench_fields() {
  // Timing objects (per_cycle, fast, fast_timing_only) hold first_inference_wall_s,
  // first_inference_cpu_s (the warm-up inference, preparation included), wall_s_per_inference,
  // cpu_s_per_inference (steady state) and repetitions.
  static const std::vector<BenchField> f = {
      {"network", "", "network name"},
      {"width", "", "width configuration k"},
      {"arch", "", "architecture name"},
      {"rows", "", "PE-array rows"},
      {"cols", "", "PE-array columns"},
      {"sets", "", "the --set overrides of the arch"},
      {"load_average_before", "", "1-minute load average before the measurement"},
      {"load_average_after", "", "1-minute load average after the measurement"},
      {"cycles_per_inference", "cycles", "simulated cycles of one inference"},
      {"per_cycle", "s", "per-cycle mode timing object (absent with --no-per-cycle)"},
      {"per_cycle_simulated_cycles_per_cpu_s", "cycles/s", "simulated cycles per CPU second, per-cycle mode"},
      {"per_cycle_simulated_cycles_per_wall_s", "cycles/s", "simulated cycles per wall second, per-cycle mode"},
      {"fast", "s", "fast-mode timing object (with outputs)"},
      {"fast_timing_only", "s", "fast-mode timing object, timing and counters only"},
      {"fast_gemm", "", "fast mode's output GEMM: onednn or int16"},
      {"fast_over_per_cycle_cpu", "", "per-cycle / fast CPU time per inference"},
      {"fast_timing_only_over_per_cycle_cpu", "", "per-cycle / fast timing-only CPU time per inference"},
      {"fast_over_per_cycle_wall", "", "per-cycle / fast wall time per inference"},
      {"int8_weight_bytes", "B", "the network's weights at one byte each (at full width)"},
      {"quantized_weight_bytes", "B", "memory of the quantized weights the simulator reads (int8 storage for 8-bit networks, int16 for 16-bit)"},
      {"fast_prepared_heap_bytes", "B", "memory a fast-mode simulator holds for its prepared layers (operands, weight blocks, GEMM primitives, grouped-conv kernels, fold programs, tiles): live heap growth over its construction and AcceleratorSim::prepare, before any image"},
      {"fast_run_heap_bytes", "B", "live heap the fast simulator's first inference and timing loop added on top: activation tensors, operand scratch"},
      {"fast_rss_growth_bytes", "B", "resident-set growth over the fast simulator's construction, preparation, first inference and timing loop (includes memory freed but kept by the allocator)"},
      {"fast_memory_over_int8_weights", "", "(quantized_weight_bytes + fast_prepared_heap_bytes) / int8_weight_bytes"},
      {"fast_all_widths_prepared_heap_bytes", "B", "fast_prepared_heap_bytes of a simulator prepared at every width 1..G (what a width sweep or the governor keeps)"},
      {"fast_all_widths_memory_over_int8_weights", "", "(quantized_weight_bytes + fast_all_widths_prepared_heap_bytes) / int8_weight_bytes"},
  };
  return f;
}

}  // namespace rcsim::cli

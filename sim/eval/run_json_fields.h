#pragma once
// The fields of `rcsim run --json` (eval_json.h), declared once: name, unit, meaning.
// `rcsim info --fields run` prints them (docs/outputs.md) and tests/e2e/test_evaluator.cpp checks
// that a report has exactly these keys (top level and per layer). Naming rule:
// sweep/result_columns.h (SI base units with the unit as suffix; fractions 0..1 unsuffixed).
#include <vector>

namespace rcsim::eval {

struct RunJsonField {
  const char* name;  ///< top-level key, `layers[].key` for a key of every layer, or `key.<part>`
  const char* unit;
  const char* meaning;
  bool optional = false;  ///< only in some reports (said in the meaning)
};

inline const std::vector<RunJsonField>& run_json_fields() {
  static const std::vector<RunJsonField> f = {
      {"network", "", "network name"},
      {"width", "", "width configuration k that ran"},
      {"arch", "", "architecture name"},
      {"mode", "", "execution mode that ran: fast | per-cycle"},
      {"backend", "", "PE-array model that ran: a per-cycle backend name, or closed-form in fast mode"},
      {"dataflow", "", "ws | os | is"},
      {"timing", "", "overlapped | scalesim"},
      {"rows", "", "PE-array rows"},
      {"cols", "", "PE-array columns"},
      {"precision", "bits", "operand precision"},
      {"clock_hz", "Hz", "clock frequency"},
      {"dram_type", "", "DRAM preset (dram.type) that timed and charged the transfers"},
      {"weights", "", "where the weights came from (file, trained default, random seed)"},
      {"images", "", "images run"},
      {"cycles", "cycles", "clock cycles of one inference"},
      {"latency_s", "s", "cycles / clock_hz"},
      {"macs", "", "multiply-accumulates of one inference"},
      {"utilization", "", "macs / (rows × cols × cycles), 0..1"},
      {"layers", "", "one object per layer (the layers[].… fields)"},
      {"layers[].name", "", "layer name"},
      {"layers[].type", "", "layer kind (conv, fc, pool, …)"},
      {"layers[].cycles", "cycles", "cycles of the layer"},
      {"layers[].macs", "", "multiply-accumulates of the layer"},
      {"layers[].utilization", "", "macs / (rows × cols × cycles) of the layer, 0..1"},
      {"layers[].jobs", "", "GEMM jobs the layer was split into"},
      {"layers[].tiling", "",
       "{row_tiles, weight_tiles, order}: tiles through DRAM and their loop order (rows-outer | weights-outer)"},
      {"layers[].dram_bytes", "bytes", "DRAM traffic of the layer by tensor: {weights, inputs, outputs, residuals}"},
      {"layers[].bound", "", "memory when the array waited for DRAM in this layer, else compute"},
      {"layers[].dram_stall_fraction", "", "dram_stall_cycles / cycles of the layer, 0..1"},
      {"layers[].memory_to_compute", "",
       "the layer's DRAM bytes at peak bandwidth (cycles) / its compute cycles; > 1: bandwidth-limited"},
      {"layers[].counters", "(counter's)", "the layer's event counters (`rcsim info --fields counters`)"},
      {"layers[].energy_j", "J", "energy of the layer"},
      {"layers[].energy_by_component_j", "J", "energy of the layer per component"},
      {"totals", "(counter's)", "every event counter summed over the layers"},
      {"outputs_match_reference", "",
       "true when every layer's outputs equal the integer reference's (false when not checked)"},
      {"accuracy", "", "top-1 accuracy over the images run, 0..1 (null without labels)"},
      {"energy_j", "J", "energy of one inference = dynamic_j + static_j"},
      {"dynamic_j", "J", "Σ events × energy per event"},
      {"static_j", "J", "leakage over the inference's time"},
      {"avg_power_w", "W", "energy_j / latency_s"},
      {"edp_js", "J·s", "energy-delay product"},
      {"energy_by_component_j", "J", "energy per component (dynamic + static); sums to energy_j"},
      {"energy_by_layer_j", "J", "energy per layer, in layer order; sums to energy_j"},
      {"energy_components", "J", "per component {dynamic_j, static_j}"},
      {"energy_table", "", "the energy table used: {node, file, sources{entry: source}}"},
      {"area_mm2", "mm²",
       "silicon area of the architecture at the table's node (docs/area.md); absent for a node without an area table",
       true},
      {"area_by_component_mm2", "mm²", "area per component; sums to area_mm2", true},
      {"area_table", "", "the area tables used", true},
      {"edap_jsmm2", "J·s·mm²", "energy × latency × area", true},
  };
  return f;
}

}  // namespace rcsim::eval

#include "accel/run_report.h"

namespace rcsim {

nlohmann::json run_to_json(const RunInfo& info, const ArchParams& arch, const Network& net,
                           const InferenceRun& run) {
  nlohmann::json j;
  j["network"] = info.network;
  j["width"] = info.width;
  j["arch"] = info.arch;
  j["mode"] = to_string(info.opts.mode);
  // What ran (the array the accelerator built), not what was asked for.
  j["backend"] = !run.backend.empty() ? run.backend
                 : info.opts.mode == ExecMode::PerCycle ? info.opts.backend
                                                        : "closed-form";
  j["dataflow"] = to_string(arch.dataflow);
  j["timing"] = to_string(arch.timing);
  j["rows"] = arch.rows;
  j["cols"] = arch.cols;
  j["precision"] = arch.precision;
  j["clock_hz"] = arch.clock_hz;
  j["dram_type"] = arch.dram_type;
  j["weights"] = info.weights;
  j["images"] = info.images;
  j["cycles"] = run.cycles;
  j["latency_s"] = double(run.cycles) / arch.clock_hz;
  j["macs"] = run.macs;
  j["utilization"] = run.cycles ? double(run.macs) / (double(arch.rows) * arch.cols * double(run.cycles)) : 0.0;
  nlohmann::json layers = nlohmann::json::array();
  LayerCounters total;
  total.layer = "total";
  for (std::size_t i = 0; i < run.layers.size(); ++i) {
    const LayerRun& l = run.layers[i];
    layers.push_back({{"name", l.counters.layer},
                      {"type", to_string(net.layers[i].kind)},
                      {"cycles", l.counters.cycles},
                      {"macs", l.counters.macs},
                      {"utilization", l.utilization},
                      {"jobs", l.jobs},
                      {"tiling", {{"row_tiles", l.counters.row_tiles},
                                  {"weight_tiles", l.counters.weight_tiles},
                                  {"order", l.weights_outer ? "weights-outer" : "rows-outer"}}},
                      {"dram_bytes", {{"weights", l.dram.weights},
                                      {"inputs", l.dram.inputs},
                                      {"outputs", l.dram.outputs},
                                      {"residuals", l.dram.residuals}}},
                      // Memory-bound: the array waited for DRAM; memory_to_compute compares the
                      // layer's DRAM bytes at peak bandwidth with its compute cycles.
                      {"bound", l.counters.dram_stall_cycles > 0 ? "memory" : "compute"},
                      {"dram_stall_fraction",
                       l.counters.cycles ? double(l.counters.dram_stall_cycles) / double(l.counters.cycles) : 0.0},
                      {"memory_to_compute", l.counters.compute_cycles
                                                ? double(l.dram_peak_cycles) / double(l.counters.compute_cycles)
                                                : 0.0},
                      {"counters", counters_to_json(l.counters)}});
    total += l.counters;
  }
  j["layers"] = layers;
  j["totals"] = counters_to_json(total);
  j["outputs_match_reference"] = info.outputs_match_reference;
  j["accuracy"] = info.accuracy ? nlohmann::json(*info.accuracy) : nlohmann::json(nullptr);
  return j;
}

}  // namespace rcsim

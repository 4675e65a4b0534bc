#include "accel/run_report.h"

namespace rcsim {

nlohmann::json counters_to_json(const LayerCounters& c) {
  nlohmann::json j;
  j["cycles"] = c.cycles;
  j["macs"] = c.macs;
  j["pe_active_cycles"] = c.pe_active_cycles;
  j["pe_idle_cycles"] = c.pe_idle_cycles;
  j["pe_gated_cycles"] = c.pe_gated_cycles;
  j["pe_weight_loads"] = c.pe_weight_loads;
  j["link_operand_transfers"] = c.link_operand_transfers;
  j["link_psum_transfers"] = c.link_psum_transfers;
  j["wsram_reads"] = c.wsram_reads;
  j["wsram_writes"] = c.wsram_writes;
  j["act_reads"] = c.act_reads;
  j["act_writes"] = c.act_writes;
  j["accum_reads"] = c.accum_reads;
  j["accum_writes"] = c.accum_writes;
  j["dram_read_bytes"] = c.dram_read_bytes;
  j["dram_write_bytes"] = c.dram_write_bytes;
  j["postproc_ops"] = c.postproc_ops;
  j["pool_compares"] = c.pool_compares;
  j["controller_cycles"] = c.controller_cycles;
  j["bank_conflict_stalls"] = c.bank_conflict_stalls;
  j["dram_stall_cycles"] = c.dram_stall_cycles;
  j["bank_active_cycles"] = c.bank_active_cycles;
  j["bank_retention_cycles"] = c.bank_retention_cycles;
  j["bank_off_cycles"] = c.bank_off_cycles;
  return j;
}

nlohmann::json run_to_json(const RunInfo& info, const ArchParams& arch, const Network& net,
                           const InferenceRun& run) {
  nlohmann::json j;
  j["network"] = info.network;
  j["width"] = info.width;
  j["arch"] = info.arch;
  j["mode"] = to_string(info.opts.mode);
  j["backend"] = info.opts.mode == ExecMode::PerCycle ? info.opts.backend : "closed-form";
  j["dataflow"] = to_string(arch.dataflow);
  j["timing"] = to_string(arch.timing);
  j["rows"] = arch.rows;
  j["cols"] = arch.cols;
  j["precision"] = arch.precision;
  j["clock_hz"] = arch.clock_hz;
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

// `rcsim dram --preset ddr4-3200 --pattern stream --bytes 1M`: runs a synthetic request stream
// through the DRAM model and prints bandwidth, latency, row-buffer outcomes, power states and the
// energy breakdown; `--show` prints the preset with every value's source; `--trace FILE` writes
// the request stream for DRAMsim3 or Ramulator 2 (docs/dram.md).

#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "core/errors.h"
#include "dram/dram_config.h"
#include "dram/dram_controller.h"
#include "dram/dram_energy.h"
#include "dram/dram_patterns.h"
#include "dram/dram_trace.h"

namespace rcsim::cli {

namespace {

struct DramOptions {
  std::string preset = "ddr4-3200";
  std::string pattern = "stream";
  std::string bytes = "1M";
  bool write = false;
  std::int64_t interval = 0;
  std::int64_t idle_after = 0;
  std::string page_policy, scheduler, mapping;
  std::int64_t powerdown_idle = -1, self_refresh_idle = -1;
  std::uint64_t seed = 1;
  std::string trace, trace_format = "dramsim3";
  bool json = false, show = false, list = false;
};

std::int64_t parse_bytes(const std::string& s) {
  std::size_t pos = 0;
  long long v = 0;
  try {
    v = std::stoll(s, &pos);
  } catch (const std::exception&) {
    throw InputError("--bytes: '" + s + "' is not a size (e.g. 4096, 64K, 16M, 1G)");
  }
  const std::string suffix = s.substr(pos);
  long long mul = 1;
  if (suffix == "K" || suffix == "k") mul = 1LL << 10;
  else if (suffix == "M" || suffix == "m") mul = 1LL << 20;
  else if (suffix == "G" || suffix == "g") mul = 1LL << 30;
  else if (!suffix.empty()) throw InputError("--bytes: unknown suffix '" + suffix + "' (K, M or G)");
  if (v <= 0 || v > (1LL << 40) / mul) throw InputError("--bytes: " + s + " is out of range (1 .. 1T)");
  return v * mul;
}

std::string num(double v, int precision = 4) {
  std::ostringstream s;
  s << std::setprecision(precision) << v;
  return s.str();
}

void show_preset(const dram::DramConfig& c) {
  std::cout << "DRAM preset " << c.name << " (" << c.origin << "), " << c.standard << "\n" << c.description << "\n";
  std::cout << "peak " << num(c.peak_bytes_per_s() * 1e-9) << " GB/s, " << c.org.bytes_per_burst()
            << " B per burst, capacity " << c.org.capacity_bytes() / (1LL << 20) << " MiB\n\n";
  for (const auto& v : dram::dram_config_values(c))
    std::cout << std::left << std::setw(32) << v.key << " " << std::setw(13) << v.value << " " << v.source << "\n";
}

void run_dram(const DramOptions& o) {
  if (o.list) {
    for (const auto& n : dram::builtin_dram_config_names()) std::cout << n << "\n";
    return;
  }
  dram::DramConfig cfg = dram::load_dram_config(o.preset);
  if (o.show) {
    show_preset(cfg);
    return;
  }
  if (!o.page_policy.empty()) {
    if (o.page_policy != "open" && o.page_policy != "closed")
      throw InputError("--page-policy: '" + o.page_policy + "' (open | closed)");
    cfg.controller.page_policy = o.page_policy == "open" ? dram::PagePolicy::Open : dram::PagePolicy::Closed;
  }
  if (!o.scheduler.empty()) {
    if (o.scheduler != "frfcfs" && o.scheduler != "fcfs") throw InputError("--scheduler: '" + o.scheduler + "' (frfcfs | fcfs)");
    cfg.controller.scheduler = o.scheduler == "frfcfs" ? dram::Scheduler::FrFcfs : dram::Scheduler::Fcfs;
  }
  if (!o.mapping.empty()) cfg.controller.address_mapping = o.mapping;
  if (o.powerdown_idle >= 0) cfg.controller.powerdown_idle_ck = o.powerdown_idle;
  if (o.self_refresh_idle >= 0) cfg.controller.self_refresh_idle_ck = o.self_refresh_idle;
  if (o.interval < 0) throw InputError("--interval: must be >= 0");
  if (o.idle_after < 0) throw InputError("--idle-after: must be >= 0");
  const std::int64_t bytes = parse_bytes(o.bytes);
  const dram::Pattern pattern = dram::parse_pattern(o.pattern);

  dram::DramController ctrl(cfg);
  std::ofstream trace_file;
  std::unique_ptr<dram::TraceWriter> writer;
  if (!o.trace.empty()) {
    const dram::TraceFormat f = dram::parse_trace_format(o.trace_format);
    trace_file.open(o.trace);
    if (!trace_file) throw InputError("--trace: cannot write '" + o.trace + "'");
    writer = std::make_unique<dram::TraceWriter>(trace_file, f);
    ctrl.set_observer(writer.get());
  }
  const int bpb = cfg.org.bytes_per_burst();
  const std::int64_t count = (bytes + bpb - 1) / bpb;
  for (const auto& r : dram::make_pattern(pattern, count, bpb, cfg.org.capacity_bytes(), o.write, o.interval, o.seed))
    ctrl.submit(r);
  const dram::Cycle done = ctrl.run_until_idle();
  if (o.idle_after > 0) ctrl.advance(done + o.idle_after);
  const dram::DramStats& s = ctrl.stats();
  const dram::DramEnergy e = dram::dram_energy(cfg, s);
  const double seconds = double(done) * cfg.tck_s();
  const double gbps = seconds > 0 ? double(s.bytes) / seconds * 1e-9 : 0.0;
  const double bits = double(s.bytes) * 8;

  if (o.json) {
    nlohmann::json j;
    j["preset"] = cfg.name;
    j["pattern"] = o.pattern;
    j["is_write"] = o.write;
    j["requests"] = count;
    j["bytes"] = s.bytes;
    j["tck_ps"] = cfg.timing.tck_ps;
    j["cycles"] = done;
    j["elapsed_cycles"] = s.elapsed;
    j["bandwidth_gb_s"] = gbps;
    j["peak_gb_s"] = cfg.peak_bytes_per_s() * 1e-9;
    j["stats"] = dram::to_json(s);
    j["energy"] = dram::to_json(e);
    j["energy_pj_per_bit"] = bits > 0 ? e.total_j() / bits * 1e12 : 0.0;
    if (writer) j["trace_lines"] = writer->lines();
    std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return;
  }
  std::cout << "DRAM " << cfg.name << ": " << count << " " << o.pattern << (o.write ? " writes" : " reads") << " of "
            << bpb << " B (" << s.bytes << " B)\n";
  std::cout << "  time        " << done << " cycles = " << num(seconds * 1e6) << " us (tCK " << cfg.timing.tck_ps
            << " ps)\n";
  std::cout << "  bandwidth   " << num(gbps) << " GB/s = " << num(100 * gbps / (cfg.peak_bytes_per_s() * 1e-9), 3)
            << " % of peak " << num(cfg.peak_bytes_per_s() * 1e-9) << " GB/s\n";
  if (s.reads) std::cout << "  read lat.   avg " << num(s.avg_read_latency()) << ", max " << s.read_latency_max << " cycles\n";
  if (s.writes) std::cout << "  write lat.  avg " << num(s.avg_write_latency()) << ", max " << s.write_latency_max << " cycles\n";
  std::cout << "  row buffer  " << s.row_hits << " hits, " << s.row_misses << " misses, " << s.row_conflicts
            << " conflicts\n";
  std::cout << "  commands    " << s.activates << " ACT, " << s.precharges << " PRE, " << s.reads << " RD, " << s.writes
            << " WR, " << s.refreshes << " REF\n";
  std::cout << "  rank-cycles active " << s.active_standby_cycles << ", precharged " << s.precharge_standby_cycles
            << ", refreshing " << s.refreshing_cycles << ", active PD " << s.active_powerdown_cycles << ", precharged PD "
            << s.precharge_powerdown_cycles << ", self-refresh " << s.self_refresh_cycles << "\n";
  std::cout << "  energy      " << num(e.total_j() * 1e6) << " uJ = " << num(bits > 0 ? e.total_j() / bits * 1e12 : 0)
            << " pJ/bit; commands: ACT " << num(e.activate_j * 1e6) << ", PRE " << num(e.precharge_j * 1e6) << ", RD "
            << num(e.read_j * 1e6) << ", WR " << num(e.write_j * 1e6) << ", REF " << num(e.refresh_j * 1e6)
            << " uJ; background: active " << num(e.active_standby_j * 1e6) << ", precharged "
            << num(e.precharge_standby_j * 1e6) << ", active PD " << num(e.active_powerdown_j * 1e6)
            << ", precharged PD " << num(e.precharge_powerdown_j * 1e6) << ", self-refresh "
            << num(e.self_refresh_j * 1e6) << " uJ\n";
  if (writer) std::cout << "  trace       " << writer->lines() << " lines (" << o.trace_format << ") in " << o.trace << "\n";
}

}  // namespace

void add_dram_command(CommandLine& cl) {
  auto opts = std::make_shared<DramOptions>();
  Command cmd = cl.add("dram", "Run a request pattern through a DRAM preset: bandwidth, latency, energy");
  cmd.option("--preset", opts->preset, "Shipped preset name or YAML path").show_default();
  cmd.option("--pattern", opts->pattern, "stream | random").show_default();
  cmd.option("--bytes", opts->bytes, "Bytes to move (suffix K, M, G)").show_default();
  cmd.flag("--write", opts->write, "Writes instead of reads");
  cmd.option("--interval", opts->interval, "DRAM cycles between request arrivals (0 = as fast as accepted)");
  cmd.option("--idle-after", opts->idle_after, "Idle DRAM cycles simulated after the last request");
  cmd.option("--page-policy", opts->page_policy, "Override: open | closed");
  cmd.option("--scheduler", opts->scheduler, "Override: frfcfs | fcfs");
  cmd.option("--mapping", opts->mapping, "Override the address mapping (DRAMsim3 notation)");
  cmd.option("--powerdown-idle", opts->powerdown_idle, "Override: idle cycles before power-down (0 = never)");
  cmd.option("--self-refresh-idle", opts->self_refresh_idle, "Override: idle cycles before self-refresh (0 = never)");
  cmd.option("--seed", opts->seed, "Seed of the random pattern");
  cmd.option("--trace", opts->trace, "Write the request stream to FILE");
  cmd.option("--trace-format", opts->trace_format, "dramsim3 | ramulator2").show_default();
  cmd.flag("--json", opts->json, "Print the results as JSON");
  cmd.flag("--show", opts->show, "Print the preset with every value's source");
  cmd.flag("--list", opts->list, "List the shipped presets");
  cmd.action([opts] { run_dram(*opts); });
}

}  // namespace rcsim::cli

// `rcsim info --net NAME|YAML|MODEL.onnx`: per width k, MACs, weight count and bytes (and, for
// chain networks, channels per layer); then every node with its kind, inputs, output shape and
// channels, MACs and weights per width (cli/node_table.h); `--markdown` prints only the node
// table as Markdown (docs/imagenet-networks.md), `--json` all of it as JSON.
// `--arch A [--set path=value]`: also the architecture's area breakdown (docs/area.md).
// `--storage`: one incremental weight set vs G separate networks vs a big/LITTLE pair.
// `--fields [counters|arch]` (`--markdown`): the reference tables of the event counters and the
// architecture fields, from their declarations (the docs' tables are this output).
#include <iomanip>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "area/area_model.h"
#include "area/area_table.h"
#include "cli/area_breakdown.h"
#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/field_tables.h"
#include "cli/model_options.h"
#include "cli/node_table.h"
#include "core/arch_params.h"
#include "core/errors.h"
#include "energy/storage_report.h"
#include "eval/model_source.h"

namespace rcsim::cli {

namespace {

struct InfoOptions {
  std::string net = "mnist_lenet";
  int bits = 8;
  bool storage = false;
  bool fields = false;        // --fields given
  std::string which = "all";  // its value: all | counters | arch
  bool markdown = false;
  bool json = false;
  std::string arch;  // "" = no architecture section
  std::vector<std::string> sets;
};

/// The architecture section of `info --arch`: its area breakdown at its technology node.
area::AreaReport arch_area(const InfoOptions& o, ArchParams* arch) {
  *arch = load_arch(o.arch, o.sets);
  return area::area_of(*arch, area::load_area_table(arch->technology));
}

void print_fields(const InfoOptions& o) {
  const bool both = o.which == "all";
  if (both || o.which == "counters") {
    if (both) std::cout << (o.markdown ? "### Counters (per layer)\n\n" : "counters (per layer):\n");
    std::cout << counter_table(o.markdown);
  }
  if (both) std::cout << "\n";
  if (both || o.which == "arch") {
    if (both) std::cout << (o.markdown ? "### Architecture fields\n\n" : "architecture fields:\n");
    std::cout << arch_field_table(o.markdown);
  }
  // The outputs (docs/outputs.md), one at a time.
  if (o.which == "run") std::cout << run_json_table(o.markdown);
  if (o.which == "sweep") std::cout << sweep_column_table(o.markdown);
  if (o.which == "report") std::cout << report_column_table(o.markdown);
  if (o.which == "governor") std::cout << governor_column_table(o.markdown);
  if (o.which == "bench") std::cout << bench_field_table(o.markdown);
}

void print_storage(const Network& net, int bits) {
  const energy::StorageReport s = energy::storage_report(net, bits);
  auto pct = [](double v) {
    std::ostringstream o;
    o << std::fixed << std::setprecision(1) << v << " %";
    return o.str();
  };
  std::cout << "\nweight storage (" << bits << "-bit weights, int32 biases):\n";
  for (int k = 1; k <= s.groups; ++k)
    std::cout << "  width " << k << " alone" << std::setw(30) << s.bytes_per_width[k - 1] << " bytes\n";
  std::cout << "  one incremental set (all " << s.groups << " widths)" << std::setw(15) << s.incremental_bytes
            << " bytes\n"
            << "  " << s.groups << " separate networks" << std::setw(26) << s.separate_bytes
            << " bytes   incremental saves " << pct(s.saving_vs_separate_pct) << "\n"
            << "  big/LITTLE pair (width 1 + width " << s.groups << ")" << std::setw(11) << s.big_little_bytes
            << " bytes   incremental saves " << pct(s.saving_vs_big_little_pct) << " (and offers "
            << s.groups << " widths, not 2)\n";
}

void run_info(const InfoOptions& o) {
  if (o.fields) return print_fields(o);
  const Network net = eval::load_network_spec(o.net);
  if (o.json) {
    nlohmann::json j = node_table_json(net);
    if (!o.arch.empty()) {
      ArchParams arch;
      const area::AreaReport a = arch_area(o, &arch);
      j["arch"] = {{"name", arch.name}, {"area", a.to_json()}};
    }
    std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return;
  }
  if (o.markdown) {
    std::cout << node_table(net, true);
    return;
  }
  std::cout << "network " << net.name << ": input " << net.input.c << "x" << net.input.h << "x"
            << net.input.w << ", " << net.width_groups << " width groups, " << o.bits << "-bit weights\n";
  // Channels per layer in this summary only for chains (a few layers); graphs have the node table.
  const bool columns = net.is_chain();
  std::cout << std::left << std::setw(7) << "width";
  for (const auto& l : net.layers)
    if (columns && l.has_weights()) std::cout << std::setw(8) << l.name;
  std::cout << std::right << std::setw(12) << "MACs" << std::setw(11) << "weights" << std::setw(11)
            << "bytes" << std::setw(9) << "MACs%" << "\n";
  const std::int64_t full = net.total_macs(net.width_groups);
  for (int k = 1; k <= net.width_groups; ++k) {
    std::cout << std::left << std::setw(7) << k;
    for (std::size_t i = 0; i < net.layers.size(); ++i)
      if (columns && net.layers[i].has_weights()) std::cout << std::setw(8) << net.active_out(i, k);
    std::int64_t weights = 0, biases = 0;
    for (std::size_t i = 0; i < net.layers.size(); ++i) {
      weights += net.weight_count(i, k);
      biases += net.bias_count(i, k);
    }
    // Bytes as stored on chip: weights at `bits`, biases as int32.
    const std::int64_t bytes = weights * o.bits / 8 + biases * 4;
    std::ostringstream pct;
    pct << std::fixed << std::setprecision(1) << 100.0 * double(net.total_macs(k)) / double(full);
    std::cout << std::right << std::setw(12) << net.total_macs(k) << std::setw(11) << weights + biases
              << std::setw(11) << bytes << std::setw(9) << pct.str() << "\n";
  }
  std::cout << "\n" << node_table(net, false);
  if (o.storage) print_storage(net, o.bits);
  if (!o.arch.empty()) {
    ArchParams arch;
    const area::AreaReport a = arch_area(o, &arch);
    std::cout << "\n";
    print_area_breakdown(std::cout, arch, a);
  }
}

}  // namespace

void add_info_command(CommandLine& cl) {
  auto opts = std::make_shared<InfoOptions>();
  Command cmd = cl.add("info", "Network summary per width configuration");
  cmd.option("--net", opts->net, kNetHelp).show_default();
  cmd.option("--bits", opts->bits, "Weight precision in bits").one_of({8, 16}).show_default();
  cmd.flag("--storage", opts->storage,
                "Compare one incremental weight set with G separate networks and a big/LITTLE pair");
  Option fields = cmd.option("--fields", opts->which,
                             "Print the reference table of the event counters and/or the architecture fields "
                             "(counters, arch or all; from their declarations) instead of the network summary; "
                             "run, sweep, report, governor, bench: the fields of those outputs (docs/outputs.md)")
                      .value_optional()
                      .one_of({"", "all", "counters", "arch", "run", "sweep", "report", "governor", "bench"});
  cmd.flag("--markdown", opts->markdown,
           "Markdown tables (as in the docs): of --fields, or else the network's per-node table alone");
  cmd.flag("--json", opts->json, "The network's per-node table and totals as JSON");
  cmd.option("--arch", opts->arch,
             "Also print this architecture's area breakdown (YAML path or shipped name; docs/area.md)");
  cmd.option("--set", opts->sets, "With --arch: override an arch field, path=value (repeatable)");
  cmd.action([opts, fields] {
    opts->fields = fields.given();
    if (opts->json && (opts->fields || opts->markdown || opts->storage))
      throw InputError(
          "--json prints the network's node table; it does not combine with --fields, --markdown or --storage");
    if (opts->which.empty()) opts->which = "all";
    if (!opts->sets.empty() && opts->arch.empty()) throw InputError("--set needs --arch (it overrides an arch field)");
    if (!opts->arch.empty() && (opts->fields || opts->markdown))
      throw InputError("--arch adds the area breakdown to the network summary or --json; it does not combine with --fields or --markdown");
    run_info(*opts);
  });
}

}  // namespace rcsim::cli

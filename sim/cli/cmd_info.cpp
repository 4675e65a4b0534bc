// `rcsim info --net NAME`: per width k, channels per layer, MACs, weight count and bytes.
#include <CLI/CLI.hpp>

#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/commands.h"
#include "core/network_yaml.h"

namespace rcsim::cli {

namespace {

struct InfoOptions {
  std::string net = "mnist_lenet";
  int bits = 8;
};

void run_info(const InfoOptions& o) {
  const Network net = load_network(o.net);
  std::cout << "network " << net.name << ": input " << net.input.c << "x" << net.input.h << "x"
            << net.input.w << ", " << net.width_groups << " width groups, " << o.bits << "-bit weights\n";
  std::cout << std::left << std::setw(7) << "width";
  for (const auto& l : net.layers)
    if (l.has_weights()) std::cout << std::setw(8) << l.name;
  std::cout << std::right << std::setw(12) << "MACs" << std::setw(11) << "weights" << std::setw(11)
            << "bytes" << std::setw(9) << "MACs%" << "\n";
  const std::int64_t full = net.total_macs(net.width_groups);
  for (int k = 1; k <= net.width_groups; ++k) {
    std::cout << std::left << std::setw(7) << k;
    for (std::size_t i = 0; i < net.layers.size(); ++i)
      if (net.layers[i].has_weights()) std::cout << std::setw(8) << net.active_out(i, k);
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
}

}  // namespace

void add_info_command(CLI::App& app) {
  auto opts = std::make_shared<InfoOptions>();
  CLI::App* cmd = app.add_subcommand("info", "Network summary per width configuration");
  cmd->add_option("--net", opts->net, "Network name (shipped) or YAML path")->capture_default_str();
  cmd->add_option("--bits", opts->bits, "Weight precision in bits")->check(CLI::IsMember({8, 16}))->capture_default_str();
  cmd->callback([opts] { run_info(*opts); });
}

}  // namespace rcsim::cli

#pragma once
// Each `rcsim` subcommand lives in its own cmd_<name>.cpp and declares itself on the command line
// here (cli/command_line.h: the commands never include CLI11 themselves).
namespace rcsim::cli {

class CommandLine;

void add_info_command(CommandLine& cl);
void add_run_command(CommandLine& cl);
void add_bench_command(CommandLine& cl);
void add_sweep_command(CommandLine& cl);
void add_merge_command(CommandLine& cl);
void add_governor_command(CommandLine& cl);
void add_plot_command(CommandLine& cl);
void add_best_command(CommandLine& cl);
void add_energy_command(CommandLine& cl);
void add_area_command(CommandLine& cl);
void add_report_command(CommandLine& cl);
void add_train_command(CommandLine& cl);
void add_eval_command(CommandLine& cl);
void add_cosim_command(CommandLine& cl);
void add_dram_command(CommandLine& cl);
void add_import_command(CommandLine& cl);

}  // namespace rcsim::cli

#include <string>
#include <vector>

#include "sweep/best.h"

namespace rcsim::cli {
/// --where and --objective texts of `rcsim best` / `rcsim sweep --best` as a query (InputError on bad text).
sweep::BestQuery best_query(const std::vector<std::string>& where, const std::vector<std::string>& objectives, int top);
}  // namespace rcsim::cli

#pragma once
// Each `rcsim` subcommand lives in its own cmd_<name>.cpp and registers itself on the app here.
namespace CLI {
class App;
}

namespace rcsim::cli {

void add_info_command(CLI::App& app);
void add_run_command(CLI::App& app);
void add_bench_command(CLI::App& app);
void add_sweep_command(CLI::App& app);
void add_merge_command(CLI::App& app);
void add_governor_command(CLI::App& app);
void add_plot_command(CLI::App& app);
void add_energy_command(CLI::App& app);
void add_area_command(CLI::App& app);
void add_report_command(CLI::App& app);
void add_train_command(CLI::App& app);
void add_eval_command(CLI::App& app);
void add_cosim_command(CLI::App& app);
void add_dram_command(CLI::App& app);

}  // namespace rcsim::cli

// rcsim: the command-line front end; exit codes as in cli/exit_codes.h (2 = bad input or
// environment, 3 = bug).
#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"

int main(int argc, char** argv) {
  rcsim::cli::CommandLine cl("rcsim: cycle-accurate simulator of a DNN accelerator with run-time width configurations",
                             "rcsim 0.1.0");
  rcsim::cli::add_info_command(cl);
  rcsim::cli::add_run_command(cl);
  rcsim::cli::add_bench_command(cl);
  rcsim::cli::add_sweep_command(cl);
  rcsim::cli::add_merge_command(cl);
  rcsim::cli::add_governor_command(cl);
  rcsim::cli::add_plot_command(cl);
  rcsim::cli::add_best_command(cl);
  rcsim::cli::add_energy_command(cl);
  rcsim::cli::add_area_command(cl);
  rcsim::cli::add_report_command(cl);
  rcsim::cli::add_train_command(cl);
  rcsim::cli::add_eval_command(cl);
  rcsim::cli::add_cosim_command(cl);
  rcsim::cli::add_dram_command(cl);
  rcsim::cli::add_import_command(cl);
  return rcsim::cli::run_with_exit_codes(cl, argc, argv);
}

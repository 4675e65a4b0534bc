// rcsim: the command-line front end. Errors of the user's making (ConfigError, InputError) or of
// the user's environment (EnvironmentError) print one line and exit 2; bugs (anything else)
// print one line and exit 3.
#include <iostream>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "core/errors.h"

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
  try {
    return cl.run(argc, argv);
  } catch (const rcsim::ConfigError& e) {
    std::cerr << "rcsim: error: " << e.what() << "\n";
    return 2;
  } catch (const rcsim::InputError& e) {
    std::cerr << "rcsim: error: " << e.what() << "\n";
    return 2;
  } catch (const rcsim::EnvironmentError& e) {
    std::cerr << "rcsim: error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "rcsim: internal error: " << e.what() << "\n";
    return 3;
  }
}

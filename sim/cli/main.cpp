// rcsim: the command-line front end. Errors of the user's making (ConfigError, InputError) print
// one line and exit 2; bugs (anything else) print one line and exit 3.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/commands.h"
#include "core/errors.h"

int main(int argc, char** argv) {
  CLI::App app{"rcsim: cycle-accurate simulator of a DNN accelerator with run-time width configurations"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "rcsim 0.1.0");
  rcsim::cli::add_info_command(app);
  rcsim::cli::add_run_command(app);
  rcsim::cli::add_bench_command(app);
  rcsim::cli::add_sweep_command(app);
  rcsim::cli::add_merge_command(app);
  rcsim::cli::add_governor_command(app);
  rcsim::cli::add_plot_command(app);
  rcsim::cli::add_energy_command(app);
  rcsim::cli::add_area_command(app);
  rcsim::cli::add_report_command(app);
  rcsim::cli::add_train_command(app);
  rcsim::cli::add_eval_command(app);
  rcsim::cli::add_cosim_command(app);
  rcsim::cli::add_dram_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const rcsim::ConfigError& e) {
    std::cerr << "rcsim: error: " << e.what() << "\n";
    return 2;
  } catch (const rcsim::InputError& e) {
    std::cerr << "rcsim: error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "rcsim: internal error: " << e.what() << "\n";
    return 3;
  }
  return 0;
}

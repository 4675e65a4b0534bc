// rcsim: the command-line front end. Errors of the user's making (ConfigError, InputError) or of
// the user's environment (EnvironmentError) print one line and exit 2; bugs (anything else)
// print one line and exit 3.
#include <yaml-cpp/exceptions.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>

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
    const int rc = cl.run(argc, argv);
    // Output to a full disk or a closed pipe fails silently in iostreams: check once, at the
    // end, so a truncated `run --json > out.json` is an error rather than exit 0.
    std::cout.flush();
    errno = 0;
    if (std::fflush(stdout) != 0 || std::ferror(stdout) || !std::cout) {
      const int err = errno;
      throw rcsim::EnvironmentError(std::string("cannot write standard output: ") +
                                    (err ? std::strerror(err) : "write error"));
    }
    return rc;
  } catch (const rcsim::ConfigError& e) {
    std::cerr << "rcsim: error: " << e.what() << "\n";
    return 2;
  } catch (const rcsim::InputError& e) {
    std::cerr << "rcsim: error: " << e.what() << "\n";
    return 2;
  } catch (const rcsim::EnvironmentError& e) {
    std::cerr << "rcsim: error: " << e.what() << "\n";
    return 2;
  } catch (const YAML::Exception& e) {
    // Only user files are YAML: a yaml-cpp error that a loader did not turn into a ConfigError
    // is still a malformed input, not a bug.
    std::cerr << "rcsim: error: malformed YAML: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "rcsim: internal error: " << e.what() << "\n";
    return 3;
  }
}

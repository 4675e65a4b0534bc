// rcsim: the command-line front end; exit codes as in cli/exit_codes.h (2 = bad input or
// environment, 3 = bug).
#include <cstring>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"

namespace {

struct Subcommand {
  const char* name;
  void (*add)(rcsim::cli::CommandLine&);
};

// In the order `rcsim --help` lists them.
constexpr Subcommand kSubcommands[] = {
    {"info", rcsim::cli::add_info_command},         {"run", rcsim::cli::add_run_command},
    {"bench", rcsim::cli::add_bench_command},       {"sweep", rcsim::cli::add_sweep_command},
    {"merge", rcsim::cli::add_merge_command},       {"governor", rcsim::cli::add_governor_command},
    {"plot", rcsim::cli::add_plot_command},         {"best", rcsim::cli::add_best_command},
    {"energy", rcsim::cli::add_energy_command},     {"area", rcsim::cli::add_area_command},
    {"report", rcsim::cli::add_report_command},     {"train", rcsim::cli::add_train_command},
    {"eval", rcsim::cli::add_eval_command},         {"cosim", rcsim::cli::add_cosim_command},
    {"dram", rcsim::cli::add_dram_command},         {"import", rcsim::cli::add_import_command},
};

}  // namespace

int main(int argc, char** argv) {
  rcsim::cli::CommandLine cl("rcsim: cycle-accurate simulator of a DNN accelerator with run-time width configurations",
                             "rcsim 0.1.0");
  // Start-up (docs/performance.md): building all 16 subcommands' options is ~1 ms of a ~10 ms
  // start, so `rcsim NAME …` builds only NAME's and `rcsim --version` none. Anything else (`--help`, no or an unknown subcommand) gets the full parser, so help
  // and errors read as before.
  const char* first = argc > 1 ? argv[1] : "";
  const bool version_only = argc == 2 && std::strcmp(first, "--version") == 0;
  const Subcommand* named = nullptr;
  for (const Subcommand& s : kSubcommands)
    if (std::strcmp(first, s.name) == 0) named = &s;
  if (named)
    named->add(cl);
  else if (!version_only)
    for (const Subcommand& s : kSubcommands) s.add(cl);
  return rcsim::cli::run_with_exit_codes(cl, argc, argv);
}

#pragma once
// The exit-code rule of every rcsim executable (rcsim, rcsim-train): errors of the user's making
// (ConfigError, InputError, malformed YAML) or of the user's environment (EnvironmentError, an
// unwritable standard output) print one line and exit 2; bugs (anything else) print one line and
// exit 3.
#include "cli/command_line.h"

namespace rcsim::cli {

/// Runs `cl` on the arguments and maps what it throws to the exit codes above.
int run_with_exit_codes(CommandLine& cl, int argc, char** argv);

}  // namespace rcsim::cli

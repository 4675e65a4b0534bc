#pragma once
// Typed errors, caught once in the CLI (style anchor: "typed exceptions, caught once").
// ConfigError/InputError are the user's fault and EnvironmentError the user's machine: each
// becomes a one-line message and exit code 2; InternalError is a bug (exit code 3). Library code never calls exit(), abort() or assert()
// on user input, so every error path is testable with EXPECT_THROW.
#include <stdexcept>
#include <string>

namespace rcsim {

/// A configuration file (network, architecture, energy table, sweep spec) is malformed.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A data input (dataset file, weights file, width, shape, command-line value) is wrong.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The user's environment cannot do what was asked: a tool rcsim runs is missing or failed
/// (gnuplot), an output file or directory cannot be created or written.
class EnvironmentError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// An invariant of rcsim itself does not hold: a bug, not bad input.
class InternalError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

}  // namespace rcsim

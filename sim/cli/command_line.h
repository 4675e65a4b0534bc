#pragma once
// The command line as the commands see it. Each cmd_<name>.cpp declares its subcommand, options
// and action through this small interface; only command_line.cpp includes CLI11. CLI11 is
// header-only in Debian's 2.1.2 (the precompiled-library mode, CLI11_PRECOMPILED, came in 2.2)
// and its header costs ~7 s of compile time in every translation unit that includes it — behind
// this interface an edit to one command recompiles that command alone, in a second or two.
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace rcsim::cli {

/// One declared option. The modifiers return *this and chain, as in CLI11.
class Option {
 public:
  explicit Option(CLI::Option* o) : o_(o) {}
  Option& show_default();  ///< print the variable's initial value in --help
  Option& required();
  Option& one_of(const std::vector<std::string>& values);
  Option& one_of(std::initializer_list<int> values);
  Option& existing_file();
  Option& delimiter(char c);  ///< list options: also split each value at `c`
  Option& hidden();           ///< not listed in --help
  Option& value_optional();   ///< may be given without a value (`--fields` alone); check given()
  /// Whether the user gave the option (valid once the command's action runs).
  bool given() const;

 private:
  CLI::Option* o_;
};

/// One subcommand.
class Command {
 public:
  explicit Command(CLI::App* app) : app_(app) {}
  /// An option bound to `value` ("--name", "--name,-n", or "name" for a positional). T is one of
  /// std::string, int, double, signed and unsigned 64-bit integers, or a std::vector of std::string, int, double.
  template <class T> Option option(const std::string& names, T& value, const std::string& help = "");
  Option flag(const std::string& names, bool& value, const std::string& help);
  Command& hidden();  ///< not listed in --help (internal commands)
  /// What the command does once its options are parsed; its exceptions reach main().
  void action(std::function<void()> run);

 private:
  CLI::App* app_;
};

class CommandLine {
 public:
  CommandLine(const std::string& description, const std::string& version);
  ~CommandLine();
  Command add(const std::string& name, const std::string& description);
  /// Parses argv and runs the chosen command's action. Returns the exit code for --help,
  /// --version and usage errors (after printing them); the action's exceptions propagate.
  int run(int argc, char** argv);

 private:
  std::unique_ptr<CLI::App> app_;
};

}  // namespace rcsim::cli

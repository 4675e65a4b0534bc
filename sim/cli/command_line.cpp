// The one translation unit that compiles CLI11 (see command_line.h).
#include "cli/command_line.h"

#include <CLI/CLI.hpp>
#include <iostream>

namespace rcsim::cli {

Option& Option::show_default() {
  o_->capture_default_str();
  return *this;
}
Option& Option::required() {
  o_->required();
  return *this;
}
Option& Option::one_of(const std::vector<std::string>& values) {
  o_->check(CLI::IsMember(values));
  return *this;
}
Option& Option::one_of(std::initializer_list<int> values) {
  o_->check(CLI::IsMember(std::vector<int>(values)));
  return *this;
}
Option& Option::existing_file() {
  o_->check(CLI::ExistingFile);
  return *this;
}
Option& Option::delimiter(char c) {
  o_->delimiter(c);
  return *this;
}
Option& Option::hidden() {
  o_->group("");
  return *this;
}
Option& Option::value_optional() {
  o_->expected(0, 1);
  return *this;
}

bool Option::given() const { return o_->count() > 0; }

template <class T> Option Command::option(const std::string& names, T& value, const std::string& help) {
  return Option(app_->add_option(names, value, help));
}
template Option Command::option(const std::string&, std::string&, const std::string&);
template Option Command::option(const std::string&, int&, const std::string&);
template Option Command::option(const std::string&, double&, const std::string&);
template Option Command::option(const std::string&, long&, const std::string&);
template Option Command::option(const std::string&, long long&, const std::string&);
template Option Command::option(const std::string&, unsigned&, const std::string&);
template Option Command::option(const std::string&, unsigned long&, const std::string&);
template Option Command::option(const std::string&, unsigned long long&, const std::string&);
template Option Command::option(const std::string&, std::vector<std::string>&, const std::string&);
template Option Command::option(const std::string&, std::vector<int>&, const std::string&);
template Option Command::option(const std::string&, std::vector<double>&, const std::string&);

Option Command::flag(const std::string& names, bool& value, const std::string& help) {
  return Option(app_->add_flag(names, value, help));
}

Command& Command::hidden() {
  app_->group("");
  return *this;
}

void Command::action(std::function<void()> run) { app_->callback(std::move(run)); }

CommandLine::CommandLine(const std::string& description, const std::string& version)
    : app_(std::make_unique<CLI::App>(description)) {
  app_->require_subcommand(1);
  app_->set_version_flag("--version", version);
}

CommandLine::~CommandLine() = default;

Command CommandLine::add(const std::string& name, const std::string& description) {
  return Command(app_->add_subcommand(name, description));
}

int CommandLine::run(int argc, char** argv) {
  try {
    app_->parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version are ParseErrors with exit code 0: CLI11 prints them.
    if (e.get_exit_code() == 0) return app_->exit(e);
    // A usage error is the user's input: one line and exit code 2, like every other error (CLI11
    // would print two lines and exit 104-106).
    std::string msg = e.what();
    for (char& c : msg)
      if (c == '\n' || c == '\r') c = ' ';
    std::cerr << "rcsim: error: " << msg << " (--help lists the options)\n";
    return 2;
  }
  return 0;
}

}  // namespace rcsim::cli

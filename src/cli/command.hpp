// The spm tool's subcommands: each module registers its own.
#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace spm::cli {

/// One subcommand: `spm <name> ...`. `run` gets the arguments after the name and returns the
/// exit code; errors are thrown as spm::Error and printed by main as one line.
struct Command {
  std::string name;
  std::string summary;
  std::function<int(const std::vector<std::string>& args, std::ostream& out)> run;
};

Command demo_command();
Command csv_command();
Command comp_command();
Command quota_command();
Command forecast_command();
Command territory_command();

/// Every registered command, in the order `spm --help` lists them.
inline std::vector<Command> all_commands() { return {demo_command(), comp_command(), quota_command(), forecast_command(), territory_command(), csv_command()}; }

/// Thrown for bad command-line usage: printed with a pointer to --help, exit code 2.
struct UsageError {
  std::string message;
};

}  // namespace spm::cli

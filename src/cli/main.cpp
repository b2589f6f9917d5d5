// spm: the command-line door to libspm. Thin: parsing and printing only, logic in the library.
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include <boost/program_options/errors.hpp>
#include <spm/core/error.hpp>
#include <spm/version.hpp>

#include "command.hpp"

namespace {

void print_help(std::ostream& out, const std::vector<spm::cli::Command>& commands) {
  out << "spm " << spm::version_string
      << " - Sales Performance Management calculations (libspm)\n\n"
         "usage: spm <command> [options]\n       spm <command> --help\n\ncommands:\n";
  for (const auto& c : commands) {
    out << "  " << c.name << std::string(c.name.size() < 10 ? 10 - c.name.size() : 1, ' ')
        << c.summary << "\n";
  }
  out << "\noptions:\n  --help     show this help\n  --version  print the version\n";
}

}  // namespace

int main(int argc, char** argv) {
  const auto commands = spm::cli::all_commands();
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_help(std::cout, commands);
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version" || args[0] == "-V") {
    std::cout << "spm " << spm::version_string << "\n";
    return 0;
  }
  for (const auto& c : commands) {
    if (c.name != args[0]) continue;
    try {
      return c.run(std::vector<std::string>(args.begin() + 1, args.end()), std::cout);
    } catch (const spm::cli::UsageError& e) {
      std::cerr << "spm " << c.name << ": " << e.message << " (see 'spm " << c.name
                << " --help')\n";
      return 2;
    } catch (const boost::program_options::error& e) {
      std::cerr << "spm " << c.name << ": " << e.what() << " (see 'spm " << c.name
                << " --help')\n";
      return 2;
    } catch (const spm::Error& e) {
      std::cerr << "spm " << c.name << ": error " << e.what() << "\n";
      return 1;
    } catch (const std::exception& e) {
      std::cerr << "spm " << c.name << ": unexpected error: " << e.what() << "\n";
      return 1;
    }
  }
  std::cerr << "spm: unknown command '" << args[0] << "' (see 'spm --help')\n";
  return 2;
}

// spm demo: generate the synthetic company and run the SPM cycle on it.
#include <filesystem>
#include <iostream>
#include <map>

#include <boost/program_options.hpp>
#include <spm/core/error.hpp>
#include <spm/core/fraction.hpp>
#include <spm/core/money.hpp>
#include <spm/core/period.hpp>
#include <spm/demo/company.hpp>
#include <spm/io/csv.hpp>
#include <spm/version.hpp>

#include "command.hpp"

namespace spm::cli {
namespace po = boost::program_options;
namespace {

// "12,345,678.90": grouping for people reading a summary (never for data files).
std::string grouped(const Decimal& d, int places) {
  std::string s = d.to_string(places);
  const bool neg = !s.empty() && s[0] == '-';
  const auto dot = s.find('.');
  std::size_t int_end = dot == std::string::npos ? s.size() : dot;
  for (std::size_t i = int_end; i > (neg ? 4u : 3u); i -= 3) s.insert(i - 3, ",");
  return s;
}

std::string percent(std::size_t part, std::size_t whole) {
  if (whole == 0) return "n/a";
  return Decimal::div(Decimal(static_cast<std::int64_t>(part * 100)),
                      Decimal(static_cast<std::int64_t>(whole)), 1)
             .to_string(1) + "%";
}

int run_demo(const std::vector<std::string>& args, std::ostream& out) {
  std::string size = "medium";
  std::uint64_t seed = 42;
  std::string out_dir = "spm-demo";
  po::options_description desc("spm demo [options]\n\nGenerates a synthetic company (regions, "
                               "people, accounts, products, deals, transactions) and runs the SPM "
                               "cycle on it, writing CSV files and printing a summary.\n\noptions");
  desc.add_options()("help,h", "show this help")(
      "size", po::value(&size)->default_value(size),
      "small (12 reps), medium (40), large (400), or a number of reps")(
      "seed", po::value(&seed)->default_value(seed), "random seed: same seed, same company")(
      "out", po::value(&out_dir)->default_value(out_dir), "folder for the CSV files");
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(desc).run(), vm);
  if (vm.count("help")) {
    out << desc << "\n";
    return 0;
  }
  po::notify(vm);

  demo::CompanyOptions opt;
  opt.reps = demo::reps_for_size(size);
  opt.seed = seed;
  const auto co = demo::generate_company(opt);

  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) {
    throw IoError("demo.out", out_dir, "cannot create the output folder: " + ec.message());
  }
  const std::vector<std::pair<const char*, const io::Table*>> files{
      {"regions", &co.regions},       {"payees", &co.payees},
      {"accounts", &co.accounts},     {"products", &co.products},
      {"opportunities", &co.opportunities}, {"transactions", &co.transactions}};
  for (const auto& [name, table] : files) {
    io::write_csv(*table, std::filesystem::path(out_dir) / (std::string(name) + ".csv"));
  }

  // Summary computed with the library's exact types.
  const Currency usd = opt.currency;
  const auto& roles = co.payees.values<std::string>("role");
  std::map<std::string, std::size_t> role_count;
  for (const auto& r : roles) ++role_count[r];
  const auto& outcome = co.opportunities.values<std::string>("outcome");
  const auto& amount = co.opportunities.values<Decimal>("amount");
  std::size_t won = 0, lost = 0, open = 0;
  Money pipeline(Decimal(0), usd);
  for (std::size_t i = 0; i < outcome.size(); ++i) {
    if (outcome[i] == "won") ++won;
    else if (outcome[i] == "lost") ++lost;
    else {
      ++open;
      pipeline += Money(amount[i], usd);
    }
  }
  const FiscalCalendar calendar;
  std::map<std::string, Money> bookings;
  const auto& t_date = co.transactions.values<Date>("date");
  const auto& t_amount = co.transactions.values<Decimal>("amount");
  for (std::size_t i = 0; i < t_date.size(); ++i) {
    const auto label = calendar.label(t_date[i], PeriodKind::year);
    auto it = bookings.try_emplace(label, Decimal(0), usd).first;
    it->second += Money(t_amount[i], usd);
  }

  out << "libspm " << version_string << " demo: synthetic company, seed " << seed << ", "
      << opt.reps << " reps, as of " << co.as_of.to_string() << "\n\n";
  out << "company\n  regions " << co.regions.num_rows() << ", people " << co.payees.num_rows()
      << " (" << role_count["rep"] << " reps, " << role_count["manager"] << " managers, "
      << role_count["director"] << " director), accounts " << co.accounts.num_rows()
      << ", products " << co.products.num_rows() << "\n";
  out << "opportunities " << co.opportunities.num_rows() << "\n  won " << won << ", lost "
      << lost << " (win rate " << percent(won, won + lost) << "), open " << open
      << " (pipeline " << grouped(pipeline.amount(), 2) << " " << usd.code() << ")\n";
  out << "bookings by year (" << co.transactions.num_rows() << " transactions)\n";
  for (const auto& [label, money] : bookings) {
    out << "  " << label << "  " << grouped(money.amount(), 2) << " " << usd.code() << "\n";
  }
  out << "\nwrote " << files.size() << " CSV files to " << out_dir << "/:";
  for (const auto& f : files) out << " " << f.first << ".csv";
  out << "\n";
  return 0;
}

}  // namespace

Command demo_command() {
  return {"demo", "generate a synthetic company and run the SPM cycle on it", run_demo};
}

}  // namespace spm::cli

// spm demo: generate the synthetic company and run the SPM cycle on it.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <algorithm>
#include <map>

#include <boost/program_options.hpp>
#include <spm/comp/engine.hpp>
#include <spm/comp/files.hpp>
#include <spm/core/error.hpp>
#include <spm/core/fraction.hpp>
#include <spm/core/money.hpp>
#include <spm/core/period.hpp>
#include <spm/demo/company.hpp>
#include <spm/io/csv.hpp>
#include <spm/version.hpp>

#include "command.hpp"
#include "demo_stages.hpp"

namespace spm::cli {
namespace po = boost::program_options;
// "12,345,678.90": grouping for people reading a summary (never for data files).
std::string grouped(const Decimal& d, int places) {
  std::string s = d.to_string(places);
  const bool neg = !s.empty() && s[0] == '-';
  const auto dot = s.find('.');
  std::size_t int_end = dot == std::string::npos ? s.size() : dot;
  for (std::size_t i = int_end; i > (neg ? 4u : 3u); i -= 3) s.insert(i - 3, ",");
  return s;
}

Decimal column_total(const io::Table& table, const char* column) {
  Decimal total;
  for (const auto& v : table.values<Decimal>(column)) total += v;
  return total;
}

namespace {

std::string percent(std::size_t part, std::size_t whole) {
  if (whole == 0) return "n/a";
  return Decimal::div(Decimal(static_cast<std::int64_t>(part * 100)),
                      Decimal(static_cast<std::int64_t>(whole)), 1)
             .to_string(1) + "%";
}

// Commission stage: the demo plan over the last history year, quarter by quarter.
void run_commissions(const demo::Company& co, const std::string& out_dir, std::ostream& out) {
  const auto plan = comp::parse_plan(demo::demo_plan_json());
  comp::CompInputs in;
  in.transactions = &co.transactions;
  in.quotas = &co.quotas;
  in.assignments = &co.assignments;
  const Period year{co.as_of.add_months(-12), co.as_of};
  const auto result = comp::run(plan, in, year);
  const auto dir = std::filesystem::path(out_dir) / "comp";
  io::Table no_input_rejects = result.rejects;
  for (auto& c : no_input_rejects.columns()) c.truncate(0);
  no_input_rejects.set_num_rows(0);
  comp::write_outputs(result, no_input_rejects, dir);
  // The plan beside its results, so the explain line below runs from any folder.
  std::ofstream(dir / "plan.json") << demo::demo_plan_json();
  const auto& st = result.statements;
  std::map<std::string, Decimal> per_payee;
  std::map<std::string, Decimal> per_period;
  Decimal total;
  for (std::size_t r = 0; r < st.num_rows(); ++r) {
    if (st.strings("component")[r] != "TOTAL") continue;
    const Decimal pay = st.values<Decimal>("payout")[r];
    per_payee[std::string(st.strings("payee_id")[r])] += pay;
    per_period[std::string(st.strings("period")[r])] += pay;
    total += pay;
  }
  std::vector<std::pair<Decimal, std::string>> top;
  for (const auto& [p, v] : per_payee) top.emplace_back(v, p);
  std::sort(top.begin(), top.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  out << "\ncommissions (plan " << plan.id << ": marginal 8% / 12% over 100% / 15% over 150% of "
      << "quota, yearly cap, Enterprise SPIF, quarterly with YTD true-up), " << year.to_string() << "\n";
  for (const auto& [label, v] : per_period) out << "  " << label << "  " << grouped(v, 2) << " USD\n";
  out << "  total " << grouped(total, 2) << " USD to " << per_payee.size() << " payees; "
      << result.lines.num_rows() << " explained lines; " << result.rejects.num_rows()
      << " rejects (see comp/rejects.csv)\n  top earners:";
  for (std::size_t i = 0; i < std::min<std::size_t>(5, top.size()); ++i) {
    out << (i ? ", " : " ") << top[i].second << " " << grouped(top[i].first, 2);
  }
  out << "\n  explain one: spm comp explain --plan " << (dir / "plan.json").string() << " --transactions "
      << out_dir << "/transactions.csv --quotas " << out_dir << "/quotas.csv --assignments "
      << out_dir << "/assignments.csv --payee " << (top.empty() ? "E0003" : top.front().second)
      << " --period " << plan.calendar.label(year.end - 1, plan.pay_period) << "\n";
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
      {"opportunities", &co.opportunities}, {"transactions", &co.transactions},
      {"quotas", &co.quotas},         {"assignments", &co.assignments}};
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

  run_commissions(co, out_dir, out);
  run_lifecycle_stage(co, out_dir, out);
  const auto next_year_quotas = run_quota_stage(co, out_dir, out);
  run_forecast_stage(co, next_year_quotas, out_dir, out);
  run_territory_stage(co, out_dir, out);
  return 0;
}

}  // namespace

Command demo_command() {
  return {"demo", "generate a synthetic company and run the SPM cycle on it", run_demo};
}

}  // namespace spm::cli

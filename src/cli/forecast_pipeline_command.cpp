// spm forecast amounts|slippage|categories|overrides|diff|capacity: pipeline analytics on CSV.
#include <ostream>

#include <boost/program_options.hpp>
#include <spm/core/error.hpp>
#include <spm/forecast/pipeline.hpp>

#include "command.hpp"
#include "forecast_io.hpp"

namespace spm::cli::forecast_io {
namespace po = boost::program_options;
namespace {

int amounts(const std::vector<std::string>& args, std::ostream& out) {
  po::options_description desc("spm forecast amounts: close amounts against open amounts, by segment");
  std::string deals, amount, close, outcome, segment, out_dir;
  desc.add_options()("help,h", "this help")("deals", po::value(&deals)->required(), "CSV of deals")(
      "amount", po::value(&amount)->default_value("amount"), "amount while open (decimal)")(
      "close-amount", po::value(&close)->default_value("close_amount"), "amount booked when won (decimal)")(
      "outcome", po::value(&outcome)->default_value("outcome"), "won/lost column")(
      "segment", po::value(&segment)->default_value(""), "segment column (empty: one ratio)")(
      "out", po::value(&out_dir)->required(), "output folder: ratios.csv, expected.csv, rejects.csv");
  CsvFormat format;
  format.add_to(desc);
  po::variables_map vm;
  if (parse_or_help(desc, args, vm, out)) return 0;
  std::vector<ColumnSpec> schema{{amount, ColumnType::decimal, true, true},
                                 {close, ColumnType::decimal, true, true},
                                 {outcome, ColumnType::string, true, true}};
  if (!segment.empty()) schema.push_back({segment, ColumnType::string, true, true});
  const auto in = load(format.options(), deals, schema);
  const forecast::AmountRatioOptions o{amount, close, outcome, segment};
  const auto r = forecast::amount_ratios(in.table, o);
  io::write_csv(r.ratios, out_file(out_dir, "ratios.csv"));
  io::write_csv(forecast::expected_close_amounts(in.table, r, o), out_file(out_dir, "expected.csv"));
  io::write_csv(all_rejects(in.rejects, r.rejects), out_file(out_dir, "rejects.csv"));
  const std::size_t last = r.ratios.num_rows() - 1;
  out << "won deals closed for " << r.ratios.column("ratio").text(last) << " x their open amount ("
      << r.ratios.values<std::int64_t>("won_deals")[last] << " deals)\nwrote " << out_dir
      << "/ratios.csv, expected.csv, rejects.csv\n";
  return 0;
}

int slippage(const std::vector<std::string>& args, std::ostream& out) {
  po::options_description desc("spm forecast slippage: close dates against expected close dates");
  std::string deals, expected, closed, created, as_of, out_dir;
  desc.add_options()("help,h", "this help")("deals", po::value(&deals)->required(), "CSV of deals")(
      "expected", po::value(&expected)->default_value("expected_close_date"), "expected close date column")(
      "closed", po::value(&closed)->default_value("close_date"), "close date column")(
      "created", po::value(&created)->default_value("created_date"), "creation date column")(
      "as-of", po::value(&as_of)->required(), "only what was known then")(
      "out", po::value(&out_dir)->required(), "output folder: rejects.csv");
  CsvFormat format;
  format.add_to(desc);
  po::variables_map vm;
  if (parse_or_help(desc, args, vm, out)) return 0;
  if (expected == closed) {
    throw UsageError{"--expected and --closed both name '" + closed +
                     "'; give --expected the column holding the expected close date (e.g. expected_close_date)"};
  }
  const auto in = load(format.options(), deals, {{expected, ColumnType::date, true, true},
                               {closed, ColumnType::date, true, true},
                               {created, ColumnType::date, true, true}});
  const auto s = forecast::slippage(in.table, {expected, closed, created, Date::parse(as_of, "as-of")});
  io::write_csv(all_rejects(in.rejects, s.rejects), out_file(out_dir, "rejects.csv"));
  out << s.closed << " closed deals: " << fixed(100 * s.share_late, 1) << "% closed after the expected date; days late P10 "
      << fixed(s.p10, 1) << ", P50 " << fixed(s.p50, 1) << ", P90 " << fixed(s.p90, 1) << "\n"
      << s.open << " open deals, " << s.overdue << " past their expected date\nrejected "
      << forecast_io::rejected_rows({&in.rejects, &s.rejects}) << " rows\nwrote " << out_dir << "/rejects.csv\n";
  return 0;
}

int categories(const std::vector<std::string>& args, std::ostream& out) {
  po::options_description desc("spm forecast categories: forecast categories per group");
  std::string deals, category, amount, group, out_dir;
  desc.add_options()("help,h", "this help")("deals", po::value(&deals)->required(), "CSV of deals")(
      "category", po::value(&category)->default_value("forecast_category"), "category column")(
      "amount", po::value(&amount)->default_value("amount"), "amount column (decimal)")(
      "group", po::value(&group)->default_value(""), "group column (empty: total only)")(
      "out", po::value(&out_dir)->required(), "output folder: categories.csv, rejects.csv");
  CsvFormat format;
  format.add_to(desc);
  po::variables_map vm;
  if (parse_or_help(desc, args, vm, out)) return 0;
  std::vector<ColumnSpec> schema{{category, ColumnType::string, true, true}, {amount, ColumnType::decimal, true, true}};
  if (!group.empty()) schema.push_back({group, ColumnType::string, true, true});
  const auto in = load(format.options(), deals, schema);
  const auto r = forecast::category_rollup(in.table, {category, amount, group});
  io::write_csv(r.table, out_file(out_dir, "categories.csv"));
  io::write_csv(all_rejects(in.rejects, r.rejects), out_file(out_dir, "rejects.csv"));
  const std::size_t last = r.table.num_rows() - 1;
  out << "call (closed + commit) " << r.table.column("call").text(last) << ", upside (+ best case) "
      << r.table.column("upside").text(last) << ", pipeline " << r.table.column("pipeline").text(last)
      << "\nrejected " << forecast_io::rejected_rows({&in.rejects, &r.rejects}) << " rows\nwrote " << out_dir
      << "/categories.csv, rejects.csv\n";
  return 0;
}

int overrides(const std::vector<std::string>& args, std::ostream& out) {
  po::options_description desc("spm forecast overrides: apply a scenario to scored deals");
  std::string deals, file, id, prob, date, out_dir;
  desc.add_options()("help,h", "this help")("deals", po::value(&deals)->required(), "CSV of deals with probabilities")(
      "overrides", po::value(&file)->required(), "CSV: id, action (won/lost), probability, close_date (any)")(
      "id", po::value(&id)->default_value("deal_id"), "deal id column")(
      "probability", po::value(&prob)->default_value("probability"), "probability column")(
      "close-date", po::value(&date)->default_value(""), "close date column to move (optional)")(
      "out", po::value(&out_dir)->required(), "output folder: deals.csv, rejects.csv");
  CsvFormat format;
  format.add_to(desc);
  po::variables_map vm;
  if (parse_or_help(desc, args, vm, out)) return 0;
  std::vector<ColumnSpec> schema{{id, ColumnType::string, false, true}, {prob, ColumnType::float64, true, true}};
  if (!date.empty()) schema.push_back({date, ColumnType::date, true, true});
  const auto d = load(format.options(), deals, schema, true);
  const auto o = load(format.options(), file, {{id, ColumnType::string, false, true},
                             {"action", ColumnType::string, true, false},
                             {"probability", ColumnType::float64, true, false},
                             {"close_date", ColumnType::date, true, false}});
  const auto r = forecast::apply_overrides(d.table, o.table, {id, prob, date});
  // The file line column is for rejects, not part of the deals written back.
  io::Table written;
  for (const auto& c : r.deals.columns()) {
    if (c.name() != "_line") written.add(c);
  }
  io::write_csv(written, out_file(out_dir, "deals.csv"));
  const auto rejects = all_rejects(from_file(all_rejects(d.rejects, r.deal_rejects), "deals"), all_rejects(o.rejects, r.rejects));
  io::write_csv(rejects, out_file(out_dir, "rejects.csv"));
  out << "applied " << r.applied << " overrides; rejected "
      << forecast_io::rejected_rows({&d.rejects, &r.deal_rejects}) + forecast_io::rejected_rows({&o.rejects, &r.rejects})
      << "\nwrote " << out_dir << "/deals.csv, rejects.csv\n";
  return 0;
}

int diff(const std::vector<std::string>& args, std::ostream& out) {
  po::options_description desc("spm forecast diff: what changed between two pipeline snapshots");
  std::string before, after, id, amount, date, outcome, out_dir;
  desc.add_options()("help,h", "this help")("before", po::value(&before)->required(), "CSV snapshot, earlier")(
      "after", po::value(&after)->required(), "CSV snapshot, later")(
      "id", po::value(&id)->default_value("deal_id"), "deal id column")(
      "amount", po::value(&amount)->default_value("amount"), "amount column (decimal)")(
      "close-date", po::value(&date)->default_value("expected_close_date"), "close date column")(
      "outcome", po::value(&outcome)->default_value("outcome"), "won/lost column (empty while open)")(
      "out", po::value(&out_dir)->required(), "output folder: changes.csv, summary.csv, rejects.csv");
  CsvFormat format;
  format.add_to(desc);
  po::variables_map vm;
  if (parse_or_help(desc, args, vm, out)) return 0;
  const std::vector<ColumnSpec> schema{{id, ColumnType::string, false, true},
                                       {amount, ColumnType::decimal, true, true},
                                       {date, ColumnType::date, true, true},
                                       {outcome, ColumnType::string, true, true}};
  const auto b = load(format.options(), before, schema);
  const auto a = load(format.options(), after, schema);
  const auto d = forecast::snapshot_diff(b.table, a.table, {id, amount, date, outcome});
  io::write_csv(d.changes, out_file(out_dir, "changes.csv"));
  io::write_csv(d.summary, out_file(out_dir, "summary.csv"));
  io::write_csv(all_rejects(all_rejects(b.rejects, a.rejects), d.rejects), out_file(out_dir, "rejects.csv"));
  for (std::size_t i = 0; i < d.summary.num_rows(); ++i) {
    out << (i ? ", " : "") << d.summary.strings("change")[i] << " " << d.summary.values<std::int64_t>("deals")[i];
  }
  out << "\nwrote " << out_dir << "/changes.csv, summary.csv, rejects.csv\n";
  return 0;
}

int capacity(const std::vector<std::string>& args, std::ostream& out) {
  po::options_description desc("spm forecast capacity: each rep's closes by deal size");
  std::string deals, owner, amount, created, closed, outcome, bands, as_of, out_dir;
  int period = 90, history = 365;
  desc.add_options()("help,h", "this help")("deals", po::value(&deals)->required(), "CSV of deals")(
      "owner", po::value(&owner)->default_value("owner_id"), "rep column")(
      "amount", po::value(&amount)->default_value("amount"), "amount column (decimal)")(
      "created", po::value(&created)->default_value("created_date"), "creation date column")(
      "closed", po::value(&closed)->default_value("close_date"), "close date column")(
      "outcome", po::value(&outcome)->default_value("outcome"), "won/lost column")(
      "bands", po::value(&bands)->required(),
      "positive, strictly ascending upper bounds of the size bands, e.g. 10000,50000")(
      "as-of", po::value(&as_of)->required(), "only what was known then")(
      "period", po::value(&period)->default_value(90), "days the expected closes are per")(
      "history", po::value(&history)->default_value(365), "days of deals counted before --as-of")(
      "out", po::value(&out_dir)->required(), "output folder: capacity.csv, prior.csv, rejects.csv");
  CsvFormat format;
  format.add_to(desc);
  po::variables_map vm;
  if (parse_or_help(desc, args, vm, out)) return 0;
  forecast::CapacityBySizeOptions o{owner, amount, created, closed, outcome, {}, Date::parse(as_of, "as-of"), period, history};
  for (const auto& b : split_list(bands)) o.bands.push_back(Decimal::parse(b, "bands"));
  const auto in = load(format.options(), deals, {{owner, ColumnType::string, true, true},
                               {amount, ColumnType::decimal, true, true},
                               {created, ColumnType::date, true, true},
                               {closed, ColumnType::date, true, true},
                               {outcome, ColumnType::string, true, true}});
  const auto r = forecast::capacity_by_size(in.table, o);
  io::write_csv(r.reps, out_file(out_dir, "capacity.csv"));
  io::write_csv(r.prior, out_file(out_dir, "prior.csv"));
  io::write_csv(all_rejects(in.rejects, r.rejects), out_file(out_dir, "rejects.csv"));
  out << "team win rate by band:";
  for (std::size_t b = 0; b < r.prior.num_rows(); ++b) {
    out << " " << r.prior.strings("band")[b] << " " << fixed(100 * r.prior.values<double>("team_win_rate")[b], 1) << "%";
  }
  out << "\n" << r.reps.num_rows() << " rep x band rows\nwrote " << out_dir << "/capacity.csv, prior.csv, rejects.csv\n";
  return 0;
}

}  // namespace

int pipeline_action(const std::string& action, const std::vector<std::string>& args, std::ostream& out) {
  if (action == "amounts") return amounts(args, out);
  if (action == "slippage") return slippage(args, out);
  if (action == "categories") return categories(args, out);
  if (action == "overrides") return overrides(args, out);
  if (action == "diff") return diff(args, out);
  if (action == "capacity") return capacity(args, out);
  return -1;
}

}  // namespace spm::cli::forecast_io

// spm forecast: fit a win model, predict open deals, time to close, and the distribution of
// bookings per group, on CSV files.
#include <algorithm>
#include <fstream>
#include <map>
#include <iostream>
#include <sstream>

#include <boost/program_options.hpp>
#include <spm/core/error.hpp>
#include <spm/forecast/backtest.hpp>
#include <spm/forecast/hazard.hpp>
#include <spm/forecast/metrics.hpp>
#include <spm/forecast/rollup.hpp>
#include <spm/forecast/survival.hpp>
#include <spm/forecast/win_model.hpp>
#include <spm/io/csv.hpp>

#include "command.hpp"
#include "forecast_io.hpp"
#include "options.hpp"

namespace spm::cli {
namespace po = boost::program_options;
namespace {

using io::ColumnSpec;
using io::ColumnType;
using forecast_io::all_rejects;
using forecast_io::fixed;
using forecast_io::load;
using forecast_io::Loaded;
using forecast_io::out_file;
using forecast_io::without_repeats;

std::vector<ColumnSpec> feature_schema(const forecast::WinModelOptions& o) {
  std::vector<ColumnSpec> s;
  for (const auto& n : o.numeric) s.push_back({n, ColumnType::float64, true, true});
  for (const auto& n : o.categorical) s.push_back({n, ColumnType::string, true, true});
  return s;
}

int fit(const std::vector<std::string>& args, std::ostream& out) {
  po::options_description desc("spm forecast fit: a win model from closed deals");
  std::string deals, outcome, numeric, categorical, known, calibration, out_dir, id;
  double l2 = 1;
  int folds = 5;
  desc.add_options()("help,h", "this help")(
      "deals", po::value(&deals)->required(), "CSV of deals (open ones are skipped, listed in rejects)")(
      "outcome", po::value(&outcome)->default_value("outcome"), "won/lost column")(
      "numeric", po::value(&numeric)->default_value(""), "numeric feature columns, comma separated")(
      "categorical", po::value(&categorical)->default_value(""), "categorical feature columns")(
      "known-at-close", po::value(&known)->default_value(""),
      "columns known only after close: an error if used as features")(
      "l2", po::value(&l2)->default_value(1.0), "L2 penalty on standardised coefficients")(
      "calibration", po::value(&calibration)->default_value("none"), "none, platt or isotonic")(
      "folds", po::value(&folds)->default_value(5), "folds for the calibration's out-of-fold scores")(
      "id", po::value(&id)->default_value(""), "deal id column: repeated ids are rejected")(
      "out", po::value(&out_dir)->required(), "output folder: model.json, coefficients.csv, reliability.csv, rejects.csv");
  CsvFormat format;
  format.add_to(desc);
  po::variables_map vm;
  if (parse_or_help(desc, args, vm, out)) return 0;
  forecast::WinModelOptions o;
  o.outcome = outcome;
  o.numeric = split_list(numeric);
  o.categorical = split_list(categorical);
  o.known_at_close = split_list(known);
  o.l2 = l2;
  o.calibration = forecast::parse_calibration(calibration);
  o.calibration_folds = folds;
  o.id = id;
  auto schema = feature_schema(o);
  schema.push_back({outcome, ColumnType::string, true, true});
  if (!id.empty()) schema.push_back({id, ColumnType::string, true, true});
  const auto in = load(format.options(), deals, schema);
  const auto model = forecast::WinModel::fit(in.table, o);
  std::ofstream(out_file(out_dir, "model.json")) << model.to_json() << "\n";
  io::write_csv(model.coefficients_table(), out_file(out_dir, "coefficients.csv"));
  io::write_csv(all_rejects(in.rejects, model.fit_rejects()), out_file(out_dir, "rejects.csv"));
  // In-sample scores beside the base rate (the backtest gives honest out-of-sample ones).
  const auto scored = model.predict(in.table);
  const auto y_text = in.table.strings(outcome);
  std::vector<double> p, y;
  for (std::size_t i = 0; i < scored.rows.size(); ++i) {
    const int v = forecast::parse_outcome(y_text[scored.rows[i]]);
    if (v < 0) continue;
    p.push_back(scored.probability[i]);
    y.push_back(v);
  }
  const auto m = forecast::score(p, y);
  io::write_csv(forecast::reliability_table(m), out_file(out_dir, "reliability.csv"));
  out << "fitted on " << model.rows_used() << " closed deals (base rate " << m.base_rate << "), "
      << model.iterations() << " Newton steps" << (model.converged() ? "" : " (not converged)") << "\n"
      << "in-sample: AUC " << m.auc << ", log-loss " << m.log_loss << " (base rate " << m.base_log_loss
      << "), Brier " << m.brier << ", ECE " << m.ece << "\n"
      << "rejected: " << forecast_io::rejected_rows({&in.rejects, &model.fit_rejects()}) << " rows\nwrote " << out_dir
      << "/model.json, coefficients.csv, reliability.csv, rejects.csv\n";
  return 0;
}

std::string read_file(const std::string& path) {
  std::ifstream f(path);
  if (!f) throw IoError("forecast.model", path, "cannot read the model file");
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

int predict(const std::vector<std::string>& args, std::ostream& out) {
  po::options_description desc("spm forecast predict: P(won) for deals");
  std::string model_path, deals, id, out_dir;
  desc.add_options()("help,h", "this help")("model", po::value(&model_path)->required(), "model.json from fit")(
      "deals", po::value(&deals)->required(), "CSV of deals to score")(
      "id", po::value(&id)->default_value(""), "id column carried into predictions.csv")(
      "out", po::value(&out_dir)->required(), "output folder: predictions.csv, rejects.csv");
  CsvFormat format;
  format.add_to(desc);
  po::variables_map vm;
  if (parse_or_help(desc, args, vm, out)) return 0;
  const auto model = forecast::WinModel::from_json(read_file(model_path));
  auto schema = feature_schema(model.options());
  if (!id.empty()) schema.push_back({id, ColumnType::string, true, true});
  const auto in = load(format.options(), deals, schema);
  const auto s = model.predict(in.table);
  io::Table t;
  if (!id.empty()) {
    std::vector<std::string> ids;
    for (const auto r : s.rows) ids.emplace_back(in.table.strings(id)[r]);
    t.add(io::Column::of(id, std::move(ids)));
  }
  std::vector<std::int64_t> line;
  for (const auto r : s.rows) line.push_back(in.table.values<std::int64_t>("_line")[r]);
  t.add(io::Column::of("row", std::move(line)));
  t.add(io::Column::of("probability", s.probability));
  io::write_csv(t, out_file(out_dir, "predictions.csv"));
  io::write_csv(all_rejects(in.rejects, s.rejects), out_file(out_dir, "rejects.csv"));
  out << "scored " << s.rows.size() << " deals; rejected " << forecast_io::rejected_rows({&in.rejects, &s.rejects})
      << "\nwrote " << out_dir << "/predictions.csv, rejects.csv\n";
  return 0;
}

int distribution(const std::vector<std::string>& args, std::ostream& out) {
  po::options_description desc("spm forecast distribution: bookings per group and in total");
  std::string deals, targets, prob, amount, group, method, out_dir, step, quantiles, id, history, as_of;
  int window = 90, windows = 4;
  double period_sd = 0;
  std::size_t scenarios = 100000;
  std::uint64_t seed = 1;
  desc.add_options()("help,h", "this help")("deals", po::value(&deals)->required(), "CSV of open deals")(
      "probability", po::value(&prob)->default_value("probability"), "P(won in the window) column")(
      "amount", po::value(&amount)->default_value("amount"), "amount column (decimal)")(
      "group", po::value(&group)->default_value(""), "group column, e.g. owner_id (empty: total only)")(
      "id", po::value(&id)->default_value(""), "deal id column: repeated ids are rejected")(
      "targets", po::value(&targets)->default_value(""), "CSV: <group>,target (\"(all)\" for the total)")(
      "method", po::value(&method)->default_value("exact"), "exact, monte_carlo or saddlepoint")(
      "period-sd", po::value(&period_sd)->default_value(0.0),
      "monte_carlo: shared period factor on the log-odds (0 = independent deals; refused with "
      "another method)")(
      "scenarios", po::value(&scenarios)->default_value(100000), "monte_carlo scenarios")(
      "seed", po::value(&seed)->default_value(1), "monte_carlo seed")(
      "step", po::value(&step)->default_value("0"), "lattice step (0: chosen)")(
      "quantiles", po::value(&quantiles)->default_value("0.1,0.5,0.9"), "quantiles to report")(
      "history", po::value(&history)->default_value(""),
      "CSV of past deals (created_date, close_date, outcome, amount, group): add the deals not "
      "created yet, as many as were created and won within a window before --as-of")(
      "as-of", po::value(&as_of)->default_value(""), "with --history: the forecast date")(
      "window", po::value(&window)->default_value(90), "with --history: days in the window")(
      "windows", po::value(&windows)->default_value(4), "with --history: past windows averaged")(
      "out", po::value(&out_dir)->required(), "output folder: summary.csv, distribution.csv, rejects.csv");
  CsvFormat format;
  format.add_to(desc);
  po::variables_map vm;
  if (parse_or_help(desc, args, vm, out)) return 0;
  forecast::RollupOptions o;
  o.probability = prob;
  o.amount = amount;
  o.group = group;
  o.id = id;
  o.method = forecast::parse_distribution_method(method);
  o.monte_carlo.period_sd = period_sd;
  o.monte_carlo.scenarios = scenarios;
  o.monte_carlo.lattice.step = Decimal::parse(step, "step");
  o.quantiles.clear();
  for (const auto& q : split_list(quantiles)) {
    std::size_t used = 0;
    double v = -1;
    try {
      v = std::stod(q, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != q.size() || !(v >= 0 && v <= 1)) {
      throw UsageError{"--quantiles takes probabilities from 0 to 1 separated by commas (0.1,0.5,0.9), not '" + q + "'"};
    }
    if (std::find(o.quantiles.begin(), o.quantiles.end(), v) != o.quantiles.end()) {
      throw UsageError{"--quantiles names " + q + " twice; give each once"};
    }
    o.quantiles.push_back(v);
  }
  std::vector<ColumnSpec> schema{{prob, ColumnType::float64, true, true}, {amount, ColumnType::decimal, true, true}};
  if (!group.empty()) schema.push_back({group, ColumnType::string, true, true});
  if (!id.empty()) schema.push_back({id, ColumnType::string, true, true});
  const auto in = load(format.options(), deals, schema);
  std::optional<Loaded> goals;
  if (!targets.empty()) {
    goals = load(format.options(), targets, {{group.empty() ? "group" : group, ColumnType::string, false, true},
                           {"target", ColumnType::decimal, true, true}});
  }
  std::optional<Loaded> past;
  if (!history.empty()) {
    if (as_of.empty()) throw UsageError{"--history needs --as-of"};
    std::vector<ColumnSpec> hs{{"created_date", ColumnType::date, true, true},
                               {"close_date", ColumnType::date, true, true},
                               {"outcome", ColumnType::string, true, true},
                               {amount, ColumnType::decimal, true, true}};
    if (!group.empty()) hs.push_back({group, ColumnType::string, true, true});
    past = load(format.options(), history, hs);
    forecast::ArrivalOptions a;
    a.amount = amount;
    a.group = group;
    a.as_of = Date::parse(as_of, "as-of");
    a.window_days = window;
    a.windows = windows;
    io::Table history_rejects;
    o.arrivals = forecast::estimate_arrivals(past->table, a, &history_rejects);
    past->rejects = all_rejects(past->rejects, history_rejects);
  }
  const auto r = forecast::forecast_bookings(in.table, goals ? &goals->table : nullptr, o,
                                             ExecutionContext().seed(seed));
  io::write_csv(r.summary, out_file(out_dir, "summary.csv"));
  io::write_csv(r.total.table(), out_file(out_dir, "distribution.csv"));
  // The targets' and history's unreadable rows too, their reasons naming the file.
  auto rejects = all_rejects(in.rejects, r.rejects);
  if (goals) rejects = all_rejects(rejects, forecast_io::from_file(goals->rejects, "targets"));
  if (past) rejects = all_rejects(rejects, forecast_io::from_file(past->rejects, "history"));
  io::write_csv(rejects, out_file(out_dir, "rejects.csv"));
  const auto& s = r.summary;
  const std::size_t last = s.num_rows() - 1;
  out << "total of " << r.total.deals << " deals (" << r.total.method
      << (r.total.pmf.empty() ? std::string() : ", step " + r.total.step.to_string())
      << (r.total.pmf.empty() || r.total.lattice_sd == 0
              ? std::string()
              : ", amounts split between lattice points: lattice sd " + fixed(r.total.lattice_sd, 0))
      << "): expected " << s.column("expected").text(last);
  for (const auto& c : s.columns()) {
    if (c.name().size() > 1 && c.name()[0] == 'p' && std::isdigit(static_cast<unsigned char>(c.name()[1]))) {
      out << ", " << c.name() << " " << c.text(last);
    }
  }
  if (!s.column("p_reach_target").is_null(last)) {
    out << ", P(reach " << s.column("target").text(last) << ") "
        << Decimal::from_double(s.values<double>("p_reach_target")[last], 4).to_string();
  }
  // Rows per file: a row's line in the deals is not the same line in the targets.
  const std::size_t rows_rejected = forecast_io::rejected_rows({&in.rejects, &r.rejects}) +
                                    (goals ? forecast_io::rejected_rows({&goals->rejects}) : 0) +
                                    (past ? forecast_io::rejected_rows({&past->rejects}) : 0);
  out << "\ngroups: " << last << "; rejected " << rows_rejected << " rows\n";
  for (const auto& note : r.notes) out << "note: " << note << "\n";
  out << "wrote " << out_dir << "/summary.csv, distribution.csv, rejects.csv\n";
  return 0;
}

int survival(const std::vector<std::string>& args, std::ostream& out) {
  po::options_description desc("spm forecast survival: time to close, with open deals censored");
  std::string deals, created, closed, outcome, as_of, segment, id, out_dir;
  desc.add_options()("help,h", "this help")("deals", po::value(&deals)->required(), "CSV of deals")(
      "segment", po::value(&segment)->default_value(""), "one curve per value of this column, then all")(
      "created", po::value(&created)->default_value("created_date"), "creation date column")(
      "closed", po::value(&closed)->default_value("close_date"), "close date column (empty while open)")(
      "outcome", po::value(&outcome)->default_value("outcome"), "won/lost column (empty while open)")(
      "as-of", po::value(&as_of)->required(), "only what was known on this date (YYYY-MM-DD)")(
      "id", po::value(&id)->default_value(""), "deal id column: repeated ids are rejected")(
      "out", po::value(&out_dir)->required(), "output folder: closed_by.csv, won_lost.csv, rejects.csv");
  CsvFormat format;
  format.add_to(desc);
  po::variables_map vm;
  if (parse_or_help(desc, args, vm, out)) return 0;
  forecast::DealDurationsOptions o{created, closed, outcome, Date::parse(as_of, "as-of"), id, {}};
  std::vector<ColumnSpec> schema{{created, ColumnType::date, true, true},
                                 {closed, ColumnType::date, true, true},
                                 {outcome, ColumnType::string, true, true}};
  if (!segment.empty()) schema.push_back({segment, ColumnType::string, true, true});
  if (!id.empty()) schema.push_back({id, ColumnType::string, true, true});
  const auto in = load(format.options(), deals, schema);
  const auto d = forecast::deal_durations(in.table, o);
  const auto km = forecast::kaplan_meier(d.days, d.closed);
  const auto aj = forecast::aalen_johansen(d.days, d.cause, 2);
  const std::vector<std::string> names{"won", "lost"};
  // Per segment (then "(all)"): the curves one under the other, with the segment in front.
  std::map<std::string, std::vector<std::size_t>> by;
  if (!segment.empty()) {
    for (std::size_t i = 0; i < d.rows.size(); ++i) by[std::string(in.table.strings(segment)[d.rows[i]])].push_back(i);
  }
  io::Table closed_by, won_lost;
  const auto append = [&](const std::string& name, const io::Table& part, io::Table& into) {
    io::Table t;
    t.add(io::Column::of(segment.empty() ? std::string("segment") : segment, std::vector<std::string>(part.num_rows(), name)));
    for (const auto& c : part.columns()) t.add(c);
    into = io::concat(into, t);
  };
  for (const auto& [name, idx] : by) {
    std::vector<double> days;
    std::vector<std::uint8_t> done;
    std::vector<int> cause;
    for (const auto i : idx) {
      days.push_back(d.days[i]);
      done.push_back(d.closed[i]);
      cause.push_back(d.cause[i]);
    }
    append(name, forecast::kaplan_meier(days, done).table(), closed_by);
    append(name, forecast::aalen_johansen(days, cause, 2).table(names), won_lost);
  }
  append("(all)", km.table(), closed_by);
  append("(all)", aj.table(names), won_lost);
  io::write_csv(closed_by, out_file(out_dir, "closed_by.csv"));
  io::write_csv(won_lost, out_file(out_dir, "won_lost.csv"));
  io::write_csv(all_rejects(in.rejects, d.rejects), out_file(out_dir, "rejects.csv"));
  std::size_t open = 0;
  for (const auto c : d.cause) open += c == 0 ? 1 : 0;
  out << d.days.size() << " deals (" << open << " open on " << as_of << ", censored)";
  if (d.not_created_yet > 0) out << "; " << d.not_created_yet << " created on or after " << as_of << " left out";
  out << "\n";
  for (const double t : {30.0, 90.0, 180.0, 365.0}) {
    out << "  by day " << t << ": closed " << 1 - km.survival_at(t) << ", won " << aj.incidence_at(1, t)
        << ", lost " << aj.incidence_at(2, t) << "\n";
  }
  out << "rejected " << rejected_rows({&in.rejects, &d.rejects}) << " rows\n";
  out << "wrote " << out_dir << "/closed_by.csv, won_lost.csv, rejects.csv\n";
  return 0;
}

int backtest(const std::vector<std::string>& args, std::ostream& out) {
  po::options_description desc("spm forecast backtest: rolling as-of forecasts of the next window, scored");
  std::string deals, outcome, numeric, categorical, known, created, closed, amount, actual, cuts, id, out_dir;
  int window = 90;
  std::size_t scenarios = 20000;
  desc.add_options()("help,h", "this help")("deals", po::value(&deals)->required(), "CSV of every deal, open and closed")(
      "outcome", po::value(&outcome)->default_value("outcome"), "won/lost column (empty while open)")(
      "numeric", po::value(&numeric)->default_value(""), "numeric feature columns")(
      "categorical", po::value(&categorical)->default_value(""), "categorical feature columns")(
      "known-at-close", po::value(&known)->default_value(""), "columns known only after close")(
      "created", po::value(&created)->default_value("created_date"), "creation date column")(
      "closed", po::value(&closed)->default_value("close_date"), "close date column")(
      "amount", po::value(&amount)->default_value("amount"), "deal amount known while open (decimal)")(
      "actual-amount", po::value(&actual)->default_value(""), "amount booked when won (default: --amount)")(
      "cuts", po::value(&cuts)->required(), "as-of dates, comma separated (YYYY-MM-DD)")(
      "window", po::value(&window)->default_value(90), "days after each cut")(
      "scenarios", po::value(&scenarios)->default_value(20000), "Monte Carlo scenarios per cut")(
      "id", po::value(&id)->default_value(""), "deal id column: repeated ids are rejected")(
      "out", po::value(&out_dir)->required(), "output folder: backtest.csv, rejects.csv");
  CsvFormat format;
  format.add_to(desc);
  po::variables_map vm;
  if (parse_or_help(desc, args, vm, out)) return 0;
  forecast::BacktestOptions o;
  o.forecast.model.outcome = outcome;
  o.forecast.model.numeric = split_list(numeric);
  o.forecast.model.categorical = split_list(categorical);
  o.forecast.model.known_at_close = split_list(known);
  o.forecast.model.id = id;
  o.forecast.created = created;
  o.forecast.closed = closed;
  o.forecast.window_days = window;
  o.amount = amount;
  o.actual_amount = actual;
  o.scenarios = scenarios;
  for (const auto& c : split_list(cuts)) o.cuts.push_back(Date::parse(c, "cuts"));
  // Money columns as decimals (a numeric feature may be one of them: it reads decimals too).
  std::vector<ColumnSpec> schema{{amount, ColumnType::decimal, true, true},
                                 {outcome, ColumnType::string, true, true},
                                 {created, ColumnType::date, true, true},
                                 {closed, ColumnType::date, true, true}};
  if (!actual.empty()) schema.push_back({actual, ColumnType::decimal, true, true});
  if (!id.empty()) schema.push_back({id, ColumnType::string, true, true});
  for (const auto& c : feature_schema(o.forecast.model)) {
    if (std::none_of(schema.begin(), schema.end(), [&](const ColumnSpec& x) { return x.name == c.name; })) schema.push_back(c);
  }
  const auto in = load(format.options(), deals, schema);
  const auto b = forecast::backtest(in.table, o);
  io::write_csv(b.table(), out_file(out_dir, "backtest.csv"));
  io::write_csv(all_rejects(in.rejects, b.rejects), out_file(out_dir, "rejects.csv"));
  out << b.cuts.size() << " cuts, window " << window << " days\n";
  for (const auto& c : b.cuts) {
    out << "  " << c.cut.to_string() << ": " << c.open_deals << " open, AUC " << fixed(c.deals.auc, 3) << ", expected "
        << c.expected.to_string(0) << " vs actual " << c.actual_booked.to_string(0) << ", P10-P90 "
        << c.p10.to_string(0) << "-" << c.p90.to_string(0) << ", with the period factor " << c.mc_p10.to_string(0)
        << "-" << c.mc_p90.to_string(0) << "\n";
  }
  out << "deals: mean AUC " << fixed(b.mean_auc, 3) << ", log-loss " << fixed(b.mean_log_loss, 4) << " (base rate "
      << fixed(b.mean_base_log_loss, 4) << ")\ntotals: mean APE " << fixed(100 * b.mean_ape, 1) << "%, bias "
      << fixed(100 * b.mean_bias, 1) << "%\ncoverage of P10-P90: " << fixed(b.coverage_80, 2)
      << " independent deals, " << fixed(b.mc_coverage_80, 2) << " with the period factor (sd "
      << fixed(b.period_sd, 3) << ", fitted leaving each cut out); P5-P95: " << fixed(b.coverage_90, 2) << ", "
      << fixed(b.mc_coverage_90, 2) << "\nwrote " << out_dir << "/backtest.csv, rejects.csv\n";
  return 0;
}

int hazard(const std::vector<std::string>& args, std::ostream& out) {
  po::options_description desc("spm forecast hazard: when open deals close, won or lost (discrete-time hazards)");
  std::string deals, outcome, numeric, categorical, known, created, closed, as_of, id, out_dir;
  int window = 90, period = 30, max_periods = 12;
  std::size_t horizon = 12;
  double l2 = 1;
  desc.add_options()("help,h", "this help")("deals", po::value(&deals)->required(), "CSV of every deal, open and closed")(
      "as-of", po::value(&as_of)->required(), "fit on what was known then; forecast the deals open then")(
      "outcome", po::value(&outcome)->default_value("outcome"), "won/lost column (empty while open)")(
      "created", po::value(&created)->default_value("created_date"), "creation date column")(
      "closed", po::value(&closed)->default_value("close_date"), "close date column")(
      "numeric", po::value(&numeric)->default_value(""), "numeric features known at creation")(
      "categorical", po::value(&categorical)->default_value(""), "categorical features known at creation")(
      "known-at-close", po::value(&known)->default_value(""), "columns known only after close")(
      "period", po::value(&period)->default_value(30), "days in a period")(
      "max-periods", po::value(&max_periods)->default_value(12), "age periods with their own baseline")(
      "window", po::value(&window)->default_value(90), "days ahead for P(won) and P(lost)")(
      "horizon", po::value(&horizon)->default_value(12), "periods in close_periods.csv")(
      "l2", po::value(&l2)->default_value(1.0), "L2 penalty")(
      "id", po::value(&id)->default_value(""), "deal id column carried into hazard.csv: repeated ids are rejected")(
      "out", po::value(&out_dir)->required(), "output folder: hazard.csv, close_periods.csv, rejects.csv");
  CsvFormat format;
  format.add_to(desc);
  po::variables_map vm;
  if (parse_or_help(desc, args, vm, out)) return 0;
  forecast::HazardOptions o;
  o.created = created;
  o.closed = closed;
  o.outcome = outcome;
  o.numeric = split_list(numeric);
  o.categorical = split_list(categorical);
  o.known_at_close = split_list(known);
  o.as_of = Date::parse(as_of, "as-of");
  o.period_days = period;
  o.max_periods = max_periods;
  o.l2 = l2;
  o.id = id;
  forecast::WinModelOptions features;
  features.numeric = o.numeric;
  features.categorical = o.categorical;
  auto schema = feature_schema(features);
  schema.push_back({outcome, ColumnType::string, true, true});
  schema.push_back({created, ColumnType::date, true, true});
  schema.push_back({closed, ColumnType::date, true, true});
  if (!id.empty()) schema.push_back({id, ColumnType::string, true, true});
  const auto in = load(format.options(), deals, schema);
  const auto model = forecast::HazardModel::fit(in.table, o);
  const auto f = model.predict(in.table, o.as_of, window, horizon);
  io::Table t;
  std::vector<std::int64_t> line;
  for (const auto r : f.rows) line.push_back(in.table.values<std::int64_t>("_line")[r]);
  if (!id.empty()) {
    std::vector<std::string> ids;
    for (const auto r : f.rows) ids.emplace_back(in.table.strings(id)[r]);
    t.add(io::Column::of(id, std::move(ids)));
  }
  t.add(io::Column::of("row", std::move(line)));
  t.add(io::Column::of("p_won", f.p_won));
  t.add(io::Column::of("p_lost", f.p_lost));
  io::write_csv(t, out_file(out_dir, "hazard.csv"));
  io::write_csv(f.periods_table(in.table, period), out_file(out_dir, "close_periods.csv"));
  io::write_csv(all_rejects(in.rejects,
                            all_rejects(model.rejects(), without_repeats(model.rejects(), f.rejects))),
                out_file(out_dir, "rejects.csv"));
  double won = 0, lost = 0;
  for (std::size_t i = 0; i < f.rows.size(); ++i) {
    won += f.p_won[i];
    lost += f.p_lost[i];
  }
  out << "fitted on " << model.person_periods() << " deal-periods (" << period << " days each) as of " << as_of
      << "\n" << f.rows.size() << " open deals: expected " << fixed(won, 1) << " won and " << fixed(lost, 1)
      << " lost within " << window << " days\nrejected "
      << rejected_rows({&in.rejects, &model.rejects(), &f.rejects}) << " rows\nwrote " << out_dir
      << "/hazard.csv, close_periods.csv, rejects.csv\n";
  return 0;
}

int run_forecast(const std::vector<std::string>& args, std::ostream& out) {
  const std::string usage =
      "usage: spm forecast <action> [options]\n"
      "       spm forecast <action> --help\n\n"
      "  fit           a win model from closed deals (logistic regression, calibration)\n"
      "  predict       P(won) for deals from a fitted model\n"
      "  distribution  bookings per group: expected, P10/P50/P90, P(reach target)\n"
      "  survival      time to close (Kaplan-Meier) and won/lost incidence (Aalen-Johansen)\n"
      "  hazard        when open deals close, won or lost, by age and features (discrete time)\n"
      "  backtest      rolling as-of forecasts of the next window: deal scores, totals, coverage\n"
      "  amounts       what won deals closed for against their open amount, by segment\n"
      "  slippage      how far close dates slip past the expected date; overdue open deals\n"
      "  categories    Closed / Commit / Best Case / Pipeline / Omitted per group, call and upside\n"
      "  overrides     a scenario: force deals won or lost, set probabilities, move close dates\n"
      "  diff          what changed between two pipeline snapshots (new, won, lost, pushed...)\n"
      "  capacity      each rep's win rate, cycle and expected closes by deal size, shrunk to the team\n";
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    out << usage;
    return args.empty() ? 2 : 0;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  const auto& action = args[0];
  if (action == "fit") return fit(rest, out);
  if (action == "predict") return predict(rest, out);
  if (action == "distribution") return distribution(rest, out);
  if (action == "survival") return survival(rest, out);
  if (action == "backtest") return backtest(rest, out);
  if (action == "hazard") return hazard(rest, out);
  if (const int code = forecast_io::pipeline_action(action, rest, out); code >= 0) return code;
  throw UsageError{"unknown action '" + action + "'; use fit, predict, distribution, survival, hazard, backtest, "
                   "amounts, slippage, categories, overrides, diff or capacity"};
}

}  // namespace

Command forecast_command() {
  return {"forecast", "deal forecasts: win model, time to close, bookings distribution", run_forecast};
}

}  // namespace spm::cli

// spm quota: allocate quotas down a hierarchy, explain one, phase them over time, plan capacity
// and check fairness, on CSV files.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <boost/program_options.hpp>
#include <spm/core/error.hpp>
#include <spm/io/csv.hpp>
#include <spm/quota/allocation.hpp>
#include <spm/quota/capacity.hpp>
#include <spm/quota/fairness.hpp>
#include <spm/quota/phasing.hpp>

#include "command.hpp"
#include "loader.hpp"
#include "options.hpp"

namespace spm::cli {
namespace po = boost::program_options;
namespace {

using io::ColumnSpec;
using io::ColumnType;

ColumnSpec optional_decimal(std::string name) {
  return {std::move(name), ColumnType::decimal, /*nullable=*/true, /*required=*/false};
}

std::filesystem::path out_file(const std::string& dir, const char* name) {
  return cli::out_file(dir, name, "quota");
}

bool is_year(const std::string& text) {
  return text.size() == 4 && std::all_of(text.begin(), text.end(), ::isdigit);
}

// --year: "2026", the fiscal year so named by the shared period parser (as spm comp names it),
// or FROM..TO dates, half-open. Not all of parse_period_text: a quarter is no plan year, and a
// bad date keeps its own reason ("that month has 28 days"), not "not a period".
Period plan_year(const std::string& text, const FiscalCalendar& calendar, const char* option) {
  if (is_year(text)) return parse_period_text(text, calendar);
  const auto dots = text.find("..");
  if (dots != std::string::npos) {
    return Period::make(Date::parse(text.substr(0, dots), option),
                        Date::parse(text.substr(dots + 2), option));
  }
  throw UsageError{std::string("--") + option + " takes a year (2025) or FROM..TO dates "
                   "(2025-02-01..2026-02-01), not '" + text + "'"};
}

std::vector<Decimal> decimal_list(const std::string& text, const char* option) {
  std::vector<Decimal> out;
  if (text.empty()) return out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) out.push_back(Decimal::parse(item, std::string("--") + option));
  return out;
}

// Targets and the org are planning inputs, not bulk data: a row the reader cannot use is an
// error naming it, not a reject (a dropped root row would leave its reps without a parent). An
// empty target is read as null so that the allocation reports it ("the target of 'CO' is empty").
io::Table read_planning_input(const io::CsvReadOptions& format, const std::string& path,
                              const std::vector<ColumnSpec>& schema, const char* code,
                              const char* what) {
  io::CsvReadOptions opt = io::with_format({}, format);
  opt.line_column = "_line";
  auto r = io::read_csv(path, schema, opt);
  if (r.rejects.empty()) return std::move(r.table);
  const auto& x = r.rejects.front();
  const auto ids = io::csv_fields_at(path, {x.line}, {schema.front().name}, format);
  const auto it = ids.find(x.line);
  const std::string id = it == ids.end() ? "" : it->second.front();
  throw InvalidInputError(
      code, std::string(what) + " row " + std::to_string(x.line),
      x.column == "target"
          ? "the target of '" + id + "' " +
                (quotes_value(x) ? "cannot be read: " + x.reason : "is '" + x.value + "': " + x.reason)
          : field_reason(x));
}

// Reps' annual quotas (rep_id first in `schema`). `spm quota allocate` writes them by node_id
// with is_rep: its quotas.csv is taken as it is, its rep rows only, so the commands chain.
io::Table load_rep_quotas(Loader& loader, const std::string& path, std::vector<ColumnSpec> schema) {
  const auto header = io::csv_header(path, loader.format());
  const auto has = [&](const char* name) { return io::find_header(header, name).has_value(); };
  if (has("rep_id") || !has("node_id") || !has("is_rep")) return loader.load(path, schema);
  schema.front() = {"node_id"};
  schema.push_back({"is_rep", ColumnType::boolean});
  const io::Table nodes = loader.load(path, schema);
  const auto& is_rep = nodes.values<std::uint8_t>("is_rep");
  std::vector<std::size_t> reps;
  for (std::size_t r = 0; r < nodes.num_rows(); ++r) {
    if (is_rep[r] != 0) reps.push_back(r);
  }
  io::Table out = io::take(nodes, reps);
  out.columns()[*out.find("node_id")].rename("rep_id");
  return out;
}

quota::AllocationOptions allocation_options(const po::variables_map& vm,
                                            const std::vector<std::string>& factors,
                                            const std::vector<std::string>& cushions) {
  quota::AllocationOptions o;
  o.method = quota::parse_method(vm["method"].as<std::string>());
  auto dec = [&](const char* name) { return Decimal::parse(vm[name].as<std::string>(), name); };
  // Percentages read as fractions or as percent text (30% = 0.3), as other SPM tools write them.
  auto fraction = [&](const char* name) {
    return Decimal::parse_fraction(vm[name].as<std::string>(), name);
  };
  if (vm.count("weight")) o.history_weight = fraction("weight");
  for (const auto& f : factors) {
    const auto eq = f.find('=');
    if (eq == std::string::npos) {
      throw UsageError{"--factor takes COLUMN=WEIGHT (e.g. accounts=0.5), not '" + f + "'"};
    }
    o.factors.push_back({f.substr(0, eq), Decimal::parse(f.substr(eq + 1), "--factor " + f)});
  }
  for (const auto& c : cushions) {
    // "0.1,0.2" would otherwise be refused as a number with a thousands separator.
    if (c.find(',') != std::string::npos) {
      throw UsageError{"--cushion takes one value per level: repeat it, from the top level down "
                       "(--cushion 0.1 --cushion 0.05), not '" + c + "'"};
    }
    o.cushions.push_back(Decimal::parse_fraction(c, "--cushion"));
  }
  o.increment = dec("increment");
  if (vm.count("ratchet-up")) o.ratchet_up = fraction("ratchet-up");
  if (vm.count("ratchet-down")) o.ratchet_down = fraction("ratchet-down");
  if (vm.count("max-increase")) o.max_increase = fraction("max-increase");
  if (vm.count("max-decrease")) o.max_decrease = fraction("max-decrease");
  if (vm.count("min-quota")) o.min_quota = dec("min-quota");
  if (vm.count("base")) o.base = quota::parse_base_window(vm["base"].as<std::string>());
  o.growth_base = quota::parse_growth_base(vm["growth-base"].as<std::string>());
  o.no_history = quota::parse_no_history(vm["no-history"].as<std::string>());
  return o;
}

int allocate_or_explain(const std::string& action, const std::vector<std::string>& args,
                        std::ostream& out) {
  std::string targets, org, reps, history, out_dir = "spm-quota", rep;
  std::vector<std::string> factors, cushions;
  po::options_description desc(
      "spm quota allocate --targets T.csv --reps R.csv [--org O.csv] [--history H.csv] "
      "--method M [options] [--out DIR]\n"
      "spm quota explain  (the same inputs) --rep ID\n\n"
      "Top-down allocation (docs/quota.md). Methods: history, potential, blend, growth_percent, "
      "growth_absolute, regression, equal_probability, ratchet.\n\noptions");
  desc.add_options()("help,h", "show this help")(
      "targets", po::value(&targets), "CSV: node_id, target (every root needs one)")(
      "org", po::value(&org), "CSV: node_id, parent_id (empty for roots): the non-rep nodes")(
      "reps", po::value(&reps),
      "CSV: rep_id, parent_id, and as needed last_quota, reference, factor columns, expected_sales, "
      "volatility, locked_quota, min_quota, max_increase, max_decrease")(
      "history", po::value(&history), "CSV: rep_id, period_start, sales")(
      "method", po::value<std::string>()->default_value("blend"), "allocation method")(
      "weight", po::value<std::string>(), "blend: weight of history (0..1 or 0%..100%; default 0.5)")(
      "factor", po::value(&factors)->composing(),
      "potential factor COLUMN=WEIGHT (repeat; weights sum to 1)")(
      "growth-base", po::value<std::string>()->default_value("sales"), "sales or last_quota")(
      "ratchet-up", po::value<std::string>(), "ratchet: weight of sales above last quota")(
      "ratchet-down", po::value<std::string>(), "ratchet: weight of the shortfall")(
      "increment", po::value<std::string>()->default_value("1"), "quotas are multiples of this")(
      "cushion", po::value(&cushions)->composing(),
      "over-assignment at the next level down (repeat per level, from the top: 0.1 or 10%; "
      "0 to below 1)")(
      "max-increase", po::value<std::string>(),
      "cap on change vs last quota (0.3 or 30% = +30%; below 10 = +1000%)")(
      "max-decrease", po::value<std::string>(),
      "floor on change vs last quota (0.1 or 10% = -10%; 0 to 1)")(
      "min-quota", po::value<std::string>(), "minimum quota for every rep")(
      "base", po::value<std::string>(),
      "base window: 2025, 2025-Q4, 2025-H2, 2025-03, 2025-01..2025-06 or 2025-01-01..2026-01-01")(
      "no-history", po::value<std::string>()->default_value("reject"),
      "reps without history: reject or new_hire")(
      "rep", po::value(&rep), "explain: the rep (or node) to explain")(
      "out", po::value(&out_dir)->default_value(out_dir), "folder for quotas, trace, rejects");
  CsvFormat format;
  format.add_to(desc);
  po::variables_map vm;
  if (parse_or_help(desc, args, vm, out)) return 0;
  if (targets.empty() || reps.empty()) throw UsageError{"give --targets and --reps"};
  if (action == "explain" && rep.empty()) throw UsageError{"give the rep with --rep ID"};
  if (action == "allocate") clear_outputs(out_dir, {"quotas.csv", "trace.csv", "rejects.csv"});
  const auto options = allocation_options(vm, factors, cushions);

  const auto csv = format.options();
  Loader loader(csv);
  const auto t = read_planning_input(csv, targets, {{"node_id"}, {"target", ColumnType::decimal, true}},
                                     "quota.target", "targets");
  io::Table o_table;
  if (!org.empty()) {
    o_table = read_planning_input(csv, org, {{"node_id"}, {"parent_id", ColumnType::string, true}},
                                  "quota.org", "org");
  }
  std::vector<ColumnSpec> rep_schema{{"rep_id"}, {"parent_id"}};
  for (const char* c : {"last_quota", "reference", "expected_sales", "volatility", "locked_quota", "min_quota",
                        "max_increase", "max_decrease"}) {
    rep_schema.push_back(optional_decimal(c));
  }
  // A factor may be a column already read (last_quota) or listed twice (the allocation's
  // quota.options check says so): read each column once.
  for (const auto& f : options.factors) {
    const auto it = std::find_if(rep_schema.begin(), rep_schema.end(),
                                 [&](const ColumnSpec& c) { return c.name == f.column; });
    if (it == rep_schema.end()) {
      rep_schema.push_back({f.column, ColumnType::decimal, true, true});
    } else if (it->type == ColumnType::decimal) {
      it->required = true;
    }
  }
  // Other columns come as text so that the allocation can name one misspelt ("max_increse").
  const auto r_table = loader.load(reps, rep_schema, /*extra_columns_as_text=*/true);
  io::Table h_table;
  if (!history.empty()) {
    h_table = loader.load(history, {{"rep_id"},
                                    {"period_start", ColumnType::date},
                                    {"sales", ColumnType::decimal}});
  }
  quota::AllocationInputs inputs{&t, org.empty() ? nullptr : &o_table, &r_table,
                                 history.empty() ? nullptr : &h_table};
  // Rows the reader could not read never reach the allocation: it is told, to count them.
  for (const auto& [file, source] : {std::pair{&reps, "reps"}, std::pair{&history, "history"}}) {
    if (file->empty()) continue;
    for (auto& [row, id] : loader.rejected(*file)) inputs.unread.push_back({std::move(id), source, row});
  }
  const auto result = quota::allocate_quotas(inputs, options);
  if (action == "explain") {
    out << quota::explain(result, rep);
    return 0;
  }
  const auto rejects = loader.rejects(result.rejects);
  io::write_csv(result.quotas_table(), out_file(out_dir, "quotas.csv"));
  io::write_csv(result.trace_table(), out_file(out_dir, "trace.csv"));
  io::write_csv(rejects, out_file(out_dir, "rejects.csv"));
  std::size_t reps_out = 0;
  Decimal rep_total;
  for (const auto& n : result.nodes) {
    if (n.is_rep) {
      ++reps_out;
      rep_total += n.quota;
    }
  }
  out << "method " << quota::to_string(options.method) << ": " << result.nodes.size()
      << " nodes, " << reps_out << " reps, rep quotas total " << rep_total.to_string() << "\n"
      << "base window " << (result.base ? result.base->to_string() : std::string("none (no history)"))
      << (vm.count("base") ? "" : result.base ? " (the year of the latest history date; --base to choose)" : "")
      << "\n"
      << "status " << (result.status == quota::AllocationStatus::ok ? "ok" : "INFEASIBLE") << "\n";
  for (const auto& v : result.violations) out << "  " << v.node_id << ": " << v.message << "\n";
  out << "rejected: " << rejects.num_rows() << " input rows\n";
  for (const auto& n : result.notes) out << "note: " << n << "\n";
  out << "wrote " << out_dir << "/quotas.csv, trace.csv, rejects.csv\n";
  return result.status == quota::AllocationStatus::ok ? 0 : 3;
}

int phase(const std::vector<std::string>& args, std::ostream& out) {
  std::string quotas, employment, leaves, relief, year, kind = "quarter", seasonality, ramp,
                                                      out_dir = "spm-quota", increment = "0.01";
  unsigned first_month = 1;
  bool business_days = false, no_prior_ramp = false;
  po::options_description desc(
      "spm quota phase --quotas Q.csv --year 2026 [--kind month|quarter] [options] [--out DIR]\n\n"
      "Annual quotas into period quotas: seasonality, ramps, proration, relief (docs/quota.md)."
      "\n\noptions");
  desc.add_options()("help,h", "show this help")(
      "quotas", po::value(&quotas), "CSV: rep_id, quota (annual)")(
      "employment", po::value(&employment), "CSV: rep_id, start, end, hire_date (dates, nullable)")(
      "leaves", po::value(&leaves), "CSV: rep_id, from, to")(
      "relief", po::value(&relief), "CSV: account_id, from_rep, to_rep, effective, annual_quota")(
      "year", po::value(&year), "plan year: 2026 or 2026-02-01..2027-02-01")(
      "fiscal-start-month", po::value(&first_month)->default_value(1), "first month of the fiscal year")(
      "kind", po::value(&kind)->default_value(kind), "month, quarter or half_year")(
      "seasonality", po::value(&seasonality), "weights per period, comma-separated, summing to 1")(
      "ramp", po::value(&ramp), "fraction of quota by tenure month, e.g. 0,0.25,0.5,0.75")(
      "no-prior-ramp", po::bool_switch(&no_prior_ramp), "reps hired before the year are fully ramped")(
      "business-days", po::bool_switch(&business_days), "prorate by business days (Mon-Fri)")(
      "increment", po::value(&increment)->default_value(increment), "period quotas are multiples of this")(
      "out", po::value(&out_dir)->default_value(out_dir), "folder for period_quotas.csv, rejects.csv");
  CsvFormat format;
  format.add_to(desc);
  po::variables_map vm;
  if (parse_or_help(desc, args, vm, out)) return 0;
  if (quotas.empty() || year.empty()) throw UsageError{"give --quotas and --year"};
  clear_outputs(out_dir, {"period_quotas.csv", "rejects.csv"});
  quota::PhasingOptions o;
  o.calendar = FiscalCalendar(first_month);
  o.year = plan_year(year, o.calendar, "year");
  o.kind = parse_period_kind(kind);
  o.seasonality = decimal_list(seasonality, "seasonality");
  o.ramp = decimal_list(ramp, "ramp");
  o.ramp_prior_hires = !no_prior_ramp;
  o.day_count = business_days ? DayCount::business_days : DayCount::calendar_days;
  o.increment = Decimal::parse(increment, "--increment");
  Loader loader(format.options());
  const auto q = load_rep_quotas(loader, quotas, {{"rep_id"}, {"quota", ColumnType::decimal}});
  io::Table e, l, r;
  if (!employment.empty()) {
    // The reader fills an absent column with nulls, which would hide a file with none of the
    // date columns ("start_date"): ask only for those in the header. Without any, every column
    // loads as text and phasing names them in its error.
    const auto header = io::csv_header(employment, loader.format());
    std::vector<ColumnSpec> schema{{"rep_id"}};
    for (const char* c : {"start", "end", "hire_date"}) {
      if (io::find_header(header, c)) {
        schema.push_back({c, ColumnType::date, true, false});
      }
    }
    e = loader.load(employment, schema, /*extra_columns_as_text=*/schema.size() == 1);
  }
  if (!leaves.empty()) {
    l = loader.load(leaves, {{"rep_id"}, {"from", ColumnType::date}, {"to", ColumnType::date}});
  }
  if (!relief.empty()) {
    r = loader.load(relief, {{"account_id"},
                             {"from_rep"},
                             {"to_rep"},
                             {"effective", ColumnType::date},
                             {"annual_quota", ColumnType::decimal}});
  }
  quota::PhasingInputs in;
  in.quotas = &q;
  if (!employment.empty()) in.employment = &e;
  if (!leaves.empty()) in.leaves = &l;
  if (!relief.empty()) in.relief = &r;
  // A rep whose employment or leaves row the reader rejected has unknown dates: not phased.
  for (const auto& [file, source] :
       {std::pair{&employment, "employment"}, std::pair{&leaves, "leaves"}}) {
    if (file->empty()) continue;
    for (auto& [row, id] : loader.rejected(*file)) {
      if (!id.empty()) in.unread.push_back({std::move(id), source, row});
    }
  }
  const auto result = quota::phase_quotas(in, o);
  const auto rejects = loader.rejects(result.rejects);
  io::write_csv(result.quotas, out_file(out_dir, "period_quotas.csv"));
  io::write_csv(rejects, out_file(out_dir, "rejects.csv"));
  Decimal total;
  std::size_t negative = 0;
  for (const auto& v : result.quotas.values<Decimal>("quota")) {
    total += v;
    negative += v.sign() < 0 ? 1 : 0;
  }
  out << result.quotas.num_rows() << " rep-periods (" << kind << "), total " << total.to_string()
      << "; rejected: " << rejects.num_rows() << " input rows\n";
  // Legitimate (relief can move more than a rep carries) but rarely meant: said, not hidden.
  if (negative > 0) {
    out << "note: " << negative << " rep-periods have a negative quota (more relieved than "
        << "carried); check the relief rows\n";
  }
  out << "wrote " << out_dir << "/period_quotas.csv, rejects.csv\n";
  return 0;
}

int capacity(const std::vector<std::string>& args, std::ostream& out) {
  std::string model, out_dir = "spm-quota";
  po::options_description desc(
      "spm quota capacity --model MODEL.json [--out DIR]\n\n"
      "Capacity plan: ramped reps, productivity, attrition, hiring, funnel (docs/quota.md)."
      "\n\noptions");
  desc.add_options()("help,h", "show this help")("model", po::value(&model), "capacity model JSON")(
      "out", po::value(&out_dir)->default_value(out_dir), "folder for capacity.csv");
  po::variables_map vm;
  if (parse_or_help(desc, args, vm, out)) return 0;
  if (model.empty()) throw UsageError{"give the model with --model FILE"};
  clear_outputs(out_dir, {"capacity.csv"});
  std::ifstream in(model, std::ios::binary);
  if (!in) throw IoError("quota.open", model, "cannot open the model file; check the path");
  std::ostringstream text;
  text << in.rdbuf();
  const auto result = quota::plan_capacity(quota::parse_capacity_model(text.str()));
  io::write_csv(result.periods, out_file(out_dir, "capacity.csv"));
  io::write_csv(result.periods, out);
  out << "reps needed (fully ramped equivalents): " << result.reps_needed.to_string(2)
      << "\nhires needed at the start: " << result.hires_needed.to_string()
      << (result.hires_close_gap ? "" : " (a hire adds nothing within the span: hiring cannot close the gap)")
      << "\nwrote " << out_dir << "/capacity.csv\n";
  return 0;
}

int pipeline(const std::vector<std::string>& args, std::ostream& out) {
  std::string quotas, deal_size, win_rate, out_dir = "spm-quota";
  po::options_description desc(
      "spm quota pipeline --quotas Q.csv --deal-size D --win-rate W [--out DIR]\n\n"
      "Bottom-up: deals needed = quota / average deal size, opportunities = deals / win rate, "
      "both rounded up; per-rep average_deal_size and win_rate columns override the defaults. "
      "Bad rows (unreadable, negative or empty quota, bad rate, a rep listed twice) go to "
      "rejects.csv; the others are computed."
      "\n\noptions");
  desc.add_options()("help,h", "show this help")(
      "quotas", po::value(&quotas), "CSV: rep_id, quota[, average_deal_size, win_rate]")(
      "deal-size", po::value(&deal_size), "default average deal size")(
      "win-rate", po::value(&win_rate), "default win rate (0..1]")(
      "out", po::value(&out_dir)->default_value(out_dir), "folder for pipeline.csv");
  CsvFormat format;
  format.add_to(desc);
  po::variables_map vm;
  if (parse_or_help(desc, args, vm, out)) return 0;
  if (quotas.empty() || deal_size.empty() || win_rate.empty()) {
    throw UsageError{"give --quotas, --deal-size and --win-rate"};
  }
  clear_outputs(out_dir, {"pipeline.csv", "rejects.csv"});
  Loader loader(format.options());
  const auto q = load_rep_quotas(loader, quotas, {{"rep_id"},
                                                  {"quota", ColumnType::decimal},
                                                  optional_decimal("average_deal_size"),
                                                  optional_decimal("win_rate")});
  const auto result = quota::pipeline_needed(q, Decimal::parse(deal_size, "--deal-size"),
                                             Decimal::parse(win_rate, "--win-rate"));
  const auto& t = result.reps;
  const auto rejects = loader.rejects(result.rejects);
  io::write_csv(t, out_file(out_dir, "pipeline.csv"));
  io::write_csv(rejects, out_file(out_dir, "rejects.csv"));
  Decimal deals, opportunities;
  for (const auto& v : t.values<Decimal>("deals_needed")) deals += v;
  for (const auto& v : t.values<Decimal>("opportunities_needed")) opportunities += v;
  out << t.num_rows() << " reps: " << deals.to_string() << " deals and " << opportunities.to_string()
      << " opportunities needed; rejected: " << rejects.num_rows() << " input rows\nwrote "
      << out_dir << "/pipeline.csv, rejects.csv\n";
  return 0;
}

int fairness(const std::vector<std::string>& args, std::ostream& out) {
  std::string quotas, actuals, sizes, forecast, out_dir = "spm-quota";
  po::options_description desc(
      "spm quota fairness --quotas Q.csv --actuals A.csv [--sizes S.csv] [--forecast F.csv]\n\n"
      "Back-test fairness: attainment distribution and its correlation with territory size."
      "\n\noptions");
  desc.add_options()("help,h", "show this help")("quotas", po::value(&quotas), "CSV: rep_id, quota")(
      "actuals", po::value(&actuals), "CSV: rep_id, sales")(
      "sizes", po::value(&sizes), "CSV: rep_id and numeric size columns (accounts, potential...)")(
      "forecast", po::value(&forecast), "CSV: rep_id, expected_sales, volatility")(
      "out", po::value(&out_dir)->default_value(out_dir), "folder for fairness.csv, rejects.csv");
  CsvFormat format;
  format.add_to(desc);
  po::variables_map vm;
  if (parse_or_help(desc, args, vm, out)) return 0;
  if (quotas.empty() || actuals.empty()) throw UsageError{"give --quotas and --actuals"};
  clear_outputs(out_dir, {"fairness.csv", "rejects.csv"});
  Loader loader(format.options());
  const auto q = load_rep_quotas(loader, quotas, {{"rep_id"}, {"quota", ColumnType::decimal}});
  const auto a = loader.load(actuals, {{"rep_id"}, {"sales", ColumnType::decimal}});
  io::Table s, f;
  if (!sizes.empty()) {
    // Every column but rep_id is a size measure, read as text: the fairness check parses each
    // on its own, so that one text column (a region) or one bad cell costs no other column.
    s = loader.load(sizes, {{"rep_id"}}, /*extra_columns_as_text=*/true);
  }
  if (!forecast.empty()) {
    f = loader.load(forecast, {{"rep_id"},
                               {"expected_sales", ColumnType::decimal},
                               {"volatility", ColumnType::decimal}});
  }
  const auto report = quota::fairness({&q, &a, sizes.empty() ? nullptr : &s,
                                       forecast.empty() ? nullptr : &f});
  const auto rejects = loader.rejects(report.rejects);
  io::write_csv(report.reps_table, out_file(out_dir, "fairness.csv"));
  io::write_csv(rejects, out_file(out_dir, "rejects.csv"));
  auto pct = [](double v) {
    std::ostringstream text;
    text.setf(std::ios::fixed);
    text.precision(1);
    text << v * 100 << "%";
    return text.str();
  };
  out << report.reps << " reps; attainment P10 " << pct(report.p10) << ", P25 " << pct(report.p25)
      << ", P50 " << pct(report.p50) << ", P75 " << pct(report.p75) << ", P90 " << pct(report.p90)
      << ", mean " << pct(report.mean) << "; at or above 100%: " << pct(report.share_attaining)
      << "\n";
  for (const auto& c : report.correlations) {
    out << "  attainment vs " << c.column << ": pearson " << c.pearson << ", spearman "
        << c.spearman << " (fair quotas: near 0)\n";
  }
  for (const auto& n : report.notes) out << "note: " << n << "\n";
  out << "rejected: " << rejects.num_rows() << " input rows\nwrote " << out_dir
      << "/fairness.csv, rejects.csv\n";
  return 0;
}

int run_quota(const std::vector<std::string>& args, std::ostream& out) {
  const std::string usage =
      "usage: spm quota allocate|explain|phase|capacity|fairness|pipeline [options]\n"
      "       spm quota <action> --help\n\n"
      "  allocate   share targets down the hierarchy (8 methods, constraints, cushions)\n"
      "  explain    the trace of one rep's (or node's) quota\n"
      "  phase      annual quotas into months or quarters: seasonality, ramp, proration, relief\n"
      "  capacity   capacity plan from a model: ramped reps, attrition, hiring, funnel\n"
      "  fairness   attainment distribution and its correlation with territory size\n"
      "  pipeline   bottom-up: deals and opportunities each quota needs\n";
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    out << usage;
    return args.empty() ? 2 : 0;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  const auto& action = args[0];
  if (action == "allocate" || action == "explain") return allocate_or_explain(action, rest, out);
  if (action == "phase") return phase(rest, out);
  if (action == "capacity") return capacity(rest, out);
  if (action == "fairness") return fairness(rest, out);
  if (action == "pipeline") return pipeline(rest, out);
  throw UsageError{"unknown action '" + action +
                   "'; use allocate, explain, phase, capacity, fairness or pipeline"};
}

}  // namespace

Command quota_command() {
  return {"quota", "quotas: allocate down a hierarchy, explain, phase over time, capacity, fairness",
          run_quota};
}

}  // namespace spm::cli

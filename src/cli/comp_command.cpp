// spm comp: validate plans, run them over CSV files, explain a statement.
#include <algorithm>
#include <filesystem>
#include <iostream>

#include <boost/program_options.hpp>
#include <spm/comp/engine.hpp>
#include <spm/comp/files.hpp>
#include <spm/comp/whatif.hpp>
#include <spm/io/csv.hpp>
#include <spm/core/error.hpp>

#include "command.hpp"
#include "loader.hpp"
#include "options.hpp"
#include "demo_stages.hpp"

namespace spm::cli {
namespace po = boost::program_options;
namespace {

int settle(const std::vector<comp::Plan>& versions, const comp::LoadedInputs& inputs,
           const Period& range, const ExecutionContext& ctx, const std::string& out_dir,
           std::ostream& out) {
  const auto r = comp::settle(versions, inputs.view(), inputs.lifecycle(), range, ctx);
  comp::write_outputs(r, inputs.rejects, out_dir);
  const auto& plan = versions.front();
  const int places = plan.rounding_places;
  // Closed periods' net pay was paid already (as recorded): what is due now is the open ones'.
  Decimal closed_pay;
  const auto status = r.pay.strings("status");
  const auto& net = r.pay.values<Decimal>("net_pay");
  for (std::size_t i = 0; i < r.pay.num_rows(); ++i) {
    if (status[i] == "closed") closed_pay += net[i];
  }
  const Decimal net_pay = column_total(r.pay, "net_pay");
  out << "plan " << plan.id << ", " << range.to_string() << ": " << r.pay.num_rows()
      << " pay rows, net pay " << (net_pay - closed_pay).to_string(places) << " "
      << plan.currency.code()
      << (closed_pay.is_zero() ? std::string()
                               : " due in open periods (closed periods, paid as recorded: " +
                                     closed_pay.to_string(places) + ")")
      << "\n"
      << "  earned " << column_total(r.pay, "earned").to_string(places) << ", adjustments "
      << column_total(r.pay, "adjustments").to_string(places) << ", clawbacks "
      << column_total(r.pay, "clawbacks").to_string(places) << ", draws "
      << column_total(r.pay, "draw").to_string(places) << ", recovered "
      << column_total(r.pay, "draw_recovered").to_string(places) << ", held at the end "
      << column_total(r.held, "amount").to_string(places) << "\n"
      << "rejected: " << rejected_rows({&inputs.rejects}) << " input rows, " << r.rejects.num_rows()
      << " in the run"
      << (r.cancellations_after_range == 0
              ? std::string()
              : "; cancellations after the range: " + std::to_string(r.cancellations_after_range) +
                    " (a later run claws them back)")
      << (r.cancellations_before_range == 0
              ? std::string()
              : "; cancellations before the range: " + std::to_string(r.cancellations_before_range) +
                    " (passed over: see the note)")
      << "\n";
  for (const auto& note : r.commission.notes) out << "note: " << note << "\n";
  out << "fingerprint " << comp::fingerprint(r.fingerprint, inputs.rejects) << "\n"
      << "wrote " << out_dir << "/pay.csv, pay_lines.csv, held.csv, statements.csv, lines.csv, "
      << "rejects.csv, fingerprint.txt\n";
  return 0;
}

int whatif(const comp::Plan& base, const std::vector<std::string>& variant_paths,
           const std::vector<std::string>& quota_factors, const comp::LoadedInputs& inputs,
           const Period& range, const ExecutionContext& ctx, bool exact,
           const std::string& out_dir, std::ostream& out) {
  if (variant_paths.empty()) throw UsageError{"give at least one --variant PLAN"};
  std::vector<comp::Variant> variants;
  for (const auto& path : variant_paths) {
    variants.push_back({std::filesystem::path(path).stem().string(), comp::load_plan(path), Decimal(1)});
  }
  for (const auto& qf : quota_factors) {
    const auto eq = qf.find('=');
    const std::string id = qf.substr(0, eq);
    const auto v = std::find_if(variants.begin(), variants.end(), [&](const comp::Variant& x) { return x.id == id; });
    if (eq == std::string::npos || v == variants.end()) {
      throw UsageError{"--quota-factor " + qf + ": write VARIANT=FACTOR with a variant's file name, e.g. v1=1.1"};
    }
    v->quota_factor = Decimal::parse(qf.substr(eq + 1), "--quota-factor");
  }
  const auto r = comp::what_if(base, variants, inputs.view(), range, ctx, exact);
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  io::write_csv(r.summary, std::filesystem::path(out_dir) / "whatif.csv");
  io::write_csv(r.payees, std::filesystem::path(out_dir) / "whatif_payees.csv");
  out << "what-if of plan " << base.id << ", " << range.to_string() << ", " << variants.size()
      << " variants:\n";
  const auto& s = r.summary;
  for (std::size_t i = 0; i < s.num_rows(); ++i) {
    out << "  " << s.column("variant").text(i) << ": payout " << s.column("payout").text(i)
        << " (" << s.column("delta").text(i) << "), cost of sales "
        << s.column("cost_of_sales_percent").text(i) << "%, median payee "
        << s.column("payout_p50").text(i) << ", above quota "
        << (s.column("above_quota_percent").is_null(i) ? std::string("n/a (no quotas)")
                                                        : s.column("above_quota_percent").text(i) + "%")
        << "\n";
  }
  out << "wrote " << out_dir << "/whatif.csv, whatif_payees.csv\n";
  return 0;
}

int run_comp(const std::vector<std::string>& args, std::ostream& out) {
  std::string action, period, out_dir = "spm-comp", payee;
  std::vector<std::string> plan_paths, variant_paths, quota_factors;
  comp::InputFiles files;
  int threads = 0;
  bool exact = false;
  po::options_description desc(
      "spm comp validate --plan PLAN\n"
      "spm comp run --plan PLAN --transactions TX.csv --quotas Q.csv --period P [--out DIR]\n"
      "spm comp explain --plan PLAN --transactions TX.csv --quotas Q.csv --payee ID --period P\n"
      "spm comp settle --plan PLAN --transactions TX.csv --quotas Q.csv --period P [lifecycle "
      "files] [--out DIR]\n"
      "spm comp whatif --plan BASE --variant V1 [--variant V2 ...] [--quota-factor V1=1.1] "
      "--transactions TX.csv --quotas Q.csv --period P [--out DIR]\n\n"
      "Commission plans as data (docs/plan-format.md). PERIOD: 2026-Q1, 2026-03, 2026, "
      "2026-01..2026-06 or 2026-01-01..2026-07-01.\n\noptions");
  desc.add_options()("help,h", "show this help")(
      "plan", po::value(&plan_paths)->composing(),
      "plan file: JSON, or YAML when named .yaml or .yml; repeat it for the effective-dated "
      "versions of one plan")(
      "transactions", po::value(&files.transactions),
      "CSV: transaction_id, payee_id, date, amount[, currency], attribute columns")(
      "quotas", po::value(&files.quotas), "CSV: payee_id, period_start, quota[, measure, target_incentive, days_prorated]")(
      "credits", po::value(&files.credits), "CSV of split credits: transaction_id, payee_id, percent")(
      "credit-rules", po::value(&files.credit_rules),
      "CSV of credit rules for plans with \"credit\": {\"by\": COLUMN}: key, payee_id, from, to, percent")(
      "assignments", po::value(&files.assignments), "CSV: payee_id, from, to")(
      "scores", po::value(&files.scores), "CSV: payee_id, period_start, score, value")(
      "hierarchy", po::value(&files.hierarchy), "CSV of reporting lines: payee_id, manager_id, from, to")(
      "relationships", po::value(&files.relationships),
      "CSV of overlays: relationship, key, payee_id, from, to")(
      "fx-rates", po::value(&files.fx_rates), "CSV: currency, date, rate (plan currency per unit)")(
      "adjustments", po::value(&files.adjustments),
      "settle: CSV of manual adjustments: payee_id, period, amount, reason, author, date")(
      "draws", po::value(&files.draws), "settle: CSV: payee_id, from, to, amount, type")(
      "cancellations", po::value(&files.cancellations),
      "settle: CSV of cancellations and refunds: transaction_id, date, amount")(
      "events", po::value(&files.events),
      "settle: CSV of invoices and payments: transaction_id, event, date, amount, due")(
      "terminations", po::value(&files.terminations), "settle: CSV: payee_id, date")(
      "paid", po::value(&files.paid), "settle: CSV of closed periods' payments: payee_id, period, amount")(
      "payees", po::value(&files.payees), "settle: CSV of pay currencies: payee_id, currency")(
      "opening", po::value(&files.opening),
      "settle: CSV of balances brought in: payee_id, draw_balance, owed")(
      "variant", po::value(&variant_paths)->composing(),
      "whatif: a variant plan file (its id: the file name without extension); repeat it")(
      "quota-factor", po::value(&quota_factors)->composing(),
      "whatif: VARIANT=FACTOR scales that variant's quotas (e.g. v1=1.1)")(
      "exact", po::bool_switch(&exact),
      "whatif: keep every credit, so each variant equals a full run to the cent (slower)")(
      "period", po::value(&period), "pay periods to compute")(
      "payee", po::value(&payee), "payee to explain")(
      "out", po::value(&out_dir)->default_value(out_dir), "folder for statements, lines, rejects")(
      "threads", po::value(&threads)->default_value(0), "worker threads (0 = all cores)");
  CsvFormat format;
  format.add_to(desc);
  po::options_description hidden;
  hidden.add_options()("action", po::value(&action));
  po::options_description all;
  all.add(desc).add(hidden);
  po::positional_options_description pos;
  pos.add("action", 1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
  po::notify(vm);
  if (vm.count("help") || action.empty()) {
    out << desc << "\n";
    return vm.count("help") ? 0 : 2;
  }
  // Options another action reads would be ignored here: refused, so that nothing is assumed done.
  for (const char* name : {"adjustments", "draws", "cancellations", "events", "terminations",
                           "paid", "payees", "opening"}) {
    if (action != "settle" && vm.count(name)) {
      throw UsageError{"--" + std::string(name) + " is read by settle only; run spm comp settle, "
                       "or leave it out"};
    }
  }
  for (const char* name : {"variant", "quota-factor", "exact"}) {
    if (action != "whatif" && vm.count(name) && !vm[name].defaulted()) {
      throw UsageError{"--" + std::string(name) + " is read by whatif only; run spm comp whatif, "
                       "or leave it out"};
    }
  }
  if (action != "explain" && !payee.empty()) {
    throw UsageError{"--payee is read by explain only; leave it out"};
  }
  if (plan_paths.empty()) throw UsageError{"give the plan with --plan FILE"};
  std::vector<comp::Plan> versions;
  for (const auto& path : plan_paths) {
    versions.push_back(comp::load_plan(path));  // throws with every problem listed
  }
  if (action == "validate") {
    for (std::size_t i = 0; i < versions.size(); ++i) {
      const auto& plan = versions[i];
      out << plan_paths[i] << ": plan '" << plan.id << "' version " << plan.version
          << " is valid (" << plan.measures.size() << " measures, " << plan.components.size()
          << " components, " << to_string(plan.pay_period) << " pay periods, true-up "
          << comp::to_string(plan.true_up) << ")\n";
      for (const auto& note : comp::plan_notes(plan)) out << "note: " << note << "\n";
    }
    return 0;
  }
  if (action != "run" && action != "explain" && action != "settle" && action != "whatif") {
    throw UsageError{"unknown action '" + action + "'; use validate, run, explain, settle or whatif"};
  }
  if (files.transactions.empty() || files.quotas.empty() || period.empty()) {
    throw UsageError{"give --transactions, --quotas and --period"};
  }
  if (action == "explain" && payee.empty()) throw UsageError{"give the payee with --payee ID"};
  if (threads < 0) throw UsageError{"--threads " + std::to_string(threads) + ": give 0 (all cores) or more"};
  const auto& plan = versions.front();
  const auto range = comp::parse_run_range(period, plan);
  const auto inputs = comp::load_inputs(files, plan, format.options());
  ExecutionContext ctx;
  ctx.threads(static_cast<unsigned>(threads));
  if (action == "run" || action == "settle") {
    // run and settle share statements.csv and lines.csv: a folder used by the other keeps no
    // pay.csv (or statements) of an earlier computation beside this one's.
    clear_outputs(out_dir, {"statements.csv", "statements.json", "lines.csv", "rejects.csv", "pay.csv",
                            "pay_lines.csv", "held.csv", "fingerprint.txt"});
  }
  if (action == "settle") return settle(versions, inputs, range, ctx, out_dir, out);
  if (action == "whatif") {
    return whatif(plan, variant_paths, quota_factors, inputs, range, ctx, exact, out_dir, out);
  }
  const auto result = comp::run(versions, inputs.view(), range, ctx);
  if (action == "explain") {
    const auto label = plan.calendar.label(range.begin, plan.pay_period);
    out << comp::explain(result, payee, label);
    return 0;
  }
  comp::write_outputs(result, inputs.rejects, out_dir);
  const auto& st = result.statements;
  Decimal total;
  std::size_t statements = 0;
  for (std::size_t r = 0; r < st.num_rows(); ++r) {
    if (st.strings("component")[r] == "TOTAL") {
      total += st.values<Decimal>("payout")[r];
      ++statements;
    }
  }
  out << "plan " << plan.id << ", " << range.to_string() << ": " << statements
      << " statements, " << result.lines.num_rows() << " lines, total payout "
      << total.to_string(plan.rounding_places) << " " << plan.currency.code() << "\n"
      << "rejected: " << rejected_rows({&inputs.rejects}) << " input rows, " << result.rejects.num_rows()
      << " in the run; transactions after the range: " << result.transactions_after_range
      << ", before it: " << result.transactions_before_range << "\n";
  for (const auto& note : result.notes) out << "note: " << note << "\n";
  out << "wrote " << out_dir << "/statements.csv, statements.json, lines.csv, rejects.csv\n";
  // A scripted payroll run must not take "0 statements" from rejected input for success.
  const std::size_t rejected = rejected_rows({&inputs.rejects}) + result.rejects.num_rows();
  if (statements == 0 && rejected > 0) {
    out << "nothing was computed and rows were rejected: see " << out_dir << "/rejects.csv\n";
    return 3;
  }
  // Statements of 0 for everyone when every transaction was rejected are no payroll either.
  if (result.credits == 0 && rejected > 0) {
    out << "no transaction was credited and rows were rejected: see " << out_dir << "/rejects.csv\n";
    return 3;
  }
  return 0;
}

}  // namespace

Command comp_command() {
  return {"comp", "commission plans: validate, run over transactions, explain a statement", run_comp};
}

}  // namespace spm::cli

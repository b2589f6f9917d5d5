// spm comp: validate plans, run them over CSV files, explain a statement.
#include <iostream>

#include <boost/program_options.hpp>
#include <spm/comp/engine.hpp>
#include <spm/comp/files.hpp>
#include <spm/core/error.hpp>

#include "command.hpp"

namespace spm::cli {
namespace po = boost::program_options;
namespace {

int run_comp(const std::vector<std::string>& args, std::ostream& out) {
  std::string action, period, out_dir = "spm-comp", payee;
  std::vector<std::string> plan_paths;
  comp::InputFiles files;
  unsigned threads = 0;
  po::options_description desc(
      "spm comp validate --plan PLAN\n"
      "spm comp run --plan PLAN --transactions TX.csv --quotas Q.csv --period P [--out DIR]\n"
      "spm comp explain --plan PLAN --transactions TX.csv --quotas Q.csv --payee ID --period P\n\n"
      "Commission plans as data (docs/plan-format.md). PERIOD: 2026-Q1, 2026-03, 2026, "
      "2026-01..2026-06 or 2026-01-01..2026-07-01.\n\noptions");
  desc.add_options()("help,h", "show this help")(
      "plan", po::value(&plan_paths)->composing(),
      "plan file: JSON, or YAML when named .yaml or .yml; repeat it for the effective-dated "
      "versions of one plan")(
      "transactions", po::value(&files.transactions),
      "CSV: transaction_id, payee_id, date, amount[, currency], attribute columns")(
      "quotas", po::value(&files.quotas), "CSV: payee_id, period_start, quota[, measure]")(
      "credits", po::value(&files.credits), "CSV of split credits: transaction_id, payee_id, percent")(
      "credit-rules", po::value(&files.credit_rules),
      "CSV of credit rules for plans with \"credit\": {\"by\": COLUMN}: key, payee_id, from, to, percent")(
      "assignments", po::value(&files.assignments), "CSV: payee_id, from, to")(
      "scores", po::value(&files.scores), "CSV: payee_id, period_start, score, value")(
      "period", po::value(&period), "pay periods to compute")(
      "payee", po::value(&payee), "payee to explain")(
      "out", po::value(&out_dir)->default_value(out_dir), "folder for statements, lines, rejects")(
      "threads", po::value(&threads)->default_value(0), "worker threads (0 = all cores)");
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
    }
    return 0;
  }
  if (action != "run" && action != "explain") {
    throw UsageError{"unknown action '" + action + "'; use validate, run or explain"};
  }
  if (files.transactions.empty() || files.quotas.empty() || period.empty()) {
    throw UsageError{"give --transactions, --quotas and --period"};
  }
  if (action == "explain" && payee.empty()) throw UsageError{"give the payee with --payee ID"};
  const auto& plan = versions.front();
  const auto range = comp::parse_run_range(period, plan);
  const auto inputs = comp::load_inputs(files, plan);
  ExecutionContext ctx;
  ctx.threads(threads);
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
      << "rejected: " << inputs.rejects.num_rows() << " input rows, " << result.rejects.num_rows()
      << " in the run; transactions after the range: " << result.transactions_after_range << "\n"
      << "wrote " << out_dir << "/statements.csv, statements.json, lines.csv, rejects.csv\n";
  return 0;
}

}  // namespace

Command comp_command() {
  return {"comp", "commission plans: validate, run over transactions, explain a statement", run_comp};
}

}  // namespace spm::cli

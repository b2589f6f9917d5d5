// spm demo, quota stage: next year's quotas for the generated company, from the top down.
#include <filesystem>
#include <map>
#include <ostream>

#include <spm/demo/quota_inputs.hpp>
#include <spm/io/csv.hpp>
#include <spm/quota/allocation.hpp>
#include <spm/quota/capacity.hpp>
#include <spm/quota/fairness.hpp>
#include <spm/quota/phasing.hpp>

#include "demo_stages.hpp"

namespace spm::cli {
namespace {

Decimal d(const char* text) { return Decimal::parse(text); }

std::string pct(double v) {
  return Decimal::from_double(v * 100, 1).to_string(1) + "%";
}

quota::AllocationOptions demo_allocation_options() {
  quota::AllocationOptions o;
  o.method = quota::Method::blend;
  o.history_weight = d("0.5");
  o.factors = {{"potential", d("0.7")}, {"accounts", d("0.3")}};
  o.increment = 1000;
  o.cushions = {d("0.05"), d("0.03")};  // director -> regions, regions -> managers
  o.max_increase = d("0.35");
  o.max_decrease = d("0.15");
  o.min_quota = 100000;
  o.no_history = quota::NoHistoryPolicy::new_hire;
  return o;
}

// Annual quotas of the reps as the phasing input (rep_id, quota).
io::Table rep_quotas(const quota::AllocationResult& r) {
  std::vector<std::string> id;
  std::vector<Decimal> q;
  for (const auto& n : r.nodes) {
    if (!n.is_rep) continue;
    id.push_back(n.node_id);
    q.push_back(n.quota);
  }
  io::Table t;
  t.add(io::Column::of("rep_id", std::move(id))).add(io::Column::of("quota", std::move(q)));
  return t;
}

// The commission engine's quota layout: payee_id, period_start, quota.
io::Table comp_quotas(const io::Table& period_quotas) {
  io::Table t;
  std::vector<std::string> id;
  for (std::size_t r = 0; r < period_quotas.num_rows(); ++r) {
    id.emplace_back(period_quotas.strings("rep_id")[r]);
  }
  t.add(io::Column::of("payee_id", std::move(id)));
  t.add(io::Column::of("period_start", period_quotas.values<Date>("period_start")));
  t.add(io::Column::of("quota", period_quotas.values<Decimal>("quota")));
  return t;
}

quota::CapacityModel capacity_model(const demo::Company& co, const demo::QuotaInputs& in,
                                    const Decimal& target) {
  quota::CapacityModel m;
  m.start = in.plan_year.begin;
  m.months = 12;
  m.ramp = {d("0.25"), d("0.5"), d("0.75")};
  // Reps by completed months of tenure on the first day of the plan.
  std::map<int, std::int64_t> cohort;
  const auto& e = in.employment;
  for (std::size_t r = 0; r < e.num_rows(); ++r) {
    const Date h = e.values<Date>("hire_date")[r];
    const int months = (m.start.year() - h.year()) * 12 + static_cast<int>(m.start.month()) -
                       static_cast<int>(h.month());
    ++cohort[std::max(0, months)];
  }
  for (const auto& [tenure, n] : cohort) m.cohorts.push_back({tenure, Decimal(n)});
  // A fully ramped rep's monthly bookings: what full-year reps booked last year.
  Decimal sales;
  for (const auto& s : in.backtest_actuals.values<Decimal>("sales")) sales += s;
  const auto full = static_cast<std::int64_t>(in.backtest_actuals.num_rows());
  m.productivity = full > 0 ? Decimal::div(sales, Decimal(full * 12), 2) : Decimal(1);
  m.monthly_attrition = d("0.005");
  m.hires = {2, 0, 0, 2, 0, 0, 2};
  m.over_assignment = d("0.0815");  // the cushions: 1.05 x 1.03 = 1.0815
  m.target = target;
  // Funnel from last year's closed deals.
  std::int64_t won = 0, closed = 0;
  Decimal won_amount;
  const auto& o = co.opportunities;
  const auto& close = o.column("close_date");
  for (std::size_t r = 0; r < o.num_rows(); ++r) {
    if (close.is_null(r) || !in.base_year.contains(close.values<Date>()[r])) continue;
    ++closed;
    if (o.strings("outcome")[r] == "won") {
      ++won;
      won_amount += o.values<Decimal>("amount")[r];
    }
  }
  if (won > 0) {
    m.win_rate = Decimal::div(Decimal(won), Decimal(closed), 4);
    m.average_deal_size = Decimal::div(won_amount, Decimal(won), 2);
  }
  return m;
}

}  // namespace

io::Table run_quota_stage(const demo::Company& co, const std::string& out_dir, std::ostream& out) {
  const auto dir = std::filesystem::path(out_dir) / "quota";
  std::filesystem::create_directories(dir);
  const auto in = demo::quota_inputs(co, d("0.12"));
  for (const auto& [name, table] : std::vector<std::pair<const char*, const io::Table*>>{
           {"targets", &in.targets}, {"org", &in.org}, {"reps", &in.reps},
           {"history", &in.history}, {"employment", &in.employment}}) {
    io::write_csv(*table, dir / (std::string(name) + ".csv"));
  }
  const auto options = demo_allocation_options();
  const auto alloc = quota::allocate_quotas({&in.targets, &in.org, &in.reps, &in.history}, options);
  io::write_csv(alloc.quotas_table(), dir / "quotas.csv");
  io::write_csv(alloc.trace_table(), dir / "trace.csv");
  io::write_csv(alloc.rejects, dir / "rejects.csv");

  const Decimal target = in.targets.values<Decimal>("target")[0];
  Decimal rep_total;
  std::size_t reps = 0, constrained = 0;
  std::map<std::string, Decimal> by_region;
  for (const auto& n : alloc.nodes) {
    if (n.depth == 1) by_region[n.node_id] = n.quota;
    if (!n.is_rep) continue;
    ++reps;
    rep_total += n.quota;
    for (const auto& s : alloc.trace(n)) {
      if (s.kind == quota::StepKind::constraint) {
        ++constrained;
        break;
      }
    }
  }
  const auto year = std::to_string(in.plan_year.begin.year());
  out << "\nquotas for " << year << " (blend: 50% last year's sales, 50% potential index of "
      << "70% account potential + 30% accounts; change within -15%..+35% of last quota; "
      << "cushions 5% and 3%)\n"
      << "  target " << grouped(target, 0) << " USD (last year's bookings "
      << grouped(in.base_bookings, 0) << " + 12%); " << reps << " reps carry "
      << grouped(rep_total, 0) << " (x " << Decimal::div(rep_total, target, 4).to_string(4)
      << "); status " << (alloc.status == quota::AllocationStatus::ok ? "ok" : "INFEASIBLE")
      << "; " << constrained << " reps held by a constraint; " << alloc.rejects.num_rows()
      << " rejects\n  by region:";
  for (const auto& [region, q] : by_region) out << " " << region << " " << grouped(q, 0);
  out << "\n";

  // Quarters: seasonality and a three-month ramp for new hires.
  quota::PhasingOptions ph;
  ph.year = in.plan_year;
  ph.kind = PeriodKind::quarter;
  ph.seasonality = {d("0.22"), d("0.24"), d("0.25"), d("0.29")};
  ph.ramp = {d("0.25"), d("0.5"), d("0.75")};
  ph.increment = d("0.01");
  const auto annual = rep_quotas(alloc);
  const auto phased = quota::phase_quotas({&annual, &in.employment, nullptr, nullptr, {}}, ph);
  io::write_csv(phased.quotas, dir / "period_quotas.csv");
  const auto next_year_quotas = comp_quotas(phased.quotas);
  io::write_csv(next_year_quotas, dir / ("quotas_" + year + ".csv"));
  std::map<std::string, Decimal> by_quarter;
  for (std::size_t r = 0; r < phased.quotas.num_rows(); ++r) {
    by_quarter[std::string(phased.quotas.strings("period")[r])] +=
        phased.quotas.values<Decimal>("quota")[r];
  }
  out << "  quarters (seasonality 22/24/25/29%, 3-month ramp for new hires):";
  for (const auto& [label, q] : by_quarter) out << " " << label << " " << grouped(q, 0);
  out << "\n";

  // Was last year fair? Attainment against territory size for reps who carried a full year.
  const auto fair = quota::fairness(
      {&in.backtest_quotas, &in.backtest_actuals, &in.backtest_sizes, nullptr});
  io::write_csv(fair.reps_table, dir / "fairness.csv");
  out << "  last year's quotas (" << fair.reps << " full-year reps): attainment P10 "
      << pct(fair.p10) << ", P50 " << pct(fair.p50) << ", P90 " << pct(fair.p90) << "; "
      << pct(fair.share_attaining) << " at or above 100%";
  for (const auto& c : fair.correlations) {
    out << "; vs " << c.column << " " << Decimal::from_double(c.pearson, 2).to_string(2);
  }
  out << " (fair quotas: near 0)\n";

  const auto cap = quota::plan_capacity(capacity_model(co, in, target));
  io::write_csv(cap.periods, dir / "capacity.csv");
  const auto& p = cap.periods;
  const std::size_t total = p.num_rows() - 1;
  out << "  capacity: " << grouped(p.values<Decimal>("capacity")[total], 0)
      << " from ramped reps vs target " << grouped(p.values<Decimal>("target")[total], 0)
      << "; hires needed at the start to close the gap: " << cap.hires_needed.to_string()
      << "\n  explain one: spm quota explain --targets " << out_dir << "/quota/targets.csv --org "
      << out_dir << "/quota/org.csv --reps " << out_dir << "/quota/reps.csv --history " << out_dir
      << "/quota/history.csv --method blend --weight 0.5 --factor potential=0.7 --factor "
      << "accounts=0.3 --increment 1000 --cushion 0.05 --cushion 0.03 --max-increase 0.35 "
      << "--max-decrease 0.15 --min-quota 100000 --no-history new_hire --rep "
      << (reps ? annual.strings("rep_id")[0] : std::string_view("E0003")) << "\n"
      << "  wrote quota/quotas.csv, trace.csv, period_quotas.csv, quotas_" << year
      << ".csv (the commission engine's quota file for " << year
      << "), fairness.csv, capacity.csv\n";
  return next_year_quotas;
}

}  // namespace spm::cli

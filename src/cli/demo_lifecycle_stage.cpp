// spm demo, lifecycle stage: a year of the demo plan paid out (releases on payment, clawbacks,
// draws for new hires, terminations, adjustments, late data into a closed quarter), managers'
// overrides rolled up the reporting lines, and a what-if of three plan changes.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <ostream>

#include <spm/comp/files.hpp>
#include <spm/comp/lifecycle.hpp>
#include <spm/comp/whatif.hpp>
#include <spm/core/random.hpp>
#include <spm/demo/company.hpp>
#include <spm/io/csv.hpp>

#include "demo_stages.hpp"

namespace spm::cli {
namespace {

using io::Column;
using io::ColumnType;
using io::Table;

// The demo plan with the lifecycle sections: half of each deal's commission on booking, half as
// the customer pays; cancellations within 180 days clawed back at the original rate; draws
// recovered from half of the earnings above them, forgiven on termination.
std::string lifecycle_plan_json() {
  std::string plan(demo::demo_plan_json());
  const auto brace = plan.find('{');
  plan.insert(brace + 1, R"(
  "release": [{"on": "booking", "percent": "50"}, {"on": "payment", "percent": "50"}],
  "clawback": {"policy": "original_rate", "window_days": 180},
  "draws": {"recovery_percent": "50", "forgive": ["termination"]},)");
  return plan;
}

struct LifecycleTables {
  Table events, cancellations, draws, terminations, adjustments;
};

// Invoices and payments, cancellations, new hires' draws, terminations and two adjustments for
// the year, seeded: the same company gives the same lifecycle.
LifecycleTables lifecycle_inputs(const demo::Company& co, const Period& year,
                                 const std::vector<std::string>& labels) {
  Random rng(7);
  LifecycleTables t;
  std::vector<std::string> ev_tx, ev_kind, c_tx;
  std::vector<Date> ev_date, c_date;
  std::vector<Decimal> ev_amount, c_amount;
  std::vector<std::uint8_t> ev_valid, c_valid;
  const auto ids = co.transactions.strings("transaction_id");
  const auto& dates = co.transactions.values<Date>("date");
  const auto& amounts = co.transactions.values<Decimal>("amount");
  for (std::size_t r = 0; r < co.transactions.num_rows(); ++r) {
    if (!year.contains(dates[r])) continue;
    const std::string id(ids[r]);
    ev_tx.push_back(id);
    ev_kind.emplace_back("invoice");
    ev_date.push_back(dates[r]);
    ev_amount.emplace_back();
    ev_valid.push_back(0);
    const double u = rng.uniform();
    if (u < 0.85) {  // paid in full 20-75 days later
      ev_tx.push_back(id);
      ev_kind.emplace_back("payment");
      ev_date.push_back(dates[r] + static_cast<std::int32_t>(20 + rng.below(56)));
      ev_amount.emplace_back();
      ev_valid.push_back(0);
    } else if (u < 0.95) {  // half now, half two months later
      const Decimal half = Decimal::div(amounts[r], Decimal(2), 2);
      for (int k = 0; k < 2; ++k) {
        ev_tx.push_back(id);
        ev_kind.emplace_back("payment");
        ev_date.push_back(dates[r] + static_cast<std::int32_t>(30 + 60 * k));
        ev_amount.push_back(k == 0 ? half : amounts[r] - half);
        ev_valid.push_back(1);
      }
    }  // else: not paid yet, the second half stays held
    if (rng.bernoulli(0.02)) {  // 2% cancelled or partly refunded within 150 days
      c_tx.push_back(id);
      c_date.push_back(dates[r] + static_cast<std::int32_t>(10 + rng.below(140)));
      const bool partial = rng.bernoulli(0.33);
      c_amount.push_back(partial ? Decimal::div(amounts[r], Decimal(3), 2) : Decimal());
      c_valid.push_back(partial ? 1 : 0);
    }
  }
  t.events.add(Column::of("transaction_id", std::move(ev_tx)));
  t.events.add(Column::of("event", std::move(ev_kind)));
  t.events.add(Column::of("date", std::move(ev_date)));
  Column ea = Column::of("amount", std::move(ev_amount));
  ea.set_validity(std::move(ev_valid));
  t.events.add(std::move(ea));
  t.cancellations.add(Column::of("transaction_id", std::move(c_tx)));
  t.cancellations.add(Column::of("date", std::move(c_date)));
  Column ca = Column::of("amount", std::move(c_amount));
  ca.set_validity(std::move(c_valid));
  t.cancellations.add(std::move(ca));

  // Reps hired in the last 15 months draw 6,000 a quarter for their first six months.
  std::vector<std::string> d_payee, d_type, tm_payee;
  std::vector<Date> d_from, d_to, tm_date;
  std::vector<Decimal> d_amount;
  const auto& payee = co.payees.values<std::string>("payee_id");
  const auto& role = co.payees.values<std::string>("role");
  const auto& hire = co.payees.column("hire_date");
  const auto& term = co.payees.column("termination_date");
  for (std::size_t r = 0; r < co.payees.num_rows(); ++r) {
    if (role[r] == "rep" && !hire.is_null(r)) {
      const Date h = hire.values<Date>()[r];
      if (h >= year.begin.add_months(-3) && h < year.end) {
        d_payee.push_back(payee[r]);
        d_from.push_back(h);
        d_to.push_back(h.add_months(6));
        d_amount.emplace_back(6000);
        d_type.emplace_back("recoverable");
      }
    }
    if (!term.is_null(r) && year.contains(term.values<Date>()[r])) {
      tm_payee.push_back(payee[r]);
      tm_date.push_back(term.values<Date>()[r]);
    }
  }
  t.draws.add(Column::of("payee_id", std::move(d_payee)));
  t.draws.add(Column::of("from", std::move(d_from)));
  t.draws.add(Column::of("to", std::move(d_to)));
  t.draws.add(Column::of("amount", std::move(d_amount)));
  t.draws.add(Column::of("type", std::move(d_type)));
  t.terminations.add(Column::of("payee_id", std::move(tm_payee)));
  t.terminations.add(Column::of("date", std::move(tm_date)));
  // Two manual adjustments in the last quarter, with reason and author.
  const std::string last = labels.back();
  t.adjustments.add(Column::of("payee_id", std::vector<std::string>{"E0003", "E0004"}));
  t.adjustments.add(Column::of("period", std::vector<std::string>{last, last}));
  t.adjustments.add(Column::of("amount", std::vector<Decimal>{Decimal(500), Decimal::parse("-250.00")}));
  t.adjustments.add(Column::of("reason", std::vector<std::string>{"SPIF missed by a data load", "duplicate credit on a renewal"}));
  t.adjustments.add(Column::of("author", std::vector<std::string>{"comp-ops", "comp-ops"}));
  return t;
}

void settle_year(const demo::Company& co, const std::filesystem::path& dir, std::ostream& out) {
  const auto plan = comp::parse_plan(lifecycle_plan_json());
  const Period year{co.as_of.add_months(-12), co.as_of};
  std::vector<std::string> labels;
  for (const auto& q : plan.calendar.periods(year, plan.pay_period)) {
    labels.push_back(plan.calendar.label(q.begin, plan.pay_period));
  }
  const auto life = lifecycle_inputs(co, year, labels);
  comp::CompInputs in;
  in.transactions = &co.transactions;
  in.quotas = &co.quotas;
  in.assignments = &co.assignments;
  comp::LifecycleInputs li;
  li.events = &life.events;
  li.cancellations = &life.cancellations;
  li.draws = &life.draws;
  li.terminations = &life.terminations;
  li.adjustments = &life.adjustments;
  // Two reps are paid in euros, at month-start rates (USD per EUR, 8 decimals).
  Table fx, in_euros;
  {
    std::vector<std::string> ccy;
    std::vector<Date> on;
    std::vector<Decimal> rate;
    for (int m = -15; m <= 0; ++m) {
      ccy.emplace_back("EUR");
      on.push_back(Date(co.as_of.year(), co.as_of.month(), 1).add_months(m));
      rate.push_back(Decimal::from_units(108000000 + 150000 * ((m * 7 + 20) % 9), 8));
    }
    fx.add(Column::of("currency", std::move(ccy)));
    fx.add(Column::of("date", std::move(on)));
    fx.add(Column::of("rate", std::move(rate)));
    in_euros.add(Column::of("payee_id", std::vector<std::string>{"E0005", "E0006"}));
    in_euros.add(Column::of("currency", std::vector<std::string>{"EUR", "EUR"}));
  }
  in.fx_rates = &fx;
  li.payees = &in_euros;
  // The first quarter was paid before 1 in 40 of its deals had arrived (late data): that run's
  // net pay is what was paid, and the quarter is closed.
  const Period first = plan.calendar.period_containing(year.begin, plan.pay_period);
  std::vector<std::size_t> early;
  const auto& dates = co.transactions.values<Date>("date");
  std::size_t late = 0;
  for (std::size_t r = 0; r < co.transactions.num_rows(); ++r) {
    if (first.contains(dates[r]) && r % 40 == 0) ++late;
    else early.push_back(r);
  }
  const Table before = io::take(co.transactions, early);
  comp::CompInputs in_before = in;
  in_before.transactions = &before;
  const auto then = comp::settle(plan, in_before, li, year);
  std::vector<std::string> p_payee, p_period;
  std::vector<Decimal> p_amount;
  for (std::size_t r = 0; r < then.pay.num_rows(); ++r) {
    if (then.pay.strings("period")[r] != labels.front()) continue;
    p_payee.emplace_back(then.pay.strings("payee_id")[r]);
    p_period.push_back(labels.front());
    p_amount.push_back(then.pay.values<Decimal>("net_pay")[r]);
  }
  Table paid;
  paid.add(Column::of("payee_id", std::move(p_payee)));
  paid.add(Column::of("period", std::move(p_period)));
  paid.add(Column::of("amount", std::move(p_amount)));
  li.paid = &paid;
  const auto r = comp::settle(plan, in, li, year);
  io::Table no_rejects = io::take(r.rejects, std::vector<std::size_t>{});
  comp::write_outputs(r, no_rejects, dir);
  for (const auto& [name, t] : {std::pair{"events", &life.events}, {"cancellations", &life.cancellations},
                                {"draws", &life.draws}, {"terminations", &life.terminations},
                                {"adjustments", &life.adjustments}, {"paid", &paid}}) {
    io::write_csv(*t, dir / (std::string(name) + ".csv"));
  }
  std::ofstream(dir / "plan.json") << lifecycle_plan_json();
  io::write_csv(fx, dir / "fx_rates.csv");
  io::write_csv(in_euros, dir / "payees.csv");
  // The fingerprint of the files as the rerun printed below reads them (the tables in memory
  // have more columns, typed otherwise): the rerun's fingerprint.txt is the same.
  const auto root = dir.parent_path();
  comp::InputFiles files;
  files.transactions = (root / "transactions.csv").string();
  files.quotas = (root / "quotas.csv").string();
  files.assignments = (root / "assignments.csv").string();
  files.events = (dir / "events.csv").string();
  files.cancellations = (dir / "cancellations.csv").string();
  files.draws = (dir / "draws.csv").string();
  files.terminations = (dir / "terminations.csv").string();
  files.adjustments = (dir / "adjustments.csv").string();
  files.paid = (dir / "paid.csv").string();
  files.fx_rates = (dir / "fx_rates.csv").string();
  files.payees = (dir / "payees.csv").string();
  const auto rerun_plan = comp::load_plan((dir / "plan.json").string());
  const auto loaded = comp::load_inputs(files, rerun_plan);
  const std::string rerun_range = labels.front() + ".." + labels.back();
  const std::string fingerprint = comp::fingerprint(
      comp::fingerprint(std::span<const comp::Plan>(&rerun_plan, 1), loaded.view(), loaded.lifecycle(),
                        comp::parse_run_range(rerun_range, rerun_plan)),
      loaded.rejects);
  std::ofstream(dir / "fingerprint.txt") << fingerprint << "\n";
  const auto& pay = r.pay;
  Decimal euros;
  for (std::size_t i = 0; i < pay.num_rows(); ++i) {
    if (pay.strings("currency")[i] == "EUR" && !pay.column("net_pay_local").is_null(i)) {
      euros += pay.values<Decimal>("net_pay_local")[i];
    }
  }
  out << "\npay (the demo plan with 50% released on booking and 50% as customers pay, 180-day "
         "clawbacks, draws for new hires), " << year.to_string() << "\n"
      << "  earned " << grouped(column_total(pay, "earned"), 2) << ", released "
      << grouped(column_total(pay, "released"), 2) << ", clawed back "
      << grouped(column_total(pay, "clawbacks"), 2) << " (" << life.cancellations.num_rows()
      << " cancellations and refunds)\n  draws paid " << grouped(column_total(pay, "draw"), 2)
      << " to " << life.draws.num_rows() << (life.draws.num_rows() == 1 ? " new hire" : " new hires")
      << ", recovered "
      << grouped(column_total(pay, "draw_recovered"), 2) << "; adjustments "
      << grouped(column_total(pay, "adjustments"), 2) << "; " << labels.front() << " closed, " << late
      << (late == 1 ? " late deal adds " : " late deals add ") << grouped(column_total(pay, "prior_period"), 2) << " in the next quarter\n"
      << "  net pay " << grouped(column_total(pay, "net_pay"), 2) << " USD; still held "
      << grouped(column_total(r.held, "amount"), 2) << " (" << r.held.num_rows()
      << " unpaid invoices); " << r.rejects.num_rows() << " rejects\n"
      << "  E0005 and E0006 are paid in euros: " << grouped(euros, 2)
      << " EUR at each quarter-end's rate (pay.csv: currency, fx_rate, net_pay_local)\n"
      << "  fingerprint " << fingerprint.substr(0, 16) << "... (same inputs, same pay)\n"
      << "  rerun (same pay.csv, same fingerprint): spm comp settle --plan " << (dir / "plan.json").string();
  for (const char* f : {"transactions", "quotas", "assignments"}) {
    out << " --" << f << " " << (root / (std::string(f) + ".csv")).string();
  }
  for (const char* f : {"events", "cancellations", "draws", "terminations", "adjustments", "paid",
                        "fx_rates", "payees"}) {
    std::string flag(f);
    std::replace(flag.begin(), flag.end(), '_', '-');
    out << " --" << flag << " " << (dir / (std::string(f) + ".csv")).string();
  }
  out << " --period " << rerun_range << " --out "
      << (dir / "rerun").string() << "\n";
}

// Managers and the director earn 1% of their teams' bookings, rolled up the reporting lines.
void manager_overrides(const demo::Company& co, std::ostream& out) {
  const auto plan = comp::parse_plan(R"({"id": "demo-override", "effective": {"from": "2024-01-01", "to": "2027-01-01"},
    "rollup": {"rules": [{"id": "team", "hierarchy": true}]},
    "measures": [{"id": "bookings", "filter": {"type": "booking"}}],
    "components": [{"id": "override", "measure": "bookings", "basis": "amount", "mode": "flat",
                    "tiers": [{"from": "0", "rate": "1"}]}]})");
  std::vector<std::string> who, boss;
  std::vector<Date> from;
  const auto& payee = co.payees.values<std::string>("payee_id");
  const auto& manager = co.payees.column("manager_id");
  const auto& role = co.payees.values<std::string>("role");
  std::map<std::string, std::string> roles;
  for (std::size_t r = 0; r < co.payees.num_rows(); ++r) {
    roles[payee[r]] = role[r];
    if (manager.is_null(r) || manager.values<std::string>()[r].empty()) continue;
    who.push_back(payee[r]);
    boss.push_back(manager.values<std::string>()[r]);
    from.emplace_back(2000, 1, 1);
  }
  Table hierarchy;
  hierarchy.add(Column::of("payee_id", std::move(who)));
  hierarchy.add(Column::of("manager_id", std::move(boss)));
  hierarchy.add(Column::of("from", std::move(from)));
  const Table no_quotas = io::take(co.quotas, std::vector<std::size_t>{});
  comp::CompInputs in;
  in.transactions = &co.transactions;
  in.quotas = &no_quotas;
  in.hierarchy = &hierarchy;
  const Period year{co.as_of.add_months(-12), co.as_of};
  const auto r = comp::run(plan, in, year);
  std::map<std::string, Decimal> per;
  const auto& st = r.statements;
  for (std::size_t i = 0; i < st.num_rows(); ++i) {
    const std::string p(st.strings("payee_id")[i]);
    if (st.strings("component")[i] == "TOTAL" && roles[p] != "rep") per[p] += st.values<Decimal>("payout")[i];
  }
  out << "managers' overrides (1% of team bookings up the reporting lines):";
  const char* sep = " ";
  for (const auto& [p, v] : per) {
    out << sep << p << " (" << roles[p] << ") " << grouped(v, 2);
    sep = "; ";
  }
  out << "\n";
}

// What three plan changes would have cost over the year.
void what_if(const demo::Company& co, const std::filesystem::path& dir, std::ostream& out) {
  const auto base = comp::parse_plan(demo::demo_plan_json());
  auto with_rate = [&](std::size_t tier, const char* rate) {
    comp::Plan p = base;
    p.components.front().tiers.at(tier).rate = Decimal::parse(rate);
    return p;
  };
  const std::vector<comp::Variant> variants{
      {"accelerator-14", with_rate(1, "14"), Decimal(1)},
      {"top-tier-18", with_rate(2, "18"), Decimal(1)},
      {"quotas+10%", base, Decimal::parse("1.1")}};
  comp::CompInputs in;
  in.transactions = &co.transactions;
  in.quotas = &co.quotas;
  in.assignments = &co.assignments;
  const Period year{co.as_of.add_months(-12), co.as_of};
  const auto r = comp::what_if(base, variants, in, year);
  std::filesystem::create_directories(dir);
  io::write_csv(r.summary, dir / "whatif.csv");
  io::write_csv(r.payees, dir / "whatif_payees.csv");
  out << "what-if over the same year (cost, cost of sales, median rep, reps at quota; each "
         "payee's quarter evaluated on its totals, so lines are rounded per quarter, not per "
         "deal: the baseline may differ from the run above by cents):\n";
  const auto& s = r.summary;
  for (std::size_t i = 0; i < s.num_rows(); ++i) {
    out << "  " << s.column("variant").text(i) << ": " << grouped(s.values<Decimal>("payout")[i], 2)
        << " (" << (s.values<Decimal>("delta")[i].sign() >= 0 ? "+" : "")
        << grouped(s.values<Decimal>("delta")[i], 2) << "), " << s.column("cost_of_sales_percent").text(i)
        << "% of bookings, median " << grouped(s.values<Decimal>("payout_p50")[i], 2) << ", "
        << s.column("above_quota_percent").text(i) << "% at quota\n";
  }
}

}  // namespace

void run_lifecycle_stage(const demo::Company& company, const std::string& out_dir, std::ostream& out) {
  const std::filesystem::path dir = std::filesystem::path(out_dir) / "lifecycle";
  settle_year(company, dir, out);
  manager_overrides(company, out);
  what_if(company, std::filesystem::path(out_dir) / "whatif", out);
}

}  // namespace spm::cli

// The demo company as quota-setting inputs.
#include <spm/demo/quota_inputs.hpp>

#include <map>
#include <string>
#include <vector>

namespace spm::demo {

using io::Column;

namespace {

// Text column from a string table column, as std::string values.
std::string at(const io::Table& t, const char* column, std::size_t row) {
  return std::string(t.strings(column)[row]);
}

Column nullable_decimals(const char* name, const std::vector<Decimal>& v,
                         const std::vector<std::uint8_t>& valid) {
  auto c = Column::of(name, v);
  c.set_validity(valid);
  return c;
}

Column nullable_dates(const char* name, const std::vector<Date>& v,
                      const std::vector<std::uint8_t>& valid) {
  auto c = Column::of(name, v);
  c.set_validity(valid);
  return c;
}

}  // namespace

QuotaInputs quota_inputs(const Company& co, const Decimal& growth) {
  QuotaInputs in;
  in.plan_year = {co.as_of, co.as_of.add_months(12)};
  in.base_year = {co.as_of.add_months(-12), co.as_of};
  const FiscalCalendar calendar;
  const auto& p = co.payees;
  const auto& term = p.column("termination_date");
  const auto& hire = p.values<Date>("hire_date");

  // Org: director (root), regions, managers.
  std::vector<std::string> node, parent;
  std::vector<std::uint8_t> parent_valid;
  std::string director;
  std::map<std::string, bool> regions;
  for (std::size_t r = 0; r < p.num_rows(); ++r) {
    const auto role = at(p, "role", r);
    if (role == "director") director = at(p, "payee_id", r);
    if (role == "manager") regions[at(p, "region_id", r)] = true;
  }
  node.push_back(director);
  parent.emplace_back();
  parent_valid.push_back(0);
  for (const auto& [region, unused] : regions) {
    node.push_back(region);
    parent.push_back(director);
    parent_valid.push_back(1);
  }
  for (std::size_t r = 0; r < p.num_rows(); ++r) {
    if (at(p, "role", r) != "manager") continue;
    node.push_back(at(p, "payee_id", r));
    parent.push_back(at(p, "region_id", r));
    parent_valid.push_back(1);
  }
  in.org.add(Column::of("node_id", node));
  auto pc = Column::of("parent_id", parent);
  pc.set_validity(parent_valid);
  in.org.add(std::move(pc));

  // Territory size by owner.
  std::map<std::string, std::pair<std::int64_t, Decimal>> size;
  const auto& owner = co.accounts.strings("owner_id");
  const auto& potential = co.accounts.values<Decimal>("potential");
  for (std::size_t r = 0; r < co.accounts.num_rows(); ++r) {
    auto& s = size[std::string(owner[r])];
    ++s.first;
    s.second += potential[r];
  }
  // Base-year quotas and bookings by rep (quarterly bookings for the history table).
  std::map<std::string, Decimal> last_quota, sales;
  std::map<std::string, bool> full_year_quota;
  std::map<std::pair<std::string, std::int32_t>, Decimal> quarterly;
  const auto& q = co.quotas;
  for (std::size_t r = 0; r < q.num_rows(); ++r) {
    if (!in.base_year.contains(q.values<Date>("period_start")[r])) continue;
    last_quota[at(q, "payee_id", r)] += q.values<Decimal>("quota")[r];
  }
  const auto& t = co.transactions;
  for (std::size_t r = 0; r < t.num_rows(); ++r) {
    const Date d = t.values<Date>("date")[r];
    if (!in.base_year.contains(d)) continue;
    const auto rep = at(t, "payee_id", r);
    const Decimal amount = t.values<Decimal>("amount")[r];
    sales[rep] += amount;
    in.base_bookings += amount;
    quarterly[{rep, calendar.period_containing(d, PeriodKind::quarter).begin.days_since_epoch()}] +=
        amount;
  }

  std::vector<std::string> rep_id, rep_parent;
  std::vector<Decimal> accounts, pot, last;
  std::vector<std::uint8_t> last_valid;
  std::vector<std::string> e_rep;
  std::vector<Date> e_start, e_end, e_hire;
  std::vector<std::uint8_t> e_end_valid;
  std::vector<std::string> b_rep;
  std::vector<Decimal> b_quota, b_sales, b_accounts, b_potential;
  for (std::size_t r = 0; r < p.num_rows(); ++r) {
    if (at(p, "role", r) != "rep") continue;
    const auto id = at(p, "payee_id", r);
    const bool left = !term.is_null(r) && term.values<Date>()[r] <= co.as_of;
    const auto& s = size[id];
    if (!left) {
      rep_id.push_back(id);
      rep_parent.push_back(at(p, "manager_id", r));
      accounts.emplace_back(s.first);
      pot.push_back(s.second);
      const auto lq = last_quota.find(id);
      last.push_back(lq == last_quota.end() ? Decimal() : lq->second);
      last_valid.push_back(lq == last_quota.end() ? 0 : 1);
      e_rep.push_back(id);
      e_start.push_back(hire[r]);
      e_hire.push_back(hire[r]);
      e_end.emplace_back();
      e_end_valid.push_back(0);
    }
    // The back-test keeps reps who carried a quota for the whole base year.
    const bool full_year = hire[r] <= in.base_year.begin &&
                           (term.is_null(r) || term.values<Date>()[r] >= in.base_year.end);
    if (full_year && last_quota.count(id)) {
      b_rep.push_back(id);
      b_quota.push_back(last_quota[id]);
      b_sales.push_back(sales[id]);
      b_accounts.emplace_back(s.first);
      b_potential.push_back(s.second);
    }
  }
  in.reps.add(Column::of("rep_id", rep_id)).add(Column::of("parent_id", rep_parent));
  in.reps.add(Column::of("accounts", accounts)).add(Column::of("potential", pot));
  in.reps.add(nullable_decimals("last_quota", last, last_valid));

  std::vector<std::string> h_rep;
  std::vector<Date> h_start;
  std::vector<Decimal> h_sales;
  for (const auto& [key, amount] : quarterly) {
    h_rep.push_back(key.first);
    h_start.push_back(Date::from_days(key.second));
    h_sales.push_back(amount);
  }
  in.history.add(Column::of("rep_id", h_rep)).add(Column::of("period_start", h_start));
  in.history.add(Column::of("sales", h_sales));

  in.employment.add(Column::of("rep_id", e_rep)).add(Column::of("start", e_start));
  in.employment.add(nullable_dates("end", e_end, e_end_valid)).add(Column::of("hire_date", e_hire));

  in.backtest_quotas.add(Column::of("rep_id", b_rep)).add(Column::of("quota", b_quota));
  in.backtest_actuals.add(Column::of("rep_id", b_rep)).add(Column::of("sales", b_sales));
  in.backtest_sizes.add(Column::of("rep_id", b_rep)).add(Column::of("accounts", b_accounts));
  in.backtest_sizes.add(Column::of("potential", b_potential));

  const Decimal target = Decimal::mul(
      Decimal::div(Decimal::mul(in.base_bookings, Decimal(1) + growth), Decimal(1000), 0), 1000);
  in.targets.add(Column::of("node_id", std::vector<std::string>{director}));
  in.targets.add(Column::of("target", std::vector<Decimal>{target}));
  return in;
}

}  // namespace spm::demo

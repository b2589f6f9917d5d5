#include "fx.hpp"

#include <algorithm>
#include <set>

#include <spm/core/currency.hpp>

namespace spm::comp::detail {

using io::Column;
using io::ColumnType;


FxRates::FxRates(const io::Table& t, Rejects& rejects) {
  const auto& ccy = need(t, "fx_rates", "currency", ColumnType::string);
  const auto& date = need(t, "fx_rates", "date", ColumnType::date);
  const auto& rate = need(t, "fx_rates", "rate", ColumnType::decimal);
  const auto* unread = rejected_rows(t, "fx_rates");
  struct Row { std::string ccy; Date d; Decimal rate; std::int64_t row; bool bad; };
  std::vector<Row> rows;
  for (std::size_t r = 0; r < t.num_rows(); ++r) {
    const std::string c(ccy.strings()[r]);  // settle passes the table as given: maybe a dictionary
    const std::int64_t row = io::row_number(t, r);
    const bool read = unread != nullptr && (*unread)[r] != 0;
    if (read || c.empty() || date.is_null(r) || rate.is_null(r) || rate.values<Decimal>()[r].sign() <= 0) {
      if (!read) {
        rejects.add("fx_rates", row, c, "", "",
                    "a rate needs currency, date and a rate above 0 (plan currency per unit)");
      }
      if (c.empty()) continue;
      // No date: no rate of the currency can be trusted.
      if (date.is_null(r)) undated_.try_emplace(c, row);
      else rows.push_back({c, date.values<Date>()[r], Decimal(0), row, true});
      continue;
    }
    rows.push_back({c, date.values<Date>()[r], rate.values<Decimal>()[r], row, false});
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    // A date's rejected rows first: the entry for that date is then the rejected one.
    return std::tie(a.ccy, a.d, b.bad, a.rate, a.row) < std::tie(b.ccy, b.d, a.bad, b.rate, b.row);
  });
  // Two different rates for one currency and date: neither is used, whatever the row order.
  std::set<std::pair<std::string, Date>> conflicts;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    if (rows[i].ccy == rows[i - 1].ccy && rows[i].d == rows[i - 1].d && !rows[i].bad &&
        !rows[i - 1].bad && rows[i].rate != rows[i - 1].rate) {
      conflicts.emplace(rows[i].ccy, rows[i].d);
    }
  }
  for (const auto& r : rows) {
    const bool conflict = !r.bad && conflicts.count({r.ccy, r.d}) != 0;
    if (conflict) {
      rejects.add("fx_rates", r.row, r.ccy, "", "",
                  "two different rates for " + r.ccy + " on " + r.d.to_string() + "; give one");
    }
    auto& v = rates_[r.ccy];
    // A rejected row of a date outranks a rate given for it too (which one was meant is unknown).
    if (!v.empty() && v.back().from == r.d) continue;
    v.push_back({r.d, r.rate, r.bad || conflict ? r.row : 0});
  }
}

const FxRates::Entry* FxRates::in_force(const std::string& currency, Date d) const {
  const auto it = rates_.find(currency);
  if (it == rates_.end()) return nullptr;
  const auto& v = it->second;
  const auto after = std::upper_bound(v.begin(), v.end(), d,
                                      [](Date x, const Entry& e) { return x < e.from; });
  return after == v.begin() ? nullptr : &*std::prev(after);
}

std::optional<Decimal> FxRates::rate(const std::string& currency, Date d) const {
  if (undated_.count(currency) != 0) return std::nullopt;
  const Entry* e = in_force(currency, d);
  if (e == nullptr || e->rejected_row > 0) return std::nullopt;
  return e->rate;
}

std::string FxRates::missing(const std::string& currency, Date d) const {
  if (const auto u = undated_.find(currency); u != undated_.end()) {
    return "fx_rates row " + std::to_string(u->second) + " (" + currency +
           ") was rejected and has no readable date, so no " + currency +
           " rate is used; fix that row";
  }
  if (!rates_.count(currency) && !is_iso_currency(currency)) {
    return "currency '" + currency + "' is not an ISO 4217 code and has no rate in the fx_rates "
           "table; check its spelling (e.g. EUR)";
  }
  const Entry* e = in_force(currency, d);
  if (e == nullptr || e->rejected_row == 0) {
    return "no " + currency + " rate on or before " + d.to_string() + " in the fx_rates table; add one";
  }
  return "the " + currency + " rate in force on " + d.to_string() + " is fx_rates row " +
         std::to_string(e->rejected_row) + " (from " + e->from.to_string() +
         "), which was rejected; fix that row";
}

std::vector<std::string> decimal_columns(const Plan& plan) {
  std::vector<std::string> out{"amount"};
  for (const auto& m : plan.measures) {
    if (!m.count && !m.sum_column.empty()) out.push_back(m.sum_column);
  }
  return out;
}

std::vector<std::string> text_columns(const Plan& plan) {
  std::vector<std::string> out{"transaction_id", "currency"};
  if (!plan.credit_by.empty()) out.push_back(plan.credit_by);
  for (const auto& r : plan.rollup.rules) {
    if (!r.relationship.empty()) out.push_back(r.by);
  }
  return out;
}

std::optional<Converted> convert(const Plan& plan, const CompInputs& in, Rejects& rejects) {
  if (in.fx_rates == nullptr) return std::nullopt;
  const FxRates rates(*in.fx_rates, rejects);
  const io::Table& tx = *in.transactions;
  const Column* ccy = maybe(tx, "transactions", "currency", ColumnType::string);
  Converted out{std::nullopt, std::vector<Decimal>(tx.num_rows()), std::vector<std::uint8_t>(tx.num_rows(), 0)};
  if (ccy == nullptr) return out;
  const std::string plan_ccy(plan.currency.code());
  const Column& date_col = need(tx, "transactions", "date", ColumnType::date);
  const auto& dates = date_col.values<Date>();
  const auto& ids = need(tx, "transactions", "transaction_id", ColumnType::string);
  // The rates first; the table is copied only when some row is converted.
  bool any = false;
  for (std::size_t r = 0; r < tx.num_rows(); ++r) {
    if (ccy->is_null(r)) continue;
    const std::string& c = ccy->values<std::string>()[r];
    // No date: the run rejects the row as such (not as a missing 1970 rate).
    if (c == plan_ccy || dates.size() <= r || date_col.is_null(r)) continue;
    const Date on = plan.conversion_at_period_start
                        ? plan.calendar.period_containing(dates[r], plan.pay_period).begin
                        : dates[r];
    const auto rate = rates.rate(c, on);
    if (!rate) {
      out.rejected[r] = 1;
      rejects.add("transactions", io::row_number(tx, r), ids.is_null(r) ? "" : ids.values<std::string>()[r], "", "",
                  rates.missing(c, on));
      continue;
    }
    out.rate[r] = *rate;
    any = true;
  }
  if (!any) return out;
  io::Table& t = out.table.emplace(tx);
  std::vector<Column*> money;
  for (const auto& name : plan.conversion_columns) {
    const auto i = find_column(t, name);
    if (!i) continue;  // a plan column that this table lacks is reported by the run
    if (t.columns()[*i].type() == ColumnType::decimal) money.push_back(&t.columns()[*i]);
  }
  // Found above (maybe() in convert's caller): rates apply only with a currency column.
  auto& ccy_out = t.columns()[find_column(t, "currency").value()];
  const int places = plan.currency.minor_units();
  for (std::size_t r = 0; r < tx.num_rows(); ++r) {
    if (out.rate[r].is_zero()) continue;
    for (Column* col : money) {
      if (col->is_null(r)) continue;
      auto& v = col->values<Decimal>()[r];
      v = Decimal::mul(v, out.rate[r], places, Rounding::half_even);
    }
    ccy_out.values<std::string>()[r] = plan_ccy;
  }
  return out;
}

}  // namespace spm::comp::detail

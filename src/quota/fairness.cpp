// Fairness diagnostics: attainment spread, correlation with territory size, and the chance each
// rep had of attaining.
#include <spm/quota/fairness.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <optional>
#include <set>
#include <string>

#include <spm/core/error.hpp>
#include <spm/io/csv.hpp>

#include "table_access.hpp"

namespace spm::quota {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// ---- joining -----------------------------------------------------------------------------------

// A table's rows keyed by rep_id: the usable ones, and every id present (usable or not).
struct Keyed {
  std::map<std::string, std::size_t, std::less<>> rows;
  std::set<std::string, std::less<>> present;
};

// A check on one row's values: empty when usable, else the reason to reject it.
using RowCheck = std::string (*)(std::size_t, const std::vector<const io::Column*>&);

// Indexes `t` by rep_id. Rows without an id, rows of a rep listed more than once (all of them:
// which one is right is unknown) and rows failing `check` on `values` go to rejects.
Keyed index_by_rep(const io::Table& t, std::string_view source,
                   const std::vector<const io::Column*>& values, RowCheck check,
                   detail::Rejects& rejects) {
  const auto& id_col = detail::require_column(t, source, "rep_id", io::ColumnType::string);
  const auto ids = id_col.strings();
  std::map<std::string_view, std::size_t, std::less<>> count;
  for (std::size_t i = 0; i < t.num_rows(); ++i) ++count[ids[i]];
  Keyed k;
  for (std::size_t i = 0; i < t.num_rows(); ++i) {
    const std::string_view id = ids[i];
    const auto row = detail::row_number(t, i);
    if (id_col.is_null(i) || id.empty()) {
      rejects.add(source, row, id, "rep_id is missing; give the rep's id");
      continue;
    }
    k.present.emplace(id);
    if (const auto n = count[id]; n > 1) {
      rejects.add(source, row, id,
                  "rep_id " + std::string(id) + " appears " + std::to_string(n) + " times in " +
                      std::string(source) + "; give one row per rep");
      continue;
    }
    const auto null = std::find_if(values.begin(), values.end(),
                                   [&](const io::Column* c) { return c->is_null(i); });
    if (null != values.end()) {
      rejects.add(source, row, id, (*null)->name() + " is missing; give a value");
      continue;
    }
    if (auto reason = check ? check(i, values) : std::string(); !reason.empty()) {
      rejects.add(source, row, id, std::move(reason));
      continue;
    }
    k.rows.emplace(id, i);
  }
  return k;
}

std::string check_quota(std::size_t row, const std::vector<const io::Column*>& values) {
  const Decimal q = detail::decimal_at(*values[0], row);
  if (q.sign() > 0) return {};
  return "quota " + q.to_string() + " is not above zero; attainment needs a positive quota";
}

std::string check_forecast(std::size_t row, const std::vector<const io::Column*>& values) {
  const Decimal v = detail::decimal_at(*values[1], row);
  if (v.sign() >= 0) return {};
  return "volatility " + v.to_string() + " is negative; give a standard deviation of 0 or more";
}

// Rejects the usable rows of `a` whose rep has no usable row in `b`.
void reject_unmatched(const io::Table& t, std::string_view source, const Keyed& a, const Keyed& b,
                      std::string_view other, std::string_view fix, detail::Rejects& rejects) {
  for (const auto& [id, i] : a.rows) {
    if (b.rows.count(id)) continue;
    const std::string reason =
        b.present.count(id) ? "the rep's " + std::string(other) + " row was rejected"
                            : "rep " + id + " has no " + std::string(other) + " row; " +
                                  std::string(fix);
    rejects.add(source, detail::row_number(t, i), id, reason);
  }
}

// Rejects rows of an optional table whose rep is not among the joined reps.
void reject_strangers(const io::Table& t, std::string_view source, const Keyed& k,
                      const std::map<std::string, std::size_t, std::less<>>& joined,
                      detail::Rejects& rejects) {
  for (const auto& [id, i] : k.rows) {
    if (joined.count(id)) continue;
    rejects.add(source, detail::row_number(t, i), id,
                "rep " + id + " is not among the reps with a usable quota and actuals row");
  }
}

// ---- statistics --------------------------------------------------------------------------------

// numpy's default "linear" percentile of sorted values.
double percentile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return nan;
  const double h = static_cast<double>(sorted.size() - 1) * q;
  const auto i = static_cast<std::size_t>(std::floor(h));
  if (i + 1 >= sorted.size()) return sorted.back();
  return sorted[i] + (h - static_cast<double>(i)) * (sorted[i + 1] - sorted[i]);
}

double mean_of(const std::vector<double>& x) {
  if (x.empty()) return nan;
  return std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
}

// NaN when undefined (fewer than two points or a constant series).
double pearson(const std::vector<double>& x, const std::vector<double>& y) {
  if (x.size() < 2) return nan;
  // A constant column has no correlation; its mean, rounded, would leave tiny deviations.
  auto constant = [](const std::vector<double>& v) {
    return std::all_of(v.begin(), v.end(), [&](double a) { return a == v.front(); });
  };
  if (constant(x) || constant(y)) return nan;
  const double mx = mean_of(x), my = mean_of(y);
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  if (sxx == 0 || syy == 0) return nan;
  return sxy / std::sqrt(sxx * syy);
}

// 1-based ranks, ties sharing the average of the ranks they span.
std::vector<double> average_ranks(const std::vector<double>& x) {
  std::vector<std::size_t> order(x.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return x[a] < x[b]; });
  std::vector<double> rank(x.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && x[order[j + 1]] == x[order[i]]) ++j;
    const double r = static_cast<double>(i + j) / 2 + 1;
    for (std::size_t k = i; k <= j; ++k) rank[order[k]] = r;
    i = j + 1;
  }
  return rank;
}

double spearman(const std::vector<double>& x, const std::vector<double>& y) {
  return pearson(average_ranks(x), average_ranks(y));
}

// P(sales >= quota) when sales ~ Normal(expected, volatility).
double probability_of_attaining(const Decimal& quota, const Decimal& expected,
                                const Decimal& volatility) {
  if (volatility.is_zero()) return expected >= quota ? 1.0 : 0.0;
  const double z = (quota - expected).to_double() / volatility.to_double();
  return 0.5 * std::erfc(z / std::sqrt(2.0));
}

double numeric_at(const io::Column& c, std::size_t row) {
  if (c.type() == io::ColumnType::float64) return c.values<double>()[row];
  return detail::decimal_at(c, row).to_double();
}

bool is_numeric(const io::Column& c) {
  return c.type() == io::ColumnType::decimal || c.type() == io::ColumnType::integer ||
         c.type() == io::ColumnType::float64;
}

// ---- the report --------------------------------------------------------------------------------

struct Joined {
  std::map<std::string, std::size_t, std::less<>> reps;  // rep_id -> index into the vectors
  std::vector<std::string> ids;
  std::vector<Decimal> quota, sales;
  std::vector<double> attainment;
};

Joined join(const io::Table& quotas, const io::Table& actuals, detail::Rejects& rejects) {
  const auto& q = detail::require_column(quotas, "quotas", "quota", io::ColumnType::decimal);
  const auto& s = detail::require_column(actuals, "actuals", "sales", io::ColumnType::decimal);
  const Keyed kq = index_by_rep(quotas, "quotas", {&q}, check_quota, rejects);
  const Keyed ks = index_by_rep(actuals, "actuals", {&s}, nullptr, rejects);
  reject_unmatched(quotas, "quotas", kq, ks, "actuals", "add its sales (0 if none)", rejects);
  reject_unmatched(actuals, "actuals", ks, kq, "quotas", "add its quota", rejects);
  Joined j;
  for (const auto& [id, qi] : kq.rows) {  // std::map: ordered by rep_id
    const auto si = ks.rows.find(id);
    if (si == ks.rows.end()) continue;
    j.reps.emplace(id, j.ids.size());
    j.ids.push_back(id);
    j.quota.push_back(detail::decimal_at(q, qi));
    j.sales.push_back(detail::decimal_at(s, si->second));
    j.attainment.push_back((j.sales.back() / j.quota.back()).to_double());
  }
  return j;
}

void summarize(const Joined& j, FairnessReport& r) {
  r.reps = j.ids.size();
  auto sorted = j.attainment;
  std::sort(sorted.begin(), sorted.end());
  r.p10 = percentile(sorted, 0.10);
  r.p25 = percentile(sorted, 0.25);
  r.p50 = percentile(sorted, 0.50);
  r.p75 = percentile(sorted, 0.75);
  r.p90 = percentile(sorted, 0.90);
  r.mean = mean_of(j.attainment);
  std::size_t attaining = 0;
  for (std::size_t i = 0; i < r.reps; ++i) attaining += j.sales[i] >= j.quota[i] ? 1 : 0;
  r.share_attaining =
      r.reps == 0 ? nan : static_cast<double>(attaining) / static_cast<double>(r.reps);
}

// Each size column on its own: a column that is not numbers is left out, and a cell that is
// not a number leaves its rep out of that column only (one bad cell used to drop the rep from
// every column, and one text column every rep).
void correlate(const io::Table& sizes, const Joined& j, detail::Rejects& rejects,
               FairnessReport& r) {
  const Keyed k = index_by_rep(sizes, "sizes", {}, nullptr, rejects);
  reject_strangers(sizes, "sizes", k, j.reps, rejects);
  for (const auto& column : sizes.columns()) {
    const std::string& name = column.name();
    if (name == "rep_id" || name == "_line") continue;
    const io::Column* c = &column;
    std::optional<io::Column> converted;
    if (column.type() == io::ColumnType::string) {
      const io::NumberCount n = io::count_numbers(column);
      if (!io::mostly_numbers(column)) {
        r.notes.push_back(
            "sizes column '" + name + "' is not numeric" +
            (n.filled == 0 ? std::string(" (it is empty)")
                           : " (row " + std::to_string(io::row_number(sizes, n.first_other)) +
                                 " holds '" + std::string(column.strings()[n.first_other]) + "')") +
            "; it is left out of the correlations");
        continue;
      }
      std::vector<io::Reject> bad;
      converted = io::convert_strings(column, io::ColumnType::float64, bad);
      if (!bad.empty()) {
        const auto row = static_cast<std::size_t>(bad.front().line - 1);
        r.notes.push_back("sizes column '" + name + "': " + std::to_string(bad.size()) +
                          " values are not numbers (row " +
                          std::to_string(io::row_number(sizes, row)) + " holds '" +
                          bad.front().value + "'); those reps are left out of its correlation only");
      }
      c = &*converted;
    } else if (!is_numeric(column)) {
      r.notes.push_back("sizes column '" + name + "' holds " +
                        std::string(io::to_string(column.type())) +
                        " values, not numbers; it is left out of the correlations");
      continue;
    }
    std::vector<double> x, y;
    for (const auto& [id, row] : k.rows) {
      const auto rep = j.reps.find(id);
      if (rep == j.reps.end() || c->is_null(row)) continue;
      x.push_back(j.attainment[rep->second]);
      y.push_back(numeric_at(*c, row));
    }
    r.correlations.push_back({name, pearson(x, y), spearman(x, y)});
  }
}

io::Column probabilities(const io::Table& forecast, const Joined& j, detail::Rejects& rejects) {
  const auto& e =
      detail::require_column(forecast, "forecast", "expected_sales", io::ColumnType::decimal);
  const auto& v =
      detail::require_column(forecast, "forecast", "volatility", io::ColumnType::decimal);
  const Keyed k = index_by_rep(forecast, "forecast", {&e, &v}, check_forecast, rejects);
  reject_strangers(forecast, "forecast", k, j.reps, rejects);
  io::Column out("probability_of_attaining", io::ColumnType::float64);
  for (std::size_t i = 0; i < j.ids.size(); ++i) {
    const auto row = k.rows.find(j.ids[i]);
    if (row == k.rows.end()) {
      out.push_null();
      continue;
    }
    out.push(probability_of_attaining(j.quota[i], detail::decimal_at(e, row->second),
                                      detail::decimal_at(v, row->second)));
  }
  return out;
}

io::Table reps_table(const Joined& j) {
  std::vector<Decimal> percent;
  for (std::size_t i = 0; i < j.ids.size(); ++i) {
    percent.push_back(Decimal::div(j.sales[i] * Decimal(100), j.quota[i], 2, Rounding::half_even));
  }
  io::Table t;
  t.add(io::Column::of("rep_id", j.ids));
  t.add(io::Column::of("quota", j.quota));
  t.add(io::Column::of("sales", j.sales));
  auto p = io::Column::of("attainment_percent", std::move(percent));
  p.set_min_places(2);
  t.add(std::move(p));
  return t;
}

const io::Table& required(const io::Table* t, const char* name, const char* columns) {
  if (t == nullptr) {
    throw InvalidInputError("quota.fairness", name,
                            std::string("the ") + name + " table is required (" + columns + ")");
  }
  return *t;
}

}  // namespace

FairnessReport fairness(const FairnessInputs& inputs) {
  const auto& quotas = required(inputs.quotas, "quotas", "rep_id, quota");
  const auto& actuals = required(inputs.actuals, "actuals", "rep_id, sales");
  detail::Rejects rejects;
  const Joined j = join(quotas, actuals, rejects);
  FairnessReport r;
  summarize(j, r);
  if (inputs.sizes != nullptr) correlate(*inputs.sizes, j, rejects, r);
  r.reps_table = reps_table(j);
  if (inputs.forecast != nullptr) r.reps_table.add(probabilities(*inputs.forecast, j, rejects));
  r.rejects = rejects.table();
  return r;
}

}  // namespace spm::quota

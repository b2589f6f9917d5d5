// Top-down quota allocation: reads the hierarchy and rep data, then shares every node's amount
// among its children by the method, under constraints, rounded so that totals are conserved.
#include <spm/quota/allocation.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <unordered_map>

#include <spm/core/allocate.hpp>
#include <spm/core/error.hpp>

#include "allocation_detail.hpp"
#include "table_access.hpp"

namespace spm::quota {

using detail::Node;
using detail::text;
using io::ColumnType;

namespace {

constexpr Decimal hundred = Decimal(100);

[[noreturn]] void bad_option(const std::string& path, const std::string& message) {
  throw InvalidInputError("quota.options", path, message);
}

bool uses_factors(Method m) {
  return m == Method::potential || m == Method::blend || m == Method::regression;
}

bool needs_history(const AllocationOptions& o, bool has_expected_column) {
  switch (o.method) {
    case Method::potential:
    case Method::regression:
      return false;
    case Method::growth_percent:
    case Method::growth_absolute:
      return o.growth_base == GrowthBase::sales;
    case Method::equal_probability:
      return !has_expected_column;
    default:
      return true;
  }
}

void check_fraction(const Decimal& v, const std::string& path, const std::string& what) {
  if (v.sign() < 0 || v > Decimal(1)) {
    bad_option(path, what + " is " + text(v) + "; it must be between 0 and 1");
  }
}

void check_options(const AllocationOptions& o) {
  if (o.increment.sign() <= 0) {
    bad_option("increment", "the increment is " + text(o.increment) +
                                "; it must be positive (e.g. 0.01 for cents, 1000 for thousands)");
  }
  check_fraction(o.history_weight, "history_weight", "the history weight");
  check_fraction(o.ratchet_up, "ratchet_up", "the ratchet up weight");
  check_fraction(o.ratchet_down, "ratchet_down", "the ratchet down weight");
  if (uses_factors(o.method)) {
    if (o.factors.empty()) {
      bad_option("factors", "the " + std::string(to_string(o.method)) +
                                " method needs potential factors: give at least one column "
                                "and weight (e.g. accounts=0.5, potential=0.5)");
    }
    Decimal sum;
    for (std::size_t k = 0; k < o.factors.size(); ++k) {
      const auto path = "factors[" + std::to_string(k) + "]";
      if (o.factors[k].weight.sign() < 0) {
        bad_option(path, "factor '" + o.factors[k].column + "' has a negative weight");
      }
      for (std::size_t j = 0; j < k; ++j) {
        if (o.factors[j].column == o.factors[k].column) {
          bad_option(path, "factor '" + o.factors[k].column + "' is listed twice");
        }
      }
      sum += o.factors[k].weight;
    }
    if (sum != Decimal(1)) {
      bad_option("factors", "the factor weights sum to " + text(sum) +
                                "; they must sum to exactly 1 (e.g. 0.6 and 0.4)");
    }
  }
  for (std::size_t d = 0; d < o.cushions.size(); ++d) {
    if (o.cushions[d] <= Decimal(-1)) {
      bad_option("cushions[" + std::to_string(d) + "]",
                 "a cushion of " + text(o.cushions[d]) + " leaves nothing to share; use a "
                 "fraction such as 0.1 for 10% over-assignment");
    }
  }
  if (o.max_increase && o.max_increase->sign() < 0) {
    bad_option("max_increase", "max_increase must be 0 or more (0.3 = at most +30%)");
  }
  if (o.max_decrease) check_fraction(*o.max_decrease, "max_decrease", "max_decrease");
  if (o.min_quota && o.min_quota->sign() < 0) bad_option("min_quota", "min_quota must be 0 or more");
}

Decimal round_to(const Decimal& v, const Decimal& inc, Rounding mode) {
  return Decimal::mul(Decimal::div(v, inc, 0, mode), inc);
}

bool is_multiple(const Decimal& v, const Decimal& inc) { return round_to(v, inc, Rounding::down) == v; }

// Everything read from one rep row before the hierarchy is finished.
struct RepRow {
  std::size_t row = 0;
  std::string id;
  std::string parent;
  std::optional<Decimal> last_quota, reference, locked, min_quota, max_inc, max_dec, expected,
      volatility;
  std::vector<Decimal> factors;
};

// Per rep history in the base window: the total and the sales of each period.
struct RepHistory {
  Decimal total;
  std::map<std::int32_t, Decimal> by_period;
};

class Allocator {
 public:
  Allocator(const AllocationInputs& in, const AllocationOptions& o) : in_(in), opt_(o) {}

  AllocationResult run() {
    check_options(opt_);
    if (in_.targets == nullptr || in_.reps == nullptr) {
      throw InvalidInputError("quota.column", in_.targets == nullptr ? "targets" : "reps",
                              "give the targets and reps tables");
    }
    read_org();
    auto reps = read_reps();
    const auto history = read_history(reps);
    add_reps(reps, history);
    link_and_check();
    read_targets();
    if (opt_.method == Method::regression) regression_note_ = detail::fit_regression(nodes_, opt_);
    aggregate();
    for (int r : roots_) share_down(r);
    return finish();
  }

 private:
  // ---- reading ------------------------------------------------------------------------------

  void read_org() {
    if (in_.org == nullptr) return;
    const auto& t = *in_.org;
    const auto ids = detail::require_column(t, "org", "node_id", ColumnType::string).strings();
    const auto& pc = detail::require_column(t, "org", "parent_id", ColumnType::string);
    const auto parents = pc.strings();
    for (std::size_t r = 0; r < t.num_rows(); ++r) {
      const std::string id(ids[r]);
      if (id.empty()) hierarchy_error("org.node_id", "row " + row_text(t, r) + " has no node_id");
      if (!index_.emplace(id, static_cast<int>(nodes_.size())).second) {
        hierarchy_error("org.node_id", "node '" + id + "' is listed twice (row " + row_text(t, r) +
                                           "); keep one row per node");
      }
      Node n;
      n.id = id;
      nodes_.push_back(std::move(n));
      org_parent_.emplace_back(pc.is_null(r) ? std::string() : std::string(parents[r]));
      org_row_.push_back(r);
    }
  }

  std::optional<Decimal> optional_decimal(const io::Column* c, std::size_t r) const {
    if (c == nullptr || c->is_null(r)) return std::nullopt;
    return detail::decimal_at(*c, r);
  }

  std::vector<RepRow> read_reps() {
    const auto& t = *in_.reps;
    const auto ids = detail::require_column(t, "reps", "rep_id", ColumnType::string).strings();
    const auto& parent_col = detail::require_column(t, "reps", "parent_id", ColumnType::string);
    const auto parents = parent_col.strings();
    auto opt_col = [&](const char* name) {
      return detail::optional_column(t, "reps", name, ColumnType::decimal);
    };
    const auto* last = opt_col("last_quota");
    const auto* reference = opt_col("reference");
    const auto* locked = opt_col("locked_quota");
    const auto* min_q = opt_col("min_quota");
    const auto* max_inc = opt_col("max_increase");
    const auto* max_dec = opt_col("max_decrease");
    const auto* expected = opt_col("expected_sales");
    const auto* volatility = opt_col("volatility");
    has_expected_ = expected != nullptr;
    std::vector<const io::Column*> factor_cols;
    if (uses_factors(opt_.method)) {
      for (const auto& f : opt_.factors) {
        factor_cols.push_back(&detail::require_column(t, "reps", f.column, ColumnType::decimal));
      }
    }
    if (opt_.method == Method::growth_percent || opt_.method == Method::growth_absolute) {
      if (opt_.growth_base == GrowthBase::last_quota && last == nullptr) {
        detail::require_column(t, "reps", "last_quota", ColumnType::decimal);
      }
    }
    if (opt_.method == Method::ratchet && last == nullptr) {
      detail::require_column(t, "reps", "last_quota", ColumnType::decimal);
    }
    std::vector<RepRow> out;
    std::unordered_map<std::string, std::size_t> seen;
    for (std::size_t r = 0; r < t.num_rows(); ++r) {
      RepRow x;
      x.row = r;
      x.id = std::string(ids[r]);
      const auto reject = [&](const std::string& why) {
        rejects_.add("reps", detail::row_number(t, r), x.id, why);
      };
      if (x.id.empty()) {
        reject("rep_id is empty; give every rep an id");
        continue;
      }
      if (auto [it, fresh] = seen.emplace(x.id, r); !fresh) {
        reject("rep_id '" + x.id + "' is listed twice (first at row " +
               std::to_string(detail::row_number(t, it->second)) + "); keep one row per rep");
        continue;
      }
      if (index_.count(x.id)) {
        reject("rep_id '" + x.id + "' is also an org node; rep and node ids must differ");
        continue;
      }
      x.parent = parent_col.is_null(r) ? std::string() : std::string(parents[r]);
      x.last_quota = optional_decimal(last, r);
      x.reference = optional_decimal(reference, r);
      x.locked = optional_decimal(locked, r);
      x.min_quota = optional_decimal(min_q, r);
      x.max_inc = optional_decimal(max_inc, r);
      x.max_dec = optional_decimal(max_dec, r);
      x.expected = optional_decimal(expected, r);
      x.volatility = optional_decimal(volatility, r);
      std::string problem;
      for (std::size_t k = 0; k < factor_cols.size() && problem.empty(); ++k) {
        const auto v = optional_decimal(factor_cols[k], r);
        if (!v) problem = opt_.factors[k].column + " is empty; give the factor a value (0 or more)";
        else if (v->sign() < 0) problem = opt_.factors[k].column + " is negative (" + text(*v) + "); factors must be 0 or more";
        else x.factors.push_back(*v);
      }
      const auto negative = [&](const std::optional<Decimal>& v, const char* name) {
        if (problem.empty() && v && v->sign() < 0) {
          problem = std::string(name) + " is negative (" + text(*v) + "); it must be 0 or more";
        }
      };
      negative(x.last_quota, "last_quota");
      negative(x.reference, "reference");
      negative(x.locked, "locked_quota");
      negative(x.min_quota, "min_quota");
      negative(x.max_inc, "max_increase");
      negative(x.expected, "expected_sales");
      negative(x.volatility, "volatility");
      if (problem.empty() && x.max_dec && *x.max_dec > Decimal(1)) {
        problem = "max_decrease is " + text(*x.max_dec) + "; it must be between 0 and 1";
      }
      if (problem.empty() && x.locked && !is_multiple(*x.locked, opt_.increment)) {
        problem = "locked_quota " + text(*x.locked) + " is not a multiple of the increment " +
                  text(opt_.increment) + "; round it";
      }
      if (problem.empty() && opt_.method == Method::ratchet && !x.last_quota) {
        problem = "the ratchet method needs last_quota; fill it";
      }
      if (problem.empty() && opt_.growth_base == GrowthBase::last_quota && !x.last_quota &&
          (opt_.method == Method::growth_percent || opt_.method == Method::growth_absolute)) {
        problem = "growth over last quota needs last_quota; fill it";
      }
      if (!problem.empty()) {
        reject(problem);
        continue;
      }
      out.push_back(std::move(x));
    }
    return out;
  }

  std::unordered_map<std::string, RepHistory> read_history(const std::vector<RepRow>& reps) {
    std::unordered_map<std::string, RepHistory> out;
    if (in_.history == nullptr) return out;
    const auto& t = *in_.history;
    const auto ids = detail::require_column(t, "history", "rep_id", ColumnType::string).strings();
    const auto& dates = detail::require_column(t, "history", "period_start", ColumnType::date);
    const auto& sales = detail::require_column(t, "history", "sales", ColumnType::decimal);
    if (opt_.base) {
      base_ = *opt_.base;
    } else {
      std::optional<Date> latest;
      for (std::size_t r = 0; r < t.num_rows(); ++r) {
        if (dates.is_null(r)) continue;
        const Date d = dates.values<Date>()[r];
        if (!latest || d > *latest) latest = d;
      }
      if (latest) base_ = Period{Date(latest->year(), 1, 1), Date(latest->year() + 1, 1, 1)};
    }
    std::unordered_map<std::string_view, bool> known;
    for (const auto& x : reps) known.emplace(x.id, true);
    for (std::size_t r = 0; r < t.num_rows(); ++r) {
      const std::string_view id = ids[r];
      const auto reject = [&](const std::string& why) {
        rejects_.add("history", detail::row_number(t, r), id, why);
      };
      if (!known.count(id)) {
        reject("rep_id '" + std::string(id) +
               "' is not a usable rep in the reps table; add it there (or see its reject)");
        continue;
      }
      if (dates.is_null(r) || sales.is_null(r)) {
        reject("period_start and sales must both be given");
        continue;
      }
      const Date d = dates.values<Date>()[r];
      if (!base_ || !base_->contains(d)) continue;  // outside the base window: not used
      auto& h = out[std::string(id)];
      const Decimal v = detail::decimal_at(sales, r);
      h.total += v;
      h.by_period[d.days_since_epoch()] += v;
    }
    return out;
  }

  void add_reps(std::vector<RepRow>& reps,
                const std::unordered_map<std::string, RepHistory>& history) {
    const bool need = needs_history(opt_, has_expected_);
    // Mean history of the reps with history under each parent, for new hires.
    std::unordered_map<std::string, std::pair<Decimal, std::int64_t>> parent_mean;
    for (const auto& x : reps) {
      if (const auto it = history.find(x.id); it != history.end()) {
        auto& m = parent_mean[x.parent];
        m.first += it->second.total;
        ++m.second;
      }
    }
    for (auto& x : reps) {
      const auto it = history.find(x.id);
      const bool has = it != history.end();
      Node n;
      n.id = x.id;
      n.is_rep = true;
      auto& b = n.basis;
      b.has_history = has;
      b.factors = x.factors;
      if (has) {
        b.sales = it->second.total;
      } else if (need || opt_.method == Method::equal_probability) {
        if (opt_.no_history == NoHistoryPolicy::reject && need) {
          rejects_.add("reps", detail::row_number(*in_.reps, x.row), x.id,
                       "no history in the base window " + (base_ ? base_->to_string() : "(no history given)") +
                           "; give history rows or treat new reps as new hires (no_history = new_hire)");
          continue;
        }
        const auto m = parent_mean.find(x.parent);
        if (m != parent_mean.end() && m->second.second > 0) {
          b.sales = Decimal::div(m->second.first, Decimal(m->second.second), 2);
        }
        b.note = "new hire: no history, so sales are the mean of " +
                 std::to_string(m == parent_mean.end() ? 0 : m->second.second) +
                 " sibling reps with history (" + text(b.sales) + ")";
      }
      b.last_quota = x.last_quota.value_or(Decimal());
      if (opt_.method == Method::ratchet) {
        const Decimal diff = b.sales - b.last_quota;
        b.ratchet = b.last_quota + (diff.sign() > 0 ? Decimal::mul(opt_.ratchet_up, diff)
                                                    : Decimal::mul(opt_.ratchet_down, diff));
      }
      b.expected = x.expected.value_or(b.sales);
      if (x.volatility) {
        const double v = x.volatility->to_double();
        b.variance = v * v;
      } else if (has && it->second.by_period.size() >= 2) {
        // Volatility of the window's total from its periods, taken as independent.
        const auto& p = it->second.by_period;
        const double k = static_cast<double>(p.size());
        double mean = 0, ss = 0;
        for (const auto& [d, v] : p) mean += v.to_double();
        mean /= k;
        for (const auto& [d, v] : p) ss += (v.to_double() - mean) * (v.to_double() - mean);
        b.variance = ss / (k - 1) * k;
      }
      if (auto conflict = set_bounds(n, x); !conflict.empty()) {
        rejects_.add("reps", detail::row_number(*in_.reps, x.row), x.id, std::move(conflict));
        continue;
      }
      rep_parent_.push_back(x.parent);
      rep_row_.push_back(x.row);
      index_.emplace(n.id, static_cast<int>(nodes_.size()));
      nodes_.push_back(std::move(n));
    }
  }

  // A rep's floor and cap from its row and the defaults; returns why they contradict each
  // other (the rep is then rejected), or "".
  std::string set_bounds(Node& n, const RepRow& x) {
    const Decimal inc = opt_.increment;
    if (x.reference) n.reference = *x.reference;
    else if (x.last_quota) n.reference = *x.last_quota;
    else if (n.basis.has_history) n.reference = n.basis.sales;
    if (x.locked) {
      n.locked = true;
      n.lo = *x.locked;
      n.hi = *x.locked;
      n.floor_note = n.cap_note = "locked at " + text(*x.locked);
      return {};
    }
    Decimal lo;
    std::string why;
    const auto min_q = x.min_quota ? x.min_quota : opt_.min_quota;
    if (min_q && *min_q > lo) {
      lo = *min_q;
      why = "minimum quota " + text(*min_q);
    }
    const auto max_dec = x.max_dec ? x.max_dec : opt_.max_decrease;
    const auto max_inc = x.max_inc ? x.max_inc : opt_.max_increase;
    if (n.reference && max_dec) {
      const Decimal floor = Decimal::mul(*n.reference, Decimal(1) - *max_dec);
      if (floor > lo) {
        lo = floor;
        why = "at most -" + text(Decimal::mul(*max_dec, hundred)) + "% from " + text(*n.reference);
      }
    }
    n.lo = round_to(lo, inc, Rounding::ceiling);
    std::string cap_why;
    if (n.reference && max_inc) {
      n.hi = round_to(Decimal::mul(*n.reference, Decimal(1) + *max_inc), inc, Rounding::floor);
      cap_why = "at most +" + text(Decimal::mul(*max_inc, hundred)) + "% over " + text(*n.reference);
    }
    if (n.hi && *n.hi < n.lo) {
      return "the floor " + text(n.lo) + " (" + why + ") is above the cap " + text(*n.hi) + " (" +
             cap_why + ") after rounding to " + text(inc) +
             "; loosen max_increase, max_decrease or min_quota for this rep";
    }
    n.floor_note = why;
    n.cap_note = cap_why;
    return {};
  }

  // ---- hierarchy ---------------------------------------------------------------------------

  [[noreturn]] void hierarchy_error(const std::string& path, const std::string& message) const {
    throw InvalidInputError("quota.hierarchy", path, message);
  }

  std::string row_text(const io::Table& t, std::size_t r) const {
    return std::to_string(detail::row_number(t, r));
  }

  void link_and_check() {
    const std::size_t org_count = org_parent_.size();
    for (std::size_t i = 0; i < org_count; ++i) {
      const auto& p = org_parent_[i];
      if (p.empty()) continue;
      const auto it = index_.find(p);
      if (it == index_.end() || nodes_[it->second].is_rep) {
        hierarchy_error("org.parent_id", "node '" + nodes_[i].id + "' (row " +
                                             row_text(*in_.org, org_row_[i]) + ") names parent '" + p +
                                             "', which is not an org node; add it, or leave "
                                             "parent_id empty for a root");
      }
      nodes_[i].parent = it->second;
    }
    // Reps attach to org nodes (or, without an org table, to target nodes made roots).
    std::vector<std::size_t> keep;
    for (std::size_t k = 0; k < rep_parent_.size(); ++k) {
      const int node = static_cast<int>(org_count + k);
      auto it = index_.find(rep_parent_[k]);
      if (it == index_.end() && in_.org == nullptr && !rep_parent_[k].empty()) {
        it = add_root(rep_parent_[k]);
      }
      if (it == index_.end() || nodes_[it->second].is_rep) {
        rejects_.add("reps", detail::row_number(*in_.reps, rep_row_[k]), nodes_[node].id,
                     "parent_id '" + rep_parent_[k] + "' is not a node of the org; fix the parent "
                     "or add the node to org");
        nodes_[node].parent = -2;  // dropped
        continue;
      }
      nodes_[node].parent = it->second;
    }
    // Cycles: every walk up must end at a root within the node count.
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      int p = nodes_[i].parent;
      std::size_t steps = 0;
      while (p >= 0 && steps <= nodes_.size()) {
        p = nodes_[p].parent;
        ++steps;
      }
      if (steps > nodes_.size()) {
        std::string cycle = nodes_[i].id;
        for (int q = nodes_[i].parent; q >= 0 && nodes_[q].id != nodes_[i].id; q = nodes_[q].parent) {
          cycle += " -> " + nodes_[q].id;
        }
        hierarchy_error("org.parent_id", "the org has a cycle: " + cycle + " -> " + nodes_[i].id +
                                             "; every chain of parents must end at a root");
      }
    }
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      const int p = nodes_[i].parent;
      if (p >= 0) nodes_[p].children.push_back(static_cast<int>(i));
      else if (p == -1) roots_.push_back(static_cast<int>(i));
    }
    const auto by_id = [&](int a, int b) { return nodes_[a].id < nodes_[b].id; };
    for (auto& n : nodes_) std::sort(n.children.begin(), n.children.end(), by_id);
    std::sort(roots_.begin(), roots_.end(), by_id);
  }

  std::unordered_map<std::string, int>::iterator add_root(const std::string& id) {
    Node n;
    n.id = id;
    const auto it = index_.emplace(id, static_cast<int>(nodes_.size())).first;
    nodes_.push_back(std::move(n));
    return it;
  }

  void read_targets() {
    const auto& t = *in_.targets;
    const auto ids = detail::require_column(t, "targets", "node_id", ColumnType::string).strings();
    const auto& target = detail::require_column(t, "targets", "target", ColumnType::decimal);
    std::vector<std::uint8_t> has(nodes_.size(), 0);
    for (std::size_t r = 0; r < t.num_rows(); ++r) {
      const std::string id(ids[r]);
      const auto path = "targets row " + row_text(t, r);
      const auto it = index_.find(id);
      if (it == index_.end()) {
        throw InvalidInputError("quota.target", path, "node '" + id +
                                "' is not in the org (or reps); fix the node_id");
      }
      if (target.is_null(r)) throw InvalidInputError("quota.target", path, "the target of '" + id + "' is empty");
      const Decimal v = detail::decimal_at(target, r);
      if (v.sign() < 0) {
        throw InvalidInputError("quota.target", path, "the target of '" + id + "' is negative (" +
                                text(v) + "); targets must be 0 or more");
      }
      if (!is_multiple(v, opt_.increment)) {
        throw InvalidInputError("quota.target", path, "the target of '" + id + "' (" + text(v) +
                                ") is not a multiple of the increment " + text(opt_.increment) +
                                "; round it or choose a finer increment");
      }
      if (has[it->second]) {
        throw InvalidInputError("quota.target", path, "node '" + id + "' has two targets; keep one");
      }
      has[it->second] = 1;
      Node& n = nodes_[it->second];
      n.quota_target = v;
      if (n.parent >= 0) {  // a target below the top locks that node
        n.locked = true;
        n.lo = v;
        n.hi = v;
        n.floor_note = n.cap_note = "target given for this node";
      }
    }
    for (int r : roots_) {
      if (!has[r]) {
        throw InvalidInputError("quota.target", "targets",
                                "root '" + nodes_[r].id + "' has no target; add a row (node_id " +
                                    nodes_[r].id + ", target) to targets");
      }
    }
  }

  // Post-order sums: an internal node's basis and bounds are its children's.
  void aggregate() {
    std::vector<int> order;
    for (int r : roots_) {
      std::vector<int> stack{r};
      while (!stack.empty()) {
        const int n = stack.back();
        stack.pop_back();
        order.push_back(n);
        for (int c : nodes_[n].children) stack.push_back(c);
      }
    }
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
      Node& n = nodes_[*it];
      if (n.is_rep) continue;
      auto& b = n.basis;
      b.factors.assign(opt_.factors.size(), Decimal());
      Decimal lo;
      std::optional<Decimal> hi = Decimal();
      for (int c : n.children) {
        const auto& cb = nodes_[c].basis;
        b.sales += cb.sales;
        b.last_quota += cb.last_quota;
        for (std::size_t k = 0; k < cb.factors.size(); ++k) b.factors[k] += cb.factors[k];
        b.expected += cb.expected;
        b.variance += cb.variance;
        b.fitted += cb.fitted;
        b.ratchet += cb.ratchet;
        lo += nodes_[c].lo;
        if (hi && nodes_[c].hi) *hi += *nodes_[c].hi;
        else hi.reset();
      }
      if (!n.locked) {
        n.lo = lo;
        n.hi = n.children.empty() ? std::nullopt : hi;
        bool any_ref = false;
        Decimal ref;
        for (int c : n.children) {
          if (nodes_[c].reference) {
            any_ref = true;
            ref += *nodes_[c].reference;
          }
        }
        if (any_ref) n.reference = ref;
      }
    }
    for (int n : order) {
      if (nodes_[n].parent >= 0) nodes_[n].depth = nodes_[nodes_[n].parent].depth + 1;
    }
  }

  // ---- sharing -----------------------------------------------------------------------------

  static void step(NodeQuota& q, StepKind kind, const Decimal& amount, const Decimal& running,
                   std::string note) {
    q.trace.push_back({kind, amount, running, std::move(note)});
  }

  void share_down(int root) {
    out_.resize(nodes_.size());
    auto& rq = out_[root];
    rq.quota = nodes_[root].quota_target;
    step(rq, StepKind::target, rq.quota, rq.quota, "the target of " + nodes_[root].id);
    std::vector<int> stack{root};
    while (!stack.empty()) {
      const int n = stack.back();
      stack.pop_back();
      if (nodes_[n].children.empty()) continue;
      share_children(n);
      for (auto it = nodes_[n].children.rbegin(); it != nodes_[n].children.rend(); ++it) {
        if (!nodes_[*it].is_rep) stack.push_back(*it);
      }
    }
  }

  void share_children(int parent) {
    const Node& p = nodes_[parent];
    NodeQuota& pq = out_[parent];
    Decimal amount = pq.quota;
    const auto d = static_cast<std::size_t>(p.depth);
    if (d < opt_.cushions.size() && !opt_.cushions[d].is_zero()) {
      const Decimal c = opt_.cushions[d];
      amount = round_to(Decimal::mul(pq.quota, Decimal(1) + c), opt_.increment, Rounding::half_even);
      step(pq, StepKind::cushion, amount - pq.quota, amount,
           "cushion " + text(Decimal::mul(c, hundred)) + "% at level " + std::to_string(d) +
               ": the children share " + text(pq.quota) + " x " + text(Decimal(1) + c) +
               " = " + text(amount) + " (this node's own quota stays " + text(pq.quota) + ")");
    }
    const auto& kids = p.children;
    const std::size_t n = kids.size();
    std::vector<Decimal> lo(n);
    std::vector<std::optional<Decimal>> hi(n);
    Decimal lo_sum, hi_sum;
    bool capped = true;
    for (std::size_t i = 0; i < n; ++i) {
      lo[i] = nodes_[kids[i]].lo;
      hi[i] = nodes_[kids[i]].hi;
      lo_sum += lo[i];
      if (hi[i]) hi_sum += *hi[i];
      else capped = false;
    }
    std::vector<Decimal> value(n);
    std::vector<std::string> notes;
    const auto first = detail::method_shares(nodes_, kids, amount, opt_, &notes);
    for (std::size_t i = 0; i < n; ++i) {
      auto& q = out_[kids[i]];
      q.quota = first[i];
      if (!nodes_[kids[i]].basis.note.empty()) notes[i] = nodes_[kids[i]].basis.note + "; " + notes[i];
      if (!regression_note_.empty() && nodes_[kids[i]].is_rep) notes[i] += "; fit: " + regression_note_;
      step(q, StepKind::method, first[i], first[i], notes[i]);
    }
    if (lo_sum > amount || (capped && hi_sum < amount)) {
      infeasible_group(parent, amount, lo, hi, lo_sum, hi_sum);
      return;
    }
    // Clamp the side with the larger total violation, re-share the rest by the same method,
    // until nothing is out of bounds (at most n rounds).
    std::vector<std::uint8_t> fixed(n, 0);
    std::vector<Decimal> raw = first;
    for (std::size_t i = 0; i < n; ++i) {
      if (nodes_[kids[i]].locked) {
        fixed[i] = 1;
        raw[i] = lo[i];
        step(out_[kids[i]], StepKind::constraint, lo[i] - first[i], lo[i], nodes_[kids[i]].floor_note);
      }
    }
    bool any_fixed = std::any_of(fixed.begin(), fixed.end(), [](auto f) { return f != 0; });
    for (std::size_t round = 0; round <= n; ++round) {
      if (any_fixed) reshare(kids, fixed, raw, amount);
      Decimal over, under;
      for (std::size_t i = 0; i < n; ++i) {
        if (fixed[i]) continue;
        if (hi[i] && raw[i] > *hi[i]) over += raw[i] - *hi[i];
        if (raw[i] < lo[i]) under += lo[i] - raw[i];
      }
      if (over.is_zero() && under.is_zero()) break;
      const bool cap_side = over >= under;
      for (std::size_t i = 0; i < n; ++i) {
        if (fixed[i]) continue;
        const bool hit = cap_side ? (hi[i] && raw[i] > *hi[i]) : raw[i] < lo[i];
        if (!hit) continue;
        const Decimal bound = cap_side ? *hi[i] : lo[i];
        const Node& c = nodes_[kids[i]];
        const std::string& why = cap_side ? c.cap_note : c.floor_note;
        step(out_[kids[i]], StepKind::constraint, bound - raw[i], bound,
             std::string(cap_side ? "capped" : "raised to its floor") + ": " +
                 (why.empty() ? "the sum of its children's bounds" : why));
        raw[i] = bound;
        fixed[i] = 1;
      }
      any_fixed = true;
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (fixed[i] || raw[i] == first[i]) continue;
      step(out_[kids[i]], StepKind::redistribution, raw[i] - first[i], raw[i],
           "share of what constrained siblings left, by the same method");
    }
    round_group(kids, fixed, raw, lo, hi, amount);
  }

  // Shares what the fixed children leave among the others, by the method.
  void reshare(const std::vector<int>& kids, const std::vector<std::uint8_t>& fixed,
               std::vector<Decimal>& raw, const Decimal& amount) const {
    std::vector<int> free;
    Decimal rest = amount;
    for (std::size_t i = 0; i < kids.size(); ++i) {
      if (fixed[i]) rest -= raw[i];
      else free.push_back(kids[i]);
    }
    if (free.empty()) return;
    const auto s = detail::method_shares(nodes_, free, rest, opt_, nullptr);
    std::size_t k = 0;
    for (std::size_t i = 0; i < kids.size(); ++i) {
      if (!fixed[i]) raw[i] = s[k++];
    }
  }

  // Rounds the free children to the increment by largest remainder so that the group sums to
  // `amount` exactly; fixed children keep their bound (already a multiple).
  void round_group(const std::vector<int>& kids, const std::vector<std::uint8_t>& fixed,
                   const std::vector<Decimal>& raw, const std::vector<Decimal>& lo,
                   const std::vector<std::optional<Decimal>>& hi, const Decimal& amount) {
    const Decimal inc = opt_.increment;
    std::vector<std::size_t> free;
    std::vector<Decimal> weights;
    Decimal rest = amount;
    for (std::size_t i = 0; i < kids.size(); ++i) {
      if (fixed[i]) {
        rest -= raw[i];
        continue;
      }
      free.push_back(i);
      weights.push_back(std::max(raw[i], Decimal()));
    }
    std::vector<Decimal> final_value(raw);
    if (!free.empty()) {
      const Decimal units = Decimal::div(rest, inc, 0, Rounding::half_even);
      const bool no_weight = std::all_of(weights.begin(), weights.end(),
                                         [](const Decimal& w) { return w.is_zero(); });
      if (no_weight) std::fill(weights.begin(), weights.end(), Decimal(1));
      const auto parts = allocate(units, weights, 0);
      for (std::size_t k = 0; k < free.size(); ++k) final_value[free[k]] = Decimal::mul(parts[k], inc);
      repair_bounds(free, final_value, lo, hi, inc);
    }
    for (std::size_t i = 0; i < kids.size(); ++i) {
      auto& q = out_[kids[i]];
      const Decimal diff = final_value[i] - raw[i];
      q.quota = final_value[i];
      if (!diff.is_zero()) {
        step(q, StepKind::rounding, diff, final_value[i],
             "largest-remainder rounding to multiples of " + text(inc) + " so the siblings sum to " +
                 text(amount));
      }
    }
  }

  // The 10^-12 error of the shares can put a rounded value one increment outside a bound that
  // its exact share touches; move single increments between siblings to fix it.
  static void repair_bounds(const std::vector<std::size_t>& free, std::vector<Decimal>& v,
                            const std::vector<Decimal>& lo,
                            const std::vector<std::optional<Decimal>>& hi, const Decimal& inc) {
    for (std::size_t i : free) {
      while (v[i] < lo[i]) {
        bool moved = false;
        for (std::size_t j : free) {
          if (j != i && v[j] - inc >= lo[j]) {
            v[j] -= inc;
            v[i] += inc;
            moved = true;
            break;
          }
        }
        if (!moved) break;
      }
      while (hi[i] && v[i] > *hi[i]) {
        bool moved = false;
        for (std::size_t j : free) {
          if (j != i && (!hi[j] || v[j] + inc <= *hi[j])) {
            v[j] += inc;
            v[i] -= inc;
            moved = true;
            break;
          }
        }
        if (!moved) break;
      }
    }
  }

  void infeasible_group(int parent, const Decimal& amount, const std::vector<Decimal>& lo,
                        const std::vector<std::optional<Decimal>>& hi, const Decimal& lo_sum,
                        const Decimal& hi_sum) {
    const auto& kids = nodes_[parent].children;
    const bool floors = lo_sum > amount;
    std::string msg = floors ? "the children's floors and locks need " + text(lo_sum) + " but " +
                                   text(amount) + " is to share (short " + text(lo_sum - amount) + ")"
                             : "the children's caps and locks allow " + text(hi_sum) + " but " +
                                   text(amount) + " is to share (over by " + text(amount - hi_sum) + ")";
    msg += "; shared in proportion to the " + std::string(floors ? "floors" : "caps") +
           " instead: loosen the constraints or change the target";
    violations_.push_back({nodes_[parent].id, msg});
    std::vector<Decimal> weights(kids.size());
    for (std::size_t i = 0; i < kids.size(); ++i) weights[i] = floors ? lo[i] : *hi[i];
    const bool zero = std::all_of(weights.begin(), weights.end(), [](auto& w) { return w.is_zero(); });
    if (zero) std::fill(weights.begin(), weights.end(), Decimal(1));
    const auto parts = allocate(Decimal::div(amount, opt_.increment, 0), weights, 0);
    for (std::size_t i = 0; i < kids.size(); ++i) {
      auto& q = out_[kids[i]];
      const Decimal v = Decimal::mul(parts[i], opt_.increment);
      step(q, StepKind::constraint, v - q.quota, v, "infeasible under " + nodes_[parent].id + ": " + msg);
      q.quota = v;
    }
  }

  // ---- result ------------------------------------------------------------------------------

  AllocationResult finish() {
    AllocationResult r;
    r.status = violations_.empty() ? AllocationStatus::ok : AllocationStatus::infeasible;
    r.violations = std::move(violations_);
    r.rejects = rejects_.table();
    for (int root : roots_) {
      std::vector<int> stack{root};
      while (!stack.empty()) {
        const int n = stack.back();
        stack.pop_back();
        NodeQuota q = std::move(out_[n]);
        const Node& node = nodes_[n];
        q.node_id = node.id;
        q.parent_id = node.parent >= 0 ? nodes_[node.parent].id : std::string();
        q.depth = node.depth;
        q.is_rep = node.is_rep;
        q.reference = node.reference;
        r.nodes.push_back(std::move(q));
        for (auto it = node.children.rbegin(); it != node.children.rend(); ++it) stack.push_back(*it);
      }
    }
    return r;
  }

  const AllocationInputs& in_;
  const AllocationOptions& opt_;
  std::vector<Node> nodes_;
  std::vector<NodeQuota> out_;
  std::unordered_map<std::string, int> index_;
  std::vector<std::string> org_parent_;
  std::vector<std::size_t> org_row_;
  std::vector<std::string> rep_parent_;
  std::vector<std::size_t> rep_row_;
  std::vector<int> roots_;
  std::optional<Period> base_;
  bool has_expected_ = false;
  std::string regression_note_;
  std::vector<Violation> violations_;
  detail::Rejects rejects_;
};

}  // namespace

AllocationResult allocate_quotas(const AllocationInputs& inputs, const AllocationOptions& options) {
  return Allocator(inputs, options).run();
}

const NodeQuota* AllocationResult::find(std::string_view node_id) const {
  for (const auto& n : nodes) {
    if (n.node_id == node_id) return &n;
  }
  return nullptr;
}

io::Table AllocationResult::quotas_table(Method method) const {
  const std::size_t n = nodes.size();
  std::vector<std::string> id(n), parent(n), method_name(n, std::string(to_string(method)));
  std::vector<std::int64_t> depth(n);
  std::vector<std::uint8_t> rep(n), ref_valid(n), change_valid(n);
  std::vector<Decimal> quota(n), ref(n), change(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& q = nodes[i];
    id[i] = q.node_id;
    parent[i] = q.parent_id;
    depth[i] = q.depth;
    rep[i] = q.is_rep ? 1 : 0;
    quota[i] = q.quota;
    if (q.reference) {
      ref[i] = *q.reference;
      ref_valid[i] = 1;
      if (!q.reference->is_zero()) {
        change[i] = Decimal::div(Decimal::mul(q.quota - *q.reference, hundred), *q.reference, 2);
        change_valid[i] = 1;
      }
    }
  }
  io::Table t;
  t.add(io::Column::of("node_id", std::move(id)));
  t.add(io::Column::of("parent_id", std::move(parent)));
  t.add(io::Column::of("depth", std::move(depth)));
  auto is_rep = io::Column(std::string("is_rep"), ColumnType::boolean);
  is_rep.data() = std::move(rep);
  t.add(std::move(is_rep));
  t.add(io::Column::of("quota", std::move(quota)));
  auto r = io::Column::of("reference", std::move(ref));
  r.set_validity(std::move(ref_valid));
  t.add(std::move(r));
  auto c = io::Column::of("change_percent", std::move(change));
  c.set_validity(std::move(change_valid));
  t.add(std::move(c));
  t.add(io::Column::of("method", std::move(method_name)));
  return t;
}

io::Table AllocationResult::trace_table() const {
  std::vector<std::string> id, kind, note;
  std::vector<std::int64_t> step_no;
  std::vector<Decimal> amount, running;
  for (const auto& q : nodes) {
    for (std::size_t s = 0; s < q.trace.size(); ++s) {
      id.push_back(q.node_id);
      step_no.push_back(static_cast<std::int64_t>(s + 1));
      kind.emplace_back(to_string(q.trace[s].kind));
      amount.push_back(q.trace[s].amount);
      running.push_back(q.trace[s].running);
      note.push_back(q.trace[s].note);
    }
  }
  io::Table t;
  t.add(io::Column::of("node_id", std::move(id)));
  t.add(io::Column::of("step", std::move(step_no)));
  t.add(io::Column::of("kind", std::move(kind)));
  t.add(io::Column::of("amount", std::move(amount)));
  t.add(io::Column::of("running", std::move(running)));
  t.add(io::Column::of("note", std::move(note)));
  return t;
}

}  // namespace spm::quota

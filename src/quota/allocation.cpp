// Top-down quota allocation: reads the hierarchy and the reps' inputs into flat arrays, then
// shares every node's amount among its children (sharing.cpp).
#include <spm/quota/allocation.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <spm/core/error.hpp>

#include "../core/huge_pages.hpp"
#include "../core/interner.hpp"
#include "allocation_detail.hpp"
#include "increment.hpp"
#include "sharing.hpp"
#include "table_access.hpp"

namespace spm::quota {

using detail::Limit;
using detail::Node;
using detail::text;
using io::ColumnType;

namespace {

constexpr std::uint32_t no_id = spm::detail::Interner::none;

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

// A bare number this large is a percent typed as a fraction ("30" for 30%): refused with both
// ways to write it. Percent text ("30%") is for options; the reps file's columns are decimals.
const Decimal implausible_increase = 10;  // +1000%

std::string percent_hint(const Decimal& v, bool percent_text) {
  const std::string p = text(v);
  return "for " + p + "% write " + text(v / Decimal(100)) + (percent_text ? " or " + p + "%" : "");
}

std::string max_increase_problem(const Decimal& v, bool percent_text) {
  if (v < implausible_increase) return {};
  return "max_increase " + text(v) + " means up to +" + text(v * Decimal(100)) + "%; " +
         percent_hint(v, percent_text);
}

std::string max_decrease_problem(const Decimal& v, bool percent_text) {
  if (v.sign() < 0) return "max_decrease is " + text(v) + "; it must be between 0 and 1";
  if (v <= Decimal(1)) return {};
  return "max_decrease " + text(v) + " means down to -" + text(v * Decimal(100)) +
         "%, below zero; it must be between 0 and 1: " + percent_hint(v, percent_text);
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
  // A cushion over-assigns: below 0 the children could all attain and the target still be
  // missed; 1 or more (+100%) is a percent typed as a fraction.
  for (std::size_t d = 0; d < o.cushions.size(); ++d) {
    const Decimal& c = o.cushions[d];
    const auto path = "cushions[" + std::to_string(d) + "]";
    if (c.sign() < 0) {
      bad_option(path, "the cushion " + text(c) + " is negative: the children would share less "
                       "than the target, so it is missed even if all of them attain; give 0 or "
                       "more (0.1 = 10% over-assignment, 0 for none at this level)");
    }
    if (c >= Decimal(1)) {
      bad_option(path, "the cushion " + text(c) + " means +" + text(c * Decimal(100)) +
                       "% over-assignment; " + percent_hint(c, true));
    }
  }
  if (o.max_increase && o.max_increase->sign() < 0) {
    bad_option("max_increase", "max_increase must be 0 or more (0.3 = at most +30%)");
  }
  if (o.max_increase) {
    const auto problem = max_increase_problem(*o.max_increase, true);
    if (!problem.empty()) bad_option("max_increase", problem);
  }
  if (o.max_decrease) {
    const auto problem = max_decrease_problem(*o.max_decrease, true);
    if (!problem.empty()) bad_option("max_decrease", problem);
  }
  if (o.min_quota && o.min_quota->sign() < 0) bad_option("min_quota", "min_quota must be 0 or more");
}

using detail::is_multiple;
using detail::round_to;

// A nullable decimal (or integer) column's value, if present.
using OptionalDecimals = detail::DecimalColumn;

// Per-rep constraint inputs read from the reps table (optional columns).
struct RepLimits {
  OptionalDecimals last, reference, locked, min_q, max_inc, max_dec, expected, volatility;
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
    if (in_.targets->num_rows() == 0) {
      throw InvalidInputError("quota.target", "targets",
                              "the targets table has no rows, so there is nothing to allocate; "
                              "give a target (node_id, target) for each top node");
    }
    if (in_.reps->num_rows() == 0) {
      const auto unread = unread_rows("reps");
      throw InvalidInputError("quota.reps", "reps",
                              unread == 0 ? "the reps table has no rows; give a row (rep_id, "
                                            "parent_id) per rep"
                                          : "the reps table has no rows that could be read (" +
                                                std::to_string(unread) + " could not; see the "
                                                "rejects or the reader's messages)");
    }
    const std::size_t reserve = in_.reps->num_rows() + (in_.org ? in_.org->num_rows() : 0) + 1;
    spm::detail::reserve_huge(light_, reserve);
    ids_.reserve(reserve);
    parent_name_.reserve(reserve);
    read_org();
    read_reps();
    link_parents();
    read_history();
    decide_reps();
    check_cycles();
    build_children();
    fill(depth_first());
    release_reading();
    groups_.resize(static_cast<std::size_t>(group_count_));
    read_targets();
    if (opt_.method == Method::regression) {
      regression_fit_ = detail::fit_regression(nodes_, factors_, opt_);
    }
    note_negative_bases();
    try {
      detail::aggregate(nodes_, factors_, children_, opt_, variances_, sigmas_);
    } catch (const ArithmeticError& e) {
      if (e.id() != "decimal.overflow") throw;
      overflow("reps", "summing the reps' history sales, last quotas or factors up the hierarchy",
               "those columns");
    }
    AllocationResult result;
    detail::Sharing sharing(nodes_, groups_, factors_, sigmas_, children_, ordered_ids_, opt_,
                            result.steps);
    for (const auto r : roots_) {
      try {
        sharing.share_from(r);
      } catch (const ArithmeticError& e) {
        if (e.id() != "decimal.overflow") throw;
        overflow("targets", "sharing the target of '" + std::string(ordered_ids_[r]) + "' (" +
                                text(groups_[nodes_[r].group].target) + ") by the method's inputs",
                 "the targets, history sales and factors");
      }
    }
    finish(sharing, result);
    result.base = base_;
    result.notes = notes_;
    if (const std::size_t n = rejects_.rows_from("reps"); n > 0) {
      result.notes.push_back(std::to_string(n) + " rep rows were rejected; the targets went to "
                             "the reps left under their nodes (fix the rows in the rejects to "
                             "give them quotas)");
    }
    // Rows never read reached nobody: without this their reps or sales vanish unremarked.
    if (const auto n = unread_rows("reps"); n > 0) {
      result.notes.push_back(std::to_string(n) + " rows of reps could not be read (text that is "
                             "not a decimal or date); their reps have no quota (fix the rows in "
                             "the rejects)");
    }
    if (const auto n = unread_rows("history"); n > 0) {
      result.notes.push_back(std::to_string(n) + " rows of history could not be read (text that "
                             "is not a decimal or date); their sales are not counted, which "
                             "lowers those reps' shares (fix the rows in the rejects)");
    }
    return result;
  }

 private:
  // ---- reading ------------------------------------------------------------------------------

  std::uint32_t add_node(std::string_view id) {
    const auto before = ids_.size();
    const auto i = ids_(id);
    if (i == before) {
      light_.emplace_back();
      parent_name_.emplace_back();
    }
    return i;
  }

  // The decimal overflow, told where it happened (the arithmetic alone cannot say).
  [[noreturn]] static void overflow(const std::string& path, const std::string& doing,
                                    const std::string& check) {
    throw ArithmeticError("decimal.overflow", path,
                          doing + " goes beyond the decimal range (about 1.7e26); check the "
                                  "magnitude or units of " + check);
  }

  std::size_t unread_rows(std::string_view source) const {
    std::set<std::int64_t> rows;
    for (const auto& u : in_.unread) {
      if (u.source == source) rows.insert(u.row);
    }
    return rows.size();
  }

  // A negative base (net clawbacks) counts as 0 at every level (detail::basis_weight): said
  // once, since the rep's quota then comes from the others' shares.
  void note_negative_bases() {
    std::size_t negative = 0;
    std::string first;
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      const Node& n = nodes_[i];
      if (!n.is_rep) continue;
      const bool growth = opt_.method == Method::growth_percent ||
                          opt_.method == Method::growth_absolute;
      const bool by_sales = opt_.method == Method::history || opt_.method == Method::blend ||
                            (growth && opt_.growth_base == GrowthBase::sales);
      const bool neg = opt_.method == Method::equal_probability || opt_.method == Method::ratchet
                           ? n.basis.sign() < 0
                           : by_sales && n.sales.sign() < 0;
      if (!neg) continue;
      if (negative++ == 0) first = std::string(ordered_ids_[i]);
    }
    if (negative == 0) return;
    notes_.push_back(std::to_string(negative) + " reps have a negative base (net sales below "
                     "zero in the base window, e.g. '" + first + "'); a negative base counts as "
                     "0 in the method's shares, for the rep and for the nodes above it");
  }

  void read_org() {
    if (in_.org == nullptr) {  // the reps hang from targets' nodes, made roots when named
      const auto ids =
          detail::require_column(*in_.targets, "targets", "node_id", ColumnType::string).strings();
      for (std::size_t r = 0; r < in_.targets->num_rows(); ++r) target_ids_.insert(ids[r]);
      return;
    }
    const auto& t = *in_.org;
    const auto ids = detail::require_column(t, "org", "node_id", ColumnType::string).strings();
    const auto& pc = detail::require_column(t, "org", "parent_id", ColumnType::string);
    const auto parents = pc.strings();
    for (std::size_t r = 0; r < t.num_rows(); ++r) {
      const std::string_view id = ids[r];
      if (id.empty()) hierarchy_error("org.node_id", "row " + row_text(t, r) + " has no node_id");
      const auto before = ids_.size();
      const auto i = add_node(id);
      if (i != before) {
        hierarchy_error("org.node_id", "node '" + std::string(id) + "' is listed twice (row " +
                                           row_text(t, r) + "); keep one row per node");
      }
      parent_name_[i] = pc.is_null(r) ? std::string_view() : parents[r];
      light_[i].row = static_cast<std::uint32_t>(r);
    }
    org_count_ = ids_.size();
    for (std::size_t i = 0; i < org_count_; ++i) light_[i].group = static_cast<std::int32_t>(i);
    group_count_ = static_cast<std::int32_t>(org_count_);
  }

  void reject_rep(std::size_t row, std::string_view id, std::string why) {
    rejects_.add("reps", detail::row_number(*in_.reps, row), id, std::move(why));
  }

  void read_reps() {
    const auto& t = *in_.reps;
    const auto ids = detail::require_column(t, "reps", "rep_id", ColumnType::string).strings();
    const auto& parent_col = detail::require_column(t, "reps", "parent_id", ColumnType::string);
    const auto parents = parent_col.strings();
    auto col = [&](const char* name) {
      return OptionalDecimals(detail::optional_column(t, "reps", name, ColumnType::decimal));
    };
    lim_ = {col("last_quota"),   col("reference"),    col("locked_quota"),   col("min_quota"),
            col("max_increase"), col("max_decrease"), col("expected_sales"), col("volatility")};
    // A misspelt constraint column would be ignored without a word: say so.
    std::vector<std::string> known{"rep_id",       "parent_id",    "last_quota",     "reference",
                                   "locked_quota", "min_quota",    "max_increase",   "max_decrease",
                                   "expected_sales", "volatility"};
    for (const auto& f : opt_.factors) known.push_back(f.column);
    for (auto& note : detail::near_column_notes(t, "reps", known)) notes_.push_back(std::move(note));
    has_expected_ = lim_.expected.present();
    const bool growth = opt_.method == Method::growth_percent || opt_.method == Method::growth_absolute;
    const bool need_last = opt_.method == Method::ratchet ||
                           (growth && opt_.growth_base == GrowthBase::last_quota);
    if (need_last && !lim_.last.present()) {
      detail::require_column(t, "reps", "last_quota", ColumnType::decimal);
    }
    // The factors are checked here and read again by fill(), straight into depth-first order.
    if (uses_factors(opt_.method)) {
      for (const auto& f : opt_.factors) {
        factor_cols_.emplace_back(&detail::require_column(t, "reps", f.column, ColumnType::decimal));
      }
    }
    std::string problem;
    for (std::size_t r = 0; r < t.num_rows(); ++r) {
      const std::string_view id = ids[r];
      if (id.empty()) {
        reject_rep(r, id, "rep_id is empty; give every rep an id");
        continue;
      }
      if (in_.org == nullptr && target_ids_.count(id) && named_as_parent(id)) {
        reject_rep(r, id, "rep_id '" + std::string(id) + "' is also a node of targets that other "
                          "reps name as their parent; rep and node ids must differ");
        continue;
      }
      const auto before = ids_.size();
      const auto i = add_node(id);
      if (i != before) {
        reject_rep(r, id, i < org_count_
                              ? "rep_id '" + std::string(id) + "' is also an org node; rep and node ids must differ"
                              : "rep_id '" + std::string(id) + "' is listed twice (first at row " +
                                    std::to_string(detail::row_number(t, light_[i].row)) + "); keep one row per rep");
        continue;
      }
      Light& n = light_[i];
      n.is_rep = true;
      n.row = static_cast<std::uint32_t>(r);
      parent_name_[i] = parent_col.is_null(r) ? std::string_view() : parents[r];
      problem.clear();
      for (std::size_t f = 0; f < factor_cols_.size() && problem.empty(); ++f) {
        const auto& c = factor_cols_[f];
        if (!c.has(r)) {
          problem = opt_.factors[f].column + " is empty; give the factor a value (0 or more)";
          break;
        }
        const Decimal v = c.at(r);
        if (v.sign() < 0) {
          problem = opt_.factors[f].column + " is negative (" + text(v) + "); factors must be 0 or more";
        }
      }
      check_rep_values(r, need_last, problem);
      if (!problem.empty()) {
        n.parent = -2;
        reject_rep(r, id, problem);
      }
    }
  }

  // Without an org, whether some reps row names `id` as its parent (made on first use: reps
  // named in targets, to lock them, are rare).
  bool named_as_parent(std::string_view id) {
    if (!parent_names_) {
      parent_names_.emplace();
      const auto& c = detail::require_column(*in_.reps, "reps", "parent_id", ColumnType::string);
      const auto parents = c.strings();
      for (std::size_t r = 0; r < in_.reps->num_rows(); ++r) {
        if (!c.is_null(r)) parent_names_->insert(parents[r]);
      }
    }
    return parent_names_->count(id) > 0;
  }

  void check_rep_values(std::size_t r, bool need_last, std::string& problem) const {
    const auto negative = [&](const OptionalDecimals& c, const char* name) {
      if (problem.empty() && c.has(r) && c.at(r).sign() < 0) {
        problem = std::string(name) + " is negative (" + text(c.at(r)) + "); it must be 0 or more";
      }
    };
    negative(lim_.last, "last_quota");
    negative(lim_.reference, "reference");
    negative(lim_.locked, "locked_quota");
    negative(lim_.min_q, "min_quota");
    negative(lim_.max_inc, "max_increase");
    negative(lim_.expected, "expected_sales");
    negative(lim_.volatility, "volatility");
    if (problem.empty() && lim_.max_inc.has(r)) {
      problem = max_increase_problem(lim_.max_inc.at(r), false);
    }
    if (problem.empty() && lim_.max_dec.has(r)) {
      problem = max_decrease_problem(lim_.max_dec.at(r), false);
    }
    if (problem.empty() && lim_.locked.has(r) && !is_multiple(lim_.locked.at(r), opt_.increment)) {
      problem = "locked_quota " + text(lim_.locked.at(r)) + " is not a multiple of the increment " +
                text(opt_.increment) + "; round it";
    }
    if (problem.empty() && need_last && !lim_.last.has(r)) {
      problem = opt_.method == Method::ratchet ? "the ratchet method needs last_quota; fill it"
                                               : "growth over last quota needs last_quota; fill it";
    }
  }

  // Org nodes must name org parents (an error: the org is small and must be right); reps must
  // name an org node (a reject). Without an org table, the reps' parents become roots.
  void link_parents() {
    for (std::size_t i = 0; i < org_count_; ++i) {
      const auto p = parent_name_[i];
      if (p.empty()) continue;
      const auto pi = ids_.find(p);
      if (pi == no_id || pi >= org_count_) {
        hierarchy_error("org.parent_id", "node '" + std::string(ids_.ids()[i]) + "' (row " +
                                             row_text(*in_.org, light_[i].row) + ") names parent '" +
                                             std::string(p) + "', which is not an org node; add "
                                             "it, or leave parent_id empty for a root");
      }
      light_[i].parent = static_cast<std::int32_t>(pi);
    }
    const std::size_t reps_end = light_.size();
    for (std::size_t i = org_count_; i < reps_end; ++i) {
      if (light_[i].parent == -2) continue;
      const auto p = parent_name_[i];
      auto pi = p.empty() ? no_id : ids_.find(p);
      if (pi == no_id && in_.org == nullptr && target_ids_.count(p)) {
        pi = add_node(p);  // a targets node: a root
        light_[pi].group = group_count_++;
      }
      if (pi == no_id || light_[pi].is_rep) {
        light_[i].parent = -2;
        reject_rep(light_[i].row, ids_.ids()[i],
                   p.empty() ? std::string("parent_id is empty: a rep needs its manager or team (a "
                                           "node of the org, or of targets without an org)")
                   : light_[pi == no_id ? 0 : pi].is_rep && pi != no_id
                       ? "parent_id '" + std::string(p) +
                             "' is a rep; a rep's parent is a node of the org or targets"
                       : "parent_id '" + std::string(p) +
                             (in_.org ? "' is not a node of the org; fix the parent or add the node to org"
                                      : "' is not a node of targets (there is no org table); fix the "
                                        "parent or add the node"));
        continue;
      }
      light_[i].parent = static_cast<std::int32_t>(pi);
    }
  }

  void read_history() {
    if (in_.history == nullptr) return;
    const auto& t = *in_.history;
    const auto ids = detail::require_column(t, "history", "rep_id", ColumnType::string).strings();
    const auto& dates = detail::require_column(t, "history", "period_start", ColumnType::date);
    const auto& sales_col = detail::require_column(t, "history", "sales", ColumnType::decimal);
    const OptionalDecimals sales(&sales_col);
    const auto& dv = dates.values<Date>();
    if (opt_.base) {
      base_ = *opt_.base;
    } else {
      std::optional<Date> latest;
      for (std::size_t r = 0; r < t.num_rows(); ++r) {
        if (!dates.is_null(r) && (!latest || dv[r] > *latest)) latest = dv[r];
      }
      if (latest) base_ = Period{Date(latest->year(), 1, 1), Date(latest->year() + 1, 1, 1)};
    }
    // One late row (a new year loaded early) moves the whole base: say so when fewer than half
    // of the reps with history, or only half, have any in the base window (a longer history is
    // not a sign).
    if (!opt_.base && base_) {
      std::set<std::string_view> with_history, in_base;
      for (std::size_t r = 0; r < t.num_rows(); ++r) {
        if (dates.is_null(r)) continue;
        with_history.insert(ids[r]);
        if (base_->contains(dv[r])) in_base.insert(ids[r]);
      }
      if (2 * in_base.size() <= with_history.size()) {
        notes_.push_back("the base window " + base_->to_string() +
                         " (the calendar year of the latest history date) holds history of " +
                         std::to_string(in_base.size()) + " of the " +
                         std::to_string(with_history.size()) +
                         " reps with history; give the base window to use another year");
      }
    }
    const bool periods = opt_.method == Method::equal_probability;
    UnknownReps unknown;
    std::string_view last_id;
    std::uint32_t last = no_id;
    for (std::size_t r = 0; r < t.num_rows(); ++r) {
      const std::string_view id = ids[r];
      if (id != last_id || last == no_id) {  // rows usually come grouped by rep
        last_id = id;
        last = ids_.find(id);
      }
      const auto reject = [&](const std::string& why) {
        rejects_.add("history", detail::row_number(t, r), id, why);
      };
      if (last == no_id || !light_[last].is_rep) {
        const auto near = near_rep(id);
        ++unknown.rows;
        if (near != no_id) {
          ++unknown.near_rows;
          unknown.near_reps.insert(near);
          if (unknown.example.empty()) {
            unknown.example = "'" + std::string(id) + "' for '" + std::string(ids_.ids()[near]) + "'";
          }
        }
        reject("rep_id '" + std::string(id) + "' is not a rep in the reps table" +
               (near == no_id ? std::string("; add it there or fix the id")
                              : "; did you mean '" + std::string(ids_.ids()[near]) +
                                    "' (the ids differ only by case, blanks or leading zeros)?"));
        continue;
      }
      if (light_[last].parent == -2) {
        reject("rep_id '" + std::string(id) + "' is a rep rejected in the reps table (see its reject)");
        continue;
      }
      if (dates.is_null(r) || !sales.has(r)) {
        reject("period_start and sales must both be given");
        continue;
      }
      if (!base_ || !base_->contains(dv[r])) continue;  // outside the base window: not used
      Light& n = light_[last];
      const Decimal v = sales.at(r);
      try {
        n.sales += v;
      } catch (const ArithmeticError& e) {
        if (e.id() != "decimal.overflow") throw;
        overflow("history row " + std::to_string(detail::row_number(t, r)),
                 "adding sales " + text(v) + " to the sales of rep '" + std::string(id) + "'",
                 "the history's sales column");
      }
      n.has_history = true;
      if (periods) period_sales_.push_back({last, dv[r].days_since_epoch(), v});
    }
    if (unknown.rows > 0) note_unknown_reps(unknown);
  }

  struct UnknownReps {
    std::size_t rows = 0, near_rows = 0;
    std::set<std::uint32_t> near_reps;
    std::string example;
  };

  // An id that differs from a rep's only by case, blanks or leading zeros ("R001" for "r001",
  // "A" for "A "): a typo far likelier than a rep missing from the reps table.
  static std::string loose_id(std::string_view id) {
    std::string out;
    bool in_digits = false;
    for (std::size_t k = 0; k < id.size(); ++k) {
      const auto c = static_cast<unsigned char>(id[k]);
      if (std::isspace(c)) continue;
      const bool digit = std::isdigit(c) != 0;
      const bool next_digit = k + 1 < id.size() && std::isdigit(static_cast<unsigned char>(id[k + 1]));
      if (digit && !in_digits && c == '0' && next_digit) continue;  // a leading zero
      in_digits = digit;
      out.push_back(static_cast<char>(std::tolower(c)));
    }
    return out;
  }

  std::uint32_t near_rep(std::string_view id) {
    if (!loose_reps_) {
      loose_reps_.emplace();
      for (std::size_t i = org_count_; i < light_.size(); ++i) {
        if (light_[i].is_rep) loose_reps_->try_emplace(loose_id(ids_.ids()[i]), static_cast<std::uint32_t>(i));
      }
    }
    const auto it = loose_reps_->find(loose_id(id));
    return it == loose_reps_->end() ? no_id : it->second;
  }

  void note_unknown_reps(const UnknownReps& u) {
    std::string s = std::to_string(u.rows) + " history rows name a rep_id that is not in the reps "
                    "table; their sales are not used (see the rejects)";
    if (u.near_rows > 0) {
      std::size_t without = 0;
      for (const auto i : u.near_reps) without += light_[i].has_history ? 0 : 1;
      s += ". " + std::to_string(u.near_rows) + " of them differ from a rep's id only by case, "
           "blanks or leading zeros (" + u.example + "), so " + std::to_string(u.near_reps.size()) +
           " reps lost history rows";
      if (without > 0) {
        s += " and " + std::to_string(without) + " have none left (they are " +
             (opt_.no_history == NoHistoryPolicy::new_hire ? "new hires" : "rejected") +
             " if the method needs history)";
      }
      s += "; fix the ids";
    }
    notes_.push_back(std::move(s));
  }

  // Variance of each rep's window total from its periods, taken as independent.
  void history_variance() {
    auto& ps = period_sales_;
    std::sort(ps.begin(), ps.end(), [](const auto& a, const auto& b) {
      return a.node != b.node ? a.node < b.node : a.day < b.day;
    });
    variances_.assign(light_.size(), 0.0);
    std::size_t i = 0;
    std::vector<double> v;
    while (i < ps.size()) {
      const auto node = ps[i].node;
      v.clear();
      for (; i < ps.size() && ps[i].node == node; ++i) {
        if (v.empty() || ps[i].day != ps[i - 1].day) v.push_back(0);
        v.back() += ps[i].amount.to_double();
      }
      if (v.size() < 2) continue;
      const double k = static_cast<double>(v.size());
      double mean = 0, ss = 0;
      for (double x : v) mean += x;
      mean /= k;
      for (double x : v) ss += (x - mean) * (x - mean);
      variances_[node] = ss / (k - 1) * k;
    }
  }

  // Reps without history where the method needs it: rejected, or new hires that take the mean
  // base sales of their siblings with history (decided before the hierarchy is walked).
  void decide_reps() {
    const bool need = needs_history(opt_, has_expected_);
    const bool equal_probability = opt_.method == Method::equal_probability;
    if (equal_probability) history_variance();
    // The sibling means are summed on the first new hire (most allocations have none).
    std::vector<Decimal> parent_sum;
    std::vector<std::int32_t> parent_n;
    const auto sum_siblings = [&] {
      parent_sum.resize(light_.size());
      parent_n.resize(light_.size());
      for (std::size_t i = org_count_; i < light_.size(); ++i) {
        const Light& n = light_[i];
        if (n.is_rep && n.parent >= 0 && n.has_history) {
          parent_sum[n.parent] += detail::basis_weight(n.sales);
          ++parent_n[n.parent];
        }
      }
    };
    for (std::size_t i = org_count_; i < light_.size(); ++i) {
      Light& n = light_[i];
      if (!n.is_rep || n.parent < 0 || n.has_history) continue;
      // equal_probability without an expected_sales value falls back on history.
      if (!need && !(equal_probability && !lim_.expected.has(light_[i].row))) continue;
      if (opt_.no_history == NoHistoryPolicy::reject) {
        n.parent = -2;
        const auto unread = unread_history_row(ids_.ids()[i]);
        reject_rep(light_[i].row, ids_.ids()[i],
                   unread > 0
                       ? "no history could be used: its history row " + std::to_string(unread) +
                             " could not be read (see the rejects); fix that row"
                       : "no history in the base window " +
                             (base_ ? base_->to_string() : std::string("(no history given)")) +
                             "; give history rows or treat new reps as new hires (no_history = "
                             "new_hire)");
        continue;
      }
      if (parent_n.empty()) sum_siblings();
      n.imputed_from = parent_n[n.parent];
      if (parent_n[n.parent] > 0) {
        n.sales = Decimal::div(parent_sum[n.parent], Decimal(parent_n[n.parent]), 2);
      }
    }
  }

  // The first unreadable history row of a rep, or 0 (indexed on first use).
  std::int64_t unread_history_row(std::string_view id) {
    if (!unread_history_) {
      unread_history_.emplace();
      for (const auto& u : in_.unread) {
        if (u.source == "history") unread_history_->try_emplace(u.rep_id, u.row);
      }
    }
    const auto it = unread_history_->find(id);
    return it == unread_history_->end() ? 0 : it->second;
  }

  // Makes the nodes in depth-first order, so that siblings (all the reps of a manager) sit next
  // to each other in memory for the sharing passes and the result comes out in that order, and
  // fills each rep's method inputs and bounds from its row. A rep whose bounds contradict each
  // other is rejected here and left out.
  void fill(const std::vector<std::int32_t>& order) {
    const std::size_t k = opt_.factors.size();
    new_of_.assign(light_.size(), -1);
    for (std::size_t i = 0; i < order.size(); ++i) new_of_[order[i]] = static_cast<std::int32_t>(i);
    spm::detail::reserve_huge(nodes_, order.size());
    nodes_.resize(order.size());
    std::vector<Decimal> factors;
    spm::detail::reserve_huge(factors, order.size() * k);
    factors.resize(order.size() * k);
    spm::detail::reserve_huge(ordered_ids_, order.size());
    ordered_ids_.resize(order.size());
    // The children lists come out of the walk: in depth-first order a node's children follow
    // it, in order, so each list is filled as they come (no second pass over the nodes).
    std::vector<std::int32_t> children(children_.size());
    std::vector<std::int32_t> next_child(order.size());
    std::int32_t child_end = 0;
    roots_.clear();
    bool dropped = false;
    for (std::size_t i = 0; i < order.size(); ++i) {
      prefetch_fill(order, i);
      const auto old = static_cast<std::size_t>(order[i]);
      const Light& l = light_[old];
      Node& n = nodes_[i];
      n.parent = l.parent >= 0 ? new_of_[l.parent] : -1;
      if (n.parent >= 0) children[next_child[n.parent]++] = static_cast<std::int32_t>(i);
      else roots_.push_back(static_cast<std::int32_t>(i));
      n.first_child = next_child[i] = child_end;
      n.child_count = l.child_count;
      child_end += l.child_count;
      n.group = l.group;
      n.depth = l.depth;
      n.is_rep = l.is_rep;
      n.has_history = l.has_history;
      n.sales = l.sales;
      n.imputed_from = l.imputed_from;
      ordered_ids_[i] = ids_.ids()[old];
      if (!n.is_rep) continue;
      const std::size_t r = light_[old].row;
      for (std::size_t f = 0; f < factor_cols_.size(); ++f) factors[i * k + f] = factor_cols_[f].at(r);
      n.last_quota = lim_.last.has(r) ? lim_.last.at(r) : Decimal();
      if (opt_.method == Method::ratchet) {
        const Decimal diff = n.sales - n.last_quota;
        n.basis = n.last_quota + (diff.sign() > 0 ? Decimal::mul(opt_.ratchet_up, diff)
                                                  : Decimal::mul(opt_.ratchet_down, diff));
      } else if (opt_.method == Method::equal_probability) {
        n.basis = lim_.expected.has(r) ? lim_.expected.at(r) : n.sales;
      }
      if (auto conflict = set_bounds(n, r); !conflict.empty()) {
        n.parent = -2;
        dropped = true;
        reject_rep(r, ordered_ids_[i], std::move(conflict) + " (its history rows are not used)");
      }
    }
    factors_ = std::move(factors);
    children_ = std::move(children);
    if (opt_.method == Method::equal_probability) order_variances(order);
    if (dropped) {
      drop_rejected();
      build_node_children();
    }
  }

  // fill() reads the records of scattered rows: start loading those of the nodes a little
  // ahead (the records first, then the table rows they point to) to overlap the cache misses.
  void prefetch_fill(const std::vector<std::int32_t>& order, std::size_t i) const {
    constexpr std::size_t records_ahead = 16;
    constexpr std::size_t rows_ahead = 8;
    if (i + records_ahead < order.size()) {
      const auto old = static_cast<std::size_t>(order[i + records_ahead]);
      __builtin_prefetch(&light_[old]);
      __builtin_prefetch(&ids_.ids()[old]);
    }
    if (i + rows_ahead < order.size()) {
      const auto old = static_cast<std::size_t>(order[i + rows_ahead]);
      if (!light_[old].is_rep) return;
      const std::size_t r = light_[old].row;
      for (const auto* c : {&lim_.last, &lim_.reference, &lim_.locked, &lim_.min_q, &lim_.max_inc,
                            &lim_.max_dec, &lim_.expected, &lim_.volatility}) {
        c->prefetch(r);
      }
      for (const auto& c : factor_cols_) c.prefetch(r);
    }
  }

  // equal_probability: each node's variance in depth-first order, from the history or the rep's
  // volatility column.
  void order_variances(const std::vector<std::int32_t>& order) {
    std::vector<double> v(order.size(), 0.0);
    for (std::size_t i = 0; i < order.size(); ++i) {
      const auto old = static_cast<std::size_t>(order[i]);
      if (old < variances_.size()) v[i] = variances_[old];
      if (light_[old].is_rep && lim_.volatility.has(light_[old].row)) {
        const double x = lim_.volatility.at(light_[old].row).to_double();
        v[i] = x * x;
      }
    }
    variances_ = std::move(v);
  }

  // The first-seen records are done with once the nodes are made: giving their memory back
  // now lets the sharing arrays reuse it instead of touching fresh pages.
  void release_reading() {
    std::vector<Light>().swap(light_);
    std::vector<std::string_view>().swap(parent_name_);
  }

  // Leaves out the reps that fill() rejected (rare: contradictory bounds).
  void drop_rejected() {
    const std::size_t k = opt_.factors.size();
    std::vector<std::int32_t> to(nodes_.size(), -1);
    std::size_t kept = 0;
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      if (nodes_[i].parent == -2) continue;
      to[i] = static_cast<std::int32_t>(kept);
      if (kept != i) {
        nodes_[kept] = nodes_[i];
        ordered_ids_[kept] = ordered_ids_[i];
        if (!variances_.empty()) variances_[kept] = variances_[i];
        std::copy_n(factors_.begin() + static_cast<std::ptrdiff_t>(i * k), k,
                    factors_.begin() + static_cast<std::ptrdiff_t>(kept * k));
      }
      ++kept;
    }
    nodes_.resize(kept);
    ordered_ids_.resize(kept);
    if (!variances_.empty()) variances_.resize(kept);
    factors_.resize(kept * k);
    for (auto& n : nodes_) {
      if (n.parent >= 0) n.parent = to[n.parent];
    }
    for (auto& x : new_of_) {
      if (x >= 0) x = to[x];
    }
  }

  // The children lists of the depth-first nodes: a counting sort by parent keeps each list in
  // depth-first order, which is by id.
  void build_node_children() {
    const std::size_t n = nodes_.size();
    std::vector<std::int32_t> start(n + 1, 0);
    roots_.clear();
    for (std::size_t i = 0; i < n; ++i) {
      if (nodes_[i].parent >= 0) ++start[static_cast<std::size_t>(nodes_[i].parent) + 1];
      else roots_.push_back(static_cast<std::int32_t>(i));
    }
    for (std::size_t i = 0; i < n; ++i) start[i + 1] += start[i];
    children_.assign(static_cast<std::size_t>(start[n]), 0);
    std::vector<std::int32_t> next(start.begin(), start.end() - 1);
    for (std::size_t i = 0; i < n; ++i) {
      if (nodes_[i].parent >= 0) children_[next[nodes_[i].parent]++] = static_cast<std::int32_t>(i);
    }
    for (std::size_t i = 0; i < n; ++i) {
      nodes_[i].first_child = start[i];
      nodes_[i].child_count = start[i + 1] - start[i];
    }
  }

  // A rep's floor and cap from its row and the defaults; returns why they contradict each
  // other (the rep is then rejected), or "".
  std::string set_bounds(Node& n, std::size_t r) {
    const Decimal inc = opt_.increment;
    if (lim_.reference.has(r)) n.reference = lim_.reference.at(r);
    else if (lim_.last.has(r)) n.reference = lim_.last.at(r);
    else if (n.has_history) n.reference = n.sales;
    n.has_reference = lim_.reference.has(r) || lim_.last.has(r) || n.has_history;
    Decimal lo;
    n.floor_why = Limit::zero;
    const auto min_q = lim_.min_q.has(r) ? std::optional(lim_.min_q.at(r)) : opt_.min_quota;
    if (min_q && *min_q > lo) {
      lo = *min_q;
      n.floor_why = Limit::min_quota;
      n.floor_param = *min_q;
    }
    const auto max_dec = lim_.max_dec.has(r) ? std::optional(lim_.max_dec.at(r)) : opt_.max_decrease;
    const auto max_inc = lim_.max_inc.has(r) ? std::optional(lim_.max_inc.at(r)) : opt_.max_increase;
    if (n.has_reference && max_dec) {
      const Decimal floor = Decimal::mul(n.reference, Decimal(1) - *max_dec);
      if (floor > lo) {
        lo = floor;
        n.floor_why = Limit::max_decrease;
        n.floor_param = *max_dec;
      }
    }
    n.lo = round_to(lo, inc, Rounding::ceiling);
    if (n.has_reference && max_inc) {
      n.has_hi = true;
      n.hi = round_to(Decimal::mul(n.reference, Decimal(1) + *max_inc), inc, Rounding::floor);
      n.cap_why = Limit::max_increase;
      n.cap_param = *max_inc;
    }
    if (lim_.locked.has(r)) {
      // The lock wins over the bounds; the trace says which one it is outside of.
      const Decimal lock = lim_.locked.at(r);
      if (n.has_hi && lock > n.hi) {
        n.lock_over = n.cap_why;
        n.lock_bound = n.hi;
      } else if (lock < n.lo) {
        n.lock_over = n.floor_why;
        n.lock_bound = n.lo;
      }
      n.locked = true;
      n.has_hi = true;
      n.lo = n.hi = lock;
      n.floor_why = n.cap_why = Limit::locked;
      return {};
    }
    if (n.has_hi && n.hi < n.lo && n.reference.sign() < 0) {
      // Only base sales can be negative (the columns are checked): loosening is no cure.
      return "the reference " + text(n.reference) + " is negative (net base sales: clawbacks "
             "exceed sales), so a change limit on it allows no quota of 0 or more; give this rep "
             "a reference or last_quota, or no max_increase";
    }
    if (n.has_hi && n.hi < n.lo) {
      return "the floor " + text(n.lo) + " (" + detail::limit_reason(n, false) +
             ") is above the cap " + text(n.hi) + " (" + detail::limit_reason(n, true) +
             ") after rounding to " + text(inc) +
             "; loosen max_increase, max_decrease or min_quota for this rep";
    }
    return {};
  }

  // ---- hierarchy ---------------------------------------------------------------------------

  [[noreturn]] void hierarchy_error(const std::string& path, const std::string& message) const {
    throw InvalidInputError("quota.hierarchy", path, message);
  }

  std::string row_text(const io::Table& t, std::size_t r) const {
    return std::to_string(detail::row_number(t, r));
  }

  // Only org nodes can form cycles (reps have no children): every walk up must end at a root.
  void check_cycles() const {
    std::vector<std::uint8_t> state(org_count_, 0);  // 0 new, 1 on the current walk, 2 done
    for (std::size_t i = 0; i < org_count_; ++i) {
      std::size_t j = i;
      while (true) {
        if (state[j] == 2) break;
        if (state[j] == 1) {
          std::string cycle(ids_.ids()[j]);
          for (auto q = light_[j].parent; q >= 0 && static_cast<std::size_t>(q) != j; q = light_[q].parent) {
            cycle += " -> " + std::string(ids_.ids()[q]);
          }
          hierarchy_error("org.parent_id", "the org has a cycle: " + cycle + " -> " +
                                               std::string(ids_.ids()[j]) +
                                               "; every chain of parents must end at a root");
        }
        state[j] = 1;
        if (light_[j].parent < 0) break;
        j = static_cast<std::size_t>(light_[j].parent);
      }
      for (j = i; state[j] == 1; j = static_cast<std::size_t>(light_[j].parent)) {
        state[j] = 2;
        if (light_[j].parent < 0) break;
      }
    }
  }

  // Children lists as one array (counting sort by parent), each sorted by id; roots by id.
  void build_children() {
    const std::size_t n = light_.size();
    std::vector<std::int32_t> start(n + 1, 0);
    for (std::size_t i = 0; i < n; ++i) {
      if (light_[i].parent >= 0) ++start[static_cast<std::size_t>(light_[i].parent) + 1];
      else if (light_[i].parent == -1) roots_.push_back(static_cast<std::int32_t>(i));
    }
    for (std::size_t i = 0; i < n; ++i) start[i + 1] += start[i];
    children_.resize(static_cast<std::size_t>(start[n]));
    std::vector<std::int32_t> next(start.begin(), start.end() - 1);
    for (std::size_t i = 0; i < n; ++i) {
      if (light_[i].parent >= 0) children_[next[light_[i].parent]++] = static_cast<std::int32_t>(i);
    }
    const auto& ids = ids_.ids();
    const auto by_id = [&](std::int32_t a, std::int32_t b) { return ids[a] < ids[b]; };
    for (std::size_t i = 0; i < n; ++i) {
      light_[i].first_child = start[i];
      light_[i].child_count = start[i + 1] - start[i];
      std::sort(children_.begin() + start[i], children_.begin() + start[i + 1], by_id);
    }
    std::sort(roots_.begin(), roots_.end(), by_id);
  }

  // The usable nodes in depth-first order from the roots (children by id); sets their depths.
  std::vector<std::int32_t> depth_first() {
    std::vector<std::int32_t> order;
    order.reserve(light_.size());
    std::vector<std::int32_t> stack;
    for (const auto root : roots_) {
      light_[root].depth = 0;
      stack.push_back(root);
      while (!stack.empty()) {
        const auto n = stack.back();
        stack.pop_back();
        order.push_back(n);
        const Light& node = light_[n];
        for (auto c = node.first_child + node.child_count - 1; c >= node.first_child; --c) {
          const auto child = children_[static_cast<std::size_t>(c)];
          light_[child].depth = node.depth + 1;
          stack.push_back(child);
        }
      }
    }
    return order;
  }

  void read_targets() {
    const auto& t = *in_.targets;
    const auto ids = detail::require_column(t, "targets", "node_id", ColumnType::string).strings();
    const auto& target = detail::require_column(t, "targets", "target", ColumnType::decimal);
    std::vector<std::uint8_t> has(nodes_.size(), 0);
    for (std::size_t r = 0; r < t.num_rows(); ++r) {
      const std::string id(ids[r]);
      const auto path = "targets row " + row_text(t, r);
      const auto old = ids_.find(id);
      const auto i = old == no_id ? -1 : new_of_[old];
      // A rejected rep: say so and why, rather than "not in the org".
      if (const auto why = i < 0 ? rejects_.why("reps", id) : ""; !why.empty()) {
        throw InvalidInputError("quota.target", path,
                                "rep '" + id + "' was rejected (reps " + why +
                                    "); fix its row in reps, or remove this target");
      }
      if (i < 0) {
        throw InvalidInputError("quota.target", path,
                                "node '" + id + "' is not in the org (or reps); fix the node_id");
      }
      if (target.is_null(r)) {
        throw InvalidInputError("quota.target", path, "the target of '" + id + "' is empty");
      }
      const Decimal v = detail::decimal_at(target, r);
      if (v.sign() < 0) {
        throw InvalidInputError("quota.target", path, "the target of '" + id + "' is negative (" +
                                                          text(v) + "); targets must be 0 or more");
      }
      if (!is_multiple(v, opt_.increment)) {
        throw InvalidInputError("quota.target", path,
                                "the target of '" + id + "' (" + text(v) +
                                    ") is not a multiple of the increment " + text(opt_.increment) +
                                    "; round it or choose a finer increment");
      }
      if (has[i]) {
        throw InvalidInputError("quota.target", path, "node '" + id + "' has two targets; keep one");
      }
      has[i] = 1;
      Node& n = nodes_[i];
      if (n.parent < 0) {
        if (n.group < 0) {
          throw InvalidInputError("quota.target", path,
                                  "'" + id + "' is a rep without a parent; give it a parent_id");
        }
        groups_[n.group].target = v;
      }
      if (n.parent >= 0) {  // a target below the top locks that node
        n.locked = n.has_hi = true;
        n.lo = n.hi = v;
        n.floor_why = n.cap_why = Limit::node_target;
      }
    }
    for (const auto r : roots_) {
      if (!has[r]) {
        const std::string id(ordered_ids_[r]);
        throw InvalidInputError("quota.target", "targets",
                                "root '" + id + "' has no target; add a row (node_id " + id +
                                    ", target) to targets");
      }
    }
  }

  // ---- result ------------------------------------------------------------------------------

  void finish(detail::Sharing& sharing, AllocationResult& r) {
    auto data = std::make_shared<detail::NoteData>();
    data->violations = sharing.take_violations();
    r.status = data->violations.empty() ? AllocationStatus::ok : AllocationStatus::infeasible;
    r.violations = data->violations;
    constexpr std::array<std::string_view, 2> sources{"reps", "history"};
    r.rejects = rejects_.table(sources);
    // Each row is built in place (no default-constructed rows to overwrite: one pass).
    spm::detail::reserve_huge(r.nodes, nodes_.size());
    const auto& ids = ordered_ids_;
    for (std::size_t k = 0; k < nodes_.size(); ++k) {
      const auto i = static_cast<std::int32_t>(k);
      const Node& n = nodes_[k];
      r.nodes.push_back(NodeQuota{
          .node_id = std::string(ids[i]),
          .parent_id = n.parent >= 0 ? std::string(ids[n.parent]) : std::string(),
          .depth = n.depth,
          .is_rep = n.is_rep,
          .quota = sharing.quota(i),
          .reference = n.has_reference ? std::optional(n.reference) : std::nullopt,
          .first_step = sharing.first_step(i),
          .step_count = sharing.step_count(i)});
    }
    data->options = opt_;
    data->regression_fit = std::move(regression_fit_);
    data->nodes = std::move(nodes_);
    data->groups = std::move(groups_);
    data->factors = std::move(factors_);
    data->sigmas = std::move(sigmas_);
    r.note_data = std::move(data);
  }

  struct PeriodSales {
    std::uint32_t node;
    std::int32_t day;
    Decimal amount;
  };

  const AllocationInputs& in_;
  const AllocationOptions& opt_;
  // While reading: one per org node or rep, in the order first seen.
  struct Light {
    std::int32_t parent = -1;  // -1 root, -2 rejected
    std::int32_t group = -1;
    std::int32_t first_child = 0, child_count = 0, depth = 0, imputed_from = -1;
    bool is_rep = false;
    bool has_history = false;
    std::uint32_t row = 0;  // in org or reps (in the padding before sales)
    Decimal sales;
  };
  std::vector<Light> light_;
  std::vector<std::int32_t> new_of_;  // first-seen index -> depth-first index (-1: left out)
  std::vector<Node> nodes_;           // depth first, from fill()
  std::vector<detail::Group> groups_;  // the org nodes' and roots'
  std::int32_t group_count_ = 0;
  std::unordered_set<std::string_view> target_ids_;  // without an org table
  std::optional<std::unordered_set<std::string_view>> parent_names_;  // see named_as_parent
  std::optional<std::unordered_map<std::string, std::uint32_t>> loose_reps_;  // see near_rep
  std::optional<std::unordered_map<std::string_view, std::int64_t>> unread_history_;
  spm::detail::Interner ids_;
  std::vector<std::string_view> ordered_ids_;  // after reorder()
  std::vector<std::string_view> parent_name_;
  std::size_t org_count_ = 0;
  std::vector<OptionalDecimals> factor_cols_;  // the reps' factor columns (methods using them)
  std::vector<Decimal> factors_;               // nodes x factors, depth first (from fill())
  std::vector<double> variances_;  // equal_probability: by first-seen index, then depth first
  std::vector<Decimal> sigmas_;    // equal_probability: by node
  std::vector<std::int32_t> children_;
  std::vector<std::int32_t> roots_;
  std::vector<PeriodSales> period_sales_;
  RepLimits lim_;
  std::optional<Period> base_;
  std::vector<std::string> notes_;
  bool has_expected_ = false;
  std::string regression_fit_;
  detail::Rejects rejects_;
};

}  // namespace

AllocationResult allocate_quotas(const AllocationInputs& inputs, const AllocationOptions& options) {
  return Allocator(inputs, options).run();
}

}  // namespace spm::quota

// Names of methods and trace steps, the words of each trace step, result tables and the
// explanation of one quota.
#include <algorithm>
#include <array>
#include <optional>
#include <sstream>
#include <unordered_map>
#include <utility>

#include <spm/core/error.hpp>
#include <spm/quota/allocation.hpp>

#include "allocation_detail.hpp"

namespace spm::quota {

using detail::Limit;
using detail::Node;
using detail::text;

namespace {

constexpr std::array<std::pair<Method, std::string_view>, 8> method_names{{
    {Method::history, "history"},
    {Method::potential, "potential"},
    {Method::blend, "blend"},
    {Method::growth_percent, "growth_percent"},
    {Method::growth_absolute, "growth_absolute"},
    {Method::regression, "regression"},
    {Method::equal_probability, "equal_probability"},
    {Method::ratchet, "ratchet"},
}};

Decimal percent_of(const Decimal& part, const Decimal& whole) {
  return whole.is_zero() ? Decimal() : Decimal::div(Decimal::mul(part, 100), whole, 4);
}

// A quota's change over its reference in percent (2 places): none over a reference of 0 or
// below (no percent of a negative base), nor when beyond the decimal range (1e26 over 1e19).
std::optional<Decimal> change_percent(const Decimal& quota, const Decimal& reference) {
  if (reference.sign() <= 0) return std::nullopt;
  try {
    return Decimal::mul_div(quota - reference, Decimal(100), reference, 2);
  } catch (const ArithmeticError&) {
    return std::nullopt;
  }
}

std::string percent(const Decimal& fraction) { return text(Decimal::mul(fraction, 100)) + "%"; }

std::string factor_text(const detail::NoteData& d, std::size_t node) {
  const std::size_t k = d.options.factors.size();
  std::string s;
  for (std::size_t f = 0; f < k; ++f) {
    if (f) s += ", ";
    s += d.options.factors[f].column + " " + text(d.factors[node * k + f]);
  }
  return s;
}

// A base as given, and how it weighs when negative (detail::basis_weight).
std::string base_text(const Decimal& v) {
  return text(v) + (v.sign() < 0 ? " (negative: counts as 0)" : "");
}

std::string method_note(const detail::NoteData& d, std::size_t i, const TraceStep& step) {
  const Node& n = d.nodes[i];
  const detail::Group& p = d.groups[static_cast<std::size_t>(d.nodes[static_cast<std::size_t>(n.parent)].group)];
  const auto& o = d.options;
  std::string s;
  if (n.imputed_from >= 0) {
    s = "new hire: no history, so sales are the mean of " + std::to_string(n.imputed_from) +
        " sibling reps with history (" + text(n.sales) + "); ";
  }
  if (p.equal_shares) return s + "no weight under this node: equal shares of " + text(p.shared);
  const std::string share =
      text(percent_of(n.weight, p.weight_total)) + "% of " + text(p.shared);
  switch (o.method) {
    case Method::history:
      return s + "history: sales " + base_text(n.sales) + " of " + text(p.weight_total) + " = " + share;
    case Method::potential:
      return s + "potential index (" + factor_text(d, i) + "): " + share;
    case Method::blend:
      return s + "blend " + text(o.history_weight) + " x history share + " +
             text(Decimal(1) - o.history_weight) + " x potential index (sales " + base_text(n.sales) +
             ", " + factor_text(d, i) + "): " + share;
    case Method::growth_percent:
      return s + "same growth percentage over " +
             (o.growth_base == GrowthBase::sales ? "sales " + base_text(n.sales) : "last quota " + text(n.weight)) +
             " of " + text(p.weight_total) + " = " + share;
    case Method::growth_absolute:
      return s + "same increase: base " +
             (o.growth_base == GrowthBase::sales ? base_text(n.sales) : text(n.weight)) + " + (" + text(p.shared) + " - " +
             text(p.weight_total) + ") / " + std::to_string(d.nodes[static_cast<std::size_t>(n.parent)].child_count) + " = " +
             text(step.amount);
    case Method::regression:
      return s + "fitted sales " + text(n.basis) + " (" + factor_text(d, i) + ") of " +
             text(p.weight_total) + " = " + share + "; fit: " + d.regression_fit;
    case Method::equal_probability:
      if (p.sigma_total.is_zero()) {
        return s + "equal probability without volatility: by expected sales " +
               base_text(n.basis) + " of " + text(p.weight_total) + " = " + share;
      }
      return s + "equal probability: expected " + base_text(n.basis) + " + z " + text(p.z.round(6)) +
             " x volatility " + text(d.sigmas[i]) + " (z = (" + text(p.shared) + " - " +
             text(p.weight_total) + ") / " + text(p.sigma_total) + ")";
    case Method::ratchet:
      return s + "ratchet " + base_text(n.basis) + " (last quota " + text(n.last_quota) + ", sales " +
             text(n.sales) + ") of " + text(p.weight_total) + " = " + share;
  }
  return s + share;
}

std::string floor_note(const Node& n) {
  switch (n.floor_why) {
    case Limit::zero: return "raised to zero: quotas are never negative";
    case Limit::children: return "raised to its floor: its children's floors (over its cushion)";
    default: return "raised to its floor: " + detail::limit_reason(n, false);
  }
}

std::string cap_note(const Node& n) {
  if (n.cap_why == Limit::children) return "capped: its children's caps (over its cushion)";
  return "capped: " + detail::limit_reason(n, true);
}

std::string constraint_note(const detail::NoteData& d, const Node& n, const TraceStep& step) {
  switch (step.bound) {
    case Bound::lock:
      return detail::limit_reason(n, false);
    case Bound::floor: return floor_note(n);
    case Bound::cap: return cap_note(n);
    case Bound::infeasible: {
      const auto& p = d.groups[static_cast<std::size_t>(d.nodes[static_cast<std::size_t>(n.parent)].group)];
      const auto& v = d.violations[static_cast<std::size_t>(p.violation)];
      return "infeasible under " + v.node_id + ": " + v.message;
    }
    case Bound::none: break;
  }
  return "constraint";
}

// One node's explanation, from a result or from its tables.
struct Explained {
  std::string id;
  std::vector<std::string> ancestors;
  bool is_rep = false;
  std::int64_t depth = 0;
  Decimal quota;
  std::optional<Decimal> reference;
  struct Row {
    std::string_view kind;
    Decimal amount, running;
    std::string note;
  };
  std::vector<Row> rows;
};

// Decimal places of v's exact shortest form.
int places_of(const Decimal& v) {
  const auto s = v.to_string();
  const auto dot = s.find('.');
  return dot == std::string::npos ? 0 : static_cast<int>(s.size() - dot - 1);
}

std::string format(const Explained& e) {
  // Amounts to 2 places, or as many as the increment needs: the quota and the running totals
  // of every step but the exact pro-rata ones (method, redistribution) are its multiples.
  int places = std::max(2, places_of(e.quota));
  for (const auto& r : e.rows) {
    if (r.kind != "method" && r.kind != "redistribution") {
      places = std::max(places, places_of(r.running));
    }
  }
  std::ostringstream out;
  out << e.id << (e.is_rep ? " (rep" : " (node") << ", level " << e.depth;
  for (const auto& a : e.ancestors) out << " < " << a;
  out << "): quota " << e.quota.to_string();
  if (e.reference && !e.reference->is_zero()) {
    out << ", reference " << e.reference->to_string();
    if (const auto change = change_percent(e.quota, *e.reference)) {
      out << " (" << change->to_string(2) << "%)";
    }
  }
  out << "\n";
  for (std::size_t i = 0; i < e.rows.size(); ++i) {
    const auto& r = e.rows[i];
    const std::string amount =
        (r.amount.sign() >= 0 && i > 0 ? "+" : "") + r.amount.to_string(places);
    out << "  " << (i + 1) << ". " << r.kind
        << std::string(r.kind.size() < 15 ? 15 - r.kind.size() : 1, ' ') << amount
        << std::string(amount.size() < 18 ? 18 - amount.size() : 1, ' ') << "= "
        << r.running.to_string(places) << "\n     " << r.note << "\n";
  }
  out << "  quota " << e.quota.to_string() << "\n";
  return out.str();
}

// `rejects`, when known: a rejected rep is named as such, with its reason.
[[noreturn]] void no_node(std::string_view id, const io::Table* rejects = nullptr) {
  if (rejects != nullptr && rejects->find("id") && rejects->find("reason")) {
    for (std::size_t r = 0; r < rejects->num_rows(); ++r) {
      if (rejects->strings("id")[r] != id) continue;
      throw InvalidInputError(
          "quota.node", std::string(id),
          "'" + std::string(id) + "' has no quota: it was rejected (" +
              std::string(rejects->strings("source")[r]) + " row " +
              std::to_string(rejects->values<std::int64_t>("row")[r]) + ": " +
              std::string(rejects->strings("reason")[r]) + ")");
    }
  }
  throw InvalidInputError("quota.node", std::string(id),
                          "no node '" + std::string(id) + "' in the result; check the id");
}

}  // namespace

std::string detail::limit_reason(const Node& n, bool cap) {
  switch (cap ? n.cap_why : n.floor_why) {
    case Limit::zero: return "zero";
    case Limit::min_quota: return "minimum quota " + text(n.floor_param);
    case Limit::max_decrease:
      return "at most -" + percent(n.floor_param) + " from " + text(n.reference);
    case Limit::max_increase: return "at most +" + percent(n.cap_param) + " over " + text(n.reference);
    case Limit::locked: {
      std::string s = "locked at " + text(n.lo);
      if (n.lock_over == Limit::none) return s;
      Node bound = n;
      const bool over_cap = n.lock_over == Limit::max_increase;
      (over_cap ? bound.cap_why : bound.floor_why) = n.lock_over;
      return s + ", " + (over_cap ? "above its cap " : "below its floor ") + text(n.lock_bound) +
             " (" + limit_reason(bound, over_cap) + "): the lock wins";
    }
    case Limit::node_target: return "target given for this node";
    case Limit::children: return "its children's bounds";
    case Limit::empty: return "no reps under this node: it carries no quota";
    case Limit::none: break;
  }
  return "no limit";
}

std::string_view to_string(Method method) noexcept {
  for (const auto& [m, name] : method_names) {
    if (m == method) return name;
  }
  return "?";
}

Method parse_method(std::string_view name) {
  std::string all;
  for (const auto& [m, n] : method_names) {
    if (n == name) return m;
    all += all.empty() ? "" : ", ";
    all += n;
  }
  throw InvalidInputError("quota.method", "method",
                          "unknown method '" + std::string(name) + "'; use one of " + all);
}

GrowthBase parse_growth_base(std::string_view name) {
  if (name == "sales") return GrowthBase::sales;
  if (name == "last_quota") return GrowthBase::last_quota;
  throw InvalidInputError("quota.options", "growth_base",
                          "unknown growth base '" + std::string(name) +
                              "'; use 'sales' or 'last_quota'");
}

NoHistoryPolicy parse_no_history(std::string_view name) {
  if (name == "reject") return NoHistoryPolicy::reject;
  if (name == "new_hire") return NoHistoryPolicy::new_hire;
  throw InvalidInputError("quota.options", "no_history",
                          "unknown policy '" + std::string(name) + "'; use 'reject' or 'new_hire'");
}

Period parse_base_window(std::string_view text) {
  try {
    return parse_period_text(text, FiscalCalendar());
  } catch (const InvalidInputError& e) {
    if (e.id() != "period.text") throw;
    throw InvalidInputError(
        "quota.options", "base",
        "'" + std::string(text) + "' is not a period" +
            (e.path() == text ? "" : " ('" + e.path() + "' is not)") +
            "; write a year 2025, a quarter 2025-Q4, a half 2025-H2, a month 2025-03, months "
            "2025-01..2025-06 (inclusive) or dates 2025-01-01..2026-01-01 (half-open)");
  }
}

std::string_view to_string(StepKind kind) noexcept {
  switch (kind) {
    case StepKind::target: return "target";
    case StepKind::cushion: return "cushion";
    case StepKind::method: return "method";
    case StepKind::constraint: return "constraint";
    case StepKind::redistribution: return "redistribution";
    case StepKind::rounding: return "rounding";
  }
  return "?";
}

std::span<const TraceStep> AllocationResult::trace(const NodeQuota& node) const {
  if (std::size_t{node.first_step} + node.step_count > steps.size()) {
    throw InvalidInputError("quota.node", node.node_id,
                            "trace() needs a node of this result (its steps are not in `steps`)");
  }
  return {steps.data() + node.first_step, node.step_count};
}

std::string AllocationResult::note(const NodeQuota& node, std::size_t i) const {
  if (&node < nodes.data() || &node >= nodes.data() + nodes.size() || note_data == nullptr) {
    throw InvalidInputError("quota.node", node.node_id,
                            "note() needs a node of this result's `nodes` (not a copy)");
  }
  const auto& d = *note_data;
  const auto ni = static_cast<std::size_t>(&node - nodes.data());
  const Node& n = d.nodes[ni];
  if (i >= node.step_count) {
    throw InvalidInputError("quota.node", node.node_id,
                            "note(node, " + std::to_string(i) + "): the node has " +
                                std::to_string(node.step_count) + " trace steps" +
                                (node.step_count == 0 ? std::string()
                                                      : " (0 to " + std::to_string(node.step_count - 1) + ")"));
  }
  const TraceStep& s = trace(node)[i];
  switch (s.kind) {
    case StepKind::target: return "the target of " + node.node_id;
    case StepKind::cushion: {
      const Decimal c = d.options.cushions[static_cast<std::size_t>(n.depth)];
      return "cushion " + percent(c) + " at level " + std::to_string(n.depth) +
             ": the children share " + text(node.quota) + " x " + text(Decimal(1) + c) + " = " +
             text(s.running) + " (this node's own quota stays " + text(node.quota) + ")";
    }
    case StepKind::method: return method_note(d, ni, s);
    case StepKind::constraint: return constraint_note(d, n, s);
    case StepKind::redistribution:
      return "share of what constrained siblings left, by the same method";
    case StepKind::rounding:
      return "largest-remainder rounding to multiples of " + text(d.options.increment) +
             " so the siblings sum to " + text(d.groups[static_cast<std::size_t>(d.nodes[static_cast<std::size_t>(n.parent)].group)].shared);
  }
  return {};
}

const NodeQuota* AllocationResult::find(std::string_view node_id) const {
  for (const auto& n : nodes) {
    if (n.node_id == node_id) return &n;
  }
  return nullptr;
}

io::Table AllocationResult::quotas_table() const {
  const std::size_t n = nodes.size();
  std::vector<std::string> id(n), parent(n),
      method_name(n, std::string(to_string(note_data ? note_data->options.method : Method::blend)));
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
      if (const auto c = change_percent(q.quota, *q.reference)) {
        change[i] = *c;
        change_valid[i] = 1;
      }
    }
  }
  io::Table t;
  t.add(io::Column::of("node_id", std::move(id)));
  t.add(io::Column::of("parent_id", std::move(parent)));
  t.add(io::Column::of("depth", std::move(depth)));
  t.add(io::Column::of("is_rep", std::move(rep)));
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
  std::vector<std::string> id, kind, note_text;
  std::vector<std::int64_t> step_no;
  std::vector<Decimal> amount, running;
  id.reserve(steps.size());
  for (const auto& q : nodes) {
    const auto t = trace(q);
    for (std::size_t s = 0; s < t.size(); ++s) {
      id.push_back(q.node_id);
      step_no.push_back(static_cast<std::int64_t>(s + 1));
      kind.emplace_back(to_string(t[s].kind));
      amount.push_back(t[s].amount);
      running.push_back(t[s].running);
      note_text.push_back(note(q, s));
    }
  }
  io::Table t;
  t.add(io::Column::of("node_id", std::move(id)));
  t.add(io::Column::of("step", std::move(step_no)));
  t.add(io::Column::of("kind", std::move(kind)));
  t.add(io::Column::of("amount", std::move(amount)));
  t.add(io::Column::of("running", std::move(running)));
  t.add(io::Column::of("note", std::move(note_text)));
  return t;
}

std::string explain(const AllocationResult& result, std::string_view node_id) {
  const NodeQuota* q = result.find(node_id);
  if (q == nullptr) no_node(node_id, &result.rejects);
  Explained e{q->node_id, {}, q->is_rep, q->depth, q->quota, q->reference, {}};
  for (const NodeQuota* p = q; !p->parent_id.empty();) {
    e.ancestors.push_back(p->parent_id);
    p = result.find(p->parent_id);
    if (p == nullptr) break;
  }
  const auto t = result.trace(*q);
  for (std::size_t i = 0; i < t.size(); ++i) {
    e.rows.push_back({to_string(t[i].kind), t[i].amount, t[i].running, result.note(*q, i)});
  }
  return format(e);
}

std::string explain(const io::Table& quotas, const io::Table& trace, std::string_view node_id) {
  const auto ids = quotas.strings("node_id");
  const auto parents = quotas.strings("parent_id");
  std::unordered_map<std::string_view, std::size_t> row;
  for (std::size_t r = 0; r < quotas.num_rows(); ++r) row.emplace(ids[r], r);
  const auto it = row.find(node_id);
  if (it == row.end()) no_node(node_id);
  const std::size_t r = it->second;
  const auto& ref = quotas.column("reference");
  Explained e{std::string(node_id), {}, quotas.values<std::uint8_t>("is_rep")[r] != 0,
              quotas.values<std::int64_t>("depth")[r], quotas.values<Decimal>("quota")[r],
              ref.is_null(r) ? std::nullopt : std::optional(ref.values<Decimal>()[r]), {}};
  for (auto p = parents[r]; !p.empty();) {
    e.ancestors.emplace_back(p);
    const auto up = row.find(p);
    if (up == row.end()) break;
    p = parents[up->second];
  }
  const auto t_ids = trace.strings("node_id");
  const auto kinds = trace.strings("kind");
  const auto notes = trace.strings("note");
  for (std::size_t i = 0; i < trace.num_rows(); ++i) {
    if (t_ids[i] != node_id) continue;
    e.rows.push_back({kinds[i], trace.values<Decimal>("amount")[i],
                      trace.values<Decimal>("running")[i], std::string(notes[i])});
  }
  return format(e);
}

}  // namespace spm::quota

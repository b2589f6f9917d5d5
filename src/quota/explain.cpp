// Names of methods and trace steps, and a quota's trace as text.
#include <array>
#include <sstream>
#include <utility>

#include <spm/core/error.hpp>
#include <spm/quota/allocation.hpp>

namespace spm::quota {

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
}  // namespace

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

std::string explain(const AllocationResult& result, std::string_view node_id) {
  const NodeQuota* q = result.find(node_id);
  if (q == nullptr) {
    throw InvalidInputError("quota.node", std::string(node_id),
                            "no node '" + std::string(node_id) + "' in the result; check the id");
  }
  std::ostringstream out;
  out << q->node_id << (q->is_rep ? " (rep" : " (node") << ", level " << q->depth;
  // The chain of parents up to the root.
  for (const NodeQuota* p = q; !p->parent_id.empty();) {
    out << " < " << p->parent_id;
    p = result.find(p->parent_id);
    if (p == nullptr) break;
  }
  out << "): quota " << q->quota.to_string();
  if (q->reference && !q->reference->is_zero()) {
    out << ", reference " << q->reference->to_string() << " ("
        << Decimal::div(Decimal::mul(q->quota - *q->reference, Decimal(100)), *q->reference, 2)
               .to_string(2)
        << "%)";
  }
  out << "\n";
  for (std::size_t i = 0; i < q->trace.size(); ++i) {
    const auto& s = q->trace[i];
    const auto kind = to_string(s.kind);
    const std::string amount = (s.amount.sign() >= 0 && i > 0 ? "+" : "") + s.amount.to_string(2);
    out << "  " << (i + 1) << ". " << kind << std::string(kind.size() < 15 ? 15 - kind.size() : 1, ' ')
        << amount << std::string(amount.size() < 18 ? 18 - amount.size() : 1, ' ') << "= "
        << s.running.to_string(2) << "\n     " << s.note << "\n";
  }
  out << "  quota " << q->quota.to_string() << "\n";
  return out.str();
}

}  // namespace spm::quota

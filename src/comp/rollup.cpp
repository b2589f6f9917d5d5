#include "rollup.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include <spm/core/error.hpp>

namespace spm::comp::detail {
namespace {

using io::Column;
using io::ColumnType;
using io::Table;

const Date open_end = Date(9999, 12, 31);

struct Line {
  std::string to;  // manager, or relationship member
  Period when;
  std::int64_t row = 0;
};

// Effective-dated lines per key, sorted, without overlaps: rows that overlap are all rejected
// (which one holds would be a guess), each naming one it overlaps.
using Lines = std::map<std::string, std::vector<Line>, std::less<>>;

void drop_overlaps(Lines& lines, const char* source, Rejects& rejects, const std::string& what) {
  auto end_text = [](Date d) { return d == open_end ? std::string("open") : d.to_string(); };
  for (auto& [key, v] : lines) {
    std::sort(v.begin(), v.end(), [](const Line& a, const Line& b) {
      return std::tie(a.when.begin, a.when.end, a.to, a.row) < std::tie(b.when.begin, b.when.end, b.to, b.row);
    });
    std::vector<std::size_t> other(v.size(), SIZE_MAX);  // an overlapping row, per row
    for (std::size_t i = 0; i < v.size(); ++i) {
      for (std::size_t j = i + 1; j < v.size() && v[j].when.begin < v[i].when.end; ++j) {
        if (other[i] == SIZE_MAX) other[i] = j;
        if (other[j] == SIZE_MAX) other[j] = i;
      }
    }
    std::vector<Line> kept;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (other[i] == SIZE_MAX) {
        kept.push_back(v[i]);
        continue;
      }
      const Line& o = v[other[i]];
      rejects.add(source, v[i].row, key, v[i].to, "",
                  what + " overlaps row " + std::to_string(o.row) + " (" + o.to + ", from " +
                      o.when.begin.to_string() + " to " + end_text(o.when.end) +
                      "); neither is used: end one before the next starts");
    }
    v = std::move(kept);
  }
}

const Line* at(const Lines& lines, std::string_view key, Date d) {
  const auto it = lines.find(key);
  if (it == lines.end()) return nullptr;
  for (const auto& l : it->second) {
    if (l.when.contains(d)) return &l;
  }
  return nullptr;
}

Lines read_hierarchy(const Table& t, Rejects& rejects) {
  const auto& payee = need(t, "hierarchy", "payee_id", ColumnType::string);
  const auto& manager = need(t, "hierarchy", "manager_id", ColumnType::string);
  const auto& from = need(t, "hierarchy", "from", ColumnType::date);
  const auto* to = maybe(t, "hierarchy", "to", ColumnType::date);
  Lines lines;
  for (std::size_t r = 0; r < t.num_rows(); ++r) {
    const std::string p = payee.is_null(r) ? "" : payee.values<std::string>()[r];
    const std::string m = manager.is_null(r) ? "" : manager.values<std::string>()[r];
    const Date end = to == nullptr || to->is_null(r) ? open_end : to->values<Date>()[r];
    const char* why = p.empty() ? "payee_id is missing"
                      : m.empty() ? "manager_id is missing"
                      : p == m    ? "the payee is its own manager"
                      : from.is_null(r) ? "'from' is missing"
                      : end <= from.values<Date>()[r] ? "'to' is not after 'from'"
                                                      : nullptr;
    if (why != nullptr) {
      rejects.add("hierarchy", row_number(t, r), p, p, "",
                  std::string(why) + ": a reporting line needs payee_id, a different manager_id, "
                  "from, and 'to' after 'from'");
      continue;
    }
    lines[p].push_back({m, {from.values<Date>()[r], end}, row_number(t, r)});
  }
  drop_overlaps(lines, "hierarchy", rejects, "the payee's reporting line");
  // A cycle can only start where some line starts: walk up from every start date.
  for (const auto& [p, v] : lines) {
    for (const auto& l : v) {
      std::vector<std::string> path{p};
      std::set<std::string, std::less<>> seen{p};
      for (const Line* up = at(lines, p, l.when.begin); up != nullptr; up = at(lines, up->to, l.when.begin)) {
        path.push_back(up->to);
        if (!seen.insert(up->to).second) {
          std::string text;
          for (const auto& x : path) text += (text.empty() ? "" : " -> ") + x;
          throw InvalidInputError("comp.hierarchy", p,
                                  "reporting lines form a cycle on " + l.when.begin.to_string() +
                                      ": " + text + "; fix the hierarchy table");
        }
      }
    }
  }
  return lines;
}

// relationship -> key -> members.
std::map<std::string, Lines, std::less<>> read_relationships(const Table& t, Rejects& rejects) {
  const auto& rel = need(t, "relationships", "relationship", ColumnType::string);
  const auto& key = need(t, "relationships", "key", ColumnType::string);
  const auto& payee = need(t, "relationships", "payee_id", ColumnType::string);
  const auto& from = need(t, "relationships", "from", ColumnType::date);
  const auto* to = maybe(t, "relationships", "to", ColumnType::date);
  std::map<std::string, std::map<std::string, Lines, std::less<>>, std::less<>> by_member;
  for (std::size_t r = 0; r < t.num_rows(); ++r) {
    auto text = [&](const Column& c) { return c.is_null(r) ? std::string() : c.values<std::string>()[r]; };
    const std::string name = text(rel), k = text(key), p = text(payee);
    const Date end = to == nullptr || to->is_null(r) ? open_end : to->values<Date>()[r];
    if (name.empty() || k.empty() || p.empty() || from.is_null(r) || end <= from.values<Date>()[r]) {
      rejects.add("relationships", row_number(t, r), k, p, "",
                  "a relationship needs relationship, key, payee_id, from, and 'to' after 'from'");
      continue;
    }
    // Overlaps are checked per (relationship, key, payee): the payee's own dates.
    by_member[name][k][p].push_back({p, {from.values<Date>()[r], end}, row_number(t, r)});
  }
  std::map<std::string, Lines, std::less<>> out;
  for (auto& [name, keys] : by_member) {
    for (auto& [k, members] : keys) {
      drop_overlaps(members, "relationships", rejects, "the payee's '" + name + "' relationship on " + k);
      auto& dest = out[name][k];
      for (auto& [p, v] : members) dest.insert(dest.end(), v.begin(), v.end());
    }
  }
  return out;
}

struct Candidate {
  std::string payee;
  Decimal percent;
  std::string path;
  std::size_t order;  // rule, then level, then base credit
};

}  // namespace

std::vector<std::vector<Indirect>> indirect_credits(
    const Plan& plan, const CompInputs& in, const std::vector<std::uint8_t>& ok,
    const std::function<void(std::size_t, BaseCredits&)>& base, Rejects& rejects) {
  std::vector<std::vector<Indirect>> out;
  if (plan.rollup.rules.empty()) return out;
  const Table& tx = *in.transactions;
  const auto& date = need(tx, "transactions", "date", io::ColumnType::date).values<Date>();
  bool needs_hierarchy = false, needs_relationships = false;
  for (const auto& r : plan.rollup.rules) (r.hierarchy ? needs_hierarchy : needs_relationships) = true;
  if (needs_hierarchy && in.hierarchy == nullptr) {
    throw InvalidInputError("comp.inputs", "hierarchy",
                            "the plan rolls credit up the hierarchy but no hierarchy table was "
                            "given (payee_id, manager_id, from, to)");
  }
  if (needs_relationships && in.relationships == nullptr) {
    throw InvalidInputError("comp.inputs", "relationships",
                            "the plan has relationship rules but no relationships table was given "
                            "(relationship, key, payee_id, from, to)");
  }
  const Lines managers = needs_hierarchy ? read_hierarchy(*in.hierarchy, rejects) : Lines{};
  const auto members = needs_relationships ? read_relationships(*in.relationships, rejects)
                                           : std::map<std::string, Lines, std::less<>>{};
  std::vector<const Column*> by(plan.rollup.rules.size(), nullptr);
  for (std::size_t i = 0; i < plan.rollup.rules.size(); ++i) {
    const auto& r = plan.rollup.rules[i];
    if (!r.relationship.empty()) by[i] = &need(tx, "transactions", r.by.c_str(), ColumnType::string);
  }
  const std::size_t max_levels = managers.size() + 1;  // no cycles: a walk ends by then
  out.resize(tx.num_rows());
  BaseCredits credits;
  std::vector<Candidate> cands;
  for (std::size_t row = 0; row < tx.num_rows(); ++row) {
    if (!ok[row]) continue;
    credits.clear();
    base(row, credits);
    cands.clear();
    const Date d = date[row];
    for (std::size_t i = 0; i < plan.rollup.rules.size(); ++i) {
      const auto& rule = plan.rollup.rules[i];
      if (rule.hierarchy) {
        for (std::size_t b = 0; b < credits.size(); ++b) {
          std::string path = rule.id + ": " + std::string(credits[b].first);
          const Decimal pct = Decimal::mul_div(credits[b].second, rule.percent, Decimal(100), Decimal::scale);
          std::size_t level = 1;
          for (const Line* up = at(managers, credits[b].first, d);
               up != nullptr && (rule.levels == 0 || level <= static_cast<std::size_t>(rule.levels)) && level <= max_levels;
               up = at(managers, up->to, d), ++level) {
            path += " > " + up->to;
            cands.push_back({up->to, pct, path, (i * (max_levels + 1) + level) * 4096 + b});
          }
        }
      } else if (!by[i]->is_null(row)) {
        const std::string& key = by[i]->values<std::string>()[row];
        const auto rel = members.find(rule.relationship);
        if (rel == members.end()) continue;
        const auto it = rel->second.find(key);
        if (it == rel->second.end()) continue;
        for (const auto& m : it->second) {
          if (!m.when.contains(d)) continue;
          cands.push_back({m.to, rule.percent, rule.id + ": " + rule.relationship + " on " + rule.by + " " + key,
                           i * (max_levels + 1) * 4096});
        }
      }
    }
    if (cands.empty()) continue;
    std::stable_sort(cands.begin(), cands.end(), [](const Candidate& a, const Candidate& b) {
      return std::tie(a.payee, a.order) < std::tie(b.payee, b.order);
    });
    for (std::size_t i = 0; i < cands.size();) {
      std::size_t j = i + 1;
      while (j < cands.size() && cands[j].payee == cands[i].payee) ++j;
      Decimal direct;
      bool has_direct = false;
      for (const auto& [p, pct] : credits) {
        if (p == cands[i].payee) {
          direct += pct;
          has_direct = true;
        }
      }
      Indirect x{cands[i].payee, Decimal(0), ""};
      switch (plan.rollup.policy) {
        case RollupPolicy::first:
          if (!has_direct) x = {cands[i].payee, cands[i].percent, cands[i].path};
          break;
        case RollupPolicy::max: {
          std::size_t best = i;
          for (std::size_t k = i + 1; k < j; ++k) {
            if (cands[k].percent > cands[best].percent) best = k;
          }
          x = {cands[i].payee, cands[best].percent - direct,
               cands[best].path + (has_direct ? " (max over the direct credit " + direct.to_string() + "%)" : "")};
          break;
        }
        case RollupPolicy::sum:
          for (std::size_t k = i; k < j; ++k) {
            x.percent += cands[k].percent;
            x.path += (x.path.empty() ? "" : " + ") + cands[k].path;
          }
          break;
      }
      if (x.percent.sign() > 0) out[row].push_back(std::move(x));
      i = j;
    }
  }
  return out;
}

}  // namespace spm::comp::detail

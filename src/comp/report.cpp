// Run ranges and the plain-text explanation of a statement.
#include <array>
#include <optional>
#include <set>
#include <algorithm>
#include <map>
#include <sstream>

#include <spm/comp/engine.hpp>
#include <spm/core/error.hpp>
#include <spm/core/period.hpp>

namespace spm::comp {
namespace {

// The lines do not say what unit a component's rates are in. Every tier line's amount is
// base x rate / 100 (percent) or base x rate (per unit, per deal), rounded at most to the line's
// places, so the nearer of the two tells: "60000 x 8% = 4800" but "6 x 50 = 300". The first line
// of a component where the two differ decides for all its lines (a line such as 0 x 50 cannot).
std::map<std::string, bool, std::less<>> percent_components(const io::Table& lines) {
  std::map<std::string, bool, std::less<>> out;
  const auto component = lines.strings("component");
  const io::Column& base = lines.column("base");
  const io::Column& rate = lines.column("rate");
  const auto& amount = lines.values<Decimal>("amount");
  for (std::size_t i = 0; i < lines.num_rows(); ++i) {
    if (base.is_null(i) || rate.is_null(i) || out.count(component[i])) continue;
    const Decimal whole = Decimal::mul(base.values<Decimal>()[i], rate.values<Decimal>()[i]);
    const Decimal to_percent = (amount[i] - Decimal::div(whole, Decimal(100))).abs();
    const Decimal to_whole = (amount[i] - whole).abs();
    if (to_percent != to_whole) out.emplace(std::string(component[i]), to_percent < to_whole);
  }
  return out;
}

}  // namespace

Period parse_run_range(std::string_view text, const Plan& plan) {
  try {
    return parse_period_text(text, plan.calendar);
  } catch (const InvalidInputError& e) {
    if (e.id() != "period.text") throw;
    throw InvalidInputError("comp.period", e.path(), e.detail());  // comp's stable id
  }
}

std::string explain(const CompResult& result, std::string_view payee_id, std::string_view period) {
  const auto& st = result.statements;
  if (!st.find("payee_id")) {  // a default CompResult, not one of run()
    throw InvalidInputError("comp.explain", "result",
                            "the result has no statements table; explain a result of comp::run");
  }
  const auto s_payee = st.strings("payee_id");
  const auto s_period = st.strings("period");
  std::ostringstream out;
  bool found = false;
  const auto percent = percent_components(result.lines);
  // Money with cents at least (more when the plan pays in finer units), never rounded: the
  // total's form, so "payout 576.30" matches "TOTAL payout 576.30".
  const int places = std::max(2, st.column("payout").min_places());
  auto money = [places](const Decimal& d) {
    std::array<char, Decimal::max_chars> buf{};
    return std::string(buf.data(), d.format_to(buf.data(), places));
  };
  for (std::size_t r = 0; r < st.num_rows(); ++r) {
    if (s_payee[r] != payee_id || s_period[r] != period) continue;
    if (!found) {
      out << "Statement for " << payee_id << ", " << period << " ["
          << st.values<Date>("period_start")[r].to_string() << ", "
          << st.values<Date>("period_end")[r].to_string() << ")\n";
      found = true;
    }
    const auto comp = st.strings("component")[r];
    if (comp == "TOTAL") {
      out << "\nTOTAL payout " << money(st.values<Decimal>("payout")[r]) << "\n";
      continue;
    }
    // A run over plan versions has a row per version of a component: its own lines only.
    std::optional<std::int64_t> version;
    if (const auto v = st.find("plan_version"); v && !st.columns()[*v].is_null(r)) {
      version = st.columns()[*v].values<std::int64_t>()[r];
    }
    out << "\n" << comp;
    if (version) out << " (plan version " << *version << ")";
    out << ":";
    if (!st.column("measure").is_null(r)) {
      out << " " << st.strings("measure")[r] << " = "
          << st.values<Decimal>("measure_value")[r].to_string();
      if (!st.column("quota").is_null(r)) {
        out << ", quota " << st.values<Decimal>("quota")[r].to_string() << ", attainment "
            << st.values<Decimal>("attainment_percent")[r].to_string() << "%";
      }
    }
    out << "\n";
    const auto& l = result.lines;
    const auto l_payee = l.strings("payee_id");
    const auto l_period = l.strings("period");
    const auto l_component = l.strings("component");
    const auto l_version = l.find("plan_version");
    const auto l_credit = l.find("credit");
    for (std::size_t i = 0; i < l.num_rows(); ++i) {
      if (l_payee[i] != payee_id || l_period[i] != period || l_component[i] != comp) continue;
      if (version && l_version &&
          (l.columns()[*l_version].is_null(i) || l.columns()[*l_version].values<std::int64_t>()[i] != *version)) {
        continue;
      }
      out << "  " << l.values<std::int64_t>("line")[i] << ". " << l.strings("kind")[i];
      if (!l.column("transaction_id").is_null(i)) {
        out << " " << l.strings("transaction_id")[i] << " ("
            << l.values<Date>("date")[i].to_string();
        // How the payee was credited, unless directly: "split 40%", a roll-up's path.
        if (l_credit && !l.columns()[*l_credit].is_null(i) && l.columns()[*l_credit].strings()[i] != "direct") {
          out << ", " << l.columns()[*l_credit].strings()[i];
        }
        out << ")";
      }
      if (!l.column("tier").is_null(i)) out << " tier " << l.values<std::int64_t>("tier")[i];
      if (!l.column("base").is_null(i) && !l.column("rate").is_null(i)) {
        const Decimal& base = l.values<Decimal>("base")[i];
        const Decimal& rate = l.values<Decimal>("rate")[i];
        const auto unit = percent.find(comp);
        out << ": " << base.to_string() << " x " << rate.to_string()
            << (unit == percent.end() || unit->second ? "%" : "");
      } else if (!l.column("base").is_null(i) && l.strings("kind")[i] == "multiplier") {
        out << ": " << l.values<Decimal>("base")[i].to_string() << " x (factor - 1)";
      }
      out << " = " << money(l.values<Decimal>("amount")[i]);
      if (!l.column("note").is_null(i)) out << "  [" << l.strings("note")[i] << "]";
      out << "\n";
    }
    out << "  earnings " << money(st.values<Decimal>("earnings")[r]) << ", paid before "
        << money(st.values<Decimal>("paid_before")[r]) << ", payout "
        << money(st.values<Decimal>("payout")[r]) << "\n";
  }
  if (!found) {
    // A payee-period the run rejected (no quota, arithmetic out of range): say why.
    const auto& rj = result.rejects;
    if (rj.find("source") && rj.find("payee_id") && rj.find("period") && rj.find("reason")) {
      const auto source = rj.strings("source"), who = rj.strings("payee_id"),
                 when = rj.strings("period"), why = rj.strings("reason");
      for (std::size_t i = 0; i < rj.num_rows(); ++i) {
        if (source[i] == "payees" && who[i] == payee_id && when[i] == period) {
          throw InvalidInputError("comp.explain", std::string(payee_id) + " " + std::string(period),
                                  "the run rejected this payee and period: " +
                                      std::string(why[i]));
        }
      }
    }
    // Say what the run has instead: the payee's periods, or some of its payees.
    std::set<std::string> periods, payees;
    for (std::size_t r = 0; r < st.num_rows(); ++r) {
      payees.insert(std::string(s_payee[r]));
      if (s_payee[r] == payee_id) periods.insert(std::string(s_period[r]));
    }
    auto listed = [](const std::set<std::string>& s) {
      std::string text;
      std::size_t k = 0;
      for (const auto& x : s) {
        if (k++ == 10) return text + ", ... (" + std::to_string(s.size()) + " in all)";
        text += (text.empty() ? "" : ", ") + x;
      }
      return text;
    };
    throw InvalidInputError(
        "comp.explain", std::string(payee_id) + " " + std::string(period),
        !periods.empty()
            ? "no statement for this period: " + std::string(payee_id) + " has statements for " +
                  listed(periods) + "; explain one of those (a period outside the run's range, or "
                  "one the payee was not on the plan in, has none)"
        : payees.empty()
            ? std::string("the run has no statements at all (check its rejects)")
            : "no statement for payee '" + std::string(payee_id) + "' in the run (its payees: " +
                  listed(payees) + "); check the id, or the payee's rejects");
  }
  return out.str();
}

}  // namespace spm::comp

// Shared helpers for the comp tests: tables from CSV text, plans from JSON text, a run on them,
// readable access to statements and lines, and the invariant "lines sum to the payout".
#pragma once

#include <memory>

#include <gtest/gtest.h>

#include "support/throws_error.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <spm/comp/engine.hpp>
#include <spm/comp/plan.hpp>
#include <spm/core/decimal.hpp>
#include <spm/core/error.hpp>
#include <spm/io/csv.hpp>

namespace spm {

inline void PrintTo(const Decimal& d, std::ostream* os) { *os << d.to_string(); }

namespace comp::test {

/// Decimal from text (test literals).
inline Decimal dec(std::string_view text) { return Decimal::parse(text); }

/// Columns that the comp tests read as decimals; every other column not in the schema is text.
inline bool decimal_column(std::string_view name) {
  return name == "amount" || name == "units" || name == "margin" || name == "quota" ||
         name == "percent" || name == "value" || name == "rate" || name == "draw_balance" ||
         name == "owed" || name == "target_incentive";
}
inline bool date_column(std::string_view name) {
  return name == "date" || name == "period_start" || name == "from" || name == "to" ||
         name == "due";
}

/// A table from CSV text: columns typed by name (amount, units, margin, quota, percent, value are
/// decimals; date, period_start, from, to are dates; the rest text); empty fields are nulls.
/// Fails the test when the reader rejects a row.
inline io::Table table(std::string_view csv) {
  const auto header = csv.substr(0, csv.find('\n'));
  std::vector<io::ColumnSpec> schema;
  std::size_t start = 0;
  while (start <= header.size()) {
    const auto comma = std::min(header.find(',', start), header.size());
    const std::string name(header.substr(start, comma - start));
    const io::ColumnType type = decimal_column(name)     ? io::ColumnType::decimal
                                : date_column(name)      ? io::ColumnType::date
                                : name == "days_prorated" ? io::ColumnType::boolean
                                                         : io::ColumnType::string;
    schema.push_back({name, type, true, true});
    start = comma + 1;
  }
  auto r = io::parse_csv(csv, schema);
  EXPECT_TRUE(r.rejects.empty()) << "the CSV reader rejected: " << r.rejects.front().reason;
  return std::move(r.table);
}

/// A plan document: fixed identity and calendar (id "t", calendar year 2026, quarterly pay
/// periods unless `head` says otherwise) around `body` (measures, components, ...).
inline std::string plan_text(std::string_view body, std::string_view head = "") {
  std::string s = R"({"id": "t", "effective": {"from": "2026-01-01", "to": "2027-01-01"}, )";
  if (!head.empty()) s += std::string(head) + ", ";
  return s + std::string(body) + "}";
}
inline Plan plan(std::string_view body, std::string_view head = "") {
  return parse_plan(plan_text(body, head));
}

/// CSV text of a table (what the determinism tests compare).
inline std::string csv(const io::Table& t) {
  std::ostringstream out;
  io::write_csv(t, out);
  return out.str();
}

// The same table with every string column dictionary-encoded (codes into its distinct values,
// one unused; nulls stay null).
inline io::Table dictionary_encoded(const io::Table& t) {
  io::Table out;
  for (const auto& c : t.columns()) {
    if (c.type() != io::ColumnType::string) {
      out.add(c);
      continue;
    }
    auto dict = std::make_shared<std::vector<std::string>>(1, "(unused)");
    std::map<std::string, std::uint32_t, std::less<>> code;
    std::vector<std::uint32_t> codes;
    for (std::size_t r = 0; r < c.size(); ++r) {
      const std::string text(c.strings()[r]);
      const auto [it, fresh] = code.try_emplace(text, static_cast<std::uint32_t>(dict->size()));
      if (fresh) dict->push_back(text);
      codes.push_back(c.is_null(r) ? 0 : it->second);
    }
    out.add(io::Column::dictionary(c.name(), dict, codes, c.validity()));
  }
  return out;
}

/// Runs `p` over `period` on the transactions `plain` and again on `encoded` (the same rows,
/// some columns dictionary-encoded); expects the same statements, lines and rejects and returns
/// the second result.
inline CompResult run_plain_and_encoded(const Plan& p, const io::Table& plain,
                                        const io::Table& encoded, const io::Table& quotas,
                                        std::string_view period) {
  const Period range = parse_run_range(period, p);
  CompInputs in;
  in.quotas = &quotas;
  in.transactions = &plain;
  const CompResult a = run(p, in, range);
  in.transactions = &encoded;
  CompResult b = run(p, in, range);
  EXPECT_EQ(csv(a.statements), csv(b.statements));
  EXPECT_EQ(csv(a.lines), csv(b.lines));
  EXPECT_EQ(csv(a.rejects), csv(b.rejects));
  return b;
}

/// Optional inputs of a run, as CSV text ("" = not given).
struct Extra {
  std::string_view credits;
  std::string_view credit_rules;
  std::string_view assignments;
  std::string_view scores;
  std::string_view hierarchy = {};
  std::string_view relationships = {};
  std::string_view fx_rates = {};
  unsigned threads = 1;
};

/// Runs `p` on transactions and quotas given as CSV text over the range `period` ("2026-Q1").
inline CompResult run_text(const Plan& p, std::string_view transactions, std::string_view quotas,
                           std::string_view period, const Extra& extra = {}) {
  const io::Table tx = table(transactions);
  const io::Table q = table(quotas);
  io::Table cr, rules, as, sc;
  CompInputs in;
  in.transactions = &tx;
  in.quotas = &q;
  if (!extra.credits.empty()) {
    cr = table(extra.credits);
    in.credits = &cr;
  }
  if (!extra.credit_rules.empty()) {
    rules = table(extra.credit_rules);
    in.credit_rules = &rules;
  }
  if (!extra.assignments.empty()) {
    as = table(extra.assignments);
    in.assignments = &as;
  }
  if (!extra.scores.empty()) {
    sc = table(extra.scores);
    in.scores = &sc;
  }
  io::Table hi, rel;
  if (!extra.hierarchy.empty()) {
    hi = table(extra.hierarchy);
    in.hierarchy = &hi;
  }
  if (!extra.relationships.empty()) {
    rel = table(extra.relationships);
    in.relationships = &rel;
  }
  io::Table fx;
  if (!extra.fx_rates.empty()) {
    fx = table(extra.fx_rates);
    in.fx_rates = &fx;
  }
  return run(p, in, parse_run_range(period, p), ExecutionContext().threads(extra.threads));
}

/// Everything a run produced, as CSV text (printed when a check fails).
inline std::string dump(const CompResult& r) {
  return "statements:\n" + csv(r.statements) + "lines:\n" + csv(r.lines) + "rejects:\n" +
         csv(r.rejects);
}

/// The statement row of a payee, period and component ("TOTAL" for the total).
inline std::optional<std::size_t> statement_row(const CompResult& r, std::string_view payee,
                                                std::string_view period,
                                                std::string_view component) {
  const auto& s = r.statements;
  for (std::size_t i = 0; i < s.num_rows(); ++i) {
    if (s.strings("payee_id")[i] == payee &&
        s.strings("period")[i] == period &&
        s.strings("component")[i] == component) {
      return i;
    }
  }
  return std::nullopt;
}

/// A decimal field of a statement row; fails the test (and returns -1) when there is none.
inline Decimal statement(const CompResult& r, std::string_view payee, std::string_view period,
                         std::string_view component, std::string_view field = "payout") {
  const auto i = statement_row(r, payee, period, component);
  if (!i) {
    ADD_FAILURE() << "no statement " << payee << " " << period << " " << component << "\n"
                  << dump(r);
    return Decimal(-1);
  }
  if (r.statements.column(field).is_null(*i)) return Decimal(0);
  return r.statements.values<Decimal>(field)[*i];
}

/// Lines of one payee, period and component, each as "kind tx tier base rate amount" (nulls
/// empty), to compare whole explanations at once.
inline std::vector<std::string> lines(const CompResult& r, std::string_view payee,
                                      std::string_view period, std::string_view component = "") {
  std::vector<std::string> out;
  const auto& l = r.lines;
  for (std::size_t i = 0; i < l.num_rows(); ++i) {
    if (l.strings("payee_id")[i] != payee ||
        l.strings("period")[i] != period ||
        (!component.empty() && l.strings("component")[i] != component)) {
      continue;
    }
    std::string s = l.column("kind").text(i);
    for (const char* c : {"transaction_id", "tier", "base", "rate", "amount"}) {
      s += " " + l.column(c).text(i);
    }
    out.push_back(s);
  }
  return out;
}

/// The notes of the lines of one payee, period and component.
inline std::vector<std::string> notes(const CompResult& r, std::string_view payee,
                                      std::string_view period, std::string_view component = "") {
  std::vector<std::string> out;
  const auto& l = r.lines;
  for (std::size_t i = 0; i < l.num_rows(); ++i) {
    if (l.strings("payee_id")[i] == payee &&
        l.strings("period")[i] == period &&
        (component.empty() || l.strings("component")[i] == component)) {
      out.push_back(l.column("note").text(i));
    }
  }
  return out;
}

/// Rejects as "source row id payee period | reason" lines.
inline std::vector<std::string> rejects(const CompResult& r) {
  std::vector<std::string> out;
  const auto& t = r.rejects;
  for (std::size_t i = 0; i < t.num_rows(); ++i) {
    out.push_back(t.column("source").text(i) + " " + t.column("row").text(i) + " " +
                  t.column("id").text(i) + " " + t.column("payee_id").text(i) + " " +
                  t.column("period").text(i) + " | " + t.column("reason").text(i));
  }
  return out;
}

/// Checks the first invariant of every run: per payee and period, the lines' amounts sum exactly
/// to the TOTAL statement's payout, and per component to the component's payout.
inline ::testing::AssertionResult lines_sum_to_payouts(const CompResult& r) {
  using Key = std::tuple<std::string, std::string, std::string>;
  std::map<Key, Decimal> sums;
  const auto& l = r.lines;
  for (std::size_t i = 0; i < l.num_rows(); ++i) {
    const std::string payee(l.strings("payee_id")[i]);
    const std::string period(l.strings("period")[i]);
    const auto& amount = l.values<Decimal>("amount")[i];
    sums[{payee, period, "TOTAL"}] += amount;
    sums[{payee, period, std::string(l.strings("component")[i])}] += amount;
  }
  const auto& s = r.statements;
  for (std::size_t i = 0; i < s.num_rows(); ++i) {
    const Key k{std::string(s.strings("payee_id")[i]), std::string(s.strings("period")[i]),
                std::string(s.strings("component")[i])};
    const Decimal payout = s.values<Decimal>("payout")[i];
    const auto it = sums.find(k);
    const Decimal sum = it == sums.end() ? Decimal(0) : it->second;
    if (sum != payout) {
      return ::testing::AssertionFailure()
             << std::get<0>(k) << " " << std::get<1>(k) << " " << std::get<2>(k) << ": lines sum "
             << sum.to_string() << ", payout " << payout.to_string() << "\n"
             << dump(r);
    }
  }
  return ::testing::AssertionSuccess();
}

using spm::test::throws_error;

/// The issues parse_plan reports for a document, as "path: message" (empty when it parses).
inline std::vector<std::string> plan_issues(std::string_view json) {
  std::vector<PlanIssue> issues;
  try {
    (void)parse_plan(json, &issues);
  } catch (const InvalidInputError&) {
  }
  std::vector<std::string> out;
  for (const auto& i : issues) out.push_back(i.path + ": " + i.message);
  return out;
}

}  // namespace comp::test
}  // namespace spm

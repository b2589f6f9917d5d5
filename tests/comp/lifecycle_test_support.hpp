// Helpers for the lifecycle tests: a settle run on CSV text, and readable pay rows and lines.
#pragma once

#include <spm/comp/lifecycle.hpp>

#include "comp_test_support.hpp"

namespace spm::comp::test {

/// Lifecycle inputs as CSV text ("" = not given).
struct Life {
  std::string_view adjustments = {};
  std::string_view draws = {};
  std::string_view cancellations = {};
  std::string_view events = {};
  std::string_view terminations = {};
  std::string_view paid = {};
  std::string_view payees = {};
  std::string_view fx_rates = {};
  std::string_view opening = {};
  unsigned threads = 1;
  bool dictionary = false;  ///< every string column dictionary-encoded
};

/// Settles `p` on transactions (and quotas, "" = none) over `period`.
inline LifecycleResult settle_text(const Plan& p, std::string_view transactions,
                                   std::string_view quotas, std::string_view period,
                                   const Life& life = {}) {
  auto read = [&](std::string_view text) {
    return life.dictionary ? dictionary_encoded(table(text)) : table(text);
  };
  const io::Table tx = read(transactions);
  const io::Table q = read(quotas.empty() ? "payee_id,period_start,quota\n" : quotas);
  CompInputs in;
  in.transactions = &tx;
  in.quotas = &q;
  io::Table t[9];
  LifecycleInputs li;
  const std::string_view texts[9] = {life.adjustments, life.draws, life.cancellations,
                                     life.events, life.terminations, life.paid,
                                     life.payees, life.fx_rates, life.opening};
  const io::Table** slots[9] = {&li.adjustments, &li.draws, &li.cancellations,
                                &li.events, &li.terminations, &li.paid,
                                &li.payees, &in.fx_rates, &li.opening};
  for (int i = 0; i < 9; ++i) {
    if (texts[i].empty()) continue;
    t[i] = read(texts[i]);
    *slots[i] = &t[i];
  }
  return settle(p, in, li, parse_run_range(period, p), ExecutionContext().threads(life.threads));
}

inline std::string dump(const LifecycleResult& r) {
  return "pay:\n" + csv(r.pay) + "pay lines:\n" + csv(r.pay_lines) + "held:\n" + csv(r.held) +
         "rejects:\n" + csv(r.rejects);
}

/// A decimal field of a payee's pay row ("net_pay" by default); -1 and a failure when missing.
inline Decimal pay(const LifecycleResult& r, std::string_view payee, std::string_view period,
                   std::string_view field = "net_pay") {
  const auto& t = r.pay;
  for (std::size_t i = 0; i < t.num_rows(); ++i) {
    if (t.strings("payee_id")[i] == payee && t.strings("period")[i] == period) {
      return t.column(field).is_null(i) ? Decimal(0) : t.values<Decimal>(field)[i];
    }
  }
  ADD_FAILURE() << "no pay row " << payee << " " << period << "\n" << dump(r);
  return Decimal(-1);
}

/// A payee's pay lines in one period as "kind tx amount".
inline std::vector<std::string> pay_lines(const LifecycleResult& r, std::string_view payee,
                                          std::string_view period) {
  std::vector<std::string> out;
  const auto& l = r.pay_lines;
  for (std::size_t i = 0; i < l.num_rows(); ++i) {
    if (l.strings("payee_id")[i] != payee || l.strings("period")[i] != period) continue;
    out.push_back(l.column("kind").text(i) + " " + l.column("transaction_id").text(i) + " " +
                  l.column("amount").text(i));
  }
  return out;
}

/// The lifecycle rejects as "source row id | reason".
inline std::vector<std::string> life_rejects(const LifecycleResult& r) {
  std::vector<std::string> out;
  const auto& t = r.rejects;
  for (std::size_t i = 0; i < t.num_rows(); ++i) {
    out.push_back(t.column("source").text(i) + " " + t.column("row").text(i) + " " +
                  t.column("id").text(i) + " | " + t.column("reason").text(i));
  }
  return out;
}

/// Per payee and period, the pay lines sum exactly to net_pay.
inline ::testing::AssertionResult pay_lines_sum_to_net(const LifecycleResult& r) {
  std::map<std::pair<std::string, std::string>, Decimal> sums;
  const auto& l = r.pay_lines;
  for (std::size_t i = 0; i < l.num_rows(); ++i) {
    sums[{std::string(l.strings("payee_id")[i]), std::string(l.strings("period")[i])}] +=
        l.values<Decimal>("amount")[i];
  }
  const auto& t = r.pay;
  for (std::size_t i = 0; i < t.num_rows(); ++i) {
    const std::pair<std::string, std::string> k{std::string(t.strings("payee_id")[i]),
                                                std::string(t.strings("period")[i])};
    const Decimal net = t.values<Decimal>("net_pay")[i];
    const Decimal sum = sums.count(k) ? sums[k] : Decimal(0);
    if (sum != net) {
      return ::testing::AssertionFailure() << k.first << " " << k.second << ": lines sum "
                                           << sum.to_string() << ", net pay " << net.to_string()
                                           << "\n" << dump(r);
    }
  }
  return ::testing::AssertionSuccess();
}

/// A flat 10% of bookings, quarterly, no quota needed; `head` adds plan fields.
inline Plan ten_percent(std::string_view head = "") {
  return plan(R"("measures": [{"id": "bookings"}], "components": [{"id": "commission",
      "measure": "bookings", "basis": "amount", "mode": "flat",
      "tiers": [{"from": "0", "rate": "10"}]}])", head);
}

}  // namespace spm::comp::test

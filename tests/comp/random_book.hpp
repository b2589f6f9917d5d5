// Seeded random books of business for the property and determinism tests: payees, transactions
// (with attributes, returns and split credits), quotas, scores and assignments, as CSV text.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <spm/core/date.hpp>
#include <spm/core/random.hpp>

namespace spm::comp::test {

struct BookOptions {
  int payees = 40;
  int transactions = 400;
  /// Quotas per month instead of per quarter.
  bool monthly = false;
  /// Some transactions are returns (negative amounts).
  bool returns = false;
  /// Some transactions are split between 2 or 3 payees.
  bool splits = true;
  /// Some payees join or leave during the year.
  bool assignments = false;
};

struct Book {
  std::string transactions, quotas, credits, scores, assignments;
  std::vector<std::string> payees;
};

inline std::string payee_name(int i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "P%03d", i);
  return buf;
}

/// "1234.56" from a count of cents.
inline std::string cents(std::int64_t c) {
  const bool negative = c < 0;
  const std::int64_t m = negative ? -c : c;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%lld.%02lld", negative ? "-" : "",
                static_cast<long long>(m / 100), static_cast<long long>(m % 100));
  return buf;
}

/// A book for plan year 2026 (calendar quarters or months). Transaction ids are not in date
/// order and many transactions share a date, so the canonical order matters.
inline Book random_book(std::uint64_t seed, const BookOptions& opt = {}) {
  Random rng(seed);
  Book b;
  for (int i = 0; i < opt.payees; ++i) b.payees.push_back(payee_name(i));
  auto pick = [&](int n) { return static_cast<int>(rng.below(static_cast<std::uint64_t>(n))); };
  const Date start(2026, 1, 1);
  const char* types[] = {"booking", "booking", "booking", "renewal"};
  const char* products[] = {"ENT", "SMB", "MID"};
  b.transactions = "transaction_id,payee_id,date,amount,units,type,product\n";
  b.credits = "transaction_id,payee_id,percent\n";
  for (int t = 0; t < opt.transactions; ++t) {
    // Ids scrambled against dates: T + (t * 7919 mod 1000003), distinct for a million rows.
    const std::string id = "T" + std::to_string((static_cast<std::int64_t>(t) * 7919) % 1000003);
    const std::string payee = b.payees[static_cast<std::size_t>(pick(opt.payees))];
    const Date d = start + pick(365);
    std::int64_t amount = 100 + static_cast<std::int64_t>(rng.below(4'000'000));
    if (opt.returns && pick(20) == 0) amount = -amount / 4;
    b.transactions += id + "," + payee + "," + d.to_string() + "," + cents(amount) + "," +
                      std::to_string(pick(12)) + "," + types[pick(4)] + "," + products[pick(3)] +
                      "\n";
    if (opt.splits && pick(8) == 0) {
      // 2 or 3 shares in hundredths of a percent, summing to exactly 100.
      const int k = 2 + pick(2);
      std::int64_t left = 10000;
      for (int s = 0; s < k; ++s) {
        // Leave at least 1 for each share still to come.
        const auto room = static_cast<std::uint64_t>(left - (k - s - 1));
        const std::int64_t share =
            s + 1 == k ? left : 1 + static_cast<std::int64_t>(rng.below(room));
        left -= share;
        b.credits += id + "," + b.payees[static_cast<std::size_t>((pick(opt.payees)))] + "," +
                     cents(share) + "\n";
      }
    }
  }
  b.quotas = "payee_id,period_start,quota\n";
  b.scores = "payee_id,period_start,score,value\n";
  const int periods = opt.monthly ? 12 : 4;
  for (const auto& p : b.payees) {
    for (int k = 0; k < periods; ++k) {
      const Date first = start.add_months(opt.monthly ? k : 3 * k);
      const std::int64_t quota = (opt.monthly ? 2'000'000 : 6'000'000) +
                                 static_cast<std::int64_t>(rng.below(6'000'000));
      b.quotas += p + "," + first.to_string() + "," + cents(quota) + "\n";
      b.scores += p + "," + first.to_string() + ",mbo," + std::to_string(pick(6)) + "." +
                  std::to_string(pick(10)) + "\n";
    }
  }
  b.assignments = "payee_id,from,to\n";
  for (const auto& p : b.payees) {
    if (!opt.assignments || pick(4) != 0) {
      b.assignments += p + ",2026-01-01,\n";
    } else if (pick(2) == 0) {
      b.assignments += p + "," + (start + 30 + pick(300)).to_string() + ",\n";  // joins
    } else {
      b.assignments += p + ",2026-01-01," + (start + 30 + pick(300)).to_string() + "\n";  // leaves
    }
  }
  return b;
}

}  // namespace spm::comp::test

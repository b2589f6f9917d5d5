// Payout lines as columns while they are computed, then as the result's lines table (private).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <spm/comp/plan.hpp>
#include <spm/io/table.hpp>

#include "inputs.hpp"

namespace spm::comp::detail {

/// What a line is; its name is the lines table's "kind".
enum class LineKind : std::uint8_t {
  tier, retro, cap, spif, step, gate, multiplier, true_up, floor, rounding
};
inline constexpr std::array<std::string_view, 10> line_kind_names{
    "tier", "retro", "cap", "spif", "step", "gate", "multiplier", "true_up", "floor", "rounding"};

inline constexpr std::uint32_t no_index = UINT32_MAX;

/// How a non-direct credit was made, as its lines show it: "split 60%", "rule account_id 100%",
/// or an indirect credit's path and percent.
std::string credit_label(const Prepared& p, std::size_t credit, const Plan& plan);

/// The lines of a contiguous range of payees, column by column (no string per line: payee,
/// period, component, kind, credit and note are codes; the transaction is its row).
class LineChunk {
 public:
  [[nodiscard]] std::size_t size() const noexcept { return amount_.size(); }
  /// Drops the lines from `n` on (a payee-period that failed or is not reported).
  void truncate(std::size_t n);
  void reserve(std::size_t n);
  /// A note's code in this chunk (notes repeat: one copy each).
  [[nodiscard]] std::uint32_t note(std::string text);
  /// The code of credit `k`'s name in this chunk: 0 for a direct credit.
  [[nodiscard]] std::uint32_t credit_name(const Prepared& p, std::size_t k, const Plan& plan);

  /// `credit`: index into Prepared::credits, or no_index for a line of no transaction.
  /// Flattened: GCC otherwise calls each column's push_back out of line.
  [[gnu::flatten]] void push(const Prepared& p, const Plan& plan, std::uint32_t payee, std::uint32_t period,
            std::uint32_t component, std::int64_t seq, LineKind kind, std::uint32_t credit,
            int tier, const Decimal* base, const Decimal* rate, const Decimal& amount,
            std::uint32_t note) {
    payee_.push_back(payee);
    period_.push_back(period);
    component_.push_back(component);
    seq_.push_back(seq);
    kind_.push_back(static_cast<std::uint32_t>(kind));
    if (credit == no_index) {
      tx_.push_back(no_index);
      date_.emplace_back();
      credit_.push_back(0);
      all_credited_ = false;
    } else {
      const Credit& c = p.credits[credit];
      tx_.push_back(c.tx);
      date_.push_back(c.date);
      credit_.push_back(c.share == Credit::whole ? 0 : credit_name(p, credit, plan));
    }
    tier_.push_back(tier);
    all_tiered_ &= tier > 0;
    base_valid_.push_back(base != nullptr);
    base_.push_back(base != nullptr ? *base : Decimal());
    rate_valid_.push_back(rate != nullptr);
    rate_.push_back(rate != nullptr ? *rate : Decimal());
    amount_.push_back(amount);
    note_.push_back(note);
    all_noted_ &= note != no_index;
  }

 private:
  friend io::Table assemble_lines(std::span<LineChunk> chunks, const Prepared& p,
                                  const Plan& plan,
                                  const std::vector<std::string>& period_labels,
                                  std::size_t threads);
  std::vector<std::uint32_t> payee_, period_, component_, kind_, tx_, credit_, note_;
  std::vector<Date> date_;
  std::vector<std::int64_t> seq_, tier_;
  std::vector<Decimal> base_, rate_, amount_;
  std::vector<std::uint8_t> base_valid_, rate_valid_;
  std::vector<std::string> notes_, credits_{"direct"};
  std::unordered_map<std::string, std::uint32_t> note_codes_, credit_codes_;
  // Whether every line so far has a transaction, a tier, a note (else the column needs nulls).
  // Truncation keeps them: a flag can be false for no remaining line, which only adds a mask.
  bool all_credited_ = true, all_tiered_ = true, all_noted_ = true;
};

/// The lines table from the chunks in order (payee order): payee_id, period, component, line,
/// kind, transaction_id, date, credit, tier, base, rate, amount, note (the string columns
/// dictionary-encoded: read them with strings()). Chunks are emptied; the
/// first chunk's columns become the table's (reserve it for every line: no copy when there is
/// one chunk, one copy of the others' lines otherwise).
io::Table assemble_lines(std::span<LineChunk> chunks, const Prepared& p, const Plan& plan,
                         const std::vector<std::string>& period_labels, std::size_t threads = 1);

}  // namespace spm::comp::detail

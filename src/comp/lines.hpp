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
  [[nodiscard]] std::size_t size() const noexcept { return n_; }
  /// Drops the lines from `n` on (a payee-period that failed or is not reported).
  void truncate(std::size_t n);
  void reserve(std::size_t n);
  /// A note's code in this chunk (notes repeat: one copy each).
  [[nodiscard]] std::uint32_t note(std::string text);
  /// The code of credit `k`'s name in this chunk: 0 for a direct credit.
  [[nodiscard]] std::uint32_t credit_name(const Prepared& p, std::size_t k, const Plan& plan);

  /// `credit`: index into Prepared::credits, or no_index for a line of no transaction.
  /// The columns grow a block of rows at a time, so a line is one room check and a store per
  /// column (push_back would check and move each column's end).
  void push(const Prepared& p, const Plan& plan, std::uint32_t payee, std::uint32_t period,
            std::uint32_t component, std::int64_t seq, LineKind kind, std::uint32_t credit,
            int tier, const Decimal* base, const Decimal* rate, const Decimal& amount,
            std::uint32_t note) {
    const std::uint32_t credit_code =
        credit == no_index || p.credits[credit].share == Credit::whole ? 0 : credit_name(p, credit, plan);
    if (n_ == payee_.size()) grow();
    const std::size_t i = n_++;
    // Pointers first: a byte stored below may alias any vector's fields.
    std::uint32_t* const payee_at = payee_.data();
    std::uint32_t* const period_at = period_.data();
    std::uint32_t* const component_at = component_.data();
    std::uint32_t* const kind_at = kind_.data();
    std::uint32_t* const tx_at = tx_.data();
    std::uint32_t* const credit_at = credit_.data();
    std::uint32_t* const note_at = note_.data();
    Date* const date_at = date_.data();
    std::int64_t* const seq_at = seq_.data();
    std::int64_t* const tier_at = tier_.data();
    Decimal* const base_at = base_.data();
    Decimal* const rate_at = rate_.data();
    Decimal* const amount_at = amount_.data();
    std::uint8_t* const base_valid_at = base_valid_.data();
    std::uint8_t* const rate_valid_at = rate_valid_.data();
    payee_at[i] = payee;
    period_at[i] = period;
    component_at[i] = component;
    seq_at[i] = seq;
    kind_at[i] = static_cast<std::uint32_t>(kind);
    if (credit == no_index) {
      tx_at[i] = no_index;
      date_at[i] = Date();
      all_credited_ = false;
    } else {
      const Credit& c = p.credits[credit];
      tx_at[i] = c.tx;
      date_at[i] = c.date;
    }
    credit_at[i] = credit_code;
    tier_at[i] = tier;
    all_tiered_ &= tier > 0;
    base_valid_at[i] = base != nullptr;
    base_at[i] = base != nullptr ? *base : Decimal();
    rate_valid_at[i] = rate != nullptr;
    rate_at[i] = rate != nullptr ? *rate : Decimal();
    amount_at[i] = amount;
    note_at[i] = note;
    all_noted_ &= note != no_index;
  }

 private:
  friend io::Table assemble_lines(std::span<LineChunk> chunks, const Prepared& p,
                                  const Plan& plan,
                                  const std::vector<std::string>& period_labels,
                                  std::size_t threads);
  // Every column holds payee_.size() rows (grown by blocks); the first n_ are lines.
  void grow();
  // Cuts every column to the n_ lines (before assembly).
  void fit();
  void resize_all(std::size_t n);
  std::size_t n_ = 0;
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

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

/// The lines of a contiguous range of payees, column by column (no string per line: payee,
/// period, component, kind and note are codes; the transaction is its credit's index).
class LineChunk {
 public:
  [[nodiscard]] std::size_t size() const noexcept { return amount_.size(); }
  /// Drops the lines from `n` on (a payee-period that failed or is not reported).
  void truncate(std::size_t n);
  void reserve(std::size_t n);
  /// A note's code in this chunk (notes repeat: one copy each).
  [[nodiscard]] std::uint32_t note(std::string text);

  void push(std::uint32_t payee, std::uint32_t period, std::uint32_t component,
            std::int64_t seq, LineKind kind, std::uint32_t credit, int tier,
            const Decimal* base, const Decimal* rate, const Decimal& amount,
            std::uint32_t note) {
    payee_.push_back(payee);
    period_.push_back(period);
    component_.push_back(component);
    seq_.push_back(seq);
    kind_.push_back(static_cast<std::uint32_t>(kind));
    credit_.push_back(credit);
    tier_.push_back(tier);
    base_valid_.push_back(base != nullptr);
    base_.push_back(base != nullptr ? *base : Decimal());
    rate_valid_.push_back(rate != nullptr);
    rate_.push_back(rate != nullptr ? *rate : Decimal());
    amount_.push_back(amount);
    note_.push_back(note);
  }

 private:
  friend io::Table assemble_lines(std::span<LineChunk> chunks, const Prepared& p,
                                  const Plan& plan,
                                  const std::vector<std::string>& period_labels);
  std::vector<std::uint32_t> payee_, period_, component_, kind_, credit_, note_;
  std::vector<std::int64_t> seq_, tier_;
  std::vector<Decimal> base_, rate_, amount_;
  std::vector<std::uint8_t> base_valid_, rate_valid_;
  std::vector<std::string> notes_;
  std::unordered_map<std::string, std::uint32_t> note_codes_;
};

/// The lines table from the chunks in order (payee order): payee_id, period, component, line,
/// kind, transaction_id, date, credit, tier, base, rate, amount, note. Chunks are emptied.
io::Table assemble_lines(std::span<LineChunk> chunks, const Prepared& p, const Plan& plan,
                         const std::vector<std::string>& period_labels);

}  // namespace spm::comp::detail

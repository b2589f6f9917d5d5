// Engine inputs after checking: interned payees, credits in canonical order, quotas, rejects.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include <spm/comp/engine.hpp>

namespace spm::comp::detail {

/// Rows that cannot be used, with reasons (becomes CompResult::rejects).
struct Rejects {
  std::vector<std::string> source, id, payee, period, reason;
  std::vector<std::int64_t> row;
  void add(std::string src, std::int64_t r, std::string i, std::string p, std::string per,
           std::string why);
  [[nodiscard]] io::Table table() &&;
};

/// One credit: a share of one transaction to one payee (24 bytes: millions of them are sorted).
struct Credit {
  /// How the credit was made: direct (the transaction's payee), split (credits table) or rule.
  enum class Source : std::uint8_t { direct, split, rule, rollup };
  static constexpr std::uint32_t whole = UINT32_MAX;
  std::uint32_t tx = 0;     ///< row in the transactions table
  std::uint32_t payee = 0;  ///< index into Prepared::payees
  Date date;
  std::uint32_t share = whole;  ///< index into Prepared::shares, or whole: 100% direct
  std::uint64_t key = 0;        ///< orders transaction ids (see prepare) without reading them
};

/// The share of a split, rule or indirect credit.
struct Share {
  Decimal percent;
  Credit::Source source = Credit::Source::split;
  std::uint32_t path = UINT32_MAX;  ///< an indirect credit's path, in Prepared::paths
};

/// Everything the per-payee computation reads, built once and shared read-only by threads.
struct Prepared {
  std::vector<std::string> payees;               ///< sorted ids
  std::vector<Credit> credits;                   ///< sorted by payee, date, transaction id
  std::vector<Share> shares;                     ///< of split, rule and indirect credits
  std::vector<std::string> paths;                ///< how indirect credits came (distinct)
  std::vector<std::size_t> payee_begin;          ///< credits of payee p: [begin[p], begin[p+1])
  std::vector<std::vector<Decimal>> value;       ///< per measure, per credit: contribution
  std::vector<std::vector<std::uint8_t>> passes; ///< per measure, per credit: filter passed
  std::vector<std::vector<std::uint8_t>> spif;   ///< per component, per credit (spif filters)
  /// Per SPIF component, the amount of each split or rule credit that earns it: the SPIF
  /// allocated over the split's shares, so that they add up to it exactly (rounded alone,
  /// 33.33/33.33/33.34% of 150 would pay 150.01). Made by split_spif_amounts.
  std::vector<std::map<std::uint32_t, Decimal>> spif_share;
  /// The splits (credits tables and rules): each list's payees and percents, in payee order,
  /// also payees not credited here; and the list of each split or rule credit.
  std::vector<std::vector<std::pair<std::uint32_t, Decimal>>> split_lists;
  std::map<std::uint32_t, std::uint32_t> split_list_of;
  /// (payee, measure, period start days) -> quota.
  std::map<std::tuple<std::uint32_t, std::size_t, std::int32_t>, Decimal> quotas;
  /// The same key -> target incentive, where the quota row gives one (target_incentive rates).
  std::map<std::tuple<std::uint32_t, std::size_t, std::int32_t>, Decimal> targets;
  /// Quotas already prorated to the days worked (column days_prorated): assignments do not
  /// prorate them again.
  std::set<std::tuple<std::uint32_t, std::size_t, std::int32_t>> days_prorated;
  /// Keys whose quota rows disagree (all rejected): a missing quota there says so.
  std::set<std::tuple<std::uint32_t, std::size_t, std::int32_t>> conflicting_quotas;
  /// (payee, score name, period start days) -> value.
  std::map<std::tuple<std::uint32_t, std::string, std::int32_t>, Decimal> scores;
  /// Assignment intervals per payee (empty vector and !has_assignments = always assigned).
  std::vector<std::vector<Period>> assigned;
  bool has_assignments = false;
  const std::vector<std::string>* tx_ids = nullptr;  ///< the transactions' id column
  /// The same strings, shared with the transactions table (copy on write): the lines' ids when
  /// every row has lines, instead of a copy.
  std::shared_ptr<const std::vector<std::string>> shared_tx_ids;
  const std::vector<Decimal>* fx_rate = nullptr;     ///< per transaction: rate used, 0 = none
  std::size_t after_range = 0;
  std::size_t before_range = 0;  ///< dated before the first computed pay period
  /// Worth a look, not errors: a measure or SPIF filter that no transaction passes (a typo in
  /// the plan zeroes a commission silently otherwise).
  std::vector<std::string> notes;

  /// Credit k's share in percent (100 for a direct credit).
  [[nodiscard]] Decimal percent(std::size_t k) const {
    return credits[k].share == Credit::whole ? Decimal(100) : shares[credits[k].share].percent;
  }
  [[nodiscard]] Credit::Source source(std::size_t k) const {
    return credits[k].share == Credit::whole ? Credit::Source::direct
                                             : shares[credits[k].share].source;
  }
  /// Gives the memory of credits [b, e) back (credits and their per-credit arrays) once they are
  /// computed: what is inside whole pages of `page` bytes reads as zeros afterwards.
  void release(std::size_t b, std::size_t e, std::size_t page);
  /// Frees the credits and their per-credit arrays (after the run: the lines do not read them).
  void free_credits();
};

/// The inputs with dictionary-encoded string columns decoded to plain text where the engine
/// reads them as text by row: every such column of the other tables, and the transactions'
/// columns named in `tx_text` (the engine reads the transactions' payee ids and filter columns
/// encoded as they are), and the integer columns read as decimals (the transactions'
/// `tx_decimals`, quota, percent, value, rate) as exact decimals, so that whole amounts or quotas
/// need no conversion. Tables with nothing to change are used as they are.
class PlainInputs {
 public:
  PlainInputs(const CompInputs& in, std::span<const std::string> tx_text,
              std::span<const std::string> tx_decimals);
  PlainInputs(const PlainInputs&) = delete;  // in_ points into copies_
  PlainInputs& operator=(const PlainInputs&) = delete;
  [[nodiscard]] const CompInputs& get() const noexcept { return in_; }

 private:
  CompInputs in_;
  std::deque<io::Table> copies_;  // a deque: the pointers in in_ stay valid as it grows
};

/// Where `table` has column `name`: the column spelling it exactly, else the one spelling it
/// with other case, edge blanks, or blanks or hyphens for underscores ("Payee ID"), as the CSV
/// reader matches headers; nullopt when none does, or several loosely.
std::optional<std::size_t> find_column(const io::Table& table, std::string_view name);
/// The column `name` of `table` (found by find_column; named `table_name` in messages), which must have `type`;
/// throws InvalidInputError "comp.column" naming the column and the fix otherwise.
const io::Column& need(const io::Table& table, const char* table_name, const char* name,
                       io::ColumnType type);
/// As need, but nullptr when the table has no such column.
const io::Column* maybe(const io::Table& table, const char* table_name, const char* name,
                        io::ColumnType type);

/// Per transaction row: does it pass the filter (every condition's column, as text, equals one
/// of its values)? Throws "comp.column" when a filter column is missing.
std::vector<std::uint8_t> filter_mask(const Filter& f, const io::Table& tx, std::size_t threads = 1);
/// Adds a note when `pass` (a filter's mask over a non-empty table) passes no row: which
/// condition matches nothing, the values its column holds, a case-only near miss.
void note_unmatched_filter(std::span<const std::uint8_t> pass, const Filter& f,
                           const io::Table& tx, const std::string& what,
                           std::vector<std::string>& notes,
                           std::string_view consequence = "it earns nothing");

/// Rows the CSV reader rejected, kept with a "_rejected" flag so that what they concern can be
/// rejected too (load_inputs); nullptr when the table has no such column.
/// `s` without its edge blanks (spaces and tabs).
inline std::string_view trim_blanks(std::string_view s) {
  const auto b = s.find_first_not_of(" \t");
  return b == std::string_view::npos ? std::string_view() : s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

/// An id as a spreadsheet may have mangled it: edge blanks trimmed, ASCII letters lower-cased,
/// the leading zeros of an all-digit id dropped ("T1 " and "t1" -> "t1", "00123" -> "123"). Ids
/// equal this way but not byte for byte are almost surely meant to be the same.
std::string loose_id(std::string_view id);

const std::vector<std::uint8_t>* rejected_rows(const io::Table& t, const char* name);

/// The first day a run over `range` computes: the start of its first pay period, or of the year
/// (or quarter) when true-ups or yearly limits need the earlier periods; never before the pay
/// period the plan takes effect in. Transactions before it belong to earlier runs.
[[nodiscard]] Date first_computed_day(const Plan& plan, const Period& range);

/// Checks columns, interns payees, credits transactions (splits allocated with conservation),
/// evaluates filters and measure contributions. Bad rows go to `rejects`.
/// `versions`: the effective dates of every version of the plan when it runs as one of several;
/// a transaction dated in another version's dates is left to that version (skipped here), one
/// outside all of them is rejected. Empty: `plan` is the only version.
/// `pre_rejected` (when given): per transaction row, already rejected (by currency conversion).
/// `threads`: for the passes over all rows (the result does not depend on it).
/// `first_day` (when given): transactions before it are counted in before_range and not
/// credited; by default first_computed_day(plan, range) (a what-if passes its variants' earliest).
/// A SPIF of `amount` allocated over each split that earns it (exactly, at `places`): per target
/// credit j whose mask is set and whose credit `full_credit[j]` of `full` (j itself when
/// `full_credit` is empty; UINT32_MAX: none) is a split or rule credit, its part. `amount` must
/// be at `places`.
std::map<std::uint32_t, Decimal> split_spif_amounts(const Prepared& full, const Decimal& amount, int places,
                                                   std::span<const std::uint32_t> full_credit,
                                                   std::span<const std::uint8_t> mask);

Prepared prepare(const Plan& plan, const CompInputs& in, const Period& range, Rejects& rejects,
                 std::span<const Period> versions = {},
                 const std::vector<std::uint8_t>* pre_rejected = nullptr, std::size_t threads = 1,
                 std::optional<Date> first_day = std::nullopt);

}  // namespace spm::comp::detail

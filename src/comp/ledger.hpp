// Each payee's pay ledger: commission released, clawbacks, adjustments, prior-period differences,
// amounts owed and draws, period by period (private to the lifecycle).
#pragma once

#include <map>
#include <span>
#include <string>
#include <vector>

#include <spm/comp/lifecycle.hpp>

#include "fx.hpp"
#include "lifecycle_inputs.hpp"
#include "releases.hpp"

namespace spm::comp::detail {

struct PayLine {
  std::size_t period = 0;
  std::string kind, tx, note;
  Decimal amount;
};

struct HeldRow {
  std::string tx;
  std::size_t period = 0;
  Held held;
};

/// One payee's book: what the commission runs and releases put in, then the ledger's result.
struct Book {
  explicit Book(std::size_t n)
      : statement(n), earned(n), booked(n), held_change(n) {}
  std::vector<std::uint8_t> statement;  ///< has a commission statement in the period
  std::vector<Decimal> earned, booked, held_change;
  std::vector<PayLine> tx_lines;  ///< releases and clawbacks of transactions
  std::vector<HeldRow> held;
  std::vector<PayLine> lines;     ///< the ledger's lines, in period order
  struct Row {
    std::size_t period;
    bool closed;
    Decimal released, held, adjustments, prior, clawbacks, brought, carried, draw, recovered,
        draw_balance, closed_difference, net;
    std::optional<Decimal> recomputed;
    std::optional<Decimal> fx_rate, local;  ///< in the payee's currency (null: no rate)
  };
  std::string currency;  ///< the payee's pay currency
  std::vector<Row> rows;
};

/// Every payee's book, by payee id.
class Books {
 public:
  explicit Books(const PeriodIndex& periods) : periods_(periods) {}
  Book& of(const std::string& payee) {
    return books_.try_emplace(payee, periods_.periods.size()).first->second;
  }
  std::map<std::string, Book>& all() { return books_; }
  [[nodiscard]] io::Table pay_table() const;
  [[nodiscard]] io::Table lines_table() const;
  [[nodiscard]] io::Table held_table() const;

 private:
  const PeriodIndex& periods_;
  std::map<std::string, Book> books_;
};

/// The commission runs under the recalculate clawback policy: one run per pay period in which
/// transactions are cancelled, without them (refunds: with the amount reduced); each period is
/// reported from the run that knows the cancellations up to it, and the difference that the
/// earlier periods would have paid goes into the books as clawback lines.
CompResult recalculated(std::span<const Plan> versions, const CompInputs& inputs,
                        const Period& range, const ExecutionContext& context,
                        const std::map<std::string, TxTimeline>& timelines,
                        const PeriodIndex& periods, Books& books);

/// Puts a commission result into the books: earned per period, released by the plan's release
/// schedule, and (original_rate) the clawbacks of the timelines' refunds. Returns the ids of
/// the cancellations passed over: dated before the range, of transactions with no lines in it.
std::vector<std::string> book_commission(const Plan& plan, const CompResult& commission,
                     const std::map<std::string, TxTimeline>& timelines,
                     const LifecycleData& data, const PeriodIndex& periods, Books& books,
                     Rejects& rejects);

/// Runs each payee's ledger over the periods: adjustments, prior-period differences of closed
/// periods, amounts owed (limit per period, carried forward), draws, forgiveness; then the net
/// pay in the payee's currency at `fx` (rates in force on each period's last day).
void book_ledger(const Plan& plan, const LifecycleData& data, const PeriodIndex& periods,
                 const FxRates& fx, Books& books, Rejects& rejects);

}  // namespace spm::comp::detail

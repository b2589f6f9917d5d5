#include "lines.hpp"

#include <memory>

namespace spm::comp::detail {
namespace {

using io::Column;

template <class T>
void append(std::vector<T>& out, std::vector<T>& in) {
  if (out.empty()) {
    out = std::move(in);  // one chunk (one thread): no copy
  } else {
    out.insert(out.end(), in.begin(), in.end());
  }
  std::vector<T>().swap(in);  // give the chunk's memory back before the next one is copied
}

template <class T>
std::shared_ptr<const std::vector<std::string>> names(const std::vector<T>& items) {
  auto out = std::make_shared<std::vector<std::string>>();
  for (const auto& i : items) out->push_back(i.id);
  return out;
}

}  // namespace

void LineChunk::truncate(std::size_t n) {
  for (auto* v : {&payee_, &period_, &component_, &kind_, &credit_, &note_}) v->resize(n);
  seq_.resize(n);
  tier_.resize(n);
  base_.resize(n);
  rate_.resize(n);
  amount_.resize(n);
  base_valid_.resize(n);
  rate_valid_.resize(n);
}

void LineChunk::reserve(std::size_t n) {
  for (auto* v : {&payee_, &period_, &component_, &kind_, &credit_, &note_}) v->reserve(n);
  seq_.reserve(n);
  tier_.reserve(n);
  base_.reserve(n);
  rate_.reserve(n);
  amount_.reserve(n);
  base_valid_.reserve(n);
  rate_valid_.reserve(n);
}

std::uint32_t LineChunk::note(std::string text) {
  const auto [it, fresh] =
      note_codes_.try_emplace(std::move(text), static_cast<std::uint32_t>(notes_.size()));
  if (fresh) notes_.push_back(it->first);
  return it->second;
}

io::Table assemble_lines(std::span<LineChunk> chunks, const Prepared& p, const Plan& plan,
                         const std::vector<std::string>& period_labels) {
  std::size_t total = 0;
  for (const auto& c : chunks) total += c.size();

  // Notes: chunk codes to one dictionary, in order of first use.
  auto notes = std::make_shared<std::vector<std::string>>();
  // Keyed by copies: views into `notes` would dangle when it grows (short strings move).
  std::unordered_map<std::string, std::uint32_t> note_codes;
  // Credits: "direct", "split 60%", "rule account_id 100%".
  auto credit_names = std::make_shared<std::vector<std::string>>(1, "direct");
  std::unordered_map<std::string, std::uint32_t> credit_codes;
  std::vector<std::uint32_t> credit_code;
  std::vector<std::uint8_t> has_credit, has_tier, has_note;
  // Transaction ids: codes into a copy of the id column in row order (a sequential copy) when
  // most transactions have lines, else the ids themselves (a gather).
  const bool id_codes = 2 * total >= p.tx_ids->size();
  std::vector<std::uint32_t> tx_code;
  std::vector<std::string> tx;
  std::vector<Date> date;
  std::vector<std::int64_t> tier;
  credit_code.reserve(total);
  has_credit.reserve(total);
  has_tier.reserve(total);
  has_note.reserve(total);
  if (id_codes) tx_code.reserve(total); else tx.reserve(total);
  date.reserve(total);
  bool any_null_credit = false, any_null_tier = false, any_null_note = false;
  std::vector<Decimal> fx;  // with an fx_rates input: the rate each line's transaction used
  std::vector<std::uint8_t> has_fx;
  LineChunk all;
  for (auto& c : chunks) {
    std::vector<std::uint32_t> remap;
    for (const auto& n : c.notes_) {
      const auto [it, fresh] =
          note_codes.try_emplace(n, static_cast<std::uint32_t>(notes->size()));
      if (fresh) notes->push_back(n);
      remap.push_back(it->second);
    }
    constexpr std::size_t ahead = 16;  // the ids are a random gather: fetch them early
    for (std::size_t i = 0; i < c.size(); ++i) {
      if (!id_codes && i + ahead < c.size() && c.credit_[i + ahead] != no_index) {
        __builtin_prefetch(&(*p.tx_ids)[p.credits[c.credit_[i + ahead]].tx]);
      }
      std::uint32_t& n = c.note_[i];
      has_note.push_back(n != no_index);
      any_null_note |= n == no_index;
      n = n == no_index ? 0 : remap[n];
      const std::uint32_t k = c.credit_[i];
      has_credit.push_back(k != no_index);
      if (p.fx_rate != nullptr) {
        const Decimal r = k == no_index ? Decimal(0) : (*p.fx_rate)[p.credits[k].tx];
        fx.push_back(r);
        has_fx.push_back(!r.is_zero());
      }
      if (k == no_index) {
        any_null_credit = true;
        credit_code.push_back(0);
        if (id_codes) tx_code.push_back(0); else tx.emplace_back();
        date.emplace_back();
      } else {
        const Credit& cr = p.credits[k];
        if (id_codes) tx_code.push_back(cr.tx); else tx.push_back((*p.tx_ids)[cr.tx]);
        date.push_back(cr.date);
        const Credit::Source source = p.source(k);
        if (source == Credit::Source::direct) {
          credit_code.push_back(0);
        } else {
          std::string name =
              source == Credit::Source::rollup
                  ? p.paths[p.shares[cr.share].path] + " " + p.percent(k).to_string() + "%"
                  : (source == Credit::Source::split ? "split " : "rule " + plan.credit_by + " ") +
                        p.percent(k).to_string() + "%";
          const auto [it, fresh] = credit_codes.try_emplace(
              std::move(name), static_cast<std::uint32_t>(credit_names->size()));
          if (fresh) credit_names->push_back(it->first);
          credit_code.push_back(it->second);
        }
      }
      has_tier.push_back(c.tier_[i] > 0);
      any_null_tier |= c.tier_[i] <= 0;
    }
    append(all.payee_, c.payee_);
    append(all.period_, c.period_);
    append(all.component_, c.component_);
    append(all.kind_, c.kind_);
    append(all.note_, c.note_);
    append(all.seq_, c.seq_);
    append(all.tier_, c.tier_);
    append(all.base_, c.base_);
    append(all.rate_, c.rate_);
    append(all.amount_, c.amount_);
    append(all.base_valid_, c.base_valid_);
    append(all.rate_valid_, c.rate_valid_);
    c = LineChunk();
  }
  auto kinds = std::make_shared<std::vector<std::string>>(line_kind_names.begin(),
                                                          line_kind_names.end());
  auto labels = std::make_shared<std::vector<std::string>>(period_labels);
  auto payees = std::make_shared<std::vector<std::string>>(p.payees);

  io::Table t;
  t.add(Column::dictionary("payee_id", std::move(payees), std::move(all.payee_)));
  t.add(Column::dictionary("period", std::move(labels), std::move(all.period_)));
  t.add(Column::dictionary("component", names(plan.components), std::move(all.component_)));
  t.add(Column::of("line", std::move(all.seq_)));
  t.add(Column::dictionary("kind", std::move(kinds), std::move(all.kind_)));
  // Null masks only where a value can be missing (a mask is a byte a row).
  auto nullable = [](Column c, const std::vector<std::uint8_t>& valid, bool any_null) {
    if (any_null) c.set_validity(valid);
    return c;
  };
  if (id_codes) {
    t.add(Column::dictionary("transaction_id", std::make_shared<std::vector<std::string>>(*p.tx_ids),
                             std::move(tx_code),
                             any_null_credit ? has_credit : std::vector<std::uint8_t>{}));
  } else {
    t.add(nullable(Column::of("transaction_id", std::move(tx)), has_credit, any_null_credit));
  }
  t.add(nullable(Column::of("date", std::move(date)), has_credit, any_null_credit));
  t.add(Column::dictionary("credit", std::move(credit_names), std::move(credit_code),
                           any_null_credit ? std::move(has_credit) : std::vector<std::uint8_t>{}));
  t.add(nullable(Column::of("tier", std::move(all.tier_)), has_tier, any_null_tier));
  Column base = Column::of("base", std::move(all.base_));
  Column rate = Column::of("rate", std::move(all.rate_));
  t.add(nullable(std::move(base), all.base_valid_, true));
  t.add(nullable(std::move(rate), all.rate_valid_, true));
  Column amount = Column::of("amount", std::move(all.amount_));
  amount.set_min_places(plan.rounding_places);
  t.add(std::move(amount));
  t.add(Column::dictionary("note", std::move(notes), std::move(all.note_),
                           any_null_note ? std::move(has_note) : std::vector<std::uint8_t>{}));
  if (p.fx_rate != nullptr) {
    Column rates = Column::of("fx_rate", std::move(fx));
    rates.set_validity(std::move(has_fx));
    t.add(std::move(rates));
  }
  return t;
}

}  // namespace spm::comp::detail

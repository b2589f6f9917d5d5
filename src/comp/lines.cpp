#include "lines.hpp"

#include "../core/huge_pages.hpp"

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>

#include "../core/workers.hpp"

namespace spm::comp::detail {
namespace {

using io::Column;

// Appends `in` to `out` (whose capacity was reserved for every line: no reallocation) and
// frees `in`: by pieces, each given back once copied, so a column is not held twice.
template <class T>
void append(std::vector<T>& out, std::vector<T>& in) {
  constexpr std::size_t piece = (std::size_t{4} << 20) / sizeof(T);
  for (std::size_t i = 0; i < in.size(); i += piece) {
    const std::size_t e = std::min(in.size(), i + piece);
    out.insert(out.end(), in.begin() + static_cast<std::ptrdiff_t>(i), in.begin() + static_cast<std::ptrdiff_t>(e));
    spm::detail::release_pages(in.data(), e * sizeof(T));
  }
  std::vector<T>().swap(in);
}

template <class T>
std::shared_ptr<const std::vector<std::string>> names(const std::vector<T>& items) {
  auto out = std::make_shared<std::vector<std::string>>();
  for (const auto& i : items) out->push_back(i.id);
  return out;
}

// Codes of one chunk's dictionary in the merged dictionary (added in order of first use).
std::vector<std::uint32_t> merge(const std::vector<std::string>& chunk_names,
                                 std::vector<std::string>& all,
                                 std::unordered_map<std::string, std::uint32_t>& codes) {
  std::vector<std::uint32_t> remap;
  for (const auto& n : chunk_names) {
    const auto [it, fresh] = codes.try_emplace(n, static_cast<std::uint32_t>(all.size()));
    if (fresh) all.push_back(n);
    remap.push_back(it->second);
  }
  return remap;
}

bool identity(const std::vector<std::uint32_t>& remap) {
  for (std::size_t i = 0; i < remap.size(); ++i) {
    if (remap[i] != i) return false;
  }
  return true;
}

}  // namespace

std::string credit_label(const Prepared& p, std::size_t k, const Plan& plan) {
  const Credit& c = p.credits[k];
  const Credit::Source source = p.source(k);
  if (source == Credit::Source::direct) return "direct";
  if (source == Credit::Source::rollup) {
    return p.paths[p.shares[c.share].path] + " " + p.percent(k).to_string() + "%";
  }
  return (source == Credit::Source::split ? "split " : "rule " + plan.credit_by + " ") +
         p.percent(k).to_string() + "%";
}

void LineChunk::truncate(std::size_t n) { n_ = std::min(n_, n); }

void LineChunk::fit() { resize_all(n_); }

void LineChunk::grow() {
  // A block of 512 rows (52 KiB) stays in cache while its lines are written.
  resize_all(payee_.size() + 512);
}

void LineChunk::resize_all(std::size_t n) {
  for (auto* v : {&payee_, &period_, &component_, &kind_, &tx_, &credit_, &note_}) v->resize(n);
  date_.resize(n);
  seq_.resize(n);
  tier_.resize(n);
  base_.resize(n);
  rate_.resize(n);
  amount_.resize(n);
  base_valid_.resize(n);
  rate_valid_.resize(n);
}

void LineChunk::reserve(std::size_t n) {
  using spm::detail::reserve_huge;
  for (auto* v : {&payee_, &period_, &component_, &kind_, &tx_, &credit_, &note_}) reserve_huge(*v, n);
  reserve_huge(date_, n);
  reserve_huge(seq_, n);
  reserve_huge(tier_, n);
  reserve_huge(base_, n);
  reserve_huge(rate_, n);
  reserve_huge(amount_, n);
  reserve_huge(base_valid_, n);
  reserve_huge(rate_valid_, n);
}

std::uint32_t LineChunk::note(std::string text) {
  const auto [it, fresh] =
      note_codes_.try_emplace(std::move(text), static_cast<std::uint32_t>(notes_.size()));
  if (fresh) notes_.push_back(it->first);
  return it->second;
}

std::uint32_t LineChunk::credit_name(const Prepared& p, std::size_t k, const Plan& plan) {
  const auto [it, fresh] = credit_codes_.try_emplace(credit_label(p, k, plan),
                                                     static_cast<std::uint32_t>(credits_.size()));
  if (fresh) credits_.push_back(it->first);
  return it->second;
}

io::Table assemble_lines(std::span<LineChunk> chunks, const Prepared& p, const Plan& plan,
                         const std::vector<std::string>& period_labels, std::size_t threads) {
  // Notes and credit names: each chunk's codes to one dictionary, in order of first use; the
  // chunks are recoded in parallel (nothing to do for one chunk).
  auto notes = std::make_shared<std::vector<std::string>>();
  auto credit_names = std::make_shared<std::vector<std::string>>();
  std::unordered_map<std::string, std::uint32_t> note_codes, credit_codes;
  std::vector<std::vector<std::uint32_t>> note_remap, credit_remap;
  bool all_credited = true, all_tiered = true, all_noted = true;
  for (auto& c : chunks) {
    c.fit();
    note_remap.push_back(merge(c.notes_, *notes, note_codes));
    credit_remap.push_back(merge(c.credits_, *credit_names, credit_codes));
    all_credited &= c.all_credited_;
    all_tiered &= c.all_tiered_;
    all_noted &= c.all_noted_;
  }
  spm::detail::for_each_range(threads, chunks.size(), chunks.size(),
                              [&](std::size_t, std::size_t b, std::size_t e) {
    for (std::size_t k = b; k < e; ++k) {
      LineChunk& c = chunks[k];
      if (!identity(note_remap[k])) {
        for (auto& n : c.note_) n = n == no_index ? n : note_remap[k][n];
      }
      if (!identity(credit_remap[k])) {
        for (auto& n : c.credit_) n = credit_remap[k][n];
      }
    }
  });
  // Transaction ids: a dictionary of the ids of the transactions with lines, in row order (a
  // sequential copy, never a gather of strings); each line's row becomes a code into it.
  const std::size_t rows = p.tx_ids->size();
  std::vector<std::uint8_t> used(rows, 0);
  // Chunks on threads: two may mark one row (the shares of a split), with the same byte.
  spm::detail::for_each_range(threads, chunks.size(), chunks.size(),
                              [&](std::size_t, std::size_t b, std::size_t e) {
    for (std::size_t k = b; k < e; ++k) {
      for (const auto t : chunks[k].tx_) {
        if (t != no_index) std::atomic_ref<std::uint8_t>(used[t]).store(1, std::memory_order_relaxed);
      }
    }
  });
  // When every row has lines (so every id is distinct and used), the dictionary is the
  // transactions' own id column, shared, not copied.
  std::shared_ptr<const std::vector<std::string>> ids;
  std::vector<std::uint32_t> code_of;  // per row: its code (left empty when every row has lines)
  auto copy_ids = [&] {
    const auto referenced = static_cast<std::size_t>(std::count(used.begin(), used.end(), 1));
    if (referenced == rows && p.shared_tx_ids) {
      ids = p.shared_tx_ids;
      return;
    }
    auto copy = std::make_shared<std::vector<std::string>>();
    copy->reserve(referenced);
    if (referenced < rows) code_of.assign(rows, no_index);
    for (std::size_t r = 0; r < rows; ++r) {
      if (!used[r]) continue;
      if (!code_of.empty()) code_of[r] = static_cast<std::uint32_t>(copy->size());
      copy->push_back((*p.tx_ids)[r]);
    }
    ids = std::move(copy);
  };
  // The first chunk's columns grow to hold every line (reserved by the caller). Threads take
  // whole jobs: a column each, and the copy of the ids.
  std::size_t total = 0;
  for (const auto& c : chunks) total += c.size();
  LineChunk& all = chunks.front();
  auto each = [&](auto member) {
    return [&chunks, member] {
      for (std::size_t k = 1; k < chunks.size(); ++k) append(chunks.front().*member, chunks[k].*member);
    };
  };
  std::vector<std::function<void()>> jobs{copy_ids};
  if (chunks.size() > 1) {
    for (auto m : {&LineChunk::payee_, &LineChunk::period_, &LineChunk::component_,
                   &LineChunk::kind_, &LineChunk::tx_, &LineChunk::credit_, &LineChunk::note_}) {
      jobs.push_back(each(m));
    }
    jobs.push_back(each(&LineChunk::date_));
    jobs.push_back(each(&LineChunk::seq_));
    jobs.push_back(each(&LineChunk::tier_));
    for (auto m : {&LineChunk::base_, &LineChunk::rate_, &LineChunk::amount_}) jobs.push_back(each(m));
    for (auto m : {&LineChunk::base_valid_, &LineChunk::rate_valid_}) jobs.push_back(each(m));
  }
  spm::detail::for_each_range(threads, jobs.size(), jobs.size(),
                              [&](std::size_t, std::size_t b, std::size_t e) {
    for (std::size_t j = b; j < e; ++j) jobs[j]();
  });
  for (std::size_t k = 1; k < chunks.size(); ++k) chunks[k] = LineChunk();
  // Null masks only where a value can be missing (a mask is a byte a row).
  std::vector<std::uint8_t> has_credit, has_tier, has_note;
  if (!all_credited) has_credit.resize(total);
  if (!all_tiered) has_tier.resize(total);
  if (!all_noted) has_note.resize(total);
  std::vector<Decimal> fx;  // with an fx_rates input: the rate each line's transaction used
  std::vector<std::uint8_t> has_fx;
  if (p.fx_rate != nullptr) {
    for (const auto t : all.tx_) {
      const Decimal r = t == no_index ? Decimal(0) : (*p.fx_rate)[t];
      fx.push_back(r);
      has_fx.push_back(!r.is_zero());
    }
  }
  // Masks and codes by ranges of lines on threads (each line reads the transaction it had).
  // One loop per array (each vectorises).
  spm::detail::for_each_range(threads, threads, total, [&](std::size_t, std::size_t b, std::size_t e) {
    if (!all_credited) {
      for (std::size_t i = b; i < e; ++i) has_credit[i] = all.tx_[i] != no_index;
    }
    if (!all_tiered) {
      for (std::size_t i = b; i < e; ++i) has_tier[i] = all.tier_[i] > 0;
    }
    if (!all_noted) {
      for (std::size_t i = b; i < e; ++i) {
        has_note[i] = all.note_[i] != no_index;
        if (!has_note[i]) all.note_[i] = 0;
      }
    }
    if (code_of.empty()) {
      for (std::size_t i = b; i < e; ++i) all.tx_[i] = all.tx_[i] == no_index ? 0 : all.tx_[i];
    } else {
      for (std::size_t i = b; i < e; ++i) all.tx_[i] = all.tx_[i] == no_index ? 0 : code_of[all.tx_[i]];
    }
  });
  Column tx_ids = Column::dictionary("transaction_id", std::move(ids), std::move(all.tx_), has_credit);
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
  t.add(std::move(tx_ids));
  Column date = Column::of("date", std::move(all.date_));
  date.set_validity(has_credit);
  t.add(std::move(date));
  t.add(Column::dictionary("credit", std::move(credit_names), std::move(all.credit_), std::move(has_credit)));
  Column tier = Column::of("tier", std::move(all.tier_));
  tier.set_validity(std::move(has_tier));
  t.add(std::move(tier));
  Column base = Column::of("base", std::move(all.base_));
  base.set_validity(std::move(all.base_valid_));
  t.add(std::move(base));
  Column rate = Column::of("rate", std::move(all.rate_));
  rate.set_validity(std::move(all.rate_valid_));
  t.add(std::move(rate));
  Column amount = Column::of("amount", std::move(all.amount_));
  amount.set_min_places(plan.rounding_places);
  t.add(std::move(amount));
  t.add(Column::dictionary("note", std::move(notes), std::move(all.note_), std::move(has_note)));
  if (p.fx_rate != nullptr) {
    Column rates = Column::of("fx_rate", std::move(fx));
    rates.set_validity(std::move(has_fx));
    t.add(std::move(rates));
  }
  return t;
}

}  // namespace spm::comp::detail

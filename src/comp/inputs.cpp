#include "inputs.hpp"

#include <spm/io/csv.hpp>

#include "../core/edit_distance.hpp"
#include "../core/hash.hpp"
#include "../core/huge_pages.hpp"
#include "../core/interner.hpp"
#include "../core/workers.hpp"
#include "rollup.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <set>
#include <span>
#include <cstring>
#include <numeric>
#include <unordered_map>
#include <unordered_set>

#include <spm/core/allocate.hpp>
#include <spm/core/error.hpp>

namespace spm::comp::detail {

using io::Column;
using io::ColumnType;
using io::Table;

std::optional<std::size_t> find_column(const Table& t, std::string_view name) {
  if (const auto i = t.find(std::string(name))) return i;
  std::vector<std::string> names;
  for (const auto& c : t.columns()) names.push_back(c.name());
  return io::find_header(names, name);
}

// "; columns 'Payee ID' and 'payee-id' both read as 'payee_id': rename one" when several
// columns spell `name` loosely (find_column then finds none), else "".
std::string alike_columns(const Table& t, std::string_view name) {
  std::vector<std::string> alike;
  for (const auto& c : t.columns()) {
    const std::string one[] = {c.name()};
    if (io::find_header(one, name)) alike.push_back(c.name());
  }
  if (alike.size() < 2) return {};
  return "; columns '" + alike[0] + "' and '" + alike[1] + "' both read as '" + std::string(name) +
         "': rename one";
}

const Column& need(const Table& t, const char* table, const char* name, ColumnType type) {
  const auto i = find_column(t, name);
  if (const std::string alike = i ? std::string() : alike_columns(t, name); !alike.empty()) {
    throw InvalidInputError("comp.column", std::string(table) + "." + name,
                            "the " + std::string(table) + " table needs a column '" + name + "'" + alike);
  }
  if (!i) {
    throw InvalidInputError("comp.column", std::string(table) + "." + name,
                            "the " + std::string(table) + " table needs a column '" + name +
                                "' of type " + std::string(io::to_string(type)));
  }
  const Column& c = t.columns()[*i];
  if (c.type() != type) {
    std::string fix;
    if (c.type() == ColumnType::float64 && type == ColumnType::decimal) {
      fix = " (binary floats are not exact money: give decimals, or the amounts as text, which "
            "parses exactly)";
    } else if (c.type() == ColumnType::string &&
               (type == ColumnType::decimal || type == ColumnType::date)) {
      fix = " (convert the text first with io::convert_strings; Python's spm.comp does it itself)";
    }
    // Arrow's float32 and float64 both arrive as float64: named by what they are.
    const std::string held = c.type() == ColumnType::float64 ? "binary floating-point (float32 or float64)"
                                                             : std::string(io::to_string(c.type()));
    throw InvalidInputError("comp.column", std::string(table) + "." + name,
                            "column holds " + held + " values; it must be " +
                                std::string(io::to_string(type)) + fix);
  }
  return c;
}

const Column* maybe(const Table& t, const char* table, const char* name, ColumnType type) {
  return find_column(t, name) ? &need(t, table, name, type) : nullptr;
}

PlainInputs::PlainInputs(const CompInputs& in, std::span<const std::string> tx_text,
                         std::span<const std::string> tx_decimals)
    : in_(in) {
  // The columns each table's engine code reads as decimals (the transactions': the caller's).
  const std::vector<std::string> quota{"quota", "target_incentive"}, percent{"percent"}, value{"value"}, rate{"rate"};
  const std::pair<const io::Table**, std::span<const std::string>> tables[] = {
      {&in_.transactions, tx_decimals}, {&in_.quotas, quota}, {&in_.credits, percent},
      {&in_.credit_rules, percent}, {&in_.assignments, {}}, {&in_.scores, value},
      {&in_.hierarchy, {}}, {&in_.relationships, {}}, {&in_.fx_rates, rate}};
  for (const auto& [t, decimals] : tables) {
    if (*t == nullptr) continue;
    // In the transactions only the columns read as text by row; the others stay encoded.
    const bool all = t != &in_.transactions;
    // Whole numbers where the engine reads decimals (amounts, quotas, percents): exact as
    // decimals. Other integer columns stay as they are (an int id is refused by name).
    auto whole = [&, &decimals = decimals](const Column& c) {
      return c.type() == io::ColumnType::integer &&
             std::any_of(decimals.begin(), decimals.end(), [&](const std::string& d) {
               const auto at = find_column(**t, d);
               return at && &(*t)->columns()[*at] == &c;
             });
    };
    auto decode = [&](const Column& c) {
      return whole(c) ||
             (c.is_dictionary() &&
              (all || std::any_of(tx_text.begin(), tx_text.end(), [&](const std::string& name) {
                 const auto at = find_column(**t, name);
                 return at && &(*t)->columns()[*at] == &c;
               })));
    };
    const auto& columns = (*t)->columns();
    if (std::none_of(columns.begin(), columns.end(), decode)) continue;
    Table plain;
    for (const Column& c : columns) {
      if (!decode(c)) {
        plain.add(c);
        continue;
      }
      if (whole(c)) {
        std::vector<Decimal> v;
        v.reserve(c.size());
        for (const std::int64_t x : c.values<std::int64_t>()) v.emplace_back(x);
        Column exact = Column::of(c.name(), std::move(v));
        exact.set_validity(c.validity());
        plain.add(std::move(exact));
        continue;
      }
      std::vector<std::string> text;
      text.reserve(c.size());
      const io::StringsView view = c.strings();
      for (std::size_t r = 0; r < c.size(); ++r) text.emplace_back(view[r]);
      Column decoded = Column::of(c.name(), std::move(text));
      decoded.set_validity(c.validity());
      plain.add(std::move(decoded));
    }
    copies_.push_back(std::move(plain));
    *t = &copies_.back();
  }
}

// Filter: every condition's column (as text) equals one of its values. Rows are split across
// `threads`.
std::vector<std::uint8_t> filter_mask(const Filter& f, const Table& tx, std::size_t threads) {
  const std::size_t n = tx.num_rows();
  std::vector<std::uint8_t> pass(n, 1);
  for (const auto& cond : f.conditions) {
    const auto i = find_column(tx, cond.column);
    if (!i) {
      throw InvalidInputError("comp.column", "transactions." + cond.column,
                              "a plan filter uses column '" + cond.column +
                                  "', which the transactions table does not have" +
                                  alike_columns(tx, cond.column));
    }
    const Column& col = tx.columns()[*i];
    auto match = [&](std::string_view v) {
      for (const auto& w : cond.values) {
        if (spm::detail::same_bytes(v, w)) return std::uint8_t{1};
      }
      return std::uint8_t{0};
    };
    const spm::detail::Needle one(cond.values.size() == 1 ? std::string_view(cond.values[0]) : std::string_view());
    // A dictionary-encoded column: each distinct value matched once.
    std::vector<std::uint8_t> entry_match;
    const io::DictionaryStrings* dict =
        col.is_dictionary() ? &std::get<io::DictionaryStrings>(col.data()) : nullptr;
    if (dict != nullptr) {
      for (const auto& v : *dict->dictionary) entry_match.push_back(match(v));
    }
    const std::uint8_t null_match = match(std::string_view());
    // Raw pointers: a byte written to `pass` could alias any vector's fields, so the compiler
    // would reload them every row.
    std::uint8_t* const out = pass.data();
    const std::uint8_t* const valid = col.has_nulls() ? col.validity().data() : nullptr;
    spm::detail::for_each_range(threads, threads, n, [&](std::size_t, std::size_t b, std::size_t e) {
      if (dict != nullptr) {
        const std::uint32_t* const codes = dict->codes.data();
        const std::uint8_t* const entry = entry_match.data();
        const std::uint8_t if_null = null_match;
        for (std::size_t r = b; r < e; ++r) {
          if (out[r]) out[r] = valid != nullptr && valid[r] == 0 ? if_null : entry[codes[r]];
        }
      } else if (col.type() == ColumnType::string && one.usable()) {
        // The common filter: one short value (a null row is no match).
        const std::string* const text = col.values<std::string>().data();
        for (std::size_t r = b; r < e; ++r) {
          if (out[r]) out[r] = one(text[r]) && (valid == nullptr || valid[r] != 0);
        }
      } else if (col.type() == ColumnType::string) {
        const std::string* const text = col.values<std::string>().data();
        for (std::size_t r = b; r < e; ++r) {
          if (out[r]) out[r] = valid != nullptr && valid[r] == 0 ? null_match : match(text[r]);
        }
      } else {
        for (std::size_t r = b; r < e; ++r) {
          if (pass[r]) pass[r] = match(col.text(r));  // other types compare by their text form
        }
      }
    });
  }
  return pass;
}

namespace {

// "; did you mean 'booking'?" for the value of `present` nearest to `typed` (case aside, or up
// to two edits for words of five letters or more), else "".
std::string near_miss(const std::set<std::string>& present, std::string_view typed) {
  const std::size_t limit = typed.size() >= 5 ? 2 : 0;
  std::string best;
  std::size_t best_d = limit + 1;
  for (const auto& v : present) {
    const std::size_t d = spm::detail::edit_distance(v, typed);
    if (d < best_d && v != typed) {
      best_d = d;
      best = v;
    }
  }
  return best.empty() ? "" : "; did you mean '" + best + "'?";
}

// Up to `most` distinct values (as text) of a column, for messages.
std::set<std::string> some_values(const Column& col, std::size_t most) {
  std::set<std::string> present;
  for (std::size_t r = 0; r < col.size() && present.size() < most; ++r) {
    if (!col.is_null(r)) present.insert(col.text(r));
  }
  return present;
}

// A list filter (type in [a, b]) one of whose values no transaction holds: usually a typo that
// silently drops those deals, while the other values still match. Stops scanning a column as
// soon as every value is seen, which is at once in the common case.
void note_unmatched_values(const Filter& f, const Table& tx, const std::string& what,
                           std::vector<std::string>& notes) {
  for (const auto& cond : f.conditions) {
    if (cond.values.size() < 2) continue;
    const Column& col = tx.columns()[*find_column(tx, cond.column)];
    std::vector<std::uint8_t> seen(cond.values.size(), 0);
    std::size_t left = cond.values.size();
    auto see = [&](std::string_view v) {
      for (std::size_t k = 0; k < cond.values.size(); ++k) {
        if (!seen[k] && cond.values[k] == v) {
          seen[k] = 1;
          --left;
        }
      }
    };
    if (col.is_dictionary()) {
      for (const auto& v : *std::get<io::DictionaryStrings>(col.data()).dictionary) see(v);
    } else {
      for (std::size_t r = 0; r < col.size() && left > 0; ++r) see(col.is_null(r) ? "" : col.text(r));
    }
    if (left == 0) continue;
    const auto present = some_values(col, 256);
    for (std::size_t k = 0; k < cond.values.size(); ++k) {
      if (seen[k]) continue;
      notes.push_back(what + ": the value '" + cond.values[k] + "' of its filter " + cond.column +
                      " matches no transaction" + near_miss(present, cond.values[k]) +
                      "; the filter's other values still match");
    }
  }
}

// ASCII case and edge blanks aside, a == b.
bool loosely_equal(std::string_view a, std::string_view b) {
  a = trim_blanks(a);
  b = trim_blanks(b);
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto x = static_cast<unsigned char>(a[i]), y = static_cast<unsigned char>(b[i]);
    if (x != y && std::tolower(x) != std::tolower(y)) return false;
  }
  return true;
}

// Rows whose filter column differs from one of its values only by case or edge blanks ("won",
// "Won " for "Won"), the usual accident of hand-typed CRM fields: silently left out otherwise.
void note_near_values(const Filter& f, const Table& tx, const std::string& what,
                      std::vector<std::string>& notes) {
  for (const auto& cond : f.conditions) {
    const Column& col = tx.columns()[*find_column(tx, cond.column)];
    if (col.type() != ColumnType::string) continue;
    std::size_t shortest = SIZE_MAX;
    for (const auto& w : cond.values) shortest = std::min(shortest, w.size());
    // "" if v is a value or unlike all of them, else the value it nearly is.
    auto near_to = [&](std::string_view v) -> const std::string* {
      if (v.size() < shortest) return nullptr;  // trimming only shortens: a quick no
      const std::string* like = nullptr;
      for (const auto& w : cond.values) {
        if (v == w) return nullptr;
        if (like == nullptr && loosely_equal(v, w)) like = &w;
      }
      return like;
    };
    std::map<std::string, std::size_t> rows;  // a near value -> its rows
    if (col.is_dictionary()) {
      const auto& d = std::get<io::DictionaryStrings>(col.data());
      std::vector<std::uint8_t> is_near(d.dictionary->size(), 0);
      bool any = false;
      for (std::size_t k = 0; k < is_near.size(); ++k) any |= (is_near[k] = near_to((*d.dictionary)[k]) != nullptr) != 0;
      if (!any) continue;
      for (std::size_t r = 0; r < col.size(); ++r) {
        if (!col.is_null(r) && is_near[d.codes[r]]) ++rows[(*d.dictionary)[d.codes[r]]];
      }
    } else {
      const auto& text = col.values<std::string>();
      for (std::size_t r = 0; r < col.size(); ++r) {
        if (near_to(text[r]) != nullptr && !col.is_null(r)) ++rows[text[r]];
      }
    }
    if (rows.empty()) continue;
    std::string listed;
    std::size_t total = 0;
    for (const auto& [v, k] : rows) {
      listed += (listed.empty() ? "'" : ", '") + v + "' (" + std::to_string(k) + (k == 1 ? " row)" : " rows)");
      total += k;
    }
    notes.push_back(what + ": its filter " + cond.column + " leaves out " + std::to_string(total) +
                    (total == 1 ? " transaction" : " transactions") + " whose value differs from the filter's only by "
                    "case or blanks: " + listed + "; fix the data, or add the value to the filter");
  }
}

}  // namespace

void note_unmatched_filter(std::span<const std::uint8_t> pass, const Filter& f, const Table& tx,
                           const std::string& what, std::vector<std::string>& notes,
                           std::string_view consequence) {
  if (pass.empty()) return;
  if (std::find(pass.begin(), pass.end(), 1) != pass.end()) {
    note_near_values(f, tx, what, notes);
    note_unmatched_values(f, tx, what, notes);
    return;
  }
  // Rare: say which condition matches nothing, with the values the column has.
  for (const auto& cond : f.conditions) {
    const Column& col = tx.columns()[*find_column(tx, cond.column)];
    bool any = false;
    for (std::size_t r = 0; r < col.size() && !any; ++r) {
      const std::string v = col.is_null(r) ? "" : col.text(r);
      any = std::find(cond.values.begin(), cond.values.end(), v) != cond.values.end();
    }
    if (any) continue;
    const auto present = some_values(col, 256);
    std::string values, seen, hint;
    for (const auto& v : cond.values) values += (values.empty() ? "'" : ", '") + v + "'";
    std::size_t k = 0;
    for (const auto& v : present) {
      if (k++ == 8) {
        seen += ", ...";
        break;
      }
      seen += (seen.empty() ? "'" : ", '") + v + "'";
    }
    for (const auto& w : cond.values) {
      if (hint.empty()) hint = near_miss(present, w);
    }
    notes.push_back(what + ": its filter " + cond.column + " in [" + values +
                    "] matches no transaction (the column holds " +
                    (seen.empty() ? std::string("no values") : seen) + ")" + hint + "; " +
                    std::string(consequence));
    return;
  }
  notes.push_back(what + ": no transaction meets all the conditions of its filter; " +
                  std::string(consequence));
}

void Prepared::release(std::size_t b, std::size_t e, std::size_t page) {
  if (e <= b) return;
  auto give = [&](const auto& v) {
    if (e <= v.size()) spm::detail::release_pages(v.data() + b, (e - b) * sizeof(v[0]), page);
  };
  give(credits);
  for (const auto& v : value) give(v);
  for (const auto& v : passes) give(v);
  for (const auto& v : spif) give(v);
}

void Prepared::free_credits() {
  std::vector<Credit>().swap(credits);
  std::vector<std::vector<Decimal>>().swap(value);
  std::vector<std::vector<std::uint8_t>>().swap(passes);
  std::vector<std::vector<std::uint8_t>>().swap(spif);
}

namespace {

// For a stable scatter by ranges: each range's count of each bucket becomes the range's first
// slot in that bucket (buckets in order, one bucket's ranges in order). Returns where each
// bucket starts, and the end.
std::vector<std::size_t> range_offsets(std::vector<std::vector<std::size_t>>& counts,
                                       std::size_t buckets) {
  std::vector<std::size_t> start(buckets + 1, 0);
  std::size_t at = 0;
  for (std::size_t q = 0; q < buckets; ++q) {
    start[q] = at;
    for (auto& c : counts) at += std::exchange(c[q], at);
  }
  start[buckets] = at;
  return start;
}

// Marks every row whose id occurs more than once as not ok. Rows are first partitioned by the
// top bits of their id's hash, then each partition (small enough for the cache) gets its own
// open-addressing table: two sequential passes instead of a random probe into a table of
// millions of slots per row. Hashes are computed twice rather than stored (8 bytes a row less).
// Threads take ranges of rows (then whole partitions).
void mark_duplicate_ids(const std::vector<std::string>& ids, std::vector<std::uint8_t>& ok,
                        std::size_t threads) {
  const std::size_t n = ids.size();
  // Exports often come in id order: strictly increasing ids are distinct (one comparison a row,
  // ranges on threads, each stopping at the first that is not).
  std::atomic<bool> unsorted = false;
  spm::detail::for_each_range(threads, threads, n, [&](std::size_t, std::size_t b, std::size_t e) {
    for (std::size_t r = std::max<std::size_t>(b, 1); r < e && !unsorted.load(std::memory_order_relaxed); ++r) {
      if (!spm::detail::less_bytes(ids[r - 1], ids[r])) unsorted = true;
    }
  });
  if (!unsorted) return;
  // At most 256 partitions: more scatter targets than that thrash the TLB.
  int bits = 0;
  while (bits < 8 && (std::size_t{1} << bits) * 16384 < n) ++bits;
  const std::size_t parts = std::size_t{1} << bits;
  auto hash = [&](std::size_t r) { return spm::detail::hash_bytes(ids[r]); };
  auto part = [&](std::uint64_t h) { return bits == 0 ? 0 : h >> (64 - bits); };
  // The low 32 bits of the hash pick the slot and filter comparisons; the top bits are the
  // partition's.
  struct Entry {
    std::uint32_t hash;
    std::uint32_t row;
  };
  // next[t][q]: where range t's rows of partition q go (counted first).
  std::vector<std::vector<std::size_t>> next(threads, std::vector<std::size_t>(parts, 0));
  spm::detail::for_each_range(threads, threads, n, [&](std::size_t t, std::size_t b, std::size_t e) {
    for (std::size_t r = b; r < e; ++r) ++next[t][part(hash(r))];
  });
  const std::vector<std::size_t> start = range_offsets(next, parts);
  std::vector<Entry> entries;
  spm::detail::resize_huge(entries, n);
  spm::detail::for_each_range(threads, threads, n, [&](std::size_t t, std::size_t b, std::size_t e) {
    for (std::size_t r = b; r < e; ++r) {
      const std::uint64_t h = hash(r);
      entries[next[t][part(h)]++] = {static_cast<std::uint32_t>(h), static_cast<std::uint32_t>(r)};
    }
  });
  // A row is in one partition: threads write the ok bytes of distinct rows.
  spm::detail::for_each_range(threads, threads, parts, [&](std::size_t, std::size_t qb, std::size_t qe) {
    std::vector<std::uint32_t> slots;  // index into the partition's entries
    for (std::size_t q = qb; q < qe; ++q) {
      const std::size_t b = start[q], e = start[q + 1];
      std::size_t cap = 16;
      while (cap < 2 * (e - b)) cap <<= 1;
      slots.assign(cap, UINT32_MAX);
      const std::size_t mask = cap - 1;
      for (std::size_t i = b; i < e; ++i) {
        const Entry& x = entries[i];
        for (std::size_t h = x.hash & mask;; h = (h + 1) & mask) {
          const std::uint32_t o = slots[h];
          if (o == UINT32_MAX) {
            slots[h] = static_cast<std::uint32_t>(i);
            break;
          }
          // Strings are read only when the hashes agree (duplicates or a rare collision).
          if (entries[o].hash == x.hash && spm::detail::same_bytes(ids[entries[o].row], ids[x.row])) {
            ok[x.row] = 0;
            ok[entries[o].row] = 0;
            break;
          }
        }
      }
    }
  });
}

// Rows that give one key (a payee's quota or score for a period) more than once. Keeping the
// first would make the pay depend on the order of the rows: rows that disagree are all refused,
// and a repeat of the same value is dropped. `key_of[r]`: the row's key, or none for a row
// refused for another reason. Returns per row "" (use it) or why it is not used; the keys whose
// rows disagree go to `conflicting` when given.
template <class Key, class Same, class Show>
std::vector<std::string> repeated_keys(const std::vector<std::optional<Key>>& key_of, Same same,
                                       Show show, const Table& t, const std::string& what,
                                       std::set<Key>* conflicting = nullptr) {
  std::map<Key, std::vector<std::size_t>> rows_of;
  for (std::size_t r = 0; r < key_of.size(); ++r) {
    if (key_of[r]) rows_of[*key_of[r]].push_back(r);
  }
  std::vector<std::string> why(key_of.size());
  for (const auto& [key, rows] : rows_of) {
    if (rows.size() < 2) continue;
    const std::size_t first = rows.front();
    if (std::all_of(rows.begin(), rows.end(), [&](std::size_t o) { return same(o, first); })) {
      for (std::size_t k = 1; k < rows.size(); ++k) {
        why[rows[k]] = "repeats the " + what + " of row " + std::to_string(row_number(t, first)) +
                       " for the same payee and period; the repeat is not used";
      }
      continue;
    }
    if (conflicting != nullptr) conflicting->insert(key);
    std::string listed;
    for (const auto o : rows) {
      listed += (listed.empty() ? "" : ", ") + std::string("row ") + std::to_string(row_number(t, o)) +
                ": " + show(o);
    }
    for (const auto o : rows) {
      why[o] = "different " + what + "s for the same payee and period (" + listed +
               "); none is used: keep one row";
    }
  }
  return why;
}

// Asks for the cache lines of v[0, n) to be fetched for writing.
template <class T>
void prefetch_for_write(const T* v, std::size_t n) {
  const auto* bytes = reinterpret_cast<const char*>(v);
  for (std::size_t o = 0; o < n * sizeof(T); o += 64) __builtin_prefetch(bytes + o, 1);
}

// Two credits of one transaction (a direct and a roll-up credit to the same payee) keep the
// order they were made in, which does not depend on the order of the rows.
struct CreditOrder {
  const std::vector<std::string>& tx_id;
  bool id_less(const Credit& x, const Credit& y) const {
    if (x.key != y.key) return x.key < y.key;
    if (x.tx == y.tx) return x.share < y.share;
    return tx_id[x.tx] < tx_id[y.tx];
  }
  bool operator()(const Credit& x, const Credit& y) const {
    if (x.date != y.date) return x.date < y.date;
    return id_less(x, y);
  }
};

// Puts a block's credits (and what was carried with them) in canonical order: by payee, date
// and id. One counting sort on (payee, day) over the block, then each run of one payee's day by
// id, gives the order; each array is then gathered once inside the block (which fits in the
// cache). A block already in order (inputs sorted by payee and date) is left as it is.
class BlockSorter {
 public:
  BlockSorter(Prepared& p, const std::vector<std::string>& tx_id) : p_(p), less_{tx_id} {}

  // Credits [payee_begin[q0], payee_begin[q1]) hold payees [q0, q1) in any order.
  void sort(std::size_t q0, std::size_t q1) {
    const std::size_t b = p_.payee_begin[q0], len = p_.payee_begin[q1] - b;
    if (len == 0) return;
    const Credit* c = p_.credits.data() + b;
    std::int32_t lo = INT32_MAX, hi = INT32_MIN;
    for (std::size_t i = 0; i < len; ++i) {
      lo = std::min(lo, c[i].date.days_since_epoch());
      hi = std::max(hi, c[i].date.days_since_epoch());
    }
    const auto days = static_cast<std::size_t>(static_cast<std::int64_t>(hi) - lo + 1);
    const std::size_t buckets = (q1 - q0) * days;
    from_.resize(len);
    const auto by_payee_date = [&](std::uint32_t x, std::uint32_t y) {
      if (c[x].payee != c[y].payee) return c[x].payee < c[y].payee;
      return less_(c[x], c[y]);
    };
    if (days > len / (q1 - q0) * 4 + 64) {
      // Few credits a day (dates spread over years): a comparison sort.
      std::iota(from_.begin(), from_.end(), 0u);
      std::sort(from_.begin(), from_.end(), by_payee_date);
    } else {
      const auto key = [&](std::size_t i) {
        return (c[i].payee - q0) * days + static_cast<std::size_t>(c[i].date.days_since_epoch() - lo);
      };
      at_.assign(buckets + 1, 0);
      for (std::size_t i = 0; i < len; ++i) ++at_[key(i) + 1];
      std::partial_sum(at_.begin(), at_.end(), at_.begin());
      for (std::size_t i = 0; i < len; ++i) from_[at_[key(i)]++] = static_cast<std::uint32_t>(i);
      // Ties (one payee's day) by id.
      for (std::size_t i = 0; i < len;) {
        std::size_t j = i + 1;
        const Credit& first = c[from_[i]];
        while (j < len && c[from_[j]].payee == first.payee && c[from_[j]].date == first.date) ++j;
        if (j - i > 1) {
          std::sort(from_.begin() + static_cast<std::ptrdiff_t>(i), from_.begin() + static_cast<std::ptrdiff_t>(j),
                    [&](std::uint32_t x, std::uint32_t y) { return less_.id_less(c[x], c[y]); });
        }
        i = j;
      }
    }
    bool moved = false;
    for (std::size_t i = 0; i < len; ++i) moved |= from_[i] != i;
    if (!moved) return;
    place(p_.credits, b, credit_tmp_);
    for (auto& v : p_.value) place(v, b, decimal_tmp_);
    for (auto& v : p_.passes) place(v, b, flag_tmp_);
    for (auto& v : p_.spif) {
      if (!v.empty()) place(v, b, flag_tmp_);
    }
  }

 private:
  // The block of v starting at b in canonical order.
  template <class T>
  void place(std::vector<T>& v, std::size_t b, std::vector<T>& tmp) {
    const std::size_t len = from_.size();
    tmp.resize(len);
    const T* first = v.data() + b;
    for (std::size_t i = 0; i < len; ++i) tmp[i] = first[from_[i]];
    std::copy(tmp.begin(), tmp.end(), v.begin() + static_cast<std::ptrdiff_t>(b));
  }

  Prepared& p_;
  const CreditOrder less_;
  std::vector<std::uint32_t> from_, at_;
  std::vector<Credit> credit_tmp_;
  std::vector<Decimal> decimal_tmp_;
  std::vector<std::uint8_t> flag_tmp_;
};

}  // namespace

void Rejects::add(std::string src, std::int64_t r, std::string i, std::string p, std::string per,
                  std::string why) {
  source.push_back(std::move(src));
  row.push_back(r);
  id.push_back(std::move(i));
  payee.push_back(std::move(p));
  period.push_back(std::move(per));
  reason.push_back(std::move(why));
}

io::Table Rejects::table() && {
  Table t;
  t.add(Column::of("source", std::move(source)));
  t.add(Column::of("row", std::move(row)));
  t.add(Column::of("id", std::move(id)));
  t.add(Column::of("payee_id", std::move(payee)));
  t.add(Column::of("period", std::move(period)));
  t.add(Column::of("reason", std::move(reason)));
  return t;
}

std::string loose_id(std::string_view id) {
  id = trim_blanks(id);
  if (id.empty()) return {};
  if (std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    const auto nz = id.find_first_not_of('0');
    return std::string(nz == std::string_view::npos ? id.substr(id.size() - 1) : id.substr(nz));
  }
  std::string out(id);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

const std::vector<std::uint8_t>* rejected_rows(const Table& t, const char* name) {
  const Column* c = maybe(t, name, "_rejected", ColumnType::boolean);
  return c != nullptr ? &c->values<std::uint8_t>() : nullptr;
}

Date first_computed_day(const Plan& plan, const Period& range) {
  const Period year = plan.calendar.period_containing(range.begin, PeriodKind::year);
  Date start = plan.calendar.period_containing(range.begin, plan.pay_period).begin;
  if (plan.true_up == TrueUp::year_to_date || plan.components_need_year()) start = year.begin;
  if (plan.true_up == TrueUp::quarter_to_date) {
    start = std::min(start, plan.calendar.period_containing(range.begin, PeriodKind::quarter).begin);
  }
  return std::max(start, plan.calendar.period_containing(plan.effective_from, plan.pay_period).begin);
}

std::map<std::uint32_t, Decimal> split_spif_amounts(const Prepared& full, const Decimal& amount, int places,
                                                   std::span<const std::uint32_t> full_credit,
                                                   std::span<const std::uint8_t> mask) {
  std::map<std::uint32_t, Decimal> out;
  if (full.split_list_of.empty()) return out;
  // Target credits by transaction: each split is allocated once.
  std::map<std::uint32_t, std::vector<std::pair<std::uint32_t, std::uint32_t>>> by_tx;  // tx -> (j, k)
  for (std::size_t j = 0; j < mask.size(); ++j) {
    if (!mask[j]) continue;
    const auto k = full_credit.empty() ? static_cast<std::uint32_t>(j) : full_credit[j];
    if (k != UINT32_MAX && full.split_list_of.count(k)) by_tx[full.credits[k].tx].emplace_back(static_cast<std::uint32_t>(j), k);
  }
  for (const auto& [tx, credits] : by_tx) {
    const auto& list = full.split_lists[full.split_list_of.at(credits.front().second)];
    std::vector<Decimal> weights;
    for (const auto& sh : list) weights.push_back(sh.second);
    const auto parts = allocate(amount, weights, places);
    for (const auto& [j, k] : credits) {
      for (std::size_t i = 0; i < list.size(); ++i) {
        if (list[i].first == full.credits[k].payee) out[j] = parts[i];
      }
    }
  }
  return out;
}

Prepared prepare(const Plan& plan, const CompInputs& in, const Period& range, Rejects& rejects,
                 std::span<const Period> versions, const std::vector<std::uint8_t>* pre_rejected,
                 std::size_t threads, std::optional<Date> computed_from) {
  if (in.transactions == nullptr || in.quotas == nullptr) {
    throw InvalidInputError("comp.inputs", "", "a run needs a transactions table and a quotas table");
  }
  // A thread per 32,768 rows at most: starting threads costs more than a small input's passes.
  threads = std::clamp<std::size_t>(in.transactions->num_rows() / 32768, 1,
                                    std::max<std::size_t>(threads, 1));
  const Table& tx = *in.transactions;
  const Column& tx_id_col = need(tx, "transactions", "transaction_id", ColumnType::string);
  const auto& tx_id = tx_id_col.values<std::string>();
  const Column& tx_payee_col = need(tx, "transactions", "payee_id", ColumnType::string);
  // Plain or dictionary-encoded (each distinct payee id then interned once).
  const io::StringsView tx_payee = tx_payee_col.strings();
  const Column& tx_date_col = need(tx, "transactions", "date", ColumnType::date);
  const auto& tx_date = tx_date_col.values<Date>();
  const Column& amount_col = need(tx, "transactions", "amount", ColumnType::decimal);
  const auto& amount = amount_col.values<Decimal>();
  const Column* ccy = maybe(tx, "transactions", "currency", ColumnType::string);
  const std::string plan_ccy(plan.currency.code());

  Prepared p;
  p.tx_ids = &tx_id;
  p.shared_tx_ids = tx_id_col.shared_strings();
  auto source_row = [&](std::size_t r) { return row_number(tx, r); };
  const std::size_t n = tx.num_rows();

  // Transaction-level checks; a bad transaction is rejected whole.
  std::vector<std::uint8_t> ok(n, 1);
  mark_duplicate_ids(tx_id, ok, threads);
  // Split credits: lists of (payee, percent), and per transaction row its list, if any. A payee
  // listed twice for one transaction gets the sum of its shares (one credit, so that lines do
  // not depend on the order of the rows).
  using ShareList = std::vector<std::pair<std::string, Decimal>>;
  std::vector<ShareList> lists;
  std::vector<std::uint8_t> list_from_rules;
  // Per list: the first credits row of its transaction that was rejected (0: none). Such a
  // transaction is rejected too: crediting the rest of its split, or its own payee when no row
  // was usable, would pay someone else's share.
  std::vector<std::int64_t> list_bad_row;
  std::vector<std::uint8_t> list_loose;  // per list: its bad row names the transaction loosely
  std::vector<std::uint32_t> row_list;  // per row; empty when there are no splits at all
  constexpr std::uint32_t none = UINT32_MAX;
  auto list_of = [&](std::size_t r) { return row_list.empty() ? none : row_list[r]; };
  if (in.credits != nullptr && in.credits->num_rows() > 0) {
    const Table& cr = *in.credits;
    const auto& c_tx = need(cr, "credits", "transaction_id", ColumnType::string).values<std::string>();
    const auto& c_payee = need(cr, "credits", "payee_id", ColumnType::string).values<std::string>();
    const Column& c_pct_col = need(cr, "credits", "percent", ColumnType::decimal);
    const auto& c_pct = c_pct_col.values<Decimal>();
    const auto* c_rejected = rejected_rows(cr, "credits");
    std::unordered_map<std::string_view, std::uint32_t> list_of_id;  // id -> list (or none)
    for (const auto& id : c_tx) list_of_id.emplace(id, none);
    std::vector<std::uint32_t> rows_of;  // rows whose id has credits
    std::unordered_set<std::string_view> present;
    for (std::size_t r = 0; r < n; ++r) {
      if (list_of_id.count(tx_id[r])) {
        present.insert(tx_id[r]);
        rows_of.push_back(static_cast<std::uint32_t>(r));
      }
    }
    auto new_list = [&](std::uint32_t& li) {
      if (li != none) return;
      li = static_cast<std::uint32_t>(lists.size());
      lists.emplace_back();
      list_from_rules.push_back(0);
      list_bad_row.push_back(0);
      list_loose.push_back(0);
    };
    // Credits rows naming no transaction: their ids as a spreadsheet may have mangled them ->
    // the transaction's row (SIZE_MAX: none, or several alike that way). Usually a few stale
    // rows: only their loose ids are looked for among the transactions.
    std::unordered_map<std::string, std::size_t> loose_rows;
    for (std::size_t r = 0; r < cr.num_rows(); ++r) {
      if (!present.count(c_tx[r])) loose_rows.emplace(loose_id(c_tx[r]), SIZE_MAX);
    }
    if (!loose_rows.empty()) {
      for (std::size_t t = 0; t < n; ++t) {
        const auto it = loose_rows.find(loose_id(tx_id[t]));
        if (it == loose_rows.end()) continue;
        if (it->second == SIZE_MAX) it->second = t;
        else if (tx_id[it->second] != tx_id[t]) it->second = SIZE_MAX - 1;  // ambiguous
      }
    }
    for (std::size_t r = 0; r < cr.num_rows(); ++r) {
      if (!present.count(c_tx[r])) {
        const auto near = loose_rows.find(loose_id(c_tx[r]));
        if (near == loose_rows.end() || near->second >= SIZE_MAX - 1) {
          rejects.add("credits", row_number(cr, r), c_tx[r], c_payee[r], "",
                      "no transaction has id '" + c_tx[r] + "'");
          continue;
        }
        // Almost surely that transaction's split: paying it in full to its own payee would pay
        // someone else's share, so it waits for the id to be fixed.
        const std::size_t t = near->second;
        rejects.add("credits", row_number(cr, r), c_tx[r], c_payee[r], "",
                    "no transaction has id '" + c_tx[r] + "'; transaction '" + tx_id[t] +
                        "' differs from it only by blanks, case or leading zeros: fix the id (that "
                        "transaction is not paid until then)");
        std::uint32_t& li = list_of_id.try_emplace(tx_id[t], none).first->second;
        if (li == none && !present.count(tx_id[t])) {
          present.insert(tx_id[t]);
          rows_of.push_back(static_cast<std::uint32_t>(t));
        }
        new_list(li);
        if (list_bad_row[li] == 0) {
          list_bad_row[li] = row_number(cr, r);
          list_loose[li] = 1;
        }
        continue;
      }
      std::uint32_t& li = list_of_id[c_tx[r]];
      new_list(li);
      const bool reported = c_rejected != nullptr && (*c_rejected)[r] != 0;
      if (reported || c_payee[r].empty() || c_pct_col.is_null(r)) {
        if (!reported) {
          rejects.add("credits", row_number(cr, r), c_tx[r], c_payee[r], "",
                      c_payee[r].empty() ? "the split credit's payee_id is missing"
                                         : "the split credit's percent is missing");
        }
        if (list_bad_row[li] == 0) list_bad_row[li] = row_number(cr, r);
        continue;
      }
      auto& list = lists[li];
      const auto same = std::find_if(list.begin(), list.end(),
                                     [&](const auto& e) { return e.first == c_payee[r]; });
      if (same != list.end()) same->second += c_pct[r];
      else list.emplace_back(c_payee[r], c_pct[r]);
    }
    if (!lists.empty()) {
      row_list.assign(n, none);
      for (const auto r : rows_of) row_list[r] = list_of_id[tx_id[r]];
    }
  }

  // Credit by rule: the rules in force on the transaction's date for its key become its shares.
  if (!plan.credit_by.empty()) {
    if (in.credit_rules == nullptr) {
      throw InvalidInputError("comp.inputs", "credit_rules",
                              "the plan credits by '" + plan.credit_by +
                                  "' but no credit_rules table was given (key, payee_id, from, "
                                  "to, percent)");
    }
    const Table& cr = *in.credit_rules;
    const auto& k_key = need(cr, "credit_rules", "key", ColumnType::string).values<std::string>();
    const auto& k_payee = need(cr, "credit_rules", "payee_id", ColumnType::string).values<std::string>();
    const auto& k_from = need(cr, "credit_rules", "from", ColumnType::date).values<Date>();
    const Column& k_to = need(cr, "credit_rules", "to", ColumnType::date);
    const Column* k_pct = maybe(cr, "credit_rules", "percent", ColumnType::decimal);
    struct Rule {
      std::string_view payee;
      Period when;
      Decimal percent;
    };
    std::unordered_map<std::string_view, std::vector<Rule>> rules;
    // Rejected rules: on their dates (every date when the reader could not read them) the
    // shares of their key are unknown, so its transactions there are rejected.
    struct BadRule {
      Period when;
      std::int64_t row;
    };
    std::unordered_map<std::string_view, std::vector<BadRule>> bad_rules;
    const auto* k_rejected = rejected_rows(cr, "credit_rules");
    const Period always{Date::from_days(-(INT32_MAX / 2)), Date::from_days(INT32_MAX / 2)};
    for (std::size_t r = 0; r < cr.num_rows(); ++r) {
      if (k_rejected != nullptr && (*k_rejected)[r] != 0) {
        bad_rules[k_key[r]].push_back({always, row_number(cr, r)});
        continue;
      }
      const Date to = k_to.is_null(r) ? Date::from_days(INT32_MAX / 2) : k_to.values<Date>()[r];
      const Decimal pct = k_pct && !k_pct->is_null(r) ? k_pct->values<Decimal>()[r] : Decimal(100);
      if (k_payee[r].empty() || to <= k_from[r] || pct.sign() <= 0) {
        rejects.add("credit_rules", row_number(cr, r), k_key[r], k_payee[r], "",
                    "a credit rule needs a payee_id, 'to' after 'from' and a percent above 0");
        if (to > k_from[r]) bad_rules[k_key[r]].push_back({{k_from[r], to}, row_number(cr, r)});
        continue;
      }
      rules[k_key[r]].push_back({k_payee[r], {k_from[r], to}, pct});
    }
    const Column& by = need(tx, "transactions", plan.credit_by.c_str(), ColumnType::string);
    const auto& by_text = by.values<std::string>();
    // Row r's shares come from the rules (none and bad_row set: rejected for that rule row).
    auto rule_list = [&](std::size_t r, ShareList shares, std::int64_t bad_row) {
      if (row_list.empty()) row_list.assign(n, none);
      row_list[r] = static_cast<std::uint32_t>(lists.size());
      lists.push_back(std::move(shares));
      list_from_rules.push_back(1);
      list_bad_row.push_back(bad_row);
      list_loose.push_back(0);
    };
    for (std::size_t r = 0; r < n; ++r) {
      if (!ok[r] || by.is_null(r) || list_of(r) != none) continue;
      if (!bad_rules.empty()) {
        std::int64_t bad_row = 0;
        if (const auto bad = bad_rules.find(by_text[r]); bad != bad_rules.end()) {
          for (const auto& b : bad->second) {
            if (b.when.contains(tx_date[r])) {
              bad_row = b.row;
              break;
            }
          }
        }
        if (bad_row != 0) {
          rule_list(r, {}, bad_row);
          continue;
        }
      }
      const auto it = rules.find(by_text[r]);
      if (it == rules.end()) continue;
      ShareList shares;
      for (const auto& rule : it->second) {
        if (!rule.when.contains(tx_date[r])) continue;
        const auto same = std::find_if(shares.begin(), shares.end(),
                                       [&](const auto& e) { return e.first == rule.payee; });
        if (same != shares.end()) same->second += rule.percent;
        else shares.emplace_back(std::string(rule.payee), rule.percent);
      }
      if (!shares.empty()) rule_list(r, std::move(shares), 0);
    }
  }

  const Period effective{plan.effective_from, plan.effective_to};
  const std::string* ccy_text = ccy != nullptr ? ccy->values<std::string>().data() : nullptr;
  // Rows rejected before (no FX rate) are not rejected again, nor counted as duplicates.
  std::vector<std::uint8_t> dropped;
  if (pre_rejected != nullptr) {
    dropped = *pre_rejected;
    for (std::size_t r = 0; r < n; ++r) {
      if (dropped[r]) ok[r] = 0;
    }
  }
  // The common case first, on threads: one test per condition. The other rows (a reject, a
  // split, another version's) are listed, then taken in row order, so rejects keep it.
  // Whether a row's payee id is missing (null or empty); for dictionary-encoded ids looked up
  // per code in a small table instead of in the dictionary's strings.
  std::vector<std::uint8_t> empty_code;
  const std::uint32_t* payee_codes = nullptr;
  if (tx_payee_col.is_dictionary()) {
    const auto& dict = std::get<io::DictionaryStrings>(tx_payee_col.data());
    payee_codes = dict.codes.data();
    for (const auto& id : *dict.dictionary) empty_code.push_back(id.empty() ? 1 : 0);
  }
  auto payee_missing = [&](std::size_t r) {
    if (tx_payee_col.is_null(r)) return true;
    return payee_codes != nullptr ? empty_code[payee_codes[r]] != 0 : tx_payee[r].empty();
  };
  // An amount whose line at the plan's highest rate would overflow (base x rate, both 128-bit
  // raws) would lose its payee's whole period: the row is rejected instead.
  Decimal top_rate;
  for (const auto& c : plan.components) {
    if (c.type != ComponentType::rate_table) continue;
    for (const auto& t : c.tiers) {
      top_rate = std::max(top_rate, t.rate.abs());
      if (t.rate_to) top_rate = std::max(top_rate, t.rate_to->abs());
    }
  }
  const Decimal amount_limit =
      top_rate.is_zero() ? Decimal::max() : Decimal::from_raw(spm::detail::int128_max / top_rate.raw());
  const Date first_day = computed_from.value_or(first_computed_day(plan, range));
  // Validity read once: a byte stored in the loop could alias the columns' vectors.
  const std::uint8_t* id_valid = tx_id_col.validity().empty() ? nullptr : tx_id_col.validity().data();
  const std::uint8_t* date_valid =
      tx_date_col.validity().empty() ? nullptr : tx_date_col.validity().data();
  std::vector<std::vector<std::uint32_t>> other(threads);
  std::vector<std::size_t> later(threads, 0), earlier(threads, 0);
  spm::detail::for_each_range(threads, threads, n, [&](std::size_t t, std::size_t b, std::size_t e) {
    for (std::size_t r = b; r < e; ++r) {
      if (!dropped.empty() && dropped[r]) continue;
      if (ok[r] && list_of(r) == none && !payee_missing(r) &&
          (id_valid == nullptr || id_valid[r] != 0) && !tx_id[r].empty() && (date_valid == nullptr || date_valid[r] != 0) &&
          !amount_col.is_null(r) && (ccy_text == nullptr || ccy->is_null(r) || ccy_text[r] == plan_ccy) &&
          (amount[r].sign() >= 0 || plan.allow_negative) && amount[r].abs() < amount_limit &&
          effective.contains(tx_date[r])) {
        if (tx_date[r] >= range.end) {
          ok[r] = 0;  // belongs to a later run; counted, not rejected
          ++later[t];
        } else if (tx_date[r] < first_day) {
          ok[r] = 0;  // belongs to an earlier run; counted, not rejected
          ++earlier[t];
        }
        continue;
      }
      other[t].push_back(static_cast<std::uint32_t>(r));
    }
  });
  for (const auto k : later) p.after_range += k;
  for (const auto k : earlier) p.before_range += k;
  for (const auto& rows : other) for (const std::size_t r : rows) {
    const std::uint32_t li = list_of(r);
    auto reject = [&](const std::string& why) {
      rejects.add("transactions", source_row(r), tx_id[r], std::string(tx_payee[r]), "", why);
      ok[r] = 0;
    };
    if (tx_id_col.is_null(r) || tx_id[r].empty()) {
      reject("the transaction_id is missing; every transaction needs a unique id");
      continue;
    }
    if (!ok[r]) {
      reject("transaction_id '" + tx_id[r] + "' appears more than once; ids must be unique");
      continue;
    }
    if (tx_date_col.is_null(r)) {
      reject("the date is missing");
      continue;
    }
    if ((tx_payee_col.is_null(r) || tx_payee[r].empty()) && li == none) {
      reject(plan.credit_by.empty()
                 ? "the payee_id is missing; every transaction needs the payee it credits"
                 : "no credit rule maps its " + plan.credit_by + " on " + tx_date[r].to_string() +
                       " and the payee_id is missing");
    } else if (amount_col.is_null(r)) {
      reject("the amount is missing");
    } else if (ccy != nullptr && !ccy->is_null(r) && ccy_text[r] != plan_ccy) {
      // A null currency (or no currency column) means the plan currency.
      reject("currency '" + ccy_text[r] + "' differs from the plan currency " + plan_ccy +
             "; convert it first");
    } else if (amount[r].abs() >= amount_limit) {
      reject("the amount " + amount[r].to_string() + " at the plan's highest rate (" +
             top_rate.to_string() + ") is beyond what a line computes exactly (base x rate up "
             "to 1.7e14); check its units");
    } else if (amount[r].sign() < 0 && !plan.allow_negative) {
      reject("the amount " + amount[r].to_string() +
             " is negative; set \"allow_negative\": true in the plan to credit returns");
    } else if (!effective.contains(tx_date[r])) {
      if (std::any_of(versions.begin(), versions.end(),
                      [&](const Period& v) { return v.contains(tx_date[r]); })) {
        ok[r] = 0;  // another version's transaction
        continue;
      }
      if (versions.empty()) {
        reject("dated " + tx_date[r].to_string() + ", outside the plan's effective dates " +
               effective.to_string());
      } else {
        std::string all;
        for (const auto& v : versions) all += (all.empty() ? "" : ", ") + v.to_string();
        reject("dated " + tx_date[r].to_string() +
               ", outside the effective dates of every version of the plan: " + all);
      }
    } else if (tx_date[r] >= range.end) {
      ok[r] = 0;  // belongs to a later run; counted, not rejected
      ++p.after_range;
    } else if (tx_date[r] < first_day) {
      ok[r] = 0;  // belongs to an earlier run; counted, not rejected
      ++p.before_range;
    } else if (li != none) {
      // Split shares: none negative, exactly 100% in all.
      Decimal total;
      const std::pair<std::string, Decimal>* negative = nullptr;
      for (const auto& e : lists[li]) {
        total += e.second;
        if (e.second.sign() < 0 && negative == nullptr) negative = &e;
      }
      if (list_bad_row[li] != 0) {
        reject(list_from_rules[li]
                   ? "a credit rule for its " + plan.credit_by + " (credit_rules row " +
                         std::to_string(list_bad_row[li]) +
                         ") was rejected; fix that row (its shares are not known without it)"
               : list_loose[li] && lists[li].empty()
                   ? "credits row " + std::to_string(list_bad_row[li]) +
                         " names it only loosely; fix that row's id (the split is not known "
                         "until then, so its payee is not paid in full in its place)"
                   : "its split credit on credits row " + std::to_string(list_bad_row[li]) +
                         " was rejected; fix that row (the other shares are not paid without it)");
      } else if (negative != nullptr) {
        reject("the split credit to " + negative->first + " is " + negative->second.to_string() +
               "%; shares must be 0% or more");
      } else if (total != Decimal(100)) {
        reject(list_from_rules[li]
                   ? "the credit rules in force for its " + plan.credit_by + " total " +
                         total.to_string() + "%, not 100%; fix the credit rules"
                   : "split credits total " + total.to_string() + "%, not 100%; fix the credits");
      }
    }
  }

  // Indirect credits (roll-ups, overlays) of the transactions kept.
  const auto indirect = indirect_credits(
      plan, in, ok,
      [&](std::size_t r, BaseCredits& out) {
        const std::uint32_t li = list_of(r);
        if (li == none) out.emplace_back(tx_payee[r], Decimal(100));
        else for (const auto& [payee, pct] : lists[li]) out.emplace_back(payee, pct);
      },
      rejects);

  // Payees: everyone credited or given a quota, in byte order of their ids. Interned first (one
  // hash lookup per row, remembered), then only the distinct ids are sorted. Direct payees by
  // ranges of rows on threads (one table each, merged), then split and indirect ones.
  spm::detail::Interner intern;
  std::vector<std::uint32_t> row_payee(n, UINT32_MAX);
  if (tx_payee_col.is_dictionary()) {
    const auto& dict = std::get<io::DictionaryStrings>(tx_payee_col.data());
    std::vector<std::uint32_t> code_payee(dict.dictionary->size(), UINT32_MAX);
    std::vector<std::uint8_t> used(dict.dictionary->size(), 0);
    for (std::size_t r = 0; r < n; ++r) {
      if (ok[r] && list_of(r) == none) used[dict.codes[r]] = 1;
    }
    for (std::size_t c = 0; c < used.size(); ++c) {
      if (used[c]) code_payee[c] = intern((*dict.dictionary)[c]);
    }
    spm::detail::for_each_range(threads, threads, n, [&](std::size_t, std::size_t b, std::size_t e) {
      for (std::size_t r = b; r < e; ++r) {
        if (ok[r] && list_of(r) == none) row_payee[r] = code_payee[dict.codes[r]];
      }
    });
  } else {
    std::vector<spm::detail::Interner> local(threads);
    spm::detail::for_each_range(threads, threads, n, [&](std::size_t t, std::size_t b, std::size_t e) {
      for (std::size_t r = b; r < e; ++r) {
        if (ok[r] && list_of(r) == none) row_payee[r] = local[t](tx_payee[r]);
      }
    });
    std::vector<std::vector<std::uint32_t>> to_global(threads);
    for (std::size_t t = 0; t < threads; ++t) {
      for (const auto id : local[t].ids()) to_global[t].push_back(intern(id));
    }
    spm::detail::for_each_range(threads, threads, n, [&](std::size_t t, std::size_t b, std::size_t e) {
      for (std::size_t r = b; r < e; ++r) {
        if (row_payee[r] != UINT32_MAX) row_payee[r] = to_global[t][row_payee[r]];
      }
    });
  }
  if (!lists.empty() || !indirect.empty()) {
    for (std::size_t r = 0; r < n; ++r) {
      if (!ok[r]) continue;
      const std::uint32_t li = list_of(r);
      if (li != none) for (const auto& [payee, pct] : lists[li]) intern(payee);
      if (!indirect.empty()) for (const auto& x : indirect[r]) intern(x.payee);
    }
  }
  const auto& q_payee = need(*in.quotas, "quotas", "payee_id", ColumnType::string).values<std::string>();
  for (const auto& q : q_payee) {
    if (!q.empty()) intern(q);
  }
  const auto& distinct = intern.ids();
  std::vector<std::uint32_t> by_name(distinct.size());
  std::iota(by_name.begin(), by_name.end(), 0u);
  std::sort(by_name.begin(), by_name.end(), [&](auto a, auto b) { return distinct[a] < distinct[b]; });
  std::vector<std::uint32_t> final_index(distinct.size());
  for (std::size_t i = 0; i < by_name.size(); ++i) {
    final_index[by_name[i]] = static_cast<std::uint32_t>(i);
    p.payees.emplace_back(distinct[by_name[i]]);
  }
  std::unordered_map<std::string_view, std::uint32_t> payee_index;
  for (std::size_t i = 0; i < p.payees.size(); ++i) payee_index.emplace(p.payees[i], static_cast<std::uint32_t>(i));
  // Split lists with payee numbers, sorted by payee (allocation ties go in payee order).
  std::vector<std::vector<std::pair<std::uint32_t, Decimal>>> list_payees(lists.size());
  for (std::size_t li = 0; li < lists.size(); ++li) {
    for (const auto& [payee, pct] : lists[li]) {
      const auto it = payee_index.find(payee);
      if (it != payee_index.end()) list_payees[li].emplace_back(it->second, pct);
    }
    std::sort(list_payees[li].begin(), list_payees[li].end());
  }

  // Assignments.
  p.assigned.resize(p.payees.size());
  if (in.assignments != nullptr) {
    p.has_assignments = true;
    const Table& a = *in.assignments;
    const auto& a_payee = need(a, "assignments", "payee_id", ColumnType::string).values<std::string>();
    const auto& a_from = need(a, "assignments", "from", ColumnType::date).values<Date>();
    const Column& a_to = need(a, "assignments", "to", ColumnType::date);
    for (std::size_t r = 0; r < a.num_rows(); ++r) {
      const auto it = payee_index.find(a_payee[r]);
      if (it == payee_index.end()) continue;  // assigned but no credits and no quota: nothing to pay
      const Date to = a_to.is_null(r) ? Date::from_days(INT32_MAX / 2) : a_to.values<Date>()[r];
      if (to <= a_from[r]) {
        rejects.add("assignments", row_number(a, r), a_payee[r], a_payee[r], "",
                    "'to' must be after 'from'");
        continue;
      }
      p.assigned[it->second].push_back({a_from[r], to});
    }
    // Overlapping or touching stints are one: a day is assigned once, so that quotas prorated
    // by assigned days never exceed the pay period's quota.
    for (auto& stints : p.assigned) {
      std::sort(stints.begin(), stints.end(),
                [](const Period& x, const Period& y) { return x.begin < y.begin; });
      std::vector<Period> merged;
      for (const auto& st : stints) {
        if (!merged.empty() && st.begin <= merged.back().end) {
          merged.back().end = std::max(merged.back().end, st.end);
        } else {
          merged.push_back(st);
        }
      }
      stints = std::move(merged);
    }
  }
  auto assigned_on = [&](std::uint32_t payee, Date d) {
    if (!p.has_assignments) return true;
    for (const auto& per : p.assigned[payee]) {
      if (per.contains(d)) return true;
    }
    return false;
  };

  // Id order keys: 8 bytes of each id after the prefix all ids share, big-endian, so that
  // comparing keys orders ids as bytes do whenever the keys differ (equal keys: compare ids).
  const auto first_ok = static_cast<std::size_t>(std::find(ok.begin(), ok.end(), 1) - ok.begin());
  std::size_t common = first_ok < n ? tx_id[first_ok].size() : 0;
  std::vector<std::size_t> common_of(threads, common);
  spm::detail::for_each_range(threads, threads, n, [&](std::size_t t, std::size_t b, std::size_t e) {
    std::size_t& c = common_of[t];
    for (std::size_t r = std::max(b, first_ok + 1); r < e && c > 0; ++r) {
      if (ok[r]) c = std::min(c, spm::detail::common_prefix(tx_id[r], tx_id[first_ok]));
    }
  });
  common = *std::min_element(common_of.begin(), common_of.end());
  auto id_key = [&](std::size_t r) {
    const std::string& id = tx_id[r];
    if (id.size() >= common + 8) {
      std::uint64_t k;
      std::memcpy(&k, id.data() + common, 8);
      return __builtin_bswap64(k);  // big-endian
    }
    const std::size_t avail = id.size() > common ? id.size() - common : 0;
    if (avail > 0 && id.size() >= 8) {  // the id's last 8 bytes, the ones before `common` shifted out
      std::uint64_t k;
      std::memcpy(&k, id.data() + id.size() - 8, 8);
      return __builtin_bswap64(k) << (8 * (8 - avail));
    }
    unsigned char bytes[8] = {};
    if (avail > 0) std::memcpy(bytes, id.data() + common, avail);  // zeros after a short id
    std::uint64_t k = 0;
    for (const unsigned char b : bytes) k = (k << 8) | b;  // big-endian
    return k;
  };
  // Credits. A row's direct credit is a flag (its payee is the row's); split, rule and indirect
  // credits are listed in row order (12 bytes each). The date and id key are read when they are
  // placed.
  struct Made {
    std::uint32_t tx, payee, share;
  };
  std::vector<Made> made;
  std::vector<std::uint8_t> direct(n, 0);
  std::size_t directs = 0;
  std::unordered_map<std::string, std::uint32_t> path_codes;
  const bool all_direct = indirect.empty() && lists.empty() && !p.has_assignments;
  if (all_direct) {
    // Every credit direct, to anyone: a flag per kept row, on threads.
    std::vector<std::size_t> kept(threads, 0);
    spm::detail::for_each_range(threads, threads, n, [&](std::size_t t, std::size_t b, std::size_t e) {
      for (std::size_t r = b; r < e; ++r) kept[t] += direct[r] = ok[r];
    });
    directs = std::accumulate(kept.begin(), kept.end(), std::size_t{0});
  }
  // Transactions credited here through roll-ups alone: their own payees are on another plan
  // (a managers' overlay plan), which is not a reject.
  std::size_t only_rolled_up = 0;
  for (std::size_t r = 0; r < n && !all_direct; ++r) {
    if (!ok[r]) continue;
    bool rolled_up = false;
    // Indirect credits go only to payees on the plan on the date (a manager on another plan is
    // credited by that plan's run).
    if (!indirect.empty()) {
      for (const auto& x : indirect[r]) {
        const std::uint32_t q = payee_index.at(x.payee);
        if (!assigned_on(q, tx_date[r])) continue;
        const auto [it, fresh] = path_codes.try_emplace(x.path, static_cast<std::uint32_t>(p.paths.size()));
        if (fresh) p.paths.push_back(x.path);
        const auto share = static_cast<std::uint32_t>(p.shares.size());
        p.shares.push_back({x.percent, Credit::Source::rollup, it->second});
        made.push_back({static_cast<std::uint32_t>(r), q, share});
        rolled_up = true;
      }
    }
    const std::uint32_t li = list_of(r);
    if (li == none) {
      const std::uint32_t q = final_index[row_payee[r]];
      if (!p.has_assignments || assigned_on(q, tx_date[r])) {
        direct[r] = 1;
        ++directs;
        continue;
      }
      if (rolled_up) {
        ++only_rolled_up;
        continue;
      }
      rejects.add("transactions", source_row(r), tx_id[r], p.payees[q], "",
                  "payee " + p.payees[q] + " is not assigned to plan " + plan.id + " on " +
                      tx_date[r].to_string());
      continue;
    }
    // A payee not assigned on the date is not credited (its share of a split is rejected, as
    // it belongs to another plan or to no one); the assigned payees of a split keep theirs.
    bool any_share = false;
    for (const auto& [payee, pct] : lists[li]) {
      const std::uint32_t q = payee_index.at(payee);
      if (!assigned_on(q, tx_date[r])) {
        if (rolled_up) continue;  // that share's payee is on another plan; the roll-up is here
        rejects.add("transactions", source_row(r), tx_id[r], p.payees[q], "",
                    "payee " + p.payees[q] + " is not assigned to plan " + plan.id + " on " +
                        tx_date[r].to_string());
        continue;
      }
      const auto share = static_cast<std::uint32_t>(p.shares.size());
      p.shares.push_back({pct, list_from_rules[li] ? Credit::Source::rule : Credit::Source::split});
      made.push_back({static_cast<std::uint32_t>(r), q, share});
      any_share = true;
    }
    if (rolled_up && !any_share) ++only_rolled_up;
  }
  if (only_rolled_up > 0) {
    p.notes.push_back(std::to_string(only_rolled_up) +
                      " transactions were credited on plan " + plan.id +
                      " only through roll-ups: their own payees are not assigned to it (an "
                      "overlay plan), so they are not rejected");
  }
  // Canonical order: payee, then date, then transaction id in byte order. Credits are scattered
  // in row order to their payee's block (blocks of consecutive payees), carrying what the
  // engine reads per credit (measure values, filter results), so the transaction columns are
  // read sequentially, never gathered; then each block, in cache, is sorted by payee, date, id.
  const std::size_t nc = directs + made.size(), payees = p.payees.size();
  // f(row, payee, share) for each credit of rows [rb, re), in row order.
  auto for_credits = [&](std::size_t rb, std::size_t re, auto&& f) {
    auto it = std::lower_bound(made.begin(), made.end(), rb,
                               [](const Made& x, std::size_t r) { return x.tx < r; });
    for (std::size_t r = rb; r < re; ++r) {
      for (; it != made.end() && it->tx == r; ++it) f(r, it->payee, it->share);
      if (direct[r] != 0) f(r, final_index[row_payee[r]], Credit::whole);
    }
  };
  // Each block is a write stream per array carried: beyond about 256 streams the TLB thrashes
  // (1M credits: the scatter takes twice as long with 313 blocks x 4 arrays as with 40 x 4).
  // Fewer blocks are larger: the sort's gathers leave the cache.
  const std::size_t arrays = 1 + 2 * plan.measures.size() +
      static_cast<std::size_t>(std::count_if(plan.components.begin(), plan.components.end(),
                                             [](const Component& c) { return c.type == ComponentType::spif; }));
  const std::size_t max_blocks = std::max<std::size_t>(8, 256 / arrays);
  int shift = 0;
  while ((payees >> shift) > max_blocks) ++shift;
  const std::size_t blocks = payees == 0 ? 0 : ((payees - 1) >> shift) + 1;
  // Each range counts every payee: more ranges than credits per payee would cost more than they
  // save. count[t][q]: range t's credits of payee q; next[t][b]: where it puts those of block b.
  const std::size_t scatter_threads =
      std::clamp<std::size_t>(nc / (8 * std::max<std::size_t>(payees, 1)), 1, threads);
  std::vector<std::vector<std::size_t>> count(scatter_threads, std::vector<std::size_t>(payees, 0));
  std::vector<std::vector<std::size_t>> next(scatter_threads, std::vector<std::size_t>(blocks, 0));
  spm::detail::for_each_range(scatter_threads, scatter_threads, n, [&](std::size_t t, std::size_t b, std::size_t e) {
    for_credits(b, e, [&](std::size_t, std::uint32_t q, std::uint32_t) { ++count[t][q]; });
    for (std::size_t q = 0; q < payees; ++q) next[t][q >> shift] += count[t][q];
  });
  range_offsets(next, blocks);
  p.payee_begin.assign(payees + 1, 0);
  for (std::size_t q = 0; q < payees; ++q) {
    std::size_t n_q = 0;
    for (const auto& c : count) n_q += c[q];
    p.payee_begin[q + 1] = p.payee_begin[q] + n_q;
  }
  const std::size_t nm = plan.measures.size();
  std::vector<std::vector<std::uint8_t>> measure_pass, spif_pass;
  std::vector<const Decimal*> sum_values(nm, nullptr);
  std::vector<const Column*> sum_columns(nm, nullptr);
  for (const auto& m : plan.measures) {
    measure_pass.push_back(filter_mask(m.filter, tx, threads));
    note_unmatched_filter(measure_pass.back(), m.filter, tx, "measure '" + m.id + "'", p.notes);
    if (!m.count) {
      const Column& col = need(tx, "transactions", m.sum_column.c_str(), ColumnType::decimal);
      sum_columns[measure_pass.size() - 1] = &col;
      sum_values[measure_pass.size() - 1] = col.values<Decimal>().data();
    }
  }
  for (const auto& c : plan.components) {
    spif_pass.push_back(c.type == ComponentType::spif ? filter_mask(c.filter, tx, threads)
                                                      : std::vector<std::uint8_t>{});
    if (c.type == ComponentType::spif) {
      note_unmatched_filter(spif_pass.back(), c.filter, tx, "SPIF '" + c.id + "'", p.notes);
    }
  }
  // Scattered to the blocks in row order (sequential reads of the rows).
  spm::detail::resize_huge(p.credits, nc);
  // Sized in place: assign(nm, std::vector(nc)) would also fill and free a prototype.
  p.value.resize(nm);
  p.passes.resize(nm);
  for (std::size_t m = 0; m < nm; ++m) {
    spm::detail::resize_huge(p.value[m], nc);
    p.passes[m].resize(nc);
  }
  p.spif.assign(plan.components.size(), {});
  for (std::size_t c = 0; c < plan.components.size(); ++c) {
    if (!spif_pass[c].empty()) p.spif[c].resize(nc);
  }
  // Each range's credits wait in a small buffer per block and go out `batch` at a time: a
  // block's arrays are then written in runs, not a credit at a time across hundreds of streams
  // (whose partly written cache lines leave the cache before they fill).
  constexpr std::size_t batch = 16;
  spm::detail::for_each_range(scatter_threads, scatter_threads, n, [&](std::size_t t, std::size_t rb, std::size_t re) {
    std::vector<Credit> held(blocks * batch);
    std::vector<std::uint8_t> count_held(blocks, 0);
    auto flush = [&](std::size_t bl) {
      const std::size_t k0 = next[t][bl], len = count_held[bl];
      next[t][bl] += len;
      count_held[bl] = 0;
      const Credit* from = held.data() + bl * batch;
      // The block's next run, written at its next flush, is fetched for writing meanwhile: the
      // hardware follows a few sequential streams, not one per block and array.
      if (const std::size_t k1 = k0 + len; k1 + batch <= nc) {
        prefetch_for_write(p.credits.data() + k1, batch);
        for (std::size_t m = 0; m < nm; ++m) {
          prefetch_for_write(p.value[m].data() + k1, batch);
          prefetch_for_write(p.passes[m].data() + k1, batch);
        }
        for (const auto& sp : p.spif) {
          if (!sp.empty()) prefetch_for_write(sp.data() + k1, batch);
        }
      }
      std::copy(from, from + len, p.credits.begin() + static_cast<std::ptrdiff_t>(k0));
      for (std::size_t i = 0; i < len; ++i) {
        const Credit& c = from[i];
        const std::size_t k = k0 + i;
        const bool deal = amount[c.tx].sign() >= 0;
        for (std::size_t m = 0; m < nm; ++m) {
          // A return (negative amount) is not a deal: count measures skip it.
          const bool pass = measure_pass[m][c.tx] && (deal || !plan.measures[m].count);
          p.passes[m][k] = pass;
          if (!pass || c.share != Credit::whole) continue;  // splits are allocated below
          if (plan.measures[m].count) {
            p.value[m][k] = Decimal(1);
          } else if (!sum_columns[m]->is_null(c.tx)) {
            p.value[m][k] = sum_values[m][c.tx];
          }
        }
        for (std::size_t s = 0; s < spif_pass.size(); ++s) {
          // A return (negative amount) earns no SPIF.
          if (!spif_pass[s].empty()) p.spif[s][k] = spif_pass[s][c.tx] && deal;
        }
      }
    };
    for_credits(rb, re, [&](std::size_t r, std::uint32_t q, std::uint32_t share) {
      const std::size_t bl = q >> shift;
      held[bl * batch + count_held[bl]] = Credit{static_cast<std::uint32_t>(r), q, tx_date[r], share, id_key(r)};
      if (++count_held[bl] == batch) flush(bl);
    });
    for (std::size_t bl = 0; bl < blocks; ++bl) flush(bl);
  });
  std::vector<Made>().swap(made);
  std::vector<std::uint8_t>().swap(direct);
  spm::detail::for_each_range(threads, std::min(blocks, threads * 8), blocks,
                              [&](std::size_t, std::size_t bb, std::size_t be) {
    BlockSorter sorter(p, tx_id);
    for (std::size_t bl = bb; bl < be; ++bl) sorter.sort(bl << shift, std::min(payees, (bl + 1) << shift));
  });
  // Split credits: the shares of a column are allocated so that the payees' shares add up
  // exactly to the transaction's value.
  for (std::size_t mi = 0; mi < nm && !lists.empty(); ++mi) {
    const Measure& m = plan.measures[mi];
    const Column* col = sum_columns[mi];
    std::vector<Decimal>& value = p.value[mi];
    std::unordered_map<std::uint32_t, std::vector<std::size_t>> split_credits;
    for (std::size_t k = 0; k < nc; ++k) {
      if (p.passes[mi][k] && p.credits[k].share != Credit::whole &&
          p.shares[p.credits[k].share].source != Credit::Source::rollup) {
        split_credits[p.credits[k].tx].push_back(k);
      }
    }
    for (const auto& [row, ks] : split_credits) {
      // The whole split is allocated (in payee order, for deterministic ties), also the shares
      // of payees not credited here (not assigned), so each share is the same whoever is left.
      const auto& shares = list_payees[row_list[row]];
      std::vector<Decimal> weights;
      for (const auto& sh : shares) weights.push_back(sh.second);
      // A deal counts once, shared like its amount (to 12 places: 33.33% is 0.3333 of a deal).
      // Credited amounts are in the currency's minor units (or finer when the value is), so a
      // statement shows 33333.34 and not 33333.333333333333. Either way the parts sum exactly to
      // the value.
      const Decimal v = m.count           ? Decimal(1)
                        : col->is_null(row) ? Decimal(0)
                                            : col->values<Decimal>()[row];
      int places = m.count ? Decimal::scale : plan.currency.minor_units();
      while (!v.has_places(places)) ++places;
      const auto parts = allocate(v, weights, places);
      for (const auto k : ks) {
        for (std::size_t i = 0; i < shares.size(); ++i) {
          if (shares[i].first == p.credits[k].payee) value[k] = parts[i];
        }
      }
    }
  }

  // SPIFs of split credits, allocated like the values above (the whole split, in payee order)
  // at the places a line is rounded to.
  p.spif_share.assign(plan.components.size(), {});
  const bool any_spif = std::any_of(p.spif.begin(), p.spif.end(), [](const auto& m) { return !m.empty(); });
  if (!lists.empty() && any_spif) {
    p.split_lists = list_payees;
    for (std::size_t k = 0; k < nc; ++k) {
      if (p.credits[k].share != Credit::whole && p.shares[p.credits[k].share].source != Credit::Source::rollup) {
        p.split_list_of.emplace(static_cast<std::uint32_t>(k), row_list[p.credits[k].tx]);
      }
    }
    const int places = plan.rounding_point == RoundingPoint::earning_line ? plan.rounding_places : Decimal::scale;
    for (std::size_t ci = 0; ci < plan.components.size(); ++ci) {
      // The amount as a whole credit's line pays it (a plan may give more decimals).
      if (!p.spif[ci].empty()) {
        p.spif_share[ci] = split_spif_amounts(p, plan.components[ci].amount.round(places, plan.rounding), places,
                                              {}, p.spif[ci]);
      }
    }
  }

  // Indirect credits: their percent of the transaction's value, in the currency's minor units
  // (or finer when the value is); they add to the direct credits, so nothing is conserved.
  if (!p.paths.empty()) {
    for (std::size_t mi = 0; mi < nm; ++mi) {
      const Measure& m = plan.measures[mi];
      for (std::size_t k = 0; k < nc; ++k) {
        const Credit& c = p.credits[k];
        if (!p.passes[mi][k] || c.share == Credit::whole ||
            p.shares[c.share].source != Credit::Source::rollup) {
          continue;
        }
        const Decimal v = m.count ? Decimal(1)
                          : sum_columns[mi]->is_null(c.tx) ? Decimal(0)
                                                           : sum_values[mi][c.tx];
        int places = m.count ? Decimal::scale : plan.currency.minor_units();
        while (!v.has_places(places)) ++places;
        p.value[mi][k] = Decimal::mul_div(v, p.shares[c.share].percent, Decimal(100), places);
      }
    }
  }

  // Credit weights (new logos at 1.2): each credited value times its row's first matching
  // weight, after splits and roll-ups have shared the value out, so every share is weighted.
  for (std::size_t mi = 0; mi < nm; ++mi) {
    const Measure& m = plan.measures[mi];
    if (m.weights.empty()) continue;
    std::vector<std::vector<std::uint8_t>> masks;
    for (std::size_t w = 0; w < m.weights.size(); ++w) {
      masks.push_back(filter_mask(m.weights[w].filter, tx, threads));
      note_unmatched_filter(masks.back(), m.weights[w].filter, tx,
                            "measure '" + m.id + "' weight " + std::to_string(w + 1), p.notes,
                            "it weights nothing");
    }
    std::vector<const Decimal*> factor(n, nullptr);
    for (std::size_t w = m.weights.size(); w-- > 0;) {  // the first weight a row passes wins
      for (std::size_t r = 0; r < n; ++r) {
        if (masks[w][r]) factor[r] = &m.weights[w].factor;
      }
    }
    for (std::size_t k = 0; k < nc; ++k) {
      const Decimal* f = factor[p.credits[k].tx];
      if (f != nullptr && p.passes[mi][k]) p.value[mi][k] = Decimal::mul(p.value[mi][k], *f);
    }
  }

  // Quotas: (payee, measure, period start).
  {
    const Table& q = *in.quotas;
    const auto& q_start = need(q, "quotas", "period_start", ColumnType::date).values<Date>();
    const Column& q_value = need(q, "quotas", "quota", ColumnType::decimal);
    const Column* q_measure = maybe(q, "quotas", "measure", ColumnType::string);
    // Read only for a plan that uses it: elsewhere such a column is someone's information.
    const Column* q_target = uses_target_incentive(plan)
                                 ? maybe(q, "quotas", "target_incentive", ColumnType::decimal)
                                 : nullptr;
    // Boolean, or text as a reader of strings left it ("true", "false", "1", "0"): converted
    // by the CSV reader's rules, a text that is neither rejecting its row.
    const auto days_at = find_column(q, "days_prorated");
    const Column* q_days = days_at ? &q.columns()[*days_at] : nullptr;
    std::optional<Column> days_read;
    std::map<std::size_t, std::string> days_bad;  // row -> reason
    if (q_days != nullptr && q_days->type() == ColumnType::string) {
      std::vector<io::Reject> bad;
      q_days = &days_read.emplace(io::convert_strings(*q_days, ColumnType::boolean, bad));
      for (const auto& b : bad) days_bad.emplace(static_cast<std::size_t>(b.line - 1), b.value);
    } else if (q_days != nullptr) {
      q_days = &need(q, "quotas", "days_prorated", ColumnType::boolean);
    }
    auto for_days_worked = [&](std::size_t r) {
      return q_days != nullptr && !q_days->is_null(r) && q_days->values<std::uint8_t>()[r] != 0;
    };
    std::size_t no_days = 0;  // quotas of 0 for periods not worked at all
    std::string default_measure = plan.quota_measure;
    if (default_measure.empty()) {
      for (const auto& c : plan.components) {
        if (!c.measure.empty()) {
          default_measure = c.measure;
          break;
        }
      }
    }
    // Each row's reason to reject it, or its key; then, in row order, the rejects and the quotas.
    using QuotaKey = std::tuple<std::uint32_t, std::size_t, std::int32_t>;  // as Prepared::quotas
    const std::size_t nq = q.num_rows();
    std::vector<std::string> measure_of(nq), why(nq);
    std::vector<std::optional<QuotaKey>> key_of(nq);
    for (std::size_t r = 0; r < nq; ++r) {
      const std::string m = q_measure && !q_measure->is_null(r) ? q_measure->values<std::string>()[r] : default_measure;
      measure_of[r] = m;
      std::size_t mi = plan.measures.size();
      for (std::size_t k = 0; k < plan.measures.size(); ++k) {
        if (plan.measures[k].id == m) mi = k;
      }
      if (q_payee[r].empty()) {
        why[r] = "the payee_id is missing";
      } else if (const auto bad = days_bad.find(r); bad != days_bad.end()) {
        why[r] = "days_prorated '" + bad->second + "' must be true or false";
      } else if (mi == plan.measures.size()) {
        std::string ids;
        for (const auto& pm : plan.measures) ids += (ids.empty() ? "" : ", ") + pm.id;
        why[r] = "measure '" + m + "' is not in the plan (its measures: " + ids + ")";
      } else if (q_value.is_null(r)) {
        why[r] = "the quota is missing; give the payee's quota for this period (above 0)";
      } else if (q_value.values<Decimal>()[r].is_zero() && for_days_worked(r)) {
        // No day worked: no quota, as for a period the payee is not on the plan (a key all the
        // same: beside another row for the period it disagrees).
        key_of[r] = QuotaKey{static_cast<std::uint32_t>(payee_index.at(q_payee[r])), mi, q_start[r].days_since_epoch()};
      } else if (q_value.values<Decimal>()[r].sign() <= 0) {
        why[r] = "the quota " + q_value.values<Decimal>()[r].to_string() + " must be above 0";
      } else if (plan.calendar.period_containing(q_start[r], plan.quota_kind()).begin != q_start[r]) {
        why[r] = "period_start " + q_start[r].to_string() + " is not the first day of a " +
                 std::string(to_string(plan.quota_kind())) +
                 (plan.quota_period ? " (the plan's quota_period)" : " pay period");
      } else if (q_target != nullptr && !q_target->is_null(r) &&
                 q_target->values<Decimal>()[r].sign() < 0) {
        why[r] = "the target_incentive " + q_target->values<Decimal>()[r].to_string() +
                 " must be 0 or more";
      } else {
        key_of[r] = QuotaKey{static_cast<std::uint32_t>(payee_index.at(q_payee[r])), mi, q_start[r].days_since_epoch()};
      }
    }
    auto target_of = [&](std::size_t r) {
      return q_target != nullptr && !q_target->is_null(r) ? std::optional(q_target->values<Decimal>()[r])
                                                          : std::nullopt;
    };
    const auto repeated = repeated_keys(
        key_of,
        [&](std::size_t a, std::size_t b) {
          return q_value.values<Decimal>()[a] == q_value.values<Decimal>()[b] &&
                 target_of(a) == target_of(b) && for_days_worked(a) == for_days_worked(b);
        },
        [&](std::size_t r) {
          std::string shown = q_value.values<Decimal>()[r].to_string();
          if (const auto t = target_of(r)) shown += " target_incentive " + t->to_string();
          if (for_days_worked(r)) shown += " days_prorated";
          return shown;
        },
        q, "quota", &p.conflicting_quotas);
    for (std::size_t r = 0; r < nq; ++r) {
      if (key_of[r] && repeated[r].empty()) {
        if (q_value.values<Decimal>()[r].is_zero()) {
          ++no_days;
          continue;
        }
        p.quotas.emplace(*key_of[r], q_value.values<Decimal>()[r]);
        if (const auto t = target_of(r)) p.targets.emplace(*key_of[r], *t);
        if (for_days_worked(r)) p.days_prorated.insert(*key_of[r]);
        continue;
      }
      const std::string& reason = key_of[r] ? repeated[r] : why[r];
      if (!reason.empty()) {
        rejects.add("quotas", row_number(q, r), measure_of[r], q_payee[r], q_start[r].to_string(), reason);
      }
    }
    if (no_days > 0) {
      p.notes.push_back(std::to_string(no_days) +
                        " quota rows of 0 marked days_prorated (no day worked, or all of it "
                        "relieved) were skipped; a payee credited in such a period is rejected "
                        "for a missing quota");
    }
  }

  // Scores for score multipliers.
  if (in.scores != nullptr) {
    const Table& s = *in.scores;
    const auto& s_payee = need(s, "scores", "payee_id", ColumnType::string).values<std::string>();
    const auto& s_start = need(s, "scores", "period_start", ColumnType::date).values<Date>();
    const auto& s_name = need(s, "scores", "score", ColumnType::string).values<std::string>();
    const Column& s_value_col = need(s, "scores", "value", ColumnType::decimal);
    const auto& s_value = s_value_col.values<Decimal>();
    using ScoreKey = std::tuple<std::uint32_t, std::string, std::int32_t>;
    std::vector<std::optional<ScoreKey>> key_of(s.num_rows());
    std::vector<std::string> why(s.num_rows());
    for (std::size_t r = 0; r < s.num_rows(); ++r) {
      const auto it = payee_index.find(s_payee[r]);
      if (it == payee_index.end()) continue;  // no credits and no quota: nothing to multiply
      if (s_value_col.is_null(r)) {
        why[r] = "the value is missing";
      } else if (plan.calendar.period_containing(s_start[r], plan.pay_period).begin != s_start[r]) {
        why[r] = "period_start " + s_start[r].to_string() + " is not the first day of a " +
                 std::string(to_string(plan.pay_period)) + " pay period";
      } else {
        key_of[r] = ScoreKey{it->second, s_name[r], s_start[r].days_since_epoch()};
      }
    }
    const auto repeated = repeated_keys(
        key_of, [&](std::size_t a, std::size_t b) { return s_value[a] == s_value[b]; },
        [&](std::size_t r) { return s_value[r].to_string(); }, s, "score");
    for (std::size_t r = 0; r < s.num_rows(); ++r) {
      if (key_of[r] && repeated[r].empty()) {
        p.scores.emplace(*key_of[r], s_value[r]);
        continue;
      }
      const std::string& reason = key_of[r] ? repeated[r] : why[r];
      if (!reason.empty()) {
        rejects.add("scores", row_number(s, r), s_name[r], s_payee[r], s_start[r].to_string(), reason);
      }
    }
  }
  return p;
}

}  // namespace spm::comp::detail

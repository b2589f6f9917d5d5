// Run fingerprints: SHA-256 of the plan versions, the range and the input tables, with each
// table hashed independently of its row and column order.
#include <algorithm>
#include <array>
#include <cstring>
#include <filesystem>

#include <spm/comp/files.hpp>
#include <spm/comp/lifecycle.hpp>

#include "../core/sha256.hpp"

namespace spm::comp {
namespace {

using io::Column;
using io::ColumnType;
using io::Table;

// 64-bit FNV-1a from a given basis, then a final mix: a cheap per-cell hash. Two lanes with
// different bases make each row's hash 128 bits before the SHA-256 digest over them.
struct Fnv {
  std::uint64_t h;
  void bytes(const void* p, std::size_t n) {
    const auto* c = static_cast<const unsigned char*>(p);
    for (std::size_t i = 0; i < n; ++i) h = (h ^ c[i]) * 0x100000001b3ULL;
  }
  [[nodiscard]] std::uint64_t done() const {
    std::uint64_t x = h;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
  }
};
constexpr std::uint64_t lane_basis[2] = {0xcbf29ce484222325ULL, 0x6c62272e07bb0142ULL};

std::uint64_t cell(const Column& c, std::size_t r, std::uint64_t basis) {
  Fnv f{basis};
  if (c.is_null(r)) {
    f.bytes("\0null", 5);
    return f.done();
  }
  switch (c.type()) {
    case ColumnType::string: {
      const auto s = c.strings()[r];
      f.bytes(s.data(), s.size());
      break;
    }
    case ColumnType::decimal: {
      const auto raw = c.values<Decimal>()[r].raw();
      f.bytes(&raw, sizeof raw);
      break;
    }
    case ColumnType::date: {
      const auto d = c.values<Date>()[r].days_since_epoch();
      f.bytes(&d, sizeof d);
      break;
    }
    default: {
      const std::string t = c.text(r);
      f.bytes(t.data(), t.size());
    }
  }
  return f.done();
}

// Rows hash as the sum of their columns' (name, value) hashes salted by the column's name and
// type, so the column order does not matter; the sorted row hashes go into the digest.
void add_table(detail::Sha256& sha, const char* name, const Table* t) {
  sha.update(name);
  if (t == nullptr) {
    sha.update("|absent|");
    return;
  }
  std::vector<std::array<std::uint64_t, 2>> rows(t->num_rows(), {0, 0});
  std::vector<std::string> names;
  for (const auto& c : t->columns()) {
    if (c.name() == "_line") continue;  // where a row came from, not what it says
    names.push_back(c.name() + ":" + std::string(io::to_string(c.type())));
    for (int lane = 0; lane < 2; ++lane) {
      Fnv nf{lane_basis[lane]};
      nf.bytes(names.back().data(), names.back().size());
      const std::uint64_t salt = nf.done();
      for (std::size_t r = 0; r < rows.size(); ++r) {
        rows[r][lane] += (cell(c, r, lane_basis[lane]) ^ salt) * 0x9e3779b97f4a7c15ULL;
      }
    }
  }
  std::sort(names.begin(), names.end());
  std::sort(rows.begin(), rows.end());
  for (const auto& n : names) sha.update(n + ";");
  sha.update("|rows:" + std::to_string(rows.size()) + "|");
  for (const auto& x : rows) {
    char b[16];
    std::memcpy(b, x.data(), 16);
    sha.update(std::string_view(b, 16));
  }
}

}  // namespace

std::string fingerprint(std::span<const Plan> versions, const CompInputs& in,
                        const LifecycleInputs& life, const Period& range) {
  detail::Sha256 sha;
  sha.update("spm-run-1|");
  std::vector<std::string> plans;
  for (const auto& v : versions) {
    plans.push_back(v.document.empty() ? "code:" + v.id + "@" + std::to_string(v.version)
                                       : v.document);
  }
  std::sort(plans.begin(), plans.end());
  for (const auto& p : plans) sha.update(p + "|");
  sha.update(range.to_string() + "|");
  add_table(sha, "transactions", in.transactions);
  add_table(sha, "quotas", in.quotas);
  add_table(sha, "credits", in.credits);
  add_table(sha, "credit_rules", in.credit_rules);
  add_table(sha, "assignments", in.assignments);
  add_table(sha, "scores", in.scores);
  add_table(sha, "hierarchy", in.hierarchy);
  add_table(sha, "relationships", in.relationships);
  add_table(sha, "fx_rates", in.fx_rates);
  add_table(sha, "adjustments", life.adjustments);
  add_table(sha, "draws", life.draws);
  add_table(sha, "cancellations", life.cancellations);
  add_table(sha, "events", life.events);
  add_table(sha, "terminations", life.terminations);
  add_table(sha, "paid", life.paid);
  add_table(sha, "payees", life.payees);
  add_table(sha, "opening", life.opening);
  return sha.hex();
}

std::string fingerprint(const std::string& settled, const Table& reader_rejects) {
  if (reader_rejects.num_rows() == 0) return settled;
  detail::Sha256 sha;
  sha.update("spm-files-1|" + settled + "|");
  // The file's name, not the folder it was read from: the same files elsewhere, the same print.
  Table named = reader_rejects;
  if (const auto i = named.find("source")) {
    std::vector<std::string> names;
    for (std::size_t r = 0; r < named.num_rows(); ++r) {
      names.push_back(std::filesystem::path(std::string(named.strings("source")[r])).filename().string());
    }
    named.columns()[*i] = io::Column::of("source", std::move(names));
  }
  add_table(sha, "reader_rejects", &named);
  return sha.hex();
}

}  // namespace spm::comp

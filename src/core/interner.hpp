// Strings to dense numbers in order of first sight: an open-addressing table of views, for ids
// read from input columns (the views must outlive the table). Shared by the modules' sources.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "hash.hpp"

namespace spm::detail {

class Interner {
 public:
  static constexpr std::uint32_t none = UINT32_MAX;

  Interner() : slots_(64, none), mask_(63) {}
  /// Room for n ids without growing.
  void reserve(std::size_t n) {
    ids_.reserve(n);
    hashes_.reserve(n);
    std::size_t cap = slots_.size();
    while (cap < 2 * n) cap *= 2;
    if (cap != slots_.size()) rehash(cap);
  }
  /// The id's number, adding it when new.
  std::uint32_t operator()(std::string_view id) {
    const std::size_t h = hash_bytes(id);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const std::uint32_t s = slots_[i];
      if (s == none) {
        slots_[i] = static_cast<std::uint32_t>(ids_.size());
        ids_.push_back(id);
        hashes_.push_back(h);
        if (2 * ids_.size() > slots_.size()) rehash(slots_.size() * 2);
        return static_cast<std::uint32_t>(ids_.size() - 1);
      }
      if (hashes_[s] == h && same_bytes(ids_[s], id)) return s;
    }
  }
  /// The id's number, or `none` when it was never added.
  [[nodiscard]] std::uint32_t find(std::string_view id) const {
    const std::size_t h = hash_bytes(id);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const std::uint32_t s = slots_[i];
      if (s == none) return none;
      if (hashes_[s] == h && same_bytes(ids_[s], id)) return s;
    }
  }
  [[nodiscard]] const std::vector<std::string_view>& ids() const { return ids_; }
  [[nodiscard]] std::size_t size() const noexcept { return ids_.size(); }

 private:
  void rehash(std::size_t cap) {
    slots_.assign(cap, none);
    mask_ = cap - 1;
    for (std::size_t s = 0; s < ids_.size(); ++s) {
      std::size_t i = hashes_[s] & mask_;
      while (slots_[i] != none) i = (i + 1) & mask_;
      slots_[i] = static_cast<std::uint32_t>(s);
    }
  }
  std::vector<std::uint32_t> slots_;
  std::vector<std::string_view> ids_;
  std::vector<std::size_t> hashes_;
  std::size_t mask_;
};

}  // namespace spm::detail

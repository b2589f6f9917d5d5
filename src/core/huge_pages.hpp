// Large arrays that are filled once (a node per rep, a trace step per adjustment): on Linux, ask
// for transparent huge pages before they are first touched, so that filling 20 MB costs ten page
// faults instead of five thousand. Elsewhere, or when the system says no, nothing changes.
#pragma once

#include <cstddef>
#include <cstdint>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace spm::detail {

/// Below this, a vector's pages are few and the advice is not worth a system call.
inline constexpr std::size_t huge_page_min_bytes = std::size_t{2} << 20;

/// Advises the whole 2 MiB pages inside [data, data + bytes) to be backed by huge pages.
inline void advise_huge_pages(const void* data, std::size_t bytes) noexcept {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (bytes < huge_page_min_bytes) return;
  constexpr std::uintptr_t page = std::uintptr_t{2} << 20;
  const auto begin = (reinterpret_cast<std::uintptr_t>(data) + page - 1) & ~(page - 1);
  const auto end = (reinterpret_cast<std::uintptr_t>(data) + bytes) & ~(page - 1);
  if (end > begin) {
    // Only advice: a failure leaves ordinary pages, which are correct, just slower to fault in.
    (void)madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
  }
#else
  (void)data;
  (void)bytes;
#endif
}

/// Reserves room for `n` elements and advises the new storage (call before filling it).
template <class Vector>
void reserve_huge(Vector& v, std::size_t n) {
  if (n <= v.capacity()) return;
  v.reserve(n);
  advise_huge_pages(v.data(), v.capacity() * sizeof(typename Vector::value_type));
}

}  // namespace spm::detail

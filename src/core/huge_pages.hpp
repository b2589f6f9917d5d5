// Large arrays that are filled once (a node per rep, a payout line per credit): on Linux, ask for
// transparent huge pages before they are first touched, so that filling 20 MB costs ten page
// faults instead of five thousand. Only when the kernel has free 2 MiB blocks at hand: otherwise
// it would compact memory to make them, which costs more than the small pages' faults. Elsewhere,
// or when the system says no, nothing changes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace spm::detail {

/// Below this, a vector's pages are few and the advice is not worth a system call.
inline constexpr std::size_t huge_page_min_bytes = std::size_t{1} << 20;

/// Bytes free in blocks of 2 MiB or more in a /proc/buddyinfo text ("Node 0, zone Normal c0 c1
/// ... c10": free blocks of 4 KiB << order per order, order 9 being 2 MiB).
[[nodiscard]] std::size_t free_huge_page_bytes(std::string_view buddyinfo) noexcept;

/// The same of this machine (Linux); 0 when not known.
[[nodiscard]] std::size_t free_huge_page_bytes() noexcept;

/// Advises the 4 KiB pages holding [data, data + bytes) to be backed by huge pages, when at least
/// twice that many bytes are free in 2 MiB blocks. The kernel backs only whole 2 MiB pages of an
/// advised range with huge pages; the first page holds malloc's header of a mapped array.
void advise_huge_pages(const void* data, std::size_t bytes) noexcept;

/// Reserves room for at least `n` elements and advises the new storage (call before filling it).
/// The room is rounded up so that malloc's mapping (the bytes and its header, within a 4 KiB
/// page) is a whole number of 2 MiB pages, which the kernel places on a 2 MiB boundary: the first
/// huge page then starts at the mapping, not up to 2 MiB into the array. The rest of the last
/// huge page is never touched, so it costs address space only.
template <class Vector>
void reserve_huge(Vector& v, std::size_t n) {
  if (n <= v.capacity()) return;
  using T = typename Vector::value_type;
  const std::size_t bytes = n * sizeof(T);
  if (bytes >= huge_page_min_bytes) {
    constexpr std::size_t page = std::size_t{2} << 20, header = 4096;
    n = ((bytes + header + page - 1) / page * page - header) / sizeof(T);
  }
  v.reserve(n);
  advise_huge_pages(v.data(), v.capacity() * sizeof(T));
}

/// Gives the memory of the whole pages of `page` bytes (a power of two, 2 MiB by default: a huge
/// page is not split) inside [data, data + bytes) back to the system, for a part of an array that
/// is never read again (a long run frees what it has consumed, so its peak is not the sum of its
/// inputs and its outputs). Those bytes read as zeros afterwards. Linux; elsewhere nothing happens.
void release_pages(const void* data, std::size_t bytes,
                   std::size_t page = std::size_t{2} << 20) noexcept;

/// resize(n) into advised storage (the fill is the first touch).
template <class Vector>
void resize_huge(Vector& v, std::size_t n) {
  reserve_huge(v, n);
  v.resize(n);
}

}  // namespace spm::detail

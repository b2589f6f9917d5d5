#include "huge_pages.hpp"

#include <charconv>
#include <cstdio>
#include <algorithm>
#include <system_error>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace spm::detail {

std::size_t free_huge_page_bytes(std::string_view text) noexcept {
  std::size_t bytes = 0;
  while (!text.empty()) {
    const std::size_t eol = std::min(text.find('\n'), text.size());
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(std::min(eol + 1, text.size()));
    const std::size_t zone = line.find("zone");
    if (zone == std::string_view::npos) continue;
    line.remove_prefix(zone + 4);
    line.remove_prefix(std::min(line.find_first_not_of(' '), line.size()));
    line.remove_prefix(std::min(line.find(' '), line.size()));  // the zone's name
    for (int order = 0;; ++order) {
      line.remove_prefix(std::min(line.find_first_not_of(' '), line.size()));
      std::size_t count = 0;
      const auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), count);
      if (ec != std::errc()) break;
      line.remove_prefix(static_cast<std::size_t>(end - line.data()));
      if (order >= 9) bytes += count * (std::size_t{4096} << order);
    }
  }
  return bytes;
}

std::size_t free_huge_page_bytes() noexcept {
#if defined(__linux__)
  std::FILE* f = std::fopen("/proc/buddyinfo", "r");
  if (f == nullptr) return 0;
  char buffer[4096];
  const std::size_t n = std::fread(buffer, 1, sizeof buffer, f);
  std::fclose(f);
  return free_huge_page_bytes(std::string_view(buffer, n));
#else
  return 0;
#endif
}

void advise_huge_pages(const void* data, std::size_t bytes) noexcept {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (bytes < huge_page_min_bytes) return;
  constexpr std::uintptr_t small = 4096;
  const auto begin = reinterpret_cast<std::uintptr_t>(data) & ~(small - 1);
  // To the end of the last 4 KiB page: arrays side by side on malloc's heap then make one
  // advised range, whose 2 MiB pages straddling two arrays are huge pages too.
  const auto end = (reinterpret_cast<std::uintptr_t>(data) + bytes + small - 1) & ~(small - 1);
  // Without free 2 MiB blocks the kernel would compact memory for each huge page.
  if (free_huge_page_bytes() / 2 < end - begin) return;
  // Only advice: a failure leaves ordinary pages, which are correct, just slower to fault in.
  (void)madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
  (void)data;
  (void)bytes;
#endif
}

void release_pages(const void* data, std::size_t bytes, std::size_t page) noexcept {
#if defined(__linux__) && defined(MADV_DONTNEED)
  const std::uintptr_t mask = std::max<std::uintptr_t>(page, 4096) - 1;
  const auto at = reinterpret_cast<std::uintptr_t>(data);
  const std::uintptr_t begin = (at + mask) & ~mask;
  const std::uintptr_t end = (at + bytes) & ~mask;
  if (end <= begin) return;
  // Only advice too: when it fails the pages stay, which costs memory, not correctness.
  (void)madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED);
#else
  (void)data;
  (void)bytes;
  (void)page;
#endif
}

}  // namespace spm::detail

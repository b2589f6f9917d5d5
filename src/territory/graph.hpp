// Adjacency as compressed rows, and its connected pieces.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include <spm/territory/instance.hpp>

namespace spm::territory::detail {

struct Graph {
  std::vector<std::uint32_t> offset, next;
  Graph(std::size_t n, const std::vector<Edge>& edges);
  [[nodiscard]] std::span<const std::uint32_t> of(std::size_t i) const {
    return {next.data() + offset[i], offset[i + 1] - offset[i]};
  }
};

/// A piece label per unit; returns the number of pieces.
std::size_t label_pieces(const Graph& g, std::size_t n, std::vector<std::uint32_t>& label);

}  // namespace spm::territory::detail

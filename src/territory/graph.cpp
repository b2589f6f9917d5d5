#include "graph.hpp"

namespace spm::territory::detail {

Graph::Graph(std::size_t n, const std::vector<Edge>& edges) : offset(n + 1, 0) {
  for (const auto& [a, b] : edges) {
    ++offset[a + 1];
    ++offset[b + 1];
  }
  for (std::size_t i = 0; i < n; ++i) offset[i + 1] += offset[i];
  next.resize(offset[n]);
  std::vector<std::uint32_t> fill(offset.begin(), offset.end() - 1);
  for (const auto& [a, b] : edges) {
    next[fill[a]++] = b;
    next[fill[b]++] = a;
  }
}

std::size_t label_pieces(const Graph& g, std::size_t n, std::vector<std::uint32_t>& label) {
  label.assign(n, UINT32_MAX);
  std::size_t pieces = 0;
  std::vector<std::uint32_t> stack;
  for (std::uint32_t s = 0; s < n; ++s) {
    if (label[s] != UINT32_MAX) continue;
    label[s] = static_cast<std::uint32_t>(pieces);
    stack.push_back(s);
    while (!stack.empty()) {
      const auto v = stack.back();
      stack.pop_back();
      for (const auto w : g.of(v)) {
        if (label[w] == UINT32_MAX) {
          label[w] = static_cast<std::uint32_t>(pieces);
          stack.push_back(w);
        }
      }
    }
    ++pieces;
  }
  return pieces;
}

}  // namespace spm::territory::detail

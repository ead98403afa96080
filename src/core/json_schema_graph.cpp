#include "core/json_schema_graph.h"

#include <algorithm>

namespace weft::schema_lowering {

namespace {
Error invalid(const std::string& message) { return Error::make("invalid_schema", message); }
}  // namespace

std::size_t SubschemaGraph::add(std::string where) {
  nodes_.push_back({std::move(where), {}});
  return nodes_.size() - 1;
}

void SubschemaGraph::link(std::size_t from, std::size_t to, Edge kind) { nodes_[from].edges.emplace_back(to, kind); }

void SubschemaGraph::unlink_all(std::size_t from) { nodes_[from].edges.clear(); }

// A depth-first search over in-place edges, without recursion (a chain may be long).
Result<std::size_t> SubschemaGraph::longest_in_place_chain() const {
  enum : char { kNew, kOnPath, kDone };
  std::vector<char> state(nodes_.size(), kNew);
  std::vector<std::size_t> chain(nodes_.size(), 1);  // longest in-place chain from a node
  std::size_t longest = 0;
  for (std::size_t start = 0; start < nodes_.size(); ++start) {
    if (state[start] != kNew) continue;
    std::vector<std::pair<std::size_t, std::size_t>> stack{{start, 0}};  // node, next edge
    state[start] = kOnPath;
    while (!stack.empty()) {
      auto& [node, next] = stack.back();
      if (next == nodes_[node].edges.size()) {
        for (const auto& [to, kind] : nodes_[node].edges) {
          if (kind == Edge::in_place) chain[node] = std::max(chain[node], chain[to] + 1);
        }
        longest = std::max(longest, chain[node]);
        state[node] = kDone;
        stack.pop_back();
        continue;
      }
      const auto [to, kind] = nodes_[node].edges[next++];
      if (kind != Edge::in_place || state[to] == kDone) continue;
      if (state[to] == kOnPath) {
        return invalid("the subschema at " + nodes_[to].where +
                       " applies itself (through $ref) without descending into the instance");
      }
      state[to] = kOnPath;
      stack.emplace_back(to, 0);
    }
  }
  return longest;
}

// Tarjan's strongly connected components, without recursion. Components come out sinks first,
// so the longest chain below each is known when it is emitted.
Status SubschemaGraph::check_chain_length(std::size_t limit) const {
  const std::size_t n = nodes_.size();
  constexpr std::size_t kUnseen = static_cast<std::size_t>(-1);
  std::vector<std::size_t> index(n, kUnseen), low(n), group(n, kUnseen);
  std::vector<char> on_stack(n, 0);
  std::vector<std::size_t> members, longest;
  std::size_t counter = 0;
  for (std::size_t root = 0; root < n; ++root) {
    if (index[root] != kUnseen) continue;
    std::vector<std::pair<std::size_t, std::size_t>> calls{{root, 0}};
    index[root] = low[root] = counter++;
    members.push_back(root);
    on_stack[root] = 1;
    while (!calls.empty()) {
      auto& [v, next] = calls.back();
      if (next < nodes_[v].edges.size()) {
        const std::size_t w = nodes_[v].edges[next++].first;
        if (index[w] == kUnseen) {
          index[w] = low[w] = counter++;
          members.push_back(w);
          on_stack[w] = 1;
          calls.emplace_back(w, 0);
        } else if (on_stack[w]) {
          low[v] = std::min(low[v], index[w]);
        }
        continue;
      }
      const std::size_t done = v;
      calls.pop_back();
      if (!calls.empty()) low[calls.back().first] = std::min(low[calls.back().first], low[done]);
      if (low[done] != index[done]) continue;
      const std::size_t g = longest.size();
      std::vector<std::size_t> in_group;
      while (true) {
        const std::size_t m = members.back();
        members.pop_back();
        on_stack[m] = 0;
        group[m] = g;
        in_group.push_back(m);
        if (m == done) break;
      }
      std::size_t below = 0;
      for (auto m : in_group) {
        for (const auto& [to, kind] : nodes_[m].edges) {
          if (group[to] != g) below = std::max(below, longest[group[to]]);
        }
      }
      longest.push_back(in_group.size() + below);
      if (longest.back() > limit) {
        return invalid("subschemas chain (through nesting and $ref) more than " + std::to_string(limit) +
                       " deep from " + nodes_[done].where);
      }
    }
  }
  return {};
}

}  // namespace weft::schema_lowering

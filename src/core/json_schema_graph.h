// core/json_schema_graph.h — owns the graph of a schema's subschemas (nesting and $ref edges) and
// the checks that keep valijson's recursion finite and bounded. It knows nothing of keywords:
// the lowering (json_schema_lowering.h) adds the nodes and edges. Internal to core.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"

namespace weft::schema_lowering {

class SubschemaGraph {
 public:
  // in_place: the child applies to the same value (allOf, anyOf, oneOf, not, if/then/else,
  // dependencies, $ref); descends: to a part of it (properties, items, additionalProperties…).
  enum class Edge { in_place, descends };

  // A new node; `where` names it in messages ("#/definitions/a"). Returns its index.
  std::size_t add(std::string where);
  void link(std::size_t from, std::size_t to, Edge kind);
  // Drops every edge from `from` (a $ref object: its other keywords are not applied).
  void unlink_all(std::size_t from);

  // The longest chain of in-place applications, counted in subschemas; "invalid_schema" when
  // there is a cycle of them (valijson would recurse forever on any value).
  Result<std::size_t> longest_in_place_chain() const;

  // "invalid_schema" when a chain through any edges is longer than `limit` subschemas, counting
  // every member of a group of mutually recursive subschemas (valijson's parser may walk through
  // all of them before it meets one it has built).
  Status check_chain_length(std::size_t limit) const;

 private:
  struct Node {
    std::string where;
    std::vector<std::pair<std::size_t, Edge>> edges;
  };
  std::vector<Node> nodes_;
};

}  // namespace weft::schema_lowering

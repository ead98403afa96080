// core/edit_distance.h — owns the Levenshtein distance used for "did you mean" suggestions
// (action keys, step ids). Pure function; no allocation beyond two rows.
#pragma once

#include <cstddef>
#include <string_view>

namespace weft {

// Insertions, deletions and substitutions needed to turn `a` into `b`.
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace weft

// core/edit_distance.h — owns the Levenshtein distance used for "did you mean" suggestions
// (action keys, step ids). Pure function; no allocation beyond two rows. Callers keep the
// inputs short (suggestions are only computed for names of at most kMaxSuggestedNameLength).
#pragma once

#include <cstddef>
#include <string_view>

namespace weft {

// Names longer than this get no "did you mean": nothing that long is a typo of an identifier,
// and the distance costs the product of the lengths.
inline constexpr std::size_t kMaxSuggestedNameLength = 64;

// Insertions, deletions and substitutions needed to turn `a` into `b`, or `limit` + 1 when it
// is more than `limit`. Costs O(min(|a|, |b|) × (2 × limit + 1)) time: only the band of the
// table within `limit` of the diagonal is computed, and unequal lengths farther apart than
// `limit` answer at once.
std::size_t edit_distance(std::string_view a, std::string_view b,
                          std::size_t limit = static_cast<std::size_t>(-1) / 2);

}  // namespace weft

#include "core/edit_distance.h"

#include <algorithm>
#include <vector>

namespace weft {

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit) {
  if (a.size() < b.size()) std::swap(a, b);  // b is the shorter: rows of |b| + 1
  if (a.size() - b.size() > limit) return limit + 1;
  const std::size_t over = limit + 1;  // "more than limit"; every cell is capped at it
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = std::min(j, over);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    // Cells farther than `limit` from the diagonal exceed it: only [lo, hi] is computed.
    const std::size_t lo = i > limit ? i - limit : 1;
    const std::size_t hi = std::min(b.size(), i + limit);
    cur[0] = std::min(i, over);
    if (lo > 1) cur[lo - 1] = over;
    std::size_t best = cur[0];
    for (std::size_t j = lo; j <= hi; ++j) {
      const std::size_t diag = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      const std::size_t up = j <= i - 1 + limit ? prev[j] + 1 : over;  // prev[j] is in last row's band
      cur[j] = std::min({diag, up, cur[j - 1] + 1, over});
      best = std::min(best, cur[j]);
    }
    if (hi < b.size()) cur[hi + 1] = over;
    if (best >= over) return over;  // a row never gets cheaper than the one before it
    std::swap(prev, cur);
  }
  return std::min(prev[b.size()], over);
}

}  // namespace weft

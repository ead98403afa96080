// policy/policy_fields.h — owns the small field helpers the three policy types share (sorted
// string sets, reading a validated document's fields). Internal to src/policy; no storage.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "core/json.h"

namespace weft::policy::fields {

inline std::vector<std::string> sorted_unique(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

inline std::vector<std::string> strings(const json& array) {
  std::vector<std::string> out;
  for (const auto& item : array) out.push_back(item.get<std::string>());
  return sorted_unique(std::move(out));
}

inline std::vector<std::string> intersection(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::string> out;
  for (const auto& x : a) {
    if (std::find(b.begin(), b.end(), x) != b.end()) out.push_back(x);
  }
  return sorted_unique(std::move(out));
}

inline std::vector<std::string> union_of(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return sorted_unique(std::move(a));
}

// The items of `have` missing from `want`.
inline std::vector<std::string> missing(const std::vector<std::string>& want, const std::vector<std::string>& have) {
  std::vector<std::string> out;
  for (const auto& x : want) {
    if (std::find(have.begin(), have.end(), x) == have.end()) out.push_back(x);
  }
  return out;
}

inline std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "'" : ", '") + s + "'";
  return out;
}

}  // namespace weft::policy::fields

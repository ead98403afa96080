#include "bundles/problem.h"

#include "core/assert.h"

namespace weft::bundles {

json to_json(const Problem& problem) {
  return {{"path", problem.path}, {"code", problem.code}, {"message", problem.message}};
}

Error invalid_bundle(const std::vector<Problem>& problems) {
  WEFT_ASSERT(!problems.empty());
  constexpr std::size_t kSpelledOut = 20;
  std::string message = "bundle is invalid: ";
  json details = json::array();
  for (std::size_t i = 0; i < problems.size(); ++i) {
    const Problem& p = problems[i];
    if (i < kSpelledOut) message += (i ? "; " : "") + (p.path.empty() ? p.message : p.path + ": " + p.message);
    details.push_back(to_json(p));
  }
  if (problems.size() > kSpelledOut) {
    message += "; and " + std::to_string(problems.size() - kSpelledOut) + " more";
  }
  return Error::make(kBundleInvalid, std::move(message), std::move(details));
}

std::vector<Problem> problems_of(const Error& error) {
  std::vector<Problem> out;
  if (error.code != kBundleInvalid || !error.details.is_array()) return out;
  for (const auto& d : error.details) {
    if (!d.is_object()) continue;
    out.push_back({d.value("path", ""), d.value("code", ""), d.value("message", "")});
  }
  return out;
}

}  // namespace weft::bundles

// bundles/problem.h — owns the shape of "why a bundle is refused": one Problem per broken rule,
// each naming the archive file or manifest path it is about, and the one error that carries
// them all (code bundle_invalid, details = the problems). Knows no rule itself.
#pragma once

#include <string>
#include <vector>

#include "core/json.h"
#include "core/result.h"

namespace weft::bundles {

// The public error code of a refused bundle (HTTP 400, CLI exit 1).
inline constexpr char kBundleInvalid[] = "bundle_invalid";

struct Problem {
  std::string path;     // "dist/../x.js", "manifest.json#/products/0/blocks/1/id", "meta/sbom.cdx.json"
  std::string code;     // a stable reason: "symlink", "path_traversal", "manifest_schema", …
  std::string message;  // for people: "is a symbolic link; bundles may hold regular files only"
};

// {"path","code","message"}.
json to_json(const Problem& problem);

// bundle_invalid, message "bundle is invalid: <path>: <message>; …" (every problem, at most
// 20 spelled out in the message), details = [{path, code, message}, …] (every problem).
// Precondition: !problems.empty().
Error invalid_bundle(const std::vector<Problem>& problems);

// The problems of an error made by invalid_bundle (empty for any other error).
std::vector<Problem> problems_of(const Error& error);

}  // namespace weft::bundles

// core/ecma_regex.h — owns the one regular-expression engine that may see untrusted text: RE2
// (linear time, no recursion per character), fed ECMA-262 patterns (JSON Schema's dialect, as a
// browser's RegExp with the "u" flag reads them). Nothing else in Weft may run std::regex on input.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

namespace re2 {
class RE2;
}

namespace weft {

// A compiled pattern: immutable, cheap to copy (shared), safe to use from any thread.
class EcmaRegex {
 public:
  // Longest pattern source accepted, in bytes.
  static constexpr std::size_t kMaxPatternBytes = 8 * 1024;
  // Memory RE2 may use for one compiled pattern (program and DFA caches): a hostile pattern such
  // as `(.{1000}){1000}` fails to compile instead of taking memory.
  static constexpr std::int64_t kMaxMemoryBytes = 512 * 1024;

  // Translates the ECMA-262 constructs RE2 spells differently (\uXXXX, \u{…}, \cX, \0, \s, `.`,
  // `[]`, `[^]`, `(?<name>`) and compiles. Constructs RE2 cannot run in linear time — lookaround,
  // backreferences — fail with "invalid_regex" and RE2's reason.
  static Result<EcmaRegex> compile(std::string_view pattern);

  // True when the pattern matches somewhere in `text` (unanchored, like ECMA-262 RegExp.test).
  bool search(std::string_view text) const;

  // The pattern as written (ECMA-262).
  const std::string& source() const { return *source_; }

 private:
  std::shared_ptr<const re2::RE2> re_;
  std::shared_ptr<const std::string> source_;
};

// Exposed for tests: the RE2 syntax `compile` hands to RE2 for `pattern`.
Result<std::string> ecma_to_re2_syntax(std::string_view pattern);

}  // namespace weft

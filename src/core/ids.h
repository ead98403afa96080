// core/ids.h — owns identifiers: strong id types (RunId, WorkflowId, …) and their generation as
// "<prefix>_<ULID>" (48-bit ms timestamp + 80 random bits, Crockford base32: sortable by time).
#pragma once

#include <compare>
#include <functional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace weft {

// A typed id: a RunId cannot be passed where a WorkflowId is expected.
template <typename Tag>
class Id {
 public:
  Id() = default;
  explicit Id(std::string value) : value_(std::move(value)) {}

  const std::string& str() const { return value_; }
  bool empty() const { return value_.empty(); }
  auto operator<=>(const Id&) const = default;

  static constexpr std::string_view prefix() { return Tag::prefix; }

 private:
  std::string value_;
};

struct OrgTag { static constexpr std::string_view prefix = "org"; };
struct UserTag { static constexpr std::string_view prefix = "usr"; };
struct WorkflowTag { static constexpr std::string_view prefix = "wf"; };
struct RunTag { static constexpr std::string_view prefix = "run"; };
struct CredentialTag { static constexpr std::string_view prefix = "cred"; };
struct JobTag { static constexpr std::string_view prefix = "job"; };
struct BundleTag { static constexpr std::string_view prefix = "bun"; };

using OrgId = Id<OrgTag>;
using UserId = Id<UserTag>;
using WorkflowId = Id<WorkflowTag>;
using RunId = Id<RunTag>;
using CredentialId = Id<CredentialTag>;
using JobId = Id<JobTag>;
using BundleId = Id<BundleTag>;

// "<prefix>_" followed by a 26-character ULID taken at `clock.now_ms()`. Thread-safe.
std::string new_id_string(std::string_view prefix, const Clock& clock);

template <typename IdT>
IdT new_id(const Clock& clock = SystemClock::instance()) {
  return IdT(new_id_string(IdT::prefix(), clock));
}

// True when `text` is a plausible id: 1–128 chars of [A-Za-z0-9_-]. Guards paths and logs.
bool is_safe_id(std::string_view text);

}  // namespace weft

template <typename Tag>
struct std::hash<weft::Id<Tag>> {
  std::size_t operator()(const weft::Id<Tag>& id) const noexcept {
    return std::hash<std::string>{}(id.str());
  }
};

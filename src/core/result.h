// core/result.h — owns Error (a failure with a stable code) and Result<T> (value or Error).
// Expected failures travel as Result; exceptions are for the truly exceptional only.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <variant>

#include "core/assert.h"

namespace weft {

// A failure with a stable machine-readable `code`. Only a *public* error may be shown to a
// user (HTTP body, step error, CLI); an internal one is logged and shown as "internal_error",
// so a secret inside an internal message never leaks.
struct Error {
  std::string code;
  std::string message;
  nlohmann::json details = nullptr;
  bool is_public = true;

  // A user-facing error with a stable code.
  static Error make(std::string code, std::string message, nlohmann::json details = nullptr) {
    return Error{std::move(code), std::move(message), std::move(details), true};
  }
  // An error whose message may hold internal detail; shown to users as internal_error.
  static Error internal(std::string message) {
    return Error{"internal_error", std::move(message), nullptr, false};
  }
  static Error not_found(std::string what) {
    return make("not_found", std::move(what) + " not found");
  }

  // {"code","message","details"?} with internal errors masked.
  nlohmann::json to_public_json() const;
};

// Holds either a T or an Error. Access the wrong side and WEFT_ASSERT fires.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { WEFT_ASSERT(ok()); return std::get<0>(v_); }
  const T& value() const& { WEFT_ASSERT(ok()); return std::get<0>(v_); }
  T take() && { WEFT_ASSERT(ok()); return std::move(std::get<0>(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { WEFT_ASSERT(!ok()); return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { WEFT_ASSERT(!ok_); return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace weft

#define WEFT_CONCAT_INNER(a, b) a##b
#define WEFT_CONCAT(a, b) WEFT_CONCAT_INNER(a, b)

// Evaluates a Result expression; on error returns the error from the enclosing function.
#define WEFT_TRY(expr)                                  \
  do {                                                  \
    auto&& weft_try_result_ = (expr);                   \
    if (!weft_try_result_.ok()) return weft_try_result_.error(); \
  } while (0)

// `WEFT_TRY_ASSIGN(auto x, f());` declares x from a successful Result, else returns the error.
#define WEFT_TRY_ASSIGN(lhs, expr) WEFT_TRY_ASSIGN_IMPL(WEFT_CONCAT(weft_r_, __LINE__), lhs, expr)
#define WEFT_TRY_ASSIGN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                         \
  if (!tmp.ok()) return tmp.error();         \
  lhs = std::move(tmp).take()

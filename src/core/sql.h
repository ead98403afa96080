// core/sql.h — owns Sql, the SQL text type of every database module (store/sqlite, pg and the
// modules on it): text fixed at compile time, so SQL is never assembled from runtime strings
// (values travel only as bind parameters). Holds no SQL.
#pragma once

#include <cstddef>

namespace weft {

// The consteval constructor accepts only constant expressions (string literals).
class Sql {
 public:
  template <std::size_t N>
  consteval Sql(const char (&text)[N]) : text_(text) {}  // NOLINT: implicit by design
  const char* text() const { return text_; }

 private:
  const char* text_;
};

}  // namespace weft

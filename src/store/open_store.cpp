#include "store/open_store.h"

#include <filesystem>
#include <string_view>
#include <system_error>

#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"

namespace weft::store {

namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

Status ensure_parent_directory(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) return {};
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  if (ec) {
    return Error::make("database_open_failed",
                       "cannot create directory " + parent.string() + ": " + ec.message());
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<Store>> open_store(const StoreOptions& options) {
  const std::string& url = options.url;
  if (url.empty()) return Error::make("invalid_database_url", "the database url is empty");

  if (starts_with(url, "postgresql://") || starts_with(url, "postgres://")) {
    WEFT_TRY_ASSIGN(auto store, postgres::PgStore::open(url, options));
    return std::unique_ptr<Store>(std::move(store));
  }

  std::string path;
  if (starts_with(url, "sqlite://")) {
    // "sqlite:///abs/path.db" → "/abs/path.db"; "sqlite://rel/path.db" → "rel/path.db".
    path = url.substr(std::string_view("sqlite://").size());
  } else if (url.find("://") != std::string::npos) {
    return Error::make("invalid_database_url",
                       "unrecognised database url scheme in '" +
                           url.substr(0, url.find("://")) +
                           "://…'; use a file path, sqlite:///path/to/weft.db or postgresql://…");
  } else {
    path = url;
  }
  if (path.empty()) {
    return Error::make("invalid_database_url", "the sqlite url names no file: " + url);
  }

  WEFT_TRY(ensure_parent_directory(path));
  WEFT_TRY_ASSIGN(auto store, sqlite::SqliteStore::open(path, options));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace weft::store

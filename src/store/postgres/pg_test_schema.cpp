#include "store/postgres/pg_test_schema.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "pg/connection.h"

namespace weft::store::postgres {

std::string test_server_url() {
  const char* url = std::getenv("WEFT_TEST_POSTGRES_URL");
  return url != nullptr ? url : "";
}

std::string schema_name_for(const std::string& key) {
  std::uint64_t hash = 1469598103934665603ull;  // FNV-1a
  for (unsigned char c : key) hash = (hash ^ c) * 1099511628211ull;
  char name[24];
  std::snprintf(name, sizeof name, "t_%016llx", static_cast<unsigned long long>(hash));
  return name;
}

Result<std::string> schema_url(const std::string& base_url, const std::string& name) {
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return Error::make("invalid_argument", "a test schema name is lower-case letters, digits and _");
  }
  WEFT_TRY_ASSIGN(auto connection, pg::Connection::open(base_url));
  // A name, not a value: it cannot be a parameter, and it is checked above.
  const std::string create = "CREATE SCHEMA IF NOT EXISTS " + name;
  WEFT_TRY(connection->exec_script(create.c_str(), "create test schema"));
  const char separator = base_url.find('?') == std::string::npos ? '?' : '&';
  return base_url + separator + "options=-csearch_path%3D" + name;
}

}  // namespace weft::store::postgres

// store/postgres/pg_test_schema.h — owns giving each test its own empty PostgreSQL schema on the
// test server (scripts/with_postgres.sh): the schema is created if absent and named in the url's
// search_path, so a store opened on that url migrates and uses only it. Test-only code.
#pragma once

#include <string>

#include "core/result.h"

namespace weft::store::postgres {

// The test server's url (WEFT_TEST_POSTGRES_URL), empty when no server was started.
std::string test_server_url();

// A schema name unique to `key` (a test's temporary directory): the same key names the same one.
std::string schema_name_for(const std::string& key);

// `base_url` with search_path set to schema `name` (letters, digits, _), created if absent.
Result<std::string> schema_url(const std::string& base_url, const std::string& name);

}  // namespace weft::store::postgres

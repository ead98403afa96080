// store/migration.h — owns Migration, one numbered schema change of a backend, embedded at build
// time from migrations/<backend>/NNNN_name.sql (cmake/embed_migrations.cmake). Each backend
// declares its own embedded_migrations() and applies them; this header holds no SQL.
#pragma once

namespace weft::store {

struct Migration {
  int number;        // NNNN from the file name
  const char* name;  // "0001_init"
  const char* sql;   // the file's statements
};

}  // namespace weft::store

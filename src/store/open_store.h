// store/open_store.h — owns choosing a storage backend from a database url (a SQLite path, a
// sqlite:// url or a postgresql:// url) and opening it. The only code
// that names the backends (library weft_store_open); everything else uses the interface in
// store.h (library weft_store) and is handed a Store.
#pragma once

#include <memory>

#include "core/result.h"
#include "store/store.h"

namespace weft::store {

// Opens (creating if needed) the database at options.url and applies pending migrations.
// Fails with "database_too_new" when the database was migrated by a newer Weft.
Result<std::unique_ptr<Store>> open_store(const StoreOptions& options);

}  // namespace weft::store

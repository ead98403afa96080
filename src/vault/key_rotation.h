// vault/key_rotation.h — owns re-wrapping every organization's data key from one master key to
// another while servers keep running. Crash-safe and re-runnable: the database records the
// rotation before the first re-wrap, each org key is replaced on its own (compare and set), so
// after a crash every credential opens with one of the two keys and a re-run finishes the job;
// the record names the new key only once every org key is wrapped by it. Secrets themselves are
// never decrypted (they are sealed under the data keys, which do not change).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/store.h"
#include "vault/master_key.h"

namespace weft::vault {

struct RotationReport {
  int orgs = 0;          // org keys seen
  int rewrapped = 0;     // re-wrapped by this run
  int already = 0;       // wrapped by the new key already (an interrupted run did them)
  std::vector<OrgId> unreadable;  // org keys that open with neither key (tampered): left as they are
  std::string from_id, to_id;     // key ids
};

// `current` must be the database's key (or, after an interrupted rotation to `next`, the key it
// was rotating from). `after_each` (may be null) is called after each re-wrap with the count so
// far. Errors: wrong_master_key, invalid_input (the same key twice), conflict (an unfinished
// rotation to another key), store errors.
Result<RotationReport> rotate_master_key(store::Store& store, const MasterKey& current, const MasterKey& next,
                                         const std::function<void(int)>& after_each = nullptr);

}  // namespace weft::vault

// The backend-neutral RunStore::write_batch: one call per write, for a backend that cannot
// carry several in one transaction.
#include "store/store.h"

namespace weft::store {

void RunStore::write_batch(std::vector<RunWrite>& batch) {
  for (RunWrite& w : batch) {
    w.already.reset();
    if (w.step != nullptr) {
      w.result = record_step(*w.step);
      continue;
    }
    auto finished = finish_job(*w.job, w.status, *w.output, *w.error, w.now);
    if (!finished.ok()) {
      w.result = finished.error();
      continue;
    }
    w.result = {};
    w.already = std::move(*finished);
  }
}

}  // namespace weft::store

#include "engine/workflow_versions.h"

namespace weft::engine {

Result<std::shared_ptr<const store::WorkflowRecord>> WorkflowVersions::get(store::Store& store, const OrgId& org,
                                                                           const WorkflowId& id, int version) {
  const std::string key = org.str() + "/" + id.str() + "@" + std::to_string(version);
  {
    std::lock_guard lock(mutex_);
    if (auto it = entries_.find(key); it != entries_.end()) return it->second;
  }
  WEFT_TRY_ASSIGN(auto record, store.workflows().get(org, id, version));
  auto shared = std::make_shared<const store::WorkflowRecord>(std::move(record));
  std::lock_guard lock(mutex_);
  if (entries_.size() >= kMaxEntries) entries_.clear();
  entries_.emplace(key, shared);
  return shared;
}

}  // namespace weft::engine

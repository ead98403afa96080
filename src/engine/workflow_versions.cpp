#include "engine/workflow_versions.h"

namespace weft::engine {

std::string WorkflowVersions::key_of(const OrgId& org, const WorkflowId& id, int version) {
  return org.str() + "/" + id.str() + "@" + std::to_string(version);
}

std::shared_ptr<const store::WorkflowRecord> WorkflowVersions::peek(const OrgId& org, const WorkflowId& id,
                                                                    int version) {
  const std::string key = key_of(org, id, version);
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : it->second;
}

Result<std::shared_ptr<const store::WorkflowRecord>> WorkflowVersions::get(store::Store& store, const OrgId& org,
                                                                           const WorkflowId& id, int version) {
  const std::string key = key_of(org, id, version);
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

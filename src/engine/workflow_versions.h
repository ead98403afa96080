// engine/workflow_versions.h — owns a bounded in-memory cache of workflow versions, read and
// parsed once: versions never change once saved, so (org, workflow, version) names the same
// record forever. For hot paths that know the version they need (a webhook, from its trigger
// row). Never answers "the latest version": the caller must know the version.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/result.h"
#include "store/store.h"

namespace weft::engine {

class WorkflowVersions {
 public:
  // Version `version` of workflow `id` in `org`, from the cache or read from `store` (errors
  // as WorkflowStore::get; failures are not cached). Thread-safe.
  Result<std::shared_ptr<const store::WorkflowRecord>> get(store::Store& store, const OrgId& org,
                                                           const WorkflowId& id, int version);
  // The cached version, or null when it would have to be read. Never touches the store.
  std::shared_ptr<const store::WorkflowRecord> peek(const OrgId& org, const WorkflowId& id, int version);

 private:
  static constexpr std::size_t kMaxEntries = 1024;  // then it starts over
  static std::string key_of(const OrgId& org, const WorkflowId& id, int version);
  std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const store::WorkflowRecord>> entries_;
};

}  // namespace weft::engine

#include "bundles/workflow_uses.h"

#include <algorithm>

namespace weft::bundles {

std::vector<std::pair<std::string, std::string>> blocks_used(const json& definition) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!definition.is_object()) return out;
  const auto steps = definition.find("steps");
  if (steps != definition.end() && steps->is_array()) {
    for (const auto& step : *steps) {
      if (!step.is_object()) continue;
      const auto id = step.find("id");
      const auto action = step.find("action");
      if (id == step.end() || action == step.end() || !id->is_string() || !action->is_string()) continue;
      out.emplace_back(id->get<std::string>(), action->get<std::string>());
    }
  }
  const auto trigger = definition.find("trigger");
  if (trigger != definition.end() && trigger->is_object()) {
    const auto type = trigger->find("type");
    const auto block = trigger->find("block");
    if (type != trigger->end() && *type == "bundle" && block != trigger->end() && block->is_string()) {
      out.emplace_back(kTriggerStep, block->get<std::string>());
    }
  }
  return out;
}

Result<std::vector<OrgId>> orgs_reached(store::Store& store, const store::BundleRecord& record) {
  std::vector<OrgId> orgs;
  if (record.scope == store::BundleScope::organization) {
    orgs.push_back(record.org);
    return orgs;
  }
  WEFT_TRY_ASSIGN(auto all, store.orgs().list());
  for (const auto& o : all) orgs.push_back(o.id);
  return orgs;
}

Result<std::vector<WorkflowUse>> find_workflow_uses(
    store::Store& store, const std::vector<OrgId>& orgs,
    const std::function<bool(const OrgId& org, const std::string& block)>& wanted) {
  std::vector<WorkflowUse> out;
  for (const auto& org : orgs) {
    WEFT_TRY_ASSIGN(auto workflows, store.workflows().list(org));
    // By name, then id: the same answer whatever order the store lists workflows saved in one millisecond.
    std::sort(workflows.begin(), workflows.end(), [](const auto& a, const auto& b) {
      return a.name != b.name ? a.name < b.name : a.id.str() < b.id.str();
    });
    for (const auto& wf : workflows) {
      for (const auto& [step, action] : blocks_used(wf.definition)) {
        if (wanted(org, action)) out.push_back({wf.id, org, wf.name, step, action});
      }
    }
  }
  return out;
}

}  // namespace weft::bundles

// catalog/catalog.h — owns THE registry of actions (built-ins now, installed bundles later).
// Worker, API and web builder all read this one registry; nothing about an action is written
// twice. It validates definitions on registration and does not execute anything itself.
#pragma once

#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

#include "catalog/action.h"

namespace weft::catalog {

// What the chooser shows for a provider group.
struct Provider {
  std::string id;    // "slack"
  std::string name;  // "Slack"
  std::string icon;
  std::string category;
};

class Catalog {
 public:
  // Adds a provider's display data. Re-adding the same id replaces it.
  void add_provider(Provider provider);
  // Adds an action. Fails with "invalid_action" if the key is not "<provider>.<name>", the
  // provider is unknown, run is empty, or the key is already registered.
  Status add(Action action);

  // The action for `key`, or nullptr. The pointer stays valid while the Catalog lives.
  const Action* find(const std::string& key) const;
  // Keys close to `key` (same provider or small edit distance), best first, for "did you mean".
  // None for a key longer than kMaxSuggestedNameLength (core/edit_distance.h).
  std::vector<std::string> suggest(const std::string& key, std::size_t max = 3) const;

  // Every action, sorted by key.
  std::vector<const Action*> actions() const;
  // {"providers":[{id,name,icon,category,actions:[…]}]} grouped by provider, sorted.
  json to_json() const;

 private:
  mutable std::shared_mutex mutex_;
  std::map<std::string, Provider> providers_;
  std::map<std::string, std::unique_ptr<Action>> actions_;
};

}  // namespace weft::catalog

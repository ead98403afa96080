#include "catalog/catalog.h"

#include <algorithm>
#include <mutex>

#include "core/edit_distance.h"

namespace weft::catalog {

namespace {

std::string provider_of(const std::string& key) {
  auto dot = key.find('.');
  return dot == std::string::npos ? std::string() : key.substr(0, dot);
}

}  // namespace

void Catalog::add_provider(Provider provider) {
  std::unique_lock lock(mutex_);
  providers_[provider.id] = std::move(provider);
}

Status Catalog::add(Action action) {
  const auto dot = action.key.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == action.key.size() ||
      action.key.substr(0, dot) != action.provider) {
    return Error::make("invalid_action",
                       "action key '" + action.key + "' must be '<provider>.<action>' with provider '" +
                           action.provider + "'");
  }
  if (!action.run) return Error::make("invalid_action", "action '" + action.key + "' has no run");
  if (action.auth_type != vault::AuthType::none &&
      std::find(action.accepted_auth.begin(), action.accepted_auth.end(), action.auth_type) ==
          action.accepted_auth.end()) {
    action.accepted_auth.insert(action.accepted_auth.begin(), action.auth_type);
  }
  std::unique_lock lock(mutex_);
  if (!providers_.count(action.provider)) {
    return Error::make("invalid_action", "action '" + action.key + "' names unknown provider '" +
                                             action.provider + "'");
  }
  if (actions_.count(action.key)) {
    return Error::make("invalid_action", "action '" + action.key + "' is already registered");
  }
  auto key = action.key;
  actions_.emplace(std::move(key), std::make_unique<Action>(std::move(action)));
  return {};
}

const Action* Catalog::find(const std::string& key) const {
  std::shared_lock lock(mutex_);
  auto it = actions_.find(key);
  return it == actions_.end() ? nullptr : it->second.get();
}

std::vector<std::string> Catalog::suggest(const std::string& key, std::size_t max) const {
  if (key.size() > kMaxSuggestedNameLength) return {};  // not a typo; and the cost is |key| × |k|
  const std::size_t limit = std::max<std::size_t>(3, key.size() / 3);
  std::shared_lock lock(mutex_);
  std::vector<std::pair<std::size_t, std::string>> scored;
  const std::string provider = provider_of(key);
  for (const auto& [k, _] : actions_) {
    std::size_t d = edit_distance(key, k, limit);
    if (!provider.empty() && provider_of(k) == provider) d = std::min<std::size_t>(d, 3);
    if (d <= limit) scored.emplace_back(d, k);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (auto& [_, k] : scored) {
    if (out.size() >= max) break;
    out.push_back(std::move(k));
  }
  return out;
}

std::vector<const Action*> Catalog::actions() const {
  std::shared_lock lock(mutex_);
  std::vector<const Action*> out;
  out.reserve(actions_.size());
  for (const auto& [_, a] : actions_) out.push_back(a.get());
  return out;
}

json Catalog::to_json() const {
  std::shared_lock lock(mutex_);
  json providers = json::array();
  for (const auto& [id, p] : providers_) {
    json actions = json::array();
    for (auto it = actions_.lower_bound(id + "."); it != actions_.end(); ++it) {
      if (provider_of(it->first) != id) break;
      actions.push_back(catalog::to_json(*it->second));
    }
    if (actions.empty()) continue;
    providers.push_back({{"id", p.id}, {"name", p.name}, {"icon", p.icon},
                         {"category", p.category}, {"actions", std::move(actions)}});
  }
  return {{"providers", std::move(providers)}};
}

}  // namespace weft::catalog

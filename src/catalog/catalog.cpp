#include "catalog/catalog.h"

#include <algorithm>
#include <set>

#include "core/edit_distance.h"

namespace weft::catalog {

namespace {

std::string provider_of(std::string_view key) {
  auto dot = key.find('.');
  return dot == std::string::npos ? std::string() : std::string(key.substr(0, dot));
}

json provider_json(const Provider& p, json actions) {
  return {{"id", p.id}, {"name", p.name}, {"icon", p.icon}, {"category", p.category}, {"actions", std::move(actions)}};
}

}  // namespace

std::string_view to_string(Origin origin) {
  switch (origin) {
    case Origin::first_party: return "first-party";
    case Origin::platform: return "platform";
    case Origin::organization: return "organization";
  }
  return "first-party";
}

// ---- the built-ins ----

struct CatalogView::Base {
  std::map<std::string, Provider> providers;
  std::map<std::string, std::shared_ptr<const Action>, std::less<>> actions;
};

// ---- one catalog state: built-ins + the published bundle order + a view per org ----

struct Catalog::State {
  std::shared_ptr<const CatalogView::Base> base;
  std::vector<std::shared_ptr<const VendorEntry>> ordered;
  std::uint64_t generation = 0;
  VendorFilterFactory filter;  // may be empty: nothing hidden
  mutable std::mutex views_mu;
  mutable std::unordered_map<std::string, std::shared_ptr<const CatalogView>> views;  // by org id
};

CatalogView::CatalogView(std::shared_ptr<const Base> base, std::vector<std::shared_ptr<const VendorEntry>> vendors,
                         std::uint64_t generation, std::map<std::string, std::string, std::less<>> blocked)
    : base_(std::move(base)), vendors_(std::move(vendors)), generation_(generation), blocked_(std::move(blocked)) {
  std::sort(vendors_.begin(), vendors_.end(),
            [](const auto& a, const auto& b) { return a->provider.id < b->provider.id; });
  for (const auto& v : vendors_) {
    for (const auto& a : v->actions) bundle_actions_.emplace(a->key, std::make_pair(a.get(), v.get()));
  }
}

const Action* CatalogView::find(const std::string& key) const {
  if (auto it = base_->actions.find(key); it != base_->actions.end()) return it->second.get();
  auto it = bundle_actions_.find(key);
  return it == bundle_actions_.end() ? nullptr : it->second.first;
}

const VendorEntry* CatalogView::vendor_of(const std::string& key) const {
  auto it = bundle_actions_.find(key);
  return it == bundle_actions_.end() ? nullptr : it->second.second;
}

const std::string* CatalogView::blocked_reason(const std::string& key) const {
  auto it = blocked_.find(provider_of(key));
  return it == blocked_.end() ? nullptr : &it->second;
}

std::vector<std::string> CatalogView::suggest(const std::string& key, std::size_t max) const {
  if (key.size() > kMaxSuggestedNameLength) return {};  // not a typo; and the cost is |key| × |k|
  const std::size_t limit = std::max<std::size_t>(3, key.size() / 3);
  std::vector<std::pair<std::size_t, std::string>> scored;
  const std::string provider = provider_of(key);
  auto score = [&](const std::string& k) {
    std::size_t d = edit_distance(key, k, limit);
    if (!provider.empty() && provider_of(k) == provider) d = std::min<std::size_t>(d, 3);
    if (d <= limit) scored.emplace_back(d, k);
  };
  for (const auto& [k, _] : base_->actions) score(k);
  for (const auto& [k, _] : bundle_actions_) score(k);
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (auto& [_, k] : scored) {
    if (out.size() >= max) break;
    out.push_back(std::move(k));
  }
  return out;
}

std::vector<const Action*> CatalogView::actions() const {
  std::vector<const Action*> out;
  out.reserve(base_->actions.size() + bundle_actions_.size());
  for (const auto& [_, a] : base_->actions) out.push_back(a.get());
  for (const auto& [_, a] : bundle_actions_) out.push_back(a.first);
  std::sort(out.begin(), out.end(), [](const Action* a, const Action* b) { return a->key < b->key; });
  return out;
}

json CatalogView::to_json() const {
  std::map<std::string, json> providers;  // by id
  for (const auto& [id, p] : base_->providers) {
    json actions = json::array();
    for (auto it = base_->actions.lower_bound(id + "."); it != base_->actions.end(); ++it) {
      if (provider_of(it->first) != id) break;
      actions.push_back(catalog::to_json(*it->second));
    }
    if (!actions.empty()) providers.emplace(id, provider_json(p, std::move(actions)));
  }
  for (const auto& v : vendors_) {
    json actions = json::array();
    for (const auto& a : v->actions) actions.push_back(catalog::to_json(*a));
    if (actions.empty()) continue;
    std::sort(actions.begin(), actions.end(), [](const json& a, const json& b) { return a["key"] < b["key"]; });
    json p = provider_json(v->provider, std::move(actions));
    p["version"] = v->version;
    p["origin"] = to_string(v->origin);
    if (!v->bundle_id.empty()) p["bundleId"] = v->bundle_id;
    providers.emplace(v->provider.id, std::move(p));
  }
  json out = json::array();
  for (auto& [_, p] : providers) out.push_back(std::move(p));
  return {{"providers", std::move(out)}};
}

// ---- Catalog ----

Catalog::Catalog() {
  auto state = std::make_shared<State>();
  state->base = std::make_shared<CatalogView::Base>();
  state_ = std::move(state);
}

Catalog::~Catalog() = default;

std::shared_ptr<const Catalog::State> Catalog::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

void Catalog::add_provider(Provider provider) {
  std::lock_guard lock(mutex_);
  auto base = std::make_shared<CatalogView::Base>(*state_->base);
  base->providers[provider.id] = std::move(provider);
  auto next = std::make_shared<State>();
  next->base = std::move(base);
  next->ordered = state_->ordered;
  next->generation = state_->generation + 1;
  next->filter = filter_;
  state_ = std::move(next);
}

void Catalog::set_vendor_filter(VendorFilterFactory factory) {
  std::lock_guard lock(mutex_);
  filter_ = std::move(factory);
  auto next = std::make_shared<State>();
  next->base = state_->base;
  next->ordered = state_->ordered;
  next->generation = state_->generation + 1;
  next->filter = filter_;
  state_ = std::move(next);
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
  std::lock_guard lock(mutex_);
  if (!state_->base->providers.count(action.provider)) {
    return Error::make("invalid_action", "action '" + action.key + "' names unknown provider '" +
                                             action.provider + "'");
  }
  if (state_->base->actions.count(action.key)) {
    return Error::make("invalid_action", "action '" + action.key + "' is already registered");
  }
  auto base = std::make_shared<CatalogView::Base>(*state_->base);
  auto key = action.key;
  base->actions.emplace(std::move(key), std::make_shared<const Action>(std::move(action)));
  auto next = std::make_shared<State>();
  next->base = std::move(base);
  next->ordered = state_->ordered;
  next->generation = state_->generation + 1;
  next->filter = filter_;
  state_ = std::move(next);
  return {};
}

bool Catalog::is_builtin_provider(const std::string& id) const {
  return state()->base->providers.count(id) > 0;
}

void Catalog::publish_bundles(std::vector<std::shared_ptr<const VendorEntry>> ordered) {
  std::lock_guard lock(mutex_);
  auto next = std::make_shared<State>();
  next->base = state_->base;
  for (auto& entry : ordered) {
    if (entry && !next->base->providers.count(entry->provider.id)) next->ordered.push_back(std::move(entry));
  }
  next->generation = state_->generation + 1;
  next->filter = filter_;
  state_ = std::move(next);
}


std::shared_ptr<const CatalogView> Catalog::view(const OrgId& org) const {
  auto s = state();
  std::lock_guard lock(s->views_mu);
  auto& cached = s->views[org.str()];
  if (cached) return cached;
  std::vector<std::shared_ptr<const VendorEntry>> chosen;
  std::set<std::string, std::less<>> seen;
  std::map<std::string, std::string, std::less<>> blocked;  // vendors with no allowed version (yet)
  const VendorFilter allowed = s->filter ? s->filter(org) : VendorFilter();
  for (const auto& entry : s->ordered) {
    if (!entry->visible_to(org)) continue;
    if (seen.count(entry->provider.id)) continue;  // a preferred version came first
    if (allowed) {
      if (auto why = allowed(*entry)) {
        blocked.emplace(entry->provider.id, std::move(*why));  // keeps the first (newest) reason
        continue;
      }
    }
    seen.insert(entry->provider.id);
    blocked.erase(entry->provider.id);
    chosen.push_back(entry);
  }
  cached = std::make_shared<const CatalogView>(s->base, std::move(chosen), s->generation, std::move(blocked));
  return cached;
}

std::uint64_t Catalog::generation() const { return state()->generation; }

const Action* Catalog::find(const std::string& key) const { return view(OrgId())->find(key); }
std::vector<std::string> Catalog::suggest(const std::string& key, std::size_t max) const {
  return view(OrgId())->suggest(key, max);
}
std::vector<const Action*> Catalog::actions() const { return view(OrgId())->actions(); }
json Catalog::to_json() const { return view(OrgId())->to_json(); }

}  // namespace weft::catalog

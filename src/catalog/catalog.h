// catalog/catalog.h — owns THE registry of actions: the built-ins, registered at start, and the
// installed bundle versions, published as one ordered set whenever one is installed, enabled,
// disabled or deleted. view(org) is an immutable snapshot of what one organization may run;
// worker, API and web builder all read one. It validates definitions and executes nothing.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "catalog/action.h"
#include "core/ids.h"

namespace weft::catalog {

// What the chooser shows for a provider group.
struct Provider {
  std::string id;    // "slack"
  std::string name;  // "Slack"
  std::string icon;
  std::string category;
};

// Where an installed bundle version comes from (DESIGN.md §4 "Scopes").
enum class Origin { first_party, platform, organization };
std::string_view to_string(Origin origin);

// One installed, active version of a bundle vendor as the catalog serves it.
struct VendorEntry {
  Provider provider;              // id = the vendor id
  std::string version;            // "1.2.0"
  Origin origin = Origin::first_party;
  OrgId org;                      // the only org that sees it (organization origin only)
  std::string bundle_id;          // the record's id ("" for first-party folders)
  // Its enabled blocks. Each action's provider is the vendor and its version is `version`.
  std::vector<std::shared_ptr<const Action>> actions;
  std::vector<std::string> capabilities;  // the manifest's runtime capabilities ("tools", "llm", …)

  bool visible_to(const OrgId& viewer) const {
    return origin != Origin::organization || org == viewer;
  }
};

// An immutable snapshot for one organization: the built-ins plus, per vendor, the first entry of
// the published order visible to it. Thread-safe; everything it returns lives as long as it.
class CatalogView {
 public:
  struct Base;  // the built-ins (shared by every view of one catalog state)
  CatalogView(std::shared_ptr<const Base> base, std::vector<std::shared_ptr<const VendorEntry>> vendors,
              std::uint64_t generation, std::map<std::string, std::string, std::less<>> blocked = {});

  // The action for `key`, or nullptr.
  const Action* find(const std::string& key) const;
  // The bundle entry that provides `key`, or nullptr for a built-in or unknown key.
  const VendorEntry* vendor_of(const std::string& key) const;
  // Why the org's policies hide the vendor of `key` (every installed version of it was filtered
  // out: a blocked vendor, a scope or capability not allowed), or nullptr when they do not.
  const std::string* blocked_reason(const std::string& key) const;
  // Keys close to `key` (same provider or small edit distance), best first, for "did you mean".
  // None for a key longer than kMaxSuggestedNameLength (core/edit_distance.h).
  std::vector<std::string> suggest(const std::string& key, std::size_t max = 3) const;
  // Every action, sorted by key.
  std::vector<const Action*> actions() const;
  // {"providers":[{id,name,icon,category,version?,origin?,actions:[…]}]} grouped by provider,
  // sorted by id.
  json to_json() const;
  // The catalog state this view was cut from; grows with every publish and every add.
  std::uint64_t generation() const { return generation_; }

 private:
  std::shared_ptr<const Base> base_;
  std::vector<std::shared_ptr<const VendorEntry>> vendors_;  // sorted by vendor id
  std::map<std::string, std::pair<const Action*, const VendorEntry*>, std::less<>> bundle_actions_;
  std::uint64_t generation_;
  std::map<std::string, std::string, std::less<>> blocked_;  // vendor id → why it is hidden
};

// Why an org may not use an installed vendor version (nullopt: it may). Made per org by a
// VendorFilterFactory each time a view is cut; it must not call back into the catalog.
using VendorFilter = std::function<std::optional<std::string>(const VendorEntry&)>;
using VendorFilterFactory = std::function<VendorFilter(const OrgId&)>;

class Catalog {
 public:
  Catalog();
  ~Catalog();

  // Adds a provider's display data (built-ins). Re-adding the same id replaces it.
  void add_provider(Provider provider);
  // Adds a built-in action. Fails with "invalid_action" if the key is not "<provider>.<name>",
  // the provider is unknown, run is empty, or the key is already registered.
  Status add(Action action);
  // True when `id` is a built-in provider (a bundle vendor may not take its id).
  bool is_builtin_provider(const std::string& id) const;

  // Replaces every installed bundle version at once. `ordered`: entries of one vendor adjacent,
  // the preferred (newest) first; an org's view takes the first entry of each vendor it may
  // see. Entries whose vendor is a built-in provider are ignored. Views already handed out are
  // unchanged (copy-on-write).
  void publish_bundles(std::vector<std::shared_ptr<const VendorEntry>> ordered);

  // Policies that hide vendor versions from an org's views (a view then takes the next allowed
  // version of the vendor, or none). Applies to views cut after the next publish.
  void set_vendor_filter(VendorFilterFactory factory);

  // The snapshot for `org` (an empty OrgId sees built-ins, first-party and platform bundles).
  // Cached per org until the next publish or add.
  std::shared_ptr<const CatalogView> view(const OrgId& org) const;
  std::uint64_t generation() const;

  // Shorthands on view(OrgId()): what every organization sees. A returned pointer stays valid
  // until the next publish or add; hold a view to keep it longer.
  const Action* find(const std::string& key) const;
  std::vector<std::string> suggest(const std::string& key, std::size_t max = 3) const;
  std::vector<const Action*> actions() const;
  json to_json() const;

 private:
  struct State;
  std::shared_ptr<const State> state() const;

  mutable std::mutex mutex_;  // guards state_ (a pointer swap) and filter_, nothing slow
  std::shared_ptr<const State> state_;
  VendorFilterFactory filter_;
};

}  // namespace weft::catalog

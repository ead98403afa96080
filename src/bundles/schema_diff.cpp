#include "bundles/schema_diff.h"

#include <array>
#include <cstdint>
#include <optional>
#include <set>
#include <string_view>

namespace weft::bundles {

namespace {

template <std::size_t N>
bool listed(const std::array<std::string_view, N>& kinds, std::string_view kind) {
  for (auto k : kinds) {
    if (k == kind) return true;
  }
  return false;
}

// Whether a change of `kind` breaks the steps on `side`: an input may not take less than before,
// an output may not give more (or less surely) than before.
bool breaking_for(std::string_view kind, SchemaSide side) {
  static constexpr std::array<std::string_view, 13> kInput = {
      kRequiredPropertyAdded, kPropertyRemoved,     kBecameRequired,      kTypeNarrowed,
      kTypeChanged,           kEnumValuesRemoved,   kConstraintNarrowed,  kConstraintChanged,
      kAdditionalPropertiesNarrowed, kAlternativeRemoved, kSchemaNarrowed, kTooDeep, kTruncated};
  static constexpr std::array<std::string_view, 12> kOutput = {
      kPropertyRemoved,  kBecameOptional,    kTypeWidened,        kTypeChanged,
      kEnumValuesAdded,  kConstraintWidened, kConstraintChanged,  kAdditionalPropertiesWidened,
      kAlternativeAdded, kSchemaWidened,     kTooDeep,            kTruncated};
  return side == SchemaSide::input ? listed(kInput, kind) : listed(kOutput, kind);
}

std::string escape_token(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

// A value small enough to quote in a change: a scalar, or an array of at most 20 scalars.
json small(const json& value) {
  if (value.is_primitive()) return value;
  if (value.is_array() && value.size() <= 20) {
    for (const auto& v : value) {
      if (!v.is_primitive()) return nullptr;
    }
    return value;
  }
  return nullptr;
}

// The JSON types a `type` keyword admits, as bits; absent or malformed = every type.
constexpr std::array<std::string_view, 7> kTypeNames = {"null", "boolean", "object", "array",
                                                        "number", "string", "integer"};
constexpr std::uint8_t kAllTypes = 0x7f;
constexpr std::uint8_t kNumberBit = 1u << 4;
constexpr std::uint8_t kIntegerBit = 1u << 6;

std::uint8_t type_bit(const json& name) {
  if (!name.is_string()) return 0;
  for (std::size_t i = 0; i < kTypeNames.size(); ++i) {
    if (name.get_ref<const std::string&>() == kTypeNames[i]) return static_cast<std::uint8_t>(1u << i);
  }
  return 0;
}

std::uint8_t type_set(const json& schema) {
  const auto it = schema.find("type");
  if (it == schema.end()) return kAllTypes;
  if (it->is_string()) return type_bit(*it) ? type_bit(*it) : kAllTypes;
  if (!it->is_array()) return kAllTypes;
  std::uint8_t bits = 0;
  for (const auto& t : *it) bits |= type_bit(t);
  return bits ? bits : kAllTypes;
}

// Whether every type in `a` is admitted by `b` (an integer is a number).
bool types_within(std::uint8_t a, std::uint8_t b) {
  std::uint8_t covered = b;
  if (b & kNumberBit) covered |= kIntegerBit;
  return (a & ~covered) == 0;
}

// enum / const as a set of values; nullopt when the schema does not limit the values.
std::optional<std::set<json>> allowed_values(const json& schema) {
  const auto c = schema.find("const");
  if (c != schema.end()) return std::set<json>{*c};
  const auto e = schema.find("enum");
  if (e == schema.end() || !e->is_array()) return std::nullopt;
  return std::set<json>(e->begin(), e->end());
}

json limited(const std::vector<json>& values) {
  json out = json::array();
  for (std::size_t i = 0; i < values.size() && i < 20; ++i) out.push_back(values[i]);
  return out;
}

std::set<std::string> required_names(const json& schema) {
  std::set<std::string> out;
  const auto it = schema.find("required");
  if (it == schema.end() || !it->is_array()) return out;
  for (const auto& n : *it) {
    if (n.is_string()) out.insert(n.get<std::string>());
  }
  return out;
}

const json& empty_object() {
  static const json empty = json::object();
  return empty;
}

const json& member_or_empty(const json& schema, const char* key) {
  const auto it = schema.find(key);
  return it != schema.end() && it->is_object() ? *it : empty_object();
}

class Differ {
 public:
  Differ(SchemaSide side, const SchemaDiffLimits& limits, SchemaDiff& out) : side_(side), limits_(limits), out_(out) {}

  void compare(const json& a, const json& b, const std::string& at, int depth) {
    if (out_.truncated) return;
    if (++nodes_ > limits_.max_nodes) {
      stop(at, kTruncated, "the schemas are too large to compare in full");
      return;
    }
    if (a == b) return;
    if (depth > limits_.max_depth) {
      stop(at, kTooDeep, "the schemas nest more than " + std::to_string(limits_.max_depth) + " levels here");
      return;
    }
    const bool a_false = a.is_boolean() && !a.get<bool>();
    const bool b_false = b.is_boolean() && !b.get<bool>();
    if (a_false || b_false) {
      if (b_false) add(at, kSchemaNarrowed, "no value is accepted here any more", nullptr, nullptr);
      if (a_false) add(at, kSchemaWidened, "values are accepted here now", nullptr, nullptr);
      return;
    }
    const json& A = a.is_object() ? a : empty_object();
    const json& B = b.is_object() ? b : empty_object();
    annotation(A, B, at, "title", kTitleChanged);
    annotation(A, B, at, "description", kDescriptionChanged);
    types(A, B, at);
    values(A, B, at);
    for (const char* k : {"maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"}) bound(A, B, at, k, true);
    for (const char* k : {"minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"}) bound(A, B, at, k, false);
    for (const char* k : {"pattern", "format", "multipleOf"}) presence(A, B, at, k);
    unique_items(A, B, at);
    additional_properties(A, B, at, depth);
    properties(A, B, at, depth);
    items(A, B, at, depth);
    for (const char* k : {"anyOf", "oneOf", "allOf"}) alternatives(A, B, at, k, depth);
    for (const char* k : {"not", "if", "then", "else", "patternProperties", "propertyNames", "dependencies",
                          "dependentRequired", "dependentSchemas", "contains", "minContains", "maxContains",
                          "additionalItems", "unevaluatedProperties", "unevaluatedItems", "$ref", "definitions",
                          "$defs"}) {
      opaque(A, B, at, k);
    }
  }

 private:
  void add(const std::string& at, const char* kind, std::string message, json from, json to) {
    if (out_.truncated) return;
    if (out_.changes.size() >= limits_.max_changes) {
      stop(at, kTruncated, "more than " + std::to_string(limits_.max_changes) + " changes; the rest are not listed");
      return;
    }
    out_.changes.push_back({at, kind, breaking_for(kind, side_), std::move(message), std::move(from), std::move(to)});
  }

  void stop(const std::string& at, const char* kind, std::string message) {
    out_.truncated = true;
    out_.changes.push_back({at, kind, true, std::move(message), nullptr, nullptr});
  }

  static json value_or_null(const json& s, const char* key) {
    const auto it = s.find(key);
    return it == s.end() ? json(nullptr) : small(*it);
  }

  void annotation(const json& A, const json& B, const std::string& at, const char* key, const char* kind) {
    const json a = A.value(key, json()), b = B.value(key, json());
    if (a != b) add(at, kind, std::string(key) + " changed", small(a), small(b));
  }

  void types(const json& A, const json& B, const std::string& at) {
    const std::uint8_t ta = type_set(A), tb = type_set(B);
    const bool a_in_b = types_within(ta, tb), b_in_a = types_within(tb, ta);
    if (a_in_b && b_in_a) return;
    const json from = value_or_null(A, "type"), to = value_or_null(B, "type");
    if (a_in_b) {
      add(at, kTypeWidened, "the type now admits more values", from, to);
    } else if (b_in_a) {
      add(at, kTypeNarrowed, "the type now admits fewer values", from, to);
    } else {
      add(at, kTypeChanged, "the type changed", from, to);
    }
  }

  void values(const json& A, const json& B, const std::string& at) {
    const auto va = allowed_values(A), vb = allowed_values(B);
    if (!va && !vb) return;
    if (!va) {
      add(at, kEnumValuesRemoved, "values are now limited to " + std::to_string(vb->size()), nullptr,
          limited(std::vector<json>(vb->begin(), vb->end())));
      return;
    }
    if (!vb) {
      add(at, kEnumValuesAdded, "values are no longer limited to a list", limited(std::vector<json>(va->begin(), va->end())),
          nullptr);
      return;
    }
    std::vector<json> removed, added;
    for (const auto& v : *va) {
      if (!vb->count(v)) removed.push_back(v);
    }
    for (const auto& v : *vb) {
      if (!va->count(v)) added.push_back(v);
    }
    if (!removed.empty()) {
      add(at, kEnumValuesRemoved, std::to_string(removed.size()) + " allowed value(s) removed", limited(removed), nullptr);
    }
    if (!added.empty()) {
      add(at, kEnumValuesAdded, std::to_string(added.size()) + " allowed value(s) added", nullptr, limited(added));
    }
  }

  // A max* (upper) or min* (lower) limit: a new or tighter one narrows, a dropped or looser one widens.
  void bound(const json& A, const json& B, const std::string& at, const char* key, bool upper) {
    const auto a = A.find(key), b = B.find(key);
    const bool has_a = a != A.end(), has_b = b != B.end();
    if (!has_a && !has_b) return;
    if (has_a && has_b && *a == *b) return;
    const json from = has_a ? small(*a) : json(nullptr), to = has_b ? small(*b) : json(nullptr);
    if ((has_a && !a->is_number()) || (has_b && !b->is_number())) {
      add(at, kConstraintChanged, std::string(key) + " changed", from, to);
    } else if (!has_a) {
      add(at, kConstraintNarrowed, std::string("new ") + key + " " + b->dump(), from, to);
    } else if (!has_b) {
      add(at, kConstraintWidened, std::string(key) + " " + a->dump() + " removed", from, to);
    } else {
      const bool tighter = upper ? b->get<double>() < a->get<double>() : b->get<double>() > a->get<double>();
      add(at, tighter ? kConstraintNarrowed : kConstraintWidened,
          std::string(key) + (tighter == upper ? " lowered" : " raised") + " from " + a->dump() + " to " + b->dump(), from,
          to);
    }
  }

  // pattern / format / multipleOf: new narrows, dropped widens, another one is not comparable.
  void presence(const json& A, const json& B, const std::string& at, const char* key) {
    const auto a = A.find(key), b = B.find(key);
    const bool has_a = a != A.end(), has_b = b != B.end();
    if (!has_a && !has_b) return;
    if (has_a && has_b && *a == *b) return;
    const json from = has_a ? small(*a) : json(nullptr), to = has_b ? small(*b) : json(nullptr);
    if (!has_a) {
      add(at, kConstraintNarrowed, std::string("new ") + key, from, to);
    } else if (!has_b) {
      add(at, kConstraintWidened, std::string(key) + " removed", from, to);
    } else {
      add(at, kConstraintChanged, std::string(key) + " changed", from, to);
    }
  }

  void unique_items(const json& A, const json& B, const std::string& at) {
    const bool a = A.value("uniqueItems", json(false)) == json(true), b = B.value("uniqueItems", json(false)) == json(true);
    if (a == b) return;
    if (b) {
      add(at, kConstraintNarrowed, "items must now be unique", a, b);
    } else {
      add(at, kConstraintWidened, "items need no longer be unique", a, b);
    }
  }

  // additionalProperties as "any" (absent, true, {}), "none" (false) or a schema.
  void additional_properties(const json& A, const json& B, const std::string& at, int depth) {
    const json a = A.value("additionalProperties", json(true)), b = B.value("additionalProperties", json(true));
    if (a == b) return;
    auto rank = [](const json& v) {  // 2 any, 1 a schema, 0 none
      if (v.is_boolean()) return v.get<bool>() ? 2 : 0;
      if (v.is_object() && v.empty()) return 2;
      return v.is_object() ? 1 : 2;
    };
    const int ra = rank(a), rb = rank(b);
    const std::string here = at + "/additionalProperties";
    if (ra == 1 && rb == 1) {
      compare(a, b, here, depth + 1);
    } else if (rb < ra) {
      add(here, kAdditionalPropertiesNarrowed, rb == 0 ? "other properties are no longer accepted"
                                                       : "other properties must now match a schema",
          small(a), small(b));
    } else if (rb > ra) {
      add(here, kAdditionalPropertiesWidened, "other properties are accepted more freely", small(a), small(b));
    }
  }

  void properties(const json& A, const json& B, const std::string& at, int depth) {
    const json& pa = member_or_empty(A, "properties");
    const json& pb = member_or_empty(B, "properties");
    const auto ra = required_names(A), rb = required_names(B);
    std::set<std::string> names(ra.begin(), ra.end());
    names.insert(rb.begin(), rb.end());
    for (const auto& [k, v] : pa.items()) names.insert(k);
    for (const auto& [k, v] : pb.items()) names.insert(k);
    for (const auto& name : names) {
      if (out_.truncated) return;
      const std::string here = at + "/properties/" + escape_token(name);
      const bool in_a = pa.contains(name), in_b = pb.contains(name);
      const bool req_a = ra.count(name) > 0, req_b = rb.count(name) > 0;
      if (in_b && !in_a) {
        if (req_b) {
          add(here, kRequiredPropertyAdded, "new required property '" + name + "'", nullptr, nullptr);
        } else {
          add(here, kPropertyAdded, "new optional property '" + name + "'", nullptr, nullptr);
        }
        continue;
      }
      if (in_a && !in_b && !req_b) {
        add(here, kPropertyRemoved, "property '" + name + "' removed", nullptr, nullptr);
        continue;
      }
      if (in_a && in_b) compare(pa[name], pb[name], here, depth + 1);
      if (req_b && !req_a) add(here, kBecameRequired, "property '" + name + "' is now required", nullptr, nullptr);
      if (req_a && !req_b) add(here, kBecameOptional, "property '" + name + "' is no longer required", nullptr, nullptr);
    }
  }

  void items(const json& A, const json& B, const std::string& at, int depth) {
    const json a = A.value("items", json(true)), b = B.value("items", json(true));
    if (a == b) return;
    const std::string here = at + "/items";
    if (a.is_array() != b.is_array()) {
      add(here, kConstraintChanged, "items changed between one schema and a tuple", nullptr, nullptr);
      return;
    }
    if (!a.is_array()) {
      compare(a, b, here, depth + 1);
      return;
    }
    if (a.size() != b.size()) {
      add(here, kConstraintChanged, "the tuple's length changed", json(a.size()), json(b.size()));
    }
    for (std::size_t i = 0; i < a.size() && i < b.size() && !out_.truncated; ++i) {
      compare(a[i], b[i], here + "/" + std::to_string(i), depth + 1);
    }
  }

  // anyOf / oneOf (a branch more accepts more) and allOf (a branch more accepts less), by position.
  void alternatives(const json& A, const json& B, const std::string& at, const char* key, int depth) {
    const auto a = A.find(key), b = B.find(key);
    const bool has_a = a != A.end() && a->is_array(), has_b = b != B.end() && b->is_array();
    if (!has_a && !has_b) return;
    const std::string here = at + "/" + key;
    const bool all = std::string_view(key) == "allOf";
    if (!has_a || !has_b) {
      add(here, has_b ? kConstraintNarrowed : kConstraintWidened, std::string(key) + (has_b ? " added" : " removed"),
          nullptr, nullptr);
      return;
    }
    for (std::size_t i = 0; i < a->size() && i < b->size() && !out_.truncated; ++i) {
      compare((*a)[i], (*b)[i], here + "/" + std::to_string(i), depth + 1);
    }
    for (std::size_t i = a->size(); i < b->size(); ++i) {
      add(here + "/" + std::to_string(i), all ? kConstraintNarrowed : kAlternativeAdded,
          std::string(key) + " branch " + std::to_string(i) + " added", nullptr, nullptr);
    }
    for (std::size_t i = b->size(); i < a->size(); ++i) {
      add(here + "/" + std::to_string(i), all ? kConstraintWidened : kAlternativeRemoved,
          std::string(key) + " branch " + std::to_string(i) + " removed", nullptr, nullptr);
    }
  }

  // Keywords whose effect this comparison does not reason about: any change counts as breaking.
  void opaque(const json& A, const json& B, const std::string& at, const char* key) {
    const auto a = A.find(key), b = B.find(key);
    const bool has_a = a != A.end(), has_b = b != B.end();
    if (!has_a && !has_b) return;
    if (has_a && has_b && *a == *b) return;
    add(at + "/" + key, kConstraintChanged, std::string(key) + " changed", has_a ? small(*a) : json(nullptr),
        has_b ? small(*b) : json(nullptr));
  }

  SchemaSide side_;
  const SchemaDiffLimits& limits_;
  SchemaDiff& out_;
  std::size_t nodes_ = 0;
};

}  // namespace

bool SchemaDiff::breaking() const {
  for (const auto& c : changes) {
    if (c.breaking) return true;
  }
  return false;
}

SchemaDiff diff_schemas(const json& from, const json& to, SchemaSide side, const SchemaDiffLimits& limits) {
  SchemaDiff out;
  // The comparison recurses (and json's own == and < do) no deeper than the documents nest:
  // documents past what parse_json accepts are refused here, before any recursion.
  constexpr auto kMax = static_cast<std::size_t>(kMaxJsonDepth);
  if (json_depth(from, kMax + 1) > kMax || json_depth(to, kMax + 1) > kMax) {
    out.truncated = true;
    out.changes.push_back({"", kTooDeep, true, "a schema nests deeper than " + std::to_string(kMaxJsonDepth) + " levels",
                           nullptr, nullptr});
    return out;
  }
  Differ(side, limits, out).compare(from, to, "", 0);
  return out;
}

json to_json(const SchemaChange& c) {
  json out = {{"pointer", c.pointer}, {"kind", c.kind}, {"breaking", c.breaking}, {"message", c.message}};
  if (!c.from.is_null()) out["from"] = c.from;
  if (!c.to.is_null()) out["to"] = c.to;
  return out;
}

json to_json(const SchemaDiff& diff) {
  json out = json::array();
  for (const auto& c : diff.changes) out.push_back(to_json(c));
  return out;
}

}  // namespace weft::bundles

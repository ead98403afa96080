// The lowering walks a schema document in schema positions only (never into enum, const or
// unknown keywords) and builds a new document that valijson parses as draft 7:
//   pattern            → "$weft:pattern" (an RE2 compiled here, so a bad pattern fails the schema)
//   format             → "$weft:format" for the formats string_formats checks, else dropped
//   patternProperties  → additionalProperties: {"allOf": [gates]} where each gate is
//                        {"if": {"$weft:name": match p}, "then": S}; names in `properties` that a
//                        pattern matches get {"$ref": S} in one more allOf entry (decided here, by
//                        RE2, since those names are in the schema)
//   $ref               → "#<pointer into the lowered document>": every local reference is
//                        resolved here; a target that is not a schema in place (e.g. under an
//                        unknown keyword) is copied, lowered, under "$weft:targets"
//   draft 4            → draft 7 spelling (exclusiveMaximum: true + maximum → exclusiveMaximum)
// and keeps only the keywords valijson knows. It then checks the graph of subschemas: a cycle that
// never descends into the instance ({"allOf": [{"$ref": "#"}]}) would recurse forever in valijson.
#include "core/json_schema_lowering.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <utility>

#include "core/json_schema_graph.h"
#include "core/string_formats.h"
#include "core/uri_reference.h"

namespace weft::schema_lowering {

namespace {

std::string escape_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::string child(const std::string& ptr, std::string_view key) { return ptr + "/" + escape_token(key); }
std::string child(const std::string& ptr, std::size_t index) { return ptr + "/" + std::to_string(index); }

// How a pointer reads in a message: "#" for the root, "#/properties/url".
std::string where(const std::string& ptr) { return "#" + ptr; }

std::string shorten(std::string_view s) {
  constexpr std::size_t kMax = 120;
  return s.size() <= kMax ? std::string(s) : std::string(s.substr(0, kMax)) + "…";
}

Error invalid(const std::string& message) { return Error::make("invalid_schema", message); }

// The tokens of one of our own (escaped, never percent-encoded) pointers.
std::vector<std::string> tokens_of(const std::string& ptr) {
  std::vector<std::string> out;
  std::size_t start = 1;
  while (start <= ptr.size() && !ptr.empty()) {
    const std::size_t slash = ptr.find('/', start);
    const std::string raw = ptr.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    std::string token;
    for (std::size_t k = 0; k < raw.size(); ++k) {
      if (raw[k] == '~' && k + 1 < raw.size()) {
        token += raw[++k] == '0' ? '~' : '/';
      } else {
        token += raw[k];
      }
    }
    out.push_back(std::move(token));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return out;
}

// A $ref's JSON-pointer fragment ("/a~1b/%25") as one of our pointers, or nullopt if malformed.
std::optional<std::string> fragment_pointer(std::string_view fragment) {
  std::string decoded;
  for (std::size_t i = 0; i < fragment.size(); ++i) {
    if (fragment[i] != '%') {
      decoded += fragment[i];
      continue;
    }
    if (i + 2 >= fragment.size() || !std::isxdigit(static_cast<unsigned char>(fragment[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(fragment[i + 2]))) {
      return std::nullopt;
    }
    decoded += static_cast<char>(std::stoi(std::string(fragment.substr(i + 1, 2)), nullptr, 16));
    i += 2;
  }
  if (decoded.empty()) return std::string();
  if (decoded[0] != '/') return std::nullopt;
  for (std::size_t k = 0; k < decoded.size(); ++k) {
    if (decoded[k] == '~' && (k + 1 >= decoded.size() || (decoded[k + 1] != '0' && decoded[k + 1] != '1'))) {
      return std::nullopt;
    }
  }
  return decoded;  // already in our escaped form
}

// The "$weft:name" value for `op` over `regexes` ("match 3", "forbid 0 1 2").
json name_test(const char* op, const std::vector<std::size_t>& regexes) {
  std::string spec = op;
  for (auto r : regexes) spec += " " + std::to_string(r);
  return {{kNameKeyword, spec}};
}

// A JSON number that is a non-negative integer (2 and 2.0 alike), capped at INT64_MAX.
std::optional<std::int64_t> non_negative_integer(const json& v) {
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  if (v.is_number_unsigned()) return static_cast<std::int64_t>(std::min<std::uint64_t>(v.get<std::uint64_t>(), kMax));
  if (v.is_number_integer()) return v.get<std::int64_t>() >= 0 ? std::optional(v.get<std::int64_t>()) : std::nullopt;
  if (!v.is_number_float()) return std::nullopt;
  const double d = v.get<double>();
  if (!(d >= 0) || std::floor(d) != d) return std::nullopt;
  return d >= 9.2e18 ? kMax : static_cast<std::int64_t>(d);
}

// "#" + `ptr` in the form valijson reads: it decodes %XX after ~0/~1, so '%' is escaped too.
std::string ref_to(const std::string& ptr) {
  std::string out = "#";
  for (char c : ptr) {
    if (c == '%') out += "%25";
    else out += c;
  }
  return out;
}

class Lowerer {
 public:
  Lowerer(const json& root, const Options& options, Tables& tables)
      : options_(options), tables_(tables), id_key_(options.draft == Draft::k7 ? "$id" : "id") {
    docs_.push_back({"", nullptr, &root});
  }

  Result<json> run() {
    WEFT_TRY(scan(0, *docs_[0].root, "", "", 1));
    json out;
    WEFT_TRY(schema(*docs_[0].root, out, 0, "", "", 1, ""));
    for (std::size_t i = 0; i < refs_.size(); ++i) {  // resolving a copied target may add refs
      const RefSite site = refs_[i];
      WEFT_TRY(resolve(site));
    }
    if (!targets_.empty()) out[kTargetsKeyword] = std::move(targets_);
    for (const auto& [ptr, ref] : rewrites_) out.at(json::json_pointer(ptr))["$ref"] = ref;
    WEFT_TRY_ASSIGN(tables_.in_place_chain, graph_.longest_in_place_chain());
    WEFT_TRY(graph_.check_chain_length(Limits::kMaxSchemaChain));
    return out;
  }

 private:
  enum class Bools { allowed, draft7_only };
  using Edge = SubschemaGraph::Edge;
  using Place = std::pair<std::size_t, std::string>;  // document, pointer in it

  struct Document {
    std::string uri;  // "" for the schema itself
    std::shared_ptr<const json> owned;
    const json* root;
  };
  struct RefSite {
    std::size_t node;
    std::string low;  // the object holding "$ref", in the lowered document
    std::size_t doc;
    std::string orig;  // where it was written
    std::string ref;
    std::string base;  // the base URI it resolves against ("" when unknown)
  };

  // The base URI inside `node`, whose parent's is `base`: its $id/id, resolved, unless a $ref
  // sits beside it (which makes every sibling keyword, $id included, ignored).
  // An $id over kMaxRefBytes is ignored here; the walk refuses it.
  std::string base_inside(const std::string& base, const json& node) const {
    if (!node.is_object() || node.contains("$ref")) return base;
    auto it = node.find(id_key_);
    if (it == node.end() || !it->is_string() || it->get_ref<const std::string&>().size() > Limits::kMaxRefBytes) {
      return base;
    }
    return base.empty() ? it->get<std::string>() : resolve_uri_reference(base, it->get_ref<const std::string&>());
  }

  // Counts `bytes` of bookkeeping against Limits::kMaxWorkBytes.
  Status charge(std::size_t bytes) {
    tables_.work_bytes += bytes;
    if (tables_.work_bytes <= Limits::kMaxWorkBytes) return {};
    return invalid("the schema is too large to compile (its paths and references take over " +
                   std::to_string(Limits::kMaxWorkBytes >> 20) + " MiB)");
  }

  // Records the $ids and base URIs of `doc` (schema positions only), so that a $ref can name a
  // subschema by id before the walk reaches it.
  Status scan(std::size_t doc, const json& node, const std::string& ptr, const std::string& base, int depth) {
    if (depth > Limits::kMaxSchemaDepth || !node.is_object()) return {};
    WEFT_TRY(charge(ptr.size()));
    const std::string inner = base_inside(base, node);
    if (inner != base || ptr.empty()) {  // kept only where an $id changes it (base_around)
      WEFT_TRY(charge(inner.size()));
      base_at_.emplace(Place{doc, ptr}, inner);
    }
    if (node.contains(id_key_) && !node.contains("$ref") && node[id_key_].is_string()) {
      const auto hash = inner.find('#');
      const bool plain_name = hash != std::string::npos && hash + 1 < inner.size();  // {"$id": "#foo"}
      ids_.emplace(plain_name ? inner : std::string(strip_fragment(inner)), Place{doc, ptr});
    }
    for (const auto& [key, value] : node.items()) {
      const std::string at = child(ptr, key);
      if (key == "allOf" || key == "anyOf" || key == "oneOf" || (key == "items" && value.is_array())) {
        if (!value.is_array()) continue;
        for (std::size_t i = 0; i < value.size(); ++i) WEFT_TRY(scan(doc, value[i], child(at, i), inner, depth + 1));
      } else if (key == "properties" || key == "patternProperties" || key == "definitions" || key == "$defs" ||
                 key == "dependencies") {
        if (!value.is_object()) continue;
        for (const auto& [name, sub] : value.items()) WEFT_TRY(scan(doc, sub, child(at, name), inner, depth + 1));
      } else if (key == "not" || key == "if" || key == "then" || key == "else" || key == "contains" ||
                 key == "propertyNames" || key == "additionalItems" || key == "additionalProperties" ||
                 key == "items") {
        WEFT_TRY(scan(doc, value, at, inner, depth + 1));
      }
    }
    return {};
  }

  // Lowers the schema `in` (at `orig` in document `doc`) into `out` (at `low` in the result);
  // `base` is the base URI of the schema containing it.
  Result<std::size_t> schema(const json& in, json& out, std::size_t doc, const std::string& orig,
                             const std::string& low, int depth, const std::string& base,
                             Bools bools = Bools::draft7_only) {
    if (depth > Limits::kMaxSchemaDepth) {
      return invalid("subschemas nest deeper than " + std::to_string(Limits::kMaxSchemaDepth) + " levels at " +
                     here(doc, orig));
    }
    if (++tables_.nodes > Limits::kMaxSchemaNodes) {
      return invalid("the schema has more than " + std::to_string(Limits::kMaxSchemaNodes) + " subschemas");
    }
    WEFT_TRY(charge(3 * orig.size() + 2 * low.size()));  // graph, placed_, node_at_
    const std::size_t id = graph_.add(here(doc, orig));
    placed_.emplace(Place{doc, orig}, low);
    node_at_.emplace(low, id);
    if (in.is_boolean()) {
      if (options_.draft == Draft::k4 && bools == Bools::draft7_only) {
        return invalid("a boolean is not a schema in draft 4 (at " + here(doc, orig) + ")");
      }
      out = in;
      return id;
    }
    if (!in.is_object()) return invalid("expected a schema (an object) at " + here(doc, orig));
    out = json::object();
    if (auto it = in.find(id_key_); it != in.end() && it->is_string() && it->get_ref<const std::string&>().size() > Limits::kMaxRefBytes) {
      return invalid("the " + id_key_ + " at " + here(doc, orig) + " is longer than " +
                     std::to_string(Limits::kMaxRefBytes) + " bytes");
    }
    const std::string inner = base_inside(base, in);

    const bool draft7 = options_.draft == Draft::k7;
    for (const auto& [key, value] : in.items()) {
      const std::string at = child(orig, key);
      const std::string low_at = child(low, key);
      if (key == "$ref") {
        if (!value.is_string()) return invalid("$ref must be a string at " + here(doc, at));
        if (value.get_ref<const std::string&>().size() > Limits::kMaxRefBytes) {
          return invalid("the $ref at " + here(doc, at) + " is longer than " + std::to_string(Limits::kMaxRefBytes) +
                         " bytes");
        }
        out["$ref"] = "#";  // replaced once resolved
        WEFT_TRY(charge(low.size() + orig.size() + value.get_ref<const std::string&>().size() + inner.size()));
        refs_.push_back({id, low, doc, orig, value.get<std::string>(), inner});
      } else if (key == "allOf" || key == "anyOf" || key == "oneOf") {
        if (!value.is_array()) return invalid(key + " must be an array at " + here(doc, at));
        out[key] = json::array();
        for (std::size_t i = 0; i < value.size(); ++i) {
          out[key].push_back(nullptr);
          WEFT_TRY_ASSIGN(auto c, schema(value[i], out[key][i], doc, child(at, i), child(low_at, i), depth + 1, inner));
          graph_.link(id, c, Edge::in_place);
        }
      } else if (key == "not" || (draft7 && key == "if") ||
                 (draft7 && in.contains("if") && (key == "then" || key == "else"))) {
        WEFT_TRY_ASSIGN(auto c, schema(value, out[key], doc, at, low_at, depth + 1, inner));
        graph_.link(id, c, Edge::in_place);
      } else if ((draft7 && (key == "contains" || key == "propertyNames")) || key == "additionalItems") {
        WEFT_TRY_ASSIGN(auto c, schema(value, out[key], doc, at, low_at, depth + 1, inner, Bools::allowed));
        graph_.link(id, c, Edge::descends);
      } else if (key == "items") {
        if (value.is_array()) {
          out[key] = json::array();
          for (std::size_t i = 0; i < value.size(); ++i) {
            out[key].push_back(nullptr);
            WEFT_TRY_ASSIGN(auto c, schema(value[i], out[key][i], doc, child(at, i), child(low_at, i), depth + 1, inner));
            graph_.link(id, c, Edge::descends);
          }
        } else {
          WEFT_TRY_ASSIGN(auto c, schema(value, out[key], doc, at, low_at, depth + 1, inner));
          graph_.link(id, c, Edge::descends);
        }
      } else if (key == "properties" || key == "definitions" || key == "$defs" || key == "dependencies") {
        if (!value.is_object()) return invalid(key + " must be an object at " + here(doc, at));
        out[key] = json::object();
        for (const auto& [name, sub] : value.items()) {
          if (key == "dependencies" && sub.is_array()) {
            out[key][name] = sub;
            continue;
          }
          WEFT_TRY_ASSIGN(auto c, schema(sub, out[key][name], doc, child(at, name), child(low_at, name), depth + 1, inner));
          if (key == "properties") graph_.link(id, c, Edge::descends);
          if (key == "dependencies") graph_.link(id, c, Edge::in_place);
        }
      } else if (key == "pattern") {
        if (!value.is_string()) return invalid("pattern must be a string at " + here(doc, at));
        WEFT_TRY_ASSIGN(auto index, regex(value.get<std::string>(), here(doc, at)));
        out[kPatternKeyword] = index;
      } else if (key == "format") {
        if (!value.is_string()) return invalid("format must be a string at " + here(doc, at));
        if (is_checked_format(value.get<std::string>())) out[kFormatKeyword] = value;
      } else if (key == "multipleOf") {
        if (!value.is_number() || !(value.get<double>() > 0) || !std::isfinite(value.get<double>())) {
          return invalid("multipleOf must be a number greater than 0 at " + here(doc, at));
        }
        out[kMultipleOfKeyword] = value.get<double>();  // valijson's adapter reads a uint64 as int64
      } else if (key == "minLength" || key == "maxLength") {
        const auto count = non_negative_integer(value);
        if (!count) return invalid(key + " must be a non-negative integer at " + here(doc, at));
        out[key == "minLength" ? kMinLengthKeyword : kMaxLengthKeyword] = *count;
      } else if (key == "exclusiveMaximum" || key == "exclusiveMinimum") {
        if (draft7) out[key] = value;  // draft 4's boolean form is rewritten below
      } else if (key == "type" && draft7) {
        out[key] = value;
        lower_integer_type(out);
      } else if ((draft7 && key == "const") || key == "enum" || key == "required" || key == "type" || key == "title" ||
                 key == "description" || key == "maximum" || key == "minimum" || key == "maxItems" ||
                 key == "minItems" || key == "maxProperties" || key == "minProperties" || key == "uniqueItems") {
        out[key] = value;
      }
      // Everything else (annotations, unknown keywords, "$weft:…", $id/id, and the
      // patternProperties/additionalProperties handled below) is left out.
    }
    if (!draft7) WEFT_TRY(draft4_exclusive(in, out, here(doc, orig)));
    WEFT_TRY(properties_family(in, out, doc, orig, low, depth, inner, id));
    // Beside a $ref every keyword is ignored (drafts 4–7; valijson too): its subschemas are
    // lowered, since a $ref may name them, but they are not applied from here.
    if (in.contains("$ref")) graph_.unlink_all(id);
    return id;
  }

  // Draft 7: "integer" means a number without a fractional part (so 1.0 is one).
  static void lower_integer_type(json& out) {
    json& type = out["type"];
    const auto names = [&](const char* name) {
      return type == name || (type.is_array() && std::find(type.begin(), type.end(), name) != type.end());
    };
    if (!names("integer") || names("number")) return;
    if (type.is_string()) {
      type = "number";
    } else {
      for (auto& t : type) {
        if (t == "integer") t = "number";
      }
    }
    out[kIntegerKeyword] = true;
  }

  // Draft 4: {"maximum": 5, "exclusiveMaximum": true} is draft 7's {"exclusiveMaximum": 5}.
  Status draft4_exclusive(const json& in, json& out, const std::string& at) {
    for (auto [bound, exclusive] : {std::pair{"maximum", "exclusiveMaximum"}, std::pair{"minimum", "exclusiveMinimum"}}) {
      auto it = in.find(exclusive);
      if (it == in.end()) continue;
      if (!it->is_boolean()) return invalid(std::string(exclusive) + " must be a boolean in draft 4 (at " + at + ")");
      if (!in.contains(bound)) return invalid(std::string(exclusive) + " needs " + bound + " (at " + at + ")");
      if (it->get<bool>()) {
        out[exclusive] = out[bound];
        out.erase(bound);
      }
    }
    return {};
  }

  // properties stay in place; patternProperties and additionalProperties become name gates under
  // additionalProperties (see the top of the file).
  Status properties_family(const json& in, json& out, std::size_t doc, const std::string& orig, const std::string& low,
                           int depth, const std::string& base, std::size_t id) {
    const auto pp = in.find("patternProperties");
    const auto ap = in.find("additionalProperties");
    if (pp != in.end() && !pp->is_object()) return invalid("patternProperties must be an object at " + here(doc, orig));
    if (pp == in.end() || pp->empty()) {
      if (ap == in.end()) return {};
      auto c = schema(*ap, out["additionalProperties"], doc, child(orig, "additionalProperties"),
                      child(low, "additionalProperties"), depth + 1, base, Bools::allowed);
      if (!c.ok()) return c.error();
      graph_.link(id, *c, Edge::descends);
      return {};
    }
    const std::string gates_low = child(child(low, "additionalProperties"), "allOf");
    json gates = json::array({name_test("length", {})});
    std::vector<std::size_t> all;
    std::vector<json> for_named;  // per pattern: what a matching name in `properties` must also meet
    for (const auto& [pattern, sub] : pp->items()) {
      const std::string at = child(child(orig, "patternProperties"), pattern);
      WEFT_TRY_ASSIGN(auto index, regex(pattern, here(doc, at)));
      all.push_back(index);
      if (sub.is_boolean() && options_.draft == Draft::k7) {
        if (sub.get<bool>()) {
          for_named.emplace_back(nullptr);
        } else {
          const json reject = name_test("reject", {index});
          gates.push_back(reject);
          for_named.push_back(reject);
        }
        continue;
      }
      const std::size_t k = gates.size();
      gates.push_back({{"if", name_test("match", {index})}, {"then", nullptr}});
      const std::string then_low = child(child(gates_low, k), "then");
      WEFT_TRY_ASSIGN(auto c, schema(sub, gates[k]["then"], doc, at, then_low, depth + 1, base));
      graph_.link(id, c, Edge::descends);
      for_named.push_back({{"$ref", ref_to(then_low)}});
    }
    if (ap != in.end()) {
      const std::string at = child(orig, "additionalProperties");
      if (ap->is_boolean()) {
        if (!ap->get<bool>()) gates.push_back(name_test("forbid", all));
      } else {
        const std::size_t k = gates.size();
        gates.push_back({{"if", name_test("none", all)}, {"then", nullptr}});
        WEFT_TRY_ASSIGN(auto c, schema(*ap, gates[k]["then"], doc, at, child(child(gates_low, k), "then"), depth + 1, base));
        graph_.link(id, c, Edge::descends);
      }
    }
    out["additionalProperties"] = {{"allOf", std::move(gates)}};

    json named = json::object();
    if (auto props = in.find("properties"); props != in.end() && props->is_object()) {
      for (const auto& [name, unused] : props->items()) {
        json checks = json::array();
        for (std::size_t i = 0; i < all.size(); ++i) {
          if (!for_named[i].is_null() && tables_.regexes[all[i]].search(name)) checks.push_back(for_named[i]);
        }
        // As JSON objects each check weighs a few hundred bytes, whatever its text.
        if (!checks.empty()) WEFT_TRY(charge(name.size() + 256 * checks.size()));
        if (checks.size() == 1) named[name] = checks[0];
        if (checks.size() > 1) named[name] = {{"allOf", std::move(checks)}};
      }
    }
    if (!named.empty()) {
      if (!out.contains("allOf")) out["allOf"] = json::array();
      out["allOf"].push_back({{"properties", std::move(named)}});
    }
    return {};
  }

  // The index of `source` in the shared table, compiling it the first time.
  Result<std::size_t> regex(const std::string& source, const std::string& at) {
    if (auto it = tables_.index.find(source); it != tables_.index.end()) return it->second;
    if (tables_.regexes.size() >= Limits::kMaxPatterns) {
      return invalid("the schema has more than " + std::to_string(Limits::kMaxPatterns) + " distinct patterns");
    }
    auto compiled = EcmaRegex::compile(source);
    if (!compiled.ok()) {
      return invalid("the pattern '" + shorten(source) + "' at " + at + " is not supported: " + compiled.error().message);
    }
    tables_.regexes.push_back(std::move(compiled).take());
    tables_.index.emplace(source, tables_.regexes.size() - 1);
    return tables_.regexes.size() - 1;
  }

  // Where the $ref of `site` leads: the document and pointer of its target.
  Result<Place> target_of(const RefSite& site) {
    const std::string& ref = site.ref;
    const std::string uri = site.base.empty() ? ref : resolve_uri_reference(site.base, ref);
    const auto hash = uri.find('#');
    const std::string fragment = hash == std::string::npos ? "" : uri.substr(hash + 1);
    const std::string doc_uri(strip_fragment(uri));
    const std::string what = "the $ref '" + shorten(ref) + "' at " + here(site.doc, site.orig);
    if (!fragment.empty() && fragment[0] != '/') {  // a plain-name fragment: {"$id": "#foo"}
      if (auto it = ids_.find(uri); it != ids_.end()) return it->second;
      return invalid(what + " names no subschema's $id");
    }
    const auto pointer = fragment_pointer(fragment);
    if (!pointer) return invalid(what + " has a fragment that is not a JSON pointer");
    Place resource{site.doc, ""};
    if (doc_uri.empty()) {
      resource = {site.doc, ""};
    } else if (auto it = ids_.find(doc_uri); it != ids_.end()) {
      resource = it->second;
    } else if (auto doc = document(doc_uri); doc) {
      resource = {*doc, ""};
    } else if (options_.remote_documents) {
      return invalid(what + " names a document that could not be loaded");
    } else {
      return invalid(what + " points to another document; a schema must be self-contained");
    }
    return Place{resource.first, resource.second + *pointer};
  }

  // The index of the document named `uri`, loading it through remote_documents if needed.
  std::optional<std::size_t> document(const std::string& uri) {
    for (std::size_t i = 0; i < docs_.size(); ++i) {
      if (docs_[i].uri == uri) return i;
    }
    if (!options_.remote_documents) return std::nullopt;
    auto loaded = options_.remote_documents(uri);
    if (!loaded) return std::nullopt;
    auto owned = std::make_shared<const json>(std::move(*loaded));
    docs_.push_back({uri, owned, owned.get()});
    if (!scan(docs_.size() - 1, *owned, "", uri, 1).ok()) return std::nullopt;  // test-only path
    return docs_.size() - 1;
  }

  Status resolve(const RefSite& site) {
    WEFT_TRY_ASSIGN(Place target, target_of(site));
    std::string low;
    if (auto it = placed_.find(target); it != placed_.end()) {
      low = it->second;
    } else {
      const json* node = docs_[target.first].root;
      for (const auto& t : tokens_of(target.second)) {
        if (node->is_object() && node->contains(t)) {
          node = &(*node)[t];
        } else if (node->is_array() && !t.empty() && t.size() < 10 &&
                   std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
                   std::stoul(t) < node->size()) {
          node = &(*node)[std::stoul(t)];
        } else {
          return invalid("the $ref '" + shorten(site.ref) + "' at " + here(site.doc, site.orig) + " points nowhere");
        }
      }
      low = child(child("", kTargetsKeyword), targets_.size());
      json copy;
      WEFT_TRY(schema(*node, copy, target.first, target.second, low, 1, base_around(target)));
      targets_.push_back(std::move(copy));
    }
    if (low.find("//") != std::string::npos || (!low.empty() && low.back() == '/')) {
      return invalid("the $ref '" + shorten(site.ref) + "' at " + here(site.doc, site.orig) +
                     " leads through an empty property name");
    }
    graph_.link(site.node, node_at_.at(low), Edge::in_place);
    WEFT_TRY(charge(site.low.size() + low.size()));
    rewrites_.emplace_back(site.low, ref_to(low));
    return {};
  }

  // The base URI of the schema enclosing `place` (which may not be a schema position itself).
  std::string base_around(const Place& place) const {
    std::string ptr = place.second;
    while (!ptr.empty()) {
      ptr.erase(ptr.rfind('/'));
      if (auto it = base_at_.find(Place{place.first, ptr}); it != base_at_.end()) return it->second;
    }
    return docs_[place.first].uri;
  }

  // How a place reads in a message: "#/properties/url", or "<uri>#/…" in a remote document.
  std::string here(std::size_t doc, const std::string& ptr) const { return docs_[doc].uri + where(ptr); }

  const Options& options_;
  Tables& tables_;
  const std::string id_key_;
  std::vector<Document> docs_;
  std::map<std::string, Place> ids_;           // $id (resolved, fragment dropped unless a plain name)
  std::map<Place, std::string> base_at_;       // base URI inside each scanned schema
  SubschemaGraph graph_;
  std::map<Place, std::string> placed_;        // source place → lowered pointer
  std::map<std::string, std::size_t> node_at_; // lowered pointer → node
  std::vector<RefSite> refs_;
  json targets_ = json::array();
  std::vector<std::pair<std::string, std::string>> rewrites_;  // lowered pointer of a $ref → new $ref
};

}  // namespace

Result<json> lower(const json& document, const Options& options, Tables& tables) {
  return Lowerer(document, options, tables).run();
}

}  // namespace weft::schema_lowering

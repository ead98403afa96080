#include "bundles/manifest.h"

#include <set>
#include <utility>

#include "bundles/manifest_schema.h"
#include "core/assert.h"

namespace weft::bundles {

namespace {

// At most this many schema violations become problems (a 1 MiB manifest could otherwise list
// hundreds of thousands); the rest are counted in one more problem.
constexpr std::size_t kMaxSchemaProblems = 100;

// A JSON pointer built from fixed keys and indexes (no key needs ~0/~1 escaping).
std::string at(const std::string& base, std::string_view key) { return base + "/" + std::string(key); }
std::string at(const std::string& base, std::size_t index) { return base + "/" + std::to_string(index); }

// The pointers the schema refused: a rule is not applied at or below one of them.
class Refused {
 public:
  void add(const std::string& pointer) { pointers_.insert(pointer); }
  // True when `pointer` or anything inside it was refused.
  bool at_or_below(const std::string& pointer) const {
    if (pointers_.count(pointer)) return true;
    const std::string inside = pointer + "/";
    auto it = pointers_.lower_bound(inside);
    return it != pointers_.end() && it->compare(0, inside.size(), inside) == 0;
  }

 private:
  std::set<std::string> pointers_;
};

std::string string_of(const json& obj, const char* key) {
  if (!obj.is_object()) return "";
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

std::vector<std::string> strings_of(const json& obj, const char* key) {
  std::vector<std::string> out;
  if (!obj.is_object()) return out;
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_array()) return out;
  for (const auto& item : *it) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

const json& member(const json& obj, const char* key) {
  static const json kNull = nullptr;
  if (!obj.is_object()) return kNull;
  auto it = obj.find(key);
  return it == obj.end() ? kNull : *it;
}

BlockKind kind_of(const std::string& category) {
  if (category == "blocks") return BlockKind::block;
  if (category == "triggers") return BlockKind::trigger;
  return BlockKind::tool;
}

class ManifestReader {
 public:
  ManifestReader(const json& m, BundleManifest& out) : m_(m), out_(out) {}

  std::vector<Problem> run() {
    out_.raw = m_;
    check_schema();
    read_vendor();
    read_products();
    return std::move(problems_);
  }

 private:
  void problem(const std::string& pointer, const char* code, std::string message) {
    problems_.push_back({manifest_path(pointer), code, std::move(message)});
  }

  void check_schema() {
    const auto violations = manifest_schema().validate(m_);
    for (std::size_t i = 0; i < violations.size(); ++i) {
      refused_.add(violations[i].pointer);
      if (i < kMaxSchemaProblems) problem(violations[i].pointer, kManifestSchema, violations[i].message);
    }
    if (violations.size() > kMaxSchemaProblems) {
      problem("", kManifestSchema,
              "and " + std::to_string(violations.size() - kMaxSchemaProblems) + " more schema violations");
    }
  }

  void read_vendor() {
    out_.id = string_of(m_, "id");
    vendor_ok_ = !out_.id.empty() && !refused_.at_or_below("/id");
    out_.name = string_of(m_, "name");
    out_.version = string_of(m_, "version");
    if (!refused_.at_or_below("/version") && member(m_, "version").is_string()) {
      if (auto v = parse_semver(out_.version)) {
        out_.semver = std::move(*v);
      } else {
        problem("/version", kVersionNotSemver,
                "'" + out_.version + "' is not a Semantic Version 2.0.0 (MAJOR.MINOR.PATCH[-PRE][+BUILD], no leading "
                "zeros in a number or a numeric pre-release identifier)");
      }
    }
    out_.icon = string_of(m_, "icon");

    const json& auth = member(m_, "auth");
    if (auto type = vault::parse_auth_type(string_of(auth, "type"))) out_.auth.type = *type;
    out_.auth_type = out_.auth.type;
    if (out_.auth.type == vault::AuthType::oauth2) {
      out_.auth.authorize_url = string_of(auth, "authorizeUrl");
      out_.auth.token_url = string_of(auth, "tokenUrl");
      out_.auth.scopes = strings_of(auth, "scopes");
    }

    out_.capabilities = member(m_, "capabilities").is_array() ? strings_of(m_, "capabilities")
                                                              : std::vector<std::string>{"tools"};
    if (!refused_.at_or_below("/network")) out_.allowed_hosts = strings_of(member(m_, "network"), "allowedHosts");
  }

  void read_products() {
    const json& products = member(m_, "products");
    if (!products.is_array()) return;
    std::set<std::string> product_ids;
    std::set<std::string> block_ids;
    for (std::size_t p = 0; p < products.size(); ++p) {
      const json& product = products[p];
      const std::string pat = at("/products", p);
      if (!product.is_object()) continue;
      BundleProduct bp;
      bp.id = string_of(product, "id");
      bp.name = string_of(product, "name");
      bp.category = string_of(product, "category");
      if (p == 0) out_.category = bp.category;
      if (!bp.id.empty() && !refused_.at_or_below(at(pat, "id")) && !product_ids.insert(bp.id).second) {
        problem(at(pat, "id"), kDuplicateProductId, "'" + bp.id + "' is the id of an earlier product");
      }
      read_dependencies(product, pat, bp);
      const json& blocks = member(product, "blocks");
      for (std::size_t b = 0; blocks.is_array() && b < blocks.size(); ++b) {
        read_block(blocks[b], at(at(pat, "blocks"), b), bp, block_ids);
      }
      out_.products.push_back(std::move(bp));
    }
  }

  void read_dependencies(const json& product, const std::string& pat, BundleProduct& bp) {
    const json& deps = member(product, "dependencies");
    if (!deps.is_array()) return;
    for (const auto& dep : deps) {
      if (!dep.is_object()) continue;
      bp.dependencies.push_back({string_of(dep, "name"), string_of(dep, "version"), string_of(dep, "reason")});
    }
  }

  void read_block(const json& block, const std::string& bat, BundleProduct& bp, std::set<std::string>& block_ids) {
    if (!block.is_object()) return;
    BundleBlock bb;
    bb.product = bp.id;
    bb.id = string_of(block, "id");
    bb.name = string_of(block, "name");
    bb.description = string_of(block, "description");
    bb.category = member(block, "category").is_string() ? string_of(block, "category") : "tools";
    bb.kind = kind_of(bb.category);
    const std::string idat = at(bat, "id");
    if (!bb.id.empty() && !refused_.at_or_below(idat)) {
      const std::string prefix = out_.id + ".";
      if (vendor_ok_ && bb.id.compare(0, prefix.size(), prefix) != 0) {
        problem(idat, kBlockIdPrefix, "'" + bb.id + "' must start with the vendor id and a dot: '" + prefix + "'");
      }
      if (!block_ids.insert(bb.id).second) {
        problem(idat, kDuplicateBlockId, "'" + bb.id + "' is the id of an earlier block");
      }
    }
    bool schemas_ok = compile_schema(block, bat, "inputSchema", bb.input_schema);
    schemas_ok &= compile_schema(block, bat, "outputSchema", bb.output_schema);
    if (!bb.id.empty()) bp.block_ids.push_back(bb.id);
    if (schemas_ok) out_.blocks.push_back(std::move(bb));
  }

  bool compile_schema(const json& block, const std::string& bat, const char* key, JsonSchema& into) {
    const std::string where = at(bat, key);
    const json& schema = member(block, key);
    if (!schema.is_object() || refused_.at_or_below(where)) return false;
    auto compiled = JsonSchema::compile(schema);
    if (!compiled.ok()) {
      problem(where, kBlockSchemaInvalid, "is not a valid JSON Schema (draft 7): " + compiled.error().message);
      return false;
    }
    into = std::move(compiled).take();
    return true;
  }

  const json& m_;
  BundleManifest& out_;
  Refused refused_;
  bool vendor_ok_ = false;
  std::vector<Problem> problems_;
};

}  // namespace

std::string_view to_string(BlockKind kind) {
  switch (kind) {
    case BlockKind::tool: return "tool";
    case BlockKind::block: return "block";
    case BlockKind::trigger: return "trigger";
  }
  return "tool";
}

std::string manifest_path(std::string_view pointer) { return std::string(kManifestFile) + "#" + std::string(pointer); }

const JsonSchema& manifest_schema() {
  static const JsonSchema schema = [] {
    auto document = parse_json(manifest_schema_text());
    WEFT_ASSERT(document.ok());  // manifest.schema.json is ours: a test parses and compiles it
    auto compiled = JsonSchema::compile(*document);
    WEFT_ASSERT(compiled.ok());
    return std::move(compiled).take();
  }();
  return schema;
}

std::vector<Problem> check_manifest(const json& manifest, BundleManifest& out) {
  return ManifestReader(manifest, out).run();
}

Result<BundleManifest> parse_bundle_manifest(const json& manifest) {
  BundleManifest out;
  auto problems = check_manifest(manifest, out);
  if (!problems.empty()) return invalid_bundle(problems);
  return out;
}

}  // namespace weft::bundles

#include "sandbox/bundle_folder.h"

#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include "sandbox/step_host_calls.h"

namespace weft::sandbox {

namespace {

bool is_vendor_id(const std::string& id) {
  static const std::regex re("^[a-z][a-z0-9-]*$");
  return std::regex_match(id, re);
}

// "api.example.com", "*.example.com", "api.example.com:8443", "[2001:db8::1]:443".
bool is_host_pattern(const std::string& h) {
  static const std::regex re(R"(^(\*\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]*[a-z0-9])?(:[0-9]{1,5})?$|^\[[0-9a-f:.]+\](:[0-9]{1,5})?$)");
  return h.size() <= 260 && std::regex_match(h, re);
}

bool is_version(const std::string& v) {
  static const std::regex re("^[0-9A-Za-z][0-9A-Za-z.+-]{0,63}$");
  return std::regex_match(v, re);
}

// A string field: required → problem when missing/not a non-empty string.
std::string string_field(const json& obj, const char* key, const std::string& where, bool required,
                         std::vector<std::string>& problems) {
  if (!obj.contains(key) || obj[key].is_null()) {
    if (required) problems.push_back(where + "." + key + " is required");
    return "";
  }
  if (!obj[key].is_string()) {
    problems.push_back(where + "." + key + " must be a string");
    return "";
  }
  std::string value = obj[key].get<std::string>();
  if (required && value.empty()) problems.push_back(where + "." + key + " must not be empty");
  return value;
}

std::optional<JsonSchema> schema_field(const json& block, const char* key, const std::string& where,
                                       std::vector<std::string>& problems) {
  if (!block.contains(key)) {
    problems.push_back(where + "." + key + " is required");
    return std::nullopt;
  }
  if (!block[key].is_object()) {
    problems.push_back(where + "." + key + " must be a JSON Schema object");
    return std::nullopt;
  }
  auto compiled = JsonSchema::compile(block[key]);
  if (!compiled.ok()) {
    problems.push_back(where + "." + key + " is not a valid JSON Schema: " + compiled.error().message);
    return std::nullopt;
  }
  return std::move(compiled).take();
}

Result<std::string> read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::make("not_found", "cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Error::make("io_error", "cannot read " + path);
  return ss.str();
}

std::string icon_for(const std::string& icon) {
  // Only a usable URL is passed on; a path into assets/ needs the bundle store (later).
  if (icon.rfind("data:", 0) == 0 || icon.rfind("https://", 0) == 0) return icon;
  return "";
}

// The lazily read dist/index.js of one folder, shared by all its actions.
class LazySource {
 public:
  explicit LazySource(std::string path) : path_(std::move(path)) {}
  Result<std::string> get() {
    std::lock_guard lock(mu_);
    if (source_) return *source_;
    auto text = read_text(path_);
    if (!text.ok()) return Error::make("bundle_load_failed", "the bundle's dist/index.js could not be read");
    source_ = *text;
    return *source_;
  }

 private:
  std::mutex mu_;
  std::string path_;
  std::optional<std::string> source_;
};

}  // namespace

Result<BundleManifest> parse_bundle_manifest(const json& m) {
  std::vector<std::string> problems;
  BundleManifest out;
  if (!m.is_object()) {
    return Error::make("invalid_bundle", "bundle manifest is invalid: manifest must be a JSON object",
                       {{"problems", {"manifest must be a JSON object"}}});
  }
  out.raw = m;
  out.id = string_field(m, "id", "manifest", true, problems);
  if (!out.id.empty() && !is_vendor_id(out.id)) {
    problems.push_back("manifest.id '" + out.id + "' must match ^[a-z][a-z0-9-]*$");
  }
  out.name = string_field(m, "name", "manifest", true, problems);
  out.version = string_field(m, "version", "manifest", true, problems);
  if (!out.version.empty() && !is_version(out.version)) {
    problems.push_back("manifest.version '" + out.version + "' is not a version string");
  }
  out.icon = string_field(m, "icon", "manifest", false, problems);

  if (!m.contains("auth") || !m["auth"].is_object()) {
    problems.push_back("manifest.auth is required and must be an object");
  } else {
    const std::string type = string_field(m["auth"], "type", "manifest.auth", true, problems);
    if (!type.empty()) {
      auto parsed = vault::parse_auth_type(type);
      if (!parsed) {
        problems.push_back("manifest.auth.type '" + type +
                           "' must be one of api_key, bearer_token, oauth2, bot_token, none");
      } else {
        out.auth_type = *parsed;
      }
    }
  }

  if (m.contains("network") && !m["network"].is_null()) {
    const json& network = m["network"];
    if (!network.is_object()) {
      problems.push_back("manifest.network must be an object");
    } else if (network.contains("allowedHosts")) {
      const json& hosts = network["allowedHosts"];
      if (!hosts.is_array()) {
        problems.push_back("manifest.network.allowedHosts must be an array of host names");
      } else {
        for (std::size_t i = 0; i < hosts.size(); ++i) {
          if (!hosts[i].is_string() || !is_host_pattern(hosts[i].get<std::string>())) {
            problems.push_back("manifest.network.allowedHosts[" + std::to_string(i) +
                               "] must be a lower-case host name such as api.example.com, *.example.com or "
                               "api.example.com:8443");
          } else {
            out.allowed_hosts.push_back(hosts[i].get<std::string>());
          }
        }
      }
    }
  }

  if (!m.contains("products") || !m["products"].is_array() || m["products"].empty()) {
    problems.push_back("manifest.products is required and must be a non-empty array");
  } else {
    std::set<std::string> product_ids;
    std::set<std::string> block_ids;
    const json& products = m["products"];
    for (std::size_t p = 0; p < products.size(); ++p) {
      const json& product = products[p];
      const std::string pwhere = "products[" + std::to_string(p) + "]";
      if (!product.is_object()) {
        problems.push_back(pwhere + " must be an object");
        continue;
      }
      const std::string pid = string_field(product, "id", pwhere, true, problems);
      if (!pid.empty() && !product_ids.insert(pid).second) {
        problems.push_back(pwhere + ".id '" + pid + "' is a duplicate product id");
      }
      string_field(product, "name", pwhere, true, problems);
      const std::string category = string_field(product, "category", pwhere, false, problems);
      if (p == 0) out.category = category;
      if (!product.contains("blocks") || !product["blocks"].is_array()) {
        problems.push_back(pwhere + ".blocks is required and must be an array");
        continue;
      }
      const json& blocks = product["blocks"];
      for (std::size_t b = 0; b < blocks.size(); ++b) {
        const json& block = blocks[b];
        const std::string bwhere = pwhere + ".blocks[" + std::to_string(b) + "]";
        if (!block.is_object()) {
          problems.push_back(bwhere + " must be an object");
          continue;
        }
        BundleBlock bb;
        bb.product = pid;
        bb.id = string_field(block, "id", bwhere, true, problems);
        if (!bb.id.empty()) {
          const std::string prefix = out.id + ".";
          if (out.id.empty() || bb.id.rfind(prefix, 0) != 0 || bb.id.size() == prefix.size()) {
            problems.push_back(bwhere + ".id '" + bb.id + "' must start with '" + prefix + "'");
          }
          if (!block_ids.insert(bb.id).second) {
            problems.push_back(bwhere + ".id '" + bb.id + "' is a duplicate block id");
          }
        }
        bb.name = string_field(block, "name", bwhere, true, problems);
        bb.description = string_field(block, "description", bwhere, false, problems);
        bb.category = string_field(block, "category", bwhere, false, problems);
        auto in = schema_field(block, "inputSchema", bwhere, problems);
        auto outs = schema_field(block, "outputSchema", bwhere, problems);
        if (in && outs) {
          bb.input_schema = std::move(*in);
          bb.output_schema = std::move(*outs);
          out.blocks.push_back(std::move(bb));
        }
      }
    }
  }

  if (!problems.empty()) {
    std::string message = "bundle manifest is invalid: ";
    for (std::size_t i = 0; i < problems.size(); ++i) message += (i ? "; " : "") + problems[i];
    return Error::make("invalid_bundle", std::move(message), {{"problems", problems}});
  }
  return out;
}

Result<BundleManifest> read_bundle_folder(const std::string& folder) {
  auto text = read_text(folder + "/manifest.json");
  if (!text.ok()) {
    return Error::make("invalid_bundle", "bundle manifest is invalid: manifest.json is missing or unreadable",
                       {{"problems", {"manifest.json is missing or unreadable"}}});
  }
  auto parsed = parse_json(*text);
  if (!parsed.ok()) {
    const std::string problem = "manifest.json is not valid JSON: " + parsed.error().message;
    return Error::make("invalid_bundle", "bundle manifest is invalid: " + problem, {{"problems", {problem}}});
  }
  return parse_bundle_manifest(*parsed);
}

Status register_bundle_folder(catalog::Catalog& catalog, SandboxPool& pool, const std::string& folder) {
  WEFT_TRY_ASSIGN(BundleManifest manifest, read_bundle_folder(folder));
  // Build every action first so that a bad block registers nothing.
  std::vector<catalog::Action> actions;
  auto source = std::make_shared<LazySource>(folder + "/dist/index.js");
  const std::string icon = icon_for(manifest.icon);
  for (const auto& block : manifest.blocks) {
    catalog::Action action;
    action.key = block.id;
    action.name = block.name;
    action.provider = manifest.id;
    action.auth_type = manifest.auth_type;
    if (manifest.auth_type != vault::AuthType::none) action.accepted_auth = {manifest.auth_type};
    action.input_schema = block.input_schema;
    action.output_schema = block.output_schema;
    action.display = {block.name, block.description, icon,
                      block.category.empty() ? manifest.category : block.category};
    action.kind = catalog::ActionKind::tool;
    const std::string vendor = manifest.id;
    const std::string version = manifest.version;
    const std::string tool = block.id;
    SandboxPool* p = &pool;
    net::EgressPolicy egress;
    egress.allowed_hosts = manifest.allowed_hosts;
    egress.allow_private_addresses = pool.limits().allow_private_egress;
    action.run = [p, source, vendor, version, tool, egress](catalog::ActionContext& ctx) -> Result<json> {
      const std::string actor = ctx.org.str() + ":" + vendor + ":" + version;
      return call_for_step(*p, ctx, actor, [&source] { return source->get(); }, tool, ctx.input, egress);
    };
    actions.push_back(std::move(action));
  }
  catalog.add_provider({manifest.id, manifest.name, icon, manifest.category});
  for (auto& action : actions) WEFT_TRY(catalog.add(std::move(action)));
  return {};
}

}  // namespace weft::sandbox

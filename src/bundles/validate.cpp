#include "bundles/validate.h"

#include <set>

#include "core/digest.h"

namespace weft::bundles {

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string media_type_of(std::string_view path) {
  if (ends_with(path, ".svg")) return "image/svg+xml";
  if (ends_with(path, ".png")) return "image/png";
  if (ends_with(path, ".jpg")) return "image/jpeg";
  return "";
}

}  // namespace

std::string icon_data_uri(const BundleManifest& manifest, const BundleFiles& files) {
  const std::string& icon = manifest.icon;
  if (icon.empty()) return "";
  if (icon.rfind("data:", 0) == 0 || icon.rfind("https://", 0) == 0) return icon;
  const std::string* bytes = files.find(icon);
  const std::string type = media_type_of(icon);
  if (bytes == nullptr || type.empty() || bytes->size() > kMaxIconBytes) return "";
  return "data:" + type + ";base64," + base64(*bytes);
}

Result<ValidatedBundle> validate_bundle(const BundleFiles& files, const catalog::Catalog* builtins,
                                        ToolRunner* runner) {
  std::vector<Problem> problems;
  auto checked = check_bundle(files);
  if (!checked.ok()) {
    problems = problems_of(checked.error());
    if (problems.empty()) return checked.error();
  }
  ValidatedBundle out;
  if (checked.ok()) {
    out.checked = std::move(checked).take();
    const BundleManifest& m = out.checked.manifest;
    if (builtins != nullptr && builtins->is_builtin_provider(m.id)) {
      problems.push_back({manifest_path("/id"), kVendorReserved,
                          "'" + m.id + "' is the id of a built-in integration; choose another vendor id"});
    }
    out.icon_data_uri = icon_data_uri(m, files);
    if (!m.icon.empty() && out.icon_data_uri.empty()) {
      problems.push_back({manifest_path("/icon"), kIconUnusable,
                          "the icon must be an .svg, .png or .jpg file of at most " +
                              std::to_string(kMaxIconBytes / 1024) + " KiB in the bundle, or an https: URL"});
    }
  }
  if (!problems.empty()) return invalid_bundle(problems);
  if (runner == nullptr) return out;

  const BundleManifest& m = out.checked.manifest;
  auto probed = runner->probe(out.checked.source);
  if (!probed.ok()) {
    const Error& e = probed.error();
    if (!e.is_public) return e;
    return invalid_bundle({{"dist/index.js", kCodeLoad, "the code does not load: " + e.message}});
  }
  if (probed->vendor_id != m.id) {
    problems.push_back({"dist/index.js", kCodeVendor,
                        "defineVendor's id '" + probed->vendor_id + "' differs from manifest.id '" + m.id + "'"});
  }
  const std::set<std::string> tools(probed->tools.begin(), probed->tools.end());
  std::set<std::string> declared;
  for (std::size_t i = 0; i < m.blocks.size(); ++i) {
    declared.insert(m.blocks[i].id);
    if (!tools.count(m.blocks[i].id)) {
      problems.push_back({"dist/index.js", kCodeMissingTool,
                          "block '" + m.blocks[i].id + "' of manifest.json has no tool in the code"});
    }
  }
  if (!problems.empty()) return invalid_bundle(problems);
  for (const auto& t : probed->tools) {
    if (!declared.count(t)) out.warnings.push_back("tool '" + t + "' is not declared in manifest.json");
  }
  return out;
}

}  // namespace weft::bundles

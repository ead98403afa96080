// fuzz/fuzz_bundle_manifest.cpp — libFuzzer target: a bundle's manifest.json as an uploader would
// write it. bytes → check_bundle over a bundle whose manifest.json is the input (parse_json
// depth-bounded → manifest.schema.json → the semantic rules → the icon), beside a valid
// dist/index.js and SBOM; the parsed document is also read as an SBOM (check_sbom). Nothing is
// executed and nothing leaves memory. Run it with -timeout=10: a slow input is a finding too.
//
// Besides what ASan/UBSan catch, it aborts when a promise of manifest.h breaks: every problem
// has a code and a path into manifest.json; a manifest that passes has block ids prefixed by its
// vendor id and unique, a SemVer version, and a compiled schema per block; the error serialises
// in the public shape the API sends.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "bundles/bundle_check.h"
#include "bundles/manifest.h"
#include "bundles/sbom.h"
#include "core/json.h"

namespace {

using namespace weft;
using namespace weft::bundles;

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz_bundle_manifest: %s: %s\n", what, detail.c_str());
  std::abort();
}

const bool kDebug = std::getenv("WEFT_FUZZ_DEBUG") != nullptr;

void check_error(const Error& error) {
  if (error.code != kBundleInvalid) fail("error is not bundle_invalid", error.code + ": " + error.message);
  const std::string text = json{{"error", error.to_public_json()}}.dump(-1, ' ', false, json::error_handler_t::replace);
  if (kDebug) std::fprintf(stderr, "%s\n", text.substr(0, 2000).c_str());
  for (const auto& p : problems_of(error)) {
    if (p.code.empty() || p.message.empty()) fail("problem without a code or message", p.path);
    const bool known_file = p.path.rfind("manifest.json", 0) == 0;
    if (!known_file) fail("problem outside manifest.json", p.path + " [" + p.code + "]");
  }
}

void check_passed(const BundleManifest& m) {
  std::set<std::string> ids;
  for (const auto& b : m.blocks) {
    if (b.id.rfind(m.id + ".", 0) != 0) fail("block id without the vendor prefix", b.id);
    if (!ids.insert(b.id).second) fail("duplicate block id passed", b.id);
    if (b.input_schema.source().is_null() || b.output_schema.source().is_null()) fail("block schema not compiled", b.id);
  }
  auto v = parse_semver(m.version);
  if (!v || compare(*v, m.semver) != 0 || to_string(*v) != m.version) fail("version not a canonical SemVer", m.version);
}

const std::string& sbom_text() {
  static const std::string text = json{{"bomFormat", "CycloneDX"}, {"specVersion", "1.6"}, {"components", json::array()}}.dump();
  return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  BundleFiles files;
  files.files["manifest.json"] = std::string(text);
  files.files["dist/index.js"] = "export default 1;\n";
  files.files["meta/sbom.cdx.json"] = sbom_text();
  files.files["assets/icon.svg"] = "<svg/>";
  auto checked = check_bundle(files);
  if (checked.ok()) {
    check_passed(checked->manifest);
  } else {
    check_error(checked.error());
  }
  // The same document as an SBOM: every problem under meta/sbom.cdx.json.
  if (auto document = parse_json(text); document.ok()) {
    Sbom sbom;
    for (const auto& p : check_sbom(*document, sbom)) {
      if (p.path.rfind(kSbomFile, 0) != 0 || p.code.empty()) fail("sbom problem outside its file", p.path);
    }
  }
  return 0;
}

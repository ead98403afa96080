#include "bundles/sbom.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace weft::bundles {

namespace {

// A hostile SBOM may be wrong in every one of thousands of components: keep the first ones.
constexpr std::size_t kMaxSbomProblems = 100;

// CycloneDX 1.6's component types (the JSON schema's enum for component.type).
constexpr std::array<std::string_view, 13> kComponentTypes = {
    "application", "framework", "library", "container", "platform", "operating-system", "device",
    "device-driver", "firmware", "file", "machine-learning-model", "data", "cryptographic-asset"};

// urn:uuid:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, lower-case hex (CycloneDX's serialNumber pattern).
bool is_urn_uuid(std::string_view s) {
  constexpr std::string_view kPrefix = "urn:uuid:";
  if (s.size() != kPrefix.size() + 36 || s.substr(0, kPrefix.size()) != kPrefix) return false;
  s.remove_prefix(kPrefix.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    const char c = s[i];
    if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

class SbomReader {
 public:
  SbomReader(const json& d, Sbom& out) : d_(d), out_(out) {}

  std::vector<Problem> run() {
    if (!d_.is_object()) {
      problem("", kSbomFormat, "must be a JSON object (a CycloneDX 1.6 BOM)");
      return finish();
    }
    const json* format = field(d_, "bomFormat");
    if (!format || !format->is_string() || *format != "CycloneDX") {
      problem("/bomFormat", kSbomFormat, "bomFormat must be \"CycloneDX\"");
    }
    const json* spec = field(d_, "specVersion");
    if (spec && spec->is_string()) out_.spec_version = spec->get<std::string>();
    if (out_.spec_version != "1.6") {
      problem("/specVersion", kSbomSpecVersion, "specVersion must be \"1.6\" (CycloneDX 1.6)");
    }
    if (const json* serial = field(d_, "serialNumber")) {
      if (serial->is_string() && is_urn_uuid(serial->get<std::string>())) {
        out_.serial_number = serial->get<std::string>();
      } else {
        problem("/serialNumber", kSbomSerialNumber, "serialNumber must be \"urn:uuid:\" and a lower-case UUID");
      }
    }
    if (const json* components = field(d_, "components")) {
      if (!components->is_array()) {
        problem("/components", kSbomComponent, "components must be an array of components");
      } else {
        for (std::size_t i = 0; i < components->size(); ++i) read_component((*components)[i], "/components/" + std::to_string(i));
      }
    }
    return finish();
  }

 private:
  static const json* field(const json& obj, const char* key) {
    if (!obj.is_object()) return nullptr;
    auto it = obj.find(key);
    return it == obj.end() ? nullptr : &*it;
  }

  void problem(const std::string& pointer, const char* code, std::string message) {
    ++count_;
    if (problems_.size() < kMaxSbomProblems) problems_.push_back({std::string(kSbomFile) + "#" + pointer, code, std::move(message)});
  }

  std::vector<Problem> finish() {
    if (count_ > problems_.size()) {
      problems_.push_back({std::string(kSbomFile), kSbomComponent,
                           "and " + std::to_string(count_ - problems_.size()) + " more problems"});
    }
    return std::move(problems_);
  }

  // An optional string member: "" when absent, a problem when present and not a string.
  std::string optional_string(const json& obj, const char* key, const std::string& at) {
    const json* v = field(obj, key);
    if (!v) return "";
    if (!v->is_string()) {
      problem(at + "/" + key, kSbomComponent, std::string(key) + " must be a string");
      return "";
    }
    return v->get<std::string>();
  }

  void read_component(const json& c, const std::string& at) {
    if (!c.is_object()) {
      problem(at, kSbomComponent, "a component must be an object");
      return;
    }
    SbomComponent out;
    const json* type = field(c, "type");
    if (!type || !type->is_string() ||
        std::find(kComponentTypes.begin(), kComponentTypes.end(), type->get<std::string>()) == kComponentTypes.end()) {
      problem(at + "/type", kSbomComponent, "type must be a CycloneDX 1.6 component type such as \"library\"");
    } else {
      out.type = type->get<std::string>();
    }
    out.name = optional_string(c, "name", at);
    if (out.name.empty() && (!field(c, "name") || field(c, "name")->is_string())) {
      problem(at + "/name", kSbomComponent, "name is required and must be a non-empty string");
    }
    out.version = optional_string(c, "version", at);
    out.purl = optional_string(c, "purl", at);
    read_licenses(c, at, out);
    read_evidence(c, at, out);
    read_properties(c, at, out);
    out_.components.push_back(std::move(out));
  }

  void read_licenses(const json& c, const std::string& at, SbomComponent& out) {
    const json* licenses = field(c, "licenses");
    if (!licenses) return;
    if (!licenses->is_array()) {
      problem(at + "/licenses", kSbomComponent, "licenses must be an array");
      return;
    }
    for (std::size_t i = 0; i < licenses->size(); ++i) {
      const json& choice = (*licenses)[i];
      const std::string lat = at + "/licenses/" + std::to_string(i);
      std::string found;
      if (const json* license = field(choice, "license"); license && license->is_object()) {
        found = optional_string(*license, "id", lat + "/license");
        if (found.empty()) found = optional_string(*license, "name", lat + "/license");
        if (found.empty()) problem(lat + "/license", kSbomComponent, "a license needs an id or a name");
      } else if (const json* expression = field(choice, "expression"); expression && expression->is_string()) {
        found = expression->get<std::string>();
      } else {
        problem(lat, kSbomComponent, "a license entry must be {\"license\": {\"id\"|\"name\"}} or {\"expression\"}");
      }
      if (out.license.empty()) out.license = found;
    }
  }

  void read_evidence(const json& c, const std::string& at, SbomComponent& out) {
    const json* evidence = field(c, "evidence");
    if (!evidence) return;
    if (!evidence->is_object()) {
      problem(at + "/evidence", kSbomComponent, "evidence must be an object");
      return;
    }
    const json* occurrences = field(*evidence, "occurrences");
    if (!occurrences) return;
    if (!occurrences->is_array()) {
      problem(at + "/evidence/occurrences", kSbomComponent, "evidence.occurrences must be an array");
      return;
    }
    for (std::size_t i = 0; i < occurrences->size(); ++i) {
      const json* location = field((*occurrences)[i], "location");
      if (!location || !location->is_string()) {
        problem(at + "/evidence/occurrences/" + std::to_string(i), kSbomComponent,
                "an occurrence must be an object with a string location");
        continue;
      }
      out.evidence.push_back(location->get<std::string>());
    }
  }

  void read_properties(const json& c, const std::string& at, SbomComponent& out) {
    const json* properties = field(c, "properties");
    if (!properties) return;
    if (!properties->is_array()) {
      problem(at + "/properties", kSbomComponent, "properties must be an array of {name, value}");
      return;
    }
    for (std::size_t i = 0; i < properties->size(); ++i) {
      const json& p = (*properties)[i];
      const std::string pat = at + "/properties/" + std::to_string(i);
      const json* name = field(p, "name");
      if (!name || !name->is_string()) {
        problem(pat, kSbomComponent, "a property must be an object with a string name");
        continue;
      }
      out.properties.emplace_back(name->get<std::string>(), optional_string(p, "value", pat));
    }
  }

  const json& d_;
  Sbom& out_;
  std::vector<Problem> problems_;
  std::size_t count_ = 0;
};

}  // namespace

std::vector<Problem> check_sbom(const json& document, Sbom& out) { return SbomReader(document, out).run(); }

Result<Sbom> parse_sbom(const json& document) {
  Sbom out;
  auto problems = check_sbom(document, out);
  if (!problems.empty()) return invalid_bundle(problems);
  return out;
}

}  // namespace weft::bundles

#include "core/json_schema_alternatives.h"

#include <algorithm>

namespace weft::schema_alternatives {

namespace {

constexpr int kMaxDepth = 16;

std::string escape(const std::string& name) {
  std::string out;
  for (char c : name) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

bool required_only(const json& alt, std::vector<std::string>& names) {
  if (!alt.is_object() || !alt.contains("required") || !alt["required"].is_array() || alt["required"].empty()) {
    return false;
  }
  for (const auto& [key, _] : alt.items()) {
    if (key != "required" && key != "title" && key != "description") return false;
  }
  for (const auto& n : alt["required"]) {
    if (!n.is_string()) return false;
    names.push_back(n.get<std::string>());
  }
  return true;
}

void walk(const json& node, const std::string& at, int depth, std::map<std::string, RequiredAlternatives>& out) {
  if (!node.is_object() || depth > kMaxDepth) return;
  for (const char* keyword : {"anyOf", "oneOf"}) {
    auto it = node.find(keyword);
    if (it == node.end() || !it->is_array() || it->size() < 2) continue;
    RequiredAlternatives alts;
    alts.one_of = std::string_view(keyword) == "oneOf";
    bool all = true;
    for (const auto& alt : *it) {
      std::vector<std::string> names;
      if (!required_only(alt, names)) {
        all = false;
        break;
      }
      alts.sets.push_back(std::move(names));
    }
    if (all) out.emplace(at, std::move(alts));
  }
  if (auto props = node.find("properties"); props != node.end() && props->is_object()) {
    for (const auto& [name, sub] : props->items()) walk(sub, at + "/" + escape(name), depth + 1, out);
  }
  if (auto items = node.find("items"); items != node.end() && items->is_object()) {
    walk(*items, at + "/*", depth + 1, out);
  }
}

std::string names(const std::vector<std::string>& set) {
  std::string out;
  for (std::size_t i = 0; i < set.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == set.size() ? " and " : ", ") + ("`" + set[i] + "`");
  }
  return out;
}

}  // namespace

std::map<std::string, RequiredAlternatives> find(const json& schema) {
  std::map<std::string, RequiredAlternatives> out;
  walk(schema, "", 0, out);
  return out;
}

std::string pattern_of(const std::string& pointer) {
  std::string out;
  std::size_t pos = 0;
  while (pos < pointer.size()) {
    const std::size_t next = pointer.find('/', pos + 1);
    const std::string segment = pointer.substr(pos + 1, next == std::string::npos ? std::string::npos : next - pos - 1);
    const bool index = !segment.empty() && std::all_of(segment.begin(), segment.end(), [](char c) { return c >= '0' && c <= '9'; });
    out += "/" + (index ? std::string("*") : segment);
    if (next == std::string::npos) break;
    pos = next;
  }
  return out;
}

std::string describe(const RequiredAlternatives& alternatives) {
  std::string out = alternatives.one_of ? "give exactly one of " : "give ";
  const bool several = std::any_of(alternatives.sets.begin(), alternatives.sets.end(),
                                   [](const auto& s) { return s.size() > 1; });
  for (std::size_t i = 0; i < alternatives.sets.size(); ++i) {
    if (i > 0) out += (several ? ", or " : (i + 1 == alternatives.sets.size() ? " or " : ", "));
    out += names(alternatives.sets[i]);
  }
  return out;
}

}  // namespace weft::schema_alternatives

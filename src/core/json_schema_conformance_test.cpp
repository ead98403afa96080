// The official JSON Schema Test Suite (Debian's json-schema-test-suite) through weft::JsonSchema,
// for the drafts we claim (4 and 7). Every case must pass except those listed, with a reason, in
// json_schema_conformance_expected_failures.txt — and a listed case that passes fails the test
// too, so the list stays true. Remote $refs (http://localhost:1234/…) are served from the suite's
// remotes/ folder through SchemaOptions::remote_documents; nothing is fetched over the network.
//
// From optional/: the formats Weft checks (format/*.json for them; draft 4's format.json), big
// numbers and zero-terminated floats. Left out: content.json (contentMediaType/contentEncoding
// are annotations we do not check), ecmascript-regex.json (format "regex" is not checked), and
// format files for formats we do not check (idn-*, iri*, uri-template, relative-json-pointer,
// regex): those formats are annotations, so their "invalid" cases would all pass as valid.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/json_schema.h"

namespace weft {
namespace {

namespace fs = std::filesystem;

const fs::path kSuite = "/usr/share/json-schema-test-suite";
const char* kExpectedFailures = WEFT_SOURCE_DIR "/src/core/json_schema_conformance_expected_failures.txt";

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string trim(std::string s) {
  const auto space = [](unsigned char c) { return std::isspace(c); };
  s.erase(s.begin(), std::find_if_not(s.begin(), s.end(), space));
  s.erase(std::find_if_not(s.rbegin(), s.rend(), space).base(), s.end());
  return s;
}

// "draft7/ref.json | group | case" → reason, from the committed list.
std::map<std::string, std::string> expected_failures() {
  std::map<std::string, std::string> out;
  std::istringstream lines(read_file(kExpectedFailures));
  for (std::string line; std::getline(lines, line);) {
    if (trim(line).empty() || trim(line)[0] == '#') continue;
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t bar; (bar = line.find(" | ", start)) != std::string::npos; start = bar + 3) {
      parts.push_back(trim(line.substr(start, bar - start)));
    }
    parts.push_back(trim(line.substr(start)));
    EXPECT_EQ(parts.size(), 4u) << "expected 'file | group | case | reason': " << line;
    if (parts.size() == 4) out[parts[0] + " | " + parts[1] + " | " + parts[2]] = parts[3];
  }
  return out;
}

// The suite's remotes/ folder stands in for http://localhost:1234/.
std::optional<json> remote(const std::string& uri) {
  const std::string prefix = "http://localhost:1234/";
  if (uri.rfind(prefix, 0) != 0) return std::nullopt;
  const fs::path path = kSuite / "remotes" / uri.substr(prefix.size());
  if (!fs::is_regular_file(path)) return std::nullopt;
  auto parsed = parse_json(read_file(path));
  if (!parsed.ok()) return std::nullopt;
  return std::move(parsed).take();
}

std::vector<std::string> suite_files(const std::string& draft) {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(kSuite / "tests" / draft)) {
    if (entry.path().extension() == ".json") out.push_back(draft + "/" + entry.path().filename().string());
  }
  for (const char* name : {"optional/bignum.json", "optional/zeroTerminatedFloats.json", "optional/format.json"}) {
    if (fs::exists(kSuite / "tests" / draft / name)) out.push_back(draft + "/" + name);
  }
  for (const char* format : {"date", "time", "date-time", "email", "hostname", "ipv4", "ipv6", "uri", "uri-reference",
                             "json-pointer"}) {
    const std::string name = std::string("optional/format/") + format + ".json";
    if (fs::exists(kSuite / "tests" / draft / name)) out.push_back(draft + "/" + name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

void run_draft(const std::string& draft, SchemaDraft version) {
  ASSERT_TRUE(fs::is_directory(kSuite / "tests" / draft))
      << "the JSON Schema Test Suite is missing: run scripts/setup.sh (Debian package json-schema-test-suite)";
  const auto expected = expected_failures();
  int passed = 0;
  int total = 0;
  std::set<std::string> seen;
  std::vector<std::string> unexpected, now_passing;
  for (const auto& file : suite_files(draft)) {
    auto groups = parse_json(read_file(kSuite / "tests" / file));
    ASSERT_TRUE(groups.ok()) << file << ": " << groups.error().message;
    for (const auto& group : *groups) {
      SchemaOptions options;
      options.draft = version;
      options.remote_documents = remote;
      auto schema = JsonSchema::compile(group["schema"], options);
      for (const auto& test : group["tests"]) {
        const std::string key = file + " | " + group["description"].get<std::string>() + " | " +
                                test["description"].get<std::string>();
        seen.insert(key);
        ++total;
        const bool want_valid = test["valid"].get<bool>();
        std::string why;
        if (!schema.ok()) {
          why = "does not compile: " + schema.error().message;
        } else {
          const auto violations = schema->validate(test["data"]);
          if (violations.empty() != want_valid) {
            why = want_valid ? "rejected: " + violations[0].pointer + " " + violations[0].message : "accepted";
          }
        }
        const bool listed = expected.count(key) > 0;
        if (why.empty()) {
          ++passed;
          if (listed) now_passing.push_back(key);
        } else if (!listed) {
          unexpected.push_back(key + "  (" + why + ")");
        }
      }
    }
  }
  std::cout << "JSON Schema Test Suite " << draft << ": " << passed << " of " << total << " cases pass, "
            << total - passed << " fail\n";
  for (const auto& u : unexpected) ADD_FAILURE() << "fails but is not in the expected-failure list: " << u;
  for (const auto& n : now_passing) ADD_FAILURE() << "listed as an expected failure but passes (remove it): " << n;
  for (const auto& [key, reason] : expected) {
    if (key.rfind(draft + "/", 0) == 0 && !seen.count(key)) ADD_FAILURE() << "listed but not in the suite: " << key;
  }
}

TEST(JsonSchemaConformance, Draft7) { run_draft("draft7", SchemaDraft::k7); }

TEST(JsonSchemaConformance, Draft4) { run_draft("draft4", SchemaDraft::k4); }

}  // namespace
}  // namespace weft

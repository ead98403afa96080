// fuzz/bundle_archive_fuzzer.cpp — libFuzzer target: a bundle upload's bytes. Byte 0 picks the
// form: bit 0 clear, the rest is the upload as sent (a .bundle.tar.gz); bit 0 set, the rest is a
// tar that the target gzips first, so mutations reach libarchive's tar reader and our entry
// rules instead of dying at the gzip CRC. → read_bundle_archive with small limits (the same code
// paths as the 100 MB / 10,000 defaults, at fuzzing speed), and what it accepts → validate_bundle's
// static rules (manifest, SBOM, code and icon files). Nothing touches the file system.
//
// Besides what ASan/UBSan catch, it aborts when a property the rest of the system relies on
// breaks: accepted paths are normalised, relative, free of "..", with an allowed extension and
// within the limits; every refusal is bundle_invalid with known codes and printable paths.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "bundles/archive_reader.h"
#include "bundles/entry_rules.h"
#include "bundles/problem.h"
#include "bundles/validate.h"
#include "testing/bundle_archive.h"

namespace {

using namespace weft;
using namespace weft::bundles;

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "bundle_archive_fuzzer: %s: %s\n", what, detail.c_str());
  std::abort();
}

const bool kDebug = std::getenv("WEFT_FUZZ_DEBUG") != nullptr;

const std::set<std::string>& known_codes() {
  static const std::set<std::string> codes{
      kProblemSymlink,      kProblemHardlink,     kProblemDevice,        kProblemFifo,         kProblemSocket,
      kProblemSparse,       kProblemUnsupportedType, kProblemAbsolutePath, kProblemPathTraversal, kProblemNameNul,
      kProblemNameBackslash, kProblemNameControl, kProblemNameEncoding,  kProblemNameEmpty,    kProblemNameTooLong,
      kProblemDuplicate,    kProblemPathConflict, kProblemExtension,     kProblemTooLarge,     kProblemTooManyEntries,
      kProblemNotGzip,      kProblemCorrupt,      kProblemEmpty};
  return codes;
}

void check_files(const BundleFiles& files, const ArchiveLimits& limits) {
  std::uint64_t total = 0;
  if (files.files.empty()) fail("accepted an archive without files", "");
  for (const auto& [path, content] : files.files) {
    std::vector<Problem> problems;
    const auto again = bundles::detail::check_name(path, bundles::detail::EntryKind::file, problems);
    if (!again || *again != path) fail("accepted a path that does not pass its own rules", printable_name(path));
    total += content.size();
  }
  if (total != files.total_bytes) fail("total_bytes is not the sum of the contents", std::to_string(total));
  if (total > limits.max_extracted_bytes) fail("accepted more bytes than the limit", std::to_string(total));
  if (files.files.size() > limits.max_entries) fail("accepted more files than the limit", "");
}

void check_error(const Error& error) {
  if (error.code != kBundleInvalid) fail("an error other than bundle_invalid", error.code + ": " + error.message);
  const auto problems = problems_of(error);
  if (problems.empty()) fail("bundle_invalid without problems", error.message);
  for (const Problem& p : problems) {
    if (known_codes().count(p.code) == 0) fail("unknown problem code", p.code);
    for (unsigned char c : p.path) {
      if (c < 0x20 || c == 0x7f) fail("a problem path that is not printable", p.code);
    }
    if (p.path.size() > kMaxPathBytes * 4 + 8) fail("a problem path longer than the bound", p.code);
  }
  const std::string text = json{{"error", error.to_public_json()}}.dump();
  if (kDebug) std::fprintf(stderr, "%s\n", text.substr(0, 2000).c_str());
}

// A refusal by the static rules: bundle_invalid, each problem with a code and a message, and
// the whole answer serialisable (the API sends it as JSON).
void check_validation_error(const Error& error) {
  if (error.code != kBundleInvalid) fail("validation: an error other than bundle_invalid", error.code + ": " + error.message);
  const auto problems = problems_of(error);
  if (problems.empty()) fail("validation: bundle_invalid without problems", error.message);
  for (const Problem& p : problems) {
    if (p.code.empty() || p.message.empty()) fail("validation: a problem without code or message", p.path);
  }
  const std::string text = json{{"error", error.to_public_json()}}.dump();
  if (kDebug) std::fprintf(stderr, "%s\n", text.substr(0, 2000).c_str());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::string input = (data[0] & 1) != 0 ? weft::testing::gzip(rest) : std::string(rest);
  ArchiveLimits limits;
  limits.max_entries = 200;
  limits.max_extracted_bytes = 2u << 20;
  ArchiveReadStats stats;
  auto r = read_bundle_archive(input, limits, &stats);
  if (stats.extracted_bytes > limits.max_extracted_bytes + 64 * 1024) fail("read far past the byte limit", "");
  if (stats.entries > limits.max_entries + 1) fail("read past the entry limit", "");
  if (r.ok()) {
    check_files(*r, limits);
    // What an accepted archive holds goes through every static rule the upload applies
    // (manifest schema and rules, SBOM, code and icon files): refusals are bundle_invalid
    // with problems, nothing else.
    auto valid = weft::bundles::validate_bundle(*r, nullptr, nullptr);
    if (!valid.ok()) check_validation_error(valid.error());
  } else {
    check_error(r.error());
  }
  return 0;
}

// `weft admin advisories import FILE|DIR` and `weft admin advisories list`: the air-gapped way
// to feed the advisory database (OSV documents, as the OSV and GitHub advisory database dumps
// lay them out: one JSON file per advisory in nested folders) straight into the store.
#include <algorithm>
#include <filesystem>
#include <iostream>

#include "api/audit_log.h"
#include "cli/app.h"
#include "cli/commands.h"
#include "policy/advisory_import.h"

namespace weft::cli {

namespace {

// Largest advisory file read (the HTTP import's body limit too).
constexpr std::uintmax_t kMaxAdvisoryFileBytes = 16 * 1024 * 1024;
// Skipped documents printed one per line; the rest are counted.
constexpr std::size_t kMaxSkippedPrinted = 50;

struct AdvisoryArgs {
  std::string path;
  std::string package;
  int limit = 50;
};

// Every *.json file under `root` (recursively, directory symlinks not followed), sorted; or
// `root` itself when it is a file.
Result<std::vector<std::string>> advisory_files(const std::string& root) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(root, ec);
  if (ec || !fs::exists(status)) return Error::make("file_not_found", "cannot read " + root);
  if (!fs::is_directory(status)) return std::vector<std::string>{root};
  std::vector<std::string> files;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
  if (ec) return Error::make("file_not_found", "cannot read the folder " + root + ": " + ec.message());
  for (const fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
    if (ec) return Error::make("file_not_found", "cannot read under " + root + ": " + ec.message());
    if (it->path().extension() == ".json" && it->is_regular_file(ec)) files.push_back(it->path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Reads one file into the import; a file that cannot be read, is too large or is not JSON is
// recorded as skipped under its path.
Status import_file(policy::AdvisoryImport& import, const std::string& path) {
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) {
    import.skip(path, "file_not_found: cannot read it");
    return {};
  }
  if (size > kMaxAdvisoryFileBytes) {
    import.skip(path, "too_large: " + std::to_string(size) + " bytes, more than 16 MB");
    return {};
  }
  Result<std::string> text = read_text_file(path);
  if (!text.ok()) {
    import.skip(path, text.error().code + ": " + text.error().message);
    return {};
  }
  Result<json> parsed = parse_json(*text);
  if (!parsed.ok()) {
    import.skip(path, parsed.error().code + ": " + parsed.error().message);
    return {};
  }
  return import.add_all(*parsed, path);
}

int import_advisories(const Config& config, const AdvisoryArgs& args) {
  auto files = advisory_files(args.path);
  if (!files.ok()) return report(files.error());
  if (files->empty()) return report(Error::make("file_not_found", "no .json file under " + args.path));
  auto app = App::open(config);
  if (!app.ok()) return report(app.error());
  policy::AdvisoryImport import((*app)->store->advisories());
  for (const std::string& file : *files) {
    Status added = import_file(import, file);
    if (!added.ok()) return report(added.error());
  }
  auto summary = import.finish();
  if (!summary.ok()) return report(summary.error());
  for (std::size_t i = 0; i < summary->skipped.size() && i < kMaxSkippedPrinted; ++i) {
    const policy::SkippedAdvisory& s = summary->skipped[i];
    std::cerr << "skipped " << s.source << (s.id.empty() ? "" : " (" + s.id + ")") << ": " << s.error << "\n";
  }
  if (summary->skipped_count > kMaxSkippedPrinted) {
    std::cerr << "… and " << summary->skipped_count - kMaxSkippedPrinted << " more skipped\n";
  }
  api::audit_system(*(*app)->store, OrgId(), api::kAuditAdvisoriesImported, "advisories", "",
                    {{"imported", summary->imported}, {"updated", summary->updated},
                     {"unchanged", summary->unchanged}, {"skipped", summary->skipped_count}, {"via", "cli"}});
  std::cout << "imported " << summary->imported << ", updated " << summary->updated << ", unchanged "
            << summary->unchanged << ", skipped " << summary->skipped_count << "\n";
  const bool read_any = summary->imported + summary->updated + summary->unchanged > 0;
  return read_any ? 0 : 1;
}

int list_advisories(const Config& config, const AdvisoryArgs& args) {
  auto app = App::open(config);
  if (!app.ok()) return report(app.error());
  store::AdvisoryFilter filter;
  if (!args.package.empty()) filter.package = args.package;
  filter.limit = args.limit;
  auto records = (*app)->store->advisories().list(filter);
  if (!records.ok()) return report(records.error());
  for (const store::AdvisoryRecord& r : *records) {
    auto parsed = policy::parse_advisory(r.document);
    std::cout << r.id << "\t" << (parsed.ok() ? std::string(policy::to_string(parsed->severity)) : "?") << "\t"
              << r.modified << "\t";
    for (std::size_t i = 0; i < r.packages.size(); ++i) std::cout << (i ? "," : "") << r.packages[i];
    std::cout << "\t" << (parsed.ok() ? parsed->summary : "") << "\n";
  }
  return 0;
}

}  // namespace

void add_advisory_commands(CLI::App& app, Config& config, CommandAction& action) {
  auto* admin = app.get_subcommand("admin");
  auto* advisories = admin->add_subcommand("advisories", "Security advisories (OSV format) for dependency policies");
  advisories->require_subcommand(1);
  auto args = std::make_shared<AdvisoryArgs>();

  auto* import = advisories->add_subcommand(
      "import", "Import OSV documents: a .json file (one document or an array) or a folder of them, recursively");
  import->add_option("PATH", args->path, "File or folder")->required();
  import->callback([&, args] { action = [&, args] { return import_advisories(config, *args); }; });

  auto* list = advisories->add_subcommand("list", "List stored advisories (id, severity, modified, packages, summary)");
  list->add_option("--package", args->package, "Only those affecting this npm package");
  list->add_option("--limit", args->limit, "At most this many (1..500)")->check(CLI::Range(1, 500));
  list->callback([&, args] { action = [&, args] { return list_advisories(config, *args); }; });
}

}  // namespace weft::cli

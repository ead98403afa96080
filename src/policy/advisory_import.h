// policy/advisory_import.h — owns moving advisories between OSV documents and the store: an
// import (parse each document, upsert the good ones in batches, count what happened, say why
// each bad one was skipped) and loading the advisories that name given npm packages. Reads no
// file and speaks no HTTP (the CLI and the API route feed it documents).
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "policy/advisory.h"
#include "store/store.h"

namespace weft::policy {

// One document an import did not keep.
struct SkippedAdvisory {
  std::size_t index = 0;  // position among the documents given to the import (0-based)
  std::string source;     // where it came from (a file path; "" for an HTTP body)
  std::string id;         // its id when it had a readable one, else ""
  std::string error;      // why: "advisory_invalid: /modified must be an RFC 3339 timestamp"
};

struct AdvisoryImportSummary {
  std::size_t imported = 0;   // new ids
  std::size_t updated = 0;    // stored ids replaced by a newer `modified`
  std::size_t unchanged = 0;  // stored ids with the same or a newer `modified` (the document is ignored)
  std::size_t skipped_count = 0;
  std::vector<SkippedAdvisory> skipped;  // the first kMaxSkippedListed of them

  bool changed() const { return imported + updated > 0; }
  // {imported, updated, unchanged, skipped:[{index, id?, source?, error}], skippedCount}.
  json to_json() const;
};

// How many skipped documents a summary lists (all are counted).
inline constexpr std::size_t kMaxSkippedListed = 1000;
// Documents written per store transaction.
inline constexpr std::size_t kAdvisoryBatchSize = 500;

// One import into `store`, fed document by document. Not thread-safe; the store must outlive it.
class AdvisoryImport {
 public:
  explicit AdvisoryImport(store::AdvisoryStore& store) : store_(store) {}

  // Parses `document` (policy::parse_advisory) and queues it, writing a batch when one is full.
  // A bad document is recorded as skipped; only a store failure is an error.
  Status add(const json& document, const std::string& source = "");
  // A JSON value holding one OSV document or an array of them: each added (an array's entries
  // get source "<source>[i]" when `source` is not empty); any other value is skipped.
  Status add_all(const json& value, const std::string& source = "");
  // Records a document that could not even be read (a file too large, not JSON).
  void skip(const std::string& source, const std::string& error);
  // Writes what is queued and returns the totals. Call once, after the last add.
  Result<AdvisoryImportSummary> finish();

 private:
  Status flush();
  void note_skipped(SkippedAdvisory skipped);

  store::AdvisoryStore& store_;
  std::vector<store::AdvisoryRecord> batch_;
  std::set<std::string> batch_ids_;
  std::size_t next_index_ = 0;
  AdvisoryImportSummary summary_;
};

// The store record of a parsed advisory (its npm package names, its document whole).
store::AdvisoryRecord to_record(const Advisory& advisory);

// The advisories in `store` that name any of `packages`, parsed. A stored document that no
// longer parses (a stricter Weft) is left out, never an error.
Result<std::vector<Advisory>> load_advisories(store::AdvisoryStore& store, const std::vector<std::string>& packages);

}  // namespace weft::policy

#include "policy/advisory_import.h"

#include <algorithm>

namespace weft::policy {

json AdvisoryImportSummary::to_json() const {
  json list = json::array();
  for (const SkippedAdvisory& s : skipped) {
    json item = {{"index", s.index}, {"error", s.error}};
    if (!s.id.empty()) item["id"] = s.id;
    if (!s.source.empty()) item["source"] = s.source;
    list.push_back(std::move(item));
  }
  return {{"imported", imported},
          {"updated", updated},
          {"unchanged", unchanged},
          {"skipped", std::move(list)},
          {"skippedCount", skipped_count}};
}

void AdvisoryImport::note_skipped(SkippedAdvisory skipped) {
  ++summary_.skipped_count;
  if (summary_.skipped.size() < kMaxSkippedListed) summary_.skipped.push_back(std::move(skipped));
}

Status AdvisoryImport::add(const json& document, const std::string& source) {
  const std::size_t index = next_index_++;
  Result<Advisory> parsed = parse_advisory(document);
  if (!parsed.ok()) {
    SkippedAdvisory s{index, source, "", parsed.error().code + ": " + parsed.error().message};
    if (document.is_object()) {
      auto id = document.find("id");
      if (id != document.end() && id->is_string() && id->get_ref<const std::string&>().size() <= kMaxAdvisoryIdLength) {
        s.id = id->get<std::string>();
      }
    }
    note_skipped(std::move(s));
    return {};
  }
  // The same id twice in one batch: write the first before queueing the second, so the store
  // compares their `modified` like any re-import.
  if (batch_ids_.count(parsed->id) != 0) WEFT_TRY(flush());
  batch_ids_.insert(parsed->id);
  batch_.push_back(to_record(*parsed));
  if (batch_.size() >= kAdvisoryBatchSize) WEFT_TRY(flush());
  return {};
}

Status AdvisoryImport::add_all(const json& value, const std::string& source) {
  if (value.is_object()) return add(value, source);
  if (!value.is_array()) {
    skip(source, std::string(kAdvisoryInvalid) + ": expected an OSV document (an object) or an array of them, not " +
                     json_type_name(value));
    return {};
  }
  for (std::size_t i = 0; i < value.size(); ++i) {
    WEFT_TRY(add(value[i], source.empty() ? source : source + "[" + std::to_string(i) + "]"));
  }
  return {};
}

void AdvisoryImport::skip(const std::string& source, const std::string& error) {
  note_skipped(SkippedAdvisory{next_index_++, source, "", error});
}

Status AdvisoryImport::flush() {
  if (batch_.empty()) return {};
  WEFT_TRY_ASSIGN(std::vector<store::AdvisoryUpsert> outcomes, store_.upsert(batch_));
  for (store::AdvisoryUpsert o : outcomes) {
    switch (o) {
      case store::AdvisoryUpsert::inserted: ++summary_.imported; break;
      case store::AdvisoryUpsert::updated: ++summary_.updated; break;
      case store::AdvisoryUpsert::unchanged: ++summary_.unchanged; break;
    }
  }
  batch_.clear();
  batch_ids_.clear();
  return {};
}

Result<AdvisoryImportSummary> AdvisoryImport::finish() {
  WEFT_TRY(flush());
  return summary_;
}

store::AdvisoryRecord to_record(const Advisory& advisory) {
  store::AdvisoryRecord r;
  r.id = advisory.id;
  r.modified = advisory.modified;
  r.modified_ms = advisory.modified_ms;
  for (const AffectedPackage& p : advisory.affected) r.packages.push_back(p.name);
  std::sort(r.packages.begin(), r.packages.end());
  r.packages.erase(std::unique(r.packages.begin(), r.packages.end()), r.packages.end());
  r.document = advisory.document;
  return r;
}

Result<std::vector<Advisory>> load_advisories(store::AdvisoryStore& store, const std::vector<std::string>& packages) {
  WEFT_TRY_ASSIGN(std::vector<store::AdvisoryRecord> records, store.affecting(packages));
  std::vector<Advisory> out;
  out.reserve(records.size());
  for (const store::AdvisoryRecord& r : records) {
    Result<Advisory> parsed = parse_advisory(r.document);
    if (parsed.ok()) out.push_back(std::move(parsed).take());
  }
  return out;
}

}  // namespace weft::policy

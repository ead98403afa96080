// PgAdvisoryStore: imported OSV advisories, one row each (the document whole) plus one
// advisory_packages row per npm name it affects, for the lookup of a dependency review.
#include <algorithm>
#include <set>

#include "store/postgres/pg_store.h"
#include "store/checks.h"
#include "store/rows.h"

namespace weft::store::postgres {

namespace {

#define WEFT_ADVISORY_COLUMNS "a.id, a.modified, a.modified_ms, a.packages, a.document, a.imported_at "

constexpr int kMaxAdvisoryPage = 500;

std::vector<std::string> sorted_unique(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

Status write_packages(Connection& db, const std::string& id, const std::vector<std::string>& packages) {
  {
    Query q = db.query("DELETE FROM advisory_packages WHERE advisory_id = $1");
    q.bind(id);
    WEFT_TRY(q.run());
  }
  for (const std::string& package : packages) {
    Query q = db.query("INSERT INTO advisory_packages (package, advisory_id) VALUES ($1, $2)");
    q.bind(package, id);
    WEFT_TRY(q.run());
  }
  return {};
}

}  // namespace

Result<std::vector<AdvisoryUpsert>> PgAdvisoryStore::upsert(const std::vector<AdvisoryRecord>& records) {
  WEFT_TRY(check_advisory_batch(records));
  const TimeMs now = clock_.now_ms();
  std::vector<AdvisoryUpsert> out;
  out.reserve(records.size());
  WEFT_TRY_ASSIGN(auto writer, pool_.acquire());
  WEFT_TRY_ASSIGN(Transaction txn, Transaction::begin(writer.db()));
  for (const AdvisoryRecord& r : records) {
    const std::vector<std::string> packages = sorted_unique(r.packages);
    // One statement, safe against a concurrent import: insert, or replace a row whose modified
    // is older; no row back when the stored one is the same or newer. xmax = 0 on a new row.
    Query q = writer->query(
        "INSERT INTO advisories (id, modified, modified_ms, packages, document, imported_at) "
        "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO UPDATE SET "
        "modified = excluded.modified, modified_ms = excluded.modified_ms, "
        "packages = excluded.packages, document = excluded.document, "
        "imported_at = excluded.imported_at "
        "WHERE advisories.modified_ms < excluded.modified_ms "
        "RETURNING CASE WHEN xmax = 0 THEN 1 ELSE 0 END");
    q.bind(r.id, r.modified, r.modified_ms, json(packages), r.document, now);
    WEFT_TRY_ASSIGN(bool row, q.step());
    if (!row) {
      out.push_back(AdvisoryUpsert::unchanged);
      continue;
    }
    out.push_back(q.int64(0) == 1 ? AdvisoryUpsert::inserted : AdvisoryUpsert::updated);
    WEFT_TRY(write_packages(txn.db(), r.id, packages));
  }
  WEFT_TRY(txn.commit());
  return out;
}

Result<std::vector<AdvisoryRecord>> PgAdvisoryStore::affecting(const std::vector<std::string>& packages) {
  if (packages.empty()) return std::vector<AdvisoryRecord>();
  // One statement whatever the number of names: they travel as one JSON array parameter.
  const json names = json(sorted_unique(packages));
  WEFT_TRY_ASSIGN(auto reader, pool_.acquire());
  Query q = reader->query("SELECT " WEFT_ADVISORY_COLUMNS
                          "FROM advisories a WHERE a.id IN "
                          "(SELECT p.advisory_id FROM advisory_packages p "
                          " WHERE p.package IN (SELECT jsonb_array_elements_text($1::jsonb))) "
                          "ORDER BY a.id");
  q.bind(names);
  return read_rows(q, read_advisory<Query>);
}

Result<std::int64_t> PgAdvisoryStore::count() {
  WEFT_TRY_ASSIGN(auto reader, pool_.acquire());
  Query q = reader->query("SELECT COUNT(*) FROM advisories");
  WEFT_TRY_ASSIGN(bool row, q.step());
  return row ? q.int64(0) : 0;
}

Result<std::vector<AdvisoryRecord>> PgAdvisoryStore::list(const AdvisoryFilter& filter) {
  const int limit = std::clamp(filter.limit, 1, kMaxAdvisoryPage);
  WEFT_TRY_ASSIGN(auto reader, pool_.acquire());
  // A NULL cursor or package means "no such condition".
  Query q = reader->query("SELECT " WEFT_ADVISORY_COLUMNS
                          "FROM advisories a "
                          "WHERE ($1::text IS NULL OR a.id < $1::text) "
                          "AND ($2::text IS NULL OR a.id IN (SELECT p.advisory_id FROM advisory_packages p "
                          "                            WHERE p.package = $2::text)) "
                          "ORDER BY a.id DESC LIMIT $3");
  q.bind(filter.before_id, filter.package, limit);
  return read_rows(q, read_advisory<Query>);
}

}  // namespace weft::store::postgres

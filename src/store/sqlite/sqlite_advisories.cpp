// SqliteAdvisoryStore: imported OSV advisories, one row each (the document whole) plus one
// advisory_packages row per npm name it affects, for the lookup of a dependency review.
#include <algorithm>
#include <set>

#include "store/checks.h"
#include "store/rows.h"
#include "store/sqlite/sqlite_store.h"

namespace weft::store::sqlite {

namespace {

#define WEFT_ADVISORY_COLUMNS "a.id, a.modified, a.modified_ms, a.packages, a.document, a.imported_at "

constexpr int kMaxAdvisoryPage = 500;

std::vector<std::string> sorted_unique(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

Status write_packages(Database& db, const std::string& id, const std::vector<std::string>& packages) {
  {
    WEFT_TRY_ASSIGN(Query q, db.query("DELETE FROM advisory_packages WHERE advisory_id = ?1"));
    q.bind(id);
    WEFT_TRY(q.run());
  }
  for (const std::string& package : packages) {
    WEFT_TRY_ASSIGN(Query q, db.query("INSERT INTO advisory_packages (package, advisory_id) VALUES (?1, ?2)"));
    q.bind(package, id);
    WEFT_TRY(q.run());
  }
  return {};
}

}  // namespace

Result<std::vector<AdvisoryUpsert>> SqliteAdvisoryStore::upsert(const std::vector<AdvisoryRecord>& records) {
  WEFT_TRY(check_advisory_batch(records));
  const TimeMs now = clock_.now_ms();
  std::vector<AdvisoryUpsert> out;
  out.reserve(records.size());
  auto writer = pool_.writer();
  WEFT_TRY_ASSIGN(Transaction txn, Transaction::begin(writer.db()));
  for (const AdvisoryRecord& r : records) {
    std::optional<TimeMs> stored;
    {
      WEFT_TRY_ASSIGN(Query q, writer->query("SELECT modified_ms FROM advisories WHERE id = ?1"));
      q.bind(r.id);
      WEFT_TRY_ASSIGN(bool row, q.step());
      if (row) stored = q.int64(0);
    }
    if (stored && *stored >= r.modified_ms) {
      out.push_back(AdvisoryUpsert::unchanged);
      continue;
    }
    const std::vector<std::string> packages = sorted_unique(r.packages);
    if (stored) {
      WEFT_TRY_ASSIGN(Query q, writer->query("UPDATE advisories SET modified = ?2, modified_ms = ?3, packages = ?4, "
                                             "document = ?5, imported_at = ?6 WHERE id = ?1"));
      q.bind(r.id, r.modified, r.modified_ms, json(packages), r.document, now);
      WEFT_TRY(q.run());
      out.push_back(AdvisoryUpsert::updated);
    } else {
      WEFT_TRY_ASSIGN(Query q, writer->query("INSERT INTO advisories (id, modified, modified_ms, packages, document, "
                                             "imported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
      q.bind(r.id, r.modified, r.modified_ms, json(packages), r.document, now);
      WEFT_TRY(q.run());
      out.push_back(AdvisoryUpsert::inserted);
    }
    WEFT_TRY(write_packages(txn.db(), r.id, packages));
  }
  WEFT_TRY(txn.commit());
  return out;
}

Result<std::vector<AdvisoryRecord>> SqliteAdvisoryStore::affecting(const std::vector<std::string>& packages) {
  if (packages.empty()) return std::vector<AdvisoryRecord>();
  // One statement whatever the number of names: they travel as one JSON array parameter.
  const json names = json(sorted_unique(packages));
  auto reader = pool_.reader();
  WEFT_TRY_ASSIGN(Query q, reader->query("SELECT " WEFT_ADVISORY_COLUMNS "FROM advisories a WHERE a.id IN "
                                         "(SELECT p.advisory_id FROM advisory_packages p "
                                         " WHERE p.package IN (SELECT value FROM json_each(?1))) "
                                         "ORDER BY a.id"));
  q.bind(names);
  return read_rows(q, read_advisory<Query>);
}

Result<std::int64_t> SqliteAdvisoryStore::count() {
  auto reader = pool_.reader();
  WEFT_TRY_ASSIGN(Query q, reader->query("SELECT COUNT(*) FROM advisories"));
  WEFT_TRY_ASSIGN(bool row, q.step());
  return row ? q.int64(0) : 0;
}

Result<std::vector<AdvisoryRecord>> SqliteAdvisoryStore::list(const AdvisoryFilter& filter) {
  const int limit = std::clamp(filter.limit, 1, kMaxAdvisoryPage);
  auto reader = pool_.reader();
  // A NULL cursor or package means "no such condition".
  WEFT_TRY_ASSIGN(Query q, reader->query("SELECT " WEFT_ADVISORY_COLUMNS "FROM advisories a "
                                         "WHERE (?1 IS NULL OR a.id < ?1) "
                                         "AND (?2 IS NULL OR a.id IN (SELECT p.advisory_id FROM advisory_packages p "
                                         "                            WHERE p.package = ?2)) "
                                         "ORDER BY a.id DESC LIMIT ?3"));
  q.bind(filter.before_id, filter.package, limit);
  return read_rows(q, read_advisory<Query>);
}

}  // namespace weft::store::sqlite

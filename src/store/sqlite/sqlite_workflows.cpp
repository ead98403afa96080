#include "store/rows.h"
#include "store/sqlite/sqlite_store.h"

namespace weft::store::sqlite {

namespace {

// Column order of every SELECT below.
#define WEFT_WORKFLOW_COLUMNS \
  "w.id, w.org_id, v.name, v.version, v.definition, w.created_at, v.created_at "

Error org_missing_or(const Error& error) {
  if (error.code == "not_found") return Error::not_found("organization");
  return error;
}

Status insert_version(Database& db, const OrgId& org, const WorkflowId& id, int version,
                      const std::string& name, const json& definition, TimeMs now) {
  WEFT_TRY_ASSIGN(Query q, db.query("INSERT INTO workflow_versions "
                                    "(workflow_id, org_id, version, name, definition, created_at) "
                                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  // A null definition is stored as the JSON text "null" (the column is NOT NULL).
  if (definition.is_null()) {
    q.bind(id, org, version, name, std::string_view("null"), now);
  } else {
    q.bind(id, org, version, name, definition, now);
  }
  return q.run();
}

}  // namespace

Result<WorkflowRecord> SqliteWorkflowStore::create(const OrgId& org, const std::string& name,
                                                   const json& definition) {
  const TimeMs now = clock_.now_ms();
  WorkflowRecord record{new_id<WorkflowId>(clock_), org, name, 1, definition, now, now};
  auto writer = pool_.writer();
  WEFT_TRY_ASSIGN(Transaction txn, Transaction::begin(writer.db()));
  {
    WEFT_TRY_ASSIGN(Query q, writer->query("INSERT INTO workflows "
                                           "(id, org_id, name, latest_version, created_at, "
                                           "updated_at) VALUES (?1, ?2, ?3, 1, ?4, ?4)"));
    q.bind(record.id, org, name, now);
    Status inserted = q.run();
    if (!inserted.ok()) return org_missing_or(inserted.error());
  }
  WEFT_TRY(insert_version(writer.db(), org, record.id, 1, name, definition, now));
  WEFT_TRY(txn.commit());
  return record;
}

Result<WorkflowRecord> SqliteWorkflowStore::save_version(const OrgId& org, const WorkflowId& id,
                                                         const std::string& name,
                                                         const json& definition) {
  const TimeMs now = clock_.now_ms();
  WorkflowRecord record{id, org, name, 0, definition, 0, now};
  auto writer = pool_.writer();
  WEFT_TRY_ASSIGN(Transaction txn, Transaction::begin(writer.db()));
  {
    WEFT_TRY_ASSIGN(Query q, writer->query("UPDATE workflows SET latest_version = "
                                           "latest_version + 1, name = ?3, updated_at = ?4 "
                                           "WHERE org_id = ?1 AND id = ?2 "
                                           "RETURNING latest_version, created_at"));
    q.bind(org, id, name, now);
    WEFT_TRY_ASSIGN(bool row, q.step());
    if (!row) return Error::not_found("workflow");
    record.version = static_cast<int>(q.int64(0));
    record.created_at = q.int64(1);
  }
  WEFT_TRY(insert_version(writer.db(), org, id, record.version, name, definition, now));
  WEFT_TRY(txn.commit());
  webhooks_.forget_all();  // its webhook now runs this version
  return record;
}

// Version ?3 of workflow ?2 of org ?1, or its latest when ?3 is null.
#define WEFT_ONE_VERSION                                                                   \
  "FROM workflows w JOIN workflow_versions v ON v.workflow_id = w.id "                    \
  "AND v.version = COALESCE(?3, w.latest_version) WHERE w.org_id = ?1 AND w.id = ?2"

namespace {
Error version_not_found(std::optional<int> version) {
  if (version) return Error::not_found("workflow version " + std::to_string(*version));
  return Error::not_found("workflow");
}
}  // namespace

Result<WorkflowRecord> SqliteWorkflowStore::get(const OrgId& org, const WorkflowId& id,
                                                std::optional<int> version) {
  auto reader = pool_.reader();
  WEFT_TRY_ASSIGN(Query q, reader->query("SELECT " WEFT_WORKFLOW_COLUMNS WEFT_ONE_VERSION));
  q.bind(org, id, version);
  WEFT_TRY_ASSIGN(bool row, q.step());
  if (!row) return version_not_found(version);
  return read_workflow(q);
}

Result<int> SqliteWorkflowStore::version_of(const OrgId& org, const WorkflowId& id, std::optional<int> version) {
  auto reader = pool_.reader();
  WEFT_TRY_ASSIGN(Query q, reader->query("SELECT v.version " WEFT_ONE_VERSION));
  q.bind(org, id, version);
  WEFT_TRY_ASSIGN(bool row, q.step());
  if (!row) return version_not_found(version);
  return static_cast<int>(q.int64(0));
}

Result<std::optional<WorkflowRecord>> SqliteWorkflowStore::find_by_name(const OrgId& org,
                                                                        const std::string& name) {
  auto reader = pool_.reader();
  WEFT_TRY_ASSIGN(Query q, reader->query("SELECT " WEFT_WORKFLOW_COLUMNS
                                         "FROM workflows w JOIN workflow_versions v "
                                         "ON v.workflow_id = w.id "
                                         "AND v.version = w.latest_version "
                                         "WHERE w.org_id = ?1 AND w.name = ?2 "
                                         "ORDER BY w.updated_at DESC, w.id DESC LIMIT 1"));
  q.bind(org, name);
  WEFT_TRY_ASSIGN(bool row, q.step());
  if (!row) return std::optional<WorkflowRecord>();
  WEFT_TRY_ASSIGN(auto record, read_workflow(q));
  return std::optional<WorkflowRecord>(std::move(record));
}

Result<std::vector<WorkflowRecord>> SqliteWorkflowStore::list(const OrgId& org) {
  auto reader = pool_.reader();
  WEFT_TRY_ASSIGN(Query q, reader->query("SELECT " WEFT_WORKFLOW_COLUMNS
                                         "FROM workflows w JOIN workflow_versions v "
                                         "ON v.workflow_id = w.id "
                                         "AND v.version = w.latest_version "
                                         "WHERE w.org_id = ?1 "
                                         "ORDER BY w.updated_at DESC, w.id DESC"));
  q.bind(org);
  std::vector<WorkflowRecord> out;
  while (true) {
    WEFT_TRY_ASSIGN(bool row, q.step());
    if (!row) break;
    WEFT_TRY_ASSIGN(auto record, read_workflow(q));
    out.push_back(std::move(record));
  }
  return out;
}

Status SqliteWorkflowStore::remove(const OrgId& org, const WorkflowId& id) {
  auto writer = pool_.writer();
  // workflow_versions rows go with it (ON DELETE CASCADE); runs keep their history.
  WEFT_TRY_ASSIGN(Query q, writer->query("DELETE FROM workflows WHERE org_id = ?1 AND id = ?2"));
  q.bind(org, id);
  Status removed = q.run_one("workflow");
  webhooks_.forget_all();  // its webhook went with it (ON DELETE CASCADE)
  return removed;
}

#undef WEFT_ONE_VERSION
#undef WEFT_WORKFLOW_COLUMNS

}  // namespace weft::store::sqlite

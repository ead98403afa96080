#include "store/postgres/pg_shared_writes.h"
#include "store/postgres/pg_store.h"
#include "store/rows.h"

namespace weft::store::postgres {

namespace {

Result<std::optional<Org>> find_org_by_name(Connection& db, const std::string& name) {
  Query q = db.query("SELECT id, name, created_at FROM orgs WHERE name = $1");
  q.bind(name);
  WEFT_TRY_ASSIGN(bool row, q.step());
  if (!row) return std::optional<Org>();
  return std::optional<Org>(read_org(q));
}

Status check_name(const std::string& name) {
  if (name.empty()) return Error::make("invalid_argument", "organization name must not be empty");
  return {};
}

}  // namespace

Status insert_org(Connection& db, const Org& org) {
  Query q = db.query("INSERT INTO orgs (id, name, created_at) VALUES ($1, $2, $3)");
  q.bind(org.id, org.name, org.created_at);
  Status inserted = q.run();
  if (!inserted.ok() && inserted.error().code == "conflict") {
    return Error::make("conflict", "organization '" + org.name + "' already exists");
  }
  return inserted;
}

Result<Org> PgOrgStore::create(const std::string& name) {
  WEFT_TRY(check_name(name));
  Org org{new_id<OrgId>(clock_), name, clock_.now_ms()};
  WEFT_TRY_ASSIGN(auto writer, pool_.acquire());
  WEFT_TRY(insert_org(writer.db(), org));
  return org;
}

Result<Org> PgOrgStore::get(const OrgId& id) {
  WEFT_TRY_ASSIGN(auto reader, pool_.acquire());
  Query q = reader->query("SELECT id, name, created_at FROM orgs WHERE id = $1");
  q.bind(id);
  WEFT_TRY_ASSIGN(bool row, q.step());
  if (!row) return Error::not_found("organization");
  return read_org(q);
}

Result<std::optional<Org>> PgOrgStore::find_by_name(const std::string& name) {
  WEFT_TRY_ASSIGN(auto reader, pool_.acquire());
  return find_org_by_name(reader.db(), name);
}

Result<Org> PgOrgStore::ensure(const std::string& name) {
  WEFT_TRY(check_name(name));
  {
    WEFT_TRY_ASSIGN(auto existing, find_by_name(name));
    if (existing) return *existing;
  }
  // Insert-or-keep and read back under the writer lock: concurrent callers all get one org.
  WEFT_TRY_ASSIGN(auto writer, pool_.acquire());
  {
    Query q = writer->query(
        "INSERT INTO orgs (id, name, created_at) "
        "VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING");
    q.bind(new_id<OrgId>(clock_), name, clock_.now_ms());
    WEFT_TRY(q.run());
  }
  WEFT_TRY_ASSIGN(auto org, find_org_by_name(writer.db(), name));
  if (!org) return Error::internal("organization vanished after insert: " + name);
  return *org;
}

Result<std::vector<Org>> PgOrgStore::list() {
  WEFT_TRY_ASSIGN(auto reader, pool_.acquire());
  Query q = reader->query("SELECT id, name, created_at FROM orgs ORDER BY created_at, id");
  return q.collect(read_org<Query>);
}

}  // namespace weft::store::postgres

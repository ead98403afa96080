#include <algorithm>

#include "store/rows.h"
#include "store/postgres/pg_store.h"

namespace weft::store::postgres {

namespace {

#define WEFT_AUDIT_COLUMNS "id, org_id, at, actor_id, actor_email, address, action, target_type, target_id, details "

constexpr int kMaxAuditPage = 500;

std::optional<std::string> nullable(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

}  // namespace

Result<std::int64_t> PgAuditStore::append(const AuditEvent& event) {
  if (event.action.empty()) return Error::make("invalid_argument", "an audit event needs an action");
  const TimeMs at = event.at != 0 ? event.at : clock_.now_ms();
  WEFT_TRY_ASSIGN(auto writer, pool_.acquire());
  Query q = writer->query(
      "INSERT INTO audit_events (org_id, at, actor_id, actor_email, address, "
      "action, target_type, target_id, details) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id");
  q.bind(nullable(event.org.str()), at, event.actor.str(), event.actor_email, event.address, event.action,
         event.target_type, event.target_id, event.details.is_null() ? json::object() : event.details);
  WEFT_TRY_ASSIGN(bool row, q.step());
  if (!row) return Error::internal("the audit event was not inserted");
  const std::int64_t id = q.int64(0);
  WEFT_TRY(q.run());
  return id;
}

Result<std::vector<AuditEvent>> PgAuditStore::list(const AuditFilter& filter) {
  const int limit = std::clamp(filter.limit, 1, kMaxAuditPage);
  const std::int64_t before = filter.before_id.value_or(INT64_MAX);
  WEFT_TRY_ASSIGN(auto reader, pool_.acquire());
  // No org filter: every event, platform-wide.
  Query q = reader->query("SELECT " WEFT_AUDIT_COLUMNS
                          "FROM audit_events "
                          "WHERE ($1::text IS NULL OR org_id = $1::text) AND id < $2 ORDER BY id DESC LIMIT $3");
  q.bind(filter.org, before, limit);
  return read_rows(q, read_audit_event<Query>);
}

}  // namespace weft::store::postgres

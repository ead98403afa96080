#include "core/config.h"

#include <charconv>
#include <cstdlib>
#include <string_view>

namespace weft {

namespace {

const char* env(const char* name) {
  const char* v = std::getenv(name);
  return (v != nullptr && *v != '\0') ? v : nullptr;
}

void read_string(const char* name, std::string& out) {
  if (const char* v = env(name)) out = v;
}

template <typename Int>
void read_int(const char* name, Int& out, std::string* error, Int min = 0) {
  const char* v = env(name);
  if (v == nullptr) return;
  std::string_view text(v);
  Int parsed{};
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), parsed);
  if (ec != std::errc() || ptr != text.data() + text.size() || parsed < min) {
    if (error != nullptr) *error = std::string(name) + " must be an integer of at least " + std::to_string(min);
    return;
  }
  out = parsed;
}

void read_bool(const char* name, bool& out, std::string* error) {
  const char* v = env(name);
  if (v == nullptr) return;
  const std::string_view text(v);
  if (text == "1" || text == "true") {
    out = true;
  } else if (text == "0" || text == "false") {
    out = false;
  } else if (error != nullptr) {
    *error = std::string(name) + " must be 1/true or 0/false";
  }
}

}  // namespace

Config Config::from_env(std::string* error) {
  Config c;
  read_string("WEFT_DATA_DIR", c.data_dir);
  read_string("WEFT_DATABASE_URL", c.database_url);
  read_string("WEFT_MASTER_KEY", c.master_key);
  read_string("WEFT_LOG_LEVEL", c.log_level);
  read_string("WEFT_LOG_FORMAT", c.log_format);
  read_int("WEFT_WORKERS", c.worker_threads, error, 1);
  read_int("WEFT_LEASE_MS", c.lease_ms, error, std::int64_t{100});
  read_int("WEFT_POLL_MS", c.poll_ms, error, std::int64_t{1});
  read_int("WEFT_MAX_STEP_TIMEOUT_MS", c.max_step_timeout_ms, error, std::int64_t{1});
  read_string("WEFT_DEFAULT_ORG", c.default_org);
  read_string("WEFT_DURABILITY", c.durability);
  if (c.durability != "process" && c.durability != "full" && error != nullptr) {
    *error = "WEFT_DURABILITY must be process or full";
  }
  read_string("WEFT_BUNDLES_DIR", c.bundles_dir);
  read_string("WEFT_WEB_DIR", c.web_dir);
  read_int("WEFT_SANDBOX_PROCESSES", c.sandbox_processes, error, 1);
  read_bool("WEFT_SANDBOX_ALLOW_PRIVATE_EGRESS", c.sandbox_allow_private_egress, error);
  read_string("WEFT_SANDBOX_SHARING", c.sandbox_sharing);
  if (c.sandbox_sharing != "per-org" && c.sandbox_sharing != "shared" && error != nullptr) {
    *error = "WEFT_SANDBOX_SHARING must be per-org or shared";
  }
  read_string("WEFT_LISTEN", c.listen);
  read_string("WEFT_WORKER_LISTEN", c.worker_listen);
  read_int("WEFT_HTTP_THREADS", c.http_threads, error, 2);
  read_int("WEFT_NETWORK_THREADS", c.network_threads, error, 0);
  read_string("WEFT_ALLOWED_ORIGINS", c.allowed_origins);
  read_bool("WEFT_TRUST_PROXY", c.trust_proxy, error);
  read_string("WEFT_SETUP_TOKEN", c.setup_token);
  read_int("WEFT_MAX_STREAMS_PER_USER", c.max_streams_per_user, error, 1);
  read_string("WEFT_PASSWORD_HASH_COST", c.password_hash_cost);
  read_int("WEFT_PASSWORD_CHECKS", c.password_checks, error, 1);
  read_int("WEFT_PASSWORD_CHECK_QUEUE", c.password_check_queue, error, 0);
  read_int("WEFT_PASSWORD_CHECK_WAIT_MS", c.password_check_wait_ms, error, std::int64_t{0});
  read_string("WEFT_SLACK_API_BASE", c.slack_api_base);
  read_string("WEFT_GMAIL_API_BASE", c.gmail_api_base);
  read_string("WEFT_ACME_API_BASE", c.acme_api_base);
  read_int("WEFT_HTTP_MAX_RESPONSE_BYTES", c.http_max_response_bytes, error);
  read_int("WEFT_HTTP_MAX_REDIRECTS", c.http_max_redirects, error);
  read_int("WEFT_HTTP_TIMEOUT_MS", c.http_default_timeout_ms, error);
  read_bool("WEFT_HTTP_ALLOW_PRIVATE", c.http_allow_private, error);
  return c;
}

std::string Config::sqlite_path() const {
  constexpr std::string_view kPrefix = "sqlite://";
  if (database_url.rfind(kPrefix, 0) == 0) return database_url.substr(kPrefix.size());
  if (!database_url.empty()) return database_url;
  return data_dir + "/weft.db";
}

}  // namespace weft

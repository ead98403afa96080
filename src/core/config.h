// core/config.h — owns the process configuration: defaults, then WEFT_* environment variables,
// then command-line flags (applied by cli/). Holds no behaviour; never logs the master key.
#pragma once

#include <cstdint>
#include <string>

namespace weft {

struct Config {
  std::string data_dir = "./weft-data";       // WEFT_DATA_DIR
  std::string database_url;                   // WEFT_DATABASE_URL; empty = <data_dir>/weft.db
  std::string master_key;                     // WEFT_MASTER_KEY (64 hex chars); empty = key file
  std::string log_level = "info";             // WEFT_LOG_LEVEL
  std::string log_format = "text";            // WEFT_LOG_FORMAT: text | json
  int worker_threads = 4;                     // WEFT_WORKERS
  std::int64_t lease_ms = 30000;              // WEFT_LEASE_MS: job lease length
  std::int64_t poll_ms = 500;                 // WEFT_POLL_MS: idle worker poll interval
  std::int64_t max_step_timeout_ms = 300000;  // WEFT_MAX_STEP_TIMEOUT_MS
  std::string default_org = "default";        // WEFT_DEFAULT_ORG: the CLI's organization
  // What a recorded step survives: process (the process dying) or full (a power cut too).
  std::string durability = "process";         // WEFT_DURABILITY: process | full

  // Custom bundles: every sub-folder of bundles_dir with a manifest.json is registered at
  // boot (manifests only); their code runs in `sandbox_processes` jailed processes.
  std::string bundles_dir = "./bundles";      // WEFT_BUNDLES_DIR
  int sandbox_processes = 2;                  // WEFT_SANDBOX_PROCESSES
  // ctx.fetch of bundles and core.code may reach loopback/private addresses (tests, labs).
  bool sandbox_allow_private_egress = false;  // WEFT_SANDBOX_ALLOW_PRIVATE_EGRESS
  // per-org: a sandbox process serves one organization at a time (recycled between them);
  // shared: organizations share processes (separate isolates only).
  std::string sandbox_sharing = "per-org";    // WEFT_SANDBOX_SHARING

  // HTTP API.
  std::string listen = "127.0.0.1:8080";      // WEFT_LISTEN: host:port
  // WEFT_WORKER_LISTEN: where `weft worker` answers /api/health, /api/ready and /metrics
  // (host:port); empty: no HTTP on worker nodes.
  std::string worker_listen;
  std::string web_dir;                        // WEFT_WEB_DIR: serve the web app from this folder
                                              // (development) instead of the embedded one
  int http_threads = 16;                      // WEFT_HTTP_THREADS
  int network_threads = 0;                    // WEFT_NETWORK_THREADS (0: one per two cores)
  // Public origins (scheme://host[:port], comma-separated) the server is reached at besides its
  // IP address and localhost: Host headers and cookie-authenticated writes are accepted from them.
  std::string allowed_origins;                // WEFT_ALLOWED_ORIGINS
  bool trust_proxy = false;                   // WEFT_TRUST_PROXY: believe X-Forwarded-Proto
  // The one-time token for the first set-up (POST /api/setup); empty = a random one, logged.
  std::string setup_token;                    // WEFT_SETUP_TOKEN
  int max_streams_per_user = 8;               // WEFT_MAX_STREAMS_PER_USER: open event streams
  std::string password_hash_cost = "interactive";  // WEFT_PASSWORD_HASH_COST: interactive | min (tests)
  // argon2 checks at once (64 MiB each at the interactive cost), how many callers may queue for
  // one (each holds an HTTP handler thread) and for how long; beyond that: 429 rate_limited.
  int password_checks = 1;                         // WEFT_PASSWORD_CHECKS
  int password_check_queue = 8;                    // WEFT_PASSWORD_CHECK_QUEUE
  std::int64_t password_check_wait_ms = 5000;      // WEFT_PASSWORD_CHECK_WAIT_MS

  // Integration endpoints (tests point them at a local server). A provider's credential is
  // sent only to the origin (scheme, host, port) of its base URL.
  std::string slack_api_base = "https://slack.com/api";             // WEFT_SLACK_API_BASE
  std::string gmail_api_base = "https://gmail.googleapis.com";      // WEFT_GMAIL_API_BASE
  std::string acme_api_base = "https://api.acme.com";               // WEFT_ACME_API_BASE
  std::int64_t http_max_response_bytes = 10 * 1024 * 1024;         // WEFT_HTTP_MAX_RESPONSE_BYTES
  int http_max_redirects = 5;                                       // WEFT_HTTP_MAX_REDIRECTS
  std::int64_t http_default_timeout_ms = 30000;                     // WEFT_HTTP_TIMEOUT_MS
  // Built-ins (http.request and every credentialed call) may reach loopback/private/link-local
  // addresses (an intranet); 0 refuses them on every hop.
  bool http_allow_private = true;                                   // WEFT_HTTP_ALLOW_PRIVATE

  // Defaults overridden by every WEFT_* variable that is set. Malformed numbers are reported
  // through `error` (non-empty) and leave the default in place.
  static Config from_env(std::string* error = nullptr);

  // The SQLite file used when database_url is empty.
  std::string sqlite_path() const;
};

}  // namespace weft

#include "sandbox/step_host_calls.h"

#include <algorithm>

namespace weft::sandbox {

Result<json> StepHostCalls::fetch(const json& request) {
  auto invalid = [](const std::string& what) {
    return Error::make("invalid_request", "fetch(url, init): " + what);
  };
  if (!request.is_object() || !request.contains("url") || !request["url"].is_string()) return invalid("url must be a string");
  net::HttpRequest http;
  http.url = request["url"].get<std::string>();
  if (request.contains("method")) {
    if (!request["method"].is_string()) return invalid("init.method must be a string");
    http.method = request["method"].get<std::string>();
  }
  if (request.contains("headers")) {
    if (!request["headers"].is_object()) return invalid("init.headers must be an object");
    for (auto& [name, value] : request["headers"].items()) {
      if (!value.is_string()) return invalid("header '" + name + "' must be a string");
      http.headers.emplace_back(name, value.get<std::string>());
    }
  }
  if (request.contains("body")) {
    if (!request["body"].is_string()) return invalid("init.body must be a string");
    http.body = request["body"].get<std::string>();
  }
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - std::chrono::steady_clock::now());
  std::int64_t timeout = left.count();
  if (request.contains("timeoutMs") && request["timeoutMs"].is_number()) {
    timeout = std::min<std::int64_t>(timeout, static_cast<std::int64_t>(request["timeoutMs"].get<double>()));
  }
  http.timeout_ms = std::max<std::int64_t>(timeout, 0);
  http.max_response_bytes = max_response_bytes_;
  http.cancel = cancel_;

  // Audited in the step's log: method, host and status (or the refusal), never the path, query,
  // headers or body.
  const std::string method = http.method.empty() ? "GET" : http.method;
  const std::string host = net::loggable_host(http.url);
  auto performed = net::perform_with_policy(std::move(http), egress_);
  if (!performed.ok()) {
    const Error& e = performed.error();
    log_.write("warn", "fetch " + method + " " + (host.empty() ? "(invalid URL)" : host) + " failed: " + e.code,
               {{"fetch", {{"method", method}, {"host", host}, {"error", e.code}}}});
    return e;
  }
  net::HttpResponse response = std::move(performed).take();
  log_.write("info", "fetch " + method + " " + host + " " + std::to_string(response.status),
             {{"fetch", {{"method", method}, {"host", host}, {"status", response.status}}}});
  json headers = json::object();
  for (const auto& [name, value] : response.headers) {
    if (headers.contains(name)) {
      headers[name] = headers[name].get<std::string>() + ", " + value;
    } else {
      headers[name] = value;
    }
  }
  return json{{"status", response.status},
              {"url", response.effective_url},
              {"headers", std::move(headers)},
              {"body", std::move(response.body)}};
}

void StepHostCalls::log(const std::string& level, const std::string& message, const json& fields) {
  log_.write(level, message, fields);
}

Result<json> call_for_step(SandboxPool& pool, catalog::ActionContext& ctx, const std::string& actor,
                           const SandboxPool::SourceFn& source, const std::string& tool, const json& input,
                           net::EgressPolicy egress, const json& extra_ctx) {
  json call_ctx = {
      {"ids", {{"orgId", ctx.org.str()}, {"runId", ctx.run.str()}, {"stepId", ctx.step_id}}},
      {"idempotencyKey", ctx.idempotency_key},
      {"auth", ctx.auth ? ctx.auth->secret.reveal() : json(nullptr)},
  };
  if (extra_ctx.is_object()) {
    for (auto it = extra_ctx.begin(); it != extra_ctx.end(); ++it) {
      if (!call_ctx.contains(it.key())) call_ctx[it.key()] = it.value();
    }
  }
  StepHostCalls host(ctx.log, std::move(egress), ctx.deadline, &ctx.cancel, pool.limits().fetch_max_response_bytes);
  // The pool clamps the timeout to the org's and the server's caps.
  return pool.call(actor, source, tool, input, call_ctx, std::chrono::milliseconds(ctx.remaining_ms()), &host);
}

}  // namespace weft::sandbox

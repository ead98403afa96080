#include "engine/step_runner.h"

#include <algorithm>
#include <chrono>
#include <exception>

#include "core/log.h"
#include "engine/step_log.h"

namespace weft::engine {

namespace {

// Errors a retry cannot fix.
bool is_retryable(const Error& error) {
  return error.code != "invalid_input" && error.code != "cancelled" &&
         error.code != "credential_unavailable" && error.code != "invalid_output" &&
         error.code != "http_client_unavailable";  // a library to install: retrying cannot help
}

// The error as stored in the step record: public errors as they are, internal ones masked
// (and logged with the ids so an operator can find the real cause).
json stored_error(const Error& error, const store::RunRecord& run, const std::string& step_id) {
  if (!error.is_public) {
    log().error("run {} step {}: internal error: {}", run.id.str(), step_id, error.message);
  }
  return error.to_public_json();
}

Result<json> call_action(const catalog::Action& action, catalog::ActionContext& ctx) {
  try {
    return action.run(ctx);
  } catch (const std::exception& e) {
    return Error::internal(std::string("action threw: ") + e.what());
  }
}

Result<json> attempt_once(const StepRequest& req, const json& inputs, const catalog::StepAuth* auth,
                          int attempt, std::int64_t timeout_ms, StepLogBuffer& log_buffer) {
  const auto& action = *req.step.action;
  catalog::ActionContext ctx{
      .input = inputs,
      .auth = auth,
      .org = req.run.org,
      .run = req.run.id,
      .step_id = req.step.def.id,
      .idempotency_key = req.run.id.str() + ":" + req.step.def.id + ":" + std::to_string(attempt),
      .attempt = attempt,
      .log = log_buffer,
      .cancel = req.control.cancel,
      .deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms),
  };
  WEFT_TRY_ASSIGN(json output, call_action(action, ctx));
  if (req.control.cancel.cancelled()) return Error::make("cancelled", "the run was cancelled");
  if (json_depth(output, kMaxJsonDepth + 1) > kMaxJsonDepth) {
    // Stored, read back and templated into later steps: it must fit what parse_json accepts.
    return Error::make("invalid_output", "action '" + action.key + "' returned output nested deeper than " +
                                             std::to_string(kMaxJsonDepth) + " levels");
  }
  auto violations = action.output_schema.validate(output);
  if (!violations.empty()) {
    json details = json::array();
    for (const auto& v : violations) details.push_back({{"pointer", v.pointer}, {"message", v.message}});
    return Error::make("invalid_output", "action '" + action.key + "' returned output that violates its outputSchema",
                       std::move(details));
  }
  return output;
}

}  // namespace

store::StepRunRecord run_step(const StepRequest& req, CredentialSource& credentials,
                              const StepLimits& limits, const Clock& clock) {
  const auto& step = req.step;
  const auto& action = *step.action;
  store::StepRunRecord record;
  record.run = req.run.id;
  record.org = req.run.org;
  record.step_id = step.def.id;
  record.started_at = clock.now_ms();
  if (step.action != nullptr && !step.action->version.empty()) {
    record.bundle_vendor = step.action->provider;
    record.bundle_version = step.action->version;
  }
  StepLogBuffer log_buffer(clock);

  auto finish = [&](store::StepStatus status, json output, json error) {
    record.status = status;
    record.output = std::move(output);
    record.error = std::move(error);
    record.logs = log_buffer.take();
    record.finished_at = clock.now_ms();
    return std::move(record);
  };

  auto rendered = step.inputs.render(req.run.input, req.outputs);
  if (!rendered.ok()) {
    // A template naming a large value many times: refused before it is built (or stored).
    return finish(store::StepStatus::failed, nullptr,
                  Error::make("invalid_input", "inputs after templating would be larger than " +
                                                   std::to_string(kMaxRenderedBytes) + " bytes")
                      .to_public_json());
  }
  record.input = std::move(rendered).take();
  if (json_depth(record.input, kMaxJsonDepth + 1) > kMaxJsonDepth) {
    // Templates can nest an earlier output inside the step's own structure, step after step.
    record.input = nullptr;  // not stored: it would not read back
    return finish(store::StepStatus::failed, nullptr,
                  Error::make("invalid_input", "inputs after templating are nested deeper than " +
                                                   std::to_string(kMaxJsonDepth) + " levels")
                      .to_public_json());
  }
  auto violations = action.input_schema.validate(record.input);
  if (!violations.empty()) {
    json details = json::array();
    std::string message;
    for (const auto& v : violations) {
      const std::string field = input_field(v.pointer);
      details.push_back({{"field", field}, {"message", v.message}});
      if (!message.empty()) message += "; ";
      message += field + ": " + v.message;
    }
    return finish(store::StepStatus::failed, nullptr,
                  Error::make("invalid_input", "inputs after templating are invalid: " + message, details)
                      .to_public_json());
  }

  auto opened = open_for_action(credentials, req.run.org, action, step.def.credential);
  if (!opened.ok()) return finish(store::StepStatus::failed, nullptr, opened.error().to_public_json());
  std::optional<catalog::StepAuth> auth = std::move(opened).take();
  if (auth) {
    log_buffer.write("info", "using credential '" + auth->credential_name + "' (" + auth->credential_id.str() + ")",
                     {{"credential", {{"id", auth->credential_id.str()}, {"name", auth->credential_name}}}});
  }

  std::int64_t timeout_ms = step.def.timeout_ms > 0 ? step.def.timeout_ms : limits.default_timeout_ms;
  timeout_ms = std::min(timeout_ms, limits.max_timeout_ms);
  const auto& retry = step.def.retry;
  std::int64_t backoff = retry.backoff_ms;
  for (int attempt = 1;; ++attempt) {
    record.attempts = attempt;
    auto result = attempt_once(req, record.input, auth ? &*auth : nullptr, attempt, timeout_ms, log_buffer);
    if (result.ok()) return finish(store::StepStatus::succeeded, std::move(result).take(), nullptr);
    const Error& error = result.error();
    const bool cancelled = req.control.cancel.cancelled();
    if (cancelled || attempt >= retry.max_attempts || !is_retryable(error)) {
      Error final_error = cancelled ? Error::make("cancelled", "the run was cancelled") : error;
      return finish(store::StepStatus::failed, nullptr, stored_error(final_error, req.run, step.def.id));
    }
    const json shown = error.is_public ? json(error.message) : json("internal error");
    log_buffer.write("warn", "attempt " + std::to_string(attempt) + " failed (" +
                                 (error.is_public ? error.code : "internal_error") + "); retrying in " +
                                 std::to_string(backoff) + " ms",
                     {{"error", shown}});
    if (backoff > 0 && !req.control.cancel.wait_for(std::chrono::milliseconds(backoff))) {
      return finish(store::StepStatus::failed, nullptr, Error::make("cancelled", "the run was cancelled").to_public_json());
    }
    backoff = std::min(std::max<std::int64_t>(backoff * 2, 1), retry.max_backoff_ms);
  }
}

}  // namespace weft::engine

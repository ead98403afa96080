// fuzz/workflow_fuzzer.cpp — libFuzzer target: a workflow document as a member would save it.
// bytes → parse_json → parse_workflow → build_plan against the real built-in catalog (with a few
// credentials of each type) → a schedule's cron → every template compiled and rendered against a
// context made from the document itself (within kMaxRenderedBytes), and each rendered input
// checked by its action's schema (what the executor does before a step runs). Nothing is
// executed and nothing leaves memory. Run it with -timeout=10: a slow input is a finding too.
//
// Besides what ASan/UBSan catch, it aborts when a property the rest of the system relies on
// breaks: a rendered value must be storable as JSON text (the sandbox dumps inputs strictly) and
// every error must have the public shape the API sends.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "catalog/catalog.h"
#include "core/json.h"
#include "engine/credential_source.h"
#include "engine/plan.h"
#include "engine/templating.h"
#include "engine/triggers/cron.h"
#include "engine/workflow.h"
#include "integrations/builtin/builtins.h"

namespace {

using namespace weft;

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "workflow_fuzzer: %s: %s\n", what, detail.c_str());
  std::abort();
}

// The process-wide catalog and credentials (built once: registering schemas is the slow part).
struct World {
  catalog::Catalog catalog;
  engine::MemoryCredentialSource credentials{nullptr};
  OrgId org{"org_fuzz"};

  World() {
    if (auto s = integrations::register_builtins(catalog, integrations::BuiltinOptions{}); !s.ok()) {
      fail("register_builtins", s.error().message);
    }
    add("cred_slack", "slack", vault::AuthType::oauth2, {{"access_token", "xoxb-1"}});
    add("cred_slack_bot", "slack", vault::AuthType::bot_token, {{"bot_token", "xoxb-2"}});
    add("cred_gmail", "gmail", vault::AuthType::oauth2, {{"access_token", "ya29"}});
    add("cred_acme", "acme", vault::AuthType::api_key, {{"api_key", "k"}});
    add("cred_acme_bearer", "acme", vault::AuthType::bearer_token, {{"token", "t"}});
  }

  void add(const char* id, const char* provider, vault::AuthType type, const json& secret) {
    if (auto s = credentials.add({CredentialId(id), provider, type}, secret); !s.ok()) fail("credential", s.error().message);
  }
};

World& world() {
  static World w;
  return w;
}

// A rendered value is stored and sent to the sandbox as JSON text: it must dump strictly.
void check_storable(const json& value) {
  try {
    (void)value.dump();
  } catch (const json::exception& e) {
    fail("rendered value cannot be dumped", e.what());
  }
}

// WEFT_FUZZ_DEBUG=1: print each stage's error (to check what a seed reaches).
const bool kDebug = std::getenv("WEFT_FUZZ_DEBUG") != nullptr;

// Errors reach users as {"error":{code,message,details}}: the public form must serialise.
void check_error(const Error& error) {
  if (error.code.empty()) fail("error without a code", error.message);
  const std::string text = json{{"error", error.to_public_json()}}.dump(-1, ' ', false, json::error_handler_t::replace);
  if (kDebug) std::fprintf(stderr, "%s\n", text.substr(0, 2000).c_str());
}

// Renders `t` with the document as the trigger payload and each step's own definition as its
// output, then checks the result as the executor would.
void render(const engine::Template& t, const json& document, const engine::StepOutputLookup& outputs,
            const catalog::Action* action) {
  auto rendered = t.render(document, outputs);
  if (!rendered.ok()) {
    if (rendered.error().code != "template_too_large") fail("render failed", rendered.error().message);
    return;  // bounded by kMaxRenderedBytes: the step would fail with invalid_input
  }
  check_storable(*rendered);
  if (action == nullptr) return;
  for (const auto& violation : action->input_schema.validate(*rendered)) {
    (void)engine::input_field(violation.pointer);
  }
}

void fuzz_document(const json& document) {
  World& w = world();
  // steps.<id>.output → that step's definition in the document (so paths into it resolve).
  const engine::StepOutputLookup outputs = [&document](std::string_view id) -> const json* {
    auto steps = document.find("steps");
    if (steps == document.end() || !steps->is_array()) return nullptr;
    for (const auto& step : *steps) {
      if (step.is_object()) {
        auto it = step.find("id");
        if (it != step.end() && it->is_string() && it->get_ref<const std::string&>() == id) return &step;
      }
    }
    return nullptr;
  };

  // The whole document as one template: templating sees every value, valid workflow or not.
  if (auto whole = engine::Template::compile(document); whole.ok()) render(*whole, document, outputs, nullptr);
  else check_error(whole.error());

  auto parsed = engine::parse_workflow(document);
  if (!parsed.ok()) return check_error(parsed.error());
  const engine::Workflow workflow = *parsed;

  if (workflow.trigger.type == "schedule") {
    auto cron = engine::CronSchedule::parse(workflow.trigger.cron, workflow.trigger.timezone);
    if (cron.ok()) (void)cron->next_after(1704067200000);  // 2024-01-01T00:00:00Z
    else check_error(cron.error());
  }

  auto plan = engine::build_plan(workflow, w.catalog, &w.credentials, w.org);
  if (!plan.ok()) {
    check_error(plan.error());
    // What a run would still do with each step it can compile.
    for (const auto& step : workflow.steps) {
      auto t = engine::Template::compile(step.inputs);
      if (t.ok()) render(*t, document, outputs, w.catalog.find(step.action));
    }
    return;
  }
  for (const auto& step : plan->steps) {
    if (step.action == nullptr) fail("planned step without an action", step.def.id);
    for (std::size_t dep : step.deps) {
      if (dep >= plan->steps.size()) fail("dependency out of range", step.def.id);
    }
    render(step.inputs, document, outputs, step.action);
    if (step.condition) render(*step.condition, document, outputs, nullptr);
  }
  if (plan->output) render(*plan->output, document, outputs, nullptr);
  if (kDebug) std::fprintf(stderr, "plan: %zu steps\n", plan->steps.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto document = parse_json(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!document.ok()) {
    check_error(document.error());
    return 0;
  }
  fuzz_document(*document);
  return 0;
}

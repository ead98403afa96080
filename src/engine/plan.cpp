#include "engine/plan.h"

#include <algorithm>
#include <set>
#include <unordered_set>

#include "core/edit_distance.h"
#include "engine/triggers/cron.h"

namespace weft::engine {

namespace {

std::string accepted_types(const catalog::Action& action) {
  std::string out;
  for (std::size_t i = 0; i < action.accepted_auth.size(); ++i) {
    if (i > 0) out += i + 1 == action.accepted_auth.size() ? " or " : ", ";
    out += vault::to_string(action.accepted_auth[i]);
  }
  return out;
}

// " (did you mean 'x'?)" for the step id within edit distance 2 of `name`, else "". Nothing for
// a name too long to be a typo, nor once the problem list is full (nobody reads the rest).
// Costs at most |ids| × 5 × kMaxSuggestedNameLength character comparisons.
std::string did_you_mean(const std::string& name, const std::unordered_map<std::string, std::size_t>& ids,
                         const ProblemList& problems) {
  if (name.size() > kMaxSuggestedNameLength || problems.full()) return "";
  constexpr std::size_t kMaxDistance = 2;
  std::string best;
  std::size_t best_d = kMaxDistance + 1;
  for (const auto& [id, _] : ids) {
    const std::size_t d = edit_distance(name, id, kMaxDistance);
    if (d < best_d || (d == best_d && !best.empty() && id < best)) {
      best_d = d;
      best = id;
    }
  }
  return best.empty() ? "" : " (did you mean '" + best + "'?)";
}

// True when `pointer` is a templated string or lies inside one (its value is only known at run
// time). Looks up each prefix of the pointer: linear in its length, not in the template count.
bool covered_by_template(const std::string& pointer, const std::unordered_set<std::string>& templated) {
  if (templated.empty()) return false;
  for (std::size_t end = pointer.size();; end = pointer.rfind('/', end - 1)) {
    if (templated.count(pointer.substr(0, end))) return true;
    if (end == 0 || end == std::string::npos) return false;
  }
}

// The credential `credential` given to `action` at (`step`, `field`): needed, unneeded, unknown in
// the org, wrong type or wrong provider. Shared by steps and by a bundle trigger.
void check_credential(const catalog::Action& action, const std::optional<CredentialId>& credential,
                      CredentialSource* credentials, const OrgId& org, const std::string& id,
                      const std::string& field, ProblemList& problems) {
  if (action.auth_type == vault::AuthType::none) {
    if (credential) {
      problems.push_back({id, field, "action '" + action.key + "' takes no credential"});
    }
    return;
  }
  if (!credential) {
    problems.push_back({id, field, "action '" + action.key + "' needs a '" + action.provider +
                                       "' credential of type " + accepted_types(action)});
    return;
  }
  if (credentials == nullptr) return;
  auto meta = credentials->describe(org, *credential);
  if (!meta.ok()) {
    problems.push_back({id, field, "credential '" + credential->str() + "' " +
                                       (meta.error().code == "not_found" ? "does not exist" : "cannot be read")});
    return;
  }
  if (!action.accepts(meta->type)) {
    problems.push_back({id, field,
                        "credential type mismatch: '" + credential->str() + "' is " +
                            std::string(vault::to_string(meta->type)) + " but action '" + action.key +
                            "' needs " + accepted_types(action)});
  } else if (meta->provider != action.provider) {
    problems.push_back({id, field,
                        "credential '" + credential->str() + "' is for provider '" + meta->provider +
                            "' but action '" + action.key + "' needs a '" + action.provider + "' credential"});
  }
}

// The trigger's cron and time zone (schedule and bundle triggers), checked at save rather than
// after it, so a workflow whose schedule cannot fire is never stored.
void check_cron(const TriggerDef& trigger, ProblemList& problems) {
  if (trigger.type != "schedule" && trigger.type != "bundle") return;
  if (trigger.cron.empty()) return;  // parse_workflow reported it
  auto cron = CronSchedule::parse(trigger.cron, trigger.timezone);
  if (!cron.ok()) {
    const bool zone = cron.error().code == "unknown_timezone";
    problems.push_back({"", zone ? "trigger.timezone" : "trigger.cron", cron.error().message});
  } else if (cron->next_after(SystemClock::instance().now_ms()) < 0) {
    problems.push_back({"", "trigger.cron", "the cron expression matches no time in the next 5 years"});
  }
}

// A bundle trigger: its block is a trigger of the org's catalog view, its credential fits, its
// inputs pass the block's inputSchema (problems point into /trigger/inputs).
void check_bundle_trigger(const TriggerDef& trigger, const catalog::CatalogView& view,
                          CredentialSource* credentials, const OrgId& org, ProblemList& problems) {
  if (trigger.type != "bundle" || trigger.block.empty()) return;
  const catalog::Action* action = view.find(trigger.block);
  if (action == nullptr) {
    auto suggestions = problems.full() ? std::vector<std::string>() : view.suggest(trigger.block, 1);
    const std::string hint = suggestions.empty() ? "" : " (did you mean '" + suggestions[0] + "'?)";
    problems.push_back({"", "trigger.block", "unknown trigger block '" +
                                                 clip_for_message(trigger.block, kMaxActionKeyLength) + "'" + hint});
    return;
  }
  if (action->kind != catalog::ActionKind::trigger) {
    problems.push_back({"", "trigger.block", "'" + action->key + "' is a " + std::string(catalog::to_string(action->kind)) +
                                                 ", not a trigger: a bundle trigger polls a block of category \"triggers\""});
    return;
  }
  check_credential(*action, trigger.credential, credentials, org, "", "trigger.credential", problems);
  for (const auto& v : action->input_schema.validate(trigger.inputs)) {
    problems.push_back({"", "trigger." + input_field(v.pointer), v.message, "/trigger/inputs" + v.pointer});
  }
}

// Adds a dependency for each template reference; reports unknown and self references.
void add_template_deps(const Template& t, const std::string& step_id, const std::string& field_root,
                       const Plan& plan, std::vector<std::size_t>* deps,
                       ProblemList& problems) {
  for (const auto& located : t.references()) {
    if (located.ref.root != TemplateRef::Root::steps) continue;
    const std::string& target = located.ref.step;
    auto it = plan.index.find(target);
    if (it == plan.index.end()) {
      const std::string field = field_root == "inputs" ? input_field(located.pointer) : field_root;
      problems.push_back({step_id, field, "template {{" + clip_for_message(located.ref.text, 2 * kMaxStepIdLength) +
                                              "}} names unknown step '" + clip_for_message(target) + "'" +
                                              did_you_mean(target, plan.index, problems)});
    } else if (target == step_id) {
      const std::string field = field_root == "inputs" ? input_field(located.pointer) : field_root;
      problems.push_back({step_id, field, "template {{" + clip_for_message(located.ref.text, 2 * kMaxStepIdLength) +
                                              "}} reads the step's own output"});
    } else if (deps != nullptr) {
      deps->push_back(it->second);
    }
  }
}

// Reports the first dependency cycle found. Depth-first with an explicit stack (a chain of
// kMaxSteps steps must not cost kMaxSteps nested calls).
void check_cycles(const Plan& plan, ProblemList& problems) {
  enum Color { white, grey, black };
  std::vector<Color> color(plan.steps.size(), white);
  struct Frame {
    std::size_t step;
    std::size_t next_dep = 0;
  };
  std::vector<Frame> stack;
  for (std::size_t root = 0; root < plan.steps.size(); ++root) {
    if (color[root] != white) continue;
    color[root] = grey;
    stack.push_back({root});
    while (!stack.empty()) {
      Frame& top = stack.back();
      const auto& deps = plan.steps[top.step].deps;
      if (top.next_dep == deps.size()) {
        color[top.step] = black;
        stack.pop_back();
        continue;
      }
      const std::size_t d = deps[top.next_dep++];
      if (color[d] == grey) {
        auto from = std::find_if(stack.begin(), stack.end(), [&](const Frame& f) { return f.step == d; });
        std::string path;
        for (auto it = from; it != stack.end(); ++it) path += plan.steps[it->step].def.id + " → ";
        path += plan.steps[d].def.id;
        problems.push_back({plan.steps[d].def.id, "after", "dependency cycle: " + clip_for_message(path, 400)});
        return;
      }
      if (color[d] == white) {
        color[d] = grey;
        stack.push_back({d});
      }
    }
  }
}

}  // namespace

const PlannedStep* Plan::find(const std::string& id) const {
  auto it = index.find(id);
  return it == index.end() ? nullptr : &steps[it->second];
}

std::string input_field(const std::string& pointer) {
  std::string out = "inputs";
  std::size_t pos = 0;
  while (pos < pointer.size()) {
    std::size_t next = pointer.find('/', pos + 1);
    std::string token = pointer.substr(pos + 1, next == std::string::npos ? std::string::npos : next - pos - 1);
    const bool numeric = !token.empty() && std::all_of(token.begin(), token.end(), ::isdigit);
    out += numeric ? "[" + token + "]" : "." + token;
    if (next == std::string::npos) break;
    pos = next;
  }
  return out;
}

Result<Plan> build_plan(Workflow workflow, const catalog::Catalog& catalog,
                        CredentialSource* credentials, const OrgId& org) {
  ProblemList problems;
  Plan plan;
  plan.catalog = catalog.view(org);
  const catalog::CatalogView& view = *plan.catalog;
  for (std::size_t i = 0; i < workflow.steps.size(); ++i) plan.index[workflow.steps[i].id] = i;

  for (const auto& def : workflow.steps) {
    PlannedStep step;
    step.def = def;
    step.action = view.find(def.action);
    if (step.action == nullptr) {
      if (const std::string* why = view.blocked_reason(def.action)) {
        // The vendor is installed but the org's policies hide it: not a typo, a policy.
        return Error::make(kVendorBlocked, "step '" + def.id + "' uses '" + clip_for_message(def.action, kMaxActionKeyLength) +
                                               "', but " + *why,
                           {{"step", def.id}, {"action", def.action}, {"reason", *why}});
      }
      std::string hint;
      // catalog.suggest gives nothing for keys past kMaxSuggestedNameLength.
      auto suggestions = problems.full() ? std::vector<std::string>() : view.suggest(def.action, 1);
      if (!suggestions.empty()) hint = " (did you mean '" + suggestions[0] + "'?)";
      problems.push_back({def.id, "action", "unknown action '" + clip_for_message(def.action, kMaxActionKeyLength) +
                                                "'" + hint});
    }
    auto inputs = Template::compile(def.inputs);
    if (!inputs.ok()) {
      const auto& d = inputs.error().details;
      std::string pointer = d.is_object() && d.contains("pointer") ? d["pointer"].get<std::string>() : "";
      problems.push_back({def.id, input_field(pointer), inputs.error().message});
    } else {
      step.inputs = std::move(inputs).take();
    }
    if (def.condition) {
      auto condition = Template::compile(*def.condition);
      if (!condition.ok()) problems.push_back({def.id, "if", condition.error().message});
      else step.condition = std::move(condition).take();
    }
    plan.steps.push_back(std::move(step));
  }

  for (auto& step : plan.steps) {
    const auto& id = step.def.id;
    for (std::size_t i = 0; i < step.def.after.size(); ++i) {
      const auto& target = step.def.after[i];
      auto it = plan.index.find(target);
      const std::string field = "after[" + std::to_string(i) + "]";
      if (it == plan.index.end()) {
        problems.push_back({id, field, "unknown step '" + target + "'" + did_you_mean(target, plan.index, problems)});
      } else if (target == id) {
        problems.push_back({id, field, "a step cannot run after itself"});
      } else {
        step.deps.push_back(it->second);
      }
    }
    add_template_deps(step.inputs, id, "inputs", plan, &step.deps, problems);
    if (step.condition) add_template_deps(*step.condition, id, "if", plan, &step.deps, problems);
    std::sort(step.deps.begin(), step.deps.end());
    step.deps.erase(std::unique(step.deps.begin(), step.deps.end()), step.deps.end());

    if (step.action == nullptr) continue;
    if (step.action->kind == catalog::ActionKind::trigger) {
      problems.push_back({id, "action", "'" + step.action->key + "' is a trigger: it polls for new items and cannot run as "
                                        "a step; use it as the workflow's trigger {\"type\": \"bundle\", \"block\": \"" +
                                        step.action->key + "\", …}"});
      continue;
    }
    check_credential(*step.action, step.def.credential, credentials, org, id, "credential", problems);
    const std::unordered_set<std::string> templated(step.inputs.templated_pointers().begin(),
                                                    step.inputs.templated_pointers().end());
    for (const auto& v : step.action->input_schema.validate(step.def.inputs)) {
      if (covered_by_template(v.pointer, templated)) continue;
      problems.push_back({id, input_field(v.pointer), v.message,
                          "/steps/" + std::to_string(plan.index.at(id)) + "/inputs" + v.pointer});
    }
  }

  if (workflow.output) {
    auto output = Template::compile(*workflow.output);
    if (!output.ok()) {
      problems.push_back({"", "output", output.error().message});
    } else {
      add_template_deps(output.value(), "", "output", plan, nullptr, problems);
      plan.output = std::move(output).take();
    }
  }
  check_cycles(plan, problems);
  check_cron(workflow.trigger, problems);
  check_bundle_trigger(workflow.trigger, view, credentials, org, problems);
  if (!problems.empty()) {
    std::vector<std::string> ids;
    for (const auto& s : workflow.steps) ids.push_back(s.id);
    return invalid_workflow(problems, ids);
  }
  plan.workflow = std::move(workflow);
  plan.inline_only = std::all_of(plan.steps.begin(), plan.steps.end(), [](const PlannedStep& step) {
    return step.action->inline_safe && (step.def.retry.max_attempts <= 1 || step.def.retry.backoff_ms == 0);
  });
  return plan;
}

}  // namespace weft::engine

#include "engine/plan.h"

#include <algorithm>
#include <functional>
#include <set>

#include "core/edit_distance.h"

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

std::string did_you_mean(const std::string& name, const std::unordered_map<std::string, std::size_t>& ids) {
  std::string best;
  std::size_t best_d = 3;
  for (const auto& [id, _] : ids) {
    const std::size_t d = edit_distance(name, id);
    if (d < best_d || (d == best_d && !best.empty() && id < best)) {
      best_d = d;
      best = id;
    }
  }
  return best.empty() ? "" : " (did you mean '" + best + "'?)";
}

bool covered_by_template(const std::string& pointer, const std::vector<std::string>& templated) {
  for (const auto& t : templated) {
    if (pointer == t || pointer.rfind(t + "/", 0) == 0) return true;
  }
  return false;
}

void check_credential(const PlannedStep& step, CredentialSource* credentials, const OrgId& org,
                      std::vector<Problem>& problems) {
  const auto& action = *step.action;
  const auto& id = step.def.id;
  if (action.auth_type == vault::AuthType::none) {
    if (step.def.credential) {
      problems.push_back({id, "credential", "action '" + action.key + "' takes no credential"});
    }
    return;
  }
  if (!step.def.credential) {
    problems.push_back({id, "credential", "action '" + action.key + "' needs a '" + action.provider +
                                              "' credential of type " + accepted_types(action)});
    return;
  }
  if (credentials == nullptr) return;
  auto meta = credentials->describe(org, *step.def.credential);
  if (!meta.ok()) {
    problems.push_back({id, "credential", "credential '" + step.def.credential->str() + "' " +
                                              (meta.error().code == "not_found" ? "does not exist"
                                                                                : "cannot be read")});
    return;
  }
  if (!action.accepts(meta->type)) {
    problems.push_back({id, "credential",
                        "credential type mismatch: '" + step.def.credential->str() + "' is " +
                            std::string(vault::to_string(meta->type)) + " but action '" + action.key +
                            "' needs " + accepted_types(action)});
  } else if (meta->provider != action.provider) {
    problems.push_back({id, "credential",
                        "credential '" + step.def.credential->str() + "' is for provider '" +
                            meta->provider + "' but action '" + action.key + "' needs a '" +
                            action.provider + "' credential"});
  }
}

// Adds a dependency for each template reference; reports unknown and self references.
void add_template_deps(const Template& t, const std::string& step_id, const std::string& field_root,
                       const Plan& plan, std::vector<std::size_t>* deps,
                       std::vector<Problem>& problems) {
  for (const auto& located : t.references()) {
    if (located.ref.root != TemplateRef::Root::steps) continue;
    const std::string field = field_root == "inputs" ? input_field(located.pointer) : field_root;
    const std::string& target = located.ref.step;
    auto it = plan.index.find(target);
    if (it == plan.index.end()) {
      problems.push_back({step_id, field, "template {{" + located.ref.text + "}} names unknown step '" +
                                              target + "'" + did_you_mean(target, plan.index)});
    } else if (target == step_id) {
      problems.push_back({step_id, field, "template {{" + located.ref.text + "}} reads the step's own output"});
    } else if (deps != nullptr) {
      deps->push_back(it->second);
    }
  }
}

void check_cycles(const Plan& plan, std::vector<Problem>& problems) {
  enum Color { white, grey, black };
  std::vector<Color> color(plan.steps.size(), white);
  std::vector<std::size_t> stack;
  bool reported = false;
  std::function<void(std::size_t)> visit = [&](std::size_t i) {
    color[i] = grey;
    stack.push_back(i);
    for (std::size_t d : plan.steps[i].deps) {
      if (reported) break;
      if (color[d] == grey) {
        auto from = std::find(stack.begin(), stack.end(), d);
        std::string path;
        for (auto it = from; it != stack.end(); ++it) path += plan.steps[*it].def.id + " → ";
        path += plan.steps[d].def.id;
        problems.push_back({plan.steps[d].def.id, "after", "dependency cycle: " + path});
        reported = true;
      } else if (color[d] == white) {
        visit(d);
      }
    }
    stack.pop_back();
    color[i] = black;
  };
  for (std::size_t i = 0; i < plan.steps.size() && !reported; ++i) {
    if (color[i] == white) visit(i);
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
  std::vector<Problem> problems;
  Plan plan;
  for (std::size_t i = 0; i < workflow.steps.size(); ++i) plan.index[workflow.steps[i].id] = i;

  for (const auto& def : workflow.steps) {
    PlannedStep step;
    step.def = def;
    step.action = catalog.find(def.action);
    if (step.action == nullptr) {
      std::string hint;
      auto suggestions = catalog.suggest(def.action, 1);
      if (!suggestions.empty()) hint = " (did you mean '" + suggestions[0] + "'?)";
      problems.push_back({def.id, "action", "unknown action '" + def.action + "'" + hint});
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
        problems.push_back({id, field, "unknown step '" + target + "'" + did_you_mean(target, plan.index)});
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
    check_credential(step, credentials, org, problems);
    for (const auto& v : step.action->input_schema.validate(step.def.inputs)) {
      if (covered_by_template(v.pointer, step.inputs.templated_pointers())) continue;
      problems.push_back({id, input_field(v.pointer), v.message});
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
  if (!problems.empty()) return invalid_workflow(problems);
  plan.workflow = std::move(workflow);
  return plan;
}

}  // namespace weft::engine

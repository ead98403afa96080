#include "engine/workflow.h"

#include <regex>
#include <set>

namespace weft::engine {

namespace {

bool valid_step_id(const std::string& id) {
  static const std::regex pattern("^[A-Za-z_][A-Za-z0-9_-]{0,63}$");
  return std::regex_match(id, pattern);
}

void check_known_fields(const json& object, const std::set<std::string>& known,
                        const std::string& step, const std::string& prefix,
                        std::vector<Problem>& problems) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (!known.count(it.key())) {
      problems.push_back({step, prefix + it.key(), "unknown field '" + it.key() + "'"});
    }
  }
}

void parse_trigger(const json& doc, Workflow& wf, std::vector<Problem>& problems) {
  auto it = doc.find("trigger");
  if (it == doc.end()) return;
  if (!it->is_object()) {
    problems.push_back({"", "trigger", "must be an object"});
    return;
  }
  check_known_fields(*it, {"type", "cron", "timezone"}, "", "trigger.", problems);
  if (auto t = it->find("type"); t != it->end()) {
    if (!t->is_string() || (*t != "manual" && *t != "webhook" && *t != "schedule")) {
      problems.push_back({"", "trigger.type", "must be \"manual\", \"webhook\" or \"schedule\""});
    } else {
      wf.trigger.type = t->get<std::string>();
    }
  }
  if (auto c = it->find("cron"); c != it->end()) {
    if (!c->is_string()) problems.push_back({"", "trigger.cron", "must be a string"});
    else wf.trigger.cron = c->get<std::string>();
  }
  if (auto z = it->find("timezone"); z != it->end()) {
    if (!z->is_string()) problems.push_back({"", "trigger.timezone", "must be a string"});
    else wf.trigger.timezone = z->get<std::string>();
  }
  if (wf.trigger.type == "schedule" && wf.trigger.cron.empty()) {
    problems.push_back({"", "trigger.cron", "a schedule trigger needs a cron expression"});
  }
}

void parse_retry(const json& value, StepDef& step, std::vector<Problem>& problems) {
  if (!value.is_object()) {
    problems.push_back({step.id, "retry", "must be an object {maxAttempts, backoffMs}"});
    return;
  }
  check_known_fields(value, {"maxAttempts", "backoffMs", "maxBackoffMs"}, step.id, "retry.", problems);
  auto read = [&](const char* name, std::int64_t lo, std::int64_t hi, auto& out) {
    auto it = value.find(name);
    if (it == value.end()) return;
    if (!it->is_number_integer() || it->get<std::int64_t>() < lo || it->get<std::int64_t>() > hi) {
      problems.push_back({step.id, std::string("retry.") + name,
                          "must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi)});
      return;
    }
    out = static_cast<std::remove_reference_t<decltype(out)>>(it->get<std::int64_t>());
  };
  read("maxAttempts", 1, 10, step.retry.max_attempts);
  read("backoffMs", 0, 3600000, step.retry.backoff_ms);
  read("maxBackoffMs", 0, 3600000, step.retry.max_backoff_ms);
}

StepDef parse_step(const json& value, std::size_t index, std::vector<Problem>& problems) {
  StepDef step;
  const std::string where = "steps[" + std::to_string(index) + "]";
  if (!value.is_object()) {
    problems.push_back({"", where, "each step must be an object"});
    return step;
  }
  if (auto it = value.find("id"); it == value.end() || !it->is_string()) {
    problems.push_back({"", where + ".id", "every step needs a string id"});
  } else {
    step.id = it->get<std::string>();
    if (!valid_step_id(step.id)) {
      problems.push_back({step.id, "id",
                          "step id must start with a letter or '_' and use only letters, digits, '_' "
                          "and '-' (max 64)"});
    }
  }
  const std::string& sid = step.id.empty() ? where : step.id;
  check_known_fields(value, {"id", "action", "credential", "inputs", "after", "if", "retry", "timeoutMs", "name", "position"},
                     sid, "", problems);
  if (auto it = value.find("action"); it == value.end() || !it->is_string() || it->get<std::string>().empty()) {
    problems.push_back({sid, "action", "every step needs an action key like \"slack.sendMessage\""});
  } else {
    step.action = it->get<std::string>();
  }
  if (auto it = value.find("credential"); it != value.end() && !it->is_null()) {
    if (!it->is_string() || !is_safe_id(it->get<std::string>())) {
      problems.push_back({sid, "credential", "must be a credential id such as \"cred_…\""});
    } else {
      step.credential = CredentialId(it->get<std::string>());
    }
  }
  if (auto it = value.find("inputs"); it != value.end()) {
    if (!it->is_object()) problems.push_back({sid, "inputs", "must be an object"});
    else step.inputs = *it;
  }
  if (auto it = value.find("after"); it != value.end()) {
    if (!it->is_array()) {
      problems.push_back({sid, "after", "must be an array of step ids"});
    } else {
      for (std::size_t i = 0; i < it->size(); ++i) {
        if (!(*it)[i].is_string()) {
          problems.push_back({sid, "after[" + std::to_string(i) + "]", "must be a step id string"});
        } else {
          step.after.push_back((*it)[i].get<std::string>());
        }
      }
    }
  }
  if (auto it = value.find("if"); it != value.end()) step.condition = *it;
  if (auto it = value.find("retry"); it != value.end()) parse_retry(*it, step, problems);
  if (auto it = value.find("timeoutMs"); it != value.end()) {
    if (!it->is_number_integer() || it->get<std::int64_t>() < 1 || it->get<std::int64_t>() > 86400000) {
      problems.push_back({sid, "timeoutMs", "must be an integer from 1 to 86400000"});
    } else {
      step.timeout_ms = it->get<std::int64_t>();
    }
  }
  return step;
}

}  // namespace

Error invalid_workflow(const std::vector<Problem>& problems) {
  json details = json::array();
  std::string message;
  for (const auto& p : problems) {
    json d = {{"message", p.message}};
    if (!p.step.empty()) d["step"] = p.step;
    if (!p.field.empty()) d["field"] = p.field;
    details.push_back(std::move(d));
    if (!message.empty()) message += "; ";
    if (!p.step.empty()) message += "step '" + p.step + "'";
    if (!p.field.empty()) message += (p.step.empty() ? "" : " ") + std::string("field '") + p.field + "'";
    if (!p.step.empty() || !p.field.empty()) message += ": ";
    message += p.message;
  }
  return Error::make("workflow_invalid", "workflow is invalid: " + message, std::move(details));
}

Result<Workflow> parse_workflow(const json& document) {
  std::vector<Problem> problems;
  Workflow wf;
  if (!document.is_object()) {
    return invalid_workflow({{"", "", "a workflow must be a JSON object"}});
  }
  check_known_fields(document, {"name", "trigger", "steps", "output", "description"}, "", "", problems);
  if (auto it = document.find("name"); it == document.end() || !it->is_string() ||
                                       it->get<std::string>().empty() || it->get<std::string>().size() > 200) {
    problems.push_back({"", "name", "a workflow needs a name (1–200 characters)"});
  } else {
    wf.name = it->get<std::string>();
  }
  parse_trigger(document, wf, problems);
  auto steps = document.find("steps");
  if (steps == document.end() || !steps->is_array() || steps->empty()) {
    problems.push_back({"", "steps", "a workflow needs a non-empty array of steps"});
  } else if (steps->size() > 1000) {
    problems.push_back({"", "steps", "a workflow may have at most 1000 steps"});
  } else {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < steps->size(); ++i) {
      StepDef step = parse_step((*steps)[i], i, problems);
      if (!step.id.empty() && !seen.insert(step.id).second) {
        problems.push_back({step.id, "id", "duplicate step id"});
      }
      wf.steps.push_back(std::move(step));
    }
  }
  if (auto it = document.find("output"); it != document.end()) wf.output = *it;
  if (!problems.empty()) return invalid_workflow(problems);
  return wf;
}

}  // namespace weft::engine

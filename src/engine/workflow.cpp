#include "engine/workflow.h"

#include <set>

namespace weft::engine {

namespace {

constexpr std::size_t kMaxCronLength = 200;
constexpr std::size_t kMaxTimezoneLength = 64;
// Each problem's parts in an error, whatever the input held.
constexpr std::size_t kMaxShownField = 200;
constexpr std::size_t kMaxShownMessage = 600;

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

const std::string kStepIdRule = "a step id starts with a letter or '_' and uses only letters, digits, '_' and '-' "
                                "(at most " + std::to_string(kMaxStepIdLength) + " characters)";

// A string of 1..max characters, else a problem at `field`.
const std::string* bounded_string(const json& value, std::size_t max, const std::string& step,
                                  const std::string& field, const std::string& what, ProblemList& problems) {
  if (!value.is_string() || value.get_ref<const std::string&>().empty() ||
      value.get_ref<const std::string&>().size() > max) {
    problems.push_back({step, field, what + " (1–" + std::to_string(max) + " characters)"});
    return nullptr;
  }
  return &value.get_ref<const std::string&>();
}

void check_known_fields(const json& object, const std::set<std::string>& known,
                        const std::string& step, const std::string& prefix,
                        ProblemList& problems) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (!known.count(it.key())) {
      const std::string key = clip_for_message(it.key());
      problems.push_back({step, prefix + key, "unknown field '" + key + "'"});
    }
  }
}

// block / credential / inputs: a bundle trigger's, refused on any other type.
void parse_bundle_trigger(const json& trigger, TriggerDef& def, ProblemList& problems) {
  const bool bundle = def.type == "bundle";
  for (const char* key : {"block", "credential", "inputs"}) {
    if (!bundle && trigger.contains(key)) {
      problems.push_back({"", std::string("trigger.") + key, std::string("only a \"bundle\" trigger takes '") + key + "'"});
    }
  }
  if (!bundle) return;
  if (auto b = trigger.find("block"); b == trigger.end() || !b->is_string() || b->get_ref<const std::string&>().empty()) {
    problems.push_back({"", "trigger.block", "a bundle trigger needs the key of a trigger block, like \"github.newIssue\""});
  } else if (b->get_ref<const std::string&>().size() > kMaxActionKeyLength) {
    problems.push_back({"", "trigger.block", "a block key has at most " + std::to_string(kMaxActionKeyLength) + " characters"});
  } else {
    def.block = b->get<std::string>();
  }
  if (auto c = trigger.find("credential"); c != trigger.end() && !c->is_null()) {
    if (!c->is_string() || !is_safe_id(c->get<std::string>())) {
      problems.push_back({"", "trigger.credential", "must be a credential id such as \"cred_…\""});
    } else {
      def.credential = CredentialId(c->get<std::string>());
    }
  }
  if (auto in = trigger.find("inputs"); in != trigger.end()) {
    if (!in->is_object()) {
      problems.push_back({"", "trigger.inputs", "must be an object"});
    } else if (in->dump().size() > kMaxTriggerInputBytes) {
      problems.push_back({"", "trigger.inputs", "must be at most " + std::to_string(kMaxTriggerInputBytes) +
                                                    " bytes of JSON"});
    } else {
      def.inputs = *in;
    }
  }
}

void parse_trigger(const json& doc, Workflow& wf, ProblemList& problems) {
  auto it = doc.find("trigger");
  if (it == doc.end()) return;
  if (!it->is_object()) {
    problems.push_back({"", "trigger", "must be an object"});
    return;
  }
  check_known_fields(*it, {"type", "cron", "timezone", "block", "credential", "inputs"}, "", "trigger.", problems);
  if (auto t = it->find("type"); t != it->end()) {
    if (!t->is_string() || (*t != "manual" && *t != "webhook" && *t != "schedule" && *t != "bundle")) {
      problems.push_back({"", "trigger.type", "must be \"manual\", \"webhook\", \"schedule\" or \"bundle\""});
    } else {
      wf.trigger.type = t->get<std::string>();
    }
  }
  parse_bundle_trigger(*it, wf.trigger, problems);
  if (auto c = it->find("cron"); c != it->end()) {
    if (!c->is_string() || c->get_ref<const std::string&>().size() > kMaxCronLength) {
      problems.push_back({"", "trigger.cron", "must be a string of at most " + std::to_string(kMaxCronLength) +
                                                  " characters"});
    } else {
      wf.trigger.cron = c->get<std::string>();
    }
  }
  if (auto z = it->find("timezone"); z != it->end()) {
    if (!z->is_string() || z->get_ref<const std::string&>().size() > kMaxTimezoneLength) {
      problems.push_back({"", "trigger.timezone", "must be a string of at most " +
                                                      std::to_string(kMaxTimezoneLength) + " characters"});
    } else {
      wf.trigger.timezone = z->get<std::string>();
    }
  }
  if ((wf.trigger.type == "schedule" || wf.trigger.type == "bundle") && wf.trigger.cron.empty()) {
    problems.push_back({"", "trigger.cron", "a " + wf.trigger.type + " trigger needs a cron expression"});
  }
}

void parse_retry(const json& value, StepDef& step, const std::string& sid, ProblemList& problems) {
  if (!value.is_object()) {
    problems.push_back({sid, "retry", "must be an object {maxAttempts, backoffMs}"});
    return;
  }
  check_known_fields(value, {"maxAttempts", "backoffMs", "maxBackoffMs"}, sid, "retry.", problems);
  auto read = [&](const char* name, std::int64_t lo, std::int64_t hi, auto& out) {
    auto it = value.find(name);
    if (it == value.end()) return;
    if (!it->is_number_integer() || it->get<std::int64_t>() < lo || it->get<std::int64_t>() > hi) {
      problems.push_back({sid, std::string("retry.") + name,
                          "must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi)});
      return;
    }
    out = static_cast<std::remove_reference_t<decltype(out)>>(it->get<std::int64_t>());
  };
  read("maxAttempts", 1, 10, step.retry.max_attempts);
  read("backoffMs", 0, 3600000, step.retry.backoff_ms);
  read("maxBackoffMs", 0, 3600000, step.retry.max_backoff_ms);
}

StepDef parse_step(const json& value, std::size_t index, ProblemList& problems) {
  StepDef step;
  const std::string where = "steps[" + std::to_string(index) + "]";
  if (!value.is_object()) {
    problems.push_back({"", where, "each step must be an object"});
    return step;
  }
  bool id_ok = false;
  if (auto it = value.find("id"); it == value.end() || !it->is_string()) {
    problems.push_back({"", where + ".id", "every step needs a string id"});
  } else if (!is_valid_step_id(it->get_ref<const std::string&>())) {
    problems.push_back({"", where + ".id", "'" + clip_for_message(it->get_ref<const std::string&>()) +
                                               "' is not a valid step id: " + kStepIdRule});
  } else {
    step.id = it->get<std::string>();
    id_ok = true;
  }
  // Problems name the step by its id once it is a valid one, else by its position.
  const std::string sid = id_ok ? step.id : where;
  check_known_fields(value, {"id", "action", "credential", "inputs", "after", "if", "retry", "timeoutMs", "name", "position"},
                     sid, "", problems);
  if (auto it = value.find("action"); it == value.end() || !it->is_string() || it->get<std::string>().empty()) {
    problems.push_back({sid, "action", "every step needs an action key like \"slack.sendMessage\""});
  } else if (it->get_ref<const std::string&>().size() > kMaxActionKeyLength) {
    problems.push_back({sid, "action", "an action key has at most " + std::to_string(kMaxActionKeyLength) +
                                           " characters"});
  } else {
    step.action = it->get<std::string>();
  }
  if (auto it = value.find("name"); it != value.end() && !it->is_null()) {
    (void)bounded_string(*it, kMaxNameLength, sid, "name", "a step's name is a string", problems);
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
    } else if (it->size() > kMaxSteps) {
      problems.push_back({sid, "after", "lists at most " + std::to_string(kMaxSteps) + " step ids"});
    } else {
      for (std::size_t i = 0; i < it->size(); ++i) {
        const json& entry = (*it)[i];
        if (!entry.is_string()) {
          problems.push_back({sid, "after[" + std::to_string(i) + "]", "must be a step id string"});
        } else if (!is_valid_step_id(entry.get_ref<const std::string&>())) {
          // Not an id any step can have: no lookup, no suggestion, not echoed.
          problems.push_back({sid, "after[" + std::to_string(i) + "]", "is not a step id: " + kStepIdRule});
        } else {
          step.after.push_back(entry.get<std::string>());
        }
      }
    }
  }
  if (auto it = value.find("if"); it != value.end()) step.condition = *it;
  if (auto it = value.find("retry"); it != value.end()) parse_retry(*it, step, sid, problems);
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

bool is_valid_step_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxStepIdLength) return false;
  if (!is_letter(id[0]) && id[0] != '_') return false;
  for (char c : id) {
    if (!is_letter(c) && !is_digit(c) && c != '_' && c != '-') return false;
  }
  return true;
}

std::string clip_for_message(std::string_view text, std::size_t max) {
  if (text.size() <= max) return std::string(text);
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not mid-character
  return std::string(text.substr(0, cut)) + "…";
}

void ProblemList::push_back(Problem problem) {
  ++total_;
  if (!full()) kept_.push_back(std::move(problem));
}

namespace {

// "inputs.to[0]" → "/inputs/to/0" (identifiers and [index] suffixes).
std::string field_pointer(const std::string& field) {
  std::string out;
  std::string segment;
  auto flush = [&] {
    if (segment.empty()) return;
    std::string escaped;
    for (char c : segment) escaped += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
    out += "/" + escaped;
    segment.clear();
  };
  for (std::size_t i = 0; i < field.size(); ++i) {
    const char c = field[i];
    if (c == '.') {
      flush();
    } else if (c == '[') {
      flush();
      const std::size_t close = field.find(']', i);
      if (close == std::string::npos) break;
      out += "/" + field.substr(i + 1, close - i - 1);
      i = close;
    } else {
      segment += c;
    }
  }
  flush();
  return out;
}

}  // namespace

std::string problem_pointer(const Problem& p, const std::vector<std::string>& step_ids) {
  if (!p.pointer.empty()) return p.pointer;
  if (p.step.empty()) return p.field.empty() ? "" : field_pointer(p.field);
  for (std::size_t i = 0; i < step_ids.size(); ++i) {
    if (step_ids[i] == p.step) return "/steps/" + std::to_string(i) + field_pointer(p.field);
  }
  return "";
}

Error invalid_workflow(const std::vector<Problem>& problems, std::size_t more, const std::vector<std::string>& step_ids) {
  json details = json::array();
  std::string message;
  for (const auto& p : problems) {
    const std::string step = clip_for_message(p.step, kMaxShownField);
    const std::string field = clip_for_message(p.field, kMaxShownField);
    const std::string text = clip_for_message(p.message, kMaxShownMessage);
    const std::string pointer = problem_pointer(p, step_ids);
    json d = {{"message", text}};
    if (!step.empty()) d["step"] = step;
    if (!field.empty()) d["field"] = field;
    if (!pointer.empty() && pointer.size() <= 2 * kMaxShownField) d["pointer"] = pointer;
    details.push_back(std::move(d));
    if (!message.empty()) message += "; ";
    if (!step.empty()) message += "step '" + step + "'";
    if (!field.empty()) message += (step.empty() ? "" : " ") + std::string("field '") + field + "'";
    if (!step.empty() || !field.empty()) message += ": ";
    message += text;
  }
  if (more > 0) {
    const std::string note = "… and " + std::to_string(more) + " more problems (only the first " +
                             std::to_string(problems.size()) + " are listed)";
    details.push_back({{"message", note}});
    message += "; " + note;
  }
  return Error::make("workflow_invalid", "workflow is invalid: " + message, std::move(details));
}

Error invalid_workflow(const ProblemList& problems, const std::vector<std::string>& step_ids) {
  return invalid_workflow(problems.kept(), problems.total() - problems.kept().size(), step_ids);
}

Result<Workflow> parse_workflow(const json& document) {
  ProblemList problems;
  Workflow wf;
  if (!document.is_object()) {
    return invalid_workflow({{"", "", "a workflow must be a JSON object"}});
  }
  check_known_fields(document, {"name", "trigger", "steps", "output", "description"}, "", "", problems);
  if (auto it = document.find("name"); it == document.end()) {
    problems.push_back({"", "name", "a workflow needs a name (1–" + std::to_string(kMaxNameLength) + " characters)"});
  } else if (const std::string* name = bounded_string(*it, kMaxNameLength, "", "name", "a workflow needs a name", problems)) {
    wf.name = *name;
  }
  if (auto it = document.find("description"); it != document.end() && !it->is_null() &&
                                               (!it->is_string() || it->get_ref<const std::string&>().size() > kMaxDescriptionLength)) {
    problems.push_back({"", "description", "must be a string of at most " + std::to_string(kMaxDescriptionLength) +
                                               " characters"});
  }
  parse_trigger(document, wf, problems);
  auto steps = document.find("steps");
  if (steps == document.end() || !steps->is_array() || steps->empty()) {
    problems.push_back({"", "steps", "a workflow needs a non-empty array of steps"});
  } else if (steps->size() > kMaxSteps) {
    problems.push_back({"", "steps", "a workflow may have at most " + std::to_string(kMaxSteps) + " steps"});
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
  if (!problems.empty()) {
    std::vector<std::string> ids;
    for (const auto& s : wf.steps) ids.push_back(s.id);
    return invalid_workflow(problems, ids);
  }
  return wf;
}

}  // namespace weft::engine

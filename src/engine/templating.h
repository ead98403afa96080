// engine/templating.h — owns step templates: `{{steps.<id>.output.<path>}}` and
// `{{trigger.<path>}}` inside any JSON value. A value is compiled once per workflow and rendered
// per run; a string that is exactly one template keeps the referenced JSON type.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/json.h"
#include "core/result.h"

namespace weft::engine {

// One reference: `steps.fetch.output.items[0].id` → root steps, step "fetch",
// path ["items", 0, "id"]. `trigger.user.email` → root trigger, path ["user","email"].
struct TemplateRef {
  enum class Root { steps, trigger };
  Root root = Root::trigger;
  std::string step;                                  // only for Root::steps
  std::vector<std::variant<std::string, std::size_t>> path;
  std::string text;                                  // the expression as written, for messages
};

// Looks up a step's output for rendering; returns nullptr when the step has no output.
using StepOutputLookup = std::function<const json*(std::string_view step_id)>;

class Template {
 public:
  // Compiles every template inside `value`. Fails with "invalid_template" naming the JSON
  // pointer and the expression when the syntax is wrong.
  static Result<Template> compile(const json& value);

  // Renders the value. A reference whose step or path does not exist renders as null (alone)
  // or "" (inside text). Strings that hold no template are copied unchanged.
  json render(const json& trigger, const StepOutputLookup& steps) const;

  // Every reference, with the JSON pointer of the string that holds it.
  struct Located {
    std::string pointer;
    TemplateRef ref;
  };
  const std::vector<Located>& references() const { return refs_; }
  // JSON pointers of the strings that contain templates (their type is unknown until render).
  const std::vector<std::string>& templated_pointers() const { return pointers_; }
  bool has_templates() const { return !refs_.empty(); }
  const json& source() const { return source_; }

  struct Node;  // compiled tree (implementation detail)

 private:
  json source_;
  std::shared_ptr<const Node> root_;
  std::vector<Located> refs_;
  std::vector<std::string> pointers_;
};

}  // namespace weft::engine

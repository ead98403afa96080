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

// The most the values a template's references bring in may weigh, in total (string bytes plus
// a few bytes per JSON value): a template may name one large value many times ("{{trigger}}"
// 100,000 times in a 1 MiB workflow), so what it renders is bounded here, not by its own size.
inline constexpr std::size_t kMaxRenderedBytes = 16 * 1024 * 1024;

// Looks up a step's output for rendering; returns nullptr when the step has no output.
using StepOutputLookup = std::function<const json*(std::string_view step_id)>;

class Template {
 public:
  // Compiles every template inside `value`. Fails with "invalid_template" naming the JSON
  // pointer and the expression when the syntax is wrong.
  static Result<Template> compile(const json& value);

  // Renders the value. A reference whose step or path does not exist renders as null (alone)
  // or "" (inside text). Strings that hold no template are copied unchanged. Fails with
  // "template_too_large" as soon as the referenced values would weigh more than `max_bytes`
  // (nothing larger is built).
  Result<json> render(const json& trigger, const StepOutputLookup& steps,
                      std::size_t max_bytes = kMaxRenderedBytes) const;

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

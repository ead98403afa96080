#include "engine/templating.h"

#include "engine/workflow.h"  // clip_for_message

#include <cctype>
#include <charconv>

namespace weft::engine {

// A compiled JSON value. Literal subtrees (no templates inside) are kept as one json copy so
// rendering them is a single copy; only templated strings and their containers are walked.
struct Template::Node {
  enum class Kind { literal, text, object, array };
  struct Piece {
    std::string literal;             // used when ref_index < 0
    int ref_index = -1;              // index into Template::refs_
  };
  Kind kind = Kind::literal;
  json literal;                                       // Kind::literal
  std::vector<Piece> pieces;                          // Kind::text
  // Not std::pair<std::string, Node>: a pair of a still-incomplete Node does not compile with
  // clang (libstdc++'s pair checks its members' traits), which the fuzz build uses.
  struct Member;
  std::vector<Member> members;                        // Kind::object
  std::vector<Node> items;                            // Kind::array
};

struct Template::Node::Member {
  std::string key;
  Node node;
};

namespace {

std::string escape_pointer_token(const std::string& token) {
  std::string out;
  for (char c : token) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

bool is_ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

// Parses "steps.fetch.output.items[0].id" or "trigger.body" (whitespace already trimmed).
Result<TemplateRef> parse_expression(std::string_view expr) {
  TemplateRef ref;
  ref.text = std::string(expr);
  auto fail = [&](const std::string& why) {
    return Error::make("invalid_template", "invalid template {{" + clip_for_message(ref.text, 128) + "}}: " + why);
  };
  std::vector<std::variant<std::string, std::size_t>> tokens;
  std::size_t i = 0;
  auto read_ident = [&]() -> std::string {
    std::size_t start = i;
    while (i < expr.size() && is_ident_char(expr[i])) ++i;
    return std::string(expr.substr(start, i - start));
  };
  std::string first = read_ident();
  if (first.empty()) return fail("expected 'steps.<id>.output' or 'trigger'");
  tokens.emplace_back(first);
  while (i < expr.size()) {
    if (expr[i] == '.') {
      ++i;
      std::string name = read_ident();
      if (name.empty()) return fail("empty name after '.'");
      tokens.emplace_back(std::move(name));
    } else if (expr[i] == '[') {
      ++i;
      if (i < expr.size() && (expr[i] == '"' || expr[i] == '\'')) {
        const char quote = expr[i++];
        std::size_t end = expr.find(quote, i);
        if (end == std::string_view::npos) return fail("unterminated quoted key");
        tokens.emplace_back(std::string(expr.substr(i, end - i)));
        i = end + 1;
      } else {
        std::size_t start = i;
        while (i < expr.size() && std::isdigit(static_cast<unsigned char>(expr[i]))) ++i;
        if (start == i) return fail("expected an index or a quoted key inside [ ]");
        std::size_t index = 0;
        auto [end, ec] = std::from_chars(expr.data() + start, expr.data() + i, index);
        if (ec != std::errc() || end != expr.data() + i || index > 1000000) {
          return fail("array index too large");
        }
        tokens.emplace_back(index);
      }
      if (i >= expr.size() || expr[i] != ']') return fail("expected ']'");
      ++i;
    } else {
      return fail(std::string("unexpected character '") + expr[i] + "'");
    }
  }
  if (first == "trigger") {
    ref.root = TemplateRef::Root::trigger;
    ref.path.assign(tokens.begin() + 1, tokens.end());
    return ref;
  }
  if (first == "steps") {
    if (tokens.size() < 3 || !std::holds_alternative<std::string>(tokens[1]) ||
        tokens[2] != decltype(tokens)::value_type(std::string("output"))) {
      return fail("step references look like steps.<id>.output.<path>");
    }
    ref.root = TemplateRef::Root::steps;
    ref.step = std::get<std::string>(tokens[1]);
    ref.path.assign(tokens.begin() + 3, tokens.end());
    return ref;
  }
  return fail("unknown root '" + clip_for_message(first) + "' (use steps.<id>.output or trigger)");
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

struct Compiler {
  std::vector<Template::Located>& refs;
  std::vector<std::string>& pointers;

  Result<Template::Node> compile(const json& value, const std::string& pointer) {
    Template::Node node;
    if (value.is_string()) {
      const auto& s = value.get_ref<const std::string&>();
      if (s.find("{{") == std::string::npos) {
        node.literal = value;
        return node;
      }
      node.kind = Template::Node::Kind::text;
      std::size_t pos = 0;
      while (pos < s.size()) {
        std::size_t open = s.find("{{", pos);
        if (open == std::string::npos) {
          node.pieces.push_back({s.substr(pos), -1});
          break;
        }
        if (open > pos) node.pieces.push_back({s.substr(pos, open - pos), -1});
        std::size_t close = s.find("}}", open + 2);
        if (close == std::string::npos) {
          return Error::make("invalid_template", "unclosed '{{' in " + (pointer.empty() ? "/" : pointer),
                             json{{"pointer", pointer}});
        }
        auto parsed = parse_expression(trim(std::string_view(s).substr(open + 2, close - open - 2)));
        if (!parsed.ok()) {
          Error e = parsed.error();
          e.details = {{"pointer", pointer}};
          return e;
        }
        node.pieces.push_back({"", static_cast<int>(refs.size())});
        refs.push_back({pointer, std::move(parsed).take()});
        pos = close + 2;
      }
      pointers.push_back(pointer);
      return node;
    }
    if (value.is_object()) {
      bool templated = false;
      for (auto it = value.begin(); it != value.end(); ++it) {
        WEFT_TRY_ASSIGN(auto child, compile(it.value(), pointer + "/" + escape_pointer_token(it.key())));
        templated |= child.kind != Template::Node::Kind::literal;
        node.members.push_back({it.key(), std::move(child)});
      }
      if (!templated) {
        node.members.clear();
        node.literal = value;
      } else {
        node.kind = Template::Node::Kind::object;
      }
      return node;
    }
    if (value.is_array()) {
      bool templated = false;
      for (std::size_t i = 0; i < value.size(); ++i) {
        WEFT_TRY_ASSIGN(auto child, compile(value[i], pointer + "/" + std::to_string(i)));
        templated |= child.kind != Template::Node::Kind::literal;
        node.items.push_back(std::move(child));
      }
      if (!templated) {
        node.items.clear();
        node.literal = value;
      } else {
        node.kind = Template::Node::Kind::array;
      }
      return node;
    }
    node.literal = value;
    return node;
  }
};

const json* resolve(const TemplateRef& ref, const json& trigger, const StepOutputLookup& steps) {
  const json* cur = nullptr;
  if (ref.root == TemplateRef::Root::trigger) {
    cur = &trigger;
  } else {
    cur = steps ? steps(ref.step) : nullptr;
  }
  for (const auto& token : ref.path) {
    if (cur == nullptr) return nullptr;
    if (const auto* name = std::get_if<std::string>(&token)) {
      if (!cur->is_object()) return nullptr;
      auto it = cur->find(*name);
      cur = it == cur->end() ? nullptr : &*it;
    } else {
      const std::size_t index = std::get<std::size_t>(token);
      if (!cur->is_array() || index >= cur->size()) return nullptr;
      cur = &(*cur)[index];
    }
  }
  return cur;
}

// What copying or printing `value` costs, roughly: its strings' and keys' bytes plus 8 per
// value. Iterative, and stops as soon as the total passes `limit` (then returns limit + 1), so
// weighing a huge value many times costs no more than the budget it is weighed against.
std::size_t json_weight(const json& value, std::size_t limit) {
  std::size_t total = 8;
  if (!value.is_structured()) {  // most references name a scalar: no stack to allocate
    if (value.is_string()) total += value.get_ref<const std::string&>().size();
    return total > limit ? limit + 1 : total;
  }
  std::vector<const json*> stack{&value};
  while (!stack.empty()) {
    const json* v = stack.back();
    stack.pop_back();
    if (v->is_string()) {
      total += v->get_ref<const std::string&>().size();
    } else if (v->is_object()) {
      for (auto it = v->begin(); it != v->end(); ++it) {
        total += 8 + it.key().size();
        if (total > limit) return limit + 1;
        stack.push_back(&it.value());
      }
    } else if (v->is_array()) {
      for (const auto& child : *v) {
        total += 8;
        if (total > limit) return limit + 1;
        stack.push_back(&child);
      }
    }
    if (total > limit) return limit + 1;
  }
  return total;
}

struct Renderer {
  const std::vector<Template::Located>& refs;
  const json& trigger;
  const StepOutputLookup& steps;
  std::size_t remaining;   // what referenced values may still weigh
  bool too_large = false;  // set once they would weigh more: rendering stops

  bool take(std::size_t weight) {
    if (weight > remaining) {
      too_large = true;
      return false;
    }
    remaining -= weight;
    return true;
  }

  json render(const Template::Node& node) {
    if (too_large) return nullptr;
    switch (node.kind) {
      case Template::Node::Kind::literal: return node.literal;
      case Template::Node::Kind::object: {
        json out = json::object();
        for (const auto& [key, child] : node.members) {
          out[key] = render(child);
          if (too_large) return nullptr;
        }
        return out;
      }
      case Template::Node::Kind::array: {
        json out = json::array();
        for (const auto& child : node.items) {
          out.push_back(render(child));
          if (too_large) return nullptr;
        }
        return out;
      }
      case Template::Node::Kind::text: break;
    }
    if (node.pieces.size() == 1 && node.pieces[0].ref_index >= 0) {
      const json* v = resolve(refs[node.pieces[0].ref_index].ref, trigger, steps);
      if (v == nullptr) return nullptr;
      return take(json_weight(*v, remaining)) ? *v : json(nullptr);
    }
    std::string out;
    for (const auto& piece : node.pieces) {
      if (piece.ref_index < 0) {
        out += piece.literal;
        continue;
      }
      const json* v = resolve(refs[piece.ref_index].ref, trigger, steps);
      if (v == nullptr || v->is_null()) continue;
      if (v->is_string()) {
        if (!take(v->get_ref<const std::string&>().size())) return nullptr;
        out += v->get_ref<const std::string&>();
        continue;
      }
      // Weighed before printing (a value over the budget is never printed), then charged what
      // the printed text takes.
      if (json_weight(*v, remaining) > remaining) {
        too_large = true;
        return nullptr;
      }
      const std::string printed = v->dump(-1, ' ', false, json::error_handler_t::replace);
      if (!take(printed.size())) return nullptr;
      out += printed;
    }
    return out;
  }
};

}  // namespace

Result<Template> Template::compile(const json& value) {
  Template t;
  t.source_ = value;
  Compiler compiler{t.refs_, t.pointers_};
  WEFT_TRY_ASSIGN(auto root, compiler.compile(value, ""));
  t.root_ = std::make_shared<const Node>(std::move(root));
  return t;
}

Result<json> Template::render(const json& trigger, const StepOutputLookup& steps, std::size_t max_bytes) const {
  if (!root_) return json(nullptr);
  Renderer renderer{refs_, trigger, steps, max_bytes};
  json out = renderer.render(*root_);
  if (renderer.too_large) {
    return Error::make("template_too_large",
                       "the values its templates name weigh more than " + std::to_string(max_bytes) + " bytes");
  }
  return out;
}

}  // namespace weft::engine

// valijson aborts the process on a malformed schema unless told to throw.
#define VALIJSON_USE_EXCEPTIONS 1

#include "core/json_schema.h"

#include <mutex>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/constraint_builder.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include <algorithm>
#include <cmath>
#include <exception>
#include <map>
#include <new>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "core/ecma_regex.h"
#include "core/json_schema_alternatives.h"
#include "core/json_schema_lowering.h"
#include "core/string_formats.h"

// valijson's own `pattern`, `format` and patternProperties checks run std::regex, whose matcher
// recurses once per character (a 300 KB string overflows the stack). The lowering
// (json_schema_lowering.h) removes those keywords; the private keywords it puts in their place
// are checked by the constraints below, with RE2 and string_formats.

namespace weft {

struct JsonSchema::Compiled {
  valijson::Schema schema;
  std::size_t in_place_chain = 1;  // see schema_lowering::Tables
  // anyOf/oneOf of `required` lists, said in words when they fail (json_schema_alternatives.h).
  std::map<std::string, schema_alternatives::RequiredAlternatives> alternatives;
  bool accepts_everything = false;  // `true`, or only annotations: validate() has nothing to do
};

struct JsonSchema::Deferred {
  std::once_flag once;
  std::shared_ptr<const Compiled> compiled;
  std::string failure;  // compile()'s message when it failed
};

namespace {

namespace lowering = schema_lowering;
using valijson::ValidationResults;
using valijson::adapters::Adapter;

std::string shorten(std::string_view s) {
  constexpr std::size_t kMax = 120;
  return s.size() <= kMax ? std::string(s) : std::string(s.substr(0, kMax)) + "…";
}

// A custom constraint; valijson copies it into the schema with placement new.
template <typename Self>
class Custom : public valijson::constraints::PolyConstraint {
 private:
  valijson::constraints::Constraint* cloneInto(void* at) const override {
    return new (at) Self(static_cast<const Self&>(*this));
  }
  size_t sizeOf() const override { return sizeof(Self); }
};

class PatternCheck : public Custom<PatternCheck> {
 public:
  explicit PatternCheck(EcmaRegex regex) : regex_(std::move(regex)) {}

  bool validate(const Adapter& target, const std::vector<std::string>& context,
                ValidationResults* results) const override {
    if (!target.isString()) return true;
    const std::string value = target.getString();
    if (value.size() > kMaxPatternSubjectBytes) {
      if (results) {
        results->pushError(context, "String is " + std::to_string(value.size()) + " bytes long; a string longer than " +
                                        std::to_string(kMaxPatternSubjectBytes) + " bytes never matches a 'pattern'.");
      }
      return false;
    }
    if (regex_.search(value)) return true;
    if (results) results->pushError(context, "String does not match the pattern '" + shorten(regex_.source()) + "'.");
    return false;
  }

 private:
  EcmaRegex regex_;
};

class FormatCheck : public Custom<FormatCheck> {
 public:
  explicit FormatCheck(std::string format) : format_(std::move(format)) {}

  bool validate(const Adapter& target, const std::vector<std::string>& context,
                ValidationResults* results) const override {
    if (!target.isString() || check_string_format(format_, target.getString())) return true;
    if (results) results->pushError(context, "String should be a valid " + format_ + ".");
    return false;
  }

 private:
  std::string format_;
};

class IntegerCheck : public Custom<IntegerCheck> {
 public:
  bool validate(const Adapter& target, const std::vector<std::string>& context,
                ValidationResults* results) const override {
    if (!target.isDouble()) return true;  // integers pass; other types are for "type" to judge
    const double d = target.getDouble();
    if (std::isfinite(d) && std::floor(d) == d) return true;
    if (results) results->pushError(context, "Value type not permitted by 'type' constraint.");
    return false;
  }
};

class MultipleOfCheck : public Custom<MultipleOfCheck> {
 public:
  explicit MultipleOfCheck(double divisor) : divisor_(divisor) {}

  bool validate(const Adapter& target, const std::vector<std::string>& context,
                ValidationResults* results) const override {
    if (!target.isNumber()) return true;
    bool ok;
    const bool integral_divisor = std::floor(divisor_) == divisor_ && divisor_ < 9.2e18;
    if (target.isInteger() && integral_divisor) {
      ok = target.getInteger() % static_cast<std::int64_t>(divisor_) == 0;  // divisor > 0: no trap
    } else {
      const double d = target.getNumber();
      const double quotient = d / divisor_;
      // Far past 2^53 every double is an integer: a finite quotient there is a multiple.
      ok = std::isfinite(quotient) &&
           (std::fabs(quotient) >= 9007199254740992.0 ||
            std::fabs(quotient - std::round(quotient)) <= std::fabs(quotient) * 1e-12 + 1e-12);
    }
    if (!ok && results) results->pushError(context, "Value should be a multiple of " + number(divisor_) + ".");
    return ok;
  }

 private:
  static std::string number(double d) { return json(d).dump(); }
  double divisor_;
};

class LengthCheck : public Custom<LengthCheck> {
 public:
  LengthCheck(bool at_least, std::int64_t bound) : at_least_(at_least), bound_(bound) {}

  bool validate(const Adapter& target, const std::vector<std::string>& context,
                ValidationResults* results) const override {
    if (!target.isString()) return true;
    const std::string value = target.getString();
    std::int64_t code_points = 0;
    for (char c : value) code_points += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    const bool ok = at_least_ ? code_points >= bound_ : code_points <= bound_;
    if (!ok && results) {
      results->pushError(context, std::string("String should be no ") + (at_least_ ? "fewer" : "more") + " than " +
                                      std::to_string(bound_) + " characters in length.");
    }
    return ok;
  }

 private:
  bool at_least_;
  std::int64_t bound_;
};

// A test on the name of the property being validated: valijson's context for a property value
// ends in "[name]". Violations are reported on the object, naming the property (as valijson's
// own additionalProperties check does).
class NameCheck : public Custom<NameCheck> {
 public:
  NameCheck(std::string op, std::vector<EcmaRegex> regexes) : op_(std::move(op)), regexes_(std::move(regexes)) {}

  bool validate(const Adapter&, const std::vector<std::string>& context, ValidationResults* results) const override {
    std::string name;
    if (!context.empty() && context.back().size() >= 2 && context.back().front() == '[' && context.back().back() == ']') {
      name = context.back().substr(1, context.back().size() - 2);
    }
    const std::vector<std::string> object(context.begin(), context.empty() ? context.end() : context.end() - 1);
    const bool too_long = name.size() > kMaxPatternSubjectBytes;
    const EcmaRegex* matched = nullptr;
    for (const auto& r : regexes_) {
      if (!too_long && r.search(name)) {
        matched = &r;
        break;
      }
    }
    if (op_ == "match") return matched != nullptr;
    if (op_ == "none") return matched == nullptr;
    std::string problem;
    if (op_ == "length" && too_long) {
      problem = "Object has a property name of " + std::to_string(name.size()) + " bytes; names longer than " +
                std::to_string(kMaxPatternSubjectBytes) + " bytes never match 'patternProperties': '" + shorten(name) + "'.";
    } else if (op_ == "forbid" && matched == nullptr) {
      problem = "Object contains a property that could not be validated using 'properties', 'patternProperties' or "
                "'additionalProperties' constraints: '" + shorten(name) + "'.";
    } else if (op_ == "reject" && matched != nullptr) {
      problem = "Object contains a property that matches the pattern '" + shorten(matched->source()) +
                "', whose schema is false: '" + shorten(name) + "'.";
    }
    if (problem.empty()) return true;
    if (results) results->pushError(object, problem);
    return false;
  }

 private:
  std::string op_;
  std::vector<EcmaRegex> regexes_;
};

// Builds the constraints above from the private keywords; `tables` is the one the lowering of
// every document of this schema fills.
class Builder : public valijson::ConstraintBuilder {
 public:
  Builder(std::string keyword, std::shared_ptr<const lowering::Tables> tables)
      : keyword_(std::move(keyword)), tables_(std::move(tables)) {}

  valijson::constraints::Constraint* make(const Adapter& value) const override {
    if (keyword_ == lowering::kPatternKeyword) return new PatternCheck(regex(value.getInteger()));
    if (keyword_ == lowering::kFormatKeyword) return new FormatCheck(value.getString());
    if (keyword_ == lowering::kIntegerKeyword) return new IntegerCheck();
    if (keyword_ == lowering::kMultipleOfKeyword) return new MultipleOfCheck(value.getNumber());
    if (keyword_ == lowering::kMinLengthKeyword) return new LengthCheck(true, value.getInteger());
    if (keyword_ == lowering::kMaxLengthKeyword) return new LengthCheck(false, value.getInteger());
    std::istringstream spec(value.getString());
    std::string op;
    spec >> op;
    std::vector<EcmaRegex> regexes;
    for (std::int64_t index; spec >> index;) regexes.push_back(regex(index));
    return new NameCheck(op, std::move(regexes));
  }

 private:
  EcmaRegex regex(std::int64_t index) const {
    if (index < 0 || static_cast<std::size_t>(index) >= tables_->regexes.size()) {
      throw std::runtime_error("internal: unknown pattern index");
    }
    return tables_->regexes[static_cast<std::size_t>(index)];
  }

  std::string keyword_;
  std::shared_ptr<const lowering::Tables> tables_;
};

lowering::Draft draft_of(const json& schema, const SchemaOptions& options) {
  if (options.draft) return *options.draft == SchemaDraft::k4 ? lowering::Draft::k4 : lowering::Draft::k7;
  if (schema.is_object()) {
    auto it = schema.find("$schema");
    if (it != schema.end() && it->is_string() && it->get_ref<const std::string&>().find("draft-04") != std::string::npos) {
      return lowering::Draft::k4;
    }
  }
  return lowering::Draft::k7;
}

// valijson reports a context like ["<root>", "[channel]", "[0]"]; turn it into "/channel/0".
std::string to_pointer(const std::vector<std::string>& context) {
  std::string out;
  for (const auto& part : context) {
    if (part == "<root>") continue;
    std::string token = part;
    if (token.size() >= 2 && token.front() == '[' && token.back() == ']') {
      token = token.substr(1, token.size() - 2);
      if (token.size() >= 2 && token.front() == '"' && token.back() == '"') {
        token = token.substr(1, token.size() - 2);
      }
    }
    out += '/';
    for (char c : token) {
      if (c == '~') out += "~0";
      else if (c == '/') out += "~1";
      else out += c;
    }
  }
  return out;
}

// valijson follows each specific error with summaries on its parents; these say nothing more.
bool is_summary(const std::string& message) {
  for (const char* prefix : {"Failed to validate against schema associated with", "Failed to validate item #",
                             "Failed to validate against additional properties schema",
                             "Failed to validate against a conditional schema", "Failed to validate against child schema #",
                             "Failed to validate against dependent schema"}) {
    if (message.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

bool is_alternatives_failure(const std::string& message) {
  return message == "Failed to validate against any schemas allowed by anyOf constraint." ||
         message == "Failed to validate against any child schemas allowed by oneOf constraint.";
}

// Where a failed anyOf/oneOf of `required` lists is known, its one sentence replaces valijson's
// trail: the "Missing required property" of each alternative at that place, and the summary.
std::vector<SchemaViolation> say_alternatives(
    std::vector<SchemaViolation> all, const std::map<std::string, schema_alternatives::RequiredAlternatives>& known) {
  std::map<std::string, const schema_alternatives::RequiredAlternatives*> failed;  // by instance pointer
  for (const auto& v : all) {
    if (!is_alternatives_failure(v.message)) continue;
    if (auto it = known.find(schema_alternatives::pattern_of(v.pointer)); it != known.end()) failed[v.pointer] = &it->second;
  }
  if (failed.empty()) return all;
  std::vector<SchemaViolation> out;
  for (auto& v : all) {
    auto it = failed.find(v.pointer);
    if (it == failed.end()) {
      out.push_back(std::move(v));
      continue;
    }
    if (is_alternatives_failure(v.message)) {
      out.push_back({v.pointer, schema_alternatives::describe(*it->second)});
      continue;
    }
    bool from_alternative = false;
    for (const auto& set : it->second->sets) {
      for (const auto& name : set) from_alternative |= v.message == "Missing required property '" + name + "'.";
    }
    if (!from_alternative) out.push_back(std::move(v));
  }
  return out;
}

// `true`, `{}`, or an object of annotation keywords only (an output schema that documents a
// value of any shape): every instance is valid.
bool accepts_everything(const json& schema) {
  if (schema.is_boolean()) return schema.get<bool>();
  static constexpr std::string_view kAnnotations[] = {"$schema", "$id", "$comment", "title", "description",
                                                      "default", "examples", "readOnly", "writeOnly", "deprecated"};
  for (const auto& [key, _] : schema.items()) {
    if (std::find(std::begin(kAnnotations), std::end(kAnnotations), key) == std::end(kAnnotations)) return false;
  }
  return true;
}

}  // namespace

Result<JsonSchema> JsonSchema::compile(const json& schema, const SchemaOptions& options) {
  if (!schema.is_object() && !schema.is_boolean()) {
    return Error::make("invalid_schema", "a JSON Schema must be an object");
  }
  lowering::Options lowering_options;
  lowering_options.draft = draft_of(schema, options);
  lowering_options.remote_documents = options.remote_documents;
  auto tables = std::make_shared<lowering::Tables>();
  auto compiled = std::make_shared<Compiled>();
  try {
    WEFT_TRY_ASSIGN(json lowered, lowering::lower(schema, lowering_options, *tables));
    compiled->in_place_chain = tables->in_place_chain;
    compiled->alternatives = schema_alternatives::find(schema);
    // The lowered document is self-contained draft 7 (draft 4 arrives rewritten): valijson
    // never fetches, never resolves an id, and sees only the private keywords built below.
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    for (const char* keyword : {lowering::kPatternKeyword, lowering::kFormatKeyword, lowering::kIntegerKeyword,
                                lowering::kMultipleOfKeyword, lowering::kMinLengthKeyword, lowering::kMaxLengthKeyword,
                                lowering::kNameKeyword}) {
      parser.addConstraintBuilder(keyword, new Builder(keyword, tables));
    }
    valijson::adapters::NlohmannJsonAdapter adapter(lowered);
    parser.populateSchema(adapter, compiled->schema);
  } catch (const std::exception& e) {
    return Error::make("invalid_schema", std::string("invalid JSON Schema: ") + e.what());
  }
  compiled->accepts_everything = accepts_everything(schema);
  JsonSchema out;
  out.compiled_ = std::move(compiled);
  out.source_ = std::make_shared<const json>(schema);
  return out;
}

JsonSchema JsonSchema::compile_on_first_use(json schema) {
  JsonSchema out;
  out.source_ = std::make_shared<const json>(std::move(schema));
  out.deferred_ = std::make_shared<Deferred>();
  return out;
}

std::vector<SchemaViolation> JsonSchema::validate(const json& instance) const {
  const Compiled* compiled = compiled_.get();
  if (compiled == nullptr) {
    Deferred& deferred = *deferred_;
    std::call_once(deferred.once, [&] {
      auto done = compile(*source_);
      if (done.ok()) {
        deferred.compiled = done->compiled_;
      } else {
        deferred.failure = done.error().message;
      }
    });
    compiled = deferred.compiled.get();
    if (compiled == nullptr) return {{"", "The schema does not compile: " + deferred.failure}};
  }
  return validate_with(*compiled, instance);
}

std::vector<SchemaViolation> JsonSchema::validate_with(const Compiled& compiled, const json& instance) {
  if (compiled.accepts_everything) return {};
  // valijson recurses once per subschema applied: bound the product of the value's nesting and
  // the schema's longest in-place chain (json_schema_lowering.h) before it starts.
  const std::size_t levels = lowering::Limits::kMaxValidationNesting / (compiled.in_place_chain + 1);
  if (json_depth(instance, levels) + 2 > levels) {
    return {{"", "Value is nested more than " + std::to_string(levels - 2) +
                     " levels deep, the most this schema validates."}};
  }
  valijson::Validator validator;
  ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter adapter(instance);
  std::vector<SchemaViolation> all;
  try {
    if (validator.validate(compiled.schema, adapter, &results)) return all;
  } catch (const std::exception& e) {
    all.push_back({"", std::string("schema validation failed: ") + e.what()});
    return all;
  }
  ValidationResults::Error error;
  while (results.popError(error)) all.push_back({to_pointer(error.context), error.description});
  if (!compiled.alternatives.empty()) all = say_alternatives(std::move(all), compiled.alternatives);
  // Keep every specific error (siblings included), without summaries or exact duplicates —
  // unless summaries are all there is (a `false` subschema says nothing else).
  // (A set, not a scan of `out`: an instance with 200,000 wrong items has as many violations.)
  auto unique = [&](bool drop_summaries) {
    std::vector<SchemaViolation> out;
    std::set<std::pair<std::string_view, std::string_view>> seen;
    for (const auto& v : all) {
      if (drop_summaries && is_summary(v.message)) continue;
      if (seen.emplace(v.pointer, v.message).second) out.push_back(v);
    }
    return out;
  };
  auto specific = unique(true);
  if (!specific.empty()) return specific;
  auto everything = unique(false);
  if (everything.empty()) everything.push_back({"", "Value does not match the schema."});
  return everything;
}

}  // namespace weft

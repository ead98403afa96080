#include "engine/templating.h"

#include <gtest/gtest.h>

namespace weft::engine {
namespace {

json render(const json& value, const json& trigger, const std::map<std::string, json>& outputs = {}) {
  auto t = Template::compile(value);
  EXPECT_TRUE(t.ok()) << (t.ok() ? "" : t.error().message);
  StepOutputLookup lookup = [&](std::string_view id) -> const json* {
    auto it = outputs.find(std::string(id));
    return it == outputs.end() ? nullptr : &it->second;
  };
  auto rendered = t->render(trigger, lookup);
  EXPECT_TRUE(rendered.ok()) << (rendered.ok() ? "" : rendered.error().message);
  return rendered.ok() ? std::move(rendered).take() : json("<render failed>");
}

TEST(Templating, WholeTemplateKeepsJsonType) {
  const std::map<std::string, json> outputs = {
      {"fetch", {{"id", 42}, {"tags", {"a", "b"}}, {"ok", true}, {"user", {{"name", "Ada"}}}}}};
  EXPECT_EQ(render("{{steps.fetch.output.id}}", {}, outputs), json(42));
  EXPECT_EQ(render("{{ steps.fetch.output.tags }}", {}, outputs), json({"a", "b"}));
  EXPECT_EQ(render("{{steps.fetch.output.ok}}", {}, outputs), json(true));
  EXPECT_EQ(render("{{steps.fetch.output.user}}", {}, outputs), json({{"name", "Ada"}}));
  EXPECT_EQ(render("{{steps.fetch.output}}", {}, outputs), outputs.at("fetch"));
}

TEST(Templating, InterpolationStringifies) {
  const std::map<std::string, json> outputs = {{"fetch", {{"id", 42}, {"name", "Ada"}, {"tags", {"x"}}}}};
  EXPECT_EQ(render("id={{steps.fetch.output.id}} name={{steps.fetch.output.name}}", {}, outputs),
            json("id=42 name=Ada"));
  EXPECT_EQ(render("tags: {{steps.fetch.output.tags}}", {}, outputs), json("tags: [\"x\"]"));
}

TEST(Templating, TriggerPathsWithIndexesAndQuotedKeys) {
  const json trigger = {{"items", {{{"id", "a"}}, {{"id", "b"}}}}, {"odd key", 7}};
  EXPECT_EQ(render("{{trigger.items[1].id}}", trigger), json("b"));
  EXPECT_EQ(render("{{trigger[\"odd key\"]}}", trigger), json(7));
  EXPECT_EQ(render("{{trigger}}", trigger), trigger);
}

TEST(Templating, MissingValuesRenderAsNullOrEmpty) {
  EXPECT_EQ(render("{{trigger.nope}}", json::object()), json(nullptr));
  EXPECT_EQ(render("x{{trigger.nope}}y", json::object()), json("xy"));
  EXPECT_EQ(render("{{steps.absent.output.id}}", json::object()), json(nullptr));
  EXPECT_EQ(render("{{trigger.items[5]}}", json{{"items", {1}}}), json(nullptr));
}

TEST(Templating, NestedStructuresRenderOnlyTemplatedParts) {
  const json value = {{"channel", "#ops"}, {"blocks", {{{"text", "hi {{trigger.name}}"}}, 3}}, {"n", 1.5}};
  const json out = render(value, {{"name", "Bob"}});
  EXPECT_EQ(out, json({{"channel", "#ops"}, {"blocks", {{{"text", "hi Bob"}}, 3}}, {"n", 1.5}}));
}

TEST(Templating, ReportsReferencesAndTemplatedPointers) {
  auto t = Template::compile({{"a", "{{steps.one.output.x}}"}, {"b", {"lit", "{{trigger.y}} and {{steps.two.output}}"}}});
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->references().size(), 3u);
  EXPECT_EQ(t->references()[0].ref.step, "one");
  EXPECT_EQ(t->references()[0].pointer, "/a");
  EXPECT_EQ(t->references()[2].ref.step, "two");
  EXPECT_EQ(t->templated_pointers(), (std::vector<std::string>{"/a", "/b/1"}));
}

TEST(Templating, RejectsBadSyntax) {
  for (const char* bad : {"{{steps.fetch}}", "{{steps.fetch.result.id}}", "{{env.HOME}}", "{{trigger.}}",
                          "{{trigger[x]}}", "{{trigger.a", "{{}}", "{{trigger.a b}}"}) {
    auto t = Template::compile(json(bad));
    ASSERT_FALSE(t.ok()) << bad;
    EXPECT_EQ(t.error().code, "invalid_template") << bad;
  }
  auto nested = Template::compile({{"x", {{"y", "{{nope.z}}"}}}});
  ASSERT_FALSE(nested.ok());
  EXPECT_EQ(nested.error().details["pointer"], "/x/y");
  EXPECT_NE(nested.error().message.find("unknown root 'nope'"), std::string::npos);
}

}  // namespace
}  // namespace weft::engine

namespace weft::engine {
namespace {

TEST(Templating, HugeIndexIsAnErrorNotACrash) {
  auto t = Template::compile(json("{{trigger.a[99999999999999999999999]}}"));
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, "invalid_template");
}

}  // namespace
}  // namespace weft::engine

namespace weft::engine {
namespace {

// Seen while writing fuzz/workflow_fuzzer.cpp and confirmed with it: "{{trigger}}" 5,000 times
// in a 55 KB workflow rendered 280 MB (two minutes and 1.3 GB under ASan) — what a template
// renders grew with (references × value size), not with its own size.
TEST(FuzzTemplateAmplification, ManyReferencesToALargeValueFailInsteadOfBuildingIt) {
  const json trigger = {{"big", std::string(100000, 'x')}, {"n", 1}};
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "{{trigger.big}}";  // 100 MB if built
  auto in_text = Template::compile(text).take().render(trigger, nullptr);
  ASSERT_FALSE(in_text.ok());
  EXPECT_EQ(in_text.error().code, "template_too_large");

  json whole = json::array();  // whole values are copies: they count as much
  for (int i = 0; i < 1000; ++i) whole.push_back("{{trigger}}");
  auto copies = Template::compile(whole).take().render(trigger, nullptr);
  ASSERT_FALSE(copies.ok());
  EXPECT_EQ(copies.error().code, "template_too_large");

  std::string printed;  // a non-string value is weighed before it is printed
  for (int i = 0; i < 1000; ++i) printed += "{{trigger}} ";
  EXPECT_FALSE(Template::compile(printed).take().render(trigger, nullptr).ok());
}

TEST(FuzzTemplateAmplification, UnderTheBudgetEverythingRendersAsBefore) {
  const json trigger = {{"big", std::string(100000, 'x')}, {"n", 1}};
  std::string text;
  for (int i = 0; i < 100; ++i) text += "{{trigger.big}}";  // 10 MB: under kMaxRenderedBytes
  auto rendered = Template::compile(text).take().render(trigger, nullptr);
  ASSERT_TRUE(rendered.ok()) << rendered.error().message;
  EXPECT_EQ(rendered->get<std::string>().size(), 100u * 100000u);

  // The budget is the referenced values' weight: a small one is enough for small values.
  auto small = Template::compile(json{{"a", "{{trigger.n}}"}, {"b", "n={{trigger.n}}"}}).take();
  EXPECT_TRUE(small.render(trigger, nullptr, 64).ok());
  EXPECT_FALSE(small.render(trigger, nullptr, 4).ok());
  // Missing references and literals cost nothing.
  auto missing = Template::compile(json{{"a", "{{trigger.nope}}"}, {"lit", std::string(1000, 'y')}}).take();
  EXPECT_TRUE(missing.render(trigger, nullptr, 1).ok());
}

}  // namespace
}  // namespace weft::engine

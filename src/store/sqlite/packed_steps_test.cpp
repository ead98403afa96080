// Packed step records: every field comes back as written (null, nested, escaped, deep), and
// corrupt bytes are an error, never a crash.
#include "store/sqlite/packed_steps.h"

#include <gtest/gtest.h>

#include "core/json.h"
#include "store/store_test_fixture.h"

namespace weft::store::sqlite {
namespace {

const RunId kRun("run_1");
const OrgId kOrg("org_1");

StepRunRecord record(const std::string& id) {
  StepRunRecord step;
  step.run = kRun;
  step.org = kOrg;
  step.step_id = id;
  step.status = StepStatus::succeeded;
  step.attempts = 1;
  step.input = {{"value", {{"n", 7}, {"s", "quote \" newline \n é"}}}};
  step.output = {{"n", 7}, {"list", {1, 2.5, nullptr, true}}};
  step.logs = json::array({{{"ts", 1}, {"level", "info"}, {"message", "m"}}});
  step.started_at = 1'700'000'000'000;
  step.finished_at = 1'700'000'000'003;
  return step;
}

// A value nested `depth` levels: [[[…0…]]].
json nested(int depth) {
  json value = 0;
  for (int i = 1; i < depth; ++i) value = json::array({std::move(value)});
  return value;
}

TEST(PackedSteps, EveryFieldComesBackAsWritten) {
  std::vector<StepRunRecord> steps = {record("first"), record("se\"cond\n"), record("third")};
  steps[1].status = StepStatus::failed;
  steps[1].output = nullptr;
  steps[1].logs = nullptr;
  steps[1].error = {{"code", "http_error"}, {"message", "418"}, {"details", {{"status", 418}}}};
  steps[1].attempts = 3;
  steps[2].status = StepStatus::skipped;
  steps[2].input = nullptr;
  steps[2].bundle_vendor = "acme.weather";
  steps[2].bundle_version = "1.2.3";
  // As deep as any stored value may be: packing adds no level to it.
  steps[2].output = nested(kMaxJsonDepth);
  auto back = unpack_steps(kRun, kOrg, pack_steps(steps));
  ASSERT_TRUE(back.ok()) << back.error().message;
  ASSERT_EQ(back->size(), steps.size());
  for (std::size_t i = 0; i < steps.size(); ++i) test::expect_same_step((*back)[i], steps[i]);
  auto none = unpack_steps(kRun, kOrg, pack_steps({}));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST(PackedSteps, CorruptBytesAreAnErrorNotACrash) {
  const std::vector<StepRunRecord> steps = {record("a"), record("b")};
  const std::string packed = pack_steps(steps);
  // (A cut between two records would read as the first alone: not a case, SQLite writes a value
  // whole.)
  for (std::size_t cut : {std::size_t{1}, std::size_t{10}, packed.size() / 2 + 3, packed.size() - 1}) {
    auto r = unpack_steps(kRun, kOrg, std::string_view(packed).substr(0, cut));
    ASSERT_FALSE(r.ok()) << "cut at " << cut;
    EXPECT_EQ(r.error().code, "internal_error");
  }
  for (const std::string& bad :
       {std::string("not json\n"), std::string("{\"step\":\"a\"}\n"),
        std::string("{\"step\":\"a\",\"status\":\"weird\",\"sizes\":[-1,-1,-1,-1]}\n"),
        std::string("{\"step\":\"a\",\"status\":\"succeeded\",\"sizes\":[99999,-1,-1,-1]}\n{}"),
        std::string("{\"step\":\"a\",\"status\":\"succeeded\",\"sizes\":[-5,-1,-1,-1]}\n"),
        std::string("{\"step\":\"a\",\"status\":\"succeeded\",\"attempts\":\"x\",\"sizes\":[-1,-1,-1,-1]}\n"),
        std::string("{\"step\":\"a\",\"status\":\"succeeded\",\"sizes\":[2,-1,-1,-1]}\n{x"),
        std::string("[\"a\",\"weird\",1,0,0,-1,-1,-1,-1]\n"), std::string("[\"a\",\"succeeded\",1,0,0,-1,-1,-1]\n"),
        std::string("[\"a\",\"succeeded\",\"x\",0,0,-1,-1,-1,-1]\n"), std::string("[7,\"succeeded\",1,0,0,-1,-1,-1,-1]\n"),
        std::string("[\"a\",\"succeeded\",1,0,0,99999,-1,-1,-1]\n{}"), std::string("[\"a\",\"succeeded\",1,0,0,-1,-1,-1,-1,7,\"v\"]\n"),
        std::string("[\"a\",\"succeeded\",1,0,0,-1,-1,-1,\"2\"]\n"), std::string("\"a\"\n")}) {
    auto r = unpack_steps(kRun, kOrg, bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, "internal_error") << bad;
  }
}

// Records packed by the first format (a keyed header object), as databases written before the
// array header hold them, still read back whole.
TEST(PackedSteps, RecordsOfTheFirstFormatStillRead) {
  const std::string first =
      "{\"step\":\"s1\",\"status\":\"succeeded\",\"attempts\":1,\"startedAt\":1796300371070,"
      "\"finishedAt\":1796300371071,\"sizes\":[24,14,2,-1]}\n"
      "{\"value\":{\"f1\":1,\"n\":7}}{\"f1\":1,\"n\":7}[]"
      "{\"step\":\"s2\",\"status\":\"failed\",\"attempts\":2,\"startedAt\":5,\"finishedAt\":9,"
      "\"bundleVendor\":\"acme.weather\",\"bundleVersion\":\"1.2.3\",\"sizes\":[-1,-1,-1,15]}\n"
      "{\"code\":\"boom\"}";
  auto back = unpack_steps(kRun, kOrg, first);
  ASSERT_TRUE(back.ok()) << back.error().message;
  ASSERT_EQ(back->size(), 2u);
  const StepRunRecord& a = (*back)[0];
  EXPECT_EQ(a.step_id, "s1");
  EXPECT_EQ(a.status, StepStatus::succeeded);
  EXPECT_EQ(a.attempts, 1);
  EXPECT_EQ(a.started_at, 1796300371070);
  EXPECT_EQ(a.finished_at, 1796300371071);
  EXPECT_EQ(a.input, (json{{"value", {{"f1", 1}, {"n", 7}}}}));
  EXPECT_EQ(a.output, (json{{"f1", 1}, {"n", 7}}));
  EXPECT_EQ(a.logs, json::array());
  EXPECT_TRUE(a.error.is_null());
  const StepRunRecord& b = (*back)[1];
  EXPECT_EQ(b.status, StepStatus::failed);
  EXPECT_EQ(b.finished_at, 9);
  EXPECT_EQ(b.bundle_vendor, "acme.weather");
  EXPECT_EQ(b.bundle_version, "1.2.3");
  EXPECT_TRUE(b.input.is_null());
  EXPECT_EQ(b.error, (json{{"code", "boom"}}));
}

// The records of a run of ten small steps (the webhook benchmark's flow) take under half of a
// 4 KB page, so two runs share one: the first format's keyed headers took a page per run.
TEST(PackedSteps, TenSmallStepsTakeLessThanHalfAPage) {
  std::vector<StepRunRecord> steps;
  json fields = {{"n", 7}};
  for (int i = 1; i <= 10; ++i) {
    StepRunRecord step = record("s" + std::to_string(i));
    step.input = {{"value", fields}};
    fields["f" + std::to_string(i)] = i;
    step.output = fields;
    step.logs = json::array();
    steps.push_back(std::move(step));
  }
  EXPECT_LT(pack_steps(steps).size(), 1800u);
}

}  // namespace
}  // namespace weft::store::sqlite

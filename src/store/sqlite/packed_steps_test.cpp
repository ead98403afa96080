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
        std::string("{\"step\":\"a\",\"status\":\"succeeded\",\"sizes\":[2,-1,-1,-1]}\n{x")}) {
    auto r = unpack_steps(kRun, kOrg, bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, "internal_error") << bad;
  }
}

}  // namespace
}  // namespace weft::store::sqlite

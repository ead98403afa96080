// WebhookCache: a row is served only while it is fresh and no write came after the ticket it
// was read under.
#include "store/sqlite/webhook_cache.h"

#include <gtest/gtest.h>

namespace weft::store::sqlite {
namespace {

WebhookTrigger hook(const std::string& workflow, const std::string& secret_hash) {
  return WebhookTrigger{WorkflowId(workflow), OrgId("org_a"), secret_hash, 1, 3};
}

TEST(WebhookCache, ServesWhatWasReadUntilItIsStale) {
  WebhookCache cache;
  EXPECT_FALSE(cache.find(WorkflowId("wf_1")).has_value());
  const WebhookCache::Ticket ticket = cache.ticket();
  cache.remember(hook("wf_1", "h1"), ticket);
  auto found = cache.find(WorkflowId("wf_1"));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->secret_hash, "h1");
  EXPECT_EQ(found->workflow_version, 3);
  EXPECT_FALSE(cache.find(WorkflowId("wf_2")).has_value());
  // Its age counts from the ticket, not from remember().
  EXPECT_TRUE(cache.find(WorkflowId("wf_1"), ticket.taken_at + WebhookCache::kFreshFor - std::chrono::milliseconds(1))
                  .has_value());
  EXPECT_FALSE(cache.find(WorkflowId("wf_1"), ticket.taken_at + WebhookCache::kFreshFor).has_value());
}

TEST(WebhookCache, AWriteForgetsEverythingAndARowReadBeforeItIsNotKept) {
  WebhookCache cache;
  cache.remember(hook("wf_1", "h1"), cache.ticket());
  const WebhookCache::Ticket before_write = cache.ticket();
  cache.forget_all();
  EXPECT_FALSE(cache.find(WorkflowId("wf_1")).has_value());
  cache.remember(hook("wf_1", "old"), before_write);  // read before the write committed
  EXPECT_FALSE(cache.find(WorkflowId("wf_1")).has_value());
  cache.remember(hook("wf_1", "new"), cache.ticket());
  ASSERT_TRUE(cache.find(WorkflowId("wf_1")).has_value());
  EXPECT_EQ(cache.find(WorkflowId("wf_1"))->secret_hash, "new");
}

TEST(WebhookCache, StartsOverWhenFull) {
  WebhookCache cache;
  for (std::size_t i = 0; i < WebhookCache::kMaxEntries; ++i) {
    cache.remember(hook("wf_" + std::to_string(i), "h"), cache.ticket());
  }
  EXPECT_TRUE(cache.find(WorkflowId("wf_0")).has_value());
  cache.remember(hook("wf_extra", "h"), cache.ticket());
  EXPECT_FALSE(cache.find(WorkflowId("wf_0")).has_value());
  EXPECT_TRUE(cache.find(WorkflowId("wf_extra")).has_value());
}

}  // namespace
}  // namespace weft::store::sqlite

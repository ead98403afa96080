// BundleService::upload at each of its failure points, on a real SQLite store and a real file
// blob store wrapped to fail on demand: the blob write fails, the record insert fails (an I/O
// error, or a uniqueness clash lost to a concurrent upload), the removal of the blob after a
// failed insert fails too. Each time: no record without a blob, no blob without a record (except
// the one orphan a failed removal must leave, which is logged and replaced by the next upload of
// that version), no temp file under the blob root, nothing in the catalog. The sandbox is a fake
// ToolRunner here: the code's own rules are tested over HTTP (tests/api/bundle_upload_test.cpp).
#include "bundles/service.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <future>
#include <sstream>
#include <thread>

#include "blob/fs/fs_blob_store.h"
#include "core/digest.h"
#include "core/log.h"
#include "testing/bundle_archive.h"
#include "testing/temp_dir.h"
#include "store/open_store.h"

namespace weft::bundles {
namespace {

namespace fs = std::filesystem;

// A blob store that delegates to a real one, except where told to fail (writing nothing then).
class FailingBlobs final : public blob::BlobStore {
 public:
  explicit FailingBlobs(blob::BlobStore& real) : real_(real) {}
  std::atomic<bool> fail_put{false};
  std::atomic<bool> fail_remove{false};
  std::atomic<int> puts{0};
  std::atomic<int> removes{0};

  Status put(std::string_view key, std::string_view bytes) override {
    ++puts;
    if (fail_put) return Error::internal("blob store: write: No space left on device (injected)");
    return real_.put(key, bytes);
  }
  Result<std::string> get(std::string_view key) override { return real_.get(key); }
  Status remove(std::string_view key) override {
    ++removes;
    if (fail_remove) return Error::internal("blob store: unlink: Input/output error (injected)");
    return real_.remove(key);
  }
  Result<std::vector<std::string>> list(std::string_view prefix) override { return real_.list(prefix); }

 private:
  blob::BlobStore& real_;
};

// Bundle records on a real store, except that insert fails when told to (inserting nothing).
class FailingBundleStore final : public store::BundleStore {
 public:
  explicit FailingBundleStore(store::BundleStore& real) : real_(real) {}
  std::atomic<bool> fail_insert{false};
  std::string insert_error = "internal_error";  // or "conflict": a concurrent upload won
  // Runs once, just before the next insert reaches the real store (to interleave another upload).
  std::function<void()> before_insert;

  Status insert(const store::BundleRecord& record) override {
    if (before_insert) std::exchange(before_insert, nullptr)();
    if (!fail_insert) return real_.insert(record);
    if (insert_error == "conflict") return Error::make("conflict", "bundle already installed (injected)");
    return Error::internal("sqlite: disk I/O error (injected)");
  }
  Result<store::BundleRecord> get(const BundleId& id) override { return real_.get(id); }
  Result<std::vector<store::BundleRecord>> visible_to(const OrgId& org) override { return real_.visible_to(org); }
  Result<std::vector<store::BundleRecord>> all() override { return real_.all(); }
  Status set_status(const BundleId& id, store::BundleStatus status, const std::string& error) override {
    return real_.set_status(id, status, error);
  }
  Status set_disabled_blocks(const BundleId& id, const std::vector<std::string>& blocks) override {
    return real_.set_disabled_blocks(id, blocks);
  }
  Status set_policy_state(const BundleId& id, store::BundleStatus status, const std::string& error,
                          const std::vector<std::string>& blocked_by) override {
    return real_.set_policy_state(id, status, error, blocked_by);
  }
  Status set_sbom(const BundleId& id, const json& sbom) override { return real_.set_sbom(id, sbom); }
  Status remove(const BundleId& id) override { return real_.remove(id); }

 private:
  store::BundleStore& real_;
};

// A real store whose bundles() is the failing wrapper.
class FailingStore final : public store::Store {
 public:
  explicit FailingStore(store::Store& real) : real_(real), bundles_(real.bundles()) {}
  store::OrgStore& orgs() override { return real_.orgs(); }
  store::WorkflowStore& workflows() override { return real_.workflows(); }
  store::RunStore& runs() override { return real_.runs(); }
  store::JobQueue& jobs() override { return real_.jobs(); }
  store::CredentialStore& credentials() override { return real_.credentials(); }
  store::SettingsStore& settings() override { return real_.settings(); }
  store::AccountStore& accounts() override { return real_.accounts(); }
  store::TriggerStore& triggers() override { return real_.triggers(); }
  store::BundleStore& bundles() override { return bundles_; }
  store::AuditStore& audit() override { return real_.audit(); }
  store::PollStore& polls() override { return real_.polls(); }
  store::AdvisoryStore& advisories() override { return real_.advisories(); }
  std::string backend() const override { return real_.backend(); }
  FailingBundleStore& failing_bundles() { return bundles_; }

 private:
  store::Store& real_;
  FailingBundleStore bundles_;
};

// The sandbox's probe, faked: the code of the test's bundle declares vendor "zorp", tool "zorp.ping".
class FakeRunner final : public ToolRunner {
 public:
  std::atomic<int> probes{0};
  Result<ProbedCode> probe(const std::string&) override {
    ++probes;
    return ProbedCode{"zorp", {"zorp.ping"}};
  }
  Result<json> call(catalog::ActionContext&, const std::string&, const SourceFn&, const std::string&,
                    const std::vector<std::string>&, bool*) override {
    return Error::internal("not used by these tests");
  }
};

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) s.replace(pos, from.size(), to);
}

// testing::valid_bundle_entries() as vendor "zorp" ("acme" is a built-in's id in the product).
std::string zorp_archive(const std::string& version = "1.0.0") {
  auto entries = testing::valid_bundle_entries();
  for (auto& e : entries) {
    replace_all(e.content, "acme", "zorp");
    replace_all(e.content, "1.0.0", version);
  }
  return testing::build_tar_gz(entries);
}

// Captures the process log while it lives.
class LogCapture {
 public:
  LogCapture() : sink_(std::make_shared<spdlog::sinks::ostream_sink_mt>(text_)) { log().sinks().push_back(sink_); }
  ~LogCapture() {
    auto& sinks = log().sinks();
    sinks.erase(std::remove(sinks.begin(), sinks.end(), sink_), sinks.end());
  }
  std::string text() const { return text_.str(); }

 private:
  std::ostringstream text_;
  std::shared_ptr<spdlog::sinks::ostream_sink_mt> sink_;
};

class BundleUploadFailure : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::open_store({dir_.file("weft.db")});
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    real_store_ = std::move(opened).take();
    auto blobs = blob::open_fs_blob_store(blob_root());
    ASSERT_TRUE(blobs.ok()) << blobs.error().message;
    real_blobs_ = std::move(blobs).take();
    store_ = std::make_unique<FailingStore>(*real_store_);
    blobs_ = std::make_unique<FailingBlobs>(*real_blobs_);
    registry_ = std::make_unique<Registry>(*store_, *blobs_, catalog_, runner_);
    service_ = std::make_unique<BundleService>(*store_, *blobs_, *registry_, catalog_, runner_);
    auto org = real_store_->orgs().create("Org A");
    ASSERT_TRUE(org.ok()) << org.error().message;
    actor_.org = org->id;
  }

  std::string blob_root() const { return dir_.file("blobs"); }

  // Every blob key, read through the real store.
  std::vector<std::string> blob_keys() {
    auto keys = real_blobs_->list("");
    EXPECT_TRUE(keys.ok());
    return keys.ok() ? *keys : std::vector<std::string>{};
  }
  std::vector<store::BundleRecord> records() {
    auto all = real_store_->bundles().all();
    EXPECT_TRUE(all.ok());
    return all.ok() ? *all : std::vector<store::BundleRecord>{};
  }
  // Files left in the blob store's temp folder (any under the root that is not a blob).
  std::vector<std::string> temp_files() {
    std::vector<std::string> out;
    const fs::path tmp = fs::path(blob_root()) / ".weft-tmp";
    if (fs::exists(tmp)) {
      for (const auto& e : fs::recursive_directory_iterator(tmp)) out.push_back(e.path().string());
    }
    return out;
  }
  bool in_catalog(const std::string& key) { return catalog_.view(actor_.org)->find(key) != nullptr; }

  // Every record has its blob, every blob its record, with the record's hash; no temp file.
  void expect_consistent() {
    std::vector<std::string> keys_of_records;
    for (const auto& r : records()) {
      keys_of_records.push_back(r.storage_key);
      auto bytes = real_blobs_->get(r.storage_key);
      ASSERT_TRUE(bytes.ok()) << "a record without its blob: " << r.storage_key;
      EXPECT_EQ(sha256_hex(*bytes), r.sha256) << r.storage_key;
    }
    std::sort(keys_of_records.begin(), keys_of_records.end());
    EXPECT_EQ(blob_keys(), keys_of_records) << "blobs and records differ";
    EXPECT_TRUE(temp_files().empty()) << temp_files().front();
  }

  void expect_storage_error(const Result<Uploaded>& r) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, kStorageError) << r.error().message;
    EXPECT_TRUE(r.error().is_public);
    EXPECT_EQ(r.error().message.find("injected"), std::string::npos) << "an internal cause reached the user";
  }

  testing::TempDir dir_;
  catalog::Catalog catalog_;
  FakeRunner runner_;
  std::unique_ptr<store::Store> real_store_;
  std::unique_ptr<blob::BlobStore> real_blobs_;
  std::unique_ptr<FailingStore> store_;
  std::unique_ptr<FailingBlobs> blobs_;
  std::unique_ptr<Registry> registry_;
  std::unique_ptr<BundleService> service_;
  Actor actor_;
};

TEST_F(BundleUploadFailure, AValidUploadStoresBlobAndRecordTogether) {
  const std::string archive = zorp_archive();
  auto r = service_->upload(archive, actor_, {});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->record.storage_key, storage_key(store::BundleScope::organization, actor_.org, "zorp", "1.0.0"));
  EXPECT_EQ(r->record.sha256, sha256_hex(archive));
  EXPECT_EQ(runner_.probes, 1);
  ASSERT_EQ(records().size(), 1u);
  expect_consistent();
  EXPECT_TRUE(in_catalog("zorp.ping"));
}

TEST_F(BundleUploadFailure, TheBlobWriteFails) {
  blobs_->fail_put = true;
  expect_storage_error(service_->upload(zorp_archive(), actor_, {}));
  EXPECT_EQ(blobs_->puts, 1);
  EXPECT_TRUE(records().empty()) << "a record without a blob";
  EXPECT_TRUE(blob_keys().empty());
  expect_consistent();
  EXPECT_FALSE(in_catalog("zorp.ping"));
  // Nothing stuck: the same upload succeeds once storage works again.
  blobs_->fail_put = false;
  auto again = service_->upload(zorp_archive(), actor_, {});
  ASSERT_TRUE(again.ok()) << again.error().message;
  expect_consistent();
  EXPECT_TRUE(in_catalog("zorp.ping"));
}

TEST_F(BundleUploadFailure, TheRecordInsertFailsAndTheBlobIsRemoved) {
  store_->failing_bundles().fail_insert = true;
  expect_storage_error(service_->upload(zorp_archive(), actor_, {}));
  EXPECT_EQ(blobs_->puts, 1);
  EXPECT_EQ(blobs_->removes, 1);
  EXPECT_TRUE(records().empty());
  EXPECT_TRUE(blob_keys().empty()) << "a blob without a record";
  expect_consistent();
  EXPECT_FALSE(in_catalog("zorp.ping"));
  store_->failing_bundles().fail_insert = false;
  ASSERT_TRUE(service_->upload(zorp_archive(), actor_, {}).ok());
  expect_consistent();
}

TEST_F(BundleUploadFailure, AnInsertLostToAConcurrentUploadIs409AndRemovesItsBlob) {
  store_->failing_bundles().fail_insert = true;
  store_->failing_bundles().insert_error = "conflict";
  auto r = service_->upload(zorp_archive(), actor_, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kBundleExists) << r.error().message;
  EXPECT_TRUE(records().empty());
  EXPECT_TRUE(blob_keys().empty());
  expect_consistent();
}

TEST_F(BundleUploadFailure, TheBlobRemovalAfterAFailedInsertFailsToo) {
  store_->failing_bundles().fail_insert = true;
  blobs_->fail_remove = true;
  const std::string key = storage_key(store::BundleScope::organization, actor_.org, "zorp", "1.0.0");
  {
    LogCapture captured;
    expect_storage_error(service_->upload(zorp_archive(), actor_, {}));
    const std::string text = captured.text();
    EXPECT_NE(text.find("could not remove blob " + key), std::string::npos) << "not logged:\n" << text;
    EXPECT_NE(text.find("injected"), std::string::npos) << "the cause is not logged:\n" << text;
  }
  EXPECT_EQ(blobs_->removes, 1);
  EXPECT_TRUE(records().empty()) << "a record without a blob";
  // The one thing a failed removal must leave: the orphaned archive, under the key that no record
  // names. Nothing else, and no temp file.
  EXPECT_EQ(blob_keys(), std::vector<std::string>{key});
  EXPECT_TRUE(temp_files().empty());
  EXPECT_FALSE(in_catalog("zorp.ping"));

  // Once storage works again, the next upload of that version replaces the orphan.
  store_->failing_bundles().fail_insert = false;
  blobs_->fail_remove = false;
  const std::string archive = zorp_archive();
  auto r = service_->upload(archive, actor_, {});
  ASSERT_TRUE(r.ok()) << r.error().message;
  expect_consistent();
  EXPECT_TRUE(in_catalog("zorp.ping"));
}

TEST_F(BundleUploadFailure, AnOrphanedBlobLeftByACrashIsReplacedByTheNextUpload) {
  // A "crash" between the blob write and the record insert: a blob at the key, no record.
  const std::string key = storage_key(store::BundleScope::organization, actor_.org, "zorp", "1.0.0");
  ASSERT_TRUE(real_blobs_->put(key, "half of an old upload").ok());
  const std::string archive = zorp_archive();
  LogCapture captured;
  auto r = service_->upload(archive, actor_, {});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->record.storage_key, key);
  auto stored = real_blobs_->get(key);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(*stored, archive) << "the orphan was not replaced";
  expect_consistent();
  EXPECT_NE(captured.text().find("orphaned blob"), std::string::npos) << captured.text();
  // A blob that a record DOES name is never replaced: a second upload of the version is a 409.
  auto again = service_->upload(zorp_archive(), actor_, {});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, kBundleExists);
  EXPECT_EQ(*real_blobs_->get(key), archive);
  expect_consistent();
}

TEST_F(BundleUploadFailure, AnOrphanWhoseRemovalFailsIsReportedNotOverwritten) {
  const std::string key = storage_key(store::BundleScope::organization, actor_.org, "zorp", "1.0.0");
  ASSERT_TRUE(real_blobs_->put(key, "stale").ok());
  blobs_->fail_remove = true;
  expect_storage_error(service_->upload(zorp_archive(), actor_, {}));
  EXPECT_TRUE(records().empty());
  EXPECT_EQ(*real_blobs_->get(key), "stale");
  EXPECT_TRUE(temp_files().empty());
}

TEST_F(BundleUploadFailure, TwoConcurrentUploadsOfOneVersionNeverLeaveARecordWithoutItsBlob) {
  // Upload 1 has written its blob and is about to insert its record when upload 2 of the same
  // vendor + version (other bytes) starts. Upload 2 must not take upload 1's blob for a crash's
  // orphan (replace it, and then, losing the insert, delete the blob the winner's record names).
  const std::string first = zorp_archive();
  auto entries = testing::valid_bundle_entries();  // the same bundle with one more file
  for (auto& e : entries) replace_all(e.content, "acme", "zorp");
  entries.push_back({"assets/extra.svg", "<svg/>", testing::EntryType::file, ""});
  const std::string second = testing::build_tar_gz(entries);
  std::future<Result<Uploaded>> racing;
  store_->failing_bundles().before_insert = [&] {
    racing = std::async(std::launch::async, [&] { return service_->upload(second, actor_, {}); });
    // Give upload 2 the time to run to its end if nothing holds it back (it takes milliseconds).
    racing.wait_for(std::chrono::milliseconds(500));
  };
  auto r1 = service_->upload(first, actor_, {});
  auto r2 = racing.get();
  EXPECT_NE(r1.ok(), r2.ok()) << "exactly one of two uploads of one version wins";
  const Result<Uploaded>& loser = r1.ok() ? r2 : r1;
  if (!loser.ok()) {
    EXPECT_EQ(loser.error().code, kBundleExists) << loser.error().message;
  }
  ASSERT_EQ(records().size(), 1u);
  expect_consistent();  // the winner's record and the blob under its key hold the same bytes
}

TEST_F(BundleUploadFailure, AnInvalidBundleTouchesNoStorageAtAll) {
  auto r = service_->upload(testing::zip_like_stream(), actor_, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kBundleInvalid);
  EXPECT_EQ(blobs_->puts, 0);
  EXPECT_EQ(runner_.probes, 0);
  EXPECT_TRUE(records().empty());
  expect_consistent();
}

}  // namespace
}  // namespace weft::bundles

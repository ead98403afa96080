// The file-system blob store: atomic new-key writes, conflicts, key rules (no escape from the
// root, no symlink followed), and no temp file left after any failure.
#include "blob/fs/fs_blob_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <atomic>
#include <thread>
#include <vector>

#include "testing/temp_dir.h"

namespace weft::blob {
namespace {

namespace fs = std::filesystem;

std::size_t temp_files(const std::string& root) {
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(fs::path(root) / ".weft-tmp")) (void)e, ++n;
  return n;
}

TEST(BlobKeys, Rules) {
  EXPECT_TRUE(is_valid_key("org_1/00_organization/integration-bundles/acme/1.0.0/bundle.tar.gz"));
  EXPECT_TRUE(is_valid_key("a"));
  for (const std::string& bad : std::vector<std::string>{"", "/a", "a/", "a//b", "a/../b", "..", ".", "a/./b", "a\\b", "a b", "a\nb",
                          std::string("a\0b", 3), std::string(513, 'a')}) {
    EXPECT_FALSE(is_valid_key(bad)) << bad;
  }
}

TEST(FsBlobStore, PutGetListRemove) {
  testing::TempDir dir;
  auto store = open_fs_blob_store(dir.file("blobs"));
  ASSERT_TRUE(store.ok()) << store.error().message;
  const std::string bytes("\x1f\x8b\0binary\xff", 10);
  ASSERT_TRUE((*store)->put("org_a/x/1.0.0/bundle.tar.gz", bytes).ok());
  ASSERT_TRUE((*store)->put("platform/y/bundle.tar.gz", "p").ok());
  auto got = (*store)->get("org_a/x/1.0.0/bundle.tar.gz");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, bytes);
  auto all = (*store)->list("");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all, (std::vector<std::string>{"org_a/x/1.0.0/bundle.tar.gz", "platform/y/bundle.tar.gz"}));
  EXPECT_EQ((*store)->list("org_a/")->size(), 1u);
  ASSERT_TRUE((*store)->remove("org_a/x/1.0.0/bundle.tar.gz").ok());
  EXPECT_EQ((*store)->get("org_a/x/1.0.0/bundle.tar.gz").error().code, "not_found");
  EXPECT_EQ((*store)->remove("org_a/x/1.0.0/bundle.tar.gz").error().code, "not_found");
  EXPECT_FALSE(fs::exists(dir.file("blobs/org_a"))) << "empty folders are pruned";
  EXPECT_EQ(temp_files(dir.file("blobs")), 0u);
  struct stat st {};
  ASSERT_EQ(::stat(dir.file("blobs").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
}

TEST(FsBlobStore, AnExistingKeyIsAConflictAndKeepsItsBytes) {
  testing::TempDir dir;
  auto store = open_fs_blob_store(dir.file("blobs"));
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->put("k/v", "first").ok());
  auto again = (*store)->put("k/v", "second");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "conflict");
  EXPECT_EQ(*(*store)->get("k/v"), "first");
  EXPECT_EQ(temp_files(dir.file("blobs")), 0u);
}

TEST(FsBlobStore, ConcurrentPutsOfOneKeyHaveOneWinner) {
  testing::TempDir dir;
  auto store = open_fs_blob_store(dir.file("blobs"));
  ASSERT_TRUE(store.ok());
  std::atomic<int> wins{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      if ((*store)->put("race/key", std::string(1000, static_cast<char>('a' + i))).ok()) ++wins;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wins.load(), 1);
  auto got = (*store)->get("race/key");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->size(), 1000u);
  EXPECT_EQ(got->find_first_not_of((*got)[0]), std::string::npos) << "one writer's bytes, whole";
  EXPECT_EQ(temp_files(dir.file("blobs")), 0u);
}

TEST(FsBlobStore, BadKeysAndTheTempFolderAreRefused) {
  testing::TempDir dir;
  auto store = open_fs_blob_store(dir.file("blobs"));
  ASSERT_TRUE(store.ok());
  EXPECT_EQ((*store)->put("../escape", "x").error().code, "invalid_argument");
  EXPECT_EQ((*store)->put(".weft-tmp/x", "x").error().code, "invalid_argument");
  EXPECT_EQ((*store)->get(".weft-tmp/x").error().code, "invalid_argument");
  EXPECT_EQ((*store)->remove("/etc/passwd").error().code, "invalid_argument");
  EXPECT_FALSE(fs::exists(dir.file("escape")));
}

TEST(FsBlobStore, ASymlinkInTheTreeIsNeitherFollowedNorWrittenThrough) {
  testing::TempDir dir;
  auto store = open_fs_blob_store(dir.file("blobs"));
  ASSERT_TRUE(store.ok());
  fs::create_directories(dir.file("outside"));
  { std::ofstream(dir.file("outside/secret")) << "secret"; }
  fs::create_directory_symlink(dir.file("outside"), dir.file("blobs/link"));
  fs::create_symlink(dir.file("outside/secret"), dir.file("blobs/file-link"));
  EXPECT_FALSE((*store)->put("link/new", "x").ok());
  EXPECT_FALSE(fs::exists(dir.file("outside/new")));
  EXPECT_FALSE((*store)->get("file-link").ok()) << "O_NOFOLLOW";
  EXPECT_EQ(temp_files(dir.file("blobs")), 0u);
}

TEST(FsBlobStore, AFailedWriteLeavesNoTempFile) {
  testing::TempDir dir;
  auto store = open_fs_blob_store(dir.file("blobs"));
  ASSERT_TRUE(store.ok());
  // The key's folder is a file: the write of the temp succeeds, the link into place cannot.
  ASSERT_TRUE((*store)->put("a", "file").ok());
  EXPECT_FALSE((*store)->put("a/b", "x").ok());
  EXPECT_EQ(temp_files(dir.file("blobs")), 0u);
  // A read-only root: the temp file cannot be created (skipped as root, who ignores modes).
  if (::geteuid() != 0) {
    ::chmod(dir.file("blobs/.weft-tmp").c_str(), 0500);
    EXPECT_FALSE((*store)->put("c", "x").ok());
    ::chmod(dir.file("blobs/.weft-tmp").c_str(), 0700);
    EXPECT_EQ(temp_files(dir.file("blobs")), 0u);
  }
}

TEST(FsBlobStore, OpeningRemovesTempFilesACrashLeft) {
  testing::TempDir dir;
  {
    auto store = open_fs_blob_store(dir.file("blobs"));
    ASSERT_TRUE(store.ok());
  }
  { std::ofstream(dir.file("blobs/.weft-tmp/123-0-9")) << "half"; }
  auto store = open_fs_blob_store(dir.file("blobs"));
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(temp_files(dir.file("blobs")), 0u);
  EXPECT_TRUE((*store)->list("")->empty());
}

}  // namespace
}  // namespace weft::blob

// The hostile-archive suite: every archive is generated here by testing/bundle_archive.h (no
// binary fixture), one per extraction rule, each refused with its own Problem.code and path.
#include "bundles/archive_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

#include "bundles/entry_rules.h"
#include "bundles/problem.h"
#include "testing/bundle_archive.h"
#include "testing/temp_dir.h"

namespace weft::bundles {
namespace {

using testing::ArchiveEntry;
using testing::EntryType;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::UnorderedElementsAre;

std::vector<Problem> problems(const Result<BundleFiles>& r) {
  EXPECT_FALSE(r.ok());
  if (r.ok()) return {};
  EXPECT_EQ(r.error().code, kBundleInvalid);
  return problems_of(r.error());
}

// The one problem of reading `archive`: its code and path.
void expect_one(const Result<BundleFiles>& r, const std::string& code, const std::string& path) {
  const auto list = problems(r);
  ASSERT_EQ(list.size(), 1u) << (r.ok() ? "read ok" : r.error().message);
  EXPECT_EQ(list[0].code, code) << list[0].message;
  EXPECT_EQ(list[0].path, path) << list[0].message;
  EXPECT_FALSE(list[0].message.empty());
}

// The valid bundle plus `extra` entries.
std::string bundle_with(std::vector<ArchiveEntry> extra) {
  auto entries = testing::valid_bundle_entries();
  entries.insert(entries.end(), extra.begin(), extra.end());
  return testing::build_tar_gz(entries);
}

// A gzip-compressed tar made of hand-built bytes (headers the writer would refuse).
std::string raw_tar_gz(const std::string& tar_body) { return testing::gzip(tar_body + testing::tar_end()); }

std::map<std::string, std::string, std::less<>> expected_files() {
  std::map<std::string, std::string, std::less<>> files;
  for (const auto& e : testing::valid_bundle_entries()) {
    if (e.type == EntryType::file) files[e.path] = e.content;
  }
  return files;
}

class ValidArchive : public ::testing::TestWithParam<testing::TarFormat> {};

TEST_P(ValidArchive, ReadsBackEveryFileByteExactly) {
  auto entries = testing::valid_bundle_entries();
  std::string png("\x89PNG\r\n\x1a\n", 8);
  for (int i = 0; i < 256; ++i) png.push_back(static_cast<char>(i));  // every byte value, NUL included
  entries.push_back({"assets/logo.png", png, EntryType::file, ""});
  ArchiveReadStats stats;
  auto r = read_bundle_archive(testing::build_tar_gz(entries, GetParam()), {}, &stats);
  ASSERT_TRUE(r.ok()) << r.error().message;
  auto want = expected_files();
  want["assets/logo.png"] = png;
  EXPECT_EQ(r->files, want);
  std::uint64_t total = 0;
  for (const auto& [path, content] : want) total += content.size();
  EXPECT_EQ(r->total_bytes, total);
  EXPECT_EQ(stats.entries, entries.size());
  EXPECT_EQ(stats.extracted_bytes, total);
}

INSTANTIATE_TEST_SUITE_P(Formats, ValidArchive,
                         ::testing::Values(testing::TarFormat::pax_restricted, testing::TarFormat::ustar,
                                           testing::TarFormat::gnutar));

TEST(ArchiveReader, NormalisesLeadingDotSlashAndRepeatedSlashes) {
  auto r = read_bundle_archive(testing::build_tar_gz({{"./manifest.json", "{}", EntryType::file, ""},
                                                      {"./dist//index.js", "x", EntryType::file, ""},
                                                      {"./", "", EntryType::directory, ""}}));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->files, (std::map<std::string, std::string, std::less<>>{{"dist/index.js", "x"}, {"manifest.json", "{}"}}));
}

TEST(ArchiveReader, LongPaxNamesUpToTheBoundAreRead) {
  const std::string name = "dist/" + std::string(240, 'a') + ".js";  // 248 bytes: past ustar's 100
  auto r = read_bundle_archive(bundle_with({{name, "x", EntryType::file, ""}}));
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_NE(r->find(name), nullptr);
}

// --- Entry types ---

TEST(ArchiveReader, RefusesSymlink) {
  expect_one(read_bundle_archive(bundle_with({{"dist/evil.js", "", EntryType::symlink, "/etc/passwd"}})),
             kProblemSymlink, "dist/evil.js");
}

TEST(ArchiveReader, RefusesHardLink) {
  expect_one(read_bundle_archive(bundle_with({{"dist/copy.js", "", EntryType::hardlink, "dist/index.js"}})),
             kProblemHardlink, "dist/copy.js");
}

TEST(ArchiveReader, RefusesHandBuiltHardLinkToAnOutsidePath) {
  const std::string tar = testing::ustar_file("manifest.json", "{}") + testing::ustar_header("x.js", '1', 0, "/etc/shadow");
  expect_one(read_bundle_archive(raw_tar_gz(tar)), kProblemHardlink, "x.js");
}

TEST(ArchiveReader, RefusesCharacterDevice) {
  expect_one(read_bundle_archive(bundle_with({{"dist/null.js", "", EntryType::char_device, ""}})), kProblemDevice,
             "dist/null.js");
}

TEST(ArchiveReader, RefusesBlockDevice) {
  expect_one(read_bundle_archive(bundle_with({{"dist/sda.js", "", EntryType::block_device, ""}})), kProblemDevice,
             "dist/sda.js");
}

TEST(ArchiveReader, RefusesFifo) {
  expect_one(read_bundle_archive(bundle_with({{"dist/pipe.js", "", EntryType::fifo, ""}})), kProblemFifo,
             "dist/pipe.js");
}

// A socket cannot be written in any tar format (no typeflag says "socket"; libarchive's
// writer refuses it), so kProblemSocket is proved by the folder reader below.

// --- Names ---

TEST(ArchiveReader, RefusesAbsolutePath) {
  expect_one(read_bundle_archive(bundle_with({{"/etc/cron.d/x.js", "x", EntryType::file, ""}})), kProblemAbsolutePath,
             "/etc/cron.d/x.js");
}

TEST(ArchiveReader, RefusesDotDotSegment) {
  expect_one(read_bundle_archive(bundle_with({{"dist/../../x.js", "x", EntryType::file, ""}})), kProblemPathTraversal,
             "dist/../../x.js");
  expect_one(read_bundle_archive(bundle_with({{"..", "", EntryType::directory, ""}})), kProblemPathTraversal, "../");
}

TEST(ArchiveReader, RefusesBackslash) {
  const std::string tar = testing::ustar_file("manifest.json", "{}") + testing::ustar_file("dist\\index.js", "x");
  expect_one(read_bundle_archive(raw_tar_gz(tar)), kProblemNameBackslash, "dist\\x5cindex.js");
}

TEST(ArchiveReader, RefusesControlCharacterAndEscapesItInThePath) {
  const std::string tar = testing::ustar_file("manifest.json", "{}") + testing::ustar_file("dist/\x1b[2Jx.js", "x");
  expect_one(read_bundle_archive(raw_tar_gz(tar)), kProblemNameControl, "dist/\\x1b[2Jx.js");
}

TEST(ArchiveReader, RefusesNameThatIsNotUtf8) {
  const std::string tar = testing::ustar_file("manifest.json", "{}") + testing::ustar_file("dist/\xff\xfe.js", "x");
  expect_one(read_bundle_archive(raw_tar_gz(tar)), kProblemNameEncoding, "dist/\\xff\\xfe.js");
}

TEST(ArchiveReader, AcceptsUtf8Name) {
  const std::string name = "assets/\xc3\xa9t\xc3\xa9.svg";  // "été"
  const std::string tar = testing::ustar_file("manifest.json", "{}") + testing::ustar_file(name, "<svg/>");
  auto r = read_bundle_archive(raw_tar_gz(tar));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_NE(r->find(name), nullptr);
}

TEST(ArchiveReader, AcceptsUtf8PaxPathWhateverTheLocale) {
  // pax "path=" values are UTF-8; libarchive must hand them over unchanged (the test runs in
  // the "C" locale, where a conversion to the locale's charset would fail).
  const std::string name = "assets/\xe2\x9c\x93-\xc3\xa9t\xc3\xa9.svg";
  const std::string tar = testing::ustar_file("manifest.json", "{}") + testing::pax_path_header(name) +
                          testing::ustar_file("placeholder.svg", "<svg/>");
  auto r = read_bundle_archive(raw_tar_gz(tar));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_NE(r->find(name), nullptr);
  auto w = read_bundle_archive(bundle_with({{name, "<svg/>", EntryType::file, ""}}));  // libarchive's writer
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_NE(w->find(name), nullptr);
}

TEST(ArchiveReader, RefusesPaxPathThatIsNotUtf8) {
  const std::string tar = testing::ustar_file("manifest.json", "{}") + testing::pax_path_header("dist/\xff.js") +
                          testing::ustar_file("placeholder.js", "x");
  expect_one(read_bundle_archive(raw_tar_gz(tar)), kProblemNameEncoding, "dist/\\xff.js");
}

TEST(ArchiveReader, NulInPaxPathEndsTheName) {
  // libarchive copies a pax "path=" value as a C string: what follows the NUL is never seen by
  // us or by anything that reads the stored files, so it cannot smuggle "../" past the checks.
  const std::string tar = testing::ustar_file("manifest.json", "{}") +
                          testing::pax_path_header(std::string("dist/a.js\0/../../evil.sh", 25)) +
                          testing::ustar_file("placeholder.js", "x");
  auto r = read_bundle_archive(raw_tar_gz(tar));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->files, (std::map<std::string, std::string, std::less<>>{{"dist/a.js", "x"}, {"manifest.json", "{}"}}));
}

TEST(EntryRules, RefusesNulInAName) {
  // The rule itself, for names that reach it with their NUL (see the two tests around).
  std::vector<Problem> list;
  EXPECT_FALSE(detail::check_name(std::string("dist/a.js\0/../x.js", 18), detail::EntryKind::file, list));
  EXPECT_THAT(list, UnorderedElementsAre(
                        AllOf(Field(&Problem::code, kProblemNameNul), Field(&Problem::path, "dist/a.js\\x00/../x.js")),
                        AllOf(Field(&Problem::code, kProblemPathTraversal), Field(&Problem::path, "dist/a.js\\x00/../x.js"))));
}

TEST(ArchiveReader, NulInUstarNameEndsTheName) {
  // ustar fields end at their first NUL: "dist/a.js\0../../evil.sh" IS the name "dist/a.js" for
  // every tar reader, so the name checked is the name stored; here it duplicates a real file.
  const std::string tar = testing::ustar_file("dist/a.js", "1") +
                          testing::ustar_file(std::string("dist/a.js\0../../evil.sh", 24), "2");
  expect_one(read_bundle_archive(raw_tar_gz(tar)), kProblemDuplicate, "dist/a.js");
}

TEST(ArchiveReader, RefusesDuplicateAfterNormalising) {
  expect_one(read_bundle_archive(bundle_with({{"./dist//index.js", "other", EntryType::file, ""}})), kProblemDuplicate,
             "./dist//index.js");
}

TEST(ArchiveReader, RefusesFileThatIsAlsoAFolder) {
  expect_one(read_bundle_archive(bundle_with({{"dist/index.js/", "", EntryType::directory, ""}})), kProblemDuplicate,
             "dist/index.js/");
}

TEST(ArchiveReader, RefusesPathInsideAFile) {
  expect_one(read_bundle_archive(bundle_with({{"manifest.json/x.js", "x", EntryType::file, ""}})),
             kProblemPathConflict, "manifest.json/x.js");
}

TEST(ArchiveReader, RefusesOtherExtensions) {
  for (const char* name : {"dist/run.sh", "dist/index.JS", "dist/index.js.bak", "README", "dist/.js", "dist/x.mjs"}) {
    SCOPED_TRACE(name);
    expect_one(read_bundle_archive(bundle_with({{name, "x", EntryType::file, ""}})), kProblemExtension, name);
  }
  auto r = read_bundle_archive(bundle_with({{"dist/index.js.map", "{}", EntryType::file, ""},
                                            {"assets/a.png", "", EntryType::file, ""},
                                            {"assets/b.jpg", "", EntryType::file, ""}}));
  EXPECT_TRUE(r.ok()) << r.error().message;
}

TEST(ArchiveReader, RefusesNameTooLongOrTooDeep) {
  const std::string long_name = "dist/" + std::string(300, 'a') + ".js";
  const auto list = problems(read_bundle_archive(bundle_with({{long_name, "x", EntryType::file, ""}})));
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].code, kProblemNameTooLong);
  EXPECT_EQ(list[0].path, long_name.substr(0, kMaxPathBytes) + "…");  // kept small in messages

  std::string deep;
  for (std::size_t i = 0; i <= kMaxPathSegments; ++i) deep += "d/";
  expect_one(read_bundle_archive(bundle_with({{deep + "x.js", "x", EntryType::file, ""}})), kProblemNameTooLong,
             deep + "x.js");
}

TEST(ArchiveReader, ReportsEveryEntryProblem) {
  auto list = problems(read_bundle_archive(bundle_with({{"dist/a.sh", "x", EntryType::file, ""},
                                                        {"dist/l.js", "", EntryType::symlink, "index.js"},
                                                        {"../x.js", "x", EntryType::file, ""},
                                                        {"/abs.js", "x", EntryType::file, ""}})));
  EXPECT_THAT(list, UnorderedElementsAre(
                        AllOf(Field(&Problem::code, kProblemExtension), Field(&Problem::path, "dist/a.sh")),
                        AllOf(Field(&Problem::code, kProblemSymlink), Field(&Problem::path, "dist/l.js")),
                        AllOf(Field(&Problem::code, kProblemPathTraversal), Field(&Problem::path, "../x.js")),
                        AllOf(Field(&Problem::code, kProblemAbsolutePath), Field(&Problem::path, "/abs.js"))));
}

// --- The stream ---

long max_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

TEST(ArchiveReader, GzipBombOfOneHugeFileStopsJustPastTheLimit) {
  const std::string bomb = testing::gzip_bomb(1ull << 30);  // 1 GiB of zeros in one file
  ASSERT_LT(bomb.size(), 4u << 20);
  const auto start = std::chrono::steady_clock::now();
  ArchiveReadStats stats;
  const ArchiveLimits limits;
  expect_one(read_bundle_archive(bomb, limits, &stats), kProblemTooLarge, "dist/bomb0.js");
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_GT(stats.extracted_bytes, limits.max_extracted_bytes);
  EXPECT_LE(stats.extracted_bytes, limits.max_extracted_bytes + 64 * 1024);  // one block past
  EXPECT_LT(stats.input_bytes, bomb.size() / 4);  // most of the stream never decompressed
  EXPECT_LT(elapsed, std::chrono::seconds(20));
  EXPECT_LT(max_rss_kib(), 600 * 1024);  // never near the 1 GiB the header promised
}

TEST(ArchiveReader, GzipBombOfManyFilesEachUnderTheLimitStops) {
  ArchiveLimits limits;
  limits.max_extracted_bytes = 8u << 20;
  const std::string bomb = testing::gzip_bomb(3u << 20, 10);  // 10 × 3 MiB = 30 MiB
  ArchiveReadStats stats;
  expect_one(read_bundle_archive(bomb, limits, &stats), kProblemTooLarge, "dist/bomb2.js");
  EXPECT_LE(stats.extracted_bytes, limits.max_extracted_bytes + 64 * 1024);
  EXPECT_EQ(stats.entries, 3u);
}

std::vector<ArchiveEntry> empty_files(std::size_t n) {
  std::vector<ArchiveEntry> entries;
  for (std::size_t i = 0; i < n; ++i) entries.push_back({"dist/f" + std::to_string(i) + ".js", "", EntryType::file, ""});
  return entries;
}

TEST(ArchiveReader, TenThousandEntriesAreAllowed) {
  auto r = read_bundle_archive(testing::build_tar_gz(empty_files(10'000)));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->files.size(), 10'000u);
}

TEST(ArchiveReader, RefusesTenThousandAndOneEntries) {
  ArchiveReadStats stats;
  expect_one(read_bundle_archive(testing::build_tar_gz(empty_files(10'001)), {}, &stats), kProblemTooManyEntries,
             "dist/f10000.js");
  EXPECT_EQ(stats.entries, 10'001u);
}

TEST(ArchiveReader, RefusesStreamsThatAreNotOneGzipLayer) {
  const std::string tar = testing::build_tar(testing::valid_bundle_entries());
  expect_one(read_bundle_archive(tar), kProblemNotGzip, "");                       // plain tar
  expect_one(read_bundle_archive(testing::zip_like_stream()), kProblemNotGzip, "");  // zip
  expect_one(read_bundle_archive(""), kProblemNotGzip, "");
  expect_one(read_bundle_archive(testing::gzip(testing::gzip(tar))), kProblemNotGzip, "");  // gzip in gzip
}

TEST(ArchiveReader, RefusesGzipOfSomethingElse) {
  expect_one(read_bundle_archive(testing::gzip("just some text, not a tar archive at all")), kProblemCorrupt, "");
}

TEST(ArchiveReader, RefusesTruncatedStream) {
  const std::string archive = bundle_with({});
  for (std::size_t cut : {std::size_t{1}, std::size_t{8}, std::size_t{100}, archive.size() / 2, archive.size() - 3}) {
    SCOPED_TRACE(cut);
    const auto list = problems(read_bundle_archive(testing::truncated(archive, cut)));
    ASSERT_FALSE(list.empty());
    EXPECT_EQ(list.back().code, kProblemCorrupt) << list.back().message;
  }
}

TEST(ArchiveReader, RefusesCorruptStream) {
  std::string archive = bundle_with({});
  archive[archive.size() / 2] ^= 0x55;
  const auto list = problems(read_bundle_archive(archive));
  ASSERT_FALSE(list.empty());
  EXPECT_EQ(list.back().code, kProblemCorrupt) << list.back().message;
}

TEST(ArchiveReader, RefusesEmptyArchive) {
  expect_one(read_bundle_archive(testing::build_tar_gz({})), kProblemEmpty, "");
  expect_one(read_bundle_archive(testing::build_tar_gz({{"dist/", "", EntryType::directory, ""}})), kProblemEmpty, "");
}

TEST(PrintableName, EscapesWhatATerminalWouldInterpret) {
  EXPECT_EQ(printable_name("a/b.js"), "a/b.js");
  EXPECT_EQ(printable_name(std::string("a\0b\n\x7f\\", 6)), "a\\x00b\\x0a\\x7f\\x5c");
  EXPECT_EQ(printable_name("caf\xc3\xa9 \xc3"), "caf\xc3\xa9 \\xc3");
}

// --- The folder reader ---

void write(const std::string& path, const std::string& content) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  weft::testing::write_file(path, content);
}

void write_valid_bundle(const std::string& root) {
  for (const auto& e : testing::valid_bundle_entries()) {
    if (e.type == EntryType::file) write(root + "/" + e.path, e.content);
  }
}

TEST(DirectoryReader, ReadsAValidFolderByteExactly) {
  weft::testing::TempDir dir;
  write_valid_bundle(dir.path());
  auto r = read_bundle_directory(dir.path());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->files, expected_files());
}

TEST(DirectoryReader, RefusesSymlinkNeverFollowingIt) {
  weft::testing::TempDir dir, outside;
  write_valid_bundle(dir.path());
  write(outside.file("secret.js"), "secret");
  ASSERT_EQ(symlink(outside.file("secret.js").c_str(), dir.file("dist/secret.js").c_str()), 0);
  ASSERT_EQ(symlink(outside.path().c_str(), dir.file("assets/more").c_str()), 0);  // a linked folder
  auto list = problems(read_bundle_directory(dir.path()));
  EXPECT_THAT(list, UnorderedElementsAre(
                        AllOf(Field(&Problem::code, kProblemSymlink), Field(&Problem::path, "dist/secret.js")),
                        AllOf(Field(&Problem::code, kProblemSymlink), Field(&Problem::path, "assets/more"))));
}

TEST(DirectoryReader, RefusesFifoWithoutBlocking) {
  weft::testing::TempDir dir;
  write_valid_bundle(dir.path());
  ASSERT_EQ(mkfifo(dir.file("dist/pipe.js").c_str(), 0600), 0);
  expect_one(read_bundle_directory(dir.path()), kProblemFifo, "dist/pipe.js");
}

TEST(DirectoryReader, RefusesSocket) {
  weft::testing::TempDir dir;
  write_valid_bundle(dir.path());
  const std::string path = dir.file("dist/s.js");
  const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  ASSERT_LT(path.size(), sizeof(addr.sun_path));
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  close(fd);
  expect_one(read_bundle_directory(dir.path()), kProblemSocket, "dist/s.js");
}

TEST(DirectoryReader, AppliesTheNameAndExtensionRules) {
  weft::testing::TempDir dir;
  write_valid_bundle(dir.path());
  write(dir.file("dist/run.sh"), "#!/bin/sh");
  write(dir.file("dist/a\\b.js"), "x");
  write(dir.file("dist/\x1b.js"), "x");
  auto list = problems(read_bundle_directory(dir.path()));
  EXPECT_THAT(list, UnorderedElementsAre(
                        AllOf(Field(&Problem::code, kProblemExtension), Field(&Problem::path, "dist/run.sh")),
                        AllOf(Field(&Problem::code, kProblemNameBackslash), Field(&Problem::path, "dist/a\\x5cb.js")),
                        AllOf(Field(&Problem::code, kProblemNameControl), Field(&Problem::path, "dist/\\x1b.js"))));
}

TEST(DirectoryReader, AppliesTheLimits) {
  weft::testing::TempDir dir;
  write_valid_bundle(dir.path());
  write(dir.file("dist/big.js"), std::string(200'000, 'x'));
  ArchiveLimits limits;
  limits.max_extracted_bytes = 100'000;
  expect_one(read_bundle_directory(dir.path(), limits), kProblemTooLarge, "dist/big.js");
  limits = {};
  limits.max_entries = 3;
  const auto list = problems(read_bundle_directory(dir.path(), limits));
  ASSERT_FALSE(list.empty());
  EXPECT_EQ(list.back().code, kProblemTooManyEntries);
}

TEST(DirectoryReader, MissingFolderIsNotFound) {
  weft::testing::TempDir dir;
  auto r = read_bundle_directory(dir.file("nope"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "not_found");
  write(dir.file("file.json"), "{}");
  auto f = read_bundle_directory(dir.file("file.json"));
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().code, "not_found");
}

TEST(DirectoryReader, EmptyFolderIsRefused) {
  weft::testing::TempDir dir;
  expect_one(read_bundle_directory(dir.path()), kProblemEmpty, "");
}

}  // namespace
}  // namespace weft::bundles

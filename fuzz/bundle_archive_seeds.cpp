// fuzz/bundle_archive_seeds.cpp — writes the seed corpus of fuzz_bundle_archive into a folder
// (archives are binary, so they are generated here by testing/bundle_archive.h, never stored):
// `bundle_archive_seeds DIR`. Each seed is the target's form byte then its payload.
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "testing/bundle_archive.h"

namespace {

using weft::testing::ArchiveEntry;
using weft::testing::EntryType;
namespace t = weft::testing;

std::vector<ArchiveEntry> with(std::vector<ArchiveEntry> extra) {
  auto entries = t::valid_bundle_entries();
  entries.insert(entries.end(), extra.begin(), extra.end());
  return entries;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  int written = 0;
  // `gz`: the payload is sent as is (form byte 0); `tar`: the target gzips it (form byte 1).
  const auto seed = [&](const std::string& name, char form, const std::string& payload) {
    std::ofstream(dir + "/" + name, std::ios::binary) << form << payload;
    ++written;
  };
  const auto tar = [&](const std::string& name, const std::vector<ArchiveEntry>& entries,
                       t::TarFormat format = t::TarFormat::pax_restricted) {
    seed(name, '\1', t::build_tar(entries, format));
  };
  tar("valid-pax", t::valid_bundle_entries());
  tar("valid-ustar", t::valid_bundle_entries(), t::TarFormat::ustar);
  tar("valid-gnutar", t::valid_bundle_entries(), t::TarFormat::gnutar);
  seed("valid-gz", '\0', t::build_tar_gz(t::valid_bundle_entries()));
  tar("symlink", with({{"dist/l.js", "", EntryType::symlink, "../../etc/passwd"}}));
  tar("hardlink", with({{"dist/h.js", "", EntryType::hardlink, "dist/index.js"}}));
  tar("devices", with({{"dist/c.js", "", EntryType::char_device, ""}, {"dist/f.js", "", EntryType::fifo, ""}}));
  tar("names", with({{"/abs.js", "x", EntryType::file, ""}, {"a/../../b.js", "x", EntryType::file, ""},
                     {"./dist//index.js", "dup", EntryType::file, ""}, {"run.sh", "x", EntryType::file, ""}}));
  tar("long-name", with({{"dist/" + std::string(300, 'n') + ".js", "x", EntryType::file, ""}}), t::TarFormat::gnutar);
  seed("raw-headers", '\1',
       t::ustar_file("manifest.json", "{}") + t::ustar_file("dist\\x.js", "x") + t::ustar_file("dist/\x1b.js", "x") +
           t::pax_path_header(std::string("dist/a.js\0/../x.js", 18)) + t::ustar_file("p.js", "x") +
           t::ustar_header("l.js", '1', 0, "/etc/shadow") + t::tar_end());
  seed("bomb", '\0', t::gzip_bomb(3u << 20, 2));
  seed("truncated", '\0', t::truncated(t::build_tar_gz(t::valid_bundle_entries()), 40));
  seed("gzip-in-gzip", '\0', t::gzip(t::build_tar_gz(t::valid_bundle_entries())));
  seed("zip", '\0', t::zip_like_stream());
  std::printf("%d seeds written to %s\n", written, dir.c_str());
  return 0;
}

#include "testing/bundle_archive.h"

#include <archive.h>
#include <archive_entry.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>

namespace weft::testing {
namespace {

// One libarchive writer appending everything it writes to `out`.
class Writer {
 public:
  explicit Writer(std::string& out) : a_(archive_write_new()), out_(out) {
    if (a_ == nullptr) throw std::runtime_error("archive_write_new failed");
  }
  ~Writer() { archive_write_free(a_); }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  archive* get() { return a_; }

  void check(int rc, const char* what) {
    if (rc < ARCHIVE_WARN) {
      const char* msg = archive_error_string(a_);
      throw std::runtime_error(std::string(what) + ": " + (msg != nullptr ? msg : "failed"));
    }
  }

  void open() {
    // No padding of the last block: the stream ends where the data ends.
    check(archive_write_set_bytes_in_last_block(a_, 1), "bytes_in_last_block");
    check(archive_write_open(a_, &out_, nullptr, &Writer::append, nullptr), "archive_write_open");
  }

  void close() { check(archive_write_close(a_), "archive_write_close"); }

 private:
  static la_ssize_t append(archive*, void* client, const void* buffer, size_t length) {
    static_cast<std::string*>(client)->append(static_cast<const char*>(buffer), length);
    return static_cast<la_ssize_t>(length);
  }

  archive* a_;
  std::string& out_;
};

struct EntryDeleter {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};
using EntryPtr = std::unique_ptr<archive_entry, EntryDeleter>;

void set_format(Writer& w, TarFormat format) {
  switch (format) {
    case TarFormat::pax_restricted: w.check(archive_write_set_format_pax_restricted(w.get()), "pax_restricted"); break;
    case TarFormat::ustar: w.check(archive_write_set_format_ustar(w.get()), "ustar"); break;
    case TarFormat::gnutar: w.check(archive_write_set_format_gnutar(w.get()), "gnutar"); break;
  }
}

EntryPtr make_entry(const ArchiveEntry& e) {
  EntryPtr entry(archive_entry_new());
  archive_entry_copy_pathname(entry.get(), e.path.c_str());
  archive_entry_set_mtime(entry.get(), 1700000000, 0);
  archive_entry_set_perm(entry.get(), 0644);
  switch (e.type) {
    case EntryType::file:
      archive_entry_set_filetype(entry.get(), AE_IFREG);
      archive_entry_set_size(entry.get(), static_cast<la_int64_t>(e.content.size()));
      break;
    case EntryType::directory:
      archive_entry_set_filetype(entry.get(), AE_IFDIR);
      archive_entry_set_perm(entry.get(), 0755);
      break;
    case EntryType::symlink:
      archive_entry_set_filetype(entry.get(), AE_IFLNK);
      archive_entry_copy_symlink(entry.get(), e.link_target.c_str());
      break;
    case EntryType::hardlink:
      archive_entry_set_filetype(entry.get(), AE_IFREG);
      archive_entry_copy_hardlink(entry.get(), e.link_target.c_str());
      break;
    case EntryType::char_device:
      archive_entry_set_filetype(entry.get(), AE_IFCHR);
      archive_entry_set_rdevmajor(entry.get(), 1);
      archive_entry_set_rdevminor(entry.get(), 3);
      break;
    case EntryType::block_device:
      archive_entry_set_filetype(entry.get(), AE_IFBLK);
      archive_entry_set_rdevmajor(entry.get(), 8);
      break;
    case EntryType::fifo: archive_entry_set_filetype(entry.get(), AE_IFIFO); break;
    case EntryType::socket: archive_entry_set_filetype(entry.get(), AE_IFSOCK); break;
  }
  return entry;
}

std::string build(const std::vector<ArchiveEntry>& entries, TarFormat format, bool compress) {
  std::string out;
  Writer w(out);
  set_format(w, format);
  if (compress) w.check(archive_write_add_filter_gzip(w.get()), "add_filter_gzip");
  w.open();
  for (const ArchiveEntry& e : entries) {
    EntryPtr entry = make_entry(e);
    w.check(archive_write_header(w.get(), entry.get()), ("archive_write_header " + e.path).c_str());
    if (e.type == EntryType::file && !e.content.empty()) {
      if (archive_write_data(w.get(), e.content.data(), e.content.size()) != static_cast<la_ssize_t>(e.content.size())) {
        w.check(ARCHIVE_FATAL, "archive_write_data");
      }
    }
  }
  w.close();
  return out;
}

std::string octal(std::uint64_t value, std::size_t width) {  // width - 1 digits, then NUL
  std::string s(width - 1, '0');
  for (std::size_t i = width - 1; i-- > 0 && value != 0; value >>= 3) s[i] = static_cast<char>('0' + (value & 7));
  s.push_back('\0');
  return s;
}

void put(std::string& block, std::size_t offset, std::string_view field, std::size_t width) {
  if (!field.empty()) std::memcpy(block.data() + offset, field.data(), std::min(field.size(), width));
}

std::string padded(std::string_view content) {
  std::string s(content);
  s.append((512 - s.size() % 512) % 512, '\0');
  return s;
}

}  // namespace

std::string build_tar(const std::vector<ArchiveEntry>& entries, TarFormat format) {
  return build(entries, format, false);
}

std::string build_tar_gz(const std::vector<ArchiveEntry>& entries, TarFormat format) {
  return build(entries, format, true);
}

std::string gzip(std::string_view data) {
  std::string out;
  Writer w(out);
  w.check(archive_write_set_format_raw(w.get()), "format_raw");
  w.check(archive_write_add_filter_gzip(w.get()), "add_filter_gzip");
  w.open();
  EntryPtr entry(archive_entry_new());
  archive_entry_set_filetype(entry.get(), AE_IFREG);
  archive_entry_set_pathname(entry.get(), "data");
  w.check(archive_write_header(w.get(), entry.get()), "archive_write_header");
  if (!data.empty() && archive_write_data(w.get(), data.data(), data.size()) != static_cast<la_ssize_t>(data.size())) {
    w.check(ARCHIVE_FATAL, "archive_write_data");
  }
  w.close();
  return out;
}

std::string gzip_bomb(std::uint64_t file_size, std::size_t files, std::string_view prefix) {
  std::string out;
  Writer w(out);
  set_format(w, TarFormat::pax_restricted);
  w.check(archive_write_add_filter_gzip(w.get()), "add_filter_gzip");
  w.open();
  const std::string zeros(1 << 20, '\0');
  for (std::size_t i = 0; i < files; ++i) {
    EntryPtr entry = make_entry({std::string(prefix) + std::to_string(i) + ".js", "", EntryType::file, ""});
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(file_size));
    w.check(archive_write_header(w.get(), entry.get()), "archive_write_header");
    for (std::uint64_t left = file_size; left > 0;) {
      const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, zeros.size()));
      if (archive_write_data(w.get(), zeros.data(), n) != static_cast<la_ssize_t>(n)) w.check(ARCHIVE_FATAL, "write_data");
      left -= n;
    }
  }
  w.close();
  return out;
}

std::string ustar_header(std::string_view name, char typeflag, std::uint64_t size, std::string_view linkname) {
  if (name.size() > 100 || linkname.size() > 100) throw std::runtime_error("ustar_header: a name holds at most 100 bytes");
  std::string h(512, '\0');
  put(h, 0, name, 100);
  put(h, 100, octal(0644, 8), 8);
  put(h, 108, octal(1000, 8), 8);
  put(h, 116, octal(1000, 8), 8);
  put(h, 124, octal(size, 12), 12);
  put(h, 136, octal(1700000000, 12), 12);
  h[156] = typeflag;
  put(h, 157, linkname, 100);
  put(h, 257, std::string_view("ustar\0" "00", 8), 8);
  put(h, 265, "weft", 32);
  put(h, 297, "weft", 32);
  // Checksum: every byte summed with the checksum field counted as spaces; 6 digits, NUL, space.
  std::memset(h.data() + 148, ' ', 8);
  unsigned sum = 0;
  for (unsigned char c : h) sum += c;
  std::string field = octal(sum, 7);
  field.push_back(' ');
  put(h, 148, field, 8);
  return h;
}

std::string ustar_file(std::string_view name, std::string_view content) {
  return ustar_header(name, '0', content.size()) + padded(content);
}

std::string pax_path_header(std::string_view path) {
  // A record is "<length> path=<value>\n", where <length> counts the whole record itself.
  const std::size_t body = std::string_view(" path=\n").size() + path.size();
  std::size_t length = body + 1;
  while (std::to_string(length).size() + body != length) length = std::to_string(length).size() + body;
  std::string record = std::to_string(length) + " path=" + std::string(path) + "\n";
  return ustar_header("PaxHeaders/entry", 'x', record.size()) + padded(record);
}

std::string tar_end() { return std::string(1024, '\0'); }

std::string truncated(std::string_view s, std::size_t cut) {
  return std::string(s.substr(0, s.size() > cut ? s.size() - cut : 0));
}

std::string zip_like_stream() {
  // A local file header ("PK\3\4", version 20, stored) for "manifest.json", then its bytes.
  std::string z("PK\x03\x04\x14\x00\x00\x00\x00\x00", 10);
  z += std::string(16, '\0');
  z += std::string("\x0d\x00\x00\x00", 4);
  z += "manifest.json{}";
  return z;
}

std::vector<ArchiveEntry> valid_bundle_entries() {
  const std::string manifest = R"({
  "id": "acme",
  "name": "Acme",
  "version": "1.0.0",
  "icon": "assets/icon.svg",
  "auth": { "type": "none" },
  "capabilities": ["tools"],
  "network": { "allowedHosts": ["api.acme.test"] },
  "products": [
    {
      "id": "acme-core",
      "name": "Acme",
      "category": "Developer tools",
      "dependencies": [],
      "blocks": [
        {
          "id": "acme.ping",
          "name": "Ping",
          "description": "Answers ok.",
          "category": "tools",
          "inputSchema": { "type": "object", "properties": {}, "additionalProperties": false },
          "outputSchema": {
            "type": "object",
            "properties": { "status": { "type": "string" } },
            "required": ["status"],
            "additionalProperties": false
          }
        }
      ]
    }
  ]
}
)";
  // Like tests/fixtures/bundles/greeter: defineVendor is provided to bundle code by the sandbox.
  const std::string index_js =
      "export default defineVendor({\n"
      "  id: \"acme\",\n"
      "  tools: { \"acme.ping\": async () => ({ status: \"ok\" }) },\n"
      "});\n";
  const std::string sbom = R"({
  "bomFormat": "CycloneDX",
  "specVersion": "1.6",
  "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
  "version": 1,
  "metadata": {
    "timestamp": "2024-01-01T00:00:00Z",
    "tools": { "components": [{ "type": "application", "name": "weft-bundle", "version": "0.1.0" }] },
    "component": {
      "type": "application",
      "bom-ref": "weft-bundle:acme@1.0.0",
      "name": "acme",
      "version": "1.0.0",
      "description": "Weft custom integration \"Acme\""
    }
  },
  "components": []
}
)";
  const std::string icon =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 16 16\"><circle cx=\"8\" cy=\"8\" r=\"7\"/></svg>\n";
  return {
      {"manifest.json", manifest, EntryType::file, ""},
      {"dist/", "", EntryType::directory, ""},
      {"dist/index.js", index_js, EntryType::file, ""},
      {"meta/", "", EntryType::directory, ""},
      {"meta/sbom.cdx.json", sbom, EntryType::file, ""},
      {"assets/", "", EntryType::directory, ""},
      {"assets/icon.svg", icon, EntryType::file, ""},
  };
}

}  // namespace weft::testing

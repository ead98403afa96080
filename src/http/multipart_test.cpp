// multipart_boundary / parse_multipart: what real curl -F sends (captured by a raw listener on
// 127.0.0.1), Chromium's FormData shape, binary content read back byte-exactly, and hostile
// bodies (cut short, too many parts, huge headers, missing names, 50 MB adversarial searches).
#include "http/multipart.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "testing/subprocess.h"
#include "testing/temp_dir.h"

namespace weft::http {
namespace {

// Accepts one connection on 127.0.0.1:<free port>, reads one request (answering an Expect:
// 100-continue), records its head and body, answers 200 and closes.
class OneShotListener {
 public:
  OneShotListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::listen(fd_, 1), 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~OneShotListener() {
    if (thread_.joinable()) thread_.join();
    ::close(fd_);
  }
  int port() const { return port_; }
  // Waits for the request; then head() and body() are complete.
  void join() { thread_.join(); }
  const std::string& head() const { return head_; }
  const std::string& body() const { return body_; }
  std::string header(const std::string& name) const {
    std::string lower_head;
    for (char c : head_) lower_head += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string key = "\r\n";
    for (char c : name) key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    key += ":";
    auto at = lower_head.find(key);
    if (at == std::string::npos) return "";
    auto start = at + key.size();
    auto end = head_.find("\r\n", start);
    std::string value = head_.substr(start, end - start);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    return value;
  }

 private:
  bool read_more(int conn, std::string& into) {
    pollfd p{conn, POLLIN, 0};
    if (::poll(&p, 1, 20000) <= 0) return false;
    char buf[65536];
    ssize_t n = ::recv(conn, buf, sizeof buf, 0);
    if (n <= 0) return false;
    into.append(buf, static_cast<std::size_t>(n));
    return true;
  }
  void serve() {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 20000) <= 0) return;
    int conn = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (conn < 0) return;
    std::string data;
    while (data.find("\r\n\r\n") == std::string::npos && read_more(conn, data)) {}
    auto head_end = data.find("\r\n\r\n");
    if (head_end != std::string::npos) {
      head_ = data.substr(0, head_end + 2);
      body_ = data.substr(head_end + 4);
      if (!header("Expect").empty()) {
        const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
        ::send(conn, cont, sizeof cont - 1, MSG_NOSIGNAL);
      }
      std::size_t length = std::stoul(header("Content-Length").empty() ? "0" : header("Content-Length"));
      while (body_.size() < length && read_more(conn, body_)) {}
    }
    const char ok[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    ::send(conn, ok, sizeof ok - 1, MSG_NOSIGNAL);
    ::close(conn);
  }

  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::string head_;
  std::string body_;
};

// Bytes that a naive parser would take for a delimiter: every byte value, "--", CR/LF, the start
// of curl's and Chromium's boundaries, a boundary not preceded by CRLF.
std::string tricky_bytes(const std::string& boundary_like) {
  std::string s;
  for (int i = 0; i < 256; ++i) s += static_cast<char>(i);
  s += "--\r\n--\r\n\r\n-\r\r\n\n--";
  s += "\r\n--" + boundary_like.substr(0, boundary_like.size() / 2);
  s += "x--" + boundary_like + "\r\n";  // a whole boundary, but after "x", not after CRLF
  s += "\r\n-" + boundary_like;         // one dash short
  s += "\r\n";
  return s;
}

std::string error_of(const Result<std::vector<MultipartPart>>& r) {
  if (r.ok()) return "(parsed " + std::to_string(r->size()) + " parts)";
  EXPECT_EQ(r.error().code, kInvalidMultipart);
  return r.error().message;
}

std::string boundary_error(std::string_view content_type) {
  auto r = multipart_boundary(content_type);
  if (r.ok()) return "(accepted " + *r + ")";
  EXPECT_EQ(r.error().code, kInvalidMultipart);
  return r.error().message;
}

// A body from (headers, content) pairs with a closing delimiter.
std::string build(const std::string& boundary, const std::vector<std::pair<std::string, std::string>>& parts) {
  std::string body;
  for (const auto& [headers, content] : parts) body += "--" + boundary + "\r\n" + headers + "\r\n\r\n" + content + "\r\n";
  return body + "--" + boundary + "--\r\n";
}

// ---- what real clients send ---------------------------------------------------------------

struct CurlCapture {
  std::string content_type;
  std::string expect;  // the Expect header curl sent ("" when none)
  std::string body;
};

// curl from PATH (scripts/setup.sh installs it); run_process execs a path, not a name.
std::string curl_path() {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  for (std::size_t start = 0; start <= dirs.size();) {
    std::size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string candidate = dirs.substr(start, end - start) + "/curl";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return "";
}

CurlCapture capture_curl(const std::vector<std::string>& form_args) {
  const std::string curl = curl_path();
  EXPECT_FALSE(curl.empty()) << "these tests need the curl command (scripts/setup.sh installs it)";
  if (curl.empty()) return {};
  OneShotListener listener;
  std::vector<std::string> argv = {curl, "-sS", "--max-time", "20"};
  for (const auto& f : form_args) {
    argv.push_back("-F");
    argv.push_back(f);
  }
  argv.push_back("http://127.0.0.1:" + std::to_string(listener.port()) + "/api/bundle-upload");
  auto result = testing::run_process(argv);
  listener.join();
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return {listener.header("Content-Type"), listener.header("Expect"), listener.body()};
}

TEST(Multipart, ReadsWhatCurlSendsByteExactly) {
  testing::TempDir dir;
  // curl's boundary is 24 dashes and 16 random characters: put its prefix into the content.
  const std::string content = tricky_bytes("------------------------0123456789abcdef") + "gzip?\x1f\x8b";
  testing::write_file(dir.path() + "/acme.bundle.tar.gz", content);
  testing::write_file(dir.path() + "/empty.bin", "");
  auto captured = capture_curl({"bundle=@" + dir.path() + "/acme.bundle.tar.gz;type=application/gzip",
                                "note=hello world", "empty=@" + dir.path() + "/empty.bin",
                                "odd=@" + dir.path() + "/empty.bin;filename=we\"ird\\name.tgz"});
  ASSERT_FALSE(captured.body.empty());
  auto boundary = multipart_boundary(captured.content_type);
  ASSERT_TRUE(boundary.ok()) << captured.content_type << ": " << boundary.error().message;
  EXPECT_EQ(boundary->size(), 40u) << *boundary;  // what curl 7.88 chooses

  auto parts = parse_multipart(captured.body, *boundary);
  ASSERT_TRUE(parts.ok()) << parts.error().message << "\n" << captured.body;
  ASSERT_EQ(parts->size(), 4u);
  const auto& bundle = (*parts)[0];
  EXPECT_EQ(bundle.name, "bundle");
  EXPECT_EQ(bundle.filename, "acme.bundle.tar.gz");
  EXPECT_EQ(bundle.content_type, "application/gzip");
  EXPECT_EQ(std::string(bundle.body), content);
  EXPECT_GE(bundle.body.data(), captured.body.data());  // a view into the body, not a copy
  EXPECT_LE(bundle.body.data() + bundle.body.size(), captured.body.data() + captured.body.size());
  EXPECT_EQ((*parts)[1].name, "note");
  EXPECT_EQ((*parts)[1].filename, "");
  EXPECT_EQ((*parts)[1].content_type, "");
  EXPECT_EQ((*parts)[1].body, "hello world");
  EXPECT_EQ((*parts)[2].name, "empty");
  EXPECT_EQ((*parts)[2].filename, "empty.bin");
  EXPECT_EQ((*parts)[2].body, "");
  // curl escapes a quote as %22 (like browsers) and sends a backslash as is: both kept as sent.
  EXPECT_EQ((*parts)[3].filename, "we%22ird\\name.tgz");
}

TEST(Multipart, ReadsALargeCurlUploadSentAfter100Continue) {
  testing::TempDir dir;
  std::string content;
  for (int i = 0; content.size() < 3 * 1024 * 1024; ++i) content += tricky_bytes("----------------------" + std::to_string(i));
  testing::write_file(dir.path() + "/big.tgz", content);
  auto captured = capture_curl({"bundle=@" + dir.path() + "/big.tgz"});
  EXPECT_EQ(captured.expect, "100-continue");  // curl waits for a go-ahead past 1 MiB
  auto boundary = multipart_boundary(captured.content_type);
  ASSERT_TRUE(boundary.ok()) << captured.content_type;
  auto parts = parse_multipart(captured.body, *boundary);
  ASSERT_TRUE(parts.ok()) << parts.error().message;
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_TRUE((*parts)[0].body == content);
}

// Chromium's FormData (no browser on this machine, so written out as Chromium's
// multipart_data_pipe / form_data_encoder produce it): "----WebKitFormBoundary" + 16 characters,
// quoted name and filename, '"' sent as %22, no Content-Type for a plain field.
TEST(Multipart, ReadsChromiumFormData) {
  const std::string boundary = "----WebKitFormBoundaryQ7mZ2xLk9PcT4vBn";
  const std::string content = tricky_bytes(boundary);
  std::string body = "--" + boundary + "\r\n" +
                     "Content-Disposition: form-data; name=\"bundle\"; filename=\"acme %22v2%22.bundle.tar.gz\"\r\n"
                     "Content-Type: application/gzip\r\n\r\n" + content + "\r\n" +
                     "--" + boundary + "\r\n" + "Content-Disposition: form-data; name=\"activate\"\r\n\r\nfalse\r\n" +
                     "--" + boundary + "--\r\n";
  auto b = multipart_boundary("multipart/form-data; boundary=" + boundary);
  ASSERT_TRUE(b.ok());
  auto parts = parse_multipart(body, *b);
  ASSERT_TRUE(parts.ok()) << parts.error().message;
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].filename, "acme %22v2%22.bundle.tar.gz");
  EXPECT_EQ((*parts)[0].content_type, "application/gzip");
  EXPECT_TRUE((*parts)[0].body == content);
  EXPECT_EQ((*parts)[1].name, "activate");
  EXPECT_EQ((*parts)[1].body, "false");
}

// ---- the grammar ---------------------------------------------------------------------------

TEST(Multipart, IgnoresPreambleAndEpilogueAndAcceptsTransportPadding) {
  std::string body = "This is the preamble; it mentions --b.\r\n--bb is not it either\r\n--b \t\r\n"
                     "Content-Disposition: form-data; name=a\r\n\r\nA\r\n--bX is content\r\n--b--  \r\nepilogue --b\r\n";
  auto parts = parse_multipart(body, "b");
  ASSERT_TRUE(parts.ok()) << parts.error().message;
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].body, "A\r\n--bX is content");
}

TEST(Multipart, HeadersAreCaseInsensitiveAndParametersDecoded) {
  auto parts = parse_multipart(
      build("xyz", {{"CONTENT-DISPOSITION: Form-Data; NAME=\"a\\\"b\\\\c\" ; FileName=\"C:\\dir\\f.txt\"\r\n"
                     "content-type: Text/Plain; charset=utf-8\r\nX-Other: ignored",
                     "1"},
                    {"Content-Disposition: form-data; name=plain;filename=\"old.tgz\"; filename*=UTF-8''%C3%A9t%C3%A9.tgz",
                     "2"},
                    {"Content-Disposition: form-data;\r\n name=\"folded\"", "3"},
                    {"Content-Disposition: form-data; name=\"\xc3\xa9\"; filename=\"\"\r\nContent-Transfer-Encoding: binary",
                     ""}}),
      "xyz");
  ASSERT_TRUE(parts.ok()) << parts.error().message;
  ASSERT_EQ(parts->size(), 4u);
  EXPECT_EQ((*parts)[0].name, "a\"b\\c");
  EXPECT_EQ((*parts)[0].filename, "C:\\dir\\f.txt");
  EXPECT_EQ((*parts)[0].content_type, "Text/Plain; charset=utf-8");
  EXPECT_EQ((*parts)[1].name, "plain");
  EXPECT_EQ((*parts)[1].filename, "\xc3\xa9t\xc3\xa9.tgz");
  EXPECT_EQ((*parts)[2].name, "folded");
  EXPECT_EQ((*parts)[3].name, "\xc3\xa9");
  EXPECT_EQ((*parts)[3].body, "");
}

TEST(Multipart, AcceptsAPartWithoutContentAfterItsHeadersAndExactlyMaxParts) {
  auto parts = parse_multipart("--b\r\nContent-Disposition: form-data; name=a\r\n\r\n--b--", "b");
  ASSERT_TRUE(parts.ok()) << parts.error().message;
  EXPECT_EQ((*parts)[0].body, "");
  EXPECT_TRUE(parse_multipart("--b--\r\n", "b").ok());  // no parts: the caller says which field is missing

  std::vector<std::pair<std::string, std::string>> sixteen(16, {"Content-Disposition: form-data; name=f", "v"});
  auto many = parse_multipart(build("b", sixteen), "b");
  ASSERT_TRUE(many.ok()) << many.error().message;
  EXPECT_EQ(many->size(), 16u);
}

// ---- hostile bodies --------------------------------------------------------------------------

TEST(Multipart, RefusesABodyCutShort) {
  const std::string full = build("bnd", {{"Content-Disposition: form-data; name=bundle", "payload"}});
  // Every cut of a valid body before its closing "--bnd--" is refused, never a partial part.
  const std::size_t close_end = full.rfind("--bnd--") + 7;
  for (std::size_t cut = 0; cut < close_end; ++cut) {
    auto r = parse_multipart(std::string_view(full).substr(0, cut), "bnd");
    EXPECT_FALSE(r.ok()) << "cut at " << cut;
  }
  EXPECT_EQ(error_of(parse_multipart(full.substr(0, full.find("payload") + 4), "bnd")),
            "the body ends before the closing boundary (\"--bnd--\"); part 1 is cut short");
  EXPECT_EQ(error_of(parse_multipart(full.substr(0, full.rfind("--bnd--") + 5), "bnd")),
            "the body ends before the closing boundary (it is cut short after boundary 2)");
  EXPECT_EQ(error_of(parse_multipart("", "bnd")),
            "the body does not contain the boundary given in its Content-Type (\"--bnd\")");
  EXPECT_EQ(error_of(parse_multipart(build("other", {{"Content-Disposition: form-data; name=a", "x"}}), "bnd")),
            "the body does not contain the boundary given in its Content-Type (\"--bnd\")");
}

TEST(Multipart, RefusesBareLineFeeds) {
  EXPECT_EQ(error_of(parse_multipart("--b\nContent-Disposition: form-data; name=a\n\nx\n--b--\n", "b")),
            "the line of boundary 1 ends with a bare LF; multipart line ends must be CRLF");
  EXPECT_EQ(error_of(parse_multipart("--b\r\nContent-Disposition: form-data; name=a\nX: y\r\n\r\nx\r\n--b--", "b")),
            "part 1's headers contain a bare LF; line ends must be CRLF");
}

TEST(Multipart, RefusesTenThousandParts) {
  std::vector<std::pair<std::string, std::string>> parts(10000, {"Content-Disposition: form-data; name=f", "v"});
  const std::string body = build("b", parts);
  EXPECT_EQ(error_of(parse_multipart(body, "b")), "the body has more than 16 parts");
  MultipartLimits limits;
  limits.max_parts = 10000;
  auto all = parse_multipart(body, "b", limits);
  ASSERT_TRUE(all.ok()) << all.error().message;
  EXPECT_EQ(all->size(), 10000u);
}

TEST(Multipart, RefusesAHugePartHeader) {
  const std::string megabyte(1024 * 1024, 'a');
  EXPECT_EQ(error_of(parse_multipart(build("b", {{"Content-Disposition: form-data; name=a\r\nX-Big: " + megabyte, "x"}}), "b")),
            "part 1's headers are longer than 8192 bytes (or lack the blank line that ends them)");
  EXPECT_EQ(error_of(parse_multipart(build("b", {{"Content-Disposition: form-data; name=\"" + megabyte + "\"", "x"}}), "b")),
            "part 1's headers are longer than 8192 bytes (or lack the blank line that ends them)");
  // No blank line at all and a megabyte of content: the same refusal, found within 8 KiB.
  EXPECT_EQ(error_of(parse_multipart("--b\r\nContent-Disposition: form-data; name=a" + megabyte + "\r\n--b--", "b")),
            "part 1's headers are longer than 8192 bytes (or lack the blank line that ends them)");
  EXPECT_EQ(error_of(parse_multipart("--b\r\nContent-Disposition: form-data; name=a\r\nx\r\n--b--", "b")),
            "part 1 has no blank line (CRLF CRLF) after its headers");
}

TEST(Multipart, RefusesPartsWithoutAUsableContentDisposition) {
  auto one = [](const std::string& headers) {
    return error_of(parse_multipart(build("b", {{"Content-Disposition: form-data; name=ok", "1"}, {headers, "2"}}), "b"));
  };
  EXPECT_EQ(one("Content-Type: text/plain"), "part 2 has no Content-Disposition header");
  EXPECT_EQ(one("Content-Disposition: form-data; filename=\"a.tgz\""),
            "part 2 has no name (Content-Disposition: form-data; name=\"…\")");
  EXPECT_EQ(one("Content-Disposition: form-data"), "part 2 has no name (Content-Disposition: form-data; name=\"…\")");
  EXPECT_EQ(one("Content-Disposition: form-data; name=\"\""), "part 2 has an empty name");
  EXPECT_EQ(one("Content-Disposition: attachment; name=a"), "part 2's Content-Disposition is \"attachment\", not form-data");
  EXPECT_EQ(one("Content-Disposition: form-data; name=a; name=b"),
            "part 2's Content-Disposition repeats the name parameter");
  EXPECT_EQ(one("Content-Disposition: form-data; name=a\r\nContent-Disposition: form-data; name=b"),
            "part 2 has more than one Content-Disposition header");
  EXPECT_EQ(one("Content-Disposition: form-data; name=\"a"),
            "part 2's Content-Disposition has an unterminated quoted string in parameter name");
  EXPECT_EQ(one("Content-Disposition: form-data; name=a b"),
            "part 2's Content-Disposition has \"b\" where a \";\" should separate parameters");
  EXPECT_EQ(one("Content-Disposition: form-data; name"),
            "part 2's Content-Disposition has parameter name without \"=value\"");
  EXPECT_EQ(one("Content-Disposition: form-data; name=\"\xff\""), "part 2's name is not valid UTF-8");
  EXPECT_EQ(one("Content-Disposition: form-data; name=a; filename*=ISO-8859-1''%E9.tgz"),
            "part 2's filename* uses charset \"ISO-8859-1\"; only UTF-8 is supported");
  EXPECT_EQ(one("Content-Disposition: form-data; name=a; filename*=UTF-8''%E9.tgz"),
            "part 2's filename is not valid UTF-8");
  EXPECT_EQ(one("Content-Disposition: form-data; name=a; filename*=UTF-8''%G0"),
            "part 2's filename* has a \"%\" not followed by two hex digits");
  EXPECT_EQ(one("Content-Disposition: form-data; name=a\r\nContent-Transfer-Encoding: base64"),
            "part 2 uses Content-Transfer-Encoding \"base64\", which is not supported");
  // Sent text is echoed as printable ASCII, at most 40 bytes: the message stays valid UTF-8.
  EXPECT_EQ(one("Content-Disposition: form-data; name=a\r\nContent-Transfer-Encoding: \xff\xfe" + std::string(50, 'x')),
            "part 2 uses Content-Transfer-Encoding \"??" + std::string(38, 'x') + "…\", which is not supported");
  EXPECT_EQ(one("Content-Disposition: form-data; name=a\r\nno colon here"), "part 2's header line 2 is not \"Name: value\"");
  EXPECT_EQ(one(" folded: first"), "part 2's headers begin with a continuation line");
  EXPECT_EQ(one("Content-Disposition: form-data; name=a\x01"), "part 2's header line 1 contains a control character");
}

// The point is no quadratic blow-up: each bound is generous (the parse takes milliseconds).
TEST(Multipart, FiftyMegabyteAdversarialBodiesParseInLinearTime) {
  const std::string boundary = "------------------------0123456789abcdef";
  const std::string head = "--" + boundary + "\r\nContent-Disposition: form-data; name=bundle\r\n\r\n";
  const std::size_t size = 50u * 1024 * 1024;
  std::vector<std::string> units = {
      "\r\n--",                                        // the delimiter's first bytes, again and again
      "\r\n--" + boundary.substr(0, boundary.size() - 1) + "X",  // near-misses one byte short
      "\r\n--" + boundary + "X",                       // whole boundaries that are content
      "\r",
  };
  for (const auto& unit : units) {
    std::string filler;
    filler.reserve(size + unit.size());
    while (filler.size() < size) filler += unit;
    for (bool closed : {true, false}) {
      const std::string body = head + filler + (closed ? "\r\n--" + boundary + "--\r\n" : "");
      auto start = std::chrono::steady_clock::now();
      auto parts = parse_multipart(body, boundary);
      auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      EXPECT_LT(seconds, 5.0) << "unit of " << unit.size() << " bytes";
      if (closed) {
        ASSERT_TRUE(parts.ok()) << parts.error().message;
        EXPECT_EQ((*parts)[0].body.size(), filler.size());
      } else {
        EXPECT_FALSE(parts.ok());
      }
    }
  }
}

// ---- the boundary ----------------------------------------------------------------------------

TEST(MultipartBoundary, ReadsQuotedAndUnquotedBoundaries) {
  EXPECT_EQ(*multipart_boundary("multipart/form-data; boundary=----WebKitFormBoundaryQ7mZ2xLk9PcT4vBn"),
            "----WebKitFormBoundaryQ7mZ2xLk9PcT4vBn");
  EXPECT_EQ(*multipart_boundary("Multipart/Form-Data;BOUNDARY=abc"), "abc");
  EXPECT_EQ(*multipart_boundary("multipart/form-data; charset=utf-8; boundary=\"a b'()+_,-./:=?\""), "a b'()+_,-./:=?");
  EXPECT_EQ(*multipart_boundary(" multipart/form-data ; boundary=x ;"), "x");
  EXPECT_EQ(*multipart_boundary("multipart/form-data; boundary=" + std::string(70, 'z')), std::string(70, 'z'));
}

TEST(MultipartBoundary, RefusesBadBoundariesAndOtherTypes) {
  EXPECT_EQ(boundary_error("multipart/form-data; boundary=\"\""),
            "the multipart boundary is 0 characters long; RFC 2046 allows 1 to 70");
  EXPECT_EQ(boundary_error("multipart/form-data; boundary="), "the Content-Type has an empty value for parameter boundary");
  EXPECT_EQ(boundary_error("multipart/form-data; boundary=" + std::string(71, 'z')),
            "the multipart boundary is 71 characters long; RFC 2046 allows 1 to 70");
  for (const char* bad : {"a@b", "a\\\"b", "a[b]", "a\tb", "caf\xc3\xa9"}) {
    EXPECT_EQ(boundary_error(std::string("multipart/form-data; boundary=\"") + bad + "\""),
              "the multipart boundary contains a character RFC 2046 does not allow (only letters, digits, space "
              "and '()+_,-./:=?)")
        << bad;
  }
  EXPECT_EQ(boundary_error("multipart/form-data; boundary=\"ab \""),
            "the multipart boundary ends with a space, which RFC 2046 does not allow");
  EXPECT_EQ(boundary_error("multipart/form-data"), "the multipart/form-data Content-Type has no boundary parameter");
  EXPECT_EQ(boundary_error("multipart/form-data; boundary=a; boundary=b"),
            "the Content-Type has more than one boundary parameter");
  EXPECT_EQ(boundary_error("multipart/mixed; boundary=a"), "the Content-Type is \"multipart/mixed\", not multipart/form-data");
  EXPECT_EQ(boundary_error("application/gzip"), "the Content-Type is \"application/gzip\", not multipart/form-data");
  EXPECT_EQ(boundary_error(""), "the Content-Type is \"\", not multipart/form-data");
  // parse_multipart checks the boundary it is given too.
  EXPECT_EQ(error_of(parse_multipart("--\r\n", "")), "the multipart boundary is 0 characters long; RFC 2046 allows 1 to 70");
  EXPECT_EQ(error_of(parse_multipart("x", std::string(71, 'a'))),
            "the multipart boundary is 71 characters long; RFC 2046 allows 1 to 70");
  EXPECT_EQ(error_of(parse_multipart("x", "a\r\nb")),
            "the multipart boundary contains a character RFC 2046 does not allow (only letters, digits, space "
            "and '()+_,-./:=?)");
}

}  // namespace
}  // namespace weft::http

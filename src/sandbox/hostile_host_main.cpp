// A stand-in for a compromised weft-sandbox-host (test helper): it answers the start-up ping
// like the real one, then answers each call with the misbehaviour its tool names (on the channel,
// or on its stderr), so the parent's distrust of the child can be tested. Invoked as
// `<it> sandbox-host --fd 3 …` like the real one.
#include <unistd.h>

#include <string>

#include "core/json.h"
#include "sandbox/ipc.h"

using weft::json;
using weft::sandbox::read_frame;
using weft::sandbox::write_frame;

int main() {
  constexpr int fd = 3;
  for (;;) {
    auto frame = read_frame(fd);
    if (!frame.ok()) return 0;
    const json id = (*frame)["id"];
    const std::string op = frame->value("op", "");
    if (op != "call") {
      (void)write_frame(fd, {{"id", id}, {"ok", true}, {"vendorId", "hostile"}});
      continue;
    }
    const std::string tool = frame->value("tool", "");
    if (tool == "flood") {
      // Fetch frames without ever reading the answers.
      for (int i = 0; i < 100000; ++i) {
        if (!write_frame(fd, {{"id", id}, {"op", "fetch"}, {"request", {{"url", "https://x.example/"}}}}).ok()) return 0;
      }
      ::pause();
    } else if (tool == "deep") {
      std::string text = R"({"id":)" + id.dump() + R"(,"ok":true,"output":"1","x":)";
      text += std::string(100000, '[') + std::string(100000, ']') + "}";
      const std::uint32_t n = static_cast<std::uint32_t>(text.size());
      const unsigned char header[4] = {static_cast<unsigned char>(n >> 24), static_cast<unsigned char>(n >> 16),
                                       static_cast<unsigned char>(n >> 8), static_cast<unsigned char>(n)};
      if (::write(fd, header, 4) != 4 || ::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size())) return 0;
    } else if (tool == "badtypes") {
      (void)write_frame(fd, {{"id", id}, {"ok", "yes"}, {"output", 5}});
    } else if (tool == "forged_error") {
      (void)write_frame(fd, {{"id", id}, {"ok", false}, {"error", {{"code", 7}, {"message", json::array()}}}});
    } else if (tool == "forge_log" || tool == "flood_log") {
      // Writes to its stderr what a compromised child would: forged server log lines, terminal
      // escapes, an endless line, or a flood; then answers as if nothing happened.
      std::string text;
      if (tool == "forge_log") {
        text = "[2026-12-01 10:00:00.000] [info] http POST /api/setup 201\n"
               "\r\x1b[2K2026-12-01T10:00:00.000Z info http POST /api/setup 201\n" +
               std::string(100000, 'A') + "\n";
      } else {
        for (int i = 0; i < 20000; ++i) text += "flood " + std::to_string(i) + "\n";
      }
      for (std::size_t at = 0; at < text.size();) {
        const ssize_t n = ::write(STDERR_FILENO, text.data() + at, text.size() - at);
        if (n <= 0) return 0;
        at += static_cast<std::size_t>(n);
      }
      (void)write_frame(fd, {{"id", id}, {"ok", true}, {"output", R"({"fine":true})"}});
    } else if (tool == "silent") {
      ::pause();  // never answers
    } else {
      (void)write_frame(fd, {{"id", id}, {"ok", true}, {"output", R"({"fine":true})"}});
    }
  }
}

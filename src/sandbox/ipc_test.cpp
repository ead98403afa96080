#include "sandbox/ipc.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

namespace weft::sandbox {
namespace {

struct Pipe {
  int fds[2];
  Pipe() { EXPECT_EQ(::pipe(fds), 0); }
  ~Pipe() {
    if (fds[0] >= 0) ::close(fds[0]);
    if (fds[1] >= 0) ::close(fds[1]);
  }
};

TEST(Ipc, RoundTripsFramesInOrder) {
  Pipe p;
  ASSERT_TRUE(write_frame(p.fds[1], {{"id", 1}, {"op", "call"}}).ok());
  ASSERT_TRUE(write_frame(p.fds[1], {{"id", 2}, {"s", "é\n\"x"}}).ok());
  auto a = read_frame(p.fds[0]);
  auto b = read_frame(p.fds[0]);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ((*a)["op"], "call");
  EXPECT_EQ((*b)["s"], "é\n\"x");
}

TEST(Ipc, HeaderIsBigEndianLength) {
  Pipe p;
  ASSERT_TRUE(write_frame(p.fds[1], 7).ok());
  unsigned char buf[5];
  ASSERT_EQ(::read(p.fds[0], buf, 5), 5);
  EXPECT_EQ(buf[0], 0);
  EXPECT_EQ(buf[3], 1);
  EXPECT_EQ(buf[4], '7');
}

TEST(Ipc, RefusesOversizedFramesBothWays) {
  Pipe p;
  auto w = write_frame(p.fds[1], std::string(100, 'x'), 10);
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().code, "ipc_frame_too_large");
  const unsigned char header[4] = {0x7f, 0, 0, 0};
  ASSERT_EQ(::write(p.fds[1], header, 4), 4);
  auto r = read_frame(p.fds[0]);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "ipc_frame_too_large");
}

TEST(Ipc, EofTimeoutAndGarbage) {
  {
    Pipe p;
    auto t = read_frame(p.fds[0], std::chrono::milliseconds(20));
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.error().code, "ipc_timeout");
    const unsigned char frame[6] = {0, 0, 0, 2, '{', '{'};
    ASSERT_EQ(::write(p.fds[1], frame, 6), 6);
    auto g = read_frame(p.fds[0]);
    ASSERT_FALSE(g.ok());
    EXPECT_EQ(g.error().code, "ipc_bad_frame");
    const unsigned char partial[5] = {0, 0, 0, 9, '['};
    ASSERT_EQ(::write(p.fds[1], partial, 5), 5);
    ::close(p.fds[1]);
    p.fds[1] = -1;
    auto e = read_frame(p.fds[0]);
    ASSERT_FALSE(e.ok());
    EXPECT_EQ(e.error().code, "ipc_closed");
  }
  {
    int sv[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    ::close(sv[1]);
    auto w = write_frame(sv[0], {{"a", 1}});  // no SIGPIPE
    ASSERT_FALSE(w.ok());
    EXPECT_EQ(w.error().code, "ipc_closed");
    ::close(sv[0]);
  }
}

}  // namespace
}  // namespace weft::sandbox

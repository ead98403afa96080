// net/address_policy.h — owns the rule for which IP addresses outbound requests may connect to
// when private addresses are refused (SSRF defence): loopback, private (RFC 1918, ULA),
// link-local, carrier-grade NAT, multicast, reserved, unspecified and documentation ranges are
// not public; IPv4-mapped and NAT64 IPv6 forms are judged by their embedded IPv4 address.
#pragma once

#include <sys/socket.h>

#include <string>

namespace weft::net {

// True when `addr` (AF_INET or AF_INET6) is a public unicast address. Other families: false.
bool is_public_address(const sockaddr* addr);

// The numeric form of `addr` ("127.0.0.1", "::1"), for error messages.
std::string address_text(const sockaddr* addr);

}  // namespace weft::net

// api/session_cookie.h — owns the session cookie: reading exactly one from a request and writing
// it (HttpOnly, SameSite=Lax, Path=/) on login and logout. Over HTTPS it is `__Host-weft_session`
// with Secure (the prefix makes browsers refuse it from a subdomain or over plain HTTP).
#pragma once

#include <string>

#include "core/clock.h"
#include "http/message.h"

namespace weft::api {

inline constexpr const char* kSessionCookie = "weft_session";
inline constexpr const char* kSecureSessionCookie = "__Host-weft_session";

// The cookie's value; "" when absent or when the request carries more than one (a cookie
// planted by a sibling domain must not be able to shadow the real one). `secure`: read only
// the __Host- name.
std::string session_token(const http::Request& req, bool secure);
// Set-Cookie value for a session lasting `max_age_ms`.
std::string session_cookie(const std::string& token, TimeMs max_age_ms, bool secure);
// Set-Cookie value that deletes the cookie.
std::string cleared_session_cookie(bool secure);

}  // namespace weft::api

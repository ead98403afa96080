// api/session_cookie.h — owns the `weft_session` cookie: reading it from a request and writing
// it (HttpOnly, SameSite=Lax, Path=/) on login and logout.
#pragma once

#include <httplib.h>

#include <string>

#include "core/clock.h"

namespace weft::api {

inline constexpr const char* kSessionCookie = "weft_session";

// The cookie's value, or "" when absent.
std::string session_token(const httplib::Request& req);
// Set-Cookie value for a session lasting `max_age_ms`.
std::string session_cookie(const std::string& token, TimeMs max_age_ms);
// Set-Cookie value that deletes the cookie.
std::string cleared_session_cookie();

}  // namespace weft::api

// api/http_json.h — owns the JSON edge of the HTTP API: error bodies {"error":{code,message,
// details}} with the status each error code maps to, and strict request-body parsing
// (content type, JSON object, known fields only). No route logic here.
#pragma once

#include "http/message.h"

#include <initializer_list>
#include <string>

#include "core/json.h"
#include "core/result.h"

namespace weft::api {

// HTTP status for an error code (400 invalid_*, 401, 403, 404 not_found, 409 conflict, 413, 415,
// 429 rate_limited, 500 for internal and unknown codes).
int status_for(const Error& error);

void send_json(http::Response& res, int status, const json& body);
// Sends the public form of `error` (internal errors are logged and masked).
void send_error(http::Response& res, const Error& error);
void send_error(http::Response& res, int status, const std::string& code, const std::string& message,
                json details = nullptr);

// The request body as a JSON object. Errors: unsupported_media_type (not application/json),
// invalid_json, invalid_input (not an object).
Result<json> read_object(const http::Request& req);
// invalid_input listing every field of `body` that is not in `allowed`.
Status only_fields(const json& body, std::initializer_list<const char*> allowed);
// A required string field, 1..max_len characters. invalid_input naming the field otherwise.
Result<std::string> required_string(const json& body, const char* field, std::size_t max_len = 1000);

}  // namespace weft::api

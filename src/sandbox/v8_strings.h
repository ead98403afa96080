// sandbox/v8_strings.h — owns the two string conversions every V8-facing file of the sandbox
// needs: a UTF-8 std::string_view into a V8 string, and any V8 value back into UTF-8 text.
// Internal to src/sandbox (the only module that includes V8 headers).
#pragma once

#include <string>
#include <string_view>

#include <v8.h>

namespace weft::sandbox {

inline v8::Local<v8::String> v8_str(v8::Isolate* isolate, std::string_view s) {
  return v8::String::NewFromUtf8(isolate, s.data(), v8::NewStringType::kNormal, static_cast<int>(s.size()))
      .ToLocalChecked();
}

// The value's string form; `fallback` when it has none (ToString threw, e.g. a Symbol).
inline std::string v8_utf8(v8::Isolate* isolate, v8::Local<v8::Value> value, std::string_view fallback) {
  v8::String::Utf8Value s(isolate, value);
  return *s ? std::string(*s, s.length()) : std::string(fallback);
}

}  // namespace weft::sandbox

#include "sandbox/isolate_globals.h"

#include "core/json.h"
#include "sandbox/ipc.h"
#include "sandbox/v8_strings.h"

#include <sys/random.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <thread>

namespace weft::sandbox {
namespace {

using Clock = CallState::Clock;

v8::Local<v8::String> str(v8::Isolate* isolate, std::string_view s) { return v8_str(isolate, s); }
std::string utf8(v8::Isolate* isolate, v8::Local<v8::Value> value) { return v8_utf8(isolate, value, ""); }

// V8 marks these results must-use; where failure only means a pending exception, it is seen
// by the caller's TryCatch.
template <typename T>
void discard(T&&) {}

// Log fields nest at most this deep (they travel inside IPC frames, which have a depth cap).
constexpr std::size_t kMaxFieldsDepth = 16;

CallState* state_of(const v8::FunctionCallbackInfo<v8::Value>& info) {
  return static_cast<CallState*>(info.Data().As<v8::External>()->Value());
}

void throw_type_error(v8::Isolate* isolate, std::string_view message) {
  isolate->ThrowException(v8::Exception::TypeError(str(isolate, message)));
}

// JSON text of a value, or its string form when it has no JSON form.
std::string describe(v8::Local<v8::Context> context, v8::Local<v8::Value> value) {
  v8::Isolate* isolate = context->GetIsolate();
  if (value->IsString()) return utf8(isolate, value);
  if (!value->IsObject() || value->IsFunction()) return utf8(isolate, value);
  v8::TryCatch tc(isolate);
  v8::Local<v8::String> json;
  if (v8::JSON::Stringify(context, value).ToLocal(&json)) return utf8(isolate, json);
  return utf8(isolate, value);
}

json fields_of(v8::Local<v8::Context> context, v8::Local<v8::Value> value, std::size_t max_bytes) {
  if (!value->IsObject()) return nullptr;
  v8::TryCatch tc(context->GetIsolate());
  v8::Local<v8::String> text;
  if (!v8::JSON::Stringify(context, value).ToLocal(&text)) return nullptr;
  if (static_cast<std::size_t>(text->Length()) > max_bytes) return json{{"truncated", true}};
  const std::string encoded = utf8(context->GetIsolate(), text);
  auto parsed = parse_json(encoded, kMaxFieldsDepth);
  if (!parsed.ok()) return is_too_deep(parsed.error()) ? json{{"truncated", true}} : json(nullptr);
  return parsed->is_object() ? std::move(parsed).take() : json(nullptr);
}

// Rejects a fetch promise with `error`, carrying the host's `code` both as e.code (for the
// tool) and in a private value bundle code cannot rewrite (for the step error).
void reject_with_code(v8::Local<v8::Context> context, CallState* state, v8::Local<v8::Promise::Resolver> resolver,
                      v8::Local<v8::Value> error, const std::string& code) {
  v8::Isolate* isolate = context->GetIsolate();
  auto obj = error.As<v8::Object>();
  discard(obj->Set(context, str(isolate, "code"), str(isolate, code)));
  discard(obj->SetPrivate(context, state->host_error_mark.Get(isolate), str(isolate, code)));
  discard(resolver->Reject(context, error));
}

// console.log/info/warn/error/debug(...args): one step-log line, arguments joined by spaces.
void console_write(const v8::FunctionCallbackInfo<v8::Value>& info, const char* level) {
  v8::Local<v8::Context> context = info.GetIsolate()->GetCurrentContext();
  std::string message;
  for (int i = 0; i < info.Length(); ++i) {
    if (i) message += ' ';
    message += describe(context, info[i]);
    if (message.size() > kMaxLogMessageBytes) break;
  }
  state_of(info)->log(level, std::move(message), nullptr);
}

// ctx.log(level, message, fields?)
void ctx_log(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  std::string level = info.Length() > 0 ? utf8(isolate, info[0]) : "info";
  if (level != "debug" && level != "info" && level != "warn" && level != "error") level = "info";
  std::string message = info.Length() > 1 ? describe(context, info[1]) : "";
  json fields = info.Length() > 2 ? fields_of(context, info[2], kMaxLogFieldsBytes) : json(nullptr);
  state_of(info)->log(level, std::move(message), fields);
}

// ctx.fetch(url, init?) → Promise<Response>. Only recorded here; the event loop asks the host.
void ctx_fetch(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  CallState* state = state_of(info);
  v8::Local<v8::Promise::Resolver> resolver;
  if (!v8::Promise::Resolver::New(context).ToLocal(&resolver)) return;
  info.GetReturnValue().Set(resolver->GetPromise());
  auto reject = [&](const char* code, const std::string& message) {
    reject_with_code(context, state, resolver, v8::Exception::TypeError(str(isolate, message)), code);
  };
  if (info.Length() < 1 || !info[0]->IsString()) return reject("invalid_request", "fetch(url, init): url must be a string");
  json request = {{"url", utf8(isolate, info[0])}, {"method", "GET"}, {"headers", json::object()}};
  if (info.Length() > 1 && info[1]->IsObject()) {
    auto init = info[1].As<v8::Object>();
    v8::Local<v8::Value> v;
    if (init->Get(context, str(isolate, "method")).ToLocal(&v) && v->IsString()) {
      std::string method = utf8(isolate, v);
      std::transform(method.begin(), method.end(), method.begin(), ::toupper);
      request["method"] = method;
    }
    if (init->Get(context, str(isolate, "headers")).ToLocal(&v) && v->IsObject()) {
      json headers = fields_of(context, v, 64 * 1024);
      if (!headers.is_object()) return reject("invalid_request", "fetch(url, init): init.headers must be an object of strings");
      for (auto& [name, value] : headers.items()) {
        if (!value.is_string()) return reject("invalid_request", "fetch(url, init): header '" + name + "' must be a string");
      }
      request["headers"] = headers;
    }
    if (init->Get(context, str(isolate, "body")).ToLocal(&v) && !v->IsNullOrUndefined()) {
      if (v->IsString()) {
        request["body"] = utf8(isolate, v);
      } else {
        request["body"] = describe(context, v);  // an object is sent as JSON
        bool has_type = false;
        for (auto& [name, value] : request["headers"].items()) {
          std::string lower = name;
          std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
          has_type = has_type || lower == "content-type";
        }
        if (!has_type) request["headers"]["content-type"] = "application/json";
      }
    }
    if (init->Get(context, str(isolate, "timeoutMs")).ToLocal(&v) && v->IsNumber()) {
      request["timeoutMs"] = std::max<double>(1, v.As<v8::Number>()->Value());
    }
  }
  if (state->host == nullptr) return reject("egress_denied", "fetch is not available here");
  if (++state->fetch_calls > kMaxFetchesPerCall) {
    return reject("egress_denied", "a call may make at most " + std::to_string(kMaxFetchesPerCall) + " fetches");
  }
  state->fetches.push_back({v8::Global<v8::Promise::Resolver>(isolate, resolver), std::move(request)});
}

// setTimeout / setInterval(callback, ms, ...args) → id.
void add_timer(const v8::FunctionCallbackInfo<v8::Value>& info, bool repeat) {
  v8::Isolate* isolate = info.GetIsolate();
  CallState* state = state_of(info);
  const std::string name = repeat ? "setInterval" : "setTimeout";
  if (info.Length() < 1 || !info[0]->IsFunction()) return throw_type_error(isolate, name + ": the callback must be a function");
  if (state->timers.size() >= kMaxTimersPerCall) {
    isolate->ThrowException(v8::Exception::RangeError(
        str(isolate, name + ": at most " + std::to_string(kMaxTimersPerCall) + " pending timers per call")));
    return;
  }
  if (info.Length() - 2 > kMaxTimerArguments) {
    isolate->ThrowException(v8::Exception::RangeError(
        str(isolate, name + ": at most " + std::to_string(kMaxTimerArguments) + " extra arguments")));
    return;
  }
  double delay = info.Length() > 1 && info[1]->IsNumber() ? info[1].As<v8::Number>()->Value() : 0;
  if (!(delay >= 0)) delay = 0;
  delay = std::min(delay, 2147483647.0);
  if (repeat) delay = std::max(delay, 1.0);  // an interval of 0 would spin until the deadline
  CallState::Timer timer;
  timer.id = state->next_timer_id++;
  const auto period = std::chrono::microseconds(static_cast<std::int64_t>(delay * 1000));
  timer.due = Clock::now() + period;
  if (repeat) timer.interval = period;
  timer.fn.Reset(isolate, info[0].As<v8::Function>());
  for (int i = 2; i < info.Length(); ++i) timer.args.emplace_back(isolate, info[i]);
  info.GetReturnValue().Set(static_cast<double>(timer.id));
  state->timers.push_back(std::move(timer));
}

void set_timeout(const v8::FunctionCallbackInfo<v8::Value>& info) { add_timer(info, false); }
void set_interval(const v8::FunctionCallbackInfo<v8::Value>& info) { add_timer(info, true); }

void clear_timeout(const v8::FunctionCallbackInfo<v8::Value>& info) {
  if (info.Length() < 1 || !info[0]->IsNumber()) return;
  const double id = info[0].As<v8::Number>()->Value();
  auto& timers = state_of(info)->timers;
  timers.erase(std::remove_if(timers.begin(), timers.end(), [&](const auto& t) { return double(t.id) == id; }),
               timers.end());
}

void queue_microtask(const v8::FunctionCallbackInfo<v8::Value>& info) {
  if (info.Length() < 1 || !info[0]->IsFunction()) {
    return throw_type_error(info.GetIsolate(), "queueMicrotask: the callback must be a function");
  }
  info.GetIsolate()->EnqueueMicrotask(info[0].As<v8::Function>());
}

void fill_random(void* data, std::size_t size) {
  auto* p = static_cast<unsigned char*>(data);
  while (size > 0) {
    const ssize_t n = ::getrandom(p, size, 0);
    if (n <= 0) continue;  // EINTR; the kernel's pool is ready long before a sandbox runs
    p += n;
    size -= static_cast<std::size_t>(n);
  }
}

void get_random_values(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  if (info.Length() < 1 || !info[0]->IsTypedArray() || info[0]->IsFloat32Array() || info[0]->IsFloat64Array()) {
    return throw_type_error(isolate, "crypto.getRandomValues: the argument must be an integer TypedArray");
  }
  auto view = info[0].As<v8::TypedArray>();
  if (view->ByteLength() > 65536) {
    isolate->ThrowException(v8::Exception::RangeError(
        str(isolate, "crypto.getRandomValues: at most 65536 bytes at a time (QuotaExceededError)")));
    return;
  }
  auto contents = view->Buffer()->GetBackingStore();
  fill_random(static_cast<unsigned char*>(contents->Data()) + view->ByteOffset(), view->ByteLength());
  info.GetReturnValue().Set(info[0]);
}

void random_uuid(const v8::FunctionCallbackInfo<v8::Value>& info) {
  unsigned char b[16];
  fill_random(b, sizeof b);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  char out[37];
  std::snprintf(out, sizeof out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
  info.GetReturnValue().Set(str(info.GetIsolate(), out));
}

// structuredClone(value) through V8's own serializer (the HTML structured clone algorithm).
void structured_clone(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::Value> value = info.Length() > 0 ? info[0] : v8::Undefined(isolate).As<v8::Value>();
  v8::ValueSerializer serializer(isolate);
  serializer.WriteHeader();
  if (!serializer.WriteValue(context, value).FromMaybe(false)) return;  // DataCloneError thrown
  std::pair<uint8_t*, size_t> data = serializer.Release();
  v8::Local<v8::Value> copy;
  {
    v8::ValueDeserializer deserializer(isolate, data.first, data.second);
    if (deserializer.ReadHeader(context).FromMaybe(false)) {
      discard(deserializer.ReadValue(context).ToLocal(&copy));
    }
  }
  std::free(data.first);
  if (!copy.IsEmpty()) info.GetReturnValue().Set(copy);
}

v8::Local<v8::FunctionTemplate> fn(v8::Isolate* isolate, v8::FunctionCallback callback, CallState* state,
                                   int length = 0) {
  return v8::FunctionTemplate::New(isolate, callback, v8::External::New(isolate, state), {}, length,
                                   v8::ConstructorBehavior::kThrow);
}

template <const char* Level>
void console_level(const v8::FunctionCallbackInfo<v8::Value>& info) {
  console_write(info, Level);
}
constexpr char kDebug[] = "debug";
constexpr char kInfo[] = "info";
constexpr char kWarn[] = "warn";
constexpr char kError[] = "error";

constexpr char kResponseFactory[] = R"js(
(function (parse, encoder) {
  "use strict";
  const freeze = Object.freeze;
  return function makeResponse(status, url, headers, body) {
    return freeze({
      status, ok: status >= 200 && status < 300, url, headers: freeze(headers),
      text: async () => body,
      json: async () => parse(body),
      arrayBuffer: async () => encoder ? encoder.encode(body).buffer : undefined,
    });
  };
})
)js";

}  // namespace

void add_native_globals(v8::Isolate* isolate, v8::Local<v8::ObjectTemplate> global, CallState* state) {
  const auto hidden = static_cast<v8::PropertyAttribute>(v8::DontEnum);
  global->Set(str(isolate, "setTimeout"), fn(isolate, &set_timeout, state, 1), hidden);
  global->Set(str(isolate, "clearTimeout"), fn(isolate, &clear_timeout, state, 1), hidden);
  global->Set(str(isolate, "setInterval"), fn(isolate, &set_interval, state, 1), hidden);
  global->Set(str(isolate, "clearInterval"), fn(isolate, &clear_timeout, state, 1), hidden);
  global->Set(str(isolate, "queueMicrotask"), fn(isolate, &queue_microtask, state, 1), hidden);
  global->Set(str(isolate, "structuredClone"), fn(isolate, &structured_clone, state, 1), hidden);

  auto crypto = v8::ObjectTemplate::New(isolate);
  crypto->Set(str(isolate, "getRandomValues"), fn(isolate, &get_random_values, state, 1));
  crypto->Set(str(isolate, "randomUUID"), fn(isolate, &random_uuid, state));
  global->Set(str(isolate, "crypto"), crypto, hidden);

}

bool init_context_helpers(v8::Local<v8::Context> context, CallState* state) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::TryCatch tc(isolate);
  state->host_error_mark.Reset(isolate, v8::Private::New(isolate, str(isolate, "weft.hostError")));
  v8::Local<v8::Function> log, fetch;
  if (!fn(isolate, &ctx_log, state, 3)->GetFunction(context).ToLocal(&log) ||
      !fn(isolate, &ctx_fetch, state, 2)->GetFunction(context).ToLocal(&fetch)) {
    return false;
  }
  discard(log->SetIntegrityLevel(context, v8::IntegrityLevel::kFrozen));
  discard(fetch->SetIntegrityLevel(context, v8::IntegrityLevel::kFrozen));
  state->ctx_log.Reset(isolate, log);
  // Their callbacks would run from GC tasks after a call, outside its deadline: not offered.
  for (const char* name : {"FinalizationRegistry", "WeakRef"}) {
    if (context->Global()->Delete(context, str(isolate, name)).IsNothing()) return false;
  }
  // V8 installs its own (inspector-only, silent) console while creating the context: replace it.
  auto console = v8::ObjectTemplate::New(isolate);
  console->Set(str(isolate, "log"), fn(isolate, &console_level<kInfo>, state));
  console->Set(str(isolate, "info"), fn(isolate, &console_level<kInfo>, state));
  console->Set(str(isolate, "debug"), fn(isolate, &console_level<kDebug>, state));
  console->Set(str(isolate, "warn"), fn(isolate, &console_level<kWarn>, state));
  console->Set(str(isolate, "error"), fn(isolate, &console_level<kError>, state));
  v8::Local<v8::Object> console_obj;
  if (!console->NewInstance(context).ToLocal(&console_obj) ||
      context->Global()
          ->DefineOwnProperty(context, str(isolate, "console"), console_obj, v8::DontEnum)
          .IsNothing()) {
    return false;
  }
  state->ctx_fetch.Reset(isolate, fetch);

  v8::Local<v8::Script> script;
  v8::Local<v8::Value> factory, response_fn;
  if (!v8::Script::Compile(context, str(isolate, kResponseFactory)).ToLocal(&script) ||
      !script->Run(context).ToLocal(&factory) || !factory->IsFunction()) {
    return false;
  }
  v8::Local<v8::Value> json_parse, encoder = v8::Undefined(isolate);
  v8::Local<v8::Value> json_obj, encoder_ctor;
  if (!context->Global()->Get(context, str(isolate, "JSON")).ToLocal(&json_obj) ||
      !json_obj.As<v8::Object>()->Get(context, str(isolate, "parse")).ToLocal(&json_parse)) {
    return false;
  }
  if (context->Global()->Get(context, str(isolate, "TextEncoder")).ToLocal(&encoder_ctor) &&
      encoder_ctor->IsFunction()) {
    v8::Local<v8::Object> instance;
    if (encoder_ctor.As<v8::Function>()->NewInstance(context).ToLocal(&instance)) encoder = instance;
  }
  v8::Local<v8::Value> args[] = {json_parse, encoder};
  if (!factory.As<v8::Function>()->Call(context, v8::Undefined(isolate), 2, args).ToLocal(&response_fn) ||
      !response_fn->IsFunction()) {
    return false;
  }
  state->make_response.Reset(isolate, response_fn.As<v8::Function>());
  return true;
}

v8::MaybeLocal<v8::Object> make_ctx(v8::Local<v8::Context> context, v8::Local<v8::Value> parsed, CallState* state) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::Local<v8::Object> ctx = parsed->IsObject() ? parsed.As<v8::Object>() : v8::Object::New(isolate);
  if (ctx->Set(context, str(isolate, "log"), state->ctx_log.Get(isolate)).IsNothing() ||
      ctx->Set(context, str(isolate, "fetch"), state->ctx_fetch.Get(isolate)).IsNothing()) {
    return {};
  }
  v8::Local<v8::Value> ids;
  if (ctx->Get(context, str(isolate, "ids")).ToLocal(&ids) && ids->IsObject()) {
    discard(ids.As<v8::Object>()->SetIntegrityLevel(context, v8::IntegrityLevel::kFrozen));
  }
  if (ctx->SetIntegrityLevel(context, v8::IntegrityLevel::kFrozen).IsNothing()) return {};
  return ctx;
}

bool settle_next_fetch(v8::Local<v8::Context> context, CallState* state) {
  if (state->fetches.empty()) return false;
  v8::Isolate* isolate = context->GetIsolate();
  CallState::PendingFetch pending = std::move(state->fetches.front());
  state->fetches.pop_front();
  v8::Local<v8::Promise::Resolver> resolver = pending.resolver.Get(isolate);

  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(state->deadline - Clock::now()).count();
  json request = std::move(pending.request);
  request["timeoutMs"] = std::max<std::int64_t>(1, std::min<std::int64_t>(request.value("timeoutMs", left), left));
  Result<json> answer = state->host != nullptr ? state->host->fetch(request)
                                                : Result<json>(Error::make("egress_denied", "fetch is not available here"));
  if (!answer.ok()) {
    reject_with_code(context, state, resolver, v8::Exception::Error(str(isolate, answer.error().message)),
                     answer.error().code);
    return true;
  }
  const json& r = *answer;
  v8::Local<v8::Object> headers = v8::Object::New(isolate);
  if (r.contains("headers") && r["headers"].is_object()) {
    for (auto& [name, value] : r["headers"].items()) {
      if (value.is_string()) discard(headers->Set(context, str(isolate, name), str(isolate, value.get<std::string>())));
    }
  }
  const std::string body = r.value("body", std::string());
  v8::Local<v8::Value> args[] = {v8::Number::New(isolate, r.value("status", 0)),
                                 str(isolate, r.value("url", request.value("url", std::string()))), headers,
                                 str(isolate, body)};
  v8::Local<v8::Value> response;
  if (!state->make_response.Get(isolate)->Call(context, v8::Undefined(isolate), 4, args).ToLocal(&response)) {
    return true;  // terminated or threw: the caller's TryCatch sees it
  }
  discard(resolver->Resolve(context, response));
  return true;
}

int run_next_timer(v8::Local<v8::Context> context, CallState* state) {
  if (state->timers.empty()) return 0;
  auto earliest = std::min_element(state->timers.begin(), state->timers.end(), [](const auto& a, const auto& b) {
    return a.due < b.due || (a.due == b.due && a.id < b.id);
  });
  if (earliest->due > state->deadline) return -1;
  CallState::Timer timer = std::move(*earliest);
  state->timers.erase(earliest);
  std::this_thread::sleep_until(timer.due);
  v8::Isolate* isolate = context->GetIsolate();
  std::vector<v8::Local<v8::Value>> args;
  for (auto& a : timer.args) args.push_back(a.Get(isolate));
  if (timer.interval.count() > 0) {
    // Re-armed before it runs, so clearInterval inside the callback removes the next one.
    CallState::Timer next;
    next.id = timer.id;
    next.due = timer.due + timer.interval;
    next.interval = timer.interval;
    next.fn.Reset(isolate, timer.fn.Get(isolate));
    for (auto& a : args) next.args.emplace_back(isolate, a);
    state->timers.push_back(std::move(next));
  }
  discard(timer.fn.Get(isolate)->Call(context, v8::Undefined(isolate), static_cast<int>(args.size()), args.data()));
  return 1;
}

}  // namespace weft::sandbox

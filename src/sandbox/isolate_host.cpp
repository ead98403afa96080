#include "sandbox/isolate_host.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <regex>
#include <thread>
#include <vector>

#include <node.h>
#include <uv.h>
#include <v8.h>

#include "sandbox/array_buffer_allocator.h"
#include "sandbox/call_state.h"
#include "sandbox/isolate_globals.h"
#include "sandbox/prelude.h"
#include "sandbox/v8_strings.h"
#include "sandbox/v8_platform.h"

namespace weft::sandbox {
namespace {

using Clock = std::chrono::steady_clock;

constexpr char kImportsRefused[] = "imports are not allowed; inline dependencies";

// Calls TerminateExecution on one isolate when an armed deadline passes. One thread per
// isolate; arming with a deadline no earlier than the one it already sleeps towards does not
// wake it, so a warm call costs two uncontended mutex round-trips.
class Watchdog {
 public:
  explicit Watchdog(v8::Isolate* isolate) : isolate_(isolate), thread_([this] { run(); }) {}
  ~Watchdog() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  void arm(Clock::time_point deadline) {
    bool wake = false;
    {
      std::lock_guard lock(mu_);
      deadline_ = deadline;
      armed_ = true;
      fired_ = false;
      wake = deadline < sleeping_until_;
    }
    if (wake) cv_.notify_one();
  }
  // Returns true when the deadline fired (TerminateExecution was requested) since arm().
  bool disarm() {
    std::lock_guard lock(mu_);
    armed_ = false;
    return fired_;
  }

 private:
  void run() {
    std::unique_lock lock(mu_);
    while (!stop_) {
      if (!armed_) {
        sleeping_until_ = Clock::time_point::max();
        cv_.wait(lock);
        continue;
      }
      if (Clock::now() >= deadline_) {
        isolate_->TerminateExecution();  // thread-safe by V8's contract
        fired_ = true;
        armed_ = false;
        continue;
      }
      sleeping_until_ = deadline_;
      cv_.wait_until(lock, deadline_);
    }
  }

  v8::Isolate* const isolate_;
  std::mutex mu_;
  std::condition_variable cv_;
  Clock::time_point deadline_{};
  Clock::time_point sleeping_until_ = Clock::time_point::max();
  bool armed_ = false;
  bool fired_ = false;
  bool stop_ = false;
  std::thread thread_;  // last: starts after the fields above exist
};

v8::Local<v8::String> str(v8::Isolate* isolate, std::string_view s) { return v8_str(isolate, s); }
std::string utf8(v8::Isolate* isolate, v8::Local<v8::Value> value) {
  return v8_utf8(isolate, value, "<unprintable>");
}

// The message (and name) of a thrown value: Error objects give .message/.name, anything else
// its string form.
Error thrown_error(v8::Isolate* isolate, v8::Local<v8::Context> context, std::string code,
                   std::string prefix, v8::Local<v8::Value> thrown) {
  v8::TryCatch inner(isolate);
  std::string message;
  nlohmann::json details = nullptr;
  if (thrown->IsObject()) {
    auto obj = thrown.As<v8::Object>();
    v8::Local<v8::Value> m, n;
    if (obj->Get(context, str(isolate, "message")).ToLocal(&m) && m->IsString()) {
      message = utf8(isolate, m);
      if (obj->Get(context, str(isolate, "name")).ToLocal(&n) && n->IsString()) {
        details = {{"name", utf8(isolate, n)}};
      }
    }
  }
  if (message.empty() && details.is_null()) message = utf8(isolate, thrown);
  return Error::make(std::move(code), prefix + message, std::move(details));
}

Error memory_limit_error() {
  return Error::make("memory_limit", "the bundle exceeded its memory limit; the isolate was discarded");
}

// The prelude's compiled code, shared by every isolate of the process (V8's code cache): the
// first context compiles prelude.js and caches it, after running it so that the functions it
// compiled are included; later contexts deserialize instead of parsing 58 KB of JavaScript.
class PreludeCache {
 public:
  // Returns a CachedData view of the cache (owned by this class), or null before it exists.
  v8::ScriptCompiler::CachedData* view() {
    std::lock_guard lock(mu_);
    if (bytes_.empty() || rejected_) return nullptr;
    return new v8::ScriptCompiler::CachedData(bytes_.data(), static_cast<int>(bytes_.size()),
                                              v8::ScriptCompiler::CachedData::BufferNotOwned);
  }
  void store(const v8::ScriptCompiler::CachedData* data) {
    std::lock_guard lock(mu_);
    if (data != nullptr && bytes_.empty()) bytes_.assign(data->data, data->data + data->length);
  }
  void reject() {
    std::lock_guard lock(mu_);
    rejected_ = true;
  }

 private:
  std::mutex mu_;
  std::vector<uint8_t> bytes_;
  bool rejected_ = false;
};

PreludeCache& prelude_cache() {
  static PreludeCache cache;
  return cache;
}

bool run_prelude(v8::Isolate* isolate, v8::Local<v8::Context> ctx) {
  v8::ScriptOrigin origin(isolate, str(isolate, "weft:prelude"));
  v8::ScriptCompiler::CachedData* cached = prelude_cache().view();
  v8::ScriptCompiler::Source source(str(isolate, prelude_source()), origin, cached);  // owns `cached`
  const auto options = cached ? v8::ScriptCompiler::kConsumeCodeCache : v8::ScriptCompiler::kNoCompileOptions;
  v8::Local<v8::Script> script;
  v8::Local<v8::Value> ignored;
  if (!v8::ScriptCompiler::Compile(ctx, &source, options).ToLocal(&script) || !script->Run(ctx).ToLocal(&ignored)) {
    return false;
  }
  if (cached && source.GetCachedData()->rejected) prelude_cache().reject();
  if (!cached) {
    std::unique_ptr<v8::ScriptCompiler::CachedData> made(v8::ScriptCompiler::CreateCodeCache(script->GetUnboundScript()));
    prelude_cache().store(made.get());
  }
  return true;
}

v8::MaybeLocal<v8::Module> refuse_import(v8::Local<v8::Context> context, v8::Local<v8::String>,
                                         v8::Local<v8::FixedArray>, v8::Local<v8::Module>) {
  v8::Isolate* isolate = context->GetIsolate();
  isolate->ThrowException(v8::Exception::Error(str(isolate, kImportsRefused)));
  return {};
}

}  // namespace

struct Isolate::Impl {
  IsolateLimits limits;
  std::unique_ptr<v8::ArrayBuffer::Allocator> allocator;
  uv_loop_t loop{};
  v8::Isolate* isolate = nullptr;
  std::unique_ptr<Watchdog> watchdog;
  v8::Global<v8::Context> context;
  v8::Global<v8::Private> vendor_mark;
  v8::Global<v8::Object> tools;
  std::string vendor_id;
  std::vector<std::string> tool_names;
  std::string module_name;  // the bundle's script name in stack frames
  std::atomic<bool> heap_limit_hit{false};
  CallState call_state;  // natives' view of the call in progress

  Impl() { uv_loop_init(&loop); }
  ~Impl();

  Status load_module(std::string_view name, std::string_view source);
  Result<std::string> invoke(v8::Local<v8::Context> context, v8::TryCatch& tc, std::string_view tool,
                             std::string_view input_json, std::string_view ctx_json);
  // Runs microtasks, host fetches and timers until `promise` settles or nothing can settle it.
  Status drive(v8::Local<v8::Context> context, v8::TryCatch& tc, v8::Local<v8::Promise> promise);
  // The step error for a thrown or rejected value: a host error (fetch) keeps its own code.
  Error tool_failure(v8::Local<v8::Context> context, v8::Local<v8::Value> thrown);
  Result<std::string> serialise(v8::Local<v8::Context> context, v8::TryCatch& tc,
                                v8::Local<v8::Value> value);

  // Runs `body` under the watchdog and turns termination into timeout / memory_limit.
  template <typename T, typename F>
  Result<T> guarded(Clock::time_point deadline, F&& body);

  static size_t near_heap_limit(void* data, size_t current_limit, size_t initial_limit);
  static void define_vendor(const v8::FunctionCallbackInfo<v8::Value>& info);
};

Isolate::Impl::~Impl() {
  watchdog.reset();
  if (isolate != nullptr) {
    {
      v8::Locker locker(isolate);
      tools.Reset();
      vendor_mark.Reset();
      call_state = CallState{};
      context.Reset();
    }
    node::MultiIsolatePlatform& platform = v8_platform();
    bool finished = false;
    platform.AddIsolateFinishedCallback(
        isolate, [](void* done) { *static_cast<bool*>(done) = true; }, &finished);
    platform.UnregisterIsolate(isolate);
    isolate->Dispose();
    while (!finished) uv_run(&loop, UV_RUN_ONCE);
  }
  uv_loop_close(&loop);
}

// V8 is about to hit the heap cap: stop the script and mark the isolate dead. The returned,
// raised limit only gives V8 room to unwind; the isolate never runs bundle code again.
size_t Isolate::Impl::near_heap_limit(void* data, size_t current_limit, size_t) {
  auto* self = static_cast<Impl*>(data);
  self->heap_limit_hit.store(true);
  self->isolate->TerminateExecution();
  return current_limit + std::max<size_t>(current_limit, 16u << 20);
}

// defineVendor(spec): checks the spec's shape and marks it (with a private symbol bundle code
// cannot forge) as the vendor the host accepts as the module's default export.
void Isolate::Impl::define_vendor(const v8::FunctionCallbackInfo<v8::Value>& info) {
  auto* self = static_cast<Impl*>(info.Data().As<v8::External>()->Value());
  v8::Isolate* isolate = info.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  auto fail = [&](const char* message) {
    isolate->ThrowException(v8::Exception::TypeError(str(isolate, message)));
  };
  if (info.Length() < 1 || !info[0]->IsObject()) return fail("defineVendor(spec): spec must be an object");
  auto spec = info[0].As<v8::Object>();
  v8::Local<v8::Value> id, tools;
  if (!spec->Get(context, str(isolate, "id")).ToLocal(&id)) return;
  static const std::regex kVendorId("^[a-z][a-z0-9-]*$");
  if (!id->IsString() || !std::regex_match(utf8(isolate, id), kVendorId)) {
    return fail("defineVendor(spec): spec.id must match /^[a-z][a-z0-9-]*$/");
  }
  if (!spec->Get(context, str(isolate, "tools")).ToLocal(&tools)) return;
  if (!tools->IsObject()) return fail("defineVendor(spec): spec.tools must be an object");
  v8::Local<v8::Array> names;
  if (!tools.As<v8::Object>()->GetOwnPropertyNames(context).ToLocal(&names)) return;
  for (uint32_t i = 0; i < names->Length(); ++i) {
    v8::Local<v8::Value> name, fn;
    if (!names->Get(context, i).ToLocal(&name)) return;
    if (!tools.As<v8::Object>()->Get(context, name).ToLocal(&fn)) return;
    if (!fn->IsFunction()) return fail("defineVendor(spec): every spec.tools entry must be a function");
  }
  if (spec->SetPrivate(context, self->vendor_mark.Get(isolate), v8::True(isolate)).IsNothing()) return;
  info.GetReturnValue().Set(spec);
}

template <typename T, typename F>
Result<T> Isolate::Impl::guarded(Clock::time_point deadline, F&& body) {
  watchdog->arm(deadline);
  Result<T> result = body();
  const bool fired = watchdog->disarm();
  if (heap_limit_hit.load()) return memory_limit_error();
  if (fired) {
    isolate->CancelTerminateExecution();
    return Error::make("timeout", "the bundle did not finish before its deadline");
  }
  if (!result.ok() && result.error().code == "terminated") {
    return Error::internal("the isolate was terminated for an unknown reason");
  }
  return result;
}

Status Isolate::Impl::load_module(std::string_view name, std::string_view source) {
  module_name = std::string(name);
  v8::Locker locker(isolate);
  v8::Isolate::Scope isolate_scope(isolate);
  v8::HandleScope handles(isolate);

  vendor_mark.Reset(isolate, v8::Private::New(isolate, str(isolate, "weft.vendor")));
  auto global = v8::ObjectTemplate::New(isolate);
  global->Set(isolate, "defineVendor",
              v8::FunctionTemplate::New(isolate, &define_vendor, v8::External::New(isolate, this)));
  add_native_globals(isolate, global, &call_state);
  v8::Local<v8::Context> ctx = v8::Context::New(isolate, nullptr, global);
  ctx->AllowCodeGenerationFromStrings(false);
  context.Reset(isolate, ctx);
  v8::Context::Scope context_scope(ctx);
  v8::TryCatch tc(isolate);

  auto load_failed = [&](std::string message, nlohmann::json details = nullptr) {
    return Error::make("bundle_load_failed", std::move(message), std::move(details));
  };
  auto thrown = [&](const char* prefix) {
    if (tc.HasTerminated() || !tc.HasCaught()) return load_failed(std::string(prefix) + "terminated");
    Error e = thrown_error(isolate, ctx, "bundle_load_failed", prefix, tc.Exception());
    v8::Local<v8::Message> m = tc.Message();
    if (!m.IsEmpty()) {
      int line = m->GetLineNumber(ctx).FromMaybe(0);
      if (!e.details.is_object()) e.details = nlohmann::json::object();
      e.details["line"] = line;
    }
    return e;
  };

  Result<std::monostate> loaded = guarded<std::monostate>(
      Clock::now() + limits.load_timeout, [&]() -> Result<std::monostate> {
    {
      if (!run_prelude(isolate, ctx)) return thrown("the sandbox prelude failed: ");
      if (!init_context_helpers(ctx, &call_state)) return load_failed("the sandbox's ctx helpers failed to start");
    }
    v8::ScriptOrigin origin(isolate, str(isolate, name), 0, 0, false, -1, v8::Local<v8::Value>(),
                            false, false, /*is_module=*/true);
    v8::ScriptCompiler::Source src(str(isolate, source), origin);
    v8::Local<v8::Module> module;
    if (!v8::ScriptCompiler::CompileModule(isolate, &src).ToLocal(&module)) {
      return thrown("cannot compile the bundle: ");
    }
    v8::Local<v8::FixedArray> requests = module->GetModuleRequests();
    if (requests->Length() > 0) {
      auto request = requests->Get(ctx, 0).As<v8::ModuleRequest>();
      return load_failed(kImportsRefused, {{"specifier", utf8(isolate, request->GetSpecifier())}});
    }
    if (!module->InstantiateModule(ctx, &refuse_import).FromMaybe(false)) {
      return thrown("cannot link the bundle: ");
    }
    v8::Local<v8::Value> evaluated;
    if (!module->Evaluate(ctx).ToLocal(&evaluated)) return thrown("the bundle threw: ");
    isolate->PerformMicrotaskCheckpoint();
    if (tc.HasTerminated()) return load_failed("terminated");
    if (module->GetStatus() == v8::Module::kErrored) {
      return thrown_error(isolate, ctx, "bundle_load_failed", "the bundle threw: ", module->GetException());
    }
    if (evaluated->IsPromise() && evaluated.As<v8::Promise>()->State() == v8::Promise::kPending) {
      return load_failed("the bundle's top-level await never settled");
    }
    v8::Local<v8::Value> def;
    auto ns = module->GetModuleNamespace().As<v8::Object>();
    if (!ns->Get(ctx, str(isolate, "default")).ToLocal(&def)) return thrown("the bundle threw: ");
    if (!def->IsObject() ||
        !def.As<v8::Object>()->HasPrivate(ctx, vendor_mark.Get(isolate)).FromMaybe(false)) {
      return load_failed("the bundle's default export must be defineVendor({ id, tools })");
    }
    v8::Local<v8::Value> id, tool_table;
    if (!def.As<v8::Object>()->Get(ctx, str(isolate, "id")).ToLocal(&id) ||
        !def.As<v8::Object>()->Get(ctx, str(isolate, "tools")).ToLocal(&tool_table) ||
        !tool_table->IsObject()) {
      return load_failed("the bundle's vendor lost its id or tools");
    }
    vendor_id = utf8(isolate, id);
    tools.Reset(isolate, tool_table.As<v8::Object>());
    v8::Local<v8::Array> names;
    if (tool_table.As<v8::Object>()->GetOwnPropertyNames(ctx).ToLocal(&names)) {
      for (uint32_t i = 0; i < names->Length(); ++i) {
        v8::Local<v8::Value> name;
        if (names->Get(ctx, i).ToLocal(&name)) tool_names.push_back(utf8(isolate, name));
      }
    }
    return std::monostate{};
  });
  if (!loaded.ok()) return loaded.error();
  return {};
}

Result<std::string> Isolate::Impl::serialise(v8::Local<v8::Context> ctx, v8::TryCatch& tc,
                                             v8::Local<v8::Value> value) {
  auto invalid = [](std::string message) { return Error::make("invalid_output", std::move(message)); };
  if (value->IsUndefined() || value->IsFunction() || value->IsSymbol()) {
    return invalid("the tool must return a JSON value (object, array, string, number, boolean or null)");
  }
  v8::Local<v8::String> json;
  if (!v8::JSON::Stringify(ctx, value).ToLocal(&json)) {
    if (tc.HasTerminated()) return invalid("terminated");
    Error e = thrown_error(isolate, ctx, "invalid_output", "the tool's output is not JSON: ", tc.Exception());
    tc.Reset();
    return e;
  }
  const size_t length = static_cast<size_t>(json->Utf8Length(isolate));
  if (length > limits.max_output_bytes) {
    return Error::make("invalid_output", "the tool's output is larger than the output cap",
                       {{"bytes", length}, {"limit", limits.max_output_bytes}});
  }
  std::string out(length, '\0');
  json->WriteUtf8(isolate, out.data(), static_cast<int>(length), nullptr,
                  v8::String::NO_NULL_TERMINATION);
  if (out == "undefined") return invalid("the tool's output serialises to nothing");
  return out;
}

Result<std::string> Isolate::Impl::invoke(v8::Local<v8::Context> ctx, v8::TryCatch& tc,
                                          std::string_view tool, std::string_view input_json,
                                          std::string_view ctx_json) {
  v8::Local<v8::Object> table = tools.Get(isolate);
  v8::Local<v8::String> key = str(isolate, tool);
  v8::Local<v8::Value> fn;
  if (!table->HasOwnProperty(ctx, key).FromMaybe(false) || !table->Get(ctx, key).ToLocal(&fn) ||
      !fn->IsFunction()) {
    tc.Reset();
    return Error::make("tool_not_found", "vendor " + vendor_id + " has no tool " + std::string(tool));
  }
  v8::Local<v8::Value> args[2];
  v8::Local<v8::Value> parsed_ctx;
  v8::Local<v8::Object> call_ctx;
  if (!v8::JSON::Parse(ctx, str(isolate, input_json)).ToLocal(&args[0]) ||
      !v8::JSON::Parse(ctx, str(isolate, ctx_json)).ToLocal(&parsed_ctx) ||
      !make_ctx(ctx, parsed_ctx, &call_state).ToLocal(&call_ctx)) {
    tc.Reset();
    return Error::make("invalid_input", "the tool input or ctx is not JSON");
  }
  args[1] = call_ctx;
  v8::Local<v8::Value> returned;
  if (!fn.As<v8::Function>()->Call(ctx, v8::Undefined(isolate), 2, args).ToLocal(&returned)) {
    if (tc.HasTerminated()) return Error::make("terminated", "terminated");
    return tool_failure(ctx, tc.Exception());
  }
  if (returned->IsPromise()) {
    auto promise = returned.As<v8::Promise>();
    WEFT_TRY(drive(ctx, tc, promise));
    if (promise->State() == v8::Promise::kRejected) return tool_failure(ctx, promise->Result());
    returned = promise->Result();
  } else {
    isolate->PerformMicrotaskCheckpoint();
    if (tc.HasTerminated() || isolate->IsExecutionTerminating()) return Error::make("terminated", "terminated");
  }
  return serialise(ctx, tc, returned);
}

Error Isolate::Impl::tool_failure(v8::Local<v8::Context> ctx, v8::Local<v8::Value> thrown) {
  Error e = thrown_error(isolate, ctx, "tool_error", "", thrown);
  // The stack, trimmed to the bundle's own frames (no prelude or host frames).
  v8::Local<v8::StackTrace> trace = v8::Exception::GetStackTrace(thrown);
  if (!trace.IsEmpty()) {
    std::string stack;
    for (int i = 0; i < trace->GetFrameCount() && i < 32; ++i) {
      v8::Local<v8::StackFrame> frame = trace->GetFrame(isolate, i);
      v8::Local<v8::String> script = frame->GetScriptName();
      if (script.IsEmpty() || utf8(isolate, script) != module_name) continue;
      v8::Local<v8::String> fn = frame->GetFunctionName();
      const std::string name = fn.IsEmpty() || fn->Length() == 0 ? "<anonymous>" : utf8(isolate, fn);
      stack += "    at " + name + " (" + module_name + ":" + std::to_string(frame->GetLineNumber()) + ":" +
               std::to_string(frame->GetColumn()) + ")\n";
    }
    if (!stack.empty()) {
      stack.pop_back();
      if (!e.details.is_object()) e.details = nlohmann::json::object();
      e.details["stack"] = stack;
    }
  }
  // A fetch error keeps the code the host gave it (a private value: a tool cannot forge
  // memory_limit or any other code by editing e.code).
  v8::Local<v8::Value> host_code;
  if (thrown->IsObject() &&
      thrown.As<v8::Object>()->GetPrivate(ctx, call_state.host_error_mark.Get(isolate)).ToLocal(&host_code) &&
      host_code->IsString()) {
    e.code = utf8(isolate, host_code);
    e.details = nullptr;
  }
  return e;
}

Status Isolate::Impl::drive(v8::Local<v8::Context> ctx, v8::TryCatch& tc, v8::Local<v8::Promise> promise) {
  auto terminated = [&] { return tc.HasTerminated() || isolate->IsExecutionTerminating(); };
  for (;;) {
    isolate->PerformMicrotaskCheckpoint();
    if (terminated()) return Error::make("terminated", "terminated");
    if (promise->State() != v8::Promise::kPending) return {};
    if (settle_next_fetch(ctx, &call_state)) {
      if (terminated()) return Error::make("terminated", "terminated");
      continue;
    }
    const int timer = run_next_timer(ctx, &call_state);
    if (terminated()) return Error::make("terminated", "terminated");
    if (tc.HasCaught()) {
      Error e = tool_failure(ctx, tc.Exception());
      e.message = "a setTimeout callback threw: " + e.message;
      return e;
    }
    if (timer == 1) continue;
    if (timer == -1) return Error::make("timeout", "the tool waits on a timer set to fire after its deadline");
    // Nothing outside the isolate can settle it (no fetch or timer is pending): it never will.
    return Error::make("timeout", "the tool's promise never settled (nothing it waits on is pending)");
  }
}

Result<std::unique_ptr<Isolate>> Isolate::load(std::string_view name, std::string_view module_source,
                                               const IsolateLimits& limits) {
  node::MultiIsolatePlatform& platform = v8_platform();
  auto impl = std::make_unique<Impl>();
  impl->limits = limits;
  impl->allocator = make_capped_allocator(limits.array_buffer_bytes);

  v8::Isolate::CreateParams params;
  params.array_buffer_allocator = impl->allocator.get();
  params.constraints.ConfigureDefaultsFromHeapSize(0, limits.heap_bytes);
  params.constraints.set_code_range_size_in_bytes(limits.code_range_bytes);
  v8::Isolate* isolate = v8::Isolate::Allocate();
  platform.RegisterIsolate(isolate, &impl->loop);  // before Initialize (node.h)
  v8::Isolate::Initialize(isolate, params);
  impl->isolate = isolate;
  isolate->AddNearHeapLimitCallback(&Impl::near_heap_limit, impl.get());
  isolate->SetMicrotasksPolicy(v8::MicrotasksPolicy::kExplicit);
  isolate->SetCaptureStackTraceForUncaughtExceptions(true, 16);  // Error objects keep frames
  impl->watchdog = std::make_unique<Watchdog>(isolate);

  std::unique_ptr<Isolate> self(new Isolate(std::move(impl)));
  WEFT_TRY(self->impl_->load_module(name, module_source));
  return self;
}

Isolate::Isolate(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Isolate::~Isolate() = default;

const std::string& Isolate::vendor_id() const { return impl_->vendor_id; }
const std::vector<std::string>& Isolate::tool_names() const { return impl_->tool_names; }
bool Isolate::dead() const { return impl_->heap_limit_hit.load(); }

Result<std::string> Isolate::call(std::string_view tool, std::string_view input_json,
                                  std::string_view ctx_json, std::chrono::milliseconds timeout, HostCalls* host) {
  Impl& m = *impl_;
  if (m.heap_limit_hit.load()) return memory_limit_error();
  v8::Isolate* isolate = m.isolate;
  v8::Locker locker(isolate);
  v8::Isolate::Scope isolate_scope(isolate);
  Result<std::string> result = [&] {
    v8::HandleScope handles(isolate);
    v8::Local<v8::Context> ctx = m.context.Get(isolate);
    v8::Context::Scope context_scope(ctx);
    v8::TryCatch tc(isolate);
    const auto deadline = Clock::now() + timeout;
    m.call_state.begin(host, deadline);
    auto out = m.guarded<std::string>(deadline, [&] { return m.invoke(ctx, tc, tool, input_json, ctx_json); });
    m.call_state.end();
    return out;
  }();
  // Outside any context: lets the platform run the GC tasks V8 posted for this isolate.
  if (!m.heap_limit_hit.load()) v8_platform().FlushForegroundTasks(isolate);
  return result;
}

}  // namespace weft::sandbox

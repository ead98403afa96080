// sandbox/isolate_globals.h — owns the globals a bundle sees besides ECMAScript's own and the
// prelude's (prelude.js: TextEncoder/Decoder, URL, atob/btoa): console, crypto
// (getRandomValues, randomUUID), structuredClone, queueMicrotask, setTimeout/clearTimeout, setInterval/clearInterval, and
// the per-call ctx object with log and fetch. Natives only; no require, process or I/O.
#pragma once

#include <v8.h>

#include "sandbox/call_state.h"

namespace weft::sandbox {

// Adds the native globals to a context's global template. `state` must outlive the context.
void add_native_globals(v8::Isolate* isolate, v8::Local<v8::ObjectTemplate> global, CallState* state);

// Runs once in a fresh context, after the prelude and before the bundle: builds the frozen
// ctx.log / ctx.fetch functions and the Response factory into `state`. False on failure.
bool init_context_helpers(v8::Local<v8::Context> context, CallState* state);

// A call's ctx: the parsed JSON ctx ({auth, ids, idempotencyKey}) plus log and fetch, frozen
// (ids too), so nothing a tool does to it survives into the next call.
v8::MaybeLocal<v8::Object> make_ctx(v8::Local<v8::Context> context, v8::Local<v8::Value> parsed, CallState* state);

// Settles the oldest pending fetch by asking the host (blocking). Returns false if none.
bool settle_next_fetch(v8::Local<v8::Context> context, CallState* state);

// Runs the earliest timer if it is due by the deadline (sleeping until then). Returns:
// 1 ran one, 0 no timers, -1 the earliest fires after the deadline. A throwing callback's
// exception is left in the caller's TryCatch.
int run_next_timer(v8::Local<v8::Context> context, CallState* state);

}  // namespace weft::sandbox

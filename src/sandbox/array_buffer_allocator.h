// sandbox/array_buffer_allocator.h — owns the capped ArrayBuffer allocator each isolate uses.
// ArrayBuffer memory lives outside the V8 heap, so the heap cap does not bound it; this does.
// Compiled with -fno-rtti (it subclasses a V8 type and libnode is built without RTTI).
#pragma once

#include <cstddef>
#include <memory>

#include <v8-array-buffer.h>

namespace weft::sandbox {

// A new allocator refusing (nullptr → RangeError in JS) any allocation that would take the
// total of live ArrayBuffer bytes past `cap_bytes`. The caller owns it; it must outlive the
// isolate using it. Thread-safe (V8 may free from GC threads).
std::unique_ptr<v8::ArrayBuffer::Allocator> make_capped_allocator(std::size_t cap_bytes);

}  // namespace weft::sandbox

// Compiled with -fno-rtti: see array_buffer_allocator.h.
#include "sandbox/array_buffer_allocator.h"

#include <atomic>
#include <cstdlib>
#include <cstring>

namespace weft::sandbox {
namespace {

class CappedAllocator final : public v8::ArrayBuffer::Allocator {
 public:
  explicit CappedAllocator(std::size_t cap) : cap_(cap) {}

  void* Allocate(std::size_t length) override {
    if (!reserve(length)) return nullptr;
    void* p = std::calloc(length == 0 ? 1 : length, 1);
    if (p == nullptr) release(length);
    return p;
  }
  void* AllocateUninitialized(std::size_t length) override {
    if (!reserve(length)) return nullptr;
    void* p = std::malloc(length == 0 ? 1 : length);
    if (p == nullptr) release(length);
    return p;
  }
  void Free(void* data, std::size_t length) override {
    if (data == nullptr) return;
    std::free(data);
    release(length);
  }

 private:
  bool reserve(std::size_t length) {
    std::size_t used = used_.load(std::memory_order_relaxed);
    do {
      if (length > cap_ || used > cap_ - length) return false;
    } while (!used_.compare_exchange_weak(used, used + length, std::memory_order_relaxed));
    return true;
  }
  void release(std::size_t length) { used_.fetch_sub(length, std::memory_order_relaxed); }

  const std::size_t cap_;
  std::atomic<std::size_t> used_{0};
};

}  // namespace

std::unique_ptr<v8::ArrayBuffer::Allocator> make_capped_allocator(std::size_t cap_bytes) {
  return std::make_unique<CappedAllocator>(cap_bytes);
}

}  // namespace weft::sandbox

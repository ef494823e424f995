#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sm {

// FNV-1a, 64 bit: a stable content fingerprint (list and rules versions, alert ids). Not cryptographic.
class Fnv1a64 {
 public:
  void update(std::string_view bytes) {
    for (const char c : bytes) {
      state_ ^= static_cast<unsigned char>(c);
      state_ *= 0x100000001b3ULL;
    }
  }
  std::uint64_t digest() const { return state_; }
  // 16 lower-case hex digits.
  std::string hex() const {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out(16, '0');
    std::uint64_t v = state_;
    for (int i = 15; i >= 0; --i, v >>= 4) out[static_cast<std::size_t>(i)] = kDigits[v & 0xF];
    return out;
  }

 private:
  std::uint64_t state_ = 0xcbf29ce484222325ULL;
};

inline std::string fnv1a64_hex(std::string_view bytes) {
  Fnv1a64 h;
  h.update(bytes);
  return h.hex();
}

}  // namespace sm

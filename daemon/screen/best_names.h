#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace sm::screen {

// A candidate name and its rank value (the weighted overlap of its tokens with the query's).
struct RankedName {
  float value = 0.0F;
  std::uint32_t name = 0;
};

// Whether a ranks before b: rank value descending, then name ascending (a strict total order, so "the k best"
// is one set whatever the order in which names are offered).
inline bool outranks(const RankedName& a, const RankedName& b) {
  return a.value != b.value ? a.value > b.value : a.name < b.name;
}

// The k best names offered so far (k at most kCapacity), kept sorted best first: the same names, in the same
// order, as std::nth_element then std::sort of everything offered under outranks(), without their
// branches over all of it (a name below the k-th best is turned away by one comparison, and in the order the
// index finds names most are).
class BestNames {
 public:
  static constexpr std::size_t kCapacity = 64;

  explicit BestNames(std::size_t k) : k_(k < kCapacity ? k : kCapacity) {}

  void offer(float value, std::uint32_t name) {
    const RankedName x{value, name};
    if (size_ == k_) {
      if (k_ == 0 || !outranks(x, best_[size_ - 1])) return;
      --size_;  // The k-th best leaves.
    }
    std::size_t at = size_++;
    for (; at > 0 && outranks(x, best_[at - 1]); --at) best_[at] = best_[at - 1];
    best_[at] = x;
  }

  // Best first; at most k.
  std::span<const RankedName> best() const { return {best_.data(), size_}; }
  std::size_t size() const { return size_; }
  bool full() const { return size_ == k_; }
  // The k-th best's rank value: the k-th largest rank value offered (when full()).
  float last_value() const { return best_[size_ - 1].value; }

 private:
  std::size_t k_;
  std::size_t size_ = 0;
  std::array<RankedName, kCapacity> best_{};
};

}  // namespace sm::screen

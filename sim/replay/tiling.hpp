// How an op's traffic is cut into tiles: a ramp that starts at `first` bytes and doubles up to
// `chunk`, then tiles of `chunk`. A kernel starts computing as soon as its first small wave
// of loads lands, so the ramp keeps the exposed start-up read short while big steady-state
// tiles keep the work per op low. Every quantity (bytes of each stream, compute time, energy)
// is split in proportion to the traffic, conserving totals exactly.
#pragma once
#include <algorithm>
#include <cstdint>

namespace infersim::replay {

class Tiling {
public:
    Tiling() = default;
    Tiling(std::uint64_t traffic, std::uint64_t chunk, std::uint64_t first) : traffic_(traffic) {
        chunk_ = std::max<std::uint64_t>(1, chunk);
        first_ = std::clamp<std::uint64_t>(first, 1, chunk_);
        while (ramp_tiles_ < 62 && (first_ << ramp_tiles_) < chunk_ && ramp_bytes_ < traffic_) {
            ramp_bytes_ += first_ << ramp_tiles_;
            ++ramp_tiles_;
        }
        if (traffic_ == 0) count_ = 1;
        else if (ramp_bytes_ >= traffic_) count_ = ramp_tiles_;
        else count_ = ramp_tiles_ + (traffic_ - ramp_bytes_ + chunk_ - 1) / chunk_;
    }

    std::uint64_t count() const { return count_; }
    /// Traffic before tile t (t = count() gives the total).
    std::uint64_t begin(std::uint64_t t) const {
        if (traffic_ == 0) return 0;
        std::uint64_t b = t <= ramp_tiles_ ? first_ * ((1ULL << t) - 1) : ramp_bytes_ + (t - ramp_tiles_) * chunk_;
        return std::min(b, traffic_);
    }
    /// The part of `total` that precedes tile t.
    std::uint64_t part(std::uint64_t total, std::uint64_t t) const {
        if (t >= count_) return total;
        if (traffic_ == 0) return 0;
        // The same integer either way; the 64-bit division when the product fits is much
        // cheaper than the 128-bit one (a library call).
        const std::uint64_t b = begin(t);
        std::uint64_t product = 0;
        if (!__builtin_mul_overflow(total, b, &product)) return product / traffic_;
        return static_cast<std::uint64_t>(static_cast<unsigned __int128>(total) * b / traffic_);
    }
    /// The share of `total` in tile t.
    std::uint64_t slice(std::uint64_t total, std::uint64_t t) const { return part(total, t + 1) - part(total, t); }
    /// The fraction of the op done after tile t.
    double done_after(std::uint64_t t) const {
        if (t + 1 >= count_ || traffic_ == 0) return 1.0;
        return static_cast<double>(begin(t + 1)) / static_cast<double>(traffic_);
    }

private:
    std::uint64_t traffic_ = 0, chunk_ = 1, first_ = 1;
    std::uint64_t ramp_tiles_ = 0, ramp_bytes_ = 0, count_ = 1;
};

}  // namespace infersim::replay

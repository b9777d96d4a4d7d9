// Address interleave and fan-out over channels.
#include "hardware/memory_pool.hpp"

#include <algorithm>

namespace infersim::hw {

MemoryPool::MemoryPool(const config::PoolSpec& spec, std::uint32_t id, ActivitySink& sink)
    : spec_(spec), id_(id), sink_(sink), timing_(ChannelTiming::from(spec)),
      granule_(std::max<std::uint64_t>(1, static_cast<std::uint64_t>(spec.interleave_bytes))) {
    channels_.reserve(static_cast<std::size_t>(spec.channels));
    // Controllers stagger refresh across channels so the pool never pauses as a whole.
    for (int c = 0; c < spec.channels; ++c)
        channels_.emplace_back(timing_, timing_.refresh_period_ps * c / spec.channels);
}

std::uint64_t MemoryPool::share(std::size_t c, std::uint64_t address, std::uint64_t bytes) const {
    const std::uint64_t n = channels_.size();
    const std::uint64_t stripe = granule_ * n;
    // Count the bytes of [address, address + bytes) that fall in channel c's granules.
    auto upto = [&](std::uint64_t end) {  // bytes of [0, end) on channel c
        std::uint64_t full = end / stripe;
        std::uint64_t rem = end % stripe;
        std::uint64_t lo = c * granule_;
        std::uint64_t part = rem > lo ? std::min(rem - lo, granule_) : 0;
        return full * granule_ + part;
    };
    return upto(address + bytes) - upto(address);
}

Tick MemoryPool::access(Tick arrival, std::uint64_t address, std::uint64_t bytes, bool write) {
    Tick done = arrival;
    for (std::size_t c = 0; c < channels_.size(); ++c) {
        std::uint64_t b = share(c, address, bytes);
        if (b == 0) continue;
        Tick start = 0;
        Tick end = channels_[c].serve(arrival, b, write, &start);
        sink_.channel_busy(id_, static_cast<std::uint32_t>(c), start, end, b, write);
        done = std::max(done, end);
    }
    return done;
}

}  // namespace infersim::hw

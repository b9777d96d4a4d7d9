// Address interleave and fan-out over channels.
#include "hardware/memory_pool.hpp"

#include <algorithm>

#include "config/scenario_spec.hpp"
#include "hardware/channel_models.hpp"

namespace infersim::hw {

MemoryPool::MemoryPool(const config::PoolSpec& spec, std::uint32_t id, ActivitySink& sink)
    : MemoryPool(spec, id, sink, hw::channel_model(spec.channel_model)) {}

MemoryPool::MemoryPool(const config::PoolSpec& spec, std::uint32_t id, ActivitySink& sink, config::Fidelity fidelity)
    : MemoryPool(spec, id, sink, hw::channel_model(fidelity)) {}

MemoryPool::MemoryPool(const config::PoolSpec& spec, std::uint32_t id, ActivitySink& sink, const ChannelModelEntry& model)
    : spec_(spec), id_(id), sink_(sink), model_name_(model.name), timing_(ChannelTiming::from(spec)),
      granule_(std::max<std::uint64_t>(1, static_cast<std::uint64_t>(spec.interleave_bytes))) {
    channels_.reserve(static_cast<std::size_t>(spec.channels));
    // Controllers stagger refresh across channels so the pool never pauses as a whole.
    for (int c = 0; c < spec.channels; ++c) channels_.push_back(model.make(spec, timing_.refresh_period_ps * c / spec.channels));
}

std::uint64_t MemoryPool::channel_address(std::size_t c, std::uint64_t address) const {
    // Channel c's bytes in [0, address) are exactly the channel addresses below its next byte.
    const std::uint64_t stripe = granule_ * channels_.size();
    const std::uint64_t rem = address % stripe, lo = c * granule_;
    return address / stripe * granule_ + (rem > lo ? std::min(rem - lo, granule_) : 0);
}

std::uint64_t MemoryPool::share(std::size_t c, std::uint64_t address, std::uint64_t bytes) const {
    return channel_address(c, address + bytes) - channel_address(c, address);
}

Tick MemoryPool::access(Tick arrival, std::uint64_t address, std::uint64_t bytes, bool write) {
    Tick done = arrival;
    if (bytes == 0) return done;
    const std::uint64_t n = channels_.size();
    auto serve = [&](std::uint64_t c) {
        const std::uint64_t from = channel_address(c, address);
        const std::uint64_t b = channel_address(c, address + bytes) - from;
        if (b == 0) return;
        ChannelModel& ch = *channels_[c];
        const ChannelCounters before = ch.counters();
        Tick start = 0;
        const Tick end = ch.serve(arrival, from, b, write, &start);
        const ChannelCounters& after = ch.counters();
        sink_.channel_busy(ChannelActivity{id_, static_cast<std::uint32_t>(c), start, end, b, write, after.refresh_ps - before.refresh_ps,
                                           after.row_hits - before.row_hits, after.row_misses - before.row_misses});
        done = std::max(done, end);
    };
    // A request shorter than a stripe touches a run of consecutive channels (mod n): visit
    // just those, in index order (the wrapped part first), as a full sweep would.
    const std::uint64_t first_granule = address / granule_;
    const std::uint64_t granules = (address + bytes - 1) / granule_ - first_granule + 1;
    if (granules >= n) {
        for (std::uint64_t c = 0; c < n; ++c) serve(c);
        return done;
    }
    const std::uint64_t c0 = first_granule % n, c1 = c0 + granules;  // [c0, c1), wrapping past n
    for (std::uint64_t c = 0; c + n < c1; ++c) serve(c);
    for (std::uint64_t c = c0; c < std::min(c1, n); ++c) serve(c);
    return done;
}

}  // namespace infersim::hw

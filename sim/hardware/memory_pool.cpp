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
      granule_(std::max<std::uint64_t>(1, static_cast<std::uint64_t>(spec.interleave_bytes))),
      n_(static_cast<std::uint64_t>(std::max(1, spec.channels))), representative_(model.representative) {
    const int built = representative_ ? 1 : spec.channels;
    channels_.reserve(static_cast<std::size_t>(built));
    // Controllers stagger refresh across channels so the pool never pauses as a whole.
    for (int c = 0; c < built; ++c) channels_.push_back(model.make(spec, timing_.refresh_period_ps * c / spec.channels));
}

std::uint64_t MemoryPool::channel_address(std::size_t c, std::uint64_t address) const {
    // Channel c's bytes in [0, address) are exactly the channel addresses below its next byte.
    const std::uint64_t stripe = granule_ * n_;
    const std::uint64_t rem = address % stripe, lo = c * granule_;
    return address / stripe * granule_ + (rem > lo ? std::min(rem - lo, granule_) : 0);
}

std::uint64_t MemoryPool::share(std::size_t c, std::uint64_t address, std::uint64_t bytes) const {
    return channel_address(c, address + bytes) - channel_address(c, address);
}

Tick MemoryPool::access(Tick arrival, std::uint64_t address, std::uint64_t bytes, bool write) {
    Tick done = arrival;
    if (bytes == 0) return done;
    if (representative_) return access_representative(arrival, address, bytes, write);
    const std::uint64_t n = n_;
    // channel_address() for both ends, with the two divisions done once per request.
    const std::uint64_t stripe = granule_ * n;
    const std::uint64_t q0 = address / stripe * granule_, r0 = address % stripe;
    const std::uint64_t q1 = (address + bytes) / stripe * granule_, r1 = (address + bytes) % stripe;
    auto serve = [&](std::uint64_t c) {
        const std::uint64_t lo = c * granule_;
        const std::uint64_t from = q0 + (r0 > lo ? std::min(r0 - lo, granule_) : 0);
        const std::uint64_t b = q1 + (r1 > lo ? std::min(r1 - lo, granule_) : 0) - from;
        if (b == 0) return;
        ChannelModel& ch = *channels_[c];
        const double refresh_before = ch.counters().refresh_ps;
        const std::uint64_t hits_before = ch.counters().row_hits, misses_before = ch.counters().row_misses;
        Tick start = 0;
        const Tick end = ch.serve(arrival, from, b, write, &start);
        const ChannelCounters& after = ch.counters();
        sink_.channel_busy(ChannelActivity{id_, static_cast<std::uint32_t>(c), start, end, b, write, after.refresh_ps - refresh_before,
                                           after.row_hits - hits_before, after.row_misses - misses_before});
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

Tick MemoryPool::access_representative(Tick arrival, std::uint64_t address, std::uint64_t bytes, bool write) {
    // The channel with the largest share finishes last when the channels are alike. Shares
    // differ only by how many granules (full or partial) a channel gets: the first channel has
    // the most pieces, the one after it the most full ones, the last may end on a partial one,
    // so the largest share is one of those three.
    const std::uint64_t first_granule = address / granule_, last_granule = (address + bytes - 1) / granule_;
    const std::uint64_t touched = std::min(n_, last_granule - first_granule + 1);
    std::uint64_t c = first_granule % n_, b = share(c, address, bytes);
    for (const std::uint64_t k : {(first_granule + 1) % n_, last_granule % n_}) {
        const std::uint64_t bk = share(k, address, bytes);
        if (bk > b) b = bk, c = k;
    }
    ChannelModel& ch = *channels_[0];
    const ChannelCounters before = ch.counters();
    Tick start = 0;
    const Tick end = ch.serve(arrival, channel_address(c, address), b, write, &start);
    const ChannelCounters& after = ch.counters();
    // One activity for the whole request: all its bytes (energy is linear in bytes), and the
    // representative's refresh and row events once per channel touched.
    const double k = static_cast<double>(touched);
    sink_.channel_busy(ChannelActivity{id_, 0, start, end, bytes, write, (after.refresh_ps - before.refresh_ps) * k,
                                       (after.row_hits - before.row_hits) * touched, (after.row_misses - before.row_misses) * touched});
    return std::max(arrival, end);
}

}  // namespace infersim::hw

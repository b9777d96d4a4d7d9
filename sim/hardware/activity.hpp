// What hardware components report as they work: activity, not energy (the power model,
// hardware/power, prices it). The recorder (output layer) implements this; components never
// look statistics up by name.
#pragma once
#include <cstdint>

#include "engine/time.hpp"

namespace infersim::hw {

using engine::Tick;

/// What one DRAM channel did for one request.
struct ChannelActivity {
    std::uint32_t pool = 0, channel = 0;
    Tick start = 0, end = 0;
    std::uint64_t bytes = 0;
    bool write = false;
    double refresh_ps = 0;           // refresh time inside [start, end)
    std::uint64_t row_hits = 0, row_misses = 0;
};

class ActivitySink {
public:
    virtual ~ActivitySink() = default;
    /// A DRAM channel served a request.
    virtual void channel_busy(const ChannelActivity& a) = 0;
    /// A link carried `bytes` during [start, end).
    virtual void link_busy(std::uint32_t link, Tick start, Tick end, std::uint64_t bytes) = 0;
    /// A cache served `bytes` during [start, end).
    virtual void cache_busy(std::uint32_t cache, Tick start, Tick end, std::uint64_t bytes) = 0;
    /// A compute unit computed during [start, end), spending `energy_j` of dynamic energy (its
    /// ops priced by the replayer's compute model; the power model adds what the span costs).
    virtual void unit_busy(std::uint32_t unit, Tick start, Tick end, double energy_j) = 0;
};

/// Discards everything (for `fit`, `stream` and tests that only need times).
class NullSink final : public ActivitySink {
public:
    void channel_busy(const ChannelActivity&) override {}
    void link_busy(std::uint32_t, Tick, Tick, std::uint64_t) override {}
    void cache_busy(std::uint32_t, Tick, Tick, std::uint64_t) override {}
    void unit_busy(std::uint32_t, Tick, Tick, double) override {}
};

}  // namespace infersim::hw

// What hardware components report as they work. The recorder (output layer) implements this;
// components never look statistics up by name.
#pragma once
#include <cstdint>

#include "engine/time.hpp"

namespace infersim::hw {

using engine::Tick;

class ActivitySink {
public:
    virtual ~ActivitySink() = default;
    /// A DRAM channel moved `bytes` during [start, end).
    virtual void channel_busy(std::uint32_t pool, std::uint32_t channel, Tick start, Tick end, std::uint64_t bytes,
                              bool write) = 0;
    /// A link carried `bytes` during [start, end).
    virtual void link_busy(std::uint32_t link, Tick start, Tick end, std::uint64_t bytes) = 0;
    /// A cache served `bytes` during [start, end).
    virtual void cache_busy(std::uint32_t cache, Tick start, Tick end, std::uint64_t bytes) = 0;
    /// A compute unit computed during [start, end), spending `energy_j` of dynamic energy.
    virtual void unit_busy(std::uint32_t unit, Tick start, Tick end, double energy_j) = 0;
};

/// Discards everything (for `fit`, `stream` and tests that only need times).
class NullSink final : public ActivitySink {
public:
    void channel_busy(std::uint32_t, std::uint32_t, Tick, Tick, std::uint64_t, bool) override {}
    void link_busy(std::uint32_t, Tick, Tick, std::uint64_t) override {}
    void cache_busy(std::uint32_t, Tick, Tick, std::uint64_t) override {}
    void unit_busy(std::uint32_t, Tick, Tick, double) override {}
};

}  // namespace infersim::hw

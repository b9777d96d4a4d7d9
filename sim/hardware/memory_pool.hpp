// A memory pool: channels behind an address interleave. A request is split over the channels
// it covers; each channel serves its share (a contiguous range of its own addresses) in
// arrival order; the request completes when the slowest share does. One call per request,
// whatever the channel count (event coalescing: the per-channel work is arithmetic, not
// events). The channel model is the pool's own (`channel_model:`) unless the pool is built
// with another (a scenario's sim.fidelity). A representative model (rapid) builds one channel
// that stands for all: each request's largest per-channel share is served on it once.
#pragma once
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "config/machine_spec.hpp"
#include "hardware/activity.hpp"
#include "hardware/channel_model.hpp"
#include "hardware/dram_channel.hpp"

namespace infersim::config {
enum class Fidelity;  // scenario_spec.hpp
}

namespace infersim::hw {

struct ChannelModelEntry;  // channel_models.hpp

class MemoryPool {
public:
    /// Channels of the model the spec names (spec.channel_model).
    MemoryPool(const config::PoolSpec& spec, std::uint32_t id, ActivitySink& sink);
    /// Channels of `model`, whatever the spec names.
    MemoryPool(const config::PoolSpec& spec, std::uint32_t id, ActivitySink& sink, const ChannelModelEntry& model);
    /// Channels of the model `fidelity` stands for.
    MemoryPool(const config::PoolSpec& spec, std::uint32_t id, ActivitySink& sink, config::Fidelity fidelity);
    MemoryPool(const MemoryPool&) = delete;
    MemoryPool& operator=(const MemoryPool&) = delete;

    /// Moves `bytes` starting at byte `address` of the pool; returns the completion time.
    Tick access(Tick arrival, std::uint64_t address, std::uint64_t bytes, bool write);

    const config::PoolSpec& spec() const { return spec_; }
    std::uint32_t id() const { return id_; }
    /// The name of the channel model the pool was built with.
    std::string_view channel_model() const { return model_name_; }
    /// The channel models built: the pool's channel count, or 1 for a representative model.
    std::size_t channel_count() const { return channels_.size(); }
    const ChannelModel& channel(std::size_t i) const { return *channels_[i]; }
    double peak_bytes_per_s() const { return spec_.peak_bytes_per_s(); }
    /// What a long stream can get: peak, less the bus time refresh takes (from the timing).
    double deliverable_bytes_per_s() const {
        const double refresh = timing_.refresh_period_ps > 0 ? timing_.refresh_busy_ps / timing_.refresh_period_ps : 0.0;
        return timing_.peak_bytes_per_ps() * 1e12 * static_cast<double>(n_) * (1.0 - refresh);
    }
    /// Bytes that channel `c` receives of a request [address, address + bytes).
    std::uint64_t share(std::size_t c, std::uint64_t address, std::uint64_t bytes) const;
    /// Channel `c`'s own address of the first of its bytes at or after pool byte `address`.
    std::uint64_t channel_address(std::size_t c, std::uint64_t address) const;

private:
    /// The representative path: one serve and one activity for the whole request.
    Tick access_representative(Tick arrival, std::uint64_t address, std::uint64_t bytes, bool write);

    const config::PoolSpec& spec_;
    std::uint32_t id_;
    ActivitySink& sink_;
    std::string_view model_name_;
    ChannelTiming timing_;  // the fast model's derivation: deliverable bandwidth and refresh phases
    std::vector<std::unique_ptr<ChannelModel>> channels_;
    std::uint64_t granule_;
    std::uint64_t n_;              // the pool's channels (the interleave's width)
    bool representative_ = false;  // channels_ holds one channel standing for all n_
};

}  // namespace infersim::hw

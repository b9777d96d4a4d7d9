// The interface of one DRAM channel's timing model. Implementations are registered
// (channel_models.hpp): the fast chunk-level DramChannel (dram_channel.hpp) and the
// command-level DetailedChannel (detailed_channel.hpp). A memory pool holds one per channel,
// of the model its `channel_model:` names (or the scenario's sim.fidelity, which overrides).
#pragma once
#include <any>
#include <cstdint>

#include "config/machine_spec.hpp"
#include "config/typed_params.hpp"
#include "engine/time.hpp"

namespace infersim::hw {

using engine::Tick;

/// What a channel did. Plain integers; one writer serializes them.
struct ChannelCounters {
    std::uint64_t bytes_read = 0;
    std::uint64_t bytes_written = 0;
    std::uint64_t bursts = 0;       // column commands (RD/WR)
    std::uint64_t activations = 0;  // ACT commands
    std::uint64_t row_hits = 0;     // bursts served from an already open row
    std::uint64_t row_misses = 0;   // bursts that needed an ACT (closed bank, conflict, or refresh)
    std::uint64_t turnarounds = 0;  // read/write direction switches on the data bus
    double refresh_ps = 0;          // refresh time that fell inside requests (per-bank: its channel-wide share)
    Tick busy_ps = 0;
};

class ChannelModel {
public:
    virtual ~ChannelModel() = default;

    /// Serves `bytes` starting at byte `address` of this channel (the address within the
    /// channel, after the pool's interleave), arriving at `arrival`; calls come in arrival
    /// order. Returns when the last byte has moved. The fast model completes requests in
    /// order; the detailed one lets a request whose banks are ready use bus time an older
    /// request could not, so it may finish first. `start_out` receives the service start
    /// (the arrival, or when the previous request finished if later).
    virtual Tick serve(Tick arrival, std::uint64_t address, std::uint64_t bytes, bool write, Tick* start_out = nullptr) = 0;

    /// When the channel has finished everything it was given.
    virtual Tick busy_until() const = 0;
    virtual const ChannelCounters& counters() const = 0;
};

/// The typed parameters of a channel model, kept in PoolSpec::channel_params: the model's
/// field readers fill them (creating `Params{}` on first use), its factory reads them back
/// (`Params{}` when the machine file set none, or the pool named another model).
template <class Params>
Params& channel_params(config::PoolSpec& p) { return config::typed_params<Params>(p.channel_params); }
template <class Params>
Params channel_params(const config::PoolSpec& p) { return config::typed_params_or_default<Params>(p.channel_params); }

}  // namespace infersim::hw

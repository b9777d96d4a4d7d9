// The registry of DRAM channel models: each entry names an implementation, documents it,
// lists the fields it reads from a pool (besides the common standard, channels, timing, ...)
// and builds one channel of a pool. A pool picks one with `channel_model:` (default fast); a
// scenario's sim.fidelity replaces every pool's choice. Adding a model: one file with its
// class, its field table and a make_<name>_channel_entry(), and one line in channel_models.cpp.
#pragma once
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "config/impl_info.hpp"
#include "config/machine_spec.hpp"
#include "config/scenario_spec.hpp"
#include "core/registry.hpp"
#include "hardware/channel_model.hpp"

namespace infersim::hw {

struct ChannelModelEntry : config::ImplInfo<config::PoolSpec> {
    /// One channel of `pool`, whose first refresh window starts at `refresh_phase_ps`. The
    /// model keeps copies of what it needs.
    std::unique_ptr<ChannelModel> (*make)(const config::PoolSpec& pool, double refresh_phase_ps) = nullptr;
    /// Simulates every burst: a run's bursts count against its event budget.
    bool per_burst = false;
    /// One channel stands for every channel of the pool (rapid fidelity): the pool builds a
    /// single channel and serves each request's largest per-channel share on it.
    bool representative = false;
};

/// The built-in channel models; the first (fast) is the default. Built once, immutable.
const core::Registry<ChannelModelEntry>& channel_models();

/// The model called `name`; throws std::invalid_argument for a name the registry does not know
/// (the machine loader has already refused it in a machine file).
const ChannelModelEntry& channel_model(std::string_view name);

/// The model a scenario's sim.fidelity stands for (fast, detailed or rapid).
const ChannelModelEntry& channel_model(config::Fidelity fidelity);

/// The model a pool gets: the one `fidelity` stands for when set, else the pool's own.
const ChannelModelEntry& channel_model(const config::PoolSpec& pool, std::optional<config::Fidelity> fidelity);

/// The summary's sim.fidelity: the name of the model every pool of `m` gets, or "mixed".
std::string channel_models_label(const config::MachineSpec& m, std::optional<config::Fidelity> fidelity);

/// `infersim describe channel-models`: every channel model with its doc and fields.
void print_channel_models(std::ostream& out);

// One per built-in implementation file.
ChannelModelEntry make_fast_channel_entry();
ChannelModelEntry make_detailed_channel_entry();
ChannelModelEntry make_rapid_channel_entry();

}  // namespace infersim::hw

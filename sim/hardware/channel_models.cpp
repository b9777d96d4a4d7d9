// The built-in channel models, listed explicitly (no static registration).
#include "hardware/channel_models.hpp"

#include <stdexcept>
#include <string>

namespace infersim::hw {

const core::Registry<ChannelModelEntry>& channel_models() {
    static const core::Registry<ChannelModelEntry> registry = [] {
        core::Registry<ChannelModelEntry> r("channel models", "how one DRAM channel times its requests (memory.<pool>.channel_model)");
        r.add(make_fast_channel_entry());
        r.add(make_detailed_channel_entry());
        r.add(make_rapid_channel_entry());
        return r;
    }();
    return registry;
}

const ChannelModelEntry& channel_model(std::string_view name) {
    if (const ChannelModelEntry* e = channel_models().find(name)) return *e;
    throw std::invalid_argument("unknown channel model '" + std::string(name) + "'; expected " + channel_models().name_list());
}

const ChannelModelEntry& channel_model(config::Fidelity fidelity) {
    switch (fidelity) {
        case config::Fidelity::detailed: return channel_model("detailed");
        case config::Fidelity::rapid: return channel_model("rapid");
        case config::Fidelity::fast: break;
    }
    return channel_model("fast");
}

const ChannelModelEntry& channel_model(const config::PoolSpec& pool, std::optional<config::Fidelity> fidelity) {
    return fidelity ? channel_model(*fidelity) : channel_model(pool.channel_model);
}

std::string channel_models_label(const config::MachineSpec& m, std::optional<config::Fidelity> fidelity) {
    std::string_view name;
    for (const auto& p : m.pools) {
        const std::string_view n = channel_model(p, fidelity).name;
        if (!name.empty() && n != name) return "mixed";
        name = n;
    }
    return std::string(name);
}

void print_channel_models(std::ostream& out) { config::print_registry(out, channel_models()); }

}  // namespace infersim::hw

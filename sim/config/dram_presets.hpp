// DRAM standards as data (Ramulator-style): organisation and timing presets by name. A pool's
// `standard:` picks one; every field can be overridden in the machine file.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/machine_spec.hpp"

namespace infersim::config {

struct DramPreset {
    std::string_view name;
    std::string_view source;
    DramTiming timing;
    PoolEnergy energy;    // per-bit figures; background power is per machine
};

/// The preset called `name` (e.g. "lpddr5x-8533", or a family name such as "lpddr5x", which
/// means its most common speed grade), or nullopt.
std::optional<DramPreset> find_dram_preset(std::string_view name);
std::vector<std::string_view> dram_preset_names();

}  // namespace infersim::config

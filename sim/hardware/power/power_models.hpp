// The registry of power models: each entry names an implementation, documents it, lists the
// fields it reads from the machine's `power:` mapping (besides the common platform, idle and
// battery) and builds it for a machine. Adding a model: one file with its class, its field
// table and a make_<name>_power_entry(), and one line in power_models.cpp.
#pragma once
#include <memory>
#include <ostream>

#include "config/impl_info.hpp"
#include "core/registry.hpp"
#include "hardware/power/power_model.hpp"

namespace infersim::hw {

struct PowerModelEntry : config::ImplInfo<config::PowerSpec> {
    std::unique_ptr<PowerModel> (*make)(const config::MachineSpec& m, const PowerContext& ctx);
};

/// The built-in power models; the first is the default. Built once, immutable.
const core::Registry<PowerModelEntry>& power_models();

/// The power model `m.power.impl` names (the default when empty), built for `m`, which must
/// outlive it, and for the run `ctx` describes. Throws std::invalid_argument for a name the
/// registry does not know (the machine loader has already refused it in a machine file), and
/// config::InputError for a figure the model needs that the machine lacks.
std::unique_ptr<PowerModel> make_power_model(const config::MachineSpec& m, const PowerContext& ctx = {});

/// `infersim describe power`: every power model with its doc and fields.
void print_power_models(std::ostream& out);

// One per built-in implementation file.
PowerModelEntry make_actions_power_entry();
PowerModelEntry make_system_power_entry();

}  // namespace infersim::hw

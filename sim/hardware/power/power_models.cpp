// The built-in power models, listed explicitly (no registration by static initialisation).
#include "hardware/power/power_models.hpp"

#include <stdexcept>
#include <string>

namespace infersim::hw {

const core::Registry<PowerModelEntry>& power_models() {
    static const core::Registry<PowerModelEntry> registry = [] {
        core::Registry<PowerModelEntry> r("power models (machine power.impl)",
                                          "turn the activity the hardware reports into energy per power domain");
        r.add(make_actions_power_entry());   // first: the default, for machine files that name none
        r.add(make_system_power_entry());
        return r;
    }();
    return registry;
}

std::unique_ptr<PowerModel> make_power_model(const config::MachineSpec& m, const PowerContext& ctx) {
    const auto& r = power_models();
    const PowerModelEntry* e = m.power.impl.empty() ? &r.entries().front() : r.find(m.power.impl);
    if (!e) throw std::invalid_argument("unknown power model '" + m.power.impl + "' (expected " + r.name_list() + ")");
    return e->make(m, ctx);
}

void print_power_models(std::ostream& out) { config::print_registry(out, power_models()); }

}  // namespace infersim::hw

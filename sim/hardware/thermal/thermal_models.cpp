// The built-in thermal models, listed explicitly (no registration by static initialisation).
#include <stdexcept>
#include <string>

#include "hardware/thermal/thermal_model.hpp"

namespace infersim::hw::thermal {

const core::Registry<ThermalModelEntry>& thermal_models() {
    static const core::Registry<ThermalModelEntry> registry = [] {
        core::Registry<ThermalModelEntry> r("thermal models (machine thermal.impl)", "turn a cooling domain's power into its temperature");
        r.add(make_rc_thermal_entry());
        return r;
    }();
    return registry;
}

std::unique_ptr<ThermalModel> make_thermal_model(const config::ThermalSpec& spec) {
    const auto& r = thermal_models();
    const ThermalModelEntry* e = spec.impl.empty() ? &r.entries().front() : r.find(spec.impl);
    if (!e) throw std::invalid_argument("unknown thermal model '" + spec.impl + "' (expected " + r.name_list() + ")");
    return e->make(spec);
}

void print_thermal_models(std::ostream& out) { config::print_registry(out, thermal_models()); }

}  // namespace infersim::hw::thermal

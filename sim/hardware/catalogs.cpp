// Assembles the machine loader's view of the hardware registries.
#include "hardware/catalogs.hpp"

#include "hardware/channel_models.hpp"
#include "hardware/power/power_models.hpp"
#include "hardware/compute/compute_unit.hpp"
#include "hardware/compute/gemm_kernel.hpp"
#include "hardware/thermal/thermal_model.hpp"

namespace infersim::hw {

const config::MachineCatalogs& machine_catalogs() {
    static const config::MachineCatalogs catalogs = [] {
        config::MachineCatalogs c;
        c.channel_models = config::ImplCatalog<config::PoolSpec>(channel_models());
        c.power_models = config::ImplCatalog<config::PowerSpec>(power_models());
        c.units = config::ImplCatalog<config::ComputeUnitSpec>(compute_units());
        c.thermal_models = config::ImplCatalog<config::ThermalSpec>(thermal::thermal_models());
        return c;
    }();
    return catalogs;
}

config::RuntimeSpec load_runtime(const std::string& path) { return config::load_runtime(path, gemm_kernel_catalog()); }

}  // namespace infersim::hw

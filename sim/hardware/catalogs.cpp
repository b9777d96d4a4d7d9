// Assembles the machine loader's view of the hardware registries.
#include "hardware/catalogs.hpp"

#include "hardware/power/power_models.hpp"

namespace infersim::hw {

const config::MachineCatalogs& machine_catalogs() {
    static const config::MachineCatalogs catalogs = [] {
        config::MachineCatalogs c;
        c.power_models = config::ImplCatalog<config::PowerSpec>(power_models());
        return c;
    }();
    return catalogs;
}

}  // namespace infersim::hw

// Assembles the machine loader's view of the hardware registries.
#include "hardware/catalogs.hpp"

namespace infersim::hw {

const config::MachineCatalogs& machine_catalogs() {
    static const config::MachineCatalogs catalogs = [] {
        config::MachineCatalogs c;
        return c;
    }();
    return catalogs;
}

}  // namespace infersim::hw

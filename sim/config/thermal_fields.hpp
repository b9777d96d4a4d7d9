// The machine sections of thermals, power limits and DVFS: `thermal:` (cooling domains, read by
// a registered thermal model), `limits:` (sustained and burst power limits) and `power.dvfs`
// (V-f tables per unit). Field tables and cross-checks; the physics is in hardware/thermal.
#pragma once
#include <ostream>

#include "config/machine_catalogs.hpp"
#include "config/machine_spec.hpp"
#include "config/yaml_node.hpp"

namespace infersim::config {

/// `power.dvfs`: a mapping of unit name -> [[MHz, mV], ...] (ascending MHz).
std::vector<UnitDvfs> read_dvfs(const Node& n);

/// Reads `thermal:` and `limits:` of `root` into m.thermal, validating `thermal.impl` against
/// `models`, and checks that every part names a unit or pool of `m` and that every DVFS table
/// names a unit (call after the units and pools are read).
void read_thermal(MachineSpec& m, const Node& root, const ImplCatalog<ThermalSpec>& models);

/// `describe machine`: the thermal, limits and dvfs schema.
void describe_thermal_schema(std::ostream& out, const ImplCatalog<ThermalSpec>& models);

}  // namespace infersim::config

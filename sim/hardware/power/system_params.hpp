// The figures power model `system` reads from a machine's `power:` section, keyed by the names
// of the machine's units, pools and links (the unit/pool/link blocks stay as they are):
//
//   power:
//     impl: system
//     units:   {gpu: {constant: 0 W, idle: 5 W, active: 20 W, gated: false}}
//     host:    {core: 4.5 W, idle: 0.5 W, on_soc: true, sync: runtime}
//     uncore:  11.5 W
//     memory:  {unified: {phy: 1.0 pJ/bit, fabric: 0.5 pJ/bit, background: 1 W, self_refresh: 0.1 W}}
//     links:   {c2c: 1.3 pJ/bit}
//     parts:   {display: {min: 0.25 W, max: 7 W, brightness: 0.5}, ssd: {active: 0.07 W, idle: 0.005 W}}
//     supply:  {kind: adapter, rating: 140 W, efficiency: [[0.1, 0.88], [1.0, 0.90]], no_load: 0.21 W}
#pragma once
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "config/errors.hpp"
#include "config/fields.hpp"
#include "config/machine_spec.hpp"
#include "hardware/power/power_model.hpp"

namespace infersim::hw {

struct UnitPower {
    std::string name;
    double constant_w = 0;          // drawn while the machine is on (AccelWattch's constant)
    double off_w = 0;               // power-gated
    double idle_w = 0;              // powered, not issuing
    double active_w = 0;            // issuing: an op is running, stalled on memory or not
    bool gated = false;             // power-gated (off) when not running an op
};

struct HostPower {
    bool set = false;
    double core_w = 0;              // one host core busy (spinning), above its idle
    double idle_w = 0;              // the host cores at rest, for the whole run
    bool on_soc = true;             // the host cores share the accelerator's package
    enum class Sync { runtime, spin, block } sync = Sync::runtime;
};

struct PoolPower {
    std::string name;
    std::optional<double> phy_j_per_bit, fabric_j_per_bit, background_w, self_refresh_w;
};

struct LinkPower {
    std::string name;
    double j_per_bit = 0;
};

struct PartPower {
    std::string name;
    double active_w = 0, idle_w = 0;
};

struct SupplyPower {
    bool set = false;
    std::string kind = "psu";                       // psu or adapter (reported only)
    double rating_w = 0;
    std::vector<std::pair<double, double>> curve;   // (load fraction, efficiency), ascending load
    double no_load_w = 0;
};

struct SystemPowerParams {
    std::vector<UnitPower> units;
    HostPower host;
    std::optional<double> uncore_w;
    std::vector<PoolPower> memory;
    std::vector<LinkPower> links;
    bool parts_set = false;
    std::vector<PartPower> parts;
    SupplyPower supply;
    config::SourceLocation units_where, memory_where, links_where;
};

/// The `power:` fields of model `system` (besides the common platform, idle, battery).
std::span<const config::Field<config::PowerSpec>> system_power_fields();

/// Efficiency of `s` at a DC load of `dc_w`: the curve interpolated linearly in load fraction,
/// held flat beyond its end points.
double supply_efficiency(const SupplyPower& s, double dc_w);
/// Wall power minus DC power for a load of `dc_w` (the no-load draw included).
double supply_loss_w(const SupplyPower& s, double dc_w);

}  // namespace infersim::hw

// The field tables of power model `system` (system_params.hpp) and the supply's efficiency
// curve. Each nested block has its own table, so unknown keys get a did-you-mean and required
// figures are refused when missing, at their file:line:col.
#include "hardware/power/system_params.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>

namespace infersim::hw {
namespace {

using config::Dimension;
using config::Field;
using config::Node;
using config::PowerSpec;

SystemPowerParams& params(PowerSpec& p) { return impl_params<SystemPowerParams>(p); }
double watts(const Node& n) { return n.as_quantity(Dimension::power, 0, 1e5); }
double per_bit(const Node& n) { return n.as_quantity(Dimension::energy_per_bit, 0, 1e-9); }

const std::array kUnitFields{
    Field<UnitPower>{"constant", "power", false, "0 W", "drawn while the machine is on, whatever the unit does",
                     [](UnitPower& u, const Node& n) { u.constant_w = watts(n); }},
    Field<UnitPower>{"off", "power", false, "0 W", "static power when power-gated",
                     [](UnitPower& u, const Node& n) { u.off_w = watts(n); }},
    Field<UnitPower>{"idle", "power", true, "", "static power when powered but not running an op",
                     [](UnitPower& u, const Node& n) { u.idle_w = watts(n); }},
    Field<UnitPower>{"active", "power", true, "", "static power while an op runs (issuing, stalled on memory or not)",
                     [](UnitPower& u, const Node& n) { u.active_w = watts(n); }},
    Field<UnitPower>{"gated", "bool", false, "false", "power-gated (off) between ops instead of idle",
                     [](UnitPower& u, const Node& n) { u.gated = n.as_bool(); }},
};

const std::array kHostFields{
    Field<HostPower>{"core", "power", true, "", "one host core busy (spinning on the accelerator), above idle",
                     [](HostPower& h, const Node& n) { h.core_w = watts(n); }},
    Field<HostPower>{"idle", "power", false, "0 W", "the host cores at rest",
                     [](HostPower& h, const Node& n) { h.idle_w = watts(n); }},
    Field<HostPower>{"on_soc", "bool", false, "true", "the host cores share the accelerator's package (soc_power_w)",
                     [](HostPower& h, const Node& n) { h.on_soc = n.as_bool(); }},
    Field<HostPower>{"sync", "enum", false, "runtime", "how the host waits: runtime (its host_sync), spin or block",
                     [](HostPower& h, const Node& n) {
                         h.sync = config::as_enum<HostPower::Sync>(
                             n, {{"runtime", HostPower::Sync::runtime}, {"spin", HostPower::Sync::spin}, {"block", HostPower::Sync::block}});
                     }},
};

const std::array kPoolFields{
    Field<PoolPower>{"phy", "energy per bit", true, "", "memory controller + PHY energy per bit moved",
                     [](PoolPower& p, const Node& n) { p.phy_j_per_bit = per_bit(n); }},
    Field<PoolPower>{"fabric", "energy per bit", false, "0 pJ/bit (named)", "on-chip fabric/SLC energy per bit moved",
                     [](PoolPower& p, const Node& n) { p.fabric_j_per_bit = per_bit(n); }},
    Field<PoolPower>{"background", "power", true, "", "background power of the whole pool, active (refresh, standby)",
                     [](PoolPower& p, const Node& n) { p.background_w = watts(n); }},
    Field<PoolPower>{"self_refresh", "power", false, "background (named)", "the pool in self-refresh (idle spans)",
                     [](PoolPower& p, const Node& n) { p.self_refresh_w = watts(n); }},
};

// A part is {active, idle} or, for a display, {min, max, brightness}.
struct PartFields {
    PartPower part;
    std::optional<double> min, max, brightness, active, idle;
};
const std::array kPartFields{
    Field<PartFields>{"active", "power", false, "", "while running", [](PartFields& p, const Node& n) { p.active = watts(n); }},
    Field<PartFields>{"idle", "power", false, "= active", "machine idle", [](PartFields& p, const Node& n) { p.idle = watts(n); }},
    Field<PartFields>{"min", "power", false, "", "a display at its lowest brightness", [](PartFields& p, const Node& n) { p.min = watts(n); }},
    Field<PartFields>{"max", "power", false, "", "a display at full brightness", [](PartFields& p, const Node& n) { p.max = watts(n); }},
    Field<PartFields>{"brightness", "fraction", false, "", "a display's brightness (power linear between min and max)",
                      [](PartFields& p, const Node& n) { p.brightness = n.as_quantity(Dimension::count, 0, 1); }},
};

PartPower read_part(const std::string& name, const Node& n) {
    if (n.is_scalar()) return {name, watts(n), watts(n)};
    PartFields f;
    f.part.name = name;
    config::read_fields<PartFields>(f, n, kPartFields);
    if (f.min || f.max || f.brightness) {
        if (!f.min || !f.max || !f.brightness || f.active) n.fail("a display part takes min, max and brightness (and no active)");
        f.part.active_w = *f.min + (*f.max - *f.min) * *f.brightness;
    } else if (f.active) {
        f.part.active_w = *f.active;
    } else {
        n.fail("expected a power, {active, idle}, or a display's {min, max, brightness}");
    }
    f.part.idle_w = f.idle.value_or(f.part.active_w);
    return f.part;
}

const std::array kSupplyFields{
    Field<SupplyPower>{"kind", "enum", false, "psu", "psu or adapter", [](SupplyPower& s, const Node& n) {
                           s.kind = config::as_enum<std::string>(n, {{"psu", "psu"}, {"adapter", "adapter"}});
                       }},
    Field<SupplyPower>{"rating", "power", true, "", "rated DC output (100% load)",
                       [](SupplyPower& s, const Node& n) { s.rating_w = n.as_quantity(Dimension::power, 1, 1e6); }},
    Field<SupplyPower>{"efficiency", "list of [load, eff]", true, "", "efficiency at fractions of rated load, e.g. 80 PLUS Gold [[0.2, 0.87], [0.5, 0.90], [1.0, 0.87]]",
                       [](SupplyPower& s, const Node& n) {
                           if (!n.is_sequence() || n.items().empty()) n.fail("expected a list of [load fraction, efficiency] points");
                           for (const Node& item : n.items()) {
                               const auto le = item.items();
                               if (!item.is_sequence() || le.size() != 2) item.fail("expected [load fraction, efficiency], e.g. [0.5, 0.92]");
                               const double load = le[0].as_quantity(Dimension::count, 0, 2), eff = le[1].as_quantity(Dimension::count, 0.05, 1);
                               if (!s.curve.empty() && load <= s.curve.back().first) item.fail("load fractions must rise");
                               s.curve.emplace_back(load, eff);
                           }
                       }},
    Field<SupplyPower>{"no_load", "power", false, "0 W", "drawn at the wall with no load",
                       [](SupplyPower& s, const Node& n) { s.no_load_w = watts(n); }},
};

template <class Spec>
std::vector<Spec> named(const Node& n, std::span<const Field<Spec>> fields) {
    if (!n.is_map()) n.fail("expected a mapping of names to entries");
    std::vector<Spec> out;
    for (const std::string& key : n.keys()) {
        Spec s;
        s.name = key;
        config::read_fields<Spec>(s, config::named_entry(n, key), fields);
        out.push_back(std::move(s));
    }
    return out;
}

const std::array kFields{
    Field<PowerSpec>{"units", "map unit -> power states", true, "", "per compute unit: constant, off, idle, active, gated (its V-f table is power.dvfs)",
                     [](PowerSpec& p, const Node& n) {
                         params(p).units = named<UnitPower>(n, kUnitFields);
                         params(p).units_where = n.location();
                     }},
    Field<PowerSpec>{"host", "map", false, "none (named)", "the host CPU as the runtime drives it: core, idle, on_soc, sync",
                     [](PowerSpec& p, const Node& n) {
                         config::read_fields<HostPower>(params(p).host, n, kHostFields);
                         params(p).host.set = true;
                     }},
    Field<PowerSpec>{"uncore", "power", false, "0 W (named)", "SoC always-on power: fabric, controllers, display engine",
                     [](PowerSpec& p, const Node& n) { params(p).uncore_w = watts(n); }},
    Field<PowerSpec>{"memory", "map pool -> energy", true, "", "per pool: phy, fabric (per bit), background, self_refresh",
                     [](PowerSpec& p, const Node& n) {
                         params(p).memory = named<PoolPower>(n, kPoolFields);
                         params(p).memory_where = n.location();
                     }},
    Field<PowerSpec>{"links", "map link -> energy per bit", false, "each link's own energy", "link energy per bit (NVLink-C2C 1.3 pJ/bit)",
                     [](PowerSpec& p, const Node& n) {
                         if (!n.is_map()) n.fail("expected a mapping of link names to energies per bit");
                         for (const std::string& k : n.keys()) params(p).links.push_back({k, per_bit(n.child(k))});
                         params(p).links_where = n.location();
                     }},
    Field<PowerSpec>{"parts", "map part -> power", false, "none (named)", "platform parts: display, ssd, network, fans, board",
                     [](PowerSpec& p, const Node& n) {
                         if (!n.is_map()) n.fail("expected a mapping of part names to powers");
                         for (const std::string& k : n.keys()) params(p).parts.push_back(read_part(k, n.child(k)));
                         params(p).parts_set = true;
                     }},
    Field<PowerSpec>{"supply", "map", false, "none (named)", "PSU or adapter: kind, rating, efficiency curve, no_load",
                     [](PowerSpec& p, const Node& n) {
                         config::read_fields<SupplyPower>(params(p).supply, n, kSupplyFields);
                         params(p).supply.set = true;
                     }},
};

}  // namespace

std::span<const Field<PowerSpec>> system_power_fields() { return kFields; }

double supply_efficiency(const SupplyPower& s, double dc_w) {
    if (s.curve.empty()) return 1.0;
    const double load = s.rating_w > 0 ? dc_w / s.rating_w : 0;
    if (load <= s.curve.front().first) return s.curve.front().second;
    for (std::size_t i = 1; i < s.curve.size(); ++i) {
        const auto [l1, e1] = s.curve[i];
        if (load <= l1) {
            const auto [l0, e0] = s.curve[i - 1];
            return e0 + (e1 - e0) * (load - l0) / (l1 - l0);
        }
    }
    return s.curve.back().second;
}

double supply_loss_w(const SupplyPower& s, double dc_w) {
    if (!s.set) return 0;
    return s.no_load_w + dc_w / supply_efficiency(s, dc_w) - dc_w;
}

}  // namespace infersim::hw

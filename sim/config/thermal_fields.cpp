// Field tables of `thermal:`, `limits:` and `power.dvfs`, and their cross-checks against the
// machine's units and pools.
#include "config/thermal_fields.hpp"

#include <array>
#include <limits>

#include "config/fields.hpp"

namespace infersim::config {
namespace {

double celsius(const Node& n) { return n.as_quantity(Dimension::count, -273.15, 1000); }

std::vector<std::string> names(const Node& n) {
    if (!n.is_sequence()) n.fail("expected a list of unit or pool names, e.g. [gpu, cpu, unified]");
    std::vector<std::string> out;
    for (const Node& item : n.items()) out.push_back(item.as_string());
    return out;
}

const std::array kDomainFields{
    Field<CoolingDomainSpec>{"parts", "list of unit/pool names, host, uncore", true, "", "what heats the domain: units, memory pools (device, PHY, fabric), the host CPU, the uncore",
                             [](CoolingDomainSpec& d, const Node& n) { d.parts = names(n); }},
    Field<CoolingDomainSpec>{"resistance", "number (K/W)", true, "", "thermal resistance to ambient",
                             [](CoolingDomainSpec& d, const Node& n) { d.r_k_per_w = positive(n, Dimension::count, 1e4); }},
    Field<CoolingDomainSpec>{"capacitance", "number (J/K)", true, "", "heat capacity",
                             [](CoolingDomainSpec& d, const Node& n) { d.c_j_per_k = positive(n, Dimension::count, 1e9); }},
    Field<CoolingDomainSpec>{"t_max", "number (C)", false, "100", "temperature the governor holds the domain under",
                             [](CoolingDomainSpec& d, const Node& n) { d.t_max_c = celsius(n); }},
    Field<CoolingDomainSpec>{"ambient", "number (C)", false, "25", "ambient temperature",
                             [](CoolingDomainSpec& d, const Node& n) { d.ambient_c = celsius(n); }},
    Field<CoolingDomainSpec>{"start", "number (C)", false, "ambient", "temperature at the start of a run",
                             [](CoolingDomainSpec& d, const Node& n) { d.start_c = celsius(n); }},
};

const std::array kLimitFields{
    Field<PowerLimitSpec>{"parts", "list of unit/pool names, host, uncore", false, "every unit and pool", "parts whose summed power is limited",
                          [](PowerLimitSpec& l, const Node& n) { l.parts = names(n); }},
    Field<PowerLimitSpec>{"power", "power", true, "", "the limit, e.g. '15 W'",
                          [](PowerLimitSpec& l, const Node& n) { l.power_w = positive(n, Dimension::power, 1e6); }},
    Field<PowerLimitSpec>{"tau", "time", false, "0 s (instantaneous)", "averaging time constant (PL1 tau, STAPM); 0: a cap on every step",
                          [](PowerLimitSpec& l, const Node& n) { l.tau_s = n.as_quantity(Dimension::time, 0, 1e6); }},
};

// `thermal.impl` is read first (against the catalog); the model's own fields join these.
const std::array kThermalFields{
    Field<ThermalSpec>{"impl", "thermal model name", false, "the first registered", "how power becomes temperature (infersim describe thermal)",
                       [](ThermalSpec&, const Node&) {}},
    Field<ThermalSpec>{"hysteresis", "number (K)", false, "1", "the governor raises a clock only this far below t_max",
                       [](ThermalSpec& t, const Node& n) { t.hysteresis_k = n.as_quantity(Dimension::count, 0, 100); }},
    Field<ThermalSpec>{"domains", "map of cooling domains", true, "", "cooling domains by name: parts, resistance, capacitance, t_max, ambient",
                       [](ThermalSpec& t, const Node& n) {
                           if (!n.is_map()) n.fail("expected a mapping of cooling-domain names to entries");
                           for (const std::string& k : n.keys()) {
                               CoolingDomainSpec d;
                               d.name = k;
                               read_fields<CoolingDomainSpec>(d, named_entry(n, k), kDomainFields);
                               t.domains.push_back(std::move(d));
                           }
                       }},
};

void check_parts(const MachineSpec& m, const std::vector<std::string>& parts, const Node& at) {
    for (const std::string& p : parts)
        if (!m.unit(p) && !m.pool(p) && p != "host" && p != "uncore")
            at.fail("no compute unit or memory pool named '" + p + "' (parts are units, pools, host or uncore)");
}

DvfsPoint dvfs_point(const Node& item) {
    const std::vector<Node> pair = item.is_sequence() ? item.items() : std::vector<Node>{};
    if (pair.size() != 2) item.fail("expected an operating point [MHz, mV]");
    return DvfsPoint{pair[0].as_quantity(Dimension::count, 1, 1e5) * 1e6, pair[1].as_quantity(Dimension::count, 1, 5000) * 1e-3};
}

}  // namespace

std::vector<UnitDvfs> read_dvfs(const Node& n) {
    if (!n.is_map()) n.fail("expected a mapping of unit names to [[MHz, mV], ...]");
    std::vector<UnitDvfs> out;
    for (const std::string& unit : n.keys()) {
        const Node table = n.child(unit);
        if (!table.is_sequence() || table.items().empty()) table.fail("expected a list of operating points [[MHz, mV], ...]");
        UnitDvfs d{unit, {}};
        for (const Node& item : table.items()) {
            d.points.push_back(dvfs_point(item));
            if (d.points.size() > 1 && d.points.back().hz <= d.points[d.points.size() - 2].hz)
                item.fail("operating points must ascend in frequency");
        }
        out.push_back(std::move(d));
    }
    return out;
}

void read_thermal(MachineSpec& m, const Node& root, const ImplCatalog<ThermalSpec>& models) {
    ThermalSpec& t = m.thermal;
    const std::vector<std::string_view> registered = models.names();
    if (!registered.empty()) t.impl = std::string(registered.front());
    std::vector<Field<ThermalSpec>> fields(kThermalFields.begin(), kThermalFields.end());
    if (const Node n = root.child("thermal"); n.defined()) {
        const ImplInfo<ThermalSpec>* impl = models.empty() ? nullptr : models.find(t.impl);
        if (n.is_map() && n.has("impl")) {
            t.impl = n.child("impl").as_string();
            impl = models.find(t.impl);
            if (!impl) n.child("impl").fail("unknown thermal model '" + t.impl + "'; expected " + models.name_list());
        }
        if (impl) fields.insert(fields.end(), impl->fields.begin(), impl->fields.end());
        read_fields<ThermalSpec>(t, n, fields);
        for (const CoolingDomainSpec& d : t.domains) check_parts(m, d.parts, n.child("domains").child(d.name).child("parts"));
    }
    if (const Node n = root.child("limits"); n.defined()) {
        if (!n.is_map()) n.fail("expected a mapping of limit names (pl1, pl2, stapm, ...) to {parts, power, tau}");
        for (const std::string& k : n.keys()) {
            PowerLimitSpec l;
            l.name = k;
            read_fields<PowerLimitSpec>(l, named_entry(n, k), kLimitFields);
            check_parts(m, l.parts, n.child(k).child("parts"));
            t.limits.push_back(std::move(l));
        }
    }
    for (const UnitDvfs& d : m.power.dvfs)
        if (!m.unit(d.unit)) root.child("power").child("dvfs").child(d.unit).fail("no compute unit named '" + d.unit + "'");
}

void describe_thermal_schema(std::ostream& out, const ImplCatalog<ThermalSpec>& models) {
    print_fields<ThermalSpec>(out, "\nthermal", kThermalFields);
    print_fields<CoolingDomainSpec>(out, "\nthermal.domains.<domain>", kDomainFields);
    print_fields<PowerLimitSpec>(out, "\nlimits.<limit>", kLimitFields);
    for (std::string_view name : models.names())
        if (const ImplInfo<ThermalSpec>* i = models.find(name); !i->fields.empty())
            print_fields<ThermalSpec>(out, "\nthermal (impl: " + std::string(name) + ")", i->fields);
}

}  // namespace infersim::config

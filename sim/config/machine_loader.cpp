// The machine schema as field tables, and the cross-checks between sections.
#include "config/machine_loader.hpp"
#include "config/storage_names.hpp"

#include <algorithm>
#include <array>
#include <filesystem>

#include "config/fields.hpp"
#include "config/layered_file.hpp"
#include "config/pool_loader.hpp"
#include "config/thermal_fields.hpp"

namespace infersim::config {
namespace {

constexpr double kHuge = 1e18;
constexpr std::array<std::string_view, 1> kExtends{"extends"};

double qty(const Node& n, Dimension d, double min = 0, double max = kHuge) { return n.as_quantity(d, min, max); }
int integer(const Node& n, int min, int max) { return static_cast<int>(n.as_integer(min, max)); }

// Reads a mapping of datatype name -> number (ops per cycle, or energy per op).
PerDType per_dtype(const Node& n, Dimension d) {
    PerDType out{};
    if (!n.is_map()) n.fail("expected a mapping of datatype (fp32, fp16, bf16, fp8, int8, fp4) to a value");
    for (const std::string& k : n.keys()) {
        auto t = parse_dtype(k);
        if (!t) fail_unknown_key(n, k, kDTypeNames);
        out[static_cast<std::size_t>(*t)] = qty(n.child(k), d, 0, 1e9);
    }
    return out;
}

const std::array kCacheFields{
    Field<CacheSpec>{"fronts", "pool name", true, "", "the memory pool whose traffic the cache filters",
                     [](CacheSpec& c, const Node& n) { c.fronts = n.as_string(); }},
    Field<CacheSpec>{"capacity", "bytes", true, "", "capacity",
                     [](CacheSpec& c, const Node& n) { c.capacity_bytes = positive(n, Dimension::bytes, 1e13); }},
    Field<CacheSpec>{"bandwidth", "bandwidth", true, "", "bandwidth to the compute units",
                     [](CacheSpec& c, const Node& n) { c.bandwidth = positive(n, Dimension::bandwidth, 1e16); }},
    Field<CacheSpec>{"latency", "time", false, "0 ns", "hit latency",
                     [](CacheSpec& c, const Node& n) { c.latency = qty(n, Dimension::time, 0, 1e-3); }},
    Field<CacheSpec>{"keep", "list", false, "[activations]", "what the policy keeps: activations, kv, weights",
                     [](CacheSpec& c, const Node& n) {
                         if (!n.is_sequence()) n.fail("expected a list such as [activations, kv]");
                         c.keep_activations = c.keep_kv = c.keep_weights = false;
                         for (const Node& item : n.items()) {
                             std::string s = item.as_string();
                             if (s == "activations") c.keep_activations = true;
                             else if (s == "kv") c.keep_kv = true;
                             else if (s == "weights") c.keep_weights = true;
                             else item.fail("expected activations, kv or weights, got '" + s + "'");
                         }
                     }},
    Field<CacheSpec>{"energy", "energy per byte", false, "0 pJ/B", "access energy per byte",
                     [](CacheSpec& c, const Node& n) { c.energy_j_per_byte = qty(n, Dimension::energy_per_byte, 0, 1e-9); }},
};

const std::array kUnitFields{
    Field<ComputeUnitSpec>{"kind", "enum", false, "gpu", "gpu, cpu or npu",
                           [](ComputeUnitSpec& u, const Node& n) {
                               u.kind = as_enum<UnitKind>(n, {{"gpu", UnitKind::gpu}, {"cpu", UnitKind::cpu}, {"npu", UnitKind::npu}});
                           }},
    // Read before the other fields (read_units), so the impl's own fields can join the table.
    Field<ComputeUnitSpec>{"impl", "implementation", false, "from kind", "registered compute-unit model (describe units): gpu, cpu_simd, npu",
                           [](ComputeUnitSpec&, const Node&) {}},
    Field<ComputeUnitSpec>{"count", "integer", true, "", "cores, SMs or CUs",
                           [](ComputeUnitSpec& u, const Node& n) { u.count = integer(n, 1, 1'000'000); }},
    Field<ComputeUnitSpec>{"clock", "frequency", true, "", "clock the peak rates are quoted at (boost); see sustained_clock",
                           [](ComputeUnitSpec& u, const Node& n) { u.clock_hz = positive(n, Dimension::frequency, 1e11); }},
    Field<ComputeUnitSpec>{"memory", "pool name", true, "", "the pool the unit is attached to",
                           [](ComputeUnitSpec& u, const Node& n) { u.memory = n.as_string(); }},
    Field<ComputeUnitSpec>{"vector", "map dtype -> ops/cycle", true, "", "SIMD operations per cycle per core (an FMA is 2)",
                           [](ComputeUnitSpec& u, const Node& n) { u.vector_ops_per_cycle = per_dtype(n, Dimension::count); }},
    Field<ComputeUnitSpec>{"matrix", "map dtype -> ops/cycle", false, "none", "matrix/tensor operations per cycle per core",
                           [](ComputeUnitSpec& u, const Node& n) { u.matrix_ops_per_cycle = per_dtype(n, Dimension::count); }},
    Field<ComputeUnitSpec>{"matrix_min_rows", "integer", false, "16", "tokens needed to fill a matrix tile (shape efficiency)",
                           [](ComputeUnitSpec& u, const Node& n) { u.matrix_min_rows = integer(n, 1, 4096); }},
    Field<ComputeUnitSpec>{"static_power", "power", false, "0 W", "leakage and clock power while active",
                           [](ComputeUnitSpec& u, const Node& n) { u.static_w = qty(n, Dimension::power, 0, 1e5); }},
    Field<ComputeUnitSpec>{"energy", "map dtype -> energy per op", false, "0", "dynamic energy per operation",
                           [](ComputeUnitSpec& u, const Node& n) { u.energy_j_per_op = per_dtype(n, Dimension::energy_per_op); }},
    // The decode stream's limit (replay paces the unit's reads to it; `infersim stream` shows it).
    Field<ComputeUnitSpec>{"stream_bandwidth", "bandwidth", false, "none", "measured stream bandwidth the unit pulls from memory (before a fabric's crossing cost)",
                           [](ComputeUnitSpec& u, const Node& n) { u.stream_bytes_per_s = positive(n, Dimension::bandwidth, 1e16); }},
    // Prefill GEMM kernels (issue 9).
    Field<ComputeUnitSpec>{"sustained_clock", "frequency", false, "clock", "clock held under a long load (power/thermal limits); kernel models run at it",
                           [](ComputeUnitSpec& u, const Node& n) { u.sustained_clock_hz = positive(n, Dimension::frequency, 1e11); }},
};

const std::array kLinkFields{
    Field<LinkSpec>{"unit", "unit name", true, "", "compute unit at one end",
                    [](LinkSpec& l, const Node& n) { l.unit = n.as_string(); }},
    Field<LinkSpec>{"pool", "pool name", true, "", "memory pool at the other end",
                    [](LinkSpec& l, const Node& n) { l.pool = n.as_string(); }},
    Field<LinkSpec>{"bandwidth", "bandwidth", true, "", "per direction",
                    [](LinkSpec& l, const Node& n) { l.bandwidth = positive(n, Dimension::bandwidth, 1e16); }},
    Field<LinkSpec>{"latency", "time", false, "0 ns", "one-way latency",
                    [](LinkSpec& l, const Node& n) { l.latency = qty(n, Dimension::time, 0, 1); }},
    Field<LinkSpec>{"energy", "energy per bit", false, "0 pJ/bit", "transfer energy",
                    [](LinkSpec& l, const Node& n) { l.energy_j_per_bit = qty(n, Dimension::energy_per_bit, 0, 1e-9); }},
};

const std::array kBatteryFields{
    Field<BatterySpec>{"capacity", "energy", true, "", "battery capacity, e.g. '99.6 Wh'",
                       [](BatterySpec& b, const Node& n) { b.capacity_j = positive(n, Dimension::energy, 1e8); }},
    Field<BatterySpec>{"usable", "fraction", false, "0.9", "fraction of capacity usable",
                       [](BatterySpec& b, const Node& n) { b.usable_fraction = n.as_quantity(Dimension::count, 0.01, 1); }},
    // --- battery and thermals ---
    Field<BatterySpec>{"discharge_efficiency", "fraction", false, "1", "share of the cells' energy that reaches the system",
                       [](BatterySpec& b, const Node& n) { b.discharge_efficiency = n.as_quantity(Dimension::count, 0.01, 1); }},
};

// Common to every power model; `impl` picks the model (read by read_power, against the catalog),
// whose own fields follow these.
const std::array kPowerFields{
    Field<PowerSpec>{"impl", "power model name", false, "the first registered", "how activity becomes energy (infersim describe power)",
                     [](PowerSpec&, const Node&) {}},
    Field<PowerSpec>{"platform", "power", false, "0 W", "baseline while running: display, uncore, fabric, fans",
                     [](PowerSpec& p, const Node& n) { p.platform_w = qty(n, Dimension::power, 0, 1e5); }},
    Field<PowerSpec>{"idle", "power", false, "0 W", "whole machine idle, for battery usage patterns",
                     [](PowerSpec& p, const Node& n) { p.idle_w = qty(n, Dimension::power, 0, 1e5); }},
    Field<PowerSpec>{"battery", "map", false, "none", "capacity and usable fraction",
                     [](PowerSpec& p, const Node& n) { read_fields<BatterySpec>(p.battery, n, kBatteryFields); }},
    // --- V-f tables, read by the thermal governor and the power model ---
    Field<PowerSpec>{"dvfs", "map unit -> [[MHz, mV], ...]", false, "none", "DVFS operating points per unit, ascending",
                     [](PowerSpec& p, const Node& n) { p.dvfs = read_dvfs(n); }},
};

template <class Spec>
std::vector<Spec> read_named(const Node& n, std::span<const Field<Spec>> fields, void (*prepare)(Spec&, const Node&) = nullptr) {
    if (!n.is_map()) n.fail("expected a mapping of names to entries");
    std::vector<Spec> out;
    for (const std::string& key : n.keys()) {
        Spec s;
        s.name = key;
        Node entry = named_entry(n, key);
        if (prepare) prepare(s, entry);
        read_fields<Spec>(s, entry, fields);
        out.push_back(std::move(s));
    }
    return out;
}

std::string_view default_impl(UnitKind k) {
    switch (k) {
        case UnitKind::gpu: return "gpu";
        case UnitKind::cpu: return "cpu_simd";
        case UnitKind::npu: return "npu";
    }
    return "gpu";
}

// Units: `kind` and `impl` first (impl defaults from kind and must be registered), then the
// common fields and the implementation's own, from the same mapping.
std::vector<ComputeUnitSpec> read_units(const Node& n, const ImplCatalog<ComputeUnitSpec>& impls) {
    if (!n.is_map()) n.fail("expected a mapping of names to entries");
    std::vector<ComputeUnitSpec> out;
    for (const std::string& key : n.keys()) {
        ComputeUnitSpec u;
        u.name = key;
        Node entry = named_entry(n, key);
        if (entry.has("kind")) kUnitFields[0].read(u, entry.child("kind"));
        Node impl = entry.child("impl");
        u.impl = impl.defined() ? impl.as_string() : std::string(default_impl(u.kind));
        const ImplInfo<ComputeUnitSpec>* info = impls.find(u.impl);
        if (!info && !impls.empty())
            (impl.defined() ? impl : entry).fail("unknown compute unit implementation '" + u.impl + "'; registered: " + impls.name_list());
        std::vector<Field<ComputeUnitSpec>> fields(kUnitFields.begin(), kUnitFields.end());
        if (info) fields.insert(fields.end(), info->fields.begin(), info->fields.end());
        read_fields<ComputeUnitSpec>(u, entry, fields);
        out.push_back(std::move(u));
    }
    return out;
}

const std::array kMachineFields{
    Field<MachineSpec>{"name", "text", false, "file name", "machine name",
                       [](MachineSpec& m, const Node& n) { m.name = n.as_string(); }},
    Field<MachineSpec>{"description", "text", false, "", "what the machine is",
                       [](MachineSpec& m, const Node& n) { m.description = n.as_string(); }},
    Field<MachineSpec>{"runtime", "runtime name", false, "ideal", "default runtime profile (configs/runtimes)",
                       [](MachineSpec& m, const Node& n) { m.default_runtime = n.as_string(); }},
    // Read by read_pools, which needs the channel-model catalog and the standards' search paths.
    Field<MachineSpec>{"memory", "map of pools", true, "", "memory pools by name",
                       [](MachineSpec&, const Node&) {}},
    Field<MachineSpec>{"caches", "map of caches", false, "none", "system-level caches by name",
                       [](MachineSpec& m, const Node& n) { m.caches = read_named<CacheSpec>(n, kCacheFields); }},
    Field<MachineSpec>{"compute", "map of units", true, "", "compute units by name",
                       [](MachineSpec&, const Node&) {}},  // read_units, which needs the catalog
    Field<MachineSpec>{"links", "map of links", false, "none", "links from units to pools they are not attached to",
                       [](MachineSpec& m, const Node& n) { m.links = read_named<LinkSpec>(n, kLinkFields); }},
    Field<MachineSpec>{"power", "map", false, "none", "power model, platform power and battery",
                       [](MachineSpec&, const Node&) {}},   // read_power: it needs the catalog
    // Die-crossing fabric and host CPU (config/platform_spec.hpp).
    Field<MachineSpec>{"fabric", "map", false, "one die", "dies a page interleave spans and the crossing traffic's stream rate",
                       [](MachineSpec& m, const Node& n) { read_fabric(m.fabric, n); }},
    Field<MachineSpec>{"host_cpu", "map", false, "the reference core", "the host CPU: single-thread speed and device-to-host copies",
                       [](MachineSpec& m, const Node& n) { read_host_cpu(m.host_cpu, n); }},
    // --- read by read_thermal (thermal_fields.cpp), after units and pools ---
    Field<MachineSpec>{"thermal", "map", false, "none", "cooling domains (first-order RC) for the thermal governor",
                       [](MachineSpec&, const Node&) {}},
    Field<MachineSpec>{"limits", "map", false, "none", "sustained and burst power limits (PL1/PL2, STAPM/PPT, caps)",
                       [](MachineSpec&, const Node&) {}},
};

// The power section: `impl` must name a registered power model (the first one by default); the
// mapping may hold the common fields and that model's own.
void read_power(PowerSpec& p, const Node& root, const ImplCatalog<PowerSpec>& models) {
    const std::vector<std::string_view> names = models.names();
    if (!names.empty()) p.impl = std::string(names.front());
    const Node n = root.child("power");
    if (!n.defined()) return;
    const ImplInfo<PowerSpec>* impl = models.empty() ? nullptr : models.find(p.impl);
    if (n.is_map() && n.has("impl")) {
        const Node at = n.child("impl");
        p.impl = at.as_string();
        impl = models.find(p.impl);
        if (!impl) {
            const std::string hint = closest_match(p.impl, names);
            at.fail("unknown power model '" + p.impl + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                    (models.empty() ? "; none is registered" : "; expected " + models.name_list()));
        }
    }
    std::vector<Field<PowerSpec>> fields(kPowerFields.begin(), kPowerFields.end());
    if (impl) fields.insert(fields.end(), impl->fields.begin(), impl->fields.end());
    read_fields<PowerSpec>(p, n, fields);
}

void cross_check(MachineSpec& m, const Node& root) {
    if (m.pools.empty()) (root.has("memory") ? root.child("memory") : root).fail("a machine needs at least one memory pool");
    if (m.units.empty()) (root.has("compute") ? root.child("compute") : root).fail("a machine needs at least one compute unit");
    for (const char* group : {"memory", "compute", "caches", "links"}) check_storage_names(root.child(group));
    for (const ComputeUnitSpec& u : m.units) {
        Node at = root.child("compute").child(u.name);
        if (!m.pool(u.memory)) at.child("memory").fail("no memory pool named '" + u.memory + "'");
        bool any = false;
        for (double v : u.vector_ops_per_cycle) any = any || v > 0;
        if (!any) at.child("vector").fail("at least one datatype needs a non-zero throughput");
    }
    for (const CacheSpec& c : m.caches)
        if (!m.pool(c.fronts)) root.child("caches").child(c.name).child("fronts").fail("no memory pool named '" + c.fronts + "'");
    for (const LinkSpec& l : m.links) {
        Node at = root.child("links").child(l.name);
        if (!m.unit(l.unit)) at.child("unit").fail("no compute unit named '" + l.unit + "'");
        if (!m.pool(l.pool)) at.child("pool").fail("no memory pool named '" + l.pool + "'");
    }
}

}  // namespace

const PoolSpec* MachineSpec::pool(const std::string& n) const {
    for (const auto& p : pools) if (p.name == n) return &p;
    return nullptr;
}
const ComputeUnitSpec* MachineSpec::unit(const std::string& n) const {
    for (const auto& u : units) if (u.name == n) return &u;
    return nullptr;
}
const LinkSpec* MachineSpec::link(const std::string& u, const std::string& p) const {
    for (const auto& l : links) if (l.unit == u && l.pool == p) return &l;
    return nullptr;
}

MachineSpec read_machine(const Node& root, const MachineCatalogs& impls, const SearchPaths& paths) {
    MachineSpec m;
    read_fields<MachineSpec>(m, root, kMachineFields, kExtends);
    m.pools = read_pools(root.child("memory"), impls.channel_models, paths);
    read_power(m.power, root, impls.power_models);
    if (root.has("compute")) m.units = read_units(root.child("compute"), impls.units);
    cross_check(m, root);
    read_thermal(m, root, impls.thermal_models);
    YAML::Emitter out;
    out << root.merged();
    m.resolved_yaml = out.c_str();
    return m;
}

MachineSpec load_machine(const std::string& path, const MachineCatalogs& impls, const SearchPaths& paths, const std::vector<Override>& overrides) {
    Node root = apply_overrides(load_layered(path), overrides, "machine");
    MachineSpec m = read_machine(root, impls, paths);
    if (m.name.empty()) m.name = std::filesystem::path(path).stem().string();
    return m;
}

void describe_machine_schema(std::ostream& out, const MachineCatalogs& impls, const SearchPaths& paths) {
    print_fields<MachineSpec>(out, "machine (top level)", kMachineFields);
    out << "\n";
    describe_pool_schema(out, impls.channel_models, paths);
    print_fields<CacheSpec>(out, "\ncaches.<cache>", kCacheFields);
    print_fields<ComputeUnitSpec>(out, "\ncompute.<unit>", kUnitFields);
    for (std::string_view name : impls.units.names()) {
        const ImplInfo<ComputeUnitSpec>* info = impls.units.find(name);
        if (!info->fields.empty())
            print_fields<ComputeUnitSpec>(out, "\ncompute.<unit> with impl: " + std::string(name) + " (" + std::string(info->doc) + ")", info->fields);
    }
    print_fields<LinkSpec>(out, "\nlinks.<link>", kLinkFields);
    print_fields<PowerSpec>(out, "\npower", kPowerFields);
    print_fields<BatterySpec>(out, "\npower.battery", kBatteryFields);
    out << "\n";
    describe_platform_schema(out);
    describe_thermal_schema(out, impls.thermal_models);
    for (std::string_view name : impls.power_models.names())
        if (const ImplInfo<PowerSpec>* i = impls.power_models.find(name); !i->fields.empty())
            print_fields<PowerSpec>(out, "\npower (impl: " + std::string(name) + ")", i->fields);
}

}  // namespace infersim::config

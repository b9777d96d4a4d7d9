// The machine schema as field tables, and the cross-checks between sections.
#include "config/machine_loader.hpp"
#include "config/storage_names.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <limits>

#include "config/dram_presets.hpp"
#include "config/fields.hpp"
#include "config/layered_file.hpp"

namespace infersim::config {
namespace {

constexpr double kHuge = 1e18;
constexpr std::array<std::string_view, 1> kExtends{"extends"};

double qty(const Node& n, Dimension d, double min = 0, double max = kHuge) { return n.as_quantity(d, min, max); }
double positive(const Node& n, Dimension d, double max = kHuge) {
    return n.as_quantity(d, std::numeric_limits<double>::min(), max);
}
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

// ---- DRAM timing overrides (all in time units) ----
using TimingField = Field<DramTiming>;
#define INFERSIM_TIMING(member, text)                                                                 \
    TimingField {                                                                                      \
        #member, "time", false, "from standard", text, [](DramTiming& t, const Node& n) { t.member = n.as_quantity(Dimension::time, 1e-12, 1e-3); } \
    }
const std::array kTimingFields{
    INFERSIM_TIMING(tCK, "command clock period"),
    INFERSIM_TIMING(tRCD, "activate to read/write"),
    INFERSIM_TIMING(tRP, "precharge period"),
    INFERSIM_TIMING(tRAS, "activate to precharge"),
    INFERSIM_TIMING(tRC, "activate to activate, same bank"),
    INFERSIM_TIMING(tWR, "write recovery"),
    INFERSIM_TIMING(tCCD_S, "column to column, different bank group"),
    INFERSIM_TIMING(tCCD_L, "column to column, same bank group"),
    INFERSIM_TIMING(tRRD, "activate to activate, different banks"),
    INFERSIM_TIMING(tFAW, "four-activate window"),
    INFERSIM_TIMING(tWTR, "write to read turnaround"),
    INFERSIM_TIMING(tRTW, "read to write turnaround"),
    INFERSIM_TIMING(tRFC, "all-bank refresh cycle"),
    INFERSIM_TIMING(tREFI, "all-bank refresh interval"),
    INFERSIM_TIMING(tRFCpb, "per-bank refresh cycle"),
    INFERSIM_TIMING(tREFIpb, "per-bank refresh interval"),
};
#undef INFERSIM_TIMING

const std::array kEnergyFields{
    Field<PoolEnergy>{"read", "energy per bit", false, "from standard", "device + I/O energy per bit read",
                      [](PoolEnergy& e, const Node& n) { e.read_j_per_bit = qty(n, Dimension::energy_per_bit, 0, 1e-9); }},
    Field<PoolEnergy>{"write", "energy per bit", false, "from standard", "device + I/O energy per bit written",
                      [](PoolEnergy& e, const Node& n) { e.write_j_per_bit = qty(n, Dimension::energy_per_bit, 0, 1e-9); }},
    Field<PoolEnergy>{"activate", "energy", false, "from standard", "energy per row activation",
                      [](PoolEnergy& e, const Node& n) { e.activate_j = qty(n, Dimension::energy, 0, 1e-6); }},
    Field<PoolEnergy>{"background", "power", false, "0 W", "background power of the whole pool (refresh, PHY, leakage)",
                      [](PoolEnergy& e, const Node& n) { e.background_w = qty(n, Dimension::power, 0, 1e4); }},
};

// The standard is read first (it supplies defaults); the table below then overrides.
const std::array kPoolFields{
    Field<PoolSpec>{"standard", "DRAM preset", true, "", "lpddr4x-4266, lpddr5-6400, lpddr5x-7500/8000/8533/9600, hbm2e, hbm3, hbm3e, gddr6x, gddr7, ddr5-5600",
                    [](PoolSpec&, const Node&) {}},
    Field<PoolSpec>{"capacity", "bytes", true, "", "usable capacity of the pool",
                    [](PoolSpec& p, const Node& n) { p.capacity_bytes = positive(n, Dimension::bytes, 1e16); }},
    Field<PoolSpec>{"channels", "integer", true, "", "independent channels (x16 for LPDDR5X, pseudo-channels for HBM)",
                    [](PoolSpec& p, const Node& n) { p.channels = integer(n, 1, 4096); }},
    Field<PoolSpec>{"data_rate", "transfer rate", false, "from standard", "per-pin data rate",
                    [](PoolSpec& p, const Node& n) { p.timing.data_rate = positive(n, Dimension::transfer_rate, 1e11); }},
    Field<PoolSpec>{"channel_width", "integer (bits)", false, "from standard", "data bits per channel",
                    [](PoolSpec& p, const Node& n) { p.timing.channel_width_bits = integer(n, 1, 1024); }},
    Field<PoolSpec>{"banks", "integer", false, "from standard", "banks per channel",
                    [](PoolSpec& p, const Node& n) { p.timing.banks = integer(n, 1, 1024); }},
    Field<PoolSpec>{"bank_groups", "integer", false, "from standard", "bank groups per channel",
                    [](PoolSpec& p, const Node& n) { p.timing.bank_groups = integer(n, 1, 64); }},
    Field<PoolSpec>{"burst_length", "integer", false, "from standard", "beats per column access",
                    [](PoolSpec& p, const Node& n) { p.timing.burst_length = integer(n, 1, 256); }},
    Field<PoolSpec>{"page", "bytes", false, "from standard", "row buffer size per bank",
                    [](PoolSpec& p, const Node& n) { p.timing.page_bytes = positive(n, Dimension::bytes, 1e6); }},
    Field<PoolSpec>{"interleave", "bytes", false, "4 KiB", "address interleave granularity across channels",
                    [](PoolSpec& p, const Node& n) { p.interleave_bytes = positive(n, Dimension::bytes, 1e9); }},
    Field<PoolSpec>{"mapping", "enum", false, "bank_group_interleaved", "bank_group_interleaved or row_major (a stream stays in one bank group)",
                    [](PoolSpec& p, const Node& n) {
                        p.mapping = as_enum<AddressMapping>(n, {{"bank_group_interleaved", AddressMapping::bank_group_interleaved},
                                                                {"row_major", AddressMapping::row_major}});
                    }},
    Field<PoolSpec>{"refresh", "enum", false, "all_bank", "all_bank (REFab) or per_bank (REFpb)",
                    [](PoolSpec& p, const Node& n) {
                        p.refresh = as_enum<RefreshMode>(n, {{"all_bank", RefreshMode::all_bank}, {"per_bank", RefreshMode::per_bank}});
                    }},
    Field<PoolSpec>{"timing", "map of times", false, "from standard", "overrides of tRCD, tRP, tRFC, ...",
                    [](PoolSpec& p, const Node& n) { read_fields<DramTiming>(p.timing, n, kTimingFields); }},
    Field<PoolSpec>{"energy", "map", false, "from standard", "read/write pJ/bit, activate, background W",
                    [](PoolSpec& p, const Node& n) { read_fields<PoolEnergy>(p.energy, n, kEnergyFields); }},
};

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
    Field<ComputeUnitSpec>{"count", "integer", true, "", "cores, SMs or CUs",
                           [](ComputeUnitSpec& u, const Node& n) { u.count = integer(n, 1, 1'000'000); }},
    Field<ComputeUnitSpec>{"clock", "frequency", true, "", "sustained clock",
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
};

const std::array kPowerFields{
    Field<PowerSpec>{"platform", "power", false, "0 W", "baseline while running: display, uncore, fabric, fans",
                     [](PowerSpec& p, const Node& n) { p.platform_w = qty(n, Dimension::power, 0, 1e5); }},
    Field<PowerSpec>{"idle", "power", false, "0 W", "whole machine idle, for battery usage patterns",
                     [](PowerSpec& p, const Node& n) { p.idle_w = qty(n, Dimension::power, 0, 1e5); }},
    Field<PowerSpec>{"battery", "map", false, "none", "capacity and usable fraction",
                     [](PowerSpec& p, const Node& n) { read_fields<BatterySpec>(p.battery, n, kBatteryFields); }},
};

template <class Spec>
std::vector<Spec> read_named(const Node& n, std::span<const Field<Spec>> fields, void (*prepare)(Spec&, const Node&) = nullptr) {
    if (!n.is_map()) n.fail("expected a mapping of names to entries");
    std::vector<Spec> out;
    for (const std::string& key : n.keys()) {
        Spec s;
        s.name = key;
        Node entry = n.child(key);
        if (!entry.is_map())
            throw InputError(entry.defined() ? entry.location() : n.key_location(key), entry.path(),
                             "expected a mapping of the entry's fields, got " + std::string(entry.defined() ? "a value" : "nothing"));
        if (prepare) prepare(s, entry);
        read_fields<Spec>(s, entry, fields);
        out.push_back(std::move(s));
    }
    return out;
}

void apply_standard(PoolSpec& p, const Node& entry) {
    if (!entry.is_map()) entry.fail("expected a mapping with standard, capacity, channels, ...");
    Node std_node = entry.child("standard");
    if (!std_node.defined()) entry.fail("missing required key 'standard'");
    p.standard = std_node.as_string();
    auto preset = find_dram_preset(p.standard);
    if (!preset) {
        auto names = dram_preset_names();
        std::string hint = closest_match(p.standard, names);
        std_node.fail("unknown DRAM standard '" + p.standard + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
    }
    p.timing = preset->timing;
    p.energy = preset->energy;
}

const std::array kMachineFields{
    Field<MachineSpec>{"name", "text", false, "file name", "machine name",
                       [](MachineSpec& m, const Node& n) { m.name = n.as_string(); }},
    Field<MachineSpec>{"description", "text", false, "", "what the machine is",
                       [](MachineSpec& m, const Node& n) { m.description = n.as_string(); }},
    Field<MachineSpec>{"runtime", "runtime name", false, "ideal", "default runtime profile (configs/runtimes)",
                       [](MachineSpec& m, const Node& n) { m.default_runtime = n.as_string(); }},
    Field<MachineSpec>{"memory", "map of pools", true, "", "memory pools by name",
                       [](MachineSpec& m, const Node& n) { m.pools = read_named<PoolSpec>(n, kPoolFields, apply_standard); }},
    Field<MachineSpec>{"caches", "map of caches", false, "none", "system-level caches by name",
                       [](MachineSpec& m, const Node& n) { m.caches = read_named<CacheSpec>(n, kCacheFields); }},
    Field<MachineSpec>{"compute", "map of units", true, "", "compute units by name",
                       [](MachineSpec& m, const Node& n) { m.units = read_named<ComputeUnitSpec>(n, kUnitFields); }},
    Field<MachineSpec>{"links", "map of links", false, "none", "links from units to pools they are not attached to",
                       [](MachineSpec& m, const Node& n) { m.links = read_named<LinkSpec>(n, kLinkFields); }},
    Field<MachineSpec>{"power", "map", false, "none", "platform power and battery",
                       [](MachineSpec& m, const Node& n) { read_fields<PowerSpec>(m.power, n, kPowerFields); }},
};

void check_timing(const PoolSpec& p, const Node& at) {
    const DramTiming& t = p.timing;
    if (t.banks % t.bank_groups != 0) at.fail("banks (" + std::to_string(t.banks) + ") must be a multiple of bank_groups");
    if (t.tRFC >= t.tREFI) at.fail("tRFC must be shorter than tREFI, or the channel would only refresh");
    if (p.refresh == RefreshMode::per_bank && t.tRFCpb >= t.tREFIpb * t.banks)
        at.fail("per-bank refresh: tRFCpb must be shorter than tREFIpb x banks");
    // The detailed model counts whole picoseconds: a shorter timing would round to nothing.
    for (double v : {t.tCK, t.tRCD, t.tRP, t.tRAS, t.tRC, t.tWR, t.tCCD_S, t.tCCD_L, t.tRRD, t.tFAW, t.tWTR, t.tRTW, t.tRFC, t.tREFI})
        if (v > 0 && v < 1e-12) at.fail("a timing below one picosecond (after scaling to the data rate) cannot be simulated");
    if (t.tRAS > t.tRC) at.fail("tRAS (activate to precharge) cannot exceed tRC (activate to activate of the same bank)");
    // A row must open, be used and close between two refreshes, or the channel can never make
    // progress (the detailed model would wait for a gap that never comes).
    const bool per_bank = p.refresh == RefreshMode::per_bank && t.tRFCpb > 0;
    const double gap = per_bank ? t.tREFIpb * t.banks - t.tRFCpb : t.tREFI - t.tRFC;
    const double burst = t.data_rate > 0 ? t.burst_length / t.data_rate : 0;
    const double row_cycle = std::max({t.tRAS + t.tRP, t.tRC, t.tRCD + burst + t.tWR + t.tRP});
    if (gap < row_cycle)
        at.fail("refresh leaves gaps of " + std::to_string(gap * 1e9) + " ns, shorter than one row cycle (" +
                std::to_string(row_cycle * 1e9) + " ns: max of tRAS + tRP, tRC, tRCD + burst + tWR + tRP)");
}

// A data rate other than the preset's moves the clock with it: tCK and the column-to-column
// spacings are counted in clocks, unless the file sets them itself.
void rescale_clock(PoolSpec& p, const Node& entry) {
    if (!entry.has("data_rate")) return;
    const double preset_rate = find_dram_preset(p.standard)->timing.data_rate;
    const double ratio = preset_rate / p.timing.data_rate;
    Node timing = entry.child("timing");
    if (!timing.has("tCK")) p.timing.tCK *= ratio;
    if (!timing.has("tCCD_S")) p.timing.tCCD_S *= ratio;
    if (!timing.has("tCCD_L")) p.timing.tCCD_L *= ratio;
}

void cross_check(MachineSpec& m, const Node& root) {
    if (m.pools.empty()) (root.has("memory") ? root.child("memory") : root).fail("a machine needs at least one memory pool");
    if (m.units.empty()) (root.has("compute") ? root.child("compute") : root).fail("a machine needs at least one compute unit");
    for (const char* group : {"memory", "compute", "caches", "links"}) check_storage_names(root.child(group));
    for (PoolSpec& p : m.pools) rescale_clock(p, root.child("memory").child(p.name));
    for (const PoolSpec& p : m.pools) check_timing(p, root.child("memory").child(p.name));
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

MachineSpec read_machine(const Node& root, const MachineCatalogs& impls) {
    (void)impls;  // consulted by the per-axis readers as implementations register
    MachineSpec m;
    read_fields<MachineSpec>(m, root, kMachineFields, kExtends);
    cross_check(m, root);
    YAML::Emitter out;
    out << root.merged();
    m.resolved_yaml = out.c_str();
    return m;
}

MachineSpec load_machine(const std::string& path, const MachineCatalogs& impls) {
    Node root = load_layered(path);
    MachineSpec m = read_machine(root, impls);
    if (m.name.empty()) m.name = std::filesystem::path(path).stem().string();
    return m;
}

void describe_machine_schema(std::ostream& out, const MachineCatalogs& impls) {
    (void)impls;
    print_fields<MachineSpec>(out, "machine (top level)", kMachineFields);
    print_fields<PoolSpec>(out, "\nmemory.<pool>", kPoolFields);
    print_fields<DramTiming>(out, "\nmemory.<pool>.timing", kTimingFields);
    print_fields<PoolEnergy>(out, "\nmemory.<pool>.energy", kEnergyFields);
    print_fields<CacheSpec>(out, "\ncaches.<cache>", kCacheFields);
    print_fields<ComputeUnitSpec>(out, "\ncompute.<unit>", kUnitFields);
    print_fields<LinkSpec>(out, "\nlinks.<link>", kLinkFields);
    print_fields<PowerSpec>(out, "\npower", kPowerFields);
    print_fields<BatterySpec>(out, "\npower.battery", kBatteryFields);
    out << "\nDRAM standards:";
    for (auto n : dram_preset_names()) out << " " << n;
    out << "\n";
}

}  // namespace infersim::config

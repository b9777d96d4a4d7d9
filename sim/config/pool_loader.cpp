// Memory pools: the standard, its overrides, the channel model and its fields.
#include "config/pool_loader.hpp"

#include <algorithm>

#include "config/dram_fields.hpp"
#include "config/dram_standard.hpp"
#include "config/fields.hpp"

namespace infersim::config {
namespace {

// The standard and the channel model are read before the table (they supply the defaults and
// the model's own fields); their rows here document them and accept the keys.
const std::array kHeadFields{
    Field<PoolSpec>{"standard", "DRAM standard", true, "",
                    "a name in configs/dram (see `infersim describe dram`) or a path to such a file",
                    [](PoolSpec&, const Node&) {}},
    Field<PoolSpec>{"capacity", "bytes", true, "", "usable capacity of the pool",
                    [](PoolSpec& p, const Node& n) { p.capacity_bytes = positive(n, Dimension::bytes, 1e16); }},
    Field<PoolSpec>{"channels", "integer", true, "", "independent channels (x16 for LPDDR5X, pseudo-channels for HBM)",
                    [](PoolSpec& p, const Node& n) { p.channels = static_cast<int>(n.as_integer(1, 4096)); }},
};

const std::array kTailFields{
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
    Field<PoolSpec>{"channel_model", "channel model", false, "fast",
                    "the channel timing model (see `infersim describe channel-models`); sim.fidelity in a scenario overrides it",
                    [](PoolSpec&, const Node&) {}},
};

// The pool's fields in reading order: the DRAM fields read data_rate before timing.
const std::vector<Field<PoolSpec>>& pool_fields() {
    static const std::vector<Field<PoolSpec>> fields = [] {
        std::vector<Field<PoolSpec>> f(kHeadFields.begin(), kHeadFields.end());
        for (const auto& d : dram_fields<PoolSpec, false>()) f.push_back(d);
        f.insert(f.end(), kTailFields.begin(), kTailFields.end());
        return f;
    }();
    return fields;
}

void apply_standard(PoolSpec& p, const Node& entry, const SearchPaths& paths) {
    Node std_node = entry.child("standard");
    if (!std_node.defined()) entry.fail("missing required key 'standard' (a DRAM standard, see `infersim describe dram`)");
    p.standard = std_node.as_string();
    const DramStandard s = load_dram_standard(resolve_dram_standard(std_node, paths));
    p.timing = s.timing;
    p.energy = s.energy;
}

const ImplInfo<PoolSpec>* pick_channel_model(PoolSpec& p, const Node& entry, const ImplCatalog<PoolSpec>& models) {
    Node n = entry.child("channel_model");
    if (n.defined()) p.channel_model = n.as_string();
    if (models.empty() && !n.defined()) return nullptr;  // a loader given no catalog: the default
    if (const ImplInfo<PoolSpec>* m = models.find(p.channel_model)) return m;
    const std::vector<std::string_view> names = models.names();
    const std::string hint = closest_match(p.channel_model, names);
    n.fail("unknown channel model '" + printable(p.channel_model) + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
           "; expected " + (models.empty() ? std::string("none (no channel models registered)") : models.name_list()));
}

void check_pool(const PoolSpec& p, const Node& at) {
    check_dram_timing(p.timing, at);
    const DramTiming& t = p.timing;
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

}  // namespace

std::vector<PoolSpec> read_pools(const Node& memory, const ImplCatalog<PoolSpec>& models, const SearchPaths& paths) {
    if (!memory.is_map()) memory.fail("expected a mapping of names to entries");
    std::vector<PoolSpec> out;
    for (const std::string& key : memory.keys()) {
        PoolSpec p;
        p.name = key;
        const Node entry = named_entry(memory, key);
        apply_standard(p, entry, paths);
        std::vector<Field<PoolSpec>> fields = pool_fields();
        if (const ImplInfo<PoolSpec>* model = pick_channel_model(p, entry, models))
            fields.insert(fields.end(), model->fields.begin(), model->fields.end());
        read_fields<PoolSpec>(p, entry, fields);
        check_pool(p, entry);
        out.push_back(std::move(p));
    }
    return out;
}

void describe_pool_schema(std::ostream& out, const ImplCatalog<PoolSpec>& models, const SearchPaths& paths) {
    print_fields<PoolSpec>(out, "memory.<pool>", pool_fields());
    print_fields<DramTiming>(out, "\nmemory.<pool>.timing", dram_timing_fields(false));
    print_fields<PoolEnergy>(out, "\nmemory.<pool>.energy", dram_energy_fields(false));
    out << "\nchannel models (memory.<pool>.channel_model): " << (models.empty() ? "none" : models.name_list()) << "\n";
    out << "DRAM standards:";
    for (const std::string& n : dram_standard_names(paths)) out << " " << n;
    out << "\n";
}

}  // namespace infersim::config

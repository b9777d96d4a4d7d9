// The DRAM organisation, timing and energy fields: one set of tables reads both a pool's
// overrides (memory.<pool>: data_rate, channel_width, ..., timing: {tCK, ...}, energy: {...})
// and a DRAM standard's file (configs/dram/*.yaml), which must set every one of them.
//
// Times may be written in clocks as well as in seconds: "2 nCK" is 2 x tCK (tCK is read
// first), "8 UI" is 8 unit intervals of the pin, 8 / data_rate (data_rate is read first). A
// standard states tCK and its column spacings that way, so its speed grades differ only in
// data_rate.
#pragma once
#include <array>
#include <limits>
#include <span>

#include "config/fields.hpp"
#include "config/machine_spec.hpp"

namespace infersim::config {

/// tCK, tRCD, ... : optional keys for a pool, required ones for a standard (`standard`).
std::span<const Field<DramTiming>> dram_timing_fields(bool standard);
/// read, write, activate (required for a standard), background.
std::span<const Field<PoolEnergy>> dram_energy_fields(bool standard);

/// A time field: "18 ns", "2 nCK" (x tCK) or "8 UI" (/ data_rate).
double read_dram_time(const DramTiming& t, const Node& n);
/// Sets the data rate. A clock that is already set moves with it (tCK and the column
/// spacings are counted in clocks); timing keys read afterwards replace them.
void set_data_rate(DramTiming& t, double rate);
int read_dram_integer(const Node& n, int min, int max);
double read_dram_bytes(const Node& n, double max);

/// What the fields cannot check one by one: bank groups divide banks, refresh leaves time,
/// metadata leaves whole data bytes. Fails at `at`.
void check_dram_timing(const DramTiming& t, const Node& at);

/// The organisation fields of `Spec` (a PoolSpec or a DramStandard: anything with `timing`
/// and `energy` members); `Standard` makes them required.
template <class Spec, bool Standard>
std::span<const Field<Spec>> dram_fields() {
    static const std::array<Field<Spec>, 9> fields{
        Field<Spec>{"data_rate", "transfer rate", Standard, "from standard", "per-pin data rate, e.g. '8533 MT/s'",
                    [](Spec& s, const Node& n) { set_data_rate(s.timing, n.as_quantity(Dimension::transfer_rate, std::numeric_limits<double>::min(), 1e11)); }},
        Field<Spec>{"channel_width", "integer (bits)", Standard, "from standard", "DQ pins per channel (data and metadata)",
                    [](Spec& s, const Node& n) { s.timing.channel_width_bits = read_dram_integer(n, 1, 1024); }},
        Field<Spec>{"metadata_bits", "integer (bits)", false, "from standard (0)",
                    "bits of each burst that carry ECC/metadata, not data: data bytes per burst = (channel_width x burst_length - metadata_bits) / 8",
                    [](Spec& s, const Node& n) { s.timing.metadata_bits = read_dram_integer(n, 0, 1 << 16); }},
        Field<Spec>{"banks", "integer", Standard, "from standard", "banks per channel",
                    [](Spec& s, const Node& n) { s.timing.banks = read_dram_integer(n, 1, 1024); }},
        Field<Spec>{"bank_groups", "integer", Standard, "from standard", "bank groups per channel",
                    [](Spec& s, const Node& n) { s.timing.bank_groups = read_dram_integer(n, 1, 64); }},
        Field<Spec>{"burst_length", "integer", Standard, "from standard", "beats per column access",
                    [](Spec& s, const Node& n) { s.timing.burst_length = read_dram_integer(n, 1, 256); }},
        Field<Spec>{"page", "bytes", Standard, "from standard", "row buffer per bank, in data bytes",
                    [](Spec& s, const Node& n) { s.timing.page_bytes = read_dram_bytes(n, 1e6); }},
        Field<Spec>{"timing", "map of times", Standard, "from standard", "tCK, tRCD, tRP, tRFC, ... ('18 ns', '2 nCK', '8 UI')",
                    [](Spec& s, const Node& n) { read_fields<DramTiming>(s.timing, n, dram_timing_fields(Standard)); }},
        Field<Spec>{"energy", "map", Standard, "from standard", "read/write pJ/bit (per data bit), activate, background W",
                    [](Spec& s, const Node& n) { read_fields<PoolEnergy>(s.energy, n, dram_energy_fields(Standard)); }},
    };
    return fields;
}

}  // namespace infersim::config

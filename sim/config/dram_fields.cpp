// DRAM timing and energy tables, and the clock-relative time syntax.
#include "config/dram_fields.hpp"

#include <charconv>
#include <limits>
#include <string>
#include <string_view>

namespace infersim::config {
namespace {

constexpr double kMaxTime = 1e-3;

#define INFERSIM_TIMING(member, text)                                                                             \
    Field<DramTiming> {                                                                                             \
        #member, "time", Standard, "from standard", text,                                                           \
            [](DramTiming& t, const Node& n) { t.member = read_dram_time(t, n); }                                   \
    }
template <bool Standard>
const std::array<Field<DramTiming>, 16>& timing_table() {
    // tCK first: the fields after it may be written in clocks.
    static const std::array<Field<DramTiming>, 16> fields{
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
    return fields;
}
#undef INFERSIM_TIMING

template <bool Standard>
const std::array<Field<PoolEnergy>, 4>& energy_table() {
    static const std::array<Field<PoolEnergy>, 4> fields{
        Field<PoolEnergy>{"read", "energy per bit", Standard, "from standard", "device + I/O energy per data bit read",
                          [](PoolEnergy& e, const Node& n) { e.read_j_per_bit = n.as_quantity(Dimension::energy_per_bit, 0, 1e-9); }},
        Field<PoolEnergy>{"write", "energy per bit", Standard, "from standard", "device + I/O energy per data bit written",
                          [](PoolEnergy& e, const Node& n) { e.write_j_per_bit = n.as_quantity(Dimension::energy_per_bit, 0, 1e-9); }},
        Field<PoolEnergy>{"activate", "energy", Standard, "from standard", "energy per row activation",
                          [](PoolEnergy& e, const Node& n) { e.activate_j = n.as_quantity(Dimension::energy, 0, 1e-6); }},
        Field<PoolEnergy>{"background", "power", false, "0 W", "background power of the whole pool (refresh, PHY, leakage)",
                          [](PoolEnergy& e, const Node& n) { e.background_w = n.as_quantity(Dimension::power, 0, 1e4); }},
    };
    return fields;
}

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The number before a clock suffix, checked to be positive and sane.
double clock_count(const Node& n, std::string_view text, std::string_view suffix) {
    std::string_view num = text.substr(0, text.size() - suffix.size());
    while (!num.empty() && num.back() == ' ') num.remove_suffix(1);
    double v = 0;
    auto [end, ec] = std::from_chars(num.data(), num.data() + num.size(), v);
    if (ec != std::errc() || end != num.data() + num.size() || !(v > 0) || v > 1e6)
        n.fail("expected a positive number of clocks like '2 " + std::string(suffix) + "', got '" + std::string(text) + "'");
    return v;
}

}  // namespace

std::span<const Field<DramTiming>> dram_timing_fields(bool standard) {
    if (standard) return timing_table<true>();
    return timing_table<false>();
}

std::span<const Field<PoolEnergy>> dram_energy_fields(bool standard) {
    if (standard) return energy_table<true>();
    return energy_table<false>();
}

double read_dram_time(const DramTiming& t, const Node& n) {
    if (n.is_scalar()) {
        const std::string text = n.as_string();
        if (ends_with(text, "nCK")) {
            const double clocks = clock_count(n, text, "nCK");
            if (!(t.tCK > 0)) n.fail("'" + text + "' counts clocks, but tCK is not set (set timing.tCK, or write a time)");
            const double v = clocks * t.tCK;
            if (v > kMaxTime) n.fail("'" + text + "' is longer than 1 ms");
            return v;
        }
        if (ends_with(text, "UI")) {
            const double intervals = clock_count(n, text, "UI");
            if (!(t.data_rate > 0)) n.fail("'" + text + "' counts unit intervals, but data_rate is not set");
            return intervals / t.data_rate;
        }
    }
    return n.as_quantity(Dimension::time, 1e-12, kMaxTime);  // below a picosecond cannot be simulated
}

void set_data_rate(DramTiming& t, double rate) {
    if (t.data_rate > 0) {
        const double ratio = t.data_rate / rate;
        t.tCK *= ratio;
        t.tCCD_S *= ratio;
        t.tCCD_L *= ratio;
    }
    t.data_rate = rate;
}

int read_dram_integer(const Node& n, int min, int max) { return static_cast<int>(n.as_integer(min, max)); }

double read_dram_bytes(const Node& n, double max) { return n.as_quantity(Dimension::bytes, std::numeric_limits<double>::min(), max); }

void check_dram_timing(const DramTiming& t, const Node& at) {
    if (t.banks % t.bank_groups != 0) at.fail("banks (" + std::to_string(t.banks) + ") must be a multiple of bank_groups");
    if (t.tRFC >= t.tREFI) at.fail("tRFC must be shorter than tREFI, or the channel would only refresh");
    const int raw = t.burst_raw_bits();
    if (t.metadata_bits >= raw || (raw - t.metadata_bits) % 8 != 0)
        at.fail("metadata_bits (" + std::to_string(t.metadata_bits) + ") must leave a whole, non-zero number of data bytes in a burst of " +
                std::to_string(raw) + " bits (channel_width x burst_length)");
}

}  // namespace infersim::config

// The DRAM preset table. Sources: ../shared/reference/memory.md (JEDEC JESD209-5B/5C for
// LPDDR5/5X, JESD238 for HBM3, Micron LPDDR5 datasheet, Ramulator 2 presets). Figures marked
// "approx" are datasheet-class values that no primary source in the reference confirmed.
#include "config/dram_presets.hpp"

#include <array>

namespace infersim::config {
namespace {

constexpr double ns = 1e-9;
constexpr double pJ = 1e-12;

// LPDDR5/5X x16 channel, bank-group mode (4 BG x 4 banks), BL16 = 32 B, 2 KB page.
// Clock: data rate = 8 x CK (WCK 4:1, DDR), so tCK = 8 / rate. Array timings do not scale with
// speed grade (JESD209-5B). tRFCab 380 ns is the 32 Gb die used in 64-128 GB parts.
DramTiming lpddr5(double mtps) {
    DramTiming t;
    t.data_rate = mtps * 1e6;
    t.channel_width_bits = 16;
    t.banks = 16;
    t.bank_groups = 4;
    t.burst_length = 16;
    t.page_bytes = 2048;
    t.tCK = 8.0 / t.data_rate;
    t.tRCD = 18 * ns; t.tRP = 18 * ns; t.tRAS = 42 * ns; t.tRC = 60 * ns; t.tWR = 34 * ns;
    t.tCCD_S = 2 * t.tCK; t.tCCD_L = 4 * t.tCK;
    t.tRRD = std::max(4 * t.tCK, 5 * ns); t.tFAW = 20 * ns;
    t.tWTR = 10 * ns;   // approx: tWTR_L
    t.tRTW = 7.5 * ns;  // approx: RL - WL + BL/n + margin at 8533
    t.tRFC = 380 * ns; t.tREFI = 3906 * ns;
    t.tRFCpb = 190 * ns; t.tREFIpb = 488 * ns;
    return t;
}

// LPDDR4X x16 channel: 8 banks, no bank groups, BL16 = 32 B, 2 KB page, data rate = 2 x CK.
DramTiming lpddr4x(double mtps) {
    DramTiming t;
    t.data_rate = mtps * 1e6;
    t.channel_width_bits = 16;
    t.banks = 8;
    t.bank_groups = 1;
    t.burst_length = 16;
    t.page_bytes = 2048;
    t.tCK = 2.0 / t.data_rate;
    t.tRCD = 18 * ns; t.tRP = 18 * ns; t.tRAS = 42 * ns; t.tRC = 60 * ns; t.tWR = 18 * ns;
    t.tCCD_S = 8 * t.tCK; t.tCCD_L = 8 * t.tCK;
    t.tRRD = 10 * ns; t.tFAW = 40 * ns;
    t.tWTR = 10 * ns; t.tRTW = 8 * ns;  // approx
    t.tRFC = 280 * ns; t.tREFI = 3904 * ns;
    t.tRFCpb = 140 * ns; t.tREFIpb = 488 * ns;
    return t;
}

// HBM3/3E pseudo-channel: 32 bit, BL8 = 32 B, 1 KB page, 4 BG x 4 banks, data rate = 4 x CK.
DramTiming hbm3(double gbps) {
    DramTiming t;
    t.data_rate = gbps * 1e9;
    t.channel_width_bits = 32;
    t.banks = 16;
    t.bank_groups = 4;
    t.burst_length = 8;
    t.page_bytes = 1024;
    t.tCK = 4.0 / t.data_rate;
    t.tRCD = 19.4 * ns; t.tRP = 16.25 * ns; t.tRAS = 28.1 * ns; t.tRC = 45 * ns; t.tWR = 16 * ns;
    t.tCCD_S = 2 * t.tCK; t.tCCD_L = 4 * t.tCK;  // BL8 at 4 beats per CK: one burst per 2 CK
    t.tRRD = 2.5 * ns; t.tFAW = 15 * ns;
    t.tWTR = 5 * ns; t.tRTW = 4 * ns;  // approx
    t.tRFC = 350 * ns; t.tREFI = 3900 * ns;
    t.tRFCpb = 200 * ns; t.tREFIpb = 3900 * ns / 16;
    return t;
}

// HBM2E pseudo-channel: 64 bit, BL4 = 32 B, 1 KB page, 4 BG x 4 banks, data rate = 2 x CK (approx).
DramTiming hbm2e(double gbps) {
    DramTiming t;
    t.data_rate = gbps * 1e9;
    t.channel_width_bits = 64;
    t.banks = 16;
    t.bank_groups = 4;
    t.burst_length = 4;
    t.page_bytes = 1024;
    t.tCK = 2.0 / t.data_rate;
    t.tRCD = 14 * ns; t.tRP = 14 * ns; t.tRAS = 33 * ns; t.tRC = 47 * ns; t.tWR = 16 * ns;
    t.tCCD_S = 2 * t.tCK; t.tCCD_L = 4 * t.tCK;
    t.tRRD = 2.5 * ns; t.tFAW = 16 * ns;
    t.tWTR = 5 * ns; t.tRTW = 4 * ns;
    t.tRFC = 350 * ns; t.tREFI = 3900 * ns;
    t.tRFCpb = 160 * ns; t.tREFIpb = 3900 * ns / 16;
    return t;
}

// GDDR6X (PAM4) and GDDR7 (PAM3): 32 B access per channel; x16 channels for 6X, x8 for 7 (approx).
DramTiming gddr(double gbps, int width_bits, int burst_length) {
    DramTiming t;
    t.data_rate = gbps * 1e9;
    t.channel_width_bits = width_bits;
    t.banks = 16;
    t.bank_groups = 4;
    t.burst_length = burst_length;
    t.page_bytes = 2048;
    t.tCK = burst_length / t.data_rate / 2;
    t.tRCD = 12 * ns; t.tRP = 12 * ns; t.tRAS = 28 * ns; t.tRC = 40 * ns; t.tWR = 12 * ns;
    t.tCCD_S = burst_length / t.data_rate; t.tCCD_L = 2 * t.tCCD_S;
    t.tRRD = 3 * ns; t.tFAW = 16 * ns;
    t.tWTR = 5 * ns; t.tRTW = 4 * ns;
    t.tRFC = 280 * ns; t.tREFI = 1900 * ns;  // 32 ms / 16k rows
    t.tRFCpb = 140 * ns; t.tREFIpb = 1900 * ns / 16;
    return t;
}

// DDR5 32-bit subchannel, BL16 = 64 B, 8 BG x 4 banks, 4 KB rank page (x8 devices), 16 Gb die.
DramTiming ddr5(double mtps) {
    DramTiming t;
    t.data_rate = mtps * 1e6;
    t.channel_width_bits = 32;
    t.banks = 32;
    t.bank_groups = 8;
    t.burst_length = 16;
    t.page_bytes = 4096;
    t.tCK = 2.0 / t.data_rate;
    t.tRCD = 16 * ns; t.tRP = 16 * ns; t.tRAS = 32 * ns; t.tRC = 48 * ns; t.tWR = 30 * ns;
    t.tCCD_S = 8 * t.tCK; t.tCCD_L = 5 * ns;
    t.tRRD = 5 * ns; t.tFAW = 20 * ns;
    t.tWTR = 10 * ns; t.tRTW = 6 * ns;
    t.tRFC = 295 * ns; t.tREFI = 3900 * ns;
    t.tRFCpb = 130 * ns; t.tREFIpb = 3900 * ns / 32;
    return t;
}

// Energy per bit (device + I/O), memory.md: LPDDR4 8 (Accelergy), LPDDR5 ~5, LPDDR5X ~4.5,
// HBM2 3.9 (FGDRAM, MICRO'17), HBM3/3E ~3.25 / 3, GDDR6X ~7.25, DDR5 ~12 ("commonly used").
// Activation energy ~ 1 nJ per 2 KB row (approx, Micron power calculators' order of magnitude).
PoolEnergy energy(double pj_per_bit, double act_nj) {
    PoolEnergy e;
    e.read_j_per_bit = pj_per_bit * pJ;
    e.write_j_per_bit = pj_per_bit * pJ;
    e.activate_j = act_nj * 1e-9;
    return e;
}

const std::array kPresets{
    DramPreset{"lpddr4x-4266", "JESD209-4; memory.md", lpddr4x(4266), energy(8, 1.0)},
    DramPreset{"lpddr5-6400", "JESD209-5B; memory.md", lpddr5(6400), energy(5, 1.0)},
    DramPreset{"lpddr5x-7500", "JESD209-5C; memory.md", lpddr5(7500), energy(4.5, 1.0)},
    DramPreset{"lpddr5x-8000", "JESD209-5C; memory.md", lpddr5(8000), energy(4.5, 1.0)},
    DramPreset{"lpddr5x-8533", "JESD209-5C; memory.md", lpddr5(8533), energy(4.5, 1.0)},
    DramPreset{"lpddr5x-9600", "JESD209-5C; memory.md", lpddr5(9600), energy(4.5, 1.0)},
    DramPreset{"hbm2e", "JESD235C; approx timings", hbm2e(3.2), energy(3.9, 0.5)},
    DramPreset{"hbm3", "JESD238; memory.md", hbm3(6.4), energy(3.25, 0.5)},
    DramPreset{"hbm3e", "JESD238A; memory.md", hbm3(9.6), energy(3.0, 0.5)},
    DramPreset{"gddr6x", "Micron GDDR6X; approx timings", gddr(21, 16, 8), energy(7.25, 1.0)},
    DramPreset{"gddr7", "JESD239; approx timings", gddr(28, 8, 32), energy(6.5, 1.0)},
    DramPreset{"ddr5-5600", "JESD79-5; approx timings", ddr5(5600), energy(12, 1.5)},
};

struct Alias {
    std::string_view family;
    std::string_view preset;
};
constexpr std::array kAliases{
    Alias{"lpddr4x", "lpddr4x-4266"}, Alias{"lpddr5", "lpddr5-6400"}, Alias{"lpddr5x", "lpddr5x-8533"},
    Alias{"ddr5", "ddr5-5600"},
};

}  // namespace

std::optional<DramPreset> find_dram_preset(std::string_view name) {
    for (const Alias& a : kAliases)
        if (a.family == name) name = a.preset;
    for (const DramPreset& p : kPresets)
        if (p.name == name) return p;
    return std::nullopt;
}

std::vector<std::string_view> dram_preset_names() {
    std::vector<std::string_view> out;
    for (const DramPreset& p : kPresets) out.push_back(p.name);
    for (const Alias& a : kAliases) out.push_back(a.family);
    return out;
}

}  // namespace infersim::config

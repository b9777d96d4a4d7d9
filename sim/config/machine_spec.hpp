// Plain spec structs for a machine, as validated from YAML. All values in SI base units
// (bytes, seconds, hertz, joules, watts) unless the name says otherwise.
#pragma once
#include <any>
#include <cstdint>
#include <string>
#include <vector>

#include "config/dtype.hpp"
#include "config/impl_params.hpp"
#include "config/platform_spec.hpp"

namespace infersim::config {

enum class AddressMapping { bank_group_interleaved, row_major };
enum class RefreshMode { all_bank, per_bank };

/// DRAM organisation and timing of one channel. Times in seconds.
///
/// Data vs raw bytes: a burst puts channel_width_bits x burst_length bits on the pins (raw);
/// `metadata_bits` of them carry ECC, metadata or link protection rather than data (LPDDR6:
/// 32 of 288), so a burst moves burst_data_bytes() of data. Bandwidth, request sizes and
/// traffic are counted in data bytes; the pins' time per burst is burst_length / data_rate.
struct DramTiming {
    double data_rate = 0;          // transfers per second per pin
    int channel_width_bits = 0;    // DQ pins per channel (data and metadata)
    int metadata_bits = 0;         // bits of each burst that are not data (ECC, metadata)
    int banks = 0;                 // per channel (all bank groups)
    int bank_groups = 1;
    int burst_length = 16;         // beats per column access
    double page_bytes = 0;         // row buffer per bank, in data bytes
    double tCK = 0;
    double tRCD = 0, tRP = 0, tRAS = 0, tRC = 0, tWR = 0;
    double tCCD_S = 0, tCCD_L = 0;
    double tRRD = 0, tFAW = 0;
    double tWTR = 0, tRTW = 0;
    double tRFC = 0, tREFI = 0;    // all-bank refresh
    double tRFCpb = 0, tREFIpb = 0;// per-bank refresh

    /// Bits on the pins per burst.
    int burst_raw_bits() const { return channel_width_bits * burst_length; }
    double burst_raw_bytes() const { return burst_raw_bits() / 8.0; }
    /// Data bytes per burst: the raw bits less the metadata.
    double burst_data_bytes() const { return (burst_raw_bits() - metadata_bits) / 8.0; }
    /// Peak pin bandwidth of one channel (bytes/s), metadata included.
    double peak_raw_bytes_per_s() const { return data_rate * channel_width_bits / 8.0; }
    /// Peak data bandwidth of one channel (bytes/s): the pins' share that carries data.
    double peak_data_bytes_per_s() const {
        if (metadata_bits == 0) return peak_raw_bytes_per_s();  // no extra rounding for the common case
        return peak_raw_bytes_per_s() * (burst_raw_bits() - metadata_bits) / burst_raw_bits();
    }
};

struct PoolEnergy {
    double read_j_per_bit = 0;
    double write_j_per_bit = 0;
    double activate_j = 0;         // per row activation
    double background_w = 0;       // whole pool, while powered
};

struct PoolSpec {
    std::string name;
    std::string standard;          // preset name (configs/dram), e.g. "lpddr5x-8533", or a path
    double capacity_bytes = 0;
    int channels = 0;
    double interleave_bytes = 4096;// address interleave granularity across channels
    AddressMapping mapping = AddressMapping::bank_group_interleaved;
    RefreshMode refresh = RefreshMode::all_bank;
    DramTiming timing;
    PoolEnergy energy;
    std::string channel_model = "fast";  // a name in hw::channel_models()
    std::any channel_params;       // that model's own parameters (hw::channel_params<P>)

    /// Peak data bandwidth (metadata bits excluded): per channel, and of the pool.
    double channel_peak_bytes_per_s() const { return timing.peak_data_bytes_per_s(); }
    double peak_bytes_per_s() const { return channel_peak_bytes_per_s() * channels; }
};

struct CacheSpec {
    std::string name;
    std::string fronts;            // pool whose traffic it filters
    double capacity_bytes = 0;
    double bandwidth = 0;          // bytes per second
    double latency = 0;
    bool keep_activations = true;  // policy: what the cache holds
    bool keep_kv = false;          // the KV cache, while it fits
    bool keep_weights = false;     // weights, when they all fit
    double energy_j_per_byte = 0;
};

/// A unit's role on the machine (which unit a scenario runs on by default: the first gpu). How
/// it computes is its `impl`, a registered compute-unit implementation (hw::compute_units()).
enum class UnitKind { gpu, cpu, npu };

struct ComputeUnitSpec {
    std::string name;
    UnitKind kind = UnitKind::gpu;
    std::string impl;              // registered implementation; the loader defaults it from `kind`
    ImplParams params;             // the implementation's own fields
    int count = 1;                 // cores / SMs / CUs
    double clock_hz = 0;
    std::string memory;            // the pool it is attached to
    PerDType vector_ops_per_cycle{};   // per core, SIMD
    PerDType matrix_ops_per_cycle{};   // per core, matrix/tensor unit
    int matrix_min_rows = 16;      // rows (tokens) needed to fill a matrix tile
    double static_w = 0;
    PerDType energy_j_per_op{};
    // Measured stream bandwidth: the most the unit pulls from memory (bytes/s); 0: no limit of
    // its own, the memory model sets the rate.
    double stream_bytes_per_s = 0;
    // Prefill GEMM kernels (issue 9): the clock the unit holds under a long load (0: `clock`),
    // which kernel models time their rates at; `clock` stays the datasheet (boost) clock.
    double sustained_clock_hz = 0;

    double sustained_hz() const { return sustained_clock_hz > 0 ? sustained_clock_hz : clock_hz; }
    double peak_ops_per_s(DType t, bool matrix) const {
        const PerDType& table = matrix ? matrix_ops_per_cycle : vector_ops_per_cycle;
        return table[static_cast<std::size_t>(t)] * count * clock_hz;
    }
};

struct LinkSpec {
    std::string name;
    std::string unit;              // compute unit on one end
    std::string pool;              // memory pool on the other
    double bandwidth = 0;          // bytes per second, per direction
    double latency = 0;
    double energy_j_per_bit = 0;
};

struct BatterySpec {
    double capacity_j = 0;         // 0: no battery
    double usable_fraction = 0.9;
    double discharge_efficiency = 1.0;  // cell energy reaching the system
};

// --- DVFS operating points (the power model reads the same table) ---------
/// One V-f operating point of a unit.
struct DvfsPoint {
    double hz = 0;
    double volts = 0;
};
/// A unit's V-f table (`power.dvfs.<unit>: [[MHz, mV], ...]`), ascending in frequency.
struct UnitDvfs {
    std::string unit;
    std::vector<DvfsPoint> points;
};

struct PowerSpec {
    std::string impl;              // power model (hardware/power); empty: the first registered
    double platform_w = 0;         // baseline while active: display, uncore, fabric
    double idle_w = 0;             // whole machine idle (for battery patterns)
    BatterySpec battery;
    std::any impl_params;          // the power model's own fields, in its own struct (hw::impl_params)
    // --- DVFS ---
    std::vector<UnitDvfs> dvfs;    // per unit; empty: fixed clocks
    const UnitDvfs* dvfs_of(const std::string& unit) const {
        for (const auto& d : dvfs) if (d.unit == unit) return &d;
        return nullptr;
    }
};

// --- Thermals and power limits: machine sections `thermal:` and `limits:` ---
/// A cooling domain: a first-order thermal RC heated by the power of its parts.
struct CoolingDomainSpec {
    std::string name;
    std::vector<std::string> parts;  // unit and pool names whose power heats it
    double r_k_per_w = 0;            // junction-to-ambient thermal resistance
    double c_j_per_k = 0;            // heat capacity
    double t_max_c = 100;            // the governor keeps the domain below this
    double ambient_c = 25;
    double start_c = -1000;          // temperature at t = 0; below -273: ambient
};
/// A power limit on the summed power of some parts. tau = 0: an instantaneous cap (PL2, fast
/// PPT, a GPU board cap); tau > 0: the exponentially weighted average over tau must stay under
/// the limit (PL1, STAPM, slow PPT).
struct PowerLimitSpec {
    std::string name;
    std::vector<std::string> parts;  // empty: every unit and pool (the package)
    double power_w = 0;
    double tau_s = 0;
};
struct ThermalSpec {
    std::string impl;                // thermal model (hardware/thermal); empty: the first registered
    std::vector<CoolingDomainSpec> domains;
    std::vector<PowerLimitSpec> limits;
    double hysteresis_k = 1.0;       // the governor steps up only this far below t_max
    bool enabled() const { return !domains.empty() || !limits.empty(); }
};

struct MachineSpec {
    std::string name;
    std::string description;
    std::string default_runtime = "ideal";
    std::vector<PoolSpec> pools;
    std::vector<CacheSpec> caches;
    std::vector<ComputeUnitSpec> units;
    std::vector<LinkSpec> links;
    PowerSpec power;
    std::string resolved_yaml;     // the machine with `extends` applied, for provenance
    // Die-crossing fabric and host CPU (config/platform_spec.hpp).
    FabricSpec fabric;
    HostCpuSpec host_cpu;
    // --- thermals and limits ---
    ThermalSpec thermal;

    const PoolSpec* pool(const std::string& n) const;
    const ComputeUnitSpec* unit(const std::string& n) const;
    const LinkSpec* link(const std::string& unit, const std::string& pool) const;
};

}  // namespace infersim::config

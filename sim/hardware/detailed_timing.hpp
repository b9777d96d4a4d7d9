// Timing, address mapping and refresh schedule of one channel for the command-level model
// (detailed_channel.hpp). Every constraint is an integer number of picoseconds, each rounded
// once from the spec's seconds, so the model's arithmetic is exact and order-independent.
#pragma once
#include <cstdint>
#include <limits>

#include "config/machine_spec.hpp"

namespace infersim::hw {

/// A span of time in picoseconds, signed so that "a - b" needs no care. (Covers ~50 days of
/// simulated time, far beyond what a per-burst model is ever run for.)
using Ps = std::int64_t;
inline constexpr Ps kPsNever = std::numeric_limits<Ps>::max() / 2;

/// Where a burst lives inside a channel.
struct BurstAddress {
    int bank = 0;          // 0 .. banks-1; its bank group is bank / banks_per_group
    std::int64_t row = 0;
};

struct DetailedTiming {
    Ps burst = 0;                 // data-bus time of one burst
    Ps ccd_s = 0, ccd_l = 0;      // column to column, other / same bank group
    Ps rcd = 0, rp = 0, ras = 0, rc = 0, wr = 0;
    Ps rrd = 0, faw = 0;
    Ps wtr = 0, rtw = 0;          // write data end -> read command; read data end -> write command
    Ps refresh_period = 0;        // between two refreshes of one bank (0: no refresh)
    Ps refresh_busy = 0;          // tRFC (all-bank) or tRFCpb (per-bank)
    Ps refresh_stagger = 0;       // per-bank: tREFIpb between consecutive banks; all-bank: 0
    // Not modelled: read latency (data starts at the column command), write latency, tRTP
    // (a read's row may close when its data has moved), tRCD for writes (tRCDRD for both),
    // command-bus slots, tRRD between REFpb and ACT.
    int banks = 1, bank_groups = 1, banks_per_group = 1;
    std::uint64_t burst_bytes = 32;
    std::uint64_t bursts_per_row = 64;
    config::AddressMapping mapping = config::AddressMapping::bank_group_interleaved;

    static DetailedTiming from(const config::PoolSpec& pool);

    int bank_group(int bank) const { return bank / banks_per_group; }

    /// Burst number `i` of the channel (address / burst_bytes) under the mapping.
    /// bank_group_interleaved: consecutive bursts rotate bank groups, then banks within a
    /// group, then columns, then rows. row_major: a row's columns are consecutive in one bank,
    /// then the next bank, then the next row.
    BurstAddress decode(std::uint64_t i) const;
};

/// The refresh schedule of one channel: when each bank cannot take commands. Before a refresh
/// the controller precharges (tRP), so bank `b`'s k-th blackout is
/// [R - tRP, R + busy) with R = phase + b x stagger + k x period, k >= 0; rows open before a
/// blackout are closed after it.
class RefreshSchedule {
public:
    RefreshSchedule() = default;
    RefreshSchedule(const DetailedTiming& t, Ps phase) : t_(&t), phase_(phase) {}

    struct Window {
        Ps begin, end;
    };
    /// The first blackout of `bank` that ends after `t` (begin may be <= t: t is inside it).
    Window next(int bank, Ps t) const;

    /// Refresh time inside [start, end), counted channel-wide (per-bank refresh: its share).
    double overlap(Ps start, Ps end) const;

private:
    const DetailedTiming* t_ = nullptr;
    Ps phase_ = 0;
};

}  // namespace infersim::hw

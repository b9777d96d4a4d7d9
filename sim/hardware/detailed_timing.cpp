// Integer timing, address decode and refresh windows of the command-level channel model.
#include "hardware/detailed_timing.hpp"

#include <algorithm>

#include "engine/time.hpp"

namespace infersim::hw {
namespace {
Ps ps(double seconds) { return static_cast<Ps>(engine::round_ps(seconds * engine::kPsPerS)); }
}  // namespace

DetailedTiming DetailedTiming::from(const config::PoolSpec& pool) {
    const config::DramTiming& d = pool.timing;
    DetailedTiming t;
    t.burst = std::max<Ps>(1, ps(d.burst_length / d.data_rate));
    t.ccd_s = ps(d.tCCD_S);
    // Without bank groups there is one column spacing (the fast model uses tCCD_S there too).
    t.ccd_l = d.bank_groups > 1 ? ps(d.tCCD_L) : t.ccd_s;
    t.rcd = ps(d.tRCD);
    t.rp = ps(d.tRP);
    t.ras = ps(d.tRAS);
    t.rc = std::max(ps(d.tRC), t.ras + t.rp);
    t.wr = ps(d.tWR);
    t.rrd = ps(d.tRRD);
    t.faw = ps(d.tFAW);
    t.wtr = ps(d.tWTR);
    t.rtw = ps(d.tRTW);
    t.banks = std::max(1, d.banks);
    t.bank_groups = std::max(1, d.bank_groups);
    if (t.banks % t.bank_groups != 0) t.bank_groups = 1;  // the loader rejects this; stay safe
    t.banks_per_group = t.banks / t.bank_groups;
    t.burst_bytes = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(d.burst_data_bytes()));  // data bytes
    t.bursts_per_row = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(d.page_bytes) / t.burst_bytes);
    t.mapping = pool.mapping;
    if (pool.refresh == config::RefreshMode::all_bank) {
        t.refresh_period = ps(d.tREFI);
        t.refresh_busy = ps(d.tRFC);
        t.refresh_stagger = 0;
    } else {
        t.refresh_stagger = ps(d.tREFIpb);
        t.refresh_period = t.refresh_stagger * t.banks;
        t.refresh_busy = ps(d.tRFCpb);
    }
    if (t.refresh_busy <= 0) t.refresh_period = 0;
    return t;
}

BurstAddress DetailedTiming::decode(std::uint64_t i) const {
    BurstAddress a;
    const auto groups = static_cast<std::uint64_t>(bank_groups), per_group = static_cast<std::uint64_t>(banks_per_group);
    if (mapping == config::AddressMapping::bank_group_interleaved) {
        const std::uint64_t group = i % groups;
        i /= groups;
        const std::uint64_t in_group = i % per_group;
        i /= per_group;
        a.bank = static_cast<int>(group * per_group + in_group);
        a.row = static_cast<std::int64_t>(i / bursts_per_row);
    } else {
        i /= bursts_per_row;
        a.bank = static_cast<int>(i % static_cast<std::uint64_t>(banks));
        a.row = static_cast<std::int64_t>(i / static_cast<std::uint64_t>(banks));
    }
    return a;
}

RefreshSchedule::Window RefreshSchedule::next(int bank, Ps t) const {
    if (!t_ || t_->refresh_period <= 0) return {kPsNever, kPsNever};
    const Ps first = phase_ + bank * t_->refresh_stagger;  // refresh command of window 0
    const Ps busy = t_->refresh_busy, period = t_->refresh_period;
    Ps k = 0;
    if (t >= first + busy) k = (t - first - busy) / period + 1;
    const Ps r = first + k * period;
    return {r - t_->rp, r + busy};
}

double RefreshSchedule::overlap(Ps start, Ps end) const {
    if (!t_ || t_->refresh_period <= 0 || end <= start) return 0;
    // Channel-wide: all-bank windows, or per-bank windows folded into one bank's share of
    // every tREFIpb (as the fast model counts them).
    const bool per_bank = t_->refresh_stagger > 0;
    const double period = static_cast<double>(per_bank ? t_->refresh_stagger : t_->refresh_period);
    const double busy = static_cast<double>(t_->refresh_busy) / (per_bank ? t_->banks : 1);
    auto upto = [&](Ps x) {  // refresh time in [phase, x)
        if (x <= phase_) return 0.0;
        const double d = static_cast<double>(x - phase_);
        const double k = static_cast<double>(static_cast<Ps>(d / period));
        return k * busy + std::min(d - k * period, busy);
    };
    return upto(end) - upto(start);
}

}  // namespace infersim::hw

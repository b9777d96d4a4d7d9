// The fast channel model.
#include "hardware/dram_channel.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

#include "hardware/channel_models.hpp"

namespace infersim::hw {

ChannelTiming ChannelTiming::from(const config::PoolSpec& pool) {
    const config::DramTiming& d = pool.timing;
    constexpr double ps = 1e12;
    ChannelTiming t;
    t.burst_bytes = d.burst_data_bytes();  // data bytes: metadata bits ride along on the pins
    const double burst_ps = d.burst_length / d.data_rate * ps;  // the pins' time for a burst
    // Consecutive bursts of a stream alternate bank groups when the mapping interleaves them
    // (tCCD_S); a row-major mapping keeps a stream in one bank group (tCCD_L).
    const double ccd = pool.mapping == config::AddressMapping::bank_group_interleaved || d.bank_groups <= 1 ? d.tCCD_S : d.tCCD_L;
    t.column_ps = std::max(burst_ps, ccd * ps);
    // A stream opens each page once, rotating over the banks: activations are spaced by tRRD,
    // at most four per tFAW, and a bank cannot reopen before tRC.
    t.page_bytes = d.page_bytes;
    t.activate_ps = std::max({d.tRRD, d.tFAW / 4.0, d.tRC / std::max(1, d.banks)}) * ps;
    t.first_access_ps = (d.tRP + d.tRCD) * ps;
    t.wtr_ps = d.tWTR * ps;
    t.rtw_ps = d.tRTW * ps;
    if (pool.refresh == config::RefreshMode::all_bank) {
        t.refresh_period_ps = d.tREFI * ps;
        t.refresh_busy_ps = d.tRFC * ps;
        t.refresh_blocks_bus = true;
    } else {
        // Per-bank refresh takes one bank for tRFCpb every tREFIpb. A stream spread over all
        // banks loses that bank's share of the bus: tRFCpb / banks per tREFIpb (first order).
        t.refresh_period_ps = d.tREFIpb * ps;
        t.refresh_busy_ps = d.tRFCpb * ps / std::max(1, d.banks);
        t.refresh_blocks_bus = true;
    }
    return t;
}

double DramChannel::finish_around_refresh(double start, double work) {
    const double period = t_.refresh_period_ps, busy = t_.refresh_busy_ps;
    if (period <= 0 || busy <= 0) return start + work;
    // Requests start in non-decreasing time, so the window only moves forward: skip windows
    // that ended before `start` (a closed form for long idle gaps, no division otherwise).
    if (window_start_ps_ + busy <= start) {
        double skip = std::floor((start - window_start_ps_ - busy) / period) + 1;
        window_start_ps_ += skip * period;
    }
    double t = start;
    if (t >= window_start_ps_) {  // arrived during a refresh window: wait it out
        c_.refresh_ps += window_start_ps_ + busy - t;
        t = window_start_ps_ + busy;
        window_start_ps_ += period;
    }
    const double avail = window_start_ps_ - t;
    if (work <= avail) return t + work;
    work -= avail;
    t = window_start_ps_;
    const double usable = period - busy;
    const double full = std::floor(work / usable);
    t += full * period;
    work -= full * usable;
    window_start_ps_ += full * period;
    if (work > 0) {
        c_.refresh_ps += (full + 1) * busy;
        window_start_ps_ += period;
        return t + busy + work;
    }
    c_.refresh_ps += full * busy;
    return t;
}

Tick DramChannel::serve(Tick arrival, std::uint64_t bytes, bool write, Tick* start_out) {
    const bool idle = !used_ || arrival > busy_until_;
    const Tick start = std::max(arrival, busy_until_);
    if (start_out) *start_out = start;
    if (bytes == 0) return start;
    const double b = static_cast<double>(bytes);
    const double bursts = std::ceil(b / t_.burst_bytes);
    const double rows = std::ceil(b / t_.page_bytes);
    double work = std::max(bursts * t_.column_ps, rows * t_.activate_ps);
    if (idle) work += t_.first_access_ps;
    if (used_ && write != last_write_) {
        work += write ? t_.rtw_ps : t_.wtr_ps;
        ++c_.turnarounds;
    }
    const double end_ps = finish_around_refresh(static_cast<double>(start), work);
    const Tick end = std::max<Tick>(start + 1, engine::round_ps(end_ps));
    const auto acts = static_cast<std::uint64_t>(rows), columns = static_cast<std::uint64_t>(bursts);
    c_.activations += acts;
    c_.bursts += columns;
    c_.row_misses += acts;
    c_.row_hits += columns > acts ? columns - acts : 0;
    (write ? c_.bytes_written : c_.bytes_read) += bytes;
    c_.busy_ps += end - start;
    busy_until_ = end;
    last_write_ = write;
    used_ = true;
    return end;
}

ChannelModelEntry make_fast_channel_entry() {
    ChannelModelEntry e;
    e.name = "fast";
    e.doc = "chunk-level timing: a request is a stream of bursts through rows it opens itself (tCCD, tRRD/tFAW/tRC, turnaround, refresh windows); FCFS, ignores the address";
    e.make = [](const config::PoolSpec& pool, double refresh_phase_ps) -> std::unique_ptr<ChannelModel> {
        return std::make_unique<DramChannel>(ChannelTiming::from(pool), refresh_phase_ps);
    };
    return e;
}

ChannelModelEntry make_rapid_channel_entry() {
    ChannelModelEntry e = make_fast_channel_entry();
    e.name = "rapid";
    e.doc = "the fast model on one representative channel per pool: each request's largest per-channel share is served once and "
            "stands for every channel it touches (activity recorded on channel 0); within 1% of fast on tokens/s, TTFT and energy";
    e.representative = true;
    return e;
}

}  // namespace infersim::hw

// One DRAM channel at chunk granularity ("fast" fidelity). A request of N bytes is a stream of
// column bursts through open rows; its service time comes from the timing set: burst and tCCD
// spacing, row activations limited by tRRD/tFAW/tRC, read/write turnaround, and refresh windows
// that block the channel (all-bank) or a bank (per-bank). No efficiency constant anywhere.
#pragma once
#include <cstdint>

#include "config/machine_spec.hpp"
#include "engine/time.hpp"
#include "hardware/channel_model.hpp"

namespace infersim::hw {

using engine::Tick;

/// Derived per-channel timing in picoseconds (double; rounded once per request).
struct ChannelTiming {
    double burst_bytes = 0;
    double column_ps = 0;       // spacing of consecutive bursts of one stream
    double activate_ps = 0;     // spacing of consecutive row activations of one stream
    double page_bytes = 0;
    double first_access_ps = 0; // exposed tRP + tRCD when a stream starts on an idle channel
    double wtr_ps = 0, rtw_ps = 0;
    double refresh_period_ps = 0, refresh_busy_ps = 0;  // all-bank windows, or their per-bank equivalent
    bool refresh_blocks_bus = true;

    static ChannelTiming from(const config::PoolSpec& pool);
    double peak_bytes_per_ps() const { return burst_bytes / column_ps; }
};

/// The fast model ignores the address: every request streams through rows it opens itself.
class DramChannel final : public ChannelModel {
public:
    DramChannel(const ChannelTiming& timing, double refresh_phase_ps) : t_(timing), window_start_ps_(refresh_phase_ps) {}

    /// Serves `bytes` arriving at `arrival`; returns when the last byte has moved. Requests are
    /// served in arrival order (FCFS). `start_out` receives the service start.
    Tick serve(Tick arrival, std::uint64_t bytes, bool write, Tick* start_out = nullptr);
    Tick serve(Tick arrival, std::uint64_t /*address*/, std::uint64_t bytes, bool write, Tick* start_out = nullptr) override {
        return serve(arrival, bytes, write, start_out);
    }

    Tick busy_until() const override { return busy_until_; }
    const ChannelCounters& counters() const override { return c_; }

private:
    /// Time at which `work_ps` of bus time, begun at `start_ps`, finishes around refresh windows.
    double finish_around_refresh(double start_ps, double work_ps);

    ChannelTiming t_;         // a copy: the channel owns what it needs
    double window_start_ps_;  // start of the current or next refresh window (requests start in time order)
    Tick busy_until_ = 0;
    bool last_write_ = false;
    bool used_ = false;
    ChannelCounters c_;
};

}  // namespace infersim::hw

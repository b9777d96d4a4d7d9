// One DRAM channel at command level ("detailed" fidelity): every burst of every request is a
// column command scheduled against per-bank state (open row, when it may next ACT, PRE or
// take a column), per-bank-group column spacing (tCCD_L within a group, tCCD_S across), the
// channel's ACT limits (tRRD, tFAW), read/write turnaround on the data bus, and refresh
// (all-bank or rotating per-bank) that closes rows. It is the slow reference the fast
// DramChannel is checked against.
//
// The controller: open-page policy; a queue of `queue_depth` bursts; first-ready scheduling
// (a burst whose row is open and whose bank is ready goes first; among equally ready ones,
// the bank that is about to need another row drains first, then the oldest), so a
// later request's burst may use the bus while an older one waits for its bank; a bank with no
// pending hit for its open row precharges and activates for its oldest pending burst as soon
// as timing allows, so ACTs run ahead of data and may issue out of request order. Requests
// are handed to the channel in arrival order; an older request keeps the slots it was given
// (a newer one only fills gaps), so a request may complete before an older one that waits
// on a busy bank. Data starts at the column command (no CAS latency; detailed_timing.hpp
// lists what else is left out).
#pragma once
#include <cstdint>
#include <vector>

#include "hardware/activate_window.hpp"
#include "hardware/channel_model.hpp"
#include "hardware/column_bus.hpp"
#include "hardware/detailed_timing.hpp"

namespace infersim::hw {

/// The detailed model's own parameters (memory.<pool> fields when channel_model: detailed).
struct DetailedChannelParams {
    int queue_depth = 64;  // bursts the controller's scheduler can see (its lookahead)
};

class DetailedChannel final : public ChannelModel {
public:
    static constexpr int kDefaultQueueDepth = DetailedChannelParams{}.queue_depth;

    /// The channel keeps a copy of `timing`. Its first refresh is at `refresh_phase`.
    DetailedChannel(const DetailedTiming& timing, Tick refresh_phase, int queue_depth = kDefaultQueueDepth);
    DetailedChannel(const DetailedChannel&) = delete;  // its parts point at its own timing
    DetailedChannel& operator=(const DetailedChannel&) = delete;

    Tick serve(Tick arrival, std::uint64_t address, std::uint64_t bytes, bool write, Tick* start_out = nullptr) override;
    Tick busy_until() const override { return busy_until_; }
    const ChannelCounters& counters() const override { return c_; }

private:
    struct Bank {
        std::int64_t row = -1;      // open (or opening) row; -1: never opened
        Ps act = -kPsNever;         // its ACT
        Ps ready = 0;               // act + tRCD: first column
        Ps pre_ok = -kPsNever;      // earliest PRE: tRAS, last read's data, last write's data + tWR
        Ps closes = kPsNever;       // the refresh blackout that closes the row begins here ...
        Ps reopens = 0;             // ... and ends here
        int head = -1, tail = -1;   // its pending bursts, oldest first (indices into entries_)
        int pending = 0;            // bursts queued for this bank
        int hits = 0;               // of which for `row`
        int first_hit = -1;         // the oldest of those
        int first_prev = -1;        // the burst before it in the bank's queue (-1: it is the head)
        std::uint64_t miss_seq = kNoMiss;  // arrival order of its oldest burst for another row
        int group = 0;                     // its bank group
    };
    static constexpr std::uint64_t kNoMiss = ~std::uint64_t{0};
    struct Entry {
        std::int64_t row = 0;
        Ps admit = 0;               // when the controller saw it
        std::uint64_t seq = 0;      // arrival order
        int next = -1;
    };

    void admit(std::uint64_t burst, Ps at);
    /// Closes bank b's row if needed and activates `row`, no earlier than `floor`.
    void open_row(int b, std::int64_t row, Ps floor);
    /// Places an ACT for bank b at or after t (tRRD, tFAW, refresh) and records it.
    void activate(int b, Ps t);
    /// Earliest column time for bank b's oldest pending hit; reopens the row if refresh
    /// would close it first.
    Ps column_time(int b, bool write) {
        const Bank& k = banks_[static_cast<std::size_t>(b)];
        const Ps t = bus_.earliest(std::max(entries_[static_cast<std::size_t>(k.first_hit)].admit, k.ready), k.group, write);
        return t + t_->burst + (write ? t_->wr : 0) <= k.closes ? t : reopen_for_column(b, write);
    }
    Ps reopen_for_column(int b, bool write);
    /// Issues bank b's oldest pending hit at t.
    void issue(int b, Ps t, bool write);
    int count_pending(int b, std::int64_t row) const;
    std::uint64_t oldest_miss(int b) const;

    /// The `depth` latest column-issue times. The queue admits burst g once g - depth + 1
    /// bursts have issued, i.e. at the (issued + depth - g)-th latest issue time.
    class QueueSlots {
    public:
        explicit QueueSlots(std::size_t depth) : v_(2 * depth), depth_(depth) {}
        void issued(Ps t);
        Ps latest(std::uint64_t rank) const { return rank <= end_ - begin_ ? v_[end_ - rank] : -kPsNever; }

    private:
        std::vector<Ps> v_;  // [begin_, end_) sorted ascending
        std::size_t begin_ = 0, end_ = 0, depth_;
    };

    DetailedTiming timing_;
    const DetailedTiming* t_;
    RefreshSchedule refresh_;
    ActivateWindow acts_;
    ColumnBus bus_;
    std::vector<Bank> banks_;
    std::vector<Entry> entries_;
    std::vector<int> free_;
    QueueSlots slots_;
    std::uint64_t hit_mask_ = 0;     // banks with a pending hit
    std::uint64_t issued_count_ = 0;
    std::uint64_t admitted_count_ = 0;
    std::uint64_t depth_;
    Tick busy_until_ = 0;
    ChannelCounters c_;
};

}  // namespace infersim::hw

// The command-level channel model: a first-ready scheduler over a bounded burst queue.
#include "hardware/detailed_channel.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <memory>
#include <stdexcept>

#include "config/errors.hpp"
#include "hardware/channel_models.hpp"

namespace infersim::hw {

DetailedChannel::DetailedChannel(const DetailedTiming& timing, Tick refresh_phase, int queue_depth)
    : timing_(timing), t_(&timing_), refresh_(timing_, static_cast<Ps>(refresh_phase)), acts_(timing.rrd, timing.faw), bus_(timing_),
      banks_(static_cast<std::size_t>(timing.banks)), entries_(static_cast<std::size_t>(std::max(1, queue_depth))),
      slots_(entries_.size()), depth_(entries_.size()) {
    if (timing.banks > 64) throw std::invalid_argument("detailed DRAM model: at most 64 banks per channel, got " + std::to_string(timing.banks));
    for (int b = 0; b < timing.banks; ++b) banks_[static_cast<std::size_t>(b)].group = timing.bank_group(b);
    free_.reserve(entries_.size());
    for (int i = static_cast<int>(entries_.size()) - 1; i >= 0; --i) free_.push_back(i);
}

void DetailedChannel::QueueSlots::issued(Ps t) {
    if (end_ - begin_ == depth_) {
        if (t <= v_[begin_]) return;  // not among the latest
        ++begin_;
    }
    if (end_ == v_.size()) {  // slide the window back to the front
        std::copy(v_.begin() + static_cast<std::ptrdiff_t>(begin_), v_.begin() + static_cast<std::ptrdiff_t>(end_), v_.begin());
        end_ -= begin_;
        begin_ = 0;
    }
    std::size_t p = end_++;
    while (p > begin_ && v_[p - 1] > t) {
        v_[p] = v_[p - 1];
        --p;
    }
    v_[p] = t;
}

namespace {
// The loader refuses timing sets that leave no room between refreshes; this bound turns any
// such set it might miss into an error instead of a hang (no allocation, no strings on the way).
constexpr int kMaxRetries = 1 << 16;
[[noreturn]] void no_progress() {
    throw config::BudgetError("the DRAM timing set makes no progress (refresh leaves no room to open and close a row)");
}
}  // namespace

void DetailedChannel::activate(int b, Ps t) {
    const DetailedTiming& d = *t_;
    for (int tries = 0;; ++tries) {
        if (tries > kMaxRetries) no_progress();
        // A row opened must be closable (tRAS) before the refresh that would precharge it.
        const RefreshSchedule::Window w = refresh_.next(b, t);
        if (t >= w.begin || t + d.ras > w.begin) {
            t = w.end;
            continue;
        }
        const Ps ok = acts_.earliest(t);
        if (ok == t) break;
        t = ok;
    }
    acts_.add(t);
    Bank& k = banks_[static_cast<std::size_t>(b)];
    const RefreshSchedule::Window w = refresh_.next(b, t);
    k.act = t;
    k.ready = t + d.rcd;
    k.pre_ok = t + d.ras;
    k.closes = w.begin;
    k.reopens = w.end;
    ++c_.activations;
    ++c_.row_misses;
}

void DetailedChannel::open_row(int b, std::int64_t row, Ps floor) {
    Bank& k = banks_[static_cast<std::size_t>(b)];
    Ps t = floor;
    if (k.row >= 0) {
        const Ps pre = std::max(k.pre_ok, floor);
        t = pre >= k.closes ? std::max(t, k.reopens)  // refresh has closed it already
                            : pre + t_->rp;
    }
    t = std::max(t, k.act + t_->rc);
    k.row = row;
    activate(b, t);
}

int DetailedChannel::count_pending(int b, std::int64_t row) const {
    int n = 0;
    for (int e = banks_[static_cast<std::size_t>(b)].head; e >= 0; e = entries_[static_cast<std::size_t>(e)].next)
        n += entries_[static_cast<std::size_t>(e)].row == row;
    return n;
}

std::uint64_t DetailedChannel::oldest_miss(int b) const {
    const Bank& k = banks_[static_cast<std::size_t>(b)];
    for (int e = k.head; e >= 0; e = entries_[static_cast<std::size_t>(e)].next)
        if (entries_[static_cast<std::size_t>(e)].row != k.row) return entries_[static_cast<std::size_t>(e)].seq;
    return kNoMiss;
}

void DetailedChannel::admit(std::uint64_t burst, Ps at) {
    const BurstAddress a = t_->decode(burst);
    const int i = free_.back();
    free_.pop_back();
    Entry& e = entries_[static_cast<std::size_t>(i)];
    e.row = a.row;
    e.admit = at;
    e.seq = admitted_count_++;
    e.next = -1;
    Bank& k = banks_[static_cast<std::size_t>(a.bank)];
    const int before = k.tail;
    if (k.tail >= 0) entries_[static_cast<std::size_t>(k.tail)].next = i;
    else k.head = i;
    k.tail = i;
    ++k.pending;
    if (k.row == a.row) {
        if (k.hits++ == 0) {
            k.first_hit = i;
            k.first_prev = before;
        }
    } else if (k.pending == 1) {  // nothing else wants this bank: switch rows now
        open_row(a.bank, a.row, at);
        k.hits = 1;
        k.first_hit = i;
        k.first_prev = -1;
        k.miss_seq = kNoMiss;
    } else {
        if (k.miss_seq == kNoMiss) k.miss_seq = e.seq;
        return;  // waits until the bank's hits drain
    }
    hit_mask_ |= std::uint64_t{1} << a.bank;
}

Ps DetailedChannel::reopen_for_column(int b, bool write) {
    const DetailedTiming& d = *t_;
    Bank& k = banks_[static_cast<std::size_t>(b)];
    const Ps tail = d.burst + (write ? d.wr : 0);  // until the row may be precharged
    const Ps admit = entries_[static_cast<std::size_t>(k.first_hit)].admit;
    Ps t = bus_.earliest(std::max(admit, k.ready), k.group, write);
    for (int tries = 0; t + tail > k.closes; ++tries) {  // refresh closes the row first: open it again after
        if (tries > kMaxRetries) no_progress();
        activate(b, std::max(k.reopens, k.act + d.rc));
        t = bus_.earliest(std::max(admit, k.ready), k.group, write);
    }
    return t;
}

void DetailedChannel::issue(int b, Ps t, bool write) {
    const DetailedTiming& d = *t_;
    Bank& k = banks_[static_cast<std::size_t>(b)];
    const int turns = bus_.add(t, k.group, write);
    c_.turnarounds += static_cast<std::uint64_t>(std::max(0, turns));
    k.pre_ok = std::max(k.pre_ok, t + d.burst + (write ? d.wr : 0));
    slots_.issued(t);
    ++issued_count_;
    // Unlink the burst from its bank's queue.
    const int e = k.first_hit, prev = k.first_prev;
    const int next = entries_[static_cast<std::size_t>(e)].next;
    if (prev >= 0) entries_[static_cast<std::size_t>(prev)].next = next;
    else k.head = next;
    if (k.tail == e) k.tail = prev;
    free_.push_back(e);
    --k.pending;
    if (--k.hits > 0) {  // the next hit is further down the queue
        int p = prev, q = next;
        while (entries_[static_cast<std::size_t>(q)].row != k.row) {
            p = q;
            q = entries_[static_cast<std::size_t>(q)].next;
        }
        k.first_hit = q;
        k.first_prev = p;
        return;
    }
    hit_mask_ &= ~(std::uint64_t{1} << b);
    if (k.pending > 0) {  // the bank's oldest waiting burst gets its row
        const Entry& oldest = entries_[static_cast<std::size_t>(k.head)];
        open_row(b, oldest.row, std::max(oldest.admit, t));
        k.hits = count_pending(b, oldest.row);
        k.first_hit = k.head;
        k.first_prev = -1;
        k.miss_seq = oldest_miss(b);
        hit_mask_ |= std::uint64_t{1} << b;
    }
}

Tick DetailedChannel::serve(Tick arrival, std::uint64_t address, std::uint64_t bytes, bool write, Tick* start_out) {
    if (bytes == 0) {
        const Tick start = std::max(arrival, busy_until_);
        if (start_out) *start_out = start;
        return start;
    }
    const DetailedTiming& d = *t_;
    const auto at = static_cast<Ps>(arrival);
    const std::uint64_t first = address / d.burst_bytes;
    const std::uint64_t count = (address + bytes - 1) / d.burst_bytes - first + 1;
    const std::uint64_t base = admitted_count_;
    std::uint64_t admitted = 0;
    Ps end = at, first_col = kPsNever;
    Ps frontier = at;  // the last column issued for this request
    // Burst g enters the queue once g - depth + 1 bursts have issued: at the
    // (issued + depth - g)-th latest issue time, if no column still to come issues earlier.
    auto slot = [&]() { return std::max(at, slots_.latest(issued_count_ + depth_ - (base + admitted))); };
    auto room = [&]() { return admitted < count && base + admitted < issued_count_ + depth_; };
    for (std::uint64_t done = 0; done < count;) {
        while (room() && slot() <= frontier) {
            admit(first + admitted, slot());
            ++admitted;
        }
        // First ready: the earliest column among banks with a pending hit. Among equally
        // ready ones, the bank that will soonest need another row goes first, so that it can
        // precharge sooner: the one whose oldest burst for another row came first. Once the
        // whole request is queued, a bank's last burst counts as such a burst too: the next
        // request is not visible yet (a real queue would hold it already), and finishing the
        // banks one after another lets it find them closing in turn rather than all at once.
        // This only orders bursts that are ready together; it never delays the bus. Then the
        // oldest hit.
        const bool tail_queued = admitted == count;
        int best_bank = -1;
        Ps best = kPsNever;
        std::uint64_t best_urgency = kNoMiss, best_seq = 0;
        for (std::uint64_t m = hit_mask_; m; m &= m - 1) {
            const int b = std::countr_zero(m);
            const Bank& k = banks_[static_cast<std::size_t>(b)];
            const Ps t = column_time(b, write);
            const std::uint64_t urgency = tail_queued ? std::min(k.miss_seq, entries_[static_cast<std::size_t>(k.tail)].seq) : k.miss_seq;
            const std::uint64_t seq = entries_[static_cast<std::size_t>(k.first_hit)].seq;
            if (t < best || (t == best && (urgency < best_urgency || (urgency == best_urgency && seq < best_seq)))) {
                best = t;
                best_bank = b;
                best_urgency = urgency;
                best_seq = seq;
            }
        }
        // A burst the queue takes before that column could go first: take it and look again.
        if (room() && (best_bank < 0 || slot() < best)) {
            admit(first + admitted, slot());
            ++admitted;
            continue;
        }
        issue(best_bank, best, write);
        ++done;
        frontier = std::max(frontier, best);
        end = std::max(end, best + d.burst);
        first_col = std::min(first_col, best);
    }
    // Service starts when the previous request is done or this one's first burst moves,
    // whichever is earlier (a newer request may overtake an older one waiting on its bank).
    const Tick done = static_cast<Tick>(std::max<Ps>(end, 1));
    const Tick start = std::min({std::max(arrival, busy_until_), std::max(arrival, static_cast<Tick>(std::max<Ps>(first_col, 0))), done - 1});
    if (start_out) *start_out = start;
    (write ? c_.bytes_written : c_.bytes_read) += bytes;
    c_.bursts += count;
    c_.row_hits = c_.bursts - std::min(c_.bursts, c_.row_misses);
    c_.refresh_ps += refresh_.overlap(static_cast<Ps>(start), static_cast<Ps>(done));
    c_.busy_ps += done - start;
    busy_until_ = std::max(busy_until_, done);
    return done;
}

namespace {
const std::array kDetailedFields{
    config::Field<config::PoolSpec>{"queue_depth", "integer", false, "64",
                                    "bursts the controller's first-ready scheduler sees at once (its lookahead)",
                                    [](config::PoolSpec& p, const config::Node& n) {
                                        channel_params<DetailedChannelParams>(p).queue_depth = static_cast<int>(n.as_integer(1, 4096));
                                    }},
};
}  // namespace

ChannelModelEntry make_detailed_channel_entry() {
    ChannelModelEntry e;
    e.name = "detailed";
    e.doc = "command level: every burst scheduled against bank, bank-group, tRRD/tFAW, turnaround and refresh state; first-ready over a bounded queue (slow; the fast model's reference)";
    e.fields = kDetailedFields;
    e.per_burst = true;
    e.make = [](const config::PoolSpec& pool, double refresh_phase_ps) -> std::unique_ptr<ChannelModel> {
        return std::make_unique<DetailedChannel>(DetailedTiming::from(pool), engine::round_ps(refresh_phase_ps),
                                                 channel_params<DetailedChannelParams>(pool).queue_depth);
    };
    return e;
}

}  // namespace infersim::hw

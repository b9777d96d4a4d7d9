// The command-level channel model: a first-ready scheduler over a bounded burst queue.
#include "hardware/detailed_channel.hpp"

#include <algorithm>
#include <bit>
#include <stdexcept>

namespace infersim::hw {

DetailedChannel::DetailedChannel(const DetailedTiming& timing, Tick refresh_phase, int queue_depth)
    : t_(&timing), refresh_(timing, static_cast<Ps>(refresh_phase)), acts_(timing.rrd, timing.faw),
      banks_(static_cast<std::size_t>(timing.banks)), entries_(static_cast<std::size_t>(std::max(1, queue_depth))),
      issued_(entries_.size(), -kPsNever), group_last_(static_cast<std::size_t>(timing.bank_groups), -kPsNever),
      depth_(entries_.size()) {
    if (timing.banks > 64) throw std::invalid_argument("detailed DRAM model: at most 64 banks per channel, got " + std::to_string(timing.banks));
    free_.reserve(entries_.size());
    for (int i = static_cast<int>(entries_.size()) - 1; i >= 0; --i) free_.push_back(i);
}

void DetailedChannel::activate(int b, Ps t) {
    const DetailedTiming& d = *t_;
    for (;;) {
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
    if (k.tail >= 0) entries_[static_cast<std::size_t>(k.tail)].next = i;
    else k.head = i;
    k.tail = i;
    ++k.pending;
    if (k.row == a.row) {
        ++k.hits;
    } else if (k.pending == 1) {  // nothing else wants this bank: switch rows now
        open_row(a.bank, a.row, at);
        k.hits = 1;
    } else {
        return;  // waits until the bank's hits drain
    }
    hit_mask_ |= std::uint64_t{1} << a.bank;
}

Ps DetailedChannel::column_time(int b, bool write, int& entry, int& prev) {
    const DetailedTiming& d = *t_;
    Bank& k = banks_[static_cast<std::size_t>(b)];
    prev = -1;
    entry = k.head;
    while (entries_[static_cast<std::size_t>(entry)].row != k.row) {
        prev = entry;
        entry = entries_[static_cast<std::size_t>(entry)].next;
    }
    const int g = d.bank_group(b);
    Ps bus = std::max({last_col_ + d.ccd_s, group_last_[static_cast<std::size_t>(g)] + d.ccd_l, data_end_});
    if (any_col_ && write != last_write_) bus = std::max(bus, data_end_ + (write ? d.rtw : d.wtr));
    const Ps tail = d.burst + (write ? d.wr : 0);  // until the row may be precharged
    const Ps admit = entries_[static_cast<std::size_t>(entry)].admit;
    Ps t = std::max({admit, k.ready, bus});
    while (t + tail > k.closes) {  // refresh closes the row first: open it again after
        activate(b, std::max(k.reopens, k.act + d.rc));
        t = std::max({admit, k.ready, bus});
    }
    return t;
}

Tick DetailedChannel::serve(Tick arrival, std::uint64_t address, std::uint64_t bytes, bool write, Tick* start_out) {
    const Tick start = std::max(arrival, busy_until_);
    if (start_out) *start_out = start;
    if (bytes == 0) return start;
    const DetailedTiming& d = *t_;
    const auto at = static_cast<Ps>(arrival);
    const std::uint64_t first = address / d.burst_bytes;
    const std::uint64_t count = (address + bytes - 1) / d.burst_bytes - first + 1;
    const std::uint64_t base = admitted_count_;
    std::uint64_t admitted = 0;
    Ps end = at;
    for (std::uint64_t done = 0; done < count; ++done) {
        // A queue slot frees when a column command issues: burst g enters once g - depth has.
        while (admitted < count && base + admitted < issued_count_ + depth_) {
            const std::uint64_t g = base + admitted;
            const Ps slot = g >= depth_ ? issued_[g % depth_] : -kPsNever;
            admit(first + admitted, std::max(at, slot));
            ++admitted;
        }
        // First ready: the earliest column among banks with a pending hit; ties to the oldest.
        int best_bank = -1, best_entry = -1, best_prev = -1;
        Ps best = kPsNever;
        std::uint64_t best_seq = 0;
        for (std::uint64_t m = hit_mask_; m; m &= m - 1) {
            const int b = std::countr_zero(m);
            int e = -1, p = -1;
            const Ps t = column_time(b, write, e, p);
            const std::uint64_t seq = entries_[static_cast<std::size_t>(e)].seq;
            if (t < best || (t == best && seq < best_seq)) {
                best = t;
                best_bank = b;
                best_entry = e;
                best_prev = p;
                best_seq = seq;
            }
        }
        // Issue it.
        Bank& k = banks_[static_cast<std::size_t>(best_bank)];
        if (any_col_ && write != last_write_) ++c_.turnarounds;
        last_col_ = best;
        data_end_ = best + d.burst;
        group_last_[static_cast<std::size_t>(d.bank_group(best_bank))] = best;
        last_write_ = write;
        any_col_ = true;
        k.pre_ok = std::max(k.pre_ok, data_end_ + (write ? d.wr : 0));
        issued_[issued_count_ % depth_] = best;
        ++issued_count_;
        end = data_end_;
        // Unlink the burst from its bank's queue.
        const int next = entries_[static_cast<std::size_t>(best_entry)].next;
        if (best_prev >= 0) entries_[static_cast<std::size_t>(best_prev)].next = next;
        else k.head = next;
        if (k.tail == best_entry) k.tail = best_prev;
        free_.push_back(best_entry);
        --k.pending;
        if (--k.hits == 0) {
            hit_mask_ &= ~(std::uint64_t{1} << best_bank);
            if (k.pending > 0) {  // the bank's oldest waiting burst gets its row
                const Entry& oldest = entries_[static_cast<std::size_t>(k.head)];
                open_row(best_bank, oldest.row, std::max(oldest.admit, best));
                k.hits = count_pending(best_bank, oldest.row);
                hit_mask_ |= std::uint64_t{1} << best_bank;
            }
        }
    }
    const Tick done = std::max<Tick>(start + 1, static_cast<Tick>(std::max<Ps>(end, 0)));
    (write ? c_.bytes_written : c_.bytes_read) += bytes;
    c_.bursts += count;
    c_.row_hits = c_.bursts - std::min(c_.bursts, c_.row_misses);
    c_.refresh_ps += refresh_.overlap(static_cast<Ps>(start), static_cast<Ps>(done));
    c_.busy_ps += done - start;
    busy_until_ = std::max(busy_until_, done);
    return done;
}

}  // namespace infersim::hw

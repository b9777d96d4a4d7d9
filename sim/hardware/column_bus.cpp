// Column-command slot search on the data bus.
#include "hardware/column_bus.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace infersim::hw {

ColumnBus::ColumnBus(const DetailedTiming& t) : t_(&t) {
    if (t.bank_groups > static_cast<int>(kMaxGroups)) throw std::invalid_argument("detailed DRAM model: at most 64 bank groups");
    short_ = std::max(t.burst, t.ccd_s);
    long_ = std::max(t.burst, t.ccd_l);
    to_write_ = t.burst + t.rtw;
    to_read_ = t.burst + t.wtr;
    reach_ = std::max({short_, long_, to_write_, to_read_});
    min_gap_ = 2 * short_;
}

Ps ColumnBus::compute_tail_bound(int group, bool write) const {
    Ps c = -kPsNever;
    for (std::size_t k = n_; k-- > 0 && cmds_[n_ - 1].t - cmds_[k].t < reach_;) c = std::max(c, cmds_[k].t + after(cmds_[k], group, write));
    return c;
}

std::size_t ColumnBus::index_after(Ps t) const {
    return static_cast<std::size_t>(
        std::upper_bound(cmds_.begin(), cmds_.begin() + static_cast<std::ptrdiff_t>(n_), t, [](Ps v, const Cmd& c) { return v < c.t; }) -
        cmds_.begin());
}

Ps ColumnBus::place(Ps t0, int group, bool write, std::size_t p) const {
    // Every command before index p is a lower bound; the ones from p on must stay clear.
    Ps c = t0;
    for (std::size_t k = p; k-- > 0 && (p == 0 || cmds_[p - 1].t - cmds_[k].t < reach_);)
        c = std::max(c, cmds_[k].t + after(cmds_[k], group, write));
    for (std::size_t k = p; k < n_ && cmds_[k].t - c < reach_; ++k)
        if (cmds_[k].t < c + before(group, write, cmds_[k])) return kPsNever;
    return c;
}

Ps ColumnBus::earliest_in_gaps(Ps t0, int group, bool write) const {
    // In a gap that ends after t0, or after everything.
    const auto* g = std::upper_bound(gaps_.begin(), gaps_.begin() + static_cast<std::ptrdiff_t>(gaps_n_), t0,
                                     [](Ps v, const Gap& x) { return v < x.to; });
    for (; g != gaps_.begin() + static_cast<std::ptrdiff_t>(gaps_n_); ++g) {
        const std::size_t p = index_after(std::max(t0, g->from));
        const Ps c = place(std::max(t0, g->from), group, write, p);
        if (c < g->to) return c;
    }
    return std::max(t0, tail_bound(group, write));
}

void ColumnBus::add_gap(const Cmd& x, const Cmd& z) {
    // Worth keeping only if some command fits between x and z: try each direction, in a bank
    // group of x, of z, or of neither.
    const Ps room = z.t - x.t;
    if (room < min_gap_) return;
    bool fits = false;
    for (bool w : {false, true})
        for (int g : {x.group, z.group, -1}) fits = fits || after(x, g, w) + before(g, w, z) <= room;
    if (!fits) return;
    const Ps from = x.t, to = z.t;
    std::size_t p = gaps_n_;
    if (gaps_n_ == kCapacity) return;  // cannot happen: there are fewer gaps than commands
    while (p > 0 && gaps_[p - 1].from > from) {
        gaps_[p] = gaps_[p - 1];
        --p;
    }
    gaps_[p] = Gap{from, to};
    ++gaps_n_;
}

void ColumnBus::remove_gap(Ps from) {
    const auto* g = std::lower_bound(gaps_.begin(), gaps_.begin() + static_cast<std::ptrdiff_t>(gaps_n_), from,
                                     [](const Gap& x, Ps v) { return x.from < v; });
    const auto i = static_cast<std::size_t>(g - gaps_.begin());
    if (i == gaps_n_ || gaps_[i].from != from) return;
    std::memmove(gaps_.data() + i, gaps_.data() + i + 1, (gaps_n_ - i - 1) * sizeof(Gap));
    --gaps_n_;
}

int ColumnBus::add(Ps t, int group, bool write) {
    ++stamp_;
    if (n_ == kCapacity) {  // forget the older half
        const std::size_t drop = kCapacity / 2;
        std::memmove(cmds_.data(), cmds_.data() + drop, (kCapacity - drop) * sizeof(Cmd));
        n_ -= drop;
        std::size_t keep = 0;
        while (keep < gaps_n_ && gaps_[keep].from < cmds_[0].t) ++keep;
        std::memmove(gaps_.data(), gaps_.data() + keep, (gaps_n_ - keep) * sizeof(Gap));
        gaps_n_ -= keep;
    }
    std::size_t p = n_;
    while (p > 0 && cmds_[p - 1].t > t) {
        cmds_[p] = cmds_[p - 1];
        --p;
    }
    cmds_[p] = Cmd{t, group, write};
    ++n_;
    const bool has_prev = p > 0, has_next = p + 1 < n_;
    if (has_prev && has_next) remove_gap(cmds_[p - 1].t);
    if (has_prev) add_gap(cmds_[p - 1], cmds_[p]);
    if (has_next) add_gap(cmds_[p], cmds_[p + 1]);
    int switches = 0;
    if (has_prev) switches += cmds_[p - 1].write != write;
    if (has_next) switches += cmds_[p + 1].write != write;
    if (has_prev && has_next) switches -= cmds_[p - 1].write != cmds_[p + 1].write;
    return switches;
}

}  // namespace infersim::hw

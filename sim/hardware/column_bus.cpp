// Column-command slot search on the data bus.
#include "hardware/column_bus.hpp"

#include <algorithm>
#include <cstring>

namespace infersim::hw {

ColumnBus::ColumnBus(const DetailedTiming& t) : t_(&t) {
    reach_ = std::max({t.burst, t.ccd_s, t.ccd_l, t.burst + t.wtr, t.burst + t.rtw});
    min_gap_ = 2 * std::max(t.burst, t.ccd_s);
}

Ps ColumnBus::after(const Cmd& a, int group, bool write) const {
    const DetailedTiming& d = *t_;
    Ps s = std::max(d.burst, a.group == group ? d.ccd_l : d.ccd_s);
    if (a.write != write) s = std::max(s, d.burst + (write ? d.rtw : d.wtr));
    return s;
}

Ps ColumnBus::before(int group, bool write, const Cmd& b) const {
    const DetailedTiming& d = *t_;
    Ps s = std::max(d.burst, b.group == group ? d.ccd_l : d.ccd_s);
    if (b.write != write) s = std::max(s, d.burst + (b.write ? d.rtw : d.wtr));
    return s;
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

Ps ColumnBus::earliest(Ps t0, int group, bool write) const {
    if (n_ == 0) return t0;
    // In a gap that ends after t0, or after everything.
    const auto* g = std::upper_bound(gaps_.begin(), gaps_.begin() + static_cast<std::ptrdiff_t>(gaps_n_), t0,
                                     [](Ps v, const Gap& x) { return v < x.to; });
    for (; g != gaps_.begin() + static_cast<std::ptrdiff_t>(gaps_n_); ++g) {
        const std::size_t p = index_after(std::max(t0, g->from));
        const Ps c = place(std::max(t0, g->from), group, write, p);
        if (c < g->to) return c;
    }
    return place(t0, group, write, n_);
}

void ColumnBus::add_gap(Ps from, Ps to) {
    if (to - from < min_gap_) return;
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
    if (has_prev) add_gap(cmds_[p - 1].t, t);
    if (has_next) add_gap(t, cmds_[p + 1].t);
    int switches = 0;
    if (has_prev) switches += cmds_[p - 1].write != write;
    if (has_next) switches += cmds_[p + 1].write != write;
    if (has_prev && has_next) switches -= cmds_[p - 1].write != cmds_[p + 1].write;
    return switches;
}

}  // namespace infersim::hw

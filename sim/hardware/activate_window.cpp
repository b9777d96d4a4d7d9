// tRRD / tFAW slot search.
#include "hardware/activate_window.hpp"

#include <algorithm>
#include <cstring>

namespace infersim::hw {

bool ActivateWindow::allowed(Ps c) const {
    // Neighbours of c in the sorted list: l1 > l2 > l3 > l4 before it, r1 < r2 < r3 < r4 after.
    const auto p = static_cast<std::ptrdiff_t>(std::upper_bound(times_.begin(), times_.begin() + static_cast<std::ptrdiff_t>(n_), c) - times_.begin());
    const auto n = static_cast<std::ptrdiff_t>(n_);
    auto at = [&](std::ptrdiff_t i) { return times_[static_cast<std::size_t>(i)]; };
    if (p >= 1 && c - at(p - 1) < rrd_) return false;
    if (p < n && at(p) - c < rrd_) return false;
    // Every run of five ACTs that includes c must span at least tFAW.
    for (std::ptrdiff_t left = 4; left >= 0; --left) {
        const std::ptrdiff_t first = p - left, last = p + (3 - left);  // indices of the run's ends in times_
        if (first < 0 || last >= n) continue;
        const Ps lo = left == 0 ? c : at(first);
        const Ps hi = left == 4 ? c : at(last);
        if (hi - lo < faw_) return false;
    }
    return true;
}

Ps ActivateWindow::earliest(Ps t) const {
    if (n_ == 0) return t;
    const Ps last = times_[n_ - 1];
    const Ps fourth = n_ >= 4 ? times_[n_ - 4] : t - faw_;
    if (t >= last + rrd_ && t >= fourth + faw_) return t;  // after everything: the usual case
    if (allowed(t)) return t;
    // The earliest legal time is t or the point where some constraint from an existing ACT
    // lapses (a + tRRD or a + tFAW); ACTs before t - tFAW constrain nothing at or after t.
    const auto lo = static_cast<std::size_t>(std::lower_bound(times_.begin(), times_.begin() + static_cast<std::ptrdiff_t>(n_), t - faw_) - times_.begin());
    std::size_t i = lo, j = lo;  // merge the sorted sequences a + rrd and a + faw
    while (i < n_ || j < n_) {
        Ps c;
        if (j >= n_ || (i < n_ && times_[i] + rrd_ <= times_[j] + faw_)) c = times_[i++] + rrd_;
        else c = times_[j++] + faw_;
        if (c > t && allowed(c)) return c;
    }
    return std::max(last + rrd_, fourth + faw_);  // unreachable: that point is always legal
}

void ActivateWindow::add(Ps t) {
    if (n_ == kCapacity) {  // forget the older half
        const std::size_t keep = kCapacity / 2;
        std::memmove(times_.data(), times_.data() + (kCapacity - keep), keep * sizeof(Ps));
        n_ = keep;
    }
    std::size_t p = n_;
    while (p > 0 && times_[p - 1] > t) {
        times_[p] = times_[p - 1];
        --p;
    }
    times_[p] = t;
    ++n_;
}

}  // namespace infersim::hw

// tRRD / tFAW slot search.
#include "hardware/activate_window.hpp"

#include <algorithm>
#include <cstring>

namespace infersim::hw {

Ps ActivateWindow::next_try(Ps c) const {
    // Neighbours of c in the sorted list: l1 > l2 > l3 > l4 before it, r1 < r2 < r3 < r4 after.
    const auto n = static_cast<std::ptrdiff_t>(n_);
    const auto p = static_cast<std::ptrdiff_t>(std::upper_bound(times_.begin(), times_.begin() + n, c) - times_.begin());
    auto at = [&](std::ptrdiff_t i) { return times_[static_cast<std::size_t>(i)]; };
    if (p >= 1 && c - at(p - 1) < rrd_) return at(p - 1) + rrd_;
    if (p < n && at(p) - c < rrd_) return at(p) + rrd_;
    // Every run of five ACTs that includes c must span at least tFAW.
    for (std::ptrdiff_t left = 4; left >= 0; --left) {
        const std::ptrdiff_t first = p - left, last = p + (3 - left);  // indices of the run's ends in times_
        if (first < 0 || last >= n) continue;
        const Ps lo = left == 0 ? c : at(first);
        const Ps hi = left == 4 ? c : at(last);
        if (hi - lo >= faw_) continue;
        // Nothing before lo + tFAW can work while the run's first member is an earlier ACT
        // (the other four stay inside that window); if c is the first, it must pass r1.
        return left == 0 ? at(p) + rrd_ : lo + faw_;
    }
    return c;
}

Ps ActivateWindow::earliest(Ps t) const {
    if (n_ == 0) return t;
    const Ps last = times_[n_ - 1];
    const Ps fourth = n_ >= 4 ? times_[n_ - 4] : t - faw_;
    const Ps clear = std::max(last + rrd_, fourth + faw_);  // always legal
    // Each failed try names a time before which that constraint cannot be met: jump there.
    for (Ps c = t; c < clear;) {
        const Ps next = next_try(c);
        if (next == c) return c;
        c = next;
    }
    return std::max(t, clear);
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

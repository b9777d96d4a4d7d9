// A timeline summed from other recordings: serving replays each distinct step once on a fresh
// simulator and places the step's binned activity at every start time the step runs at.
#include <algorithm>
#include <stdexcept>

#include "output/recorder.hpp"

namespace infersim::output {

BinnedActivity Recorder::activity() const {
    BinnedActivity a;
    a.bin = bin_;
    a.end = end_;
    a.bins = bins_;
    std::size_t series = 0;
    each_series(*this, [&](const Series&) { ++series; });
    a.values.reserve(series * bins_);
    each_series(*this, [&](const Series& s) { a.values.insert(a.values.end(), s.begin(), s.begin() + static_cast<std::ptrdiff_t>(bins_)); });
    return a;
}

void Recorder::add(const BinnedActivity& a, Tick at) {
    std::size_t series = 0;
    each_series(*this, [&](const Series&) { ++series; });
    if (a.values.size() != series * a.bins) throw std::logic_error("a recording of another machine or other agents added to a timeline");
    if (a.bins == 0) return;
    const Tick end = at + a.end;
    grow(static_cast<std::size_t>((end - 1) / bin_ + 1));
    extent_ = std::max(extent_, end);
    const double* v = a.values.data();
    each_series(*this, [&](Series& s) {
        for (std::size_t b = 0; b < a.bins; ++b, ++v) {
            if (*v == 0) continue;
            const Tick lo = at + b * a.bin, hi = at + std::min<Tick>(a.end, (b + 1) * a.bin);
            spread(s, lo, hi, *v);
        }
    });
}

void Recorder::add_constant_power(Tick start, Tick end) {
    if (end <= start) return;
    const double seconds = engine::to_seconds(end - start);
    for (std::size_t d = 0; d < domain_energy_.size(); ++d) {
        const double w = power_.constant_power_w(d);
        if (w != 0) spread(domain_energy_[d], start, end, w * seconds);
    }
    extent_ = std::max(extent_, end);
}

void Recorder::close(Tick end) {
    if (end < extent_) throw std::logic_error("a summed timeline closed before the end of what it holds");
    const std::size_t bins = end == 0 ? 0 : static_cast<std::size_t>((end - 1) / bin_ + 1);
    grow(bins);
    trim(bins, end);
}

}  // namespace infersim::output

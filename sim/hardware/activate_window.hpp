// The channel-wide limits on row activations: two ACTs at least tRRD apart, at most four in
// any tFAW. A controller with lookahead issues ACTs out of request order (a later request's
// bank may be free while an earlier one waits out tRC), so an ACT may land in a gap between
// ACTs already placed: this keeps recent ACT times sorted and finds the earliest legal slot.
// Fixed capacity, no allocation.
#pragma once
#include <array>
#include <cstddef>

#include "hardware/detailed_timing.hpp"

namespace infersim::hw {

class ActivateWindow {
public:
    ActivateWindow() = default;
    ActivateWindow(Ps rrd, Ps faw) : rrd_(rrd), faw_(faw) {}

    /// Earliest time >= t at which an ACT keeps tRRD and tFAW with every ACT placed so far.
    Ps earliest(Ps t) const;
    /// Records an ACT at t (which `earliest` allowed).
    void add(Ps t);

private:
    /// c if an ACT may go at c; else a later time before which none may.
    Ps next_try(Ps c) const;

    static constexpr std::size_t kCapacity = 256;  // ACTs older than ~tFAW x 30 can no longer matter
    std::array<Ps, kCapacity> times_{};            // sorted ascending
    std::size_t n_ = 0;
    Ps rrd_ = 0, faw_ = 0;
};

}  // namespace infersim::hw

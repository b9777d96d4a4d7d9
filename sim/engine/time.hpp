// Simulated time: an integer count of picoseconds, and the one place durations are rounded.
#pragma once
#include <cmath>
#include <cstdint>
#include <limits>

namespace infersim::engine {

/// Simulated time in picoseconds. uint64 covers ~213 days.
using Tick = std::uint64_t;

inline constexpr Tick kTickMax = std::numeric_limits<Tick>::max();
inline constexpr double kPsPerNs = 1e3;
inline constexpr double kPsPerS = 1e12;

/// Rounds a duration given in (possibly fractional) picoseconds to the nearest tick, once.
/// Durations are always computed as count x period in double and rounded here, never by
/// accumulating rounded periods (LPDDR5X-8533's 937.5 ps clock would drift otherwise).
inline Tick round_ps(double ps) {
    if (!(ps > 0.0)) return 0;
    if (ps >= static_cast<double>(kTickMax)) return kTickMax;
    return static_cast<Tick>(ps + 0.5);  // half away from zero, as llround, for positive values
}

inline Tick from_ns(double ns) { return round_ps(ns * kPsPerNs); }
inline Tick from_seconds(double s) { return round_ps(s * kPsPerS); }
inline double to_seconds(Tick t) { return static_cast<double>(t) / kPsPerS; }

}  // namespace infersim::engine

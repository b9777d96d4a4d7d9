// A portable random stream for serving workloads: std::mt19937_64 (its output is fixed by the
// standard) with our own transforms, because std:: distributions differ between libraries.
#pragma once
#include <cmath>
#include <cstdint>
#include <random>

namespace infersim::serving {

class Rng {
public:
    explicit Rng(std::uint64_t seed) : engine_(seed) {}
    /// Uniform in [0, 1), 53 bits.
    double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
    /// Uniform in (0, 1], safe under log().
    double open_uniform() { return 1.0 - uniform(); }
    double exponential(double mean) { return -mean * std::log(open_uniform()); }
    double normal() {  // Box-Muller, one value per call (no cached state to keep portable)
        const double u = open_uniform(), v = uniform();
        return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * 3.14159265358979323846 * v);
    }
    /// Gamma(shape, scale) by Marsaglia and Tsang (2000); shape < 1 by the u^(1/shape) boost.
    double gamma(double shape, double scale) {
        if (shape < 1) return gamma(shape + 1, scale) * std::pow(open_uniform(), 1.0 / shape);
        const double d = shape - 1.0 / 3.0, c = 1.0 / std::sqrt(9.0 * d);
        for (;;) {
            double x = normal(), v = 1 + c * x;
            if (v <= 0) continue;
            v = v * v * v;
            const double u = open_uniform();
            if (std::log(u) < 0.5 * x * x + d - d * v + d * std::log(v)) return d * v * scale;
        }
    }
    /// An integer in [0, n).
    std::uint64_t below(std::uint64_t n) { return n == 0 ? 0 : static_cast<std::uint64_t>(uniform() * static_cast<double>(n)); }

private:
    std::mt19937_64 engine_;
};

}  // namespace infersim::serving

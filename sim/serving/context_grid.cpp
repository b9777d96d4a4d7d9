// Pricing decode slices from two reference steps on the context grid.
#include "serving/context_grid.hpp"

#include <cmath>

namespace infersim::serving {
namespace {
bool plain_decode(const Slice& s) { return s.decode && s.tokens == 1 && s.logits == 1; }
}  // namespace

StepResult on_context_grid(const BatchShape& shape, std::uint64_t grid, StepCache& cache, StepBuilder& builder) {
    std::uint64_t n = 0, sum = 0;
    for (const Slice& s : shape.slices)
        if (plain_decode(s)) {
            ++n;
            sum += s.context;
        }
    if (grid == 0 || n == 0) return cache.get(shape, builder);
    const std::uint64_t lo = sum / n / grid * grid;  // the mean, rounded down to the grid
    const double t = (static_cast<double>(sum) / static_cast<double>(n) - static_cast<double>(lo)) / static_cast<double>(grid);
    auto reference = [&](std::uint64_t context) {
        BatchShape b = shape;
        for (Slice& s : b.slices)
            if (plain_decode(s)) s.context = context;
        return cache.get(b, builder);
    };
    const StepResult a = reference(lo);
    if (t <= 0) return StepResult{a.duration, a.energy_j, nullptr};
    const StepResult b = reference(lo + grid);
    StepResult r;
    r.duration = static_cast<engine::Tick>(std::llround((1 - t) * static_cast<double>(a.duration) + t * static_cast<double>(b.duration)));
    r.energy_j = (1 - t) * a.energy_j + t * b.energy_j;
    return r;
}

}  // namespace infersim::serving

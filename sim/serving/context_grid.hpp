// context_grid (serving.context_grid, NOT exact; on by default only at rapid fidelity): the
// speed a long serve needs.
// Under load the batch changes every step (each sequence's context grows by one), so the exact
// step cache rarely hits and every step is replayed. A step's time and energy are, to first
// order, linear in its decode sequences' total context (each layer's attention reads the sum
// of their KV), so the step is priced from two reference steps instead: the same slices, with
// every plain decode slice (one token, one logit row) at the decode slices' mean context
// rounded down and up to a multiple of the grid, replayed exactly (and cached by shape), and
// the time and energy interpolated linearly in the mean. Prompt chunks and draft-verifying
// slices keep their own shape. What it changes: a nonlinearity inside one grid cell (a sliding
// window that some sequences pass, a tile boundary), and for sliding-window layers the spread
// of contexts around the mean. Serving's hardware timeline needs each step's own activity, so
// the serve keeps the grid off when it writes an HDF5 file.
#pragma once
#include <cstdint>

#include "serving/batch.hpp"
#include "serving/step_cost.hpp"

namespace infersim::serving {

/// The grid a serve uses: `configured` when set (>= 0), else kDefaultContextGrid at rapid
/// fidelity and 0 (exact) otherwise.
inline constexpr std::int64_t kDefaultContextGrid = 64;
inline std::uint64_t context_grid(std::int64_t configured, bool rapid) {
    return static_cast<std::uint64_t>(configured >= 0 ? configured : rapid ? kDefaultContextGrid : 0);
}

/// The cost of the step of `shape`, on a context grid of `grid` tokens (0: exact, through the
/// cache as it is). An interpolated result carries no activity.
StepResult on_context_grid(const BatchShape& shape, std::uint64_t grid, StepCache& cache, StepBuilder& builder);

}  // namespace infersim::serving

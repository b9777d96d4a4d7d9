// The GEMM shape shared by Metal's kernel_mul_mm and Vulkan's coopmat mul_mm: each workgroup
// loads a tile of weights, dequantizes it to half in threadgroup/shared memory, and multiplies
// it with half activations on matrix instructions that run on the same ALUs (Apple
// simdgroup_matrix 8x8, RDNA3 WMMA). So the time is the matrix work at the kernel's per-core
// rate plus the dequantization, charged once per tile load - each token tile of the output
// dequantizes the weights it multiplies once - on the SIMD path, serially (same ALUs).
// With a shared-memory limit (a driver's), the largest listed tile that fits is used, and the
// rate scales with its operand reuse (weights x tokens / (weights + tokens)): a smaller tile
// loads more operand bytes per op.
#pragma once
#include <vector>

#include "hardware/compute/gemm_common.hpp"

namespace infersim::hw {

struct DequantGemmParams {
    double rate = 0;                          // half matrix ops per core per clock, with tiles[0]
    std::vector<GemmTile> tiles{{64, 32, 32}};// largest first
    double shared_memory = 0;                 // bytes per workgroup the driver offers; 0: no limit
};

/// Shared memory a tile stages: both operands as half, depth deep, rows padded.
double tile_shared_bytes(const GemmTile& t);
/// The first of `p.tiles` that fits `p.shared_memory` (the last when none does).
const GemmTile& chosen_tile(const DequantGemmParams& p);

class DequantGemm final : public GemmKernel {
public:
    DequantGemm(const DequantGemmParams& p, const config::ComputeUnitSpec& u);
    ComputeCost cost(const OpWork& op) const override;
    double peak_ops_per_s() const override;

private:
    DequantGemmParams p_;
    const config::ComputeUnitSpec& unit_;
    GemmTile tile_;
    double rate_;                             // per core per clock, for tile_
};

}  // namespace infersim::hw

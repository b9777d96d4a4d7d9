// Dequantize-to-half tiled GEMM arithmetic (dequant_gemm.hpp).
#include "hardware/compute/dequant_gemm.hpp"

#include <cmath>

namespace infersim::hw {

using config::DType;

namespace {
double reuse(const GemmTile& t) { return static_cast<double>(t.weights) * t.tokens / (t.weights + t.tokens); }
}  // namespace

// Both operands staged as half, each row padded by 8 halves against bank conflicts (ggml-vulkan
// pads its shared-memory rows; the figure 8 is an ASSUMPTION, not checked against the source).
double tile_shared_bytes(const GemmTile& t) { return (t.weights + t.tokens) * (t.depth + 8.0) * 2.0; }

const GemmTile& chosen_tile(const DequantGemmParams& p) {
    for (const GemmTile& t : p.tiles)
        if (p.shared_memory <= 0 || tile_shared_bytes(t) <= p.shared_memory) return t;
    return p.tiles.back();
}

DequantGemm::DequantGemm(const DequantGemmParams& p, const config::ComputeUnitSpec& u)
    : p_(p), unit_(u), tile_(chosen_tile(p)), rate_(p.rate * reuse(tile_) / reuse(p.tiles.front())) {}

ComputeCost DequantGemm::cost(const OpWork& op) const {
    ComputeCost c;
    c.dtype = DType::fp16;
    c.matrix_path = true;
    const double rate = capped_rate(unit_, rate_, DType::fp16) * wave_efficiency(op, tile_, unit_.count);
    // op.dequant_ops unpacks every weight once; each token tile of the output does it again.
    const double loads = std::ceil(std::max<double>(1, op.rows) / tile_.tokens);
    const double dequant_ops = op.dequant_ops * loads;
    c.seconds = op.flops / rate + vector_seconds(unit_, dequant_ops, DType::fp16);
    c.energy_j = (op.flops + dequant_ops) * unit_.energy_j_per_op[static_cast<std::size_t>(DType::fp16)];
    return c;
}

double DequantGemm::peak_ops_per_s() const { return capped_rate(unit_, rate_, DType::fp16); }

}  // namespace infersim::hw

// The shared GEMM kernel arithmetic (gemm_common.hpp).
#include "hardware/compute/gemm_common.hpp"

#include <algorithm>
#include <cmath>

namespace infersim::hw {

using config::DType;

double gemm_depth(const OpWork& op) {
    if (op.rows == 0 || op.cols == 0) return 0;
    return op.flops / (2.0 * op.rows * op.cols);
}

double wave_efficiency(const OpWork& op, const GemmTile& tile, int cores) {
    if (op.cols == 0 || cores <= 0) return 1.0;
    const double tiles = std::ceil(std::max<double>(1, op.rows) / tile.tokens) * std::ceil(op.cols / static_cast<double>(tile.weights));
    const double waves = std::ceil(tiles / cores);
    return tiles / (waves * cores);
}

double capped_rate(const config::ComputeUnitSpec& u, double per_core, DType d) {
    const auto i = static_cast<std::size_t>(d);
    const double cap = u.matrix_ops_per_cycle[i] > 0 ? u.matrix_ops_per_cycle[i] : u.vector_ops_per_cycle[i];
    const double rate = cap > 0 ? std::min(per_core, cap) : per_core;
    return rate * u.count * u.sustained_hz();
}

double vector_seconds(const config::ComputeUnitSpec& u, double ops, DType d) {
    if (ops <= 0) return 0;
    double per_core = u.vector_ops_per_cycle[static_cast<std::size_t>(d)];
    if (per_core <= 0) per_core = u.vector_ops_per_cycle[static_cast<std::size_t>(DType::fp32)];
    const double rate = per_core * u.count * u.sustained_hz();
    return rate > 0 ? ops / rate : 0;
}

double ActivationPass::seconds(const OpWork& op, const config::ComputeUnitSpec& u, const GpuExtras& gpu) const {
    const double elements = op.rows * gemm_depth(op);
    if (elements <= 0) return 0;
    const double memory = gpu.activation_bandwidth > 0 ? elements * bytes_per_element / gpu.activation_bandwidth : 0;
    return std::max(memory, vector_seconds(u, elements * ops_per_element, DType::fp32));
}

GemmTile read_tile(const config::Node& n) {
    const auto items = n.is_sequence() ? n.items() : std::vector<config::Node>{};
    if (items.size() != 2 && items.size() != 3) n.fail("expected [weight rows, tokens] or [weight rows, tokens, depth], e.g. [128, 128]");
    GemmTile t;
    t.weights = static_cast<int>(items[0].as_integer(1, 4096));
    t.tokens = static_cast<int>(items[1].as_integer(1, 4096));
    if (items.size() == 3) t.depth = static_cast<int>(items[2].as_integer(1, 4096));
    return t;
}

}  // namespace infersim::hw

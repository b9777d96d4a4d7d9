// Roofline-per-op compute timing with shape efficiency.
#include "replay/compute_model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace infersim::replay {
namespace {

using config::DType;

// The fastest supported datatype at least as wide as requested, on the given path.
DType supported(const config::ComputeUnitSpec& u, DType want, bool matrix) {
    const config::PerDType& t = matrix ? u.matrix_ops_per_cycle : u.vector_ops_per_cycle;
    if (t[static_cast<std::size_t>(want)] > 0) return want;
    for (DType d : {DType::fp16, DType::bf16, DType::fp32})
        if (t[static_cast<std::size_t>(d)] > 0) return d;
    return want;
}

double time_on(const config::ComputeUnitSpec& u, double ops, DType d, bool matrix, double efficiency) {
    double peak = u.peak_ops_per_s(d, matrix) * efficiency;
    return peak > 0 ? ops / peak : std::numeric_limits<double>::infinity();
}

}  // namespace

ComputeCost compute_cost(const workload::Op& op, workload::Phase phase, DType weight_dtype,
                         const config::ComputeUnitSpec& unit, const config::RuntimeSpec& runtime) {
    ComputeCost c;
    if (op.flops <= 0 && op.dequant_ops <= 0) return c;
    const bool float_weights = weight_dtype == DType::fp32 || weight_dtype == DType::bf16;
    DType want = op.matrix ? (phase == workload::Phase::prefill ? runtime.prefill_dtype : runtime.decode_dtype) : DType::fp32;
    if (op.matrix && float_weights) want = weight_dtype;
    if (op.kind == config::OpKind::attention) want = DType::fp16;

    // GEMM kernels reach `gemm_efficiency` of peak on large shapes (a kernel property).
    const double kernel_eff = op.matrix ? runtime.gemm_efficiency : 1.0;
    const DType vd = supported(unit, want, false);
    double t = time_on(unit, op.flops, vd, false, kernel_eff);
    c.dtype = vd;
    const double rows = std::max<double>(1, op.rows);
    if (op.matrix) {
        const DType md = supported(unit, want, true);
        // A matrix tile needs `matrix_min_rows` tokens; fewer rows leave the rest of it idle.
        double eff = std::min(1.0, rows / std::max(1, unit.matrix_min_rows)) * kernel_eff;
        // Wave quantization: output tiles are dealt to the cores in waves; a partial last wave
        // leaves cores idle.
        if (op.cols > 0 && rows >= unit.matrix_min_rows) {
            const double tiles = std::ceil(rows / runtime.gemm_tile_rows) * std::ceil(op.cols / static_cast<double>(runtime.gemm_tile_cols));
            const double waves = std::ceil(tiles / unit.count);
            eff *= tiles / (waves * unit.count);
        }
        double tm = time_on(unit, op.flops, md, true, eff);
        if (tm < t) {
            t = tm;
            c.matrix_path = true;
            c.dtype = md;
        }
    }
    // Unpacking quantized weights runs on the SIMD path: once per weight for each M tile of
    // the GEMM (each output row block unpacks the weights it multiplies again).
    const DType dq = supported(unit, DType::fp16, false);
    const double unpacks = std::ceil(rows / std::max(1, runtime.gemm_tile_rows));
    const double dequant_ops = op.dequant_ops * unpacks;
    const double t_dequant = time_on(unit, dequant_ops, dq, false, 1.0);
    c.seconds = t + (dequant_ops > 0 ? t_dequant : 0.0);
    c.energy_j = op.flops * unit.energy_j_per_op[static_cast<std::size_t>(c.dtype)] +
                 dequant_ops * unit.energy_j_per_op[static_cast<std::size_t>(dq)];
    return c;
}

}  // namespace infersim::replay

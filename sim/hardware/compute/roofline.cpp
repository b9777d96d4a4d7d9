// Roofline-per-op compute timing with shape efficiency (replay/compute_model's arithmetic, on hw::OpWork).
#include "hardware/compute/roofline.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace infersim::hw {

using config::DType;

DType supported_dtype(const config::ComputeUnitSpec& u, DType want, bool matrix) {
    const config::PerDType& t = matrix ? u.matrix_ops_per_cycle : u.vector_ops_per_cycle;
    if (t[static_cast<std::size_t>(want)] > 0) return want;
    for (DType d : {DType::fp16, DType::bf16, DType::fp32})
        if (t[static_cast<std::size_t>(d)] > 0) return d;
    return want;
}

double seconds_at_peak(const config::ComputeUnitSpec& u, double ops, DType d, bool matrix, double efficiency) {
    double peak = u.peak_ops_per_s(d, matrix) * efficiency;
    return peak > 0 ? ops / peak : std::numeric_limits<double>::infinity();
}

double roofline_prefill_peak(const config::ComputeUnitSpec& u, const config::RuntimeSpec& runtime) {
    const DType d = runtime.prefill_dtype;
    double peak = std::max(u.peak_ops_per_s(d, true), u.peak_ops_per_s(d, false));
    if (peak <= 0) peak = std::max(u.peak_ops_per_s(DType::fp16, true), u.peak_ops_per_s(DType::fp16, false));
    if (peak <= 0) peak = u.peak_ops_per_s(DType::fp32, false);
    return peak;
}

ComputeCost roofline_cost(const OpWork& op, const config::ComputeUnitSpec& unit, const config::RuntimeSpec& runtime) {
    ComputeCost c;
    if (op.flops <= 0 && op.dequant_ops <= 0) return c;
    const DType weight_dtype = op.weights.compute;
    const bool float_weights = weight_dtype == DType::fp32 || weight_dtype == DType::bf16;
    DType want = op.matrix ? (op.prefill ? runtime.prefill_dtype : runtime.decode_dtype) : DType::fp32;
    if (op.matrix && float_weights) want = weight_dtype;
    if (op.kind == config::OpKind::attention) want = DType::fp16;

    // GEMM kernels reach `gemm_efficiency` of peak on large shapes (a kernel property).
    const double kernel_eff = op.matrix ? runtime.gemm_efficiency : 1.0;
    const DType vd = supported_dtype(unit, want, false);
    double t = seconds_at_peak(unit, op.flops, vd, false, kernel_eff);
    c.dtype = vd;
    const double rows = std::max<double>(1, op.rows);
    if (op.matrix) {
        const DType md = supported_dtype(unit, want, true);
        // A matrix tile needs `matrix_min_rows` tokens; fewer rows leave the rest of it idle.
        double eff = std::min(1.0, rows / std::max(1, unit.matrix_min_rows)) * kernel_eff;
        // Wave quantization: output tiles are dealt to the cores in waves; a partial last wave
        // leaves cores idle.
        if (op.cols > 0 && rows >= unit.matrix_min_rows) {
            const double tiles = std::ceil(rows / runtime.gemm_tile_rows) * std::ceil(op.cols / static_cast<double>(runtime.gemm_tile_cols));
            const double waves = std::ceil(tiles / unit.count);
            eff *= tiles / (waves * unit.count);
        }
        double tm = seconds_at_peak(unit, op.flops, md, true, eff);
        if (tm < t) {
            t = tm;
            c.matrix_path = true;
            c.dtype = md;
        }
    }
    // Unpacking quantized weights runs on the SIMD path: once per weight for each M tile of
    // the GEMM (each output row block unpacks the weights it multiplies again).
    const DType dq = supported_dtype(unit, DType::fp16, false);
    const double unpacks = std::ceil(rows / std::max(1, runtime.gemm_tile_rows));
    const double dequant_ops = op.dequant_ops * unpacks;
    const double t_dequant = seconds_at_peak(unit, dequant_ops, dq, false, 1.0);
    c.seconds = t + (dequant_ops > 0 ? t_dequant : 0.0);
    c.energy_j = op.flops * unit.energy_j_per_op[static_cast<std::size_t>(c.dtype)] +
                 dequant_ops * unit.energy_j_per_op[static_cast<std::size_t>(dq)];
    return c;
}

}  // namespace infersim::hw

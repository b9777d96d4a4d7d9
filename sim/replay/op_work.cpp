// Trace op -> compute work.
#include "replay/op_work.hpp"

#include <cctype>
#include <cmath>

namespace infersim::replay {

hw::WeightFormat weight_format(const workload::QuantFormat* fmt) {
    hw::WeightFormat w;
    if (!fmt) return w;
    w.compute = fmt->compute;
    if (fmt->block_weights == 1) {            // plain floats: f32, f16, bf16, fp8
        w.element_bits = 8 * fmt->block_bytes;
        return w;
    }
    if (fmt->compute == config::DType::fp4) { // mxfp4, nvfp4: e2m1 elements with block scales
        w.element_bits = 4;
        return w;
    }
    // ggml integer blocks: the width is in the name (q4_0, q4_k, q8_0); the block scales and
    // minimums are what lifts bits_per_weight above it.
    w.integer = true;
    const std::string_view n = fmt->name;
    w.element_bits = n.size() > 1 && n[0] == 'q' && std::isdigit(static_cast<unsigned char>(n[1]))
                         ? n[1] - '0'
                         : static_cast<int>(std::floor(fmt->bits_per_weight()));
    return w;
}

hw::OpWork op_work(const workload::Op& op, workload::Phase phase, const hw::WeightFormat& weights) {
    hw::OpWork w;
    w.kind = op.kind;
    w.prefill = phase == workload::Phase::prefill;
    w.matrix = op.matrix;
    w.rows = op.rows;
    w.cols = op.cols;
    w.flops = op.flops;
    w.dequant_ops = op.dequant_ops;
    w.weights = weights;
    w.active_experts = op.active_experts;
    return w;
}

}  // namespace infersim::replay

// Shared block parts: the llama-family pricing of linear, norm and FFN ops (bytes from the
// inventory, flops 2 per multiply-add), used unchanged by every architecture.
#include "workload/arch/block_parts.hpp"
#include "workload/arch/moe_reads.hpp"

#include <algorithm>
#include <cmath>

namespace infersim::workload {

using config::OpKind;

LayerOpBuilder::LayerOpBuilder(int layer, const LayerStep& step, const WeightInventory& weights)
    : layer_(layer), step_(step), weights_(weights), rows_(step.rows()) {}

Op LayerOpBuilder::linear(OpKind kind, std::initializer_list<TensorRole> roles, double in, double out, double fraction) const {
    Op op;
    op.kind = kind;
    op.layer = layer_;
    op.rows = static_cast<std::uint32_t>(rows_);
    op.cols = static_cast<std::uint32_t>(out);
    op.matrix = true;
    double bytes = 0, dequant = 0, largest = 0;
    for (TensorRole r : roles) {
        double b = static_cast<double>(weights_.bytes(layer_, r)) * fraction;
        bytes += b;
        const QuantFormat* fmt = weights_.format(layer_, r);
        if (!fmt) continue;
        dequant += b / (fmt->block_bytes / static_cast<double>(fmt->block_weights)) * fmt->dequant_ops_per_weight;
        if (b > largest) {
            largest = b;
            op.weight_format = fmt;
        }
    }
    op.weight_bytes = static_cast<std::uint64_t>(std::llround(bytes));
    op.weight_elements = static_cast<std::uint64_t>(std::llround(in * out * fraction));
    op.flops = 2 * rows_ * in * out;
    op.dequant_ops = dequant;
    op.act_bytes = static_cast<std::uint64_t>(rows_ * (in + out) * kActBytes);
    return op;
}

Op LayerOpBuilder::rmsnorm(TensorRole role, double width) const {
    Op op;
    op.kind = OpKind::norm;
    op.layer = layer_;
    op.rows = static_cast<std::uint32_t>(rows_);
    op.weight_bytes = weights_.bytes(layer_, role);
    op.weight_format = weights_.format(layer_, role);
    op.flops = 4 * rows_ * width;
    op.act_bytes = static_cast<std::uint64_t>(2 * rows_ * width * kActBytes);
    return op;
}

AttentionSpan attention_span(const LayerStep& step, double window) {
    const double seq_new = step.new_tokens;
    const double ctx = static_cast<double>(step.context);
    const double end = ctx + seq_new;
    const double avg = ctx + (seq_new + 1) / 2;
    if (window <= 0) return {end, avg};
    // A sliding-window layer keeps (and reads) the window plus the chunk's own tokens, as
    // llama.cpp's SWA cache; query i (1..n) sees min(ctx + i, window) keys, so at depth every
    // query sees the window: sum = k ctx + k (k + 1) / 2 + (n - k) window, k = clamp(window - ctx).
    const double k = std::clamp(window - ctx, 0.0, seq_new);
    const double keys = k * ctx + k * (k + 1) / 2 + (seq_new - k) * window;
    return {std::min(end, window + seq_new - 1), keys / seq_new};
}

void ffn_tensors(const config::ModelSpec& m, int l, std::vector<LayerTensor>& out) {
    const auto h = static_cast<std::uint64_t>(m.hidden);
    if (!m.moe_layer(l)) {
        const auto f = static_cast<std::uint64_t>(m.dense_ffn_width());
        out.push_back({TensorRole::ffn_gate, h, h * f});
        out.push_back({TensorRole::ffn_up, h, h * f});
        out.push_back({TensorRole::ffn_down, f, f * h});
        return;
    }
    const auto f = static_cast<std::uint64_t>(m.ffn);
    const auto e = static_cast<std::uint64_t>(m.experts);
    out.push_back({TensorRole::ffn_gate_inp, h, h * e});
    out.push_back({TensorRole::ffn_gate_exps, h, e * h * f, m.experts});
    out.push_back({TensorRole::ffn_up_exps, h, e * h * f, m.experts});
    out.push_back({TensorRole::ffn_down_exps, f, e * f * h, m.experts});
    if (m.shared_experts > 0) {
        const std::uint64_t sf = f * static_cast<std::uint64_t>(m.shared_experts);
        out.push_back({TensorRole::ffn_gate_shexp, h, h * sf});
        out.push_back({TensorRole::ffn_up_shexp, h, h * sf});
        out.push_back({TensorRole::ffn_down_shexp, sf, sf * h});
    }
}

void ffn_ops(const config::ModelSpec& m, const LayerOpBuilder& b, std::vector<Op>& out) {
    const double h = m.hidden, rows = b.rows();
    if (!m.moe_layer(b.layer())) {
        const double f = m.dense_ffn_width();
        out.push_back(b.linear(OpKind::ffn_up, {TensorRole::ffn_gate, TensorRole::ffn_up}, h, 2 * f));
        out.push_back(b.linear(OpKind::ffn_down, {TensorRole::ffn_down}, f, h));
        return;
    }
    const double f = m.ffn, e = m.experts, k = m.active_experts;
    const auto moe_mark = static_cast<std::uint16_t>(m.active_experts);
    Op router = b.linear(OpKind::router, {TensorRole::ffn_gate_inp, TensorRole::ffn_gate_inp_shexp}, h, e);
    router.active_experts = moe_mark;
    out.push_back(router);
    // Expert matrices each expert tensor streams this step: the routing's distinct experts, or
    // every (token, expert) pair below the runtime's vector-kernel threshold (moe_reads.*).
    // Without them, each used expert once under uniform routing: e (1 - (1 - k/e)^rows).
    const auto& reads = b.step().expert_reads;
    const double touched = reads.empty() ? distinct_experts_uniform(e, k, rows) : reads[static_cast<std::size_t>(b.layer())];
    const double fraction = touched / e;
    Op up = b.linear(OpKind::ffn_up, {TensorRole::ffn_gate_exps, TensorRole::ffn_up_exps}, h, 2 * f * e, fraction);
    up.flops = 2 * rows * k * h * 2 * f;
    up.cols = static_cast<std::uint32_t>(2 * f);
    up.weight_elements = static_cast<std::uint64_t>(std::llround(touched * h * 2 * f));
    Op down = b.linear(OpKind::ffn_down, {TensorRole::ffn_down_exps}, f * e, h, fraction);
    down.flops = 2 * rows * k * f * h;
    down.cols = static_cast<std::uint32_t>(h);
    down.weight_elements = static_cast<std::uint64_t>(std::llround(touched * f * h));
    if (m.shared_experts > 0) {
        const double sf = f * m.shared_experts;
        Op sup = b.linear(OpKind::ffn_up, {TensorRole::ffn_gate_shexp, TensorRole::ffn_up_shexp}, h, 2 * sf);
        Op sdown = b.linear(OpKind::ffn_down, {TensorRole::ffn_down_shexp}, sf, h);
        up.weight_bytes += sup.weight_bytes; up.flops += sup.flops; up.dequant_ops += sup.dequant_ops;
        down.weight_bytes += sdown.weight_bytes; down.flops += sdown.flops; down.dequant_ops += sdown.dequant_ops;
    }
    up.active_experts = down.active_experts = moe_mark;
    out.push_back(up);
    out.push_back(down);
}

}  // namespace infersim::workload

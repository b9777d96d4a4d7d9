// Per-op bytes and FLOPs of a decoder-only transformer (llama-family block: RMSNorm, GQA
// attention with RoPE, SwiGLU MLP or routed experts).
#include "workload/trace_builder.hpp"

#include <algorithm>
#include <cmath>

namespace infersim::workload {
namespace {

using config::OpKind;
constexpr double kActBytes = 2;  // activations in f16

}  // namespace

double kv_bytes_per_element(std::string_view p) {
    if (p == "f16" || p == "bf16") return 2;
    if (p == "q8_0") return 34.0 / 32.0;
    if (p == "fp8") return 1;
    if (p == "q4_0") return 18.0 / 32.0;
    return 0;
}

std::uint64_t kv_bytes(const config::ModelSpec& m, std::uint64_t tokens, double bpe) {
    double per_token = 2.0 * m.layers * m.kv_dim() * bpe;
    return static_cast<std::uint64_t>(std::llround(per_token * static_cast<double>(tokens)));
}

TraceBuilder::TraceBuilder(const config::ModelSpec& model, const WeightInventory& weights, RequestShape shape)
    : model_(model), weights_(weights), shape_(shape) {
    shape_.ubatch = std::max<std::uint64_t>(1, shape_.ubatch);
    prefill_steps_ = static_cast<std::size_t>((shape_.prompt + shape_.ubatch - 1) / shape_.ubatch);
    // The last prefill step samples the first output token; each decode step one more.
    if (shape_.prompt > 0) decode_steps_ = shape_.gen > 0 ? static_cast<std::size_t>(shape_.gen - 1) : 0;
    else decode_steps_ = static_cast<std::size_t>(shape_.gen);
    ops_per_step_ = 4 + static_cast<std::size_t>(model_.layers) * (model_.is_moe() ? 8 : 7);
}

std::uint64_t TraceBuilder::op_count() const { return static_cast<std::uint64_t>(ops_per_step_) * step_count(); }

const Step& TraceBuilder::step(std::size_t i) {
    if (i != built_) build(i);
    return buffer_;
}

std::uint32_t TraceBuilder::add(const Op& op) {
    auto v = static_cast<std::uint32_t>(buffer_.ops.size());
    buffer_.ops.push_back(op);
    boost::add_vertex(buffer_.deps);
    if (last_op_ >= 0) boost::add_edge(static_cast<std::size_t>(last_op_), v, buffer_.deps);
    last_op_ = v;
    return v;
}

void TraceBuilder::build(std::size_t i) {
    built_ = i;
    buffer_.ops.clear();
    buffer_.deps = OpGraph();
    buffer_.ops.reserve(ops_per_step_);
    last_op_ = -1;
    const bool prefill = i < prefill_steps_;
    buffer_.phase = prefill ? Phase::prefill : Phase::decode;
    buffer_.index = static_cast<std::uint32_t>(i);
    buffer_.sequences = static_cast<std::uint32_t>(shape_.batch);
    if (prefill) {
        std::uint64_t start = i * shape_.ubatch;
        buffer_.context = start;
        buffer_.new_tokens = static_cast<std::uint32_t>(std::min(shape_.ubatch, shape_.prompt - start));
        buffer_.emits = (i + 1 == prefill_steps_ && shape_.gen > 0) ? buffer_.sequences : 0;
    } else {
        std::size_t d = i - prefill_steps_;
        buffer_.context = shape_.prompt + d;
        buffer_.new_tokens = 1;
        buffer_.emits = buffer_.sequences;
    }

    const double rows = static_cast<double>(buffer_.new_tokens) * buffer_.sequences;
    const auto urows = static_cast<std::uint32_t>(rows);
    const double h = model_.hidden;

    Op embd;
    embd.kind = OpKind::embedding;
    embd.rows = urows;
    // A lookup reads one row per token, not the whole table.
    const std::uint64_t table = weights_.bytes(-1, TensorRole::token_embd);
    embd.weight_bytes = static_cast<std::uint64_t>(std::min<double>(static_cast<double>(table),
                                                                     static_cast<double>(table) / model_.vocab * rows));
    embd.act_bytes = static_cast<std::uint64_t>(rows * h * kActBytes);
    add(embd);

    for (int l = 0; l < model_.layers; ++l) add_layer(l);

    Op norm;
    norm.kind = OpKind::norm;
    norm.rows = urows;
    norm.weight_bytes = weights_.bytes(-1, TensorRole::output_norm);
    norm.act_bytes = static_cast<std::uint64_t>(2 * rows * h * kActBytes);
    norm.flops = 4 * rows * h;
    add(norm);

    // Logits only for the tokens that are sampled (llama.cpp computes the last position).
    const double out_rows = std::max<double>(1, buffer_.emits);
    Op head;
    head.kind = OpKind::lm_head;
    head.rows = static_cast<std::uint32_t>(out_rows);
    head.cols = static_cast<std::uint32_t>(model_.vocab);
    head.matrix = true;
    TensorRole head_role = model_.tied_embeddings ? TensorRole::token_embd : TensorRole::output;
    head.weight_bytes = weights_.bytes(-1, head_role);
    head.weight_elements = static_cast<std::uint64_t>(h) * static_cast<std::uint64_t>(model_.vocab);
    head.flops = 2 * out_rows * h * model_.vocab;
    const QuantFormat* hf = weights_.format(-1, head_role);
    head.dequant_ops = hf ? hf->dequant_ops_per_weight * static_cast<double>(head.weight_elements) : 0;
    head.act_bytes = static_cast<std::uint64_t>(out_rows * (h * kActBytes + model_.vocab * 4.0));
    add(head);

    Op sample;
    sample.kind = OpKind::sample;
    sample.rows = static_cast<std::uint32_t>(out_rows);
    sample.act_bytes = static_cast<std::uint64_t>(out_rows * model_.vocab * 4.0);
    sample.flops = out_rows * model_.vocab * 4.0;
    add(sample);
}

void TraceBuilder::add_layer(int l) {
    const double rows = static_cast<double>(buffer_.new_tokens) * buffer_.sequences;
    const auto urows = static_cast<std::uint32_t>(rows);
    const double h = model_.hidden, q = model_.q_dim(), kv = model_.kv_dim(), f = model_.ffn;
    const double seq_new = buffer_.new_tokens;

    auto linear = [&](OpKind kind, std::initializer_list<TensorRole> roles, double in, double out, double fraction = 1.0) {
        Op op;
        op.kind = kind;
        op.layer = l;
        op.rows = urows;
        op.cols = static_cast<std::uint32_t>(out);
        op.matrix = true;
        double bytes = 0, dequant = 0;
        for (TensorRole r : roles) {
            double b = static_cast<double>(weights_.bytes(l, r)) * fraction;
            bytes += b;
            const QuantFormat* fmt = weights_.format(l, r);
            if (fmt) dequant += b / (fmt->block_bytes / static_cast<double>(fmt->block_weights)) * fmt->dequant_ops_per_weight;
        }
        op.weight_bytes = static_cast<std::uint64_t>(std::llround(bytes));
        op.weight_elements = static_cast<std::uint64_t>(std::llround(in * out * fraction));
        op.flops = 2 * rows * in * out;
        op.dequant_ops = dequant;
        op.act_bytes = static_cast<std::uint64_t>(rows * (in + out) * kActBytes);
        return op;
    };
    auto rmsnorm = [&](TensorRole role) {
        Op op;
        op.kind = OpKind::norm;
        op.layer = l;
        op.rows = urows;
        op.weight_bytes = weights_.bytes(l, role);
        op.flops = 4 * rows * h;
        op.act_bytes = static_cast<std::uint64_t>(2 * rows * h * kActBytes);
        return op;
    };

    add(rmsnorm(TensorRole::attn_norm));

    Op qkv = linear(OpKind::qkv, {TensorRole::attn_q, TensorRole::attn_k, TensorRole::attn_v, TensorRole::attn_qkv_bias}, h, q + 2 * kv);
    qkv.kv_write_bytes = static_cast<std::uint64_t>(std::llround(rows * 2 * kv * shape_.kv_bytes_per_element));
    add(qkv);

    // Attention over the cache: each sequence reads its K and V for every cached position once
    // (flash attention keeps a query block's scores on chip); a sliding-window layer reads at
    // most the window.
    Op att;
    att.kind = OpKind::attention;
    att.layer = l;
    att.rows = urows;
    att.matrix = true;
    const bool windowed = model_.sliding_window > 0 &&
                          (model_.sliding_window_every <= 1 || l % model_.sliding_window_every == 0);
    double ctx_end = static_cast<double>(buffer_.context) + seq_new;
    double kv_len = windowed ? std::min<double>(ctx_end, model_.sliding_window) : ctx_end;
    // Causal prefill: query t sees context + t keys; on average context + (new + 1) / 2.
    double avg_keys = windowed ? std::min<double>(static_cast<double>(buffer_.context) + (seq_new + 1) / 2, model_.sliding_window)
                               : static_cast<double>(buffer_.context) + (seq_new + 1) / 2;
    att.kv_read_bytes = static_cast<std::uint64_t>(std::llround(buffer_.sequences * kv_len * 2 * kv * shape_.kv_bytes_per_element));
    att.flops = 4.0 * buffer_.sequences * seq_new * avg_keys * q;  // QK^T and PV
    att.act_bytes = static_cast<std::uint64_t>(rows * 2 * q * kActBytes);
    if (!shape_.flash_attention)  // scores (f32) written and read back, softmax in between
        att.act_bytes += static_cast<std::uint64_t>(buffer_.sequences * seq_new * avg_keys * model_.heads * 4.0 * 3);
    add(att);

    add(linear(OpKind::out_proj, {TensorRole::attn_output}, q, h));
    add(rmsnorm(TensorRole::ffn_norm));

    if (!model_.is_moe()) {
        add(linear(OpKind::ffn_up, {TensorRole::ffn_gate, TensorRole::ffn_up}, h, 2 * f));
        add(linear(OpKind::ffn_down, {TensorRole::ffn_down}, f, h));
        return;
    }
    const double e = model_.experts, k = model_.active_experts;
    add(linear(OpKind::router, {TensorRole::ffn_gate_inp}, h, e));
    // Distinct experts touched by `rows` tokens, each routed to k of e uniformly (an assumption:
    // real routers are skewed, which touches fewer): e * (1 - (1 - k/e)^rows).
    const double touched = e * (1.0 - std::pow(1.0 - k / e, rows));
    const double fraction = touched / e;
    Op up = linear(OpKind::ffn_up, {TensorRole::ffn_gate_exps, TensorRole::ffn_up_exps}, h, 2 * f * e, fraction);
    up.flops = 2 * rows * k * h * 2 * f;
    up.cols = static_cast<std::uint32_t>(2 * f);
    up.weight_elements = static_cast<std::uint64_t>(std::llround(touched * h * 2 * f));
    Op down = linear(OpKind::ffn_down, {TensorRole::ffn_down_exps}, f * e, h, fraction);
    down.flops = 2 * rows * k * f * h;
    down.cols = static_cast<std::uint32_t>(h);
    down.weight_elements = static_cast<std::uint64_t>(std::llround(touched * f * h));
    if (model_.shared_experts > 0) {
        const double sf = f * model_.shared_experts;
        Op sup = linear(OpKind::ffn_up, {TensorRole::ffn_gate_shexp, TensorRole::ffn_up_shexp}, h, 2 * sf);
        Op sdown = linear(OpKind::ffn_down, {TensorRole::ffn_down_shexp}, sf, h);
        up.weight_bytes += sup.weight_bytes; up.flops += sup.flops; up.dequant_ops += sup.dequant_ops;
        down.weight_bytes += sdown.weight_bytes; down.flops += sdown.flops; down.dequant_ops += sdown.dequant_ops;
    }
    add(up);
    add(down);
}

}  // namespace infersim::workload

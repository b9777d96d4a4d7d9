// The steps of a run: the whole-model ops (embedding, final norm, LM head, sampling) around
// the layers, whose ops come from the model's architecture (workload/arch/).
#include "workload/trace_builder.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "workload/arch/block_parts.hpp"

namespace infersim::workload {
namespace {

using config::OpKind;

}  // namespace

double kv_bytes_per_element(std::string_view p) {
    if (p == "f16" || p == "bf16") return 2;
    if (p == "q8_0") return 34.0 / 32.0;
    if (p == "fp8") return 1;
    if (p == "q4_0") return 18.0 / 32.0;
    return 0;
}

std::uint64_t kv_bytes(const config::ModelSpec& m, std::uint64_t tokens, double bpe, bool swa_cache) {
    const auto arch = make_architecture(m);
    double bytes = 0;
    for (int l = 0; l < m.layers; ++l) bytes += arch->layer_cache(l).bytes(tokens, bpe, swa_cache);
    return static_cast<std::uint64_t>(std::llround(bytes));
}

TraceBuilder::TraceBuilder(const config::ModelSpec& model, const WeightInventory& weights, RequestShape shape)
    : model_(model), weights_(weights), shape_(shape), arch_(make_architecture(model)),
      expert_reads_(model, shape_.moe_dispatch, shape_.routing) {
    shape_.ubatch = std::max<std::uint64_t>(1, shape_.ubatch);
    prefill_steps_ = static_cast<std::size_t>((shape_.prompt + shape_.ubatch - 1) / shape_.ubatch);
    // The last prefill step samples the first output token; each decode step one more.
    if (shape_.prompt > 0) decode_steps_ = shape_.gen > 0 ? static_cast<std::size_t>(shape_.gen - 1) : 0;
    else decode_steps_ = static_cast<std::size_t>(shape_.gen);
    // Every step has the same ops (only their sizes change), so the first one counts them all.
    if (step_count() > 0) {
        build(0);
        ops_per_step_ = buffer_.ops.size();
    }
}

std::uint64_t TraceBuilder::op_count() const { return static_cast<std::uint64_t>(ops_per_step_) * step_count(); }

const Step& TraceBuilder::step(std::size_t i) {
    if (i != built_) build(i);
    return buffer_;
}

std::uint32_t TraceBuilder::add(const Op& op) {
    auto v = static_cast<std::uint32_t>(buffer_.ops.size());
    buffer_.ops.push_back(op);
    return v;
}

void TraceBuilder::chain_deps() {
    // Each op depends on the one before it, so the graph depends only on the op count: it is
    // rebuilt only when that changes (most steps keep the previous step's).
    const std::size_t n = buffer_.ops.size();
    if (boost::num_vertices(buffer_.deps) == n) return;
    buffer_.deps = OpGraph(n);
    for (std::size_t v = 1; v < n; ++v) boost::add_edge(v - 1, v, buffer_.deps);
}

void TraceBuilder::build(std::size_t i) {
    built_ = i;
    buffer_.ops.clear();
    buffer_.ops.reserve(ops_per_step_);
    const bool prefill = i < prefill_steps_;
    buffer_.phase = prefill ? Phase::prefill : Phase::decode;
    buffer_.index = static_cast<std::uint32_t>(i);
    buffer_.sequences = static_cast<std::uint32_t>(shape_.batch);
    if (prefill) {
        std::uint64_t start = i * shape_.ubatch;
        buffer_.context = shape_.depth + start;
        buffer_.new_tokens = static_cast<std::uint32_t>(std::min(shape_.ubatch, shape_.prompt - start));
        buffer_.emits = (i + 1 == prefill_steps_ && shape_.gen > 0) ? buffer_.sequences : 0;
    } else {
        std::size_t d = i - prefill_steps_;
        buffer_.context = shape_.depth + shape_.prompt + d;
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
    embd.weight_format = weights_.format(-1, TensorRole::token_embd);
    add(embd);

    LayerStep layer_step{buffer_.new_tokens, buffer_.sequences, buffer_.context, shape_.kv_bytes_per_element, shape_.flash_attention};
    layer_step.expert_reads = expert_reads_.for_step(buffer_.new_tokens, buffer_.sequences);  // MoE (issue 9)
    for (int l = 0; l < model_.layers; ++l) {
        layer_ops_.clear();
        arch_->layer_ops(l, layer_step, weights_, layer_ops_);
        for (const Op& op : layer_ops_) add(op);
    }

    Op norm;
    norm.kind = OpKind::norm;
    norm.rows = urows;
    norm.weight_bytes = weights_.bytes(-1, TensorRole::output_norm);
    norm.weight_format = weights_.format(-1, TensorRole::output_norm);
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
    head.weight_format = hf;
    head.dequant_ops = hf ? hf->dequant_ops_per_weight * static_cast<double>(head.weight_elements) : 0;
    head.act_bytes = static_cast<std::uint64_t>(out_rows * (h * kActBytes + model_.vocab * 4.0));
    add(head);

    Op sample;
    sample.kind = OpKind::sample;
    sample.rows = static_cast<std::uint32_t>(out_rows);
    sample.act_bytes = static_cast<std::uint64_t>(out_rows * model_.vocab * 4.0);
    sample.flops = out_rows * model_.vocab * 4.0;
    add(sample);
    chain_deps();
    if (ops_per_step_ > 0 && buffer_.ops.size() != ops_per_step_)
        throw std::logic_error("architecture '" + model_.architecture + "' built steps of different op counts");
}

}  // namespace infersim::workload

// Batch shape -> step. The ops other than attention depend only on the batch's total rows, so
// they are the trace builder's own for one sequence of that many rows; attention is summed
// over the sequences (grouped when several share a shape).
#include "serving/step_builder.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace infersim::serving {

using config::OpKind;

StepBuilder::StepBuilder(const config::ModelSpec& model, const workload::WeightInventory& weights, const workload::RequestShape& base)
    : model_(model), weights_(weights), base_(base), arch_(workload::make_architecture(model)) {}

void StepBuilder::add_attention(const Slice& s, std::uint32_t count) {
    workload::LayerStep ls{s.tokens, count, s.context, base_.kv_bytes_per_element, base_.flash_attention};
    for (int l = 0; l < model_.layers; ++l) {
        layer_ops_.clear();
        arch_->layer_ops(l, ls, weights_, layer_ops_);
        for (const workload::Op& op : layer_ops_) {
            if (op.kind != OpKind::attention) continue;
            workload::Op& into = step_.ops[attention_at_[static_cast<std::size_t>(l)]];
            into.rows += op.rows;
            into.kv_read_bytes += op.kv_read_bytes;
            into.flops += op.flops;
            into.act_bytes += op.act_bytes;
            into.weight_bytes = std::max(into.weight_bytes, op.weight_bytes);  // MLA's absorbed matrices: read once
        }
    }
}

const workload::Step& StepBuilder::build(const BatchShape& shape) {
    if (shape.slices.empty()) throw std::logic_error("an empty batch has no step");
    workload::RequestShape rs = base_;
    const std::uint64_t rows = shape.tokens();
    rs.prompt = rows;
    rs.ubatch = rows;
    rs.gen = 1;
    rs.batch = 1;
    rs.depth = 0;
    workload::TraceBuilder tb(model_, weights_, rs);
    step_ = tb.step(0);
    // Keep the rows-only ops; empty each layer's attention, then sum the sequences' into it.
    attention_at_.assign(static_cast<std::size_t>(model_.layers), 0);
    for (std::size_t i = 0; i < step_.ops.size(); ++i) {
        workload::Op& op = step_.ops[i];
        if (op.kind != OpKind::attention || op.layer < 0) continue;
        attention_at_[static_cast<std::size_t>(op.layer)] = i;
        op.rows = 0;
        op.kv_read_bytes = 0;
        op.flops = 0;
        op.act_bytes = 0;
        op.weight_bytes = 0;
    }
    std::map<std::pair<std::uint32_t, std::uint64_t>, std::uint32_t> groups;  // (tokens, context) -> sequences
    std::uint32_t logits = 0;
    bool decode = true;
    std::uint32_t widest = 0;
    std::uint64_t deepest = 0;
    for (const Slice& s : shape.slices) {
        ++groups[{s.tokens, s.context}];
        logits += s.logits;
        decode = decode && s.decode;
        widest = std::max(widest, s.tokens);
        deepest = std::max(deepest, s.context);
    }
    for (const auto& [k, n] : groups) add_attention(Slice{k.first, k.second, 0, false}, n);
    // The trace builder computed one logit row; the head and the sampler scale with the rows.
    const double scale = std::max<std::uint32_t>(1, logits);
    for (workload::Op& op : step_.ops)
        if (op.kind == OpKind::lm_head || op.kind == OpKind::sample) {
            op.rows = static_cast<std::uint32_t>(scale);
            op.flops *= scale;
            op.act_bytes = static_cast<std::uint64_t>(static_cast<double>(op.act_bytes) * scale);
        }
    step_.phase = decode ? workload::Phase::decode : workload::Phase::prefill;
    step_.index = 0;
    step_.new_tokens = widest;
    step_.context = deepest;
    step_.sequences = std::max<std::uint32_t>(1, logits);  // the host copies one logit row per sampled row
    step_.emits = logits;
    return step_;
}

}  // namespace infersim::serving

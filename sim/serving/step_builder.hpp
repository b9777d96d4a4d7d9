// Turns a batch shape into a trace step for the replayer: the matrix, norm and FFN ops see all
// the batch's rows at once (weights are read once), the attention of each layer is the sum of
// every sequence's attention over its own context, and the LM head computes the sampled rows.
#pragma once
#include <memory>
#include <vector>

#include "config/model_spec.hpp"
#include "serving/batch.hpp"
#include "workload/arch/architecture.hpp"
#include "workload/trace_builder.hpp"

namespace infersim::serving {

class StepBuilder {
public:
    /// `base`: the run's request shape (KV precision, flash attention, MoE dispatch); its
    /// lengths are ignored. `model` and `weights` must outlive the builder.
    StepBuilder(const config::ModelSpec& model, const workload::WeightInventory& weights, const workload::RequestShape& base);
    /// The step for `shape` (valid until the next call).
    const workload::Step& build(const BatchShape& shape);

private:
    void add_attention(const Slice& s, std::uint32_t count);
    const config::ModelSpec& model_;
    const workload::WeightInventory& weights_;
    workload::RequestShape base_;
    std::unique_ptr<workload::Architecture> arch_;
    std::vector<workload::Op> layer_ops_;
    std::vector<std::size_t> attention_at_;  // index of each layer's attention op in step_.ops
    workload::Step step_;
};

}  // namespace infersim::serving

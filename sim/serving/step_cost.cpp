// The exact step cache: the key is every field the replayer reads from a step and its ops.
#include "serving/step_cost.hpp"

#include <algorithm>
#include <bit>

namespace infersim::serving {

std::size_t StepCache::Hash::operator()(const std::vector<std::uint64_t>& k) const {
    std::uint64_t h = 1469598103934665603ull;  // FNV-1a over the words
    for (std::uint64_t w : k) h = (h ^ w) * 1099511628211ull;
    return static_cast<std::size_t>(h);
}

StepResult StepCache::get(const workload::Step& step) {
    key_.clear();
    key_.push_back(static_cast<std::uint64_t>(step.phase));
    key_.push_back(step.new_tokens);
    key_.push_back(step.sequences);
    key_.push_back(step.context);
    key_.push_back(step.emits);
    for (const workload::Op& op : step.ops) {
        key_.push_back((static_cast<std::uint64_t>(op.kind) << 48) ^ (static_cast<std::uint64_t>(static_cast<std::uint32_t>(op.layer)) << 16) ^
                       (static_cast<std::uint64_t>(op.matrix) << 8) ^ op.active_experts);
        key_.push_back((static_cast<std::uint64_t>(op.rows) << 32) | op.cols);
        key_.push_back(op.weight_bytes);
        key_.push_back(op.weight_elements);
        key_.push_back(op.kv_read_bytes);
        key_.push_back(op.kv_write_bytes);
        key_.push_back(op.act_bytes);
        key_.push_back(std::bit_cast<std::uint64_t>(op.flops));
        key_.push_back(std::bit_cast<std::uint64_t>(op.dequant_ops));
        key_.push_back(reinterpret_cast<std::uintptr_t>(op.weight_format));
    }
    if (auto it = results_.find(key_); it != results_.end()) {
        ++hits_;
        return it->second;
    }
    ++misses_;
    const StepResult r = cost_.replay(step);
    results_.emplace(key_, r);
    return r;
}

StepResult StepCache::get(const BatchShape& shape, StepBuilder& builder) {
    shape_key_.clear();
    for (const Slice& s : shape.slices) {
        shape_key_.push_back((static_cast<std::uint64_t>(s.tokens) << 32) | (static_cast<std::uint64_t>(s.logits) << 1) | (s.decode ? 1u : 0u));
        shape_key_.push_back(s.context);
    }
    // Sort the (tokens/logits/decode, context) pairs: the step does not depend on their order.
    std::vector<std::pair<std::uint64_t, std::uint64_t>> pairs;
    pairs.reserve(shape.slices.size());
    for (std::size_t i = 0; i < shape_key_.size(); i += 2) pairs.emplace_back(shape_key_[i], shape_key_[i + 1]);
    std::sort(pairs.begin(), pairs.end());
    shape_key_.clear();
    for (const auto& [a, b] : pairs) {
        shape_key_.push_back(a);
        shape_key_.push_back(b);
    }
    if (auto it = by_shape_.find(shape_key_); it != by_shape_.end()) {
        ++hits_;
        return it->second;
    }
    const StepResult r = get(builder.build(shape));
    by_shape_.emplace(shape_key_, r);
    return r;
}

}  // namespace infersim::serving

// What a step costs on the machine, and the cache that replays each distinct step once. The
// key is the step's whole content (every op's sizes, bit for bit), so two batches share a
// result only when the replayer would be handed identical work: the cache is exact.
#pragma once
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "engine/time.hpp"
#include "output/recorder.hpp"
#include "serving/step_builder.hpp"
#include "workload/trace.hpp"

namespace infersim::serving {

struct StepResult {
    engine::Tick duration = 0;
    double energy_j = 0;
    /// The replay's binned hardware activity, when timelines are kept (owned by the StepCost,
    /// alive as long as it is); null otherwise.
    const output::BinnedActivity* activity = nullptr;
};

/// Prices one step by replaying it (implemented by the scenario layer on the real machine).
class StepCost {
public:
    virtual ~StepCost() = default;
    virtual StepResult replay(const workload::Step& step) = 0;
    /// Power drawn while the server waits for requests (W).
    virtual double idle_power_w() const = 0;
};

class StepCache {
public:
    explicit StepCache(StepCost& cost) : cost_(cost) {}
    StepResult get(const workload::Step& step);
    /// The step of `shape`: first by the shape itself (the slices in any order build the same
    /// step), so a repeated shape is not even rebuilt; then by the built step's content.
    StepResult get(const BatchShape& shape, StepBuilder& builder);
    std::uint64_t hits() const { return hits_; }
    std::uint64_t misses() const { return misses_; }

private:
    struct Hash {
        std::size_t operator()(const std::vector<std::uint64_t>& k) const;
    };
    StepCost& cost_;
    std::vector<std::uint64_t> key_;  // scratch
    std::unordered_map<std::vector<std::uint64_t>, StepResult, Hash> results_;
    std::vector<std::uint64_t> shape_key_;  // scratch
    std::unordered_map<std::vector<std::uint64_t>, StepResult, Hash> by_shape_;
    std::uint64_t hits_ = 0, misses_ = 0;
};

}  // namespace infersim::serving

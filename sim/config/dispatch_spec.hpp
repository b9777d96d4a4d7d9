// A runtime's fixed per-step costs as chains (runtime profile block `dispatch:`): dependent
// dispatches x what each costs (a barrier-serialised Metal graph, a replayed CUDA graph, or
// stream launches), latency-bound small kernels as GPU cycles (so they scale with 1/clock),
// and the amount of host work per step (graph nodes built and checked, a fixed part, the
// logits copy), stated for a reference host core and scaled by the machine's host CPU
// (MachineSpec::host_cpu). A profile without the block keeps the flat launch_overhead x
// kernels + host_overhead of older files.
#pragma once
#include <array>
#include <ostream>

#include "config/op_kind.hpp"
#include "config/yaml_node.hpp"

namespace infersim::config {

struct DispatchSpec {
    bool present = false;                 // the profile has a `dispatch:` block
    double dispatch_s = 0;                // per dependent dispatch (or per stream launch)
    double graph_dispatch_s = -1;         // per dependent dispatch inside a replayed graph; < 0: no graphs
    int graph_max_batch = 1;              // decode steps of up to this many tokens replay the graph
    // Dependent dispatches per op (the chain the GPU drains one after another); -1: the op's kernels.
    std::array<int, kOpKindCount> chain{-1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
    // Latency-bound small kernels per op at decode (norm, rope, softmax, get_rows on a token).
    std::array<int, kOpKindCount> small_kernels{};
    double small_kernel_cycles = 0;       // GPU cycles each (critical path, not throughput)
    double host_per_node_s = 0;           // host time per graph node on the reference core
    double host_per_step_s = 0;           // host time per step on the reference core (sync, wake-up)
    bool logits_copy = true;              // the step's logits are copied to the host
};

/// Reads the `dispatch:` mapping of a runtime profile.
void read_dispatch(DispatchSpec& d, const Node& n);
void describe_dispatch_schema(std::ostream& out);

}  // namespace infersim::config

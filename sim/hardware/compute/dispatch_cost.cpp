// Fixed per-step costs as chains: dispatches, small kernels, host work, and the unit's stream.
#include "hardware/compute/dispatch_cost.hpp"

namespace infersim::hw {

bool replays_graph(const OpWork& op, const config::DispatchSpec& d) {
    return d.graph_dispatch_s >= 0 && !op.prefill && !op.split_buffers && op.rows <= static_cast<std::uint32_t>(d.graph_max_batch);
}

namespace {

// Kernels of the op: its kind's count, or a MoE layer's (runtime.moe: the router chain and
// the expert kernels, some per active expert).
int op_kernels(const OpWork& op, const config::RuntimeSpec& runtime) {
    return runtime.moe.kernel_count(op.kind, op.active_experts, runtime.kernels);
}

}  // namespace

int dependent_dispatches(const OpWork& op, const config::RuntimeSpec& runtime) {
    const auto k = static_cast<std::size_t>(op.kind);
    // A MoE layer's extra kernels (beyond the dense op's) depend on each other: all in the chain.
    const int moe_extra = op_kernels(op, runtime) - runtime.kernels[k];
    return runtime.dispatch.chain[k] >= 0 ? runtime.dispatch.chain[k] + moe_extra : op_kernels(op, runtime);
}

double small_kernels_s(const OpWork& op, const config::DispatchSpec& d, double clock_hz) {
    if (op.prefill || clock_hz <= 0) return 0.0;
    return d.small_kernels[static_cast<std::size_t>(op.kind)] * d.small_kernel_cycles / clock_hz;
}

double gpu_launch_s(const OpWork& op, const config::RuntimeSpec& runtime, double clock_hz) {
    const config::DispatchSpec& d = runtime.dispatch;
    if (!d.present) return runtime.launch_overhead_s * op_kernels(op, runtime);
    // Each dependent dispatch waits for the previous to drain. A CUDA stream (or a graph
    // captured from one) orders every kernel, so its chain is all of them (the default); a
    // Metal graph runs nodes on disjoint memory concurrently, so its chain can be shorter.
    const double per = replays_graph(op, d) ? d.graph_dispatch_s : d.dispatch_s;
    return dependent_dispatches(op, runtime) * per + small_kernels_s(op, d, clock_hz);
}

double host_step_s(const config::RuntimeSpec& runtime, const config::HostCpuSpec& host, double graph_nodes, double logits_bytes) {
    const config::DispatchSpec& d = runtime.dispatch;
    if (!d.present) return runtime.host_overhead_s;
    double s = (d.host_per_step_s + d.host_per_node_s * graph_nodes) / host.single_thread;
    if (d.logits_copy && host.d2h_bandwidth > 0 && logits_bytes > 0) s += host.d2h_latency + logits_bytes / host.d2h_bandwidth;
    return s;
}

double unit_stream_bytes_per_s(const config::ComputeUnitSpec& unit, const config::FabricSpec& fabric) {
    return unit.stream_bytes_per_s * fabric.stream_factor();
}

}  // namespace infersim::hw

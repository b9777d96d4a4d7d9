// Fixed per-step costs as chains: dispatches, small kernels, host work, and the unit's stream.
#include "hardware/compute/dispatch_cost.hpp"

namespace infersim::hw {

bool replays_graph(const OpWork& op, const config::DispatchSpec& d) {
    return d.graph_dispatch_s >= 0 && !op.prefill && !op.split_buffers && op.rows <= static_cast<std::uint32_t>(d.graph_max_batch);
}

int dependent_dispatches(const OpWork& op, const config::RuntimeSpec& runtime) {
    const auto k = static_cast<std::size_t>(op.kind);
    return runtime.dispatch.chain[k] >= 0 ? runtime.dispatch.chain[k] : runtime.kernels[k];
}

double small_kernels_s(const OpWork& op, const config::DispatchSpec& d, double clock_hz) {
    if (op.prefill || clock_hz <= 0) return 0.0;
    return d.small_kernels[static_cast<std::size_t>(op.kind)] * d.small_kernel_cycles / clock_hz;
}

double gpu_launch_s(const OpWork& op, const config::RuntimeSpec& runtime, double clock_hz) {
    const config::DispatchSpec& d = runtime.dispatch;
    if (!d.present) return runtime.launch_overhead_s * runtime.kernels[static_cast<std::size_t>(op.kind)];
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

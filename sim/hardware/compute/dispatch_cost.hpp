// Fixed per-step costs as chains (runtime profile `dispatch:`, config/dispatch_spec.hpp):
// what precedes an op's work on the GPU (its dependent dispatches x the cost of each, graph
// replay or stream launch, plus its latency-bound small kernels as cycles / clock) and the host
// work between steps (graph nodes and a fixed part, scaled by the host CPU, plus the logits
// copy). Shared by the GPU model's launch_s() and the replayer's step end.
#pragma once
#include "config/machine_spec.hpp"
#include "config/runtime_spec.hpp"
#include "hardware/compute/compute_unit.hpp"

namespace infersim::hw {

/// True when `op` runs inside a replayed graph: a decode step of at most graph_max_batch
/// tokens, on a runtime with graphs, with the model in one backend's buffers.
bool replays_graph(const OpWork& op, const config::DispatchSpec& d);

/// Dependent dispatches of `op` (the profile's chain, else its kernel count).
int dependent_dispatches(const OpWork& op, const config::RuntimeSpec& runtime);

/// Seconds of latency-bound small kernels in `op` at decode on a unit clocked at `clock_hz`.
double small_kernels_s(const OpWork& op, const config::DispatchSpec& d, double clock_hz);

/// Fixed time before `op`'s work on a GPU at `clock_hz`: dependent dispatches x the cost of
/// each (graph replay or stream launch) plus its small kernels; without a `dispatch:` block, the
/// legacy launch_overhead x kernels.
double gpu_launch_s(const OpWork& op, const config::RuntimeSpec& runtime, double clock_hz);

/// The host's work for a step of `graph_nodes` kernel nodes that copies `logits_bytes` back:
/// (host_per_step + host_per_node x nodes) / single_thread + the copy; without a `dispatch:`
/// block, the legacy host_overhead.
double host_step_s(const config::RuntimeSpec& runtime, const config::HostCpuSpec& host, double graph_nodes, double logits_bytes);

/// The most `unit` pulls from memory on `machine` (its stream bandwidth lowered by the die
/// crossing of the machine's fabric); 0 when the unit states none.
double unit_stream_bytes_per_s(const config::ComputeUnitSpec& unit, const config::FabricSpec& fabric);

}  // namespace infersim::hw

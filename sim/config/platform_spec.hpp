// Machine properties on the path from the compute units to memory and around them that the
// runtime's fixed costs and the decode stream depend on: the die-crossing fabric of a
// multi-die part (Apple UltraFusion: pages interleave across both dies' controllers, so part
// of every stream crosses) and the host CPU that builds and checks each step's graph.
#pragma once
#include <ostream>

#include "config/yaml_node.hpp"

namespace infersim::config {

/// Dies joined by a fabric; memory pages interleave across all dies' controllers, so a unit
/// spread over them finds (dies - 1) / dies of its traffic on another die.
struct FabricSpec {
    int dies = 1;
    double crossing_efficiency = 1.0;  // a crossing byte's stream rate, relative to a local byte's

    /// Share of a stream that crosses the fabric.
    double crossing_share() const { return dies > 1 ? static_cast<double>(dies - 1) / dies : 0.0; }
    /// Sustained stream relative to all-local traffic: time per byte is (1 - x) + x / e.
    double stream_factor() const {
        const double x = crossing_share();
        return 1.0 / ((1.0 - x) + x / crossing_efficiency);
    }
};

/// The CPU that drives the accelerator: the runtime states its host work for a reference core;
/// this core does it `single_thread` times as fast. Logits reach it over `d2h_bandwidth`.
struct HostCpuSpec {
    double single_thread = 1.0;        // single-thread speed relative to the reference core
    double d2h_bandwidth = 0;          // bytes/s device -> host for the logits copy; 0: in shared memory
    double d2h_latency = 0;            // seconds per copy (a synchronous cudaMemcpy's fixed part)
};

void read_fabric(FabricSpec& f, const Node& n);
void read_host_cpu(HostCpuSpec& h, const Node& n);
void describe_platform_schema(std::ostream& out);

}  // namespace infersim::config

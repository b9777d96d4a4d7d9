// A runtime profile: what the software stack costs on top of the hardware (kernel count and
// launch cost, host work per step, achieved GEMV streaming), each figure with a cited source.
#pragma once
#include <array>
#include <ostream>
#include <string>

#include "config/dtype.hpp"
#include "config/moe_dispatch_spec.hpp"
#include "config/op_kind.hpp"
#include "config/yaml_node.hpp"

namespace infersim::config {

struct RuntimeSpec {
    std::string name = "ideal";
    std::string description = "the hardware limit: no launch or host cost, full streaming";
    double launch_overhead_s = 0;         // per kernel, serial on the unit
    double host_overhead_s = 0;           // per step (sampling, synchronization, graph build)
    // Kernels per op; a new op kind must get its default here (the assert below fails otherwise).
    std::array<int, kOpKindCount> kernels{1, 1, 1, 1, 1, 1, 1, 1, 1, 0};
    static_assert(kOpKindCount == 10, "give every op kind its default kernel count in RuntimeSpec::kernels");
    double gemv_bandwidth_fraction = 1.0; // of the deliverable rate (peak less refresh), for quantized GEMV
    double gemm_efficiency = 1.0;         // of peak arithmetic, reached by the runtime's GEMM kernels on large shapes
    int gemm_tile_rows = 64;              // the GEMM kernels' output tile (M x N); sets wave quantization
    int gemm_tile_cols = 64;              //   and how often each M tile unpacks the weights again
    DType prefill_dtype = DType::fp16;    // datatype of prompt GEMMs on quantized weights
    DType decode_dtype = DType::fp16;     // datatype of the GEMV arithmetic
    bool flash_attention = true;          // attention scores stay on chip
    std::string resolved_yaml;
    // MoE dispatch (issue 9): expert reads by token count and the kernels of a MoE layer (`moe:`).
    MoeDispatchSpec moe;
};

RuntimeSpec load_runtime(const std::string& path);
RuntimeSpec read_runtime(const Node& root);
void describe_runtime_schema(std::ostream& out);

}  // namespace infersim::config

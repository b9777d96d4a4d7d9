// A runtime profile: what the software stack costs on top of the hardware (kernel count and
// launch cost, host work per step, achieved GEMV streaming), each figure with a cited source.
#pragma once
#include <array>
#include <ostream>
#include <string>

#include "config/dispatch_spec.hpp"
#include "config/dtype.hpp"
#include "config/gemm_kernel_spec.hpp"
#include "config/moe_dispatch_spec.hpp"
#include "config/op_kind.hpp"
#include "config/overrides.hpp"
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
    bool swa_cache = true;                // sliding-window layers keep only their window (llama.cpp's SWA cache)
    // Host power (issue 10): the host thread spins on a core while the
    // accelerator works (CUDA's default sync) instead of blocking.
    bool host_spins = false;
    std::string resolved_yaml;
    // Fixed per-step costs as chains (dispatches, small kernels, host work); see dispatch_spec.hpp.
    DispatchSpec dispatch;
    // Prefill GEMM kernels (issue 9): the kernel model per weight class (`prefill_kernel:`).
    PrefillKernels prefill_kernel;
    // MoE dispatch (issue 9): expert reads by token count and the kernels of a MoE layer (`moe:`).
    MoeDispatchSpec moe;
};

/// `kernels`: the GEMM kernel models a `prefill_kernel:` block may name (hw::load_runtime passes
/// the hardware layer's); with none, a profile that has the block fails to load.
/// `overrides` naming the runtime (--set runtime.X=V, sweep axes) sit on top of the layered file.
RuntimeSpec load_runtime(const std::string& path, const GemmKernelCatalog& kernels = {}, const std::vector<Override>& overrides = {});
RuntimeSpec read_runtime(const Node& root, const GemmKernelCatalog& kernels = {});
void describe_runtime_schema(std::ostream& out);

}  // namespace infersim::config

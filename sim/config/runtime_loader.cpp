// The runtime profile schema.
#include <array>
#include <filesystem>

#include "config/fields.hpp"
#include "config/layered_file.hpp"
#include "config/runtime_spec.hpp"

namespace infersim::config {
namespace {

DType dtype(const Node& n) {
    std::string s = n.as_string();
    auto t = parse_dtype(s);
    if (!t) n.fail("expected one of fp32, fp16, bf16, fp8, int8, fp4, got '" + s + "'");
    return *t;
}

const std::array kRuntimeFields{
    Field<RuntimeSpec>{"name", "text", false, "file name", "profile name", [](RuntimeSpec& r, const Node& n) { r.name = n.as_string(); }},
    Field<RuntimeSpec>{"description", "text", false, "", "what the profile stands for",
                       [](RuntimeSpec& r, const Node& n) { r.description = n.as_string(); }},
    Field<RuntimeSpec>{"launch_overhead", "time", false, "0 us", "cost of each kernel launch or dispatch, serial with execution",
                       [](RuntimeSpec& r, const Node& n) { r.launch_overhead_s = n.as_quantity(Dimension::time, 0, 1e-2); }},
    Field<RuntimeSpec>{"host_overhead", "time", false, "0 us", "host work per step: sampling, synchronization",
                       [](RuntimeSpec& r, const Node& n) { r.host_overhead_s = n.as_quantity(Dimension::time, 0, 10); }},
    Field<RuntimeSpec>{"kernels", "map op -> count", false, "1 per op", "kernels each op becomes (fusion)",
                       [](RuntimeSpec& r, const Node& n) {
                           if (!n.is_map()) n.fail("expected a mapping of op kind to kernel count");
                           for (const std::string& k : n.keys()) {
                               auto kind = parse_op_kind(k);
                               if (!kind) fail_unknown_key(n, k, kOpKindNames);
                               r.kernels[static_cast<std::size_t>(*kind)] = static_cast<int>(n.child(k).as_integer(0, 1000));
                           }
                       }},
    Field<RuntimeSpec>{"gemv_bandwidth", "fraction", false, "1.0", "fraction of deliverable DRAM bandwidth (peak less refresh) a quantized GEMV kernel reaches",
                       [](RuntimeSpec& r, const Node& n) { r.gemv_bandwidth_fraction = n.as_quantity(Dimension::count, 0.01, 1); }},
    Field<RuntimeSpec>{"gemm_efficiency", "fraction", false, "1.0", "fraction of peak arithmetic the GEMM kernels reach on large shapes",
                       [](RuntimeSpec& r, const Node& n) { r.gemm_efficiency = n.as_quantity(Dimension::count, 0.01, 1); }},
    Field<RuntimeSpec>{"gemm_tile", "[rows, cols]", false, "[64, 64]", "output tile of the GEMM kernels (wave quantization, weight re-unpacking)",
                       [](RuntimeSpec& r, const Node& n) {
                           auto items = n.items();
                           if (items.size() != 2) n.fail("expected [rows, cols], e.g. [64, 64]");
                           r.gemm_tile_rows = static_cast<int>(items[0].as_integer(1, 4096));
                           r.gemm_tile_cols = static_cast<int>(items[1].as_integer(1, 4096));
                       }},
    Field<RuntimeSpec>{"prefill_dtype", "datatype", false, "fp16", "arithmetic of prompt GEMMs",
                       [](RuntimeSpec& r, const Node& n) { r.prefill_dtype = dtype(n); }},
    Field<RuntimeSpec>{"decode_dtype", "datatype", false, "fp16", "arithmetic of decode GEMVs",
                       [](RuntimeSpec& r, const Node& n) { r.decode_dtype = dtype(n); }},
    Field<RuntimeSpec>{"flash_attention", "bool", false, "true", "fused attention (scores never reach DRAM)",
                       [](RuntimeSpec& r, const Node& n) { r.flash_attention = n.as_bool(); }},
    Field<RuntimeSpec>{"swa_cache", "bool", false, "true",
                       "sliding-window layers cache at most their window (llama.cpp's llama_kv_cache_iswa, unless --swa-full; "
                       "mlx-lm's RotatingKVCache); false: every layer caches the whole context",
                       [](RuntimeSpec& r, const Node& n) { r.swa_cache = n.as_bool(); }},
    // Fixed per-step costs as chains (config/dispatch_spec.hpp); replaces launch_overhead and
    // host_overhead when given.
    Field<RuntimeSpec>{"dispatch", "map", false, "none", "dispatch chain, small kernels and host work per step (describe runtime.dispatch)",
                       [](RuntimeSpec& r, const Node& n) { read_dispatch(r.dispatch, n); }},
    // Prefill GEMM kernels (issue 9): read by read_runtime, which needs the kernel catalog.
    Field<RuntimeSpec>{"prefill_kernel", "map class -> kernel", false, "none (gemm_efficiency)", "prompt GEMM kernel model per weight class (quantized, fp4, float)",
                       [](RuntimeSpec&, const Node&) {}},
    // Host power (issue 10).
    Field<RuntimeSpec>{"host_sync", "enum", false, "block", "how the host waits for the accelerator: spin (one core busy) or block",
                       [](RuntimeSpec& r, const Node& n) { r.host_spins = as_enum<bool>(n, {{"spin", true}, {"block", false}}); }},
    // MoE dispatch (issue 9), its own field table in moe_dispatch_loader.cpp.
    Field<RuntimeSpec>{"moe", "map", false, "always grouped, dense counts", "how routed experts are read and dispatched (vector_max_tokens, kernels, kernels_per_expert)",
                       [](RuntimeSpec& r, const Node& n) { read_moe_dispatch(r.moe, n); }},
};

constexpr std::array<std::string_view, 1> kExtends{"extends"};

}  // namespace

RuntimeSpec read_runtime(const Node& root, const GemmKernelCatalog& kernels) {
    RuntimeSpec r;
    read_fields<RuntimeSpec>(r, root, kRuntimeFields, kExtends);
    if (const Node k = root.child("prefill_kernel"); k.defined()) read_prefill_kernels(r.prefill_kernel, k, kernels);
    YAML::Emitter out;
    out << root.merged();
    r.resolved_yaml = out.c_str();
    return r;
}

RuntimeSpec load_runtime(const std::string& path, const GemmKernelCatalog& kernels, const std::vector<Override>& overrides) {
    RuntimeSpec r = read_runtime(apply_overrides(load_layered(path), overrides, "runtime"), kernels);
    if (r.name.empty() || r.name == "ideal") r.name = std::filesystem::path(path).stem().string();
    return r;
}

void describe_runtime_schema(std::ostream& out) {
    print_fields<RuntimeSpec>(out, "runtime", kRuntimeFields);
    out << "\n";
    describe_dispatch_schema(out);
    describe_prefill_kernels(out);
    describe_moe_dispatch_schema(out);
}

}  // namespace infersim::config

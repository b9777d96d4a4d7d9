// Prefill GEMM kernel models: how the kernel a runtime actually runs for a prompt GEMM (CUDA
// MMQ, cuBLAS, Metal mul_mm, Vulkan coopmat mul_mm) turns the op into time. Each model is a
// registered implementation (one file each: its parameter struct, field table, class and
// make_xxx_entry()), chosen per weight class by a runtime profile's `prefill_kernel:` block and
// built once per compute unit. Rates are operations per core per clock at the unit's sustained
// clock, capped by the datasheet peak - not a fraction of the peak.
#pragma once
#include <memory>
#include <ostream>

#include "config/gemm_kernel_spec.hpp"
#include "config/runtime_spec.hpp"
#include "config/typed_params.hpp"
#include "core/registry.hpp"
#include "hardware/compute/compute_unit.hpp"

namespace infersim::hw {

/// What a GPU gives its kernels beyond the unit spec (the gpu impl's own fields).
struct GpuExtras {
    double activation_bandwidth = 0;  // bytes/s of an elementwise pass over activations; 0: SIMD-bound only
};

/// One prompt-GEMM kernel on one unit.
class GemmKernel {
public:
    virtual ~GemmKernel() = default;
    /// Time and energy of `op` (a prefill GEMM with weights of this kernel's class).
    virtual ComputeCost cost(const OpWork& op) const = 0;
    /// The kernel's best rate (ops/s) on a large shape, for the compute ceiling.
    virtual double peak_ops_per_s() const = 0;
};

/// A registry entry: name, doc, the model's own fields, and its factory.
struct GemmKernelImpl : config::ImplInfo<config::GemmKernelSpec> {
    std::unique_ptr<GemmKernel> (*make)(const config::GemmKernelSpec&, const config::ComputeUnitSpec&, const GpuExtras&);
};

/// The built-in kernel models (compute/gemm_registry.cpp); immutable.
const core::Registry<GemmKernelImpl>& gemm_kernels();
/// The registry as the runtime loader sees it.
const config::GemmKernelCatalog& gemm_kernel_catalog();
/// Prints the models and their fields, for `infersim describe kernels`.
void describe_gemm_kernels(std::ostream& out);

/// The kernels of `runtime`'s profile for `unit`, by weight class (nullptr: the roofline).
struct PrefillKernelSet {
    std::array<std::unique_ptr<GemmKernel>, config::kWeightClassCount> by_class;
    /// The kernel for `op`, or nullptr when the roofline times it (decode, attention, no entry).
    const GemmKernel* for_op(const OpWork& op) const;
};
PrefillKernelSet make_prefill_kernels(const config::RuntimeSpec& runtime, const config::ComputeUnitSpec& unit, const GpuExtras& extras);

/// A model's parameter struct from its spec (`P{}` when the file set none).
template <class P>
P gemm_params(const config::GemmKernelSpec& k) { return config::typed_params_or_default<P>(k.params); }
/// The same, for a model's field readers.
template <class P>
P& gemm_params(config::GemmKernelSpec& k) { return config::typed_params<P>(k.params); }

// Entries, one per model file.
GemmKernelImpl make_mmq_entry();
GemmKernelImpl make_blas_entry();
GemmKernelImpl make_metal_mul_mm_entry();
GemmKernelImpl make_vulkan_coopmat_entry();

}  // namespace infersim::hw

// The built-in prefill GEMM kernel models, listed explicitly (no static registration), their
// catalog for the runtime loader, and the per-unit kernel set the GPU model builds once.
#include <stdexcept>

#include "hardware/compute/gemm_kernel.hpp"

namespace infersim::hw {

const core::Registry<GemmKernelImpl>& gemm_kernels() {
    static const core::Registry<GemmKernelImpl> registry = [] {
        core::Registry<GemmKernelImpl> r("prefill GEMM kernels (runtime prefill_kernel.<class>.impl)",
                                         "the kernel a runtime runs for a prompt GEMM, per weight class (quantized, fp4, float); "
                                         "rates per core per clock at the unit's sustained_clock, capped by its datasheet rate");
        r.add(make_mmq_entry()).add(make_blas_entry()).add(make_metal_mul_mm_entry()).add(make_vulkan_coopmat_entry());
        return r;
    }();
    return registry;
}

const config::GemmKernelCatalog& gemm_kernel_catalog() {
    static const config::GemmKernelCatalog catalog(gemm_kernels());
    return catalog;
}

void describe_gemm_kernels(std::ostream& out) { config::print_registry(out, gemm_kernels()); }

const GemmKernel* PrefillKernelSet::for_op(const OpWork& op) const {
    if (!op.prefill || !op.matrix || op.cols == 0 || op.kind == config::OpKind::attention) return nullptr;
    const config::WeightClass c = op.weights.integer                          ? config::WeightClass::quantized
                                  : op.weights.compute == config::DType::fp4 ? config::WeightClass::fp4
                                                                              : config::WeightClass::floating;
    return by_class[static_cast<std::size_t>(c)].get();
}

PrefillKernelSet make_prefill_kernels(const config::RuntimeSpec& runtime, const config::ComputeUnitSpec& unit, const GpuExtras& extras) {
    PrefillKernelSet set;
    for (std::size_t c = 0; c < config::kWeightClassCount; ++c) {
        const config::GemmKernelSpec& k = runtime.prefill_kernel.by_class[c];
        if (k.impl.empty()) continue;
        const GemmKernelImpl* e = gemm_kernels().find(k.impl);
        if (!e) throw std::invalid_argument("runtime '" + runtime.name + "': no GEMM kernel model '" + k.impl + "'; registered: " +
                                            gemm_kernels().name_list());
        set.by_class[c] = e->make(k, unit, extras);
    }
    return set;
}

}  // namespace infersim::hw

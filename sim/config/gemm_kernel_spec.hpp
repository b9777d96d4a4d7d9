// The prefill GEMM kernels of a runtime profile (`prefill_kernel:`): which registered kernel
// model times a prompt GEMM for each class of weight format, and that model's own parameters.
// llama.cpp picks its kernel by the weights' type (CUDA: MMQ for quantized blocks, native FP4
// MMQ on sm_12x, cuBLAS for F16/BF16), so the block has one entry per class. A class without
// an entry (and every profile without the block) keeps the generic roofline: `gemm_efficiency`
// of the datasheet peak. The models live in hardware/compute (hw::gemm_kernels()); the loader
// is handed their catalog, as the machine loader is handed the unit implementations.
#pragma once
#include <any>
#include <array>
#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>

#include "config/machine_catalogs.hpp"

namespace infersim::config {

/// Weight formats as a kernel choice sees them.
enum class WeightClass { quantized, fp4, floating };
inline constexpr std::array<std::string_view, 3> kWeightClassNames{"quantized", "fp4", "float"};
inline constexpr std::size_t kWeightClassCount = kWeightClassNames.size();

/// One kernel choice: a registered kernel model and its own fields (hw::gemm_params<P>).
struct GemmKernelSpec {
    std::string impl;              // empty: no kernel model, the generic roofline
    std::any params;               // the model's own parameter struct, filled by its field readers
};

/// The kernels by weight class: quantized (ggml integer blocks: q4_0, q4_k, q8_0, ...), fp4
/// (mxfp4, nvfp4), float (f32, f16, bf16, fp8).
struct PrefillKernels {
    std::array<GemmKernelSpec, kWeightClassCount> by_class{};
    const GemmKernelSpec& of(WeightClass c) const { return by_class[static_cast<std::size_t>(c)]; }
};

using GemmKernelCatalog = ImplCatalog<GemmKernelSpec>;

/// Reads a `prefill_kernel:` mapping (class -> {impl: NAME, the model's fields}) against
/// `kernels`; an unknown class, model or field fails at its file:line:col.
void read_prefill_kernels(PrefillKernels& out, const Node& n, const GemmKernelCatalog& kernels);

/// Prints the block's schema (its classes); the models' fields are printed by their registry.
void describe_prefill_kernels(std::ostream& out);

}  // namespace infersim::config

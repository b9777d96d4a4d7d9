// Metal mul_mm (impl: metal_mul_mm): llama.cpp's kernel_mul_mm on Apple GPUs (ggml-metal).
// 64 weight rows x 32 tokens per threadgroup, 8x8 simdgroup matrices on the FP16/FP32 ALUs
// (no separate matrix unit before M5); quantized blocks are dequantized to half in threadgroup
// memory once per tile load. `rate` is the simdgroup-matrix half GEMM rate per GPU core per
// clock; the dequantization is charged on top, once per tile load (dequant_gemm.hpp), and is
// not folded into the rate.
#include "config/fields.hpp"
#include "hardware/compute/dequant_gemm.hpp"

namespace infersim::hw {
namespace {

using config::Node;
using F = config::Field<config::GemmKernelSpec>;
DequantGemmParams& params(config::GemmKernelSpec& k) { return gemm_params<DequantGemmParams>(k); }

const F kMetalFields[] = {
    F{"rate", "ops/cycle", true, "", "half simdgroup-matrix ops per GPU core per clock on a large GEMM (dequantization excluded)",
      [](config::GemmKernelSpec& k, const Node& n) { params(k).rate = n.as_quantity(config::Dimension::count, 1, 1e7); }},
    F{"tile", "[weights, tokens]", false, "[64, 32]", "threadgroup output tile: wave quantization, and how often weights are dequantized",
      [](config::GemmKernelSpec& k, const Node& n) { params(k).tiles = {read_tile(n)}; }},
};

}  // namespace

GemmKernelImpl make_metal_mul_mm_entry() {
    GemmKernelImpl e;
    e.name = "metal_mul_mm";
    e.doc = "Metal kernel_mul_mm: simdgroup-matrix half GEMM at a per-core rate x sustained clock, plus dequantization "
            "to half once per tile load on the same ALUs";
    e.fields = kMetalFields;
    e.make = [](const config::GemmKernelSpec& k, const config::ComputeUnitSpec& u, const GpuExtras&) -> std::unique_ptr<GemmKernel> {
        return std::make_unique<DequantGemm>(gemm_params<DequantGemmParams>(k), u);
    };
    return e;
}

}  // namespace infersim::hw

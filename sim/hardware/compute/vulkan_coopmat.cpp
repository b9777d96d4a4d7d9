// Vulkan coopmat mul_mm (impl: vulkan_coopmat): llama.cpp's ggml-vulkan matrix shader on GPUs
// with VK_KHR_cooperative_matrix (RDNA 3/3.5 WMMA 16x16x16): weights dequantized to fp16 in
// shared memory, then coopmat multiply-accumulate on the same SIMD units. The shader has a
// few tile sizes; it uses the largest whose shared-memory staging the driver's limit admits
// (RADV reports 64 KiB on gfx1151, AMDVLK 32 KiB), and a smaller tile reuses each operand
// less, so the rate scales with the tile (dequant_gemm.hpp). Dequantization is charged once
// per tile load.
#include "config/fields.hpp"
#include "hardware/compute/dequant_gemm.hpp"

namespace infersim::hw {
namespace {

using config::Node;
using F = config::Field<config::GemmKernelSpec>;
DequantGemmParams& params(config::GemmKernelSpec& k) { return gemm_params<DequantGemmParams>(k); }

const F kVulkanFields[] = {
    F{"rate", "ops/cycle", true, "", "fp16 coopmat ops per core (CU) per clock with the first tile (dequantization excluded)",
      [](config::GemmKernelSpec& k, const Node& n) { params(k).rate = n.as_quantity(config::Dimension::count, 1, 1e7); }},
    F{"tiles", "list of [weights, tokens, depth]", false, "[[64, 32, 32]]", "the shader's tiles, largest first",
      [](config::GemmKernelSpec& k, const Node& n) {
          if (!n.is_sequence() || n.items().empty()) n.fail("expected a list of tiles such as [[128, 128, 32], [64, 64, 32]]");
          std::vector<GemmTile> tiles;
          for (const Node& t : n.items()) tiles.push_back(read_tile(t));
          params(k).tiles = std::move(tiles);
      }},
    F{"shared_memory", "bytes", false, "no limit", "shared memory per workgroup the driver reports (maxComputeSharedMemorySize)",
      [](config::GemmKernelSpec& k, const Node& n) { params(k).shared_memory = n.as_quantity(config::Dimension::bytes, 1024, 1e9); }},
};

}  // namespace

GemmKernelImpl make_vulkan_coopmat_entry() {
    GemmKernelImpl e;
    e.name = "vulkan_coopmat";
    e.doc = "Vulkan mul_mm with cooperative matrices: fp16 coopmat at a per-core rate x sustained clock for the largest "
            "tile the driver's shared memory admits, plus dequantization to fp16 once per tile load";
    e.fields = kVulkanFields;
    // A device without cooperative matrices (no fp16 matrix rate: Adreno) runs the scalar
    // shader instead, which the roofline times.
    e.make = [](const config::GemmKernelSpec& k, const config::ComputeUnitSpec& u, const GpuExtras&) -> std::unique_ptr<GemmKernel> {
        if (u.matrix_ops_per_cycle[static_cast<std::size_t>(config::DType::fp16)] <= 0) return nullptr;
        return std::make_unique<DequantGemm>(gemm_params<DequantGemmParams>(k), u);
    };
    return e;
}

}  // namespace infersim::hw

// MMQ (impl: mmq): llama.cpp's quantized-weight GEMM on CUDA and ROCm (ggml-cuda/mmq.cuh).
// Weights are unpacked to int8 in shared memory and multiplied by q8_1 activations with int8
// mma tiles (m16n8k32 on NVIDIA); one fp32 scale per 32-block in the epilogue. Its throughput
// is a kernel property measured in int8 ops per core (SM/CU) per clock - the unpack and scale
// work are inside that figure, so no dequantization is charged on top - run at the unit's
// sustained clock and capped by the datasheet int8 rate. On sm_12x, MXFP4/NVFP4 weights run a
// native FP4 mma at `fp4_rate`. Before the GEMM a separate kernel quantizes the f32
// activations to q8_1 (the activation pass). Output tiles are dealt to the cores in waves,
// unless the kernel decomposes the K loop across cores (stream-k, NVIDIA Volta and later).
#include <algorithm>

#include "config/fields.hpp"
#include "hardware/compute/gemm_common.hpp"

namespace infersim::hw {
namespace {

using config::DType;
using config::Node;

struct MmqParams {
    double int8_rate = 0;          // int8 ops per core per clock
    double fp4_rate = 0;           // native FP4 mma rate for fp4 weights; 0: they take the int8 path
    GemmTile tile{128, 128, 32};
    bool stream_k = false;
    ActivationPass activation{4.0 + 36.0 / 32.0, 8.0};  // f32 read + q8_1 (36 B per 32) written
};

class Mmq final : public GemmKernel {
public:
    Mmq(const MmqParams& p, const config::ComputeUnitSpec& u, const GpuExtras& g) : p_(p), unit_(u), gpu_(g) {}

    ComputeCost cost(const OpWork& op) const override {
        ComputeCost c;
        // Native FP4 mma only where the unit has FP4 matrix units (sm_12x); else the int8 path.
        const bool fp4 = op.weights.compute == DType::fp4 && p_.fp4_rate > 0 &&
                         unit_.matrix_ops_per_cycle[static_cast<std::size_t>(DType::fp4)] > 0;
        c.dtype = fp4 ? DType::fp4 : DType::int8;
        c.matrix_path = true;
        const double eff = p_.stream_k ? 1.0 : wave_efficiency(op, p_.tile, unit_.count);
        const double rate = capped_rate(unit_, fp4 ? p_.fp4_rate : p_.int8_rate, c.dtype) * eff;
        const double pass_ops = p_.activation.ops(op);
        c.seconds = op.flops / rate + p_.activation.seconds(op, unit_, gpu_);
        c.energy_j = op.flops * unit_.energy_j_per_op[static_cast<std::size_t>(c.dtype)] +
                     pass_ops * unit_.energy_j_per_op[static_cast<std::size_t>(DType::fp32)];
        return c;
    }
    double peak_ops_per_s() const override { return capped_rate(unit_, p_.int8_rate, DType::int8); }

private:
    MmqParams p_;
    const config::ComputeUnitSpec& unit_;
    GpuExtras gpu_;
};

using F = config::Field<config::GemmKernelSpec>;
MmqParams& params(config::GemmKernelSpec& k) { return gemm_params<MmqParams>(k); }

const F kMmqFields[] = {
    F{"int8_rate", "ops/cycle", true, "", "int8 ops per core (SM, CU) per clock the kernel reaches on a large GEMM, unpack and scales included",
      [](config::GemmKernelSpec& k, const Node& n) { params(k).int8_rate = n.as_quantity(config::Dimension::count, 1, 1e7); }},
    F{"fp4_rate", "ops/cycle", false, "0 (none)", "native FP4 mma ops per core per clock for mxfp4/nvfp4 weights (sm_12x); 0: the int8 path",
      [](config::GemmKernelSpec& k, const Node& n) { params(k).fp4_rate = n.as_quantity(config::Dimension::count, 0, 1e7); }},
    F{"tile", "[weights, tokens]", false, "[128, 128]", "output tile (mmq_y weight rows x mmq_x tokens): wave quantization",
      [](config::GemmKernelSpec& k, const Node& n) { params(k).tile = read_tile(n); }},
    F{"stream_k", "bool", false, "false", "K split across cores so every core stays busy (no wave quantization)",
      [](config::GemmKernelSpec& k, const Node& n) { params(k).stream_k = n.as_bool(); }},
    F{"activation_bytes", "bytes/element", false, "5.125", "activation pass traffic per element (f32 read + q8_1 write)",
      [](config::GemmKernelSpec& k, const Node& n) { params(k).activation.bytes_per_element = n.as_quantity(config::Dimension::count, 0, 64); }},
    F{"activation_ops", "ops/element", false, "8", "activation pass SIMD work per element (abs-max, scale, round, pack, sum)",
      [](config::GemmKernelSpec& k, const Node& n) { params(k).activation.ops_per_element = n.as_quantity(config::Dimension::count, 0, 1000); }},
};

}  // namespace

GemmKernelImpl make_mmq_entry() {
    GemmKernelImpl e;
    e.name = "mmq";
    e.doc = "llama.cpp MMQ (CUDA/ROCm): int8 (or native FP4) mma at a per-core rate x sustained clock, capped by the "
            "datasheet rate; plus the q8_1 activation pass; wave quantization unless stream-k";
    e.fields = kMmqFields;
    e.make = [](const config::GemmKernelSpec& k, const config::ComputeUnitSpec& u, const GpuExtras& g) -> std::unique_ptr<GemmKernel> {
        return std::make_unique<Mmq>(gemm_params<MmqParams>(k), u, g);
    };
    return e;
}

}  // namespace infersim::hw

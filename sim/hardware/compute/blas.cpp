// BLAS GEMM (impl: blas): a vendor library (cuBLAS, hipBLASLt) multiplying float weights
// (f16, bf16; f32 on the SIMD path) on the matrix units. Tuned library GEMMs are the one place
// where a fraction of the matrix peak is the right model: `efficiency` of the datasheet rate
// for the weights' datatype, at the sustained clock, with wave quantization over its tile.
// ggml converts the f32 activations to the weights' type first (the activation pass).
#include "config/fields.hpp"
#include "hardware/compute/gemm_common.hpp"

namespace infersim::hw {
namespace {

using config::DType;
using config::Node;

struct BlasParams {
    double efficiency = 0;
    GemmTile tile{128, 128, 32};
    ActivationPass activation{0, 0};
};

// The datatype the library multiplies `w` in: the weights' own (fp8 and unknowns as fp16).
DType blas_dtype(const WeightFormat& w) {
    return w.compute == DType::fp32 || w.compute == DType::bf16 ? w.compute : DType::fp16;
}

class Blas final : public GemmKernel {
public:
    Blas(const BlasParams& p, const config::ComputeUnitSpec& u, const GpuExtras& g) : p_(p), unit_(u), gpu_(g) {}

    ComputeCost cost(const OpWork& op) const override {
        ComputeCost c;
        c.dtype = blas_dtype(op.weights);
        c.matrix_path = unit_.matrix_ops_per_cycle[static_cast<std::size_t>(c.dtype)] > 0;
        const double rate = peak(c.dtype) * p_.efficiency * wave_efficiency(op, p_.tile, unit_.count);
        c.seconds = (rate > 0 ? op.flops / rate : 0) + p_.activation.seconds(op, unit_, gpu_);
        c.energy_j = op.flops * unit_.energy_j_per_op[static_cast<std::size_t>(c.dtype)] +
                     p_.activation.ops(op) * unit_.energy_j_per_op[static_cast<std::size_t>(DType::fp32)];
        return c;
    }
    double peak_ops_per_s() const override { return peak(DType::fp16) * p_.efficiency; }

private:
    // The datasheet rate for `d` (matrix units, else SIMD) at the sustained clock.
    double peak(DType d) const {
        const auto i = static_cast<std::size_t>(d);
        const double per_core = unit_.matrix_ops_per_cycle[i] > 0 ? unit_.matrix_ops_per_cycle[i] : unit_.vector_ops_per_cycle[i];
        return per_core * unit_.count * unit_.sustained_hz();
    }
    BlasParams p_;
    const config::ComputeUnitSpec& unit_;
    GpuExtras gpu_;
};

using F = config::Field<config::GemmKernelSpec>;
BlasParams& params(config::GemmKernelSpec& k) { return gemm_params<BlasParams>(k); }

const F kBlasFields[] = {
    F{"efficiency", "fraction", true, "", "fraction of the datasheet matrix rate (at the sustained clock) the library reaches on large shapes",
      [](config::GemmKernelSpec& k, const Node& n) { params(k).efficiency = n.as_quantity(config::Dimension::count, 0.01, 1); }},
    F{"tile", "[weights, tokens]", false, "[128, 128]", "output tile: wave quantization",
      [](config::GemmKernelSpec& k, const Node& n) { params(k).tile = read_tile(n); }},
    F{"activation_bytes", "bytes/element", false, "0", "conversion pass traffic per activation element (f32 -> f16: 6)",
      [](config::GemmKernelSpec& k, const Node& n) { params(k).activation.bytes_per_element = n.as_quantity(config::Dimension::count, 0, 64); }},
    F{"activation_ops", "ops/element", false, "0", "conversion pass SIMD work per activation element",
      [](config::GemmKernelSpec& k, const Node& n) { params(k).activation.ops_per_element = n.as_quantity(config::Dimension::count, 0, 1000); }},
};

}  // namespace

GemmKernelImpl make_blas_entry() {
    GemmKernelImpl e;
    e.name = "blas";
    e.doc = "vendor BLAS (cuBLAS, hipBLASLt) on float weights: a sourced fraction of the matrix rate at the sustained clock, "
            "wave quantization, plus the activation conversion pass";
    e.fields = kBlasFields;
    e.make = [](const config::GemmKernelSpec& k, const config::ComputeUnitSpec& u, const GpuExtras& g) -> std::unique_ptr<GemmKernel> {
        return std::make_unique<Blas>(gemm_params<BlasParams>(k), u, g);
    };
    return e;
}

}  // namespace infersim::hw

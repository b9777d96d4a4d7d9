// The GPU model (impl: gpu): prompt GEMMs on the runtime profile's kernel models
// (prefill_kernel, gemm_kernel.hpp) where the profile names one for the weights' class, the
// roofline with shape efficiency for everything else; the runtime profile's fixed cost per op
// (dependent dispatches x their cost, small kernels as cycles / clock: dispatch_cost.hpp),
// serial on the unit; its reads are limited by its measured stream bandwidth.
#include "config/fields.hpp"
#include "hardware/compute/dispatch_cost.hpp"
#include "hardware/compute/gemm_kernel.hpp"
#include "hardware/compute/roofline.hpp"

namespace infersim::hw {
namespace {

GpuExtras gpu_extras(const config::ComputeUnitSpec& u) {
    GpuExtras g;
    // An activation pass is a stream-like kernel: the unit's measured stream unless stated.
    g.activation_bandwidth = u.params.number("activation_bandwidth", u.stream_bytes_per_s);
    return g;
}

class GpuModel final : public ComputeModel {
public:
    GpuModel(const config::ComputeUnitSpec& unit, const config::RuntimeSpec& runtime)
        : unit_(unit), runtime_(runtime), kernels_(make_prefill_kernels(runtime, unit, gpu_extras(unit))) {}
    ComputeCost cost(const OpWork& op) const override {
        if (const GemmKernel* k = kernels_.for_op(op)) return k->cost(op);
        return roofline_cost(op, unit_, runtime_);
    }
    double prefill_peak_ops_per_s() const override {
        if (const auto& q = kernels_.by_class[static_cast<std::size_t>(config::WeightClass::quantized)]) return q->peak_ops_per_s();
        return roofline_prefill_peak(unit_, runtime_);
    }
    // Latency-bound small kernels take cycles at the clock the unit holds under load.
    double launch_s(const OpWork& op, bool) const override { return gpu_launch_s(op, runtime_, unit_.sustained_hz()); }
    double port_bytes_per_s() const override { return unit_.stream_bytes_per_s; }

private:
    const config::ComputeUnitSpec& unit_;
    const config::RuntimeSpec& runtime_;
    PrefillKernelSet kernels_;
};

using F = config::Field<config::ComputeUnitSpec>;
const F kGpuFields[] = {
    F{"activation_bandwidth", "bandwidth", false, "none (SIMD-bound)",
      "rate of an elementwise pass over GEMM activations (a stream-like kernel); kernels' activation passes run at it",
      [](config::ComputeUnitSpec& u, const config::Node& n) {
          u.params.set("activation_bandwidth", n.as_quantity(config::Dimension::bandwidth, 1e6, 1e16));
      }},
};

}  // namespace

ComputeUnitImpl make_gpu_entry() {
    ComputeUnitImpl e;
    e.name = "gpu";
    e.doc = "GPU: prompt GEMMs on the runtime's kernel models (prefill_kernel), else SIMD and matrix throughput per datatype "
            "with shape efficiency and wave quantization, dequantization on the SIMD path per GEMM row tile; the runtime's "
            "launch cost per kernel";
    e.fields = kGpuFields;
    e.make = [](const config::ComputeUnitSpec& u, const config::RuntimeSpec& r) -> std::unique_ptr<ComputeModel> {
        return std::make_unique<GpuModel>(u, r);
    };
    return e;
}

}  // namespace infersim::hw

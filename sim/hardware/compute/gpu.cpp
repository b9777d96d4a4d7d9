// The GPU model (impl: gpu): the roofline with shape efficiency, and the runtime profile's
// launch cost per kernel (launch_overhead x kernels per op), serial on the unit.
#include "hardware/compute/roofline.hpp"

namespace infersim::hw {
namespace {

class GpuModel final : public ComputeModel {
public:
    GpuModel(const config::ComputeUnitSpec& unit, const config::RuntimeSpec& runtime) : unit_(unit), runtime_(runtime) {}
    ComputeCost cost(const OpWork& op) const override { return roofline_cost(op, unit_, runtime_); }
    double prefill_peak_ops_per_s() const override { return roofline_prefill_peak(unit_, runtime_); }
    double launch_s(const OpWork& op, bool) const override {
        return runtime_.launch_overhead_s * runtime_.moe.kernel_count(op.kind, op.active_experts, runtime_.kernels);
    }

private:
    const config::ComputeUnitSpec& unit_;
    const config::RuntimeSpec& runtime_;
};

}  // namespace

ComputeUnitImpl make_gpu_entry() {
    ComputeUnitImpl e;
    e.name = "gpu";
    e.doc = "GPU: SIMD and matrix (tensor) throughput per datatype with shape efficiency and wave quantization; "
            "dequantization on the SIMD path per GEMM row tile; the runtime's launch cost per kernel";
    e.make = [](const config::ComputeUnitSpec& u, const config::RuntimeSpec& r) -> std::unique_ptr<ComputeModel> {
        return std::make_unique<GpuModel>(u, r);
    };
    return e;
}

}  // namespace infersim::hw

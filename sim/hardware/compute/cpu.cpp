// The CPU SIMD model (impl: cpu_simd): the same roofline as the GPU (vector units, and a matrix
// extension such as AMX/SME when the spec gives one), but no launch cost: a CPU op is a function
// call on a thread pool, not a kernel launch.
#include "hardware/compute/roofline.hpp"

namespace infersim::hw {
namespace {

class CpuSimdModel final : public ComputeModel {
public:
    CpuSimdModel(const config::ComputeUnitSpec& unit, const config::RuntimeSpec& runtime) : unit_(unit), runtime_(runtime) {}
    ComputeCost cost(const OpWork& op) const override { return roofline_cost(op, unit_, runtime_); }
    double prefill_peak_ops_per_s() const override { return roofline_prefill_peak(unit_, runtime_); }
    double launch_s(const OpWork&, bool) const override { return 0.0; }
    double port_bytes_per_s() const override { return unit_.stream_bytes_per_s; }

private:
    const config::ComputeUnitSpec& unit_;
    const config::RuntimeSpec& runtime_;
};

}  // namespace

ComputeUnitImpl make_cpu_simd_entry() {
    ComputeUnitImpl e;
    e.name = "cpu_simd";
    e.doc = "CPU SIMD cluster: the GPU's roofline on the cores' vector (and matrix-extension) throughput; no launch cost";
    e.make = [](const config::ComputeUnitSpec& u, const config::RuntimeSpec& r) -> std::unique_ptr<ComputeModel> {
        return std::make_unique<CpuSimdModel>(u, r);
    };
    return e;
}

}  // namespace infersim::hw

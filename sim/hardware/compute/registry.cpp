// The built-in compute-unit implementations, listed explicitly (no static registration), and the
// factory the replayer calls once per unit.
#include <stdexcept>
#include <string>

#include "hardware/compute/compute_unit.hpp"

namespace infersim::hw {

const core::Registry<ComputeUnitImpl>& compute_units() {
    static const core::Registry<ComputeUnitImpl> registry = [] {
        core::Registry<ComputeUnitImpl> r("compute units (compute.<unit>.impl)",
                                          "how a unit times an op and what fixed cost precedes it; default from kind: "
                                          "gpu -> gpu, cpu -> cpu_simd, npu -> npu");
        r.add(make_gpu_entry()).add(make_cpu_simd_entry()).add(make_npu_entry());
        return r;
    }();
    return registry;
}

std::unique_ptr<ComputeModel> make_compute_model(const config::ComputeUnitSpec& unit, const config::RuntimeSpec& runtime) {
    const ComputeUnitImpl* e = compute_units().find(unit.impl);
    if (!e) throw std::invalid_argument("compute unit '" + unit.name + "': no implementation '" + unit.impl + "'; registered: " +
                                        compute_units().name_list());
    return e->make(unit, runtime);
}

void describe_compute_units(std::ostream& out) { config::print_registry(out, compute_units()); }

}  // namespace infersim::hw

// A compute unit as the replayer sees it: for one op's work, how long its arithmetic takes and
// what it costs in energy, and what fixed cost comes before it (kernel launches, a graph
// dispatch). Implementations (gpu, cpu_simd, npu) are registered by name, each in its own file
// with its own field table; a machine's unit picks one with `impl:` (default from `kind`). The
// replayer builds one model per unit once and asks it; it never branches on the unit's kind.
#pragma once
#include <cstdint>
#include <memory>
#include <ostream>

#include "config/dtype.hpp"
#include "config/impl_info.hpp"
#include "config/machine_spec.hpp"
#include "config/op_kind.hpp"
#include "config/runtime_spec.hpp"
#include "core/registry.hpp"

namespace infersim::hw {

/// How an op's weights are stored, as far as a compute unit cares (hardware knows no workload/:
/// the replayer fills this from the quantization format).
struct WeightFormat {
    config::DType compute = config::DType::fp16;  // natural arithmetic once unpacked
    int element_bits = 16;        // bits of one weight without its block scales: 4 for q4_0 and q4_k, 8 for q8_0
    bool integer = false;         // integer elements with block scales (ggml q*_*), not a float type
};

/// The work of one op, filled by the replayer from a trace op.
struct OpWork {
    config::OpKind kind = config::OpKind::norm;
    bool prefill = false;
    bool matrix = false;          // shaped as a GEMM/GEMV (eligible for matrix units)
    std::uint32_t rows = 0;       // tokens (matrix rows)
    std::uint32_t cols = 0;       // output features of a matrix op, 0 if not one
    double flops = 0;             // multiply-adds count 2
    double dequant_ops = 0;       // vector ops to unpack the weights once (the format's stated cost)
    WeightFormat weights;
    // The step's model spans more than one backend's buffers (llama.cpp split buffers: layers
    // kept on the host), which disables graph replay (dispatch_cost.hpp).
    bool split_buffers = false;
    int active_experts = 0;       // MoE (issue 9): > 0 for the router and expert ops of a MoE layer
};

struct ComputeCost {
    double seconds = 0;
    double energy_j = 0;
    bool matrix_path = false;
    config::DType dtype = config::DType::fp32;
};

/// One unit's timing and energy model, built from its spec and the runtime profile.
class ComputeModel {
public:
    virtual ~ComputeModel() = default;
    /// Arithmetic time and dynamic energy of `op`'s work.
    virtual ComputeCost cost(const OpWork& op) const = 0;
    /// Fixed time before `op`'s work starts: kernel launches, or a graph dispatch charged at the
    /// first op of each step (`first_in_step`).
    virtual double launch_s(const OpWork& op, bool first_in_step) const = 0;
    /// Power drawn while the unit runs an op, over the op's whole span, on top of the spec's
    /// static_power (which is charged for the whole run): a power-gated unit's leakage and clocks.
    virtual double running_w() const { return 0; }
    /// Most bytes per second the unit's port to memory draws (reads of weights and KV); 0: no
    /// limit of its own, the memory sets the rate.
    virtual double port_bytes_per_s() const { return 0; }
    /// The rate a large prompt GEMM can reach at best (ops/s), for the compute ceiling.
    virtual double prefill_peak_ops_per_s() const = 0;
};

/// A registry entry: name, doc, the impl's own fields (read after the common unit fields), and
/// its factory.
struct ComputeUnitImpl : config::ImplInfo<config::ComputeUnitSpec> {
    std::unique_ptr<ComputeModel> (*make)(const config::ComputeUnitSpec&, const config::RuntimeSpec&);
};

/// The built-in implementations (compute/registry.cpp); immutable.
const core::Registry<ComputeUnitImpl>& compute_units();

/// The model of `unit` (its `impl`, validated by the loader). Throws std::invalid_argument for
/// an unregistered name (a spec built in code). The model borrows both specs: they must outlive
/// it, so temporaries are refused at compile time.
std::unique_ptr<ComputeModel> make_compute_model(const config::ComputeUnitSpec& unit, const config::RuntimeSpec& runtime);
std::unique_ptr<ComputeModel> make_compute_model(config::ComputeUnitSpec&&, const config::RuntimeSpec&) = delete;
std::unique_ptr<ComputeModel> make_compute_model(const config::ComputeUnitSpec&, config::RuntimeSpec&&) = delete;

/// Prints the implementations and their fields, for `infersim describe units`.
void describe_compute_units(std::ostream& out);

// Entries, one per implementation file.
ComputeUnitImpl make_gpu_entry();
ComputeUnitImpl make_cpu_simd_entry();
ComputeUnitImpl make_npu_entry();

}  // namespace infersim::hw

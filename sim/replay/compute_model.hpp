// How long an op's arithmetic takes on a compute unit, and what it costs in energy: peak
// throughput per datatype, the shape efficiency of matrix units (a batch-1 GEMV cannot fill a
// tensor core's rows, so it runs on the SIMD path), and dequantization work on the SIMD path.
#pragma once
#include "config/machine_spec.hpp"
#include "config/runtime_spec.hpp"
#include "workload/trace.hpp"

namespace infersim::replay {

struct ComputeCost {
    double seconds = 0;
    double energy_j = 0;
    bool matrix_path = false;
    config::DType dtype = config::DType::fp32;
};

/// `weight_dtype` is the natural arithmetic of the op's weights (fp16 for quantized formats
/// once unpacked, bf16 for bf16 weights, ...).
ComputeCost compute_cost(const workload::Op& op, workload::Phase phase, config::DType weight_dtype,
                         const config::ComputeUnitSpec& unit, const config::RuntimeSpec& runtime);

}  // namespace infersim::replay

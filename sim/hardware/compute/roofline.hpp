// The roofline-per-op arithmetic shared by the GPU and CPU SIMD models: peak throughput per
// datatype, the shape efficiency of matrix units (a batch-1 GEMV cannot fill a tensor core's
// rows, so it runs on the SIMD path), wave quantization, and dequantization on the SIMD path.
#pragma once
#include "hardware/compute/compute_unit.hpp"

namespace infersim::hw {

/// The fastest supported datatype at least as wide as `want` on the given path (`want` itself
/// when the unit runs it), or `want` when the path supports none.
config::DType supported_dtype(const config::ComputeUnitSpec& u, config::DType want, bool matrix);

/// Seconds for `ops` at the unit's peak rate for `d` on the path, times `efficiency`;
/// infinity when the unit cannot run `d` there.
double seconds_at_peak(const config::ComputeUnitSpec& u, double ops, config::DType d, bool matrix, double efficiency);

/// The best matrix or SIMD rate at the runtime's prefill datatype (else fp16, else fp32).
double roofline_prefill_peak(const config::ComputeUnitSpec& u, const config::RuntimeSpec& runtime);

/// The GPU-style roofline cost of `op` on `unit` with `runtime`'s kernels.
ComputeCost roofline_cost(const OpWork& op, const config::ComputeUnitSpec& unit, const config::RuntimeSpec& runtime);

}  // namespace infersim::hw

// Arithmetic the prefill GEMM kernel models share: the GEMM's inner dimension from an op,
// output-tile wave quantization, a per-core rate capped by the datasheet table and run at the
// sustained clock, and the elementwise pass a kernel makes over its activations first.
#pragma once
#include "hardware/compute/gemm_kernel.hpp"

namespace infersim::hw {

/// A kernel's output tile: weight rows x tokens (and its K depth, where the model needs it).
struct GemmTile {
    int weights = 128;
    int tokens = 128;
    int depth = 32;
};

/// The inner (K) dimension of `op`: flops / (2 x tokens x output features); 0 when not a GEMM.
double gemm_depth(const OpWork& op);

/// Busy fraction of the cores when `op`'s output tiles are dealt to them in waves (a partial
/// last wave leaves cores idle).
double wave_efficiency(const OpWork& op, const GemmTile& tile, int cores);

/// `per_core` ops per clock, capped by the unit's `d` rate (matrix table, else vector table;
/// no cap when neither lists `d`), times cores and the sustained clock: ops/s.
double capped_rate(const config::ComputeUnitSpec& u, double per_core, config::DType d);

/// Seconds of `ops` on the SIMD path at `d` (fp32 when the unit lists no `d`), at the sustained clock.
double vector_seconds(const config::ComputeUnitSpec& u, double ops, config::DType d);

/// An elementwise pass over a GEMM's activations (MMQ's quantize_q8_1, cuBLAS's f32 -> f16
/// conversion): bytes moved and SIMD ops per activation element.
struct ActivationPass {
    double bytes_per_element = 0;
    double ops_per_element = 0;
    /// Seconds for `op`'s tokens x K activations: the slower of its traffic at the GPU's
    /// activation bandwidth (when given) and its SIMD work.
    double seconds(const OpWork& op, const config::ComputeUnitSpec& u, const GpuExtras& gpu) const;
    double ops(const OpWork& op) const { return ops_per_element * op.rows * gemm_depth(op); }
};

/// Reads [weights, tokens] or [weights, tokens, depth]; fails at `n` otherwise.
GemmTile read_tile(const config::Node& n);

}  // namespace infersim::hw

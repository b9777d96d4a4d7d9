// The bridge from the trace to the compute-unit models: a trace op and its weights' format as
// the plain work description hw::ComputeModel takes (hardware/ knows no workload/).
#pragma once
#include "hardware/compute/compute_unit.hpp"
#include "workload/quant_format.hpp"
#include "workload/trace.hpp"

namespace infersim::replay {

/// How `fmt`'s weights look to a compute unit; nullptr (no weights) is fp16.
hw::WeightFormat weight_format(const workload::QuantFormat* fmt);

/// `op`'s work in a step of `phase`, with weights stored as `weights`.
hw::OpWork op_work(const workload::Op& op, workload::Phase phase, const hw::WeightFormat& weights);

}  // namespace infersim::replay

// `params` of fit --json and bench --json: {total, active} weights of the model's inventory
// (active = what one token touches in a MoE; equal to total for a dense model).
#pragma once
#include <nlohmann/json.hpp>

#include "scenario/scenario_run.hpp"
#include "workload/weights.hpp"

namespace infersim::cli {

inline nlohmann::json params_json(const scenario::Inputs& in) {
    const workload::InventoryParams p = workload::inventory_params(in.weights, in.model);
    return {{"total", p.total}, {"active", p.active}};
}

}  // namespace infersim::cli

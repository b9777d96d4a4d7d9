// Scenario inputs built in code (no files), for replay and physics tests.
#pragma once
#include "output/scenario_run.hpp"
#include "support/fixtures.hpp"
#include "workload/trace_builder.hpp"

namespace infersim::test {

inline output::Inputs inputs(const std::string& machine_yaml, const std::string& model_yaml, const std::string& quant,
                             std::int64_t prompt, std::int64_t gen, std::int64_t batch = 1) {
    output::Inputs in;
    in.machine = machine_from(machine_yaml);
    in.model = model_from(model_yaml);
    in.scenario.quant = quant;
    in.scenario.prompt = prompt;
    in.scenario.gen = gen;
    in.scenario.batch = batch;
    in.weights = workload::build_weights(in.model, quant);
    in.quant_label = quant;
    in.kv_bytes_per_element = 2;
    return in;
}

}  // namespace infersim::test

// Scenario inputs built in code (no files), for replay and physics tests.
#pragma once
#include "scenario/scenario_run.hpp"
#include "support/fixtures.hpp"
#include "workload/trace_builder.hpp"

namespace infersim::test {

inline scenario::Inputs inputs(const std::string& machine_yaml, const std::string& model_yaml, const std::string& quant,
                             std::int64_t prompt, std::int64_t gen, std::int64_t batch = 1) {
    scenario::Inputs in;
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

/// The shipped configuration directory.
inline config::SearchPaths config_paths() { return config::SearchPaths{{std::string(INFERSIM_SOURCE_DIR) + "/configs"}}; }

/// A scenario on shipped machines and models.
inline config::ScenarioSpec shipped_scenario(const std::string& machine, const std::string& model, const std::string& quant,
                                             std::int64_t prompt, std::int64_t gen, std::int64_t batch = 1,
                                             const std::string& runtime = "") {
    config::ScenarioSpec s;
    s.machine = machine;
    s.model = model;
    s.quant = quant;
    s.prompt = prompt;
    s.gen = gen;
    s.batch = batch;
    s.runtime = runtime;
    return s;
}

inline scenario::Inputs shipped(const std::string& machine, const std::string& model, const std::string& quant, std::int64_t prompt,
                              std::int64_t gen, std::int64_t batch = 1, const std::string& runtime = "") {
    return scenario::resolve_inputs(shipped_scenario(machine, model, quant, prompt, gen, batch, runtime), config_paths());
}

}  // namespace infersim::test

// A scenario from specs to results: resolve names, load and cross-check the inputs, place the
// weights, build the trace, replay it, and summarize. The one entry point the commands and the
// sweep runner share.
#pragma once
#include <memory>
#include <string>

#include "config/machine_spec.hpp"
#include "config/model_spec.hpp"
#include "config/resolve.hpp"
#include "config/runtime_spec.hpp"
#include "config/scenario_spec.hpp"
#include "output/recorder.hpp"
#include "output/summary.hpp"
#include "replay/placement.hpp"
#include "replay/thermal_timeline.hpp"
#include "workload/trace.hpp"
#include "workload/trace_builder.hpp"
#include "workload/weights.hpp"

namespace infersim::scenario {

/// Everything a run needs, loaded and validated.
struct Inputs {
    config::ScenarioSpec scenario;
    config::MachineSpec machine;
    config::ModelSpec model;
    config::RuntimeSpec runtime;
    workload::WeightInventory weights;
    std::size_t unit = 0;
    double kv_bytes_per_element = 2;
    std::string quant_label;        // the scheme, or "gguf:<file's mix>"
};

/// Loads the machine, model and runtime a scenario names and checks them against each other.
/// Throws config::InputError pointing at the scenario field at fault.
Inputs resolve_inputs(const config::ScenarioSpec& scenario, const config::SearchPaths& paths);

/// Whether layers outside the unit's pool run on that pool's unit (llama.cpp's CPU layers):
/// `offload: compute`, or no offload mode with gpu_layers below the layer count.
bool offload_computes(const Inputs& in);
/// Tokens the KV cache holds at the end of the run: depth + prompt + gen.
std::uint64_t run_context(const Inputs& in);

/// The request shape the trace builder needs, from the scenario and the resolved runtime.
workload::RequestShape request_shape(const Inputs& in);

struct FitReport {
    replay::Placement placement;
    std::uint64_t weights_bytes = 0;
    std::uint64_t kv_bytes = 0;          // at the full context, all sequences
    std::uint64_t overhead_bytes = 0;
    double decode_step_bytes = 0;        // bytes one decode step streams, at the given context
    double decode_bw_ceiling_tokens_per_s = 0;
    double prefill_compute_ceiling_tokens_per_s = 0;
};

/// The buyer's checklist without simulating: placement, and the ceilings that bandwidth and
/// compute put on tokens/s at `context` tokens.
FitReport fit(const Inputs& in, std::uint64_t context);
/// Refuses (config::InputError, exit 2) a placement that overfills a pool, naming weights + KV +
/// compute buffers against the pool's capacity, as llama.cpp fails to allocate; and computed
/// offload onto a pool that no unit uses.
void check_fits(const Inputs& in, const FitReport& f);

struct RunOutput {
    output::Summary summary;
    std::unique_ptr<hw::PowerModel> power;   // the machine's power model, which the recorder uses: declared first, destroyed last
    std::unique_ptr<output::Recorder> recorder;
    // --- thermal governor; empty without limits or cooling domains ---
    replay::ThermalTimeline thermal;
    double throttle_s = -1;                  // when a limit first bound; negative: never
};

/// Simulates `in` on a fresh simulator. Throws config::BudgetError if the scenario would exceed
/// its budget.
RunOutput run(const Inputs& in);
/// Same, replaying `steps` (e.g. a trace file) instead of building the trace from the model.
RunOutput run(const Inputs& in, workload::StepSource& steps);
/// Same, with the fit of `in` already made and checked (fit(in, run_context(in)), check_fits):
/// for callers replaying many step sources on one placement (serving). Checks the op budget.
RunOutput run(const Inputs& in, workload::StepSource& steps, const FitReport& fitted);

}  // namespace infersim::scenario

// The summary of a finished run: per-phase throughput and bounds, pools, caches, agents,
// energy by domain, battery.
#pragma once
#include "engine/time.hpp"
#include "output/recorder.hpp"
#include "output/summary.hpp"
#include "replay/replayer.hpp"
#include "replay/thermal_timeline.hpp"
#include "scenario/scenario_run.hpp"

namespace infersim::scenario {

/// Fills `s` from the step timings, the op table and the recorder (after finish()).
void summarize(const Inputs& in, const FitReport& f, const replay::ReplayTotals& totals, const output::Recorder& rec,
               engine::Tick end, output::Summary& s);

/// The governor's clocks and temperatures at their ends and extremes.
output::ThermalSummary thermal_summary(const replay::ThermalTimeline& t, double throttle_s);

}  // namespace infersim::scenario

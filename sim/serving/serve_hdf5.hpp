// Writes a serving run to HDF5 (atomically, through output's helpers):
//   /            attributes infersim_version, scenario_yaml, serve_json
//   /requests    one column per field, one row per request: id, arrival_s, first_token_s, finish_s,
//                prompt, gen, preemptions, cached_tokens
//   /serving     per step: time_s (step start), end_s, queue_depth, batch_size, batch_tokens,
//                kv_occupancy, preemptions (cumulative)
//   /timeline    with a summed hardware timeline: the layout of a run's /timeline (hdf5_timeline.hpp:
//                dram, compute, link, cache, agents, power; time_s and channel dimension scales)
//                over the whole serve
#pragma once
#include <string>

#include "config/machine_spec.hpp"
#include "output/recorder.hpp"
#include "serving/report.hpp"

namespace infersim::serving {

/// Writes the serve (atomically). `timeline`: the serve's closed hardware timeline on `machine`
/// (both null, or neither). Identical inputs give identical bytes. Throws output::OutputError.
void write_serve_hdf5(const std::string& path, const ServeTotals& t, const nlohmann::ordered_json& summary, const std::string& scenario_yaml,
                      const output::Recorder* timeline = nullptr, const config::MachineSpec* machine = nullptr);

}  // namespace infersim::serving

// Serializes a finished run to HDF5: provenance attributes, /summary, /timeline, /ops, /tokens
// (layout in DESIGN.md and in write_hdf5's comment). The file is written under a temporary name
// and renamed, so a failure never leaves a partial file under the final name.
#pragma once
#include <stdexcept>
#include <string>

#include "config/machine_spec.hpp"
#include "output/atomic_file.hpp"
#include "output/recorder.hpp"
#include "output/summary.hpp"
#include "replay/thermal_timeline.hpp"

namespace infersim::output {

/// What produced a run: the program version and the resolved inputs as YAML text.
struct Provenance {
    std::string version;
    std::string machine_yaml, model_yaml, scenario_yaml, runtime_yaml;
};

/// Writes `rec` (after finish()) and `summary` to `path`.
///   /            attributes infersim_version, machine_yaml, model_yaml, scenario_yaml, runtime_yaml, summary_json
///   /summary     one scalar dataset per leaf of to_json(summary); pools as /summary/pools/<name>/<key>
///   /timeline    time_s (bin starts; attributes bin_s, end_s), dram/<pool>/{bw_util, channel_bw_util, bytes},
///                compute/<unit>/util, link/<name>/bw_util, cache/<name>/bytes, power/<domain> (W)
///   /ops         compound table, one row per op
///   /tokens      compound table, one row per token emission
/// Identical inputs give byte-identical files. Throws OutputError; never prints.
/// `thermal`: the governor's timeline, when the machine has one (write_timeline).
void write_hdf5(const std::string& path, const Recorder& rec, const Summary& summary, const Provenance& prov,
                const config::MachineSpec& machine, const replay::ThermalTimeline* thermal = nullptr);

}  // namespace infersim::output

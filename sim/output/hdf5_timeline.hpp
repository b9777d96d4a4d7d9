// /timeline of a run's HDF5 file: the time axis and one binned series per DRAM pool and
// channel, compute unit, link, cache, agent and power domain.
#pragma once
#include <hdf5.h>

#include "config/machine_spec.hpp"
#include "output/recorder.hpp"
#include "replay/thermal_timeline.hpp"

namespace infersim::output {

/// Writes /timeline from `rec` (after finish()). Throws std::runtime_error on an HDF5 failure.
/// With a governor's `thermal` timeline (non-empty), also compute/<unit>/clock_hz,
/// thermal/<domain>/{temperature_c, power_w} and limits/<limit>/power_w, held from each step
/// boundary's decision to the next.
void write_timeline(hid_t file, const Recorder& rec, const config::MachineSpec& m, const replay::ThermalTimeline* thermal = nullptr);

}  // namespace infersim::output

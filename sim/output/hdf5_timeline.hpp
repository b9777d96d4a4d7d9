// /timeline of a run's HDF5 file: the time axis and one binned series per DRAM pool and
// channel, compute unit, link, cache, agent and power domain.
#pragma once
#include <hdf5.h>

#include "config/machine_spec.hpp"
#include "output/recorder.hpp"

namespace infersim::output {

/// Writes /timeline from `rec` (after finish()). Throws std::runtime_error on an HDF5 failure.
void write_timeline(hid_t file, const Recorder& rec, const config::MachineSpec& m);

}  // namespace infersim::output

// Per-point timelines of a sweep (`infersim sweep ... -o r.h5 --timelines`). A worker writes each
// ok point's /timeline (the datasets `run -o` writes, output/hdf5_timeline.hpp) into its own
// small file in `<output>.timelines/<index>.h5` as the point finishes, so the parent holds no
// timeline in memory and a killed run keeps them for --resume. The table writer then copies
// them, in index order, to `/points/<index>/timeline` of the .h5 table (index in plain decimal),
// so the bytes do not depend on threads or on the order points finished.
//
//   xarray.open_dataset("r.h5", group="points/0/timeline/dram/unified", engine="h5netcdf")
#pragma once
#include <hdf5.h>

#include <cstdint>
#include <string>

#include "config/machine_spec.hpp"
#include "output/recorder.hpp"
#include "replay/thermal_timeline.hpp"
#include "sweep/results.hpp"

namespace infersim::sweep {

/// The directory of a run's per-point timeline files, beside its journal.
std::string timeline_dir(const std::string& output);
/// The timeline file of point `index` of a run writing `output`.
std::string timeline_file(const std::string& output, std::uint64_t index);

/// Creates the timeline directory of `output`; with `fresh`, first removes the point files
/// (`<index>.h5` and their temporaries) an earlier run left there. Throws output::OutputError.
void prepare_timeline_dir(const std::string& output, bool fresh);
/// Removes the point files of `output`'s timeline directory, and the directory when that
/// leaves it empty (a directory holding anything else is left alone).
void remove_timeline_dir(const std::string& output);

/// Writes one point's /timeline atomically to `file`, with root attributes `sweep` (the sweep's
/// identity) and `key` (the point's). Throws output::OutputError.
void write_point_timeline(const std::string& file, const output::Recorder& rec, const config::MachineSpec& machine,
                          const replay::ThermalTimeline* thermal, const std::string& sweep_id, const std::string& key);

/// Whether `file` is a point timeline file of sweep `sweep_id` holding /timeline (false for a
/// missing, torn or foreign one: its point runs again).
bool point_timeline_valid(const std::string& file, const std::string& sweep_id);

/// Whether the HDF5 table at `path` holds per-point timelines (a /points group).
bool table_has_timelines(const std::string& path);
/// The timelines of the HDF5 table at `path`: points/<i>/timeline for every point i it holds.
/// Throws config::InputError on a /points member that is not a point index.
TimelineSources table_timelines(const std::string& path);

/// Writes /points into `file`: for every "ok" row of `table`, in index order, a copy of its
/// source's timeline group under /points/<index>/timeline (attribute `key` on /points/<index>),
/// dimension scales attached afresh. Throws output::OutputError when an ok row has no source.
void copy_timelines(hid_t file, const Table& table, const TimelineSources& sources);

}  // namespace infersim::sweep

// Dimension scales on /timeline (HDF5 DS, the netCDF-4 convention), so that
// xarray.open_dataset(file, group="timeline/dram/<pool>", engine="h5netcdf") gives labelled
// arrays: /timeline/time_s is the `time_s` scale of every per-bin series under /timeline, and a
// pool's channels x bins matrices get a `channel` scale (0 .. channels - 1) in their group.
#pragma once
#include <hdf5.h>

namespace infersim::output::h5 {

/// Makes /timeline/time_s a scale and attaches it (and channel scales) to every dataset under
/// `timeline` whose last dimension is `bins` long. Call after all of /timeline is written.
void attach_timeline_scales(hid_t timeline, hsize_t bins);

}  // namespace infersim::output::h5

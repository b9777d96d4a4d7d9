// A sweep table in HDF5: `/results`, one compound dataset (columns as in table_columns.hpp;
// strings fixed-size UTF-8, attribute `axes` = JSON array of the axis column names, attribute
// `sweep` = the sweep's identity), and `/rows`, the rows' JSON text (variable-length strings),
// which --resume and merge read back without loss. With per-point timelines, also `/points`
// (point_timelines.hpp).
//
//   python3 -c "import h5py, pandas; df = pandas.DataFrame(h5py.File('r.h5')['results'][()])"
#pragma once
#include <string>

#include "sweep/results.hpp"

namespace infersim::sweep {

/// Whether `path` names an HDF5 table (.h5 or .hdf5).
bool is_hdf5_table(const std::string& path);

/// Writes `table` atomically; with `timelines`, /points from them. Throws output::OutputError.
void write_hdf5_table(const std::string& path, const Table& table, const TimelineSources* timelines = nullptr);

/// The rows of an HDF5 table as JSON Lines text (for read_rows). Throws config::InputError when
/// the file is not an infersim sweep table.
std::string read_hdf5_rows(const std::string& path);

}  // namespace infersim::sweep

// Sweep result tables: JSON Lines, one row per point, sorted by point index. Each row carries
// its point's key and its sweep's identity (a hash of the resolved sweep), so tables from
// shards, MPI ranks or resumed runs can be merged, and tables of different sweeps cannot.
#pragma once
#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace infersim::sweep {

/// Rows by point index.
using Table = std::map<std::uint64_t, nlohmann::json>;

/// Where a point's timeline group can be copied from: an HDF5 file and the group's path in it
/// (a point timeline file's "timeline", or an .h5 table's "points/<i>/timeline").
struct TimelineSource {
    std::string file, group;
};
using TimelineSources = std::map<std::uint64_t, TimelineSource>;

/// Caps on what a table reader holds: a row is a few KB, a table of kMaxSweepPoints rows fits.
inline constexpr std::uint64_t kMaxTableBytes = 1ULL << 30;
inline constexpr std::size_t kMaxRowBytes = 1 << 20;

/// What to do with a row that was cut short (a killed writer, a truncated copy) or garbled (a
/// torn line that a later run appended to).
enum class Torn {
    refuse,     // merge: a table that lost a row is an error
    recompute,  // resume: drop the row, so its point runs again
};

/// Reads the rows of a JSONL file into `table`. A missing file reads as empty. Every row must
/// carry `sweep_id` (or, when it is empty, the identity of the rows already in `table`, or of
/// the first row read); a row of another sweep throws config::InputError at its line. Rows
/// whose index is already present are kept only if identical. Returns the number of torn rows
/// dropped (always 0 with Torn::refuse, which throws instead).
std::uint64_t read_rows(const std::string& path, Table& table, Torn torn = Torn::refuse, const std::string& sweep_id = "");

/// The rows of a table held in memory (an MPI rank's table), under the rules of read_rows with
/// Torn::refuse; `name` labels errors.
void read_rows_text(const std::string& text, const std::string& name, Table& table);

/// Writes `table` atomically to `path` in the format its extension names: .h5/.hdf5 the HDF5
/// table (table_hdf5.hpp), .csv the CSV export (table_columns.hpp), anything else one compact
/// JSON row per line in index order. read_rows reads .jsonl and .h5 back; a .csv reads as empty
/// for a resume (its points come from the journal) and is refused by merge. With `timelines`
/// (point_timelines.hpp), an .h5 table also gets /points; any other format throws
/// output::OutputError.
void write_rows(const std::string& path, const Table& table, const TimelineSources* timelines = nullptr);

/// The JSON text of a row. Names from input files may hold invalid UTF-8: it is replaced
/// (U+FFFD), never a reason to abort.
std::string dump_row(const nlohmann::json& row);

}  // namespace infersim::sweep

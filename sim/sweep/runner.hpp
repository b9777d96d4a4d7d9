// Runs the points of a sweep on local threads. Every finished row is appended to a journal
// (`<output>.journal`, flushed per row) before the next is taken, so a killed run loses
// nothing: `resume` reads the journal and the output, and skips what is done. At the end the
// table is written atomically in index order and the journal removed. Results do not depend
// on the number of threads or on how the sweep was split.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config/resolve.hpp"
#include "sweep/results.hpp"
#include "sweep/sweep_spec.hpp"

namespace infersim::scenario {
class SpecCache;
}

namespace infersim::sweep {

struct RunOptions {
    std::string output;                  // the JSONL table
    unsigned jobs = 1;
    std::uint64_t shard = 0, shards = 1; // run points with index % shards == shard
    std::optional<std::uint64_t> index;  // run only this point
    bool resume = false;
    // Per-point timelines into the .h5 table's /points (point_timelines.hpp); a resume runs again
    // every ok point whose timeline is in neither the output nor the timeline directory.
    bool timelines = false;
    std::vector<std::string> resume_from;  // further finished tables to skip points from
    config::SearchPaths paths;
    // A task farm (MPI, cli/mpi_sweep.cpp): `on_todo` sees the points still to run before any
    // starts; with `claim` set, workers run the point it hands out (nullopt: none left) instead
    // of walking their own selection, so a slow point idles no other process.
    std::function<void(const std::vector<std::uint64_t>&)> on_todo;
    std::function<std::optional<std::uint64_t>()> claim;
};

struct RunStats {
    std::uint64_t selected = 0, skipped = 0, ran = 0, failed = 0;
    std::uint64_t torn = 0;  // cut-short or garbled rows of earlier runs, dropped and run again
};

/// The result row of one point (status "ok" with the summary, or "error" with the message).
/// With `timeline` set, an ok point's timeline is written to that file (write_point_timeline)
/// before the row is returned; a failure to write it throws output::OutputError. With `cache`,
/// the point's machine, model and runtime come from it when an earlier point loaded them.
nlohmann::json run_point(const SweepSpec& sweep, const Point& p, const config::SearchPaths& paths, const std::string& timeline = "",
                         scenario::SpecCache* cache = nullptr);

/// Runs the selected points; `progress` (optional) is called after each row, serialized.
RunStats run_sweep(const SweepSpec& sweep, const RunOptions& options,
                   const std::function<void(const nlohmann::json&)>& progress = {});

}  // namespace infersim::sweep

// `infersim sweep FILE -o OUT --emit-slurm`: an sbatch array script. Task K of N runs
// `--shard K/N --resume` into its own JSON Lines table (.h5 with --timelines); task 0 also submits a merge job that
// waits for the whole array (--dependency=afterok) and joins the shards into OUT.
//
//   infersim sweep s.yaml -o r.h5 --emit-slurm --array-size 16 --partition cpu --time 1:00:00 > job.sh
//   sbatch job.sh
#pragma once
#include <cstdint>
#include <string>

namespace infersim::sweep {

struct SlurmOptions {
    std::string binary;      // the infersim executable (absolute)
    std::string sweep_file;  // absolute
    std::string output;      // the merged table (absolute)
    std::uint64_t array_size = 1;
    std::string partition, time;  // empty: the cluster's defaults
    std::uint64_t points = 0;     // the sweep's size (a comment, and array_size is capped by it)
    bool timelines = false;       // --timelines: the shards are .h5 tables with /points, merged into OUT
};

/// The script text. Every path and value is single-quoted for the shell.
std::string slurm_script(const SlurmOptions& o);

/// The shard table of task `task` (as the script names it, with the shell's task variable):
/// JSON Lines, or an .h5 table when the shards keep timelines.
std::string shard_table(const std::string& output, const std::string& task, std::uint64_t shards, bool timelines = false);

}  // namespace infersim::sweep

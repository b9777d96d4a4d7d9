// The sbatch array script.
#include "sweep/slurm_script.hpp"

#include <sstream>

namespace infersim::sweep {
namespace {

std::string quoted(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

}  // namespace

std::string shard_table(const std::string& output, const std::string& task, std::uint64_t shards, bool timelines) {
    return output + ".shard" + task + "-of-" + std::to_string(shards) + (timelines ? ".h5" : ".jsonl");
}

std::string slurm_script(const SlurmOptions& o) {
    const std::string n = std::to_string(o.array_size);
    std::ostringstream s;
    s << "#!/bin/bash\n"
      << "# infersim sweep: " << o.points << " points in " << n << " array tasks; submit with: sbatch THIS_FILE\n"
      << "#SBATCH --job-name=infersim-sweep\n"
      << "#SBATCH --array=0-" << o.array_size - 1 << "\n";
    if (!o.partition.empty()) s << "#SBATCH --partition=" << o.partition << "\n";
    if (!o.time.empty()) s << "#SBATCH --time=" << o.time << "\n";
    s << "#SBATCH --output=infersim-sweep-%A_%a.out\n"
      << "set -euo pipefail\n"
      << "INFERSIM=" << quoted(o.binary) << "\n"
      << "SWEEP=" << quoted(o.sweep_file) << "\n"
      << "OUT=" << quoted(o.output) << "\n"
      << "# Task 0 submits the merge, which runs once every task of this array succeeded.\n"
      << "if [ \"${SLURM_ARRAY_TASK_ID}\" = 0 ]; then\n"
      << "  sbatch --dependency=afterok:${SLURM_ARRAY_JOB_ID} --job-name=infersim-merge";
    if (!o.partition.empty()) s << " --partition=" << quoted(o.partition);
    s << " --output=infersim-merge-%j.out \\\n"
      << "    --wrap=\"\\\"$INFERSIM\\\" merge --sweep \\\"$SWEEP\\\" -o \\\"$OUT\\\" \\\"$OUT\\\".shard*-of-" << n << (o.timelines ? ".h5" : ".jsonl") << "\"\n"
      << "fi\n"
      << "# Each task runs its slice; --resume keeps what a requeued or timed-out task finished.\n"
      << "exec \"$INFERSIM\" sweep \"$SWEEP\" -o \"" << shard_table("$OUT", "${SLURM_ARRAY_TASK_ID}", o.array_size, o.timelines)
      << "\" --shard \"${SLURM_ARRAY_TASK_ID}/" << n << "\" --resume" << (o.timelines ? " --timelines" : "") << " --jobs \"${SLURM_CPUS_PER_TASK:-1}\"\n";
    return s.str();
}

}  // namespace infersim::sweep

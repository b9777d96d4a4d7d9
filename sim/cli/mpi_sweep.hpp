// `mpirun -n N infersim sweep ...`: each rank runs one shard of the sweep (its own journal,
// so a killed job resumes), then rank 0 gathers the rows over MPI and writes the one table.
// Builds without MPI keep the single-process behaviour.
#pragma once
#include <functional>

#include "sweep/runner.hpp"

namespace infersim::cli {

/// True when this process was started by an MPI launcher with more than one rank.
bool launched_by_mpi();

/// Runs `opt` across the MPI job (shard = rank, shards = size); rank 0 writes opt.output.
/// Returns this rank's stats. Throws UsageError when the build has no MPI support.
sweep::RunStats run_sweep_mpi(const sweep::SweepSpec& spec, sweep::RunOptions opt,
                              const std::function<void(const nlohmann::json&)>& progress);

}  // namespace infersim::cli

// MPI sweep distribution. Compiled with MPI when CMake found it (INFERSIM_HAVE_MPI).
#include "cli/mpi_sweep.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "cli/common.hpp"
#include "config/bounded_read.hpp"
#include "sweep/results.hpp"

#if INFERSIM_HAVE_MPI
#include <mpi.h>
#endif

namespace infersim::cli {

bool launched_by_mpi() {
    for (const char* var : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"}) {
        const char* v = std::getenv(var);
        if (v && std::atoi(v) > 1) return true;
    }
    return false;
}

#if INFERSIM_HAVE_MPI
namespace {

struct MpiSession {
    MpiSession() { MPI_Init(nullptr, nullptr); }
    ~MpiSession() { MPI_Finalize(); }
};

std::string slurp(const std::string& path) {
    return config::read_bounded(path, config::ReadLimits{sweep::kMaxTableBytes, sweep::kMaxRowBytes});
}

// Every rank table and journal of earlier runs of this output, whatever their rank count: a
// resume with fewer or more ranks must not run finished points again.
std::vector<std::string> earlier_rank_files(const std::string& final_output) {
    std::vector<std::string> files;
    const std::filesystem::path p(final_output);
    const std::string prefix = p.filename().string() + ".rank";
    std::error_code ec;
    for (std::filesystem::directory_iterator it(p.has_parent_path() ? p.parent_path() : ".", ec), end; !ec && it != end; it.increment(ec))
        if (it->path().filename().string().rfind(prefix, 0) == 0 && it->is_regular_file(ec)) files.push_back(it->path().string());
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace

sweep::RunStats run_sweep_mpi(const sweep::SweepSpec& spec, sweep::RunOptions opt,
                              const std::function<void(const nlohmann::json&)>& progress) {
    MpiSession mpi;
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    const std::string final_output = opt.output;
    opt.shard = static_cast<std::uint64_t>(rank);
    opt.shards = static_cast<std::uint64_t>(size);
    opt.output = final_output + ".rank" + std::to_string(rank) + "-of-" + std::to_string(size);
    if (opt.resume) {
        opt.resume_from.push_back(final_output);
        for (const std::string& f : earlier_rank_files(final_output))
            if (f != opt.output && f != opt.output + ".journal") opt.resume_from.push_back(f);
    }
    sweep::RunStats stats;
    int ok = 1;
    std::string error;
    try {
        stats = sweep::run_sweep(spec, opt, progress);
    } catch (const std::exception& e) {
        ok = 0;
        error = e.what();
    }
    // Everyone learns whether every rank finished; then rank 0 gathers the rank tables.
    int all_ok = 0;
    MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (!all_ok) throw std::runtime_error(error.empty() ? "another MPI rank failed; rank tables and journals are kept for --resume" : error);
    const std::string mine = slurp(opt.output);
    int length = static_cast<int>(mine.size());
    std::vector<int> lengths(static_cast<std::size_t>(size)), offsets(static_cast<std::size_t>(size));
    MPI_Gather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
    std::string all;
    if (rank == 0) {
        int total = 0;
        for (int r = 0; r < size; ++r) {
            offsets[static_cast<std::size_t>(r)] = total;
            total += lengths[static_cast<std::size_t>(r)];
        }
        all.resize(static_cast<std::size_t>(total));
    }
    MPI_Gatherv(mine.data(), length, MPI_CHAR, all.data(), lengths.data(), offsets.data(), MPI_CHAR, 0, MPI_COMM_WORLD);
    if (rank == 0) {
        const std::string gathered = final_output + ".gathered";
        { std::ofstream(gathered, std::ios::binary) << all; }
        sweep::Table table;
        sweep::read_rows(gathered, table);
        std::filesystem::remove(gathered);
        sweep::write_rows(final_output, table);
    }
    MPI_Barrier(MPI_COMM_WORLD);
    std::filesystem::remove(opt.output);
    return stats;
}
#else
sweep::RunStats run_sweep_mpi(const sweep::SweepSpec&, sweep::RunOptions, const std::function<void(const nlohmann::json&)>&) {
    throw UsageError("this infersim was built without MPI (install libopenmpi-dev and rebuild); use --shard K/N instead");
}
#endif

}  // namespace infersim::cli

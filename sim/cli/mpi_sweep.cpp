// MPI sweep distribution. Compiled with MPI when CMake found it (INFERSIM_HAVE_MPI).
#include "cli/mpi_sweep.hpp"

#include <algorithm>
#include <exception>
#include <new>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <vector>

#include "cli/common.hpp"
#include "cli/mpi_farm.hpp"
#include "config/bounded_read.hpp"
#include "config/errors.hpp"
#include "output/atomic_file.hpp"
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
    MpiSession() { MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &threads); }
    ~MpiSession() { MPI_Finalize(); }
    int threads = MPI_THREAD_SINGLE;  // what the library provides
};

std::string slurp(const std::string& path) {
    return config::read_bounded(path, config::ReadLimits{sweep::kMaxTableBytes, sweep::kMaxRowBytes});
}

// A rank table or journal of an earlier run of `prefix`: "<prefix>K-of-N" or
// "<prefix>K-of-N.journal" - not a write in progress ("....tmp.PID") or anything else.
bool is_rank_file(const std::string& name, const std::string& prefix) {
    if (name.rfind(prefix, 0) != 0) return false;
    std::string rest = name.substr(prefix.size());
    const std::string journal = ".journal";
    if (rest.size() > journal.size() && rest.compare(rest.size() - journal.size(), journal.size(), journal) == 0)
        rest.resize(rest.size() - journal.size());
    const std::size_t of = rest.find("-of-");
    auto digits = [](const std::string& t) { return !t.empty() && t.find_first_not_of("0123456789") == std::string::npos; };
    return of != std::string::npos && digits(rest.substr(0, of)) && digits(rest.substr(of + 4));
}

// Every rank table and journal of earlier runs of this output, whatever their rank count: a
// resume with fewer or more ranks must not run finished points again.
std::vector<std::string> earlier_rank_files(const std::string& final_output) {
    std::vector<std::string> files;
    const std::filesystem::path p(final_output);
    const std::string prefix = p.filename().string() + ".rank";
    std::error_code ec;
    for (std::filesystem::directory_iterator it(p.has_parent_path() ? p.parent_path() : ".", ec), end; !ec && it != end; it.increment(ec))
        if (is_rank_file(it->path().filename().string(), prefix) && it->is_regular_file(ec)) files.push_back(it->path().string());
    std::sort(files.begin(), files.end());
    return files;
}

// The exit-code class of a failure, so every rank exits as the failing one would alone.
int failure_class(const std::exception_ptr& failure) {
    try {
        std::rethrow_exception(failure);
    } catch (const config::InputError&) {
        return 2;
    } catch (const UsageError&) {
        return 2;
    } catch (const config::BudgetError&) {
        return 3;
    } catch (const std::bad_alloc&) {
        return 3;
    } catch (const output::OutputError&) {
        return 4;
    } catch (...) {
        return 1;
    }
}

[[noreturn]] void throw_as(int failure, const std::string& message) {
    if (failure == 2) throw UsageError(message);
    if (failure == 3) throw config::BudgetError(message);
    if (failure == 4) throw output::OutputError(message);
    throw std::runtime_error(message);
}

// After every rank ran its points: if any failed, the failing rank rethrows its own error and
// the others throw one of the same class naming it. Rank tables and journals stay for --resume.
void agree_on_failure(const std::exception_ptr& failure, int rank) {
    const int mine = failure ? failure_class(failure) : 0;
    int worst = 0;
    MPI_Allreduce(&mine, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    if (worst == 0) return;
    if (failure) std::rethrow_exception(failure);
    throw_as(worst, "another MPI rank failed (see its error); this rank is " + std::to_string(rank) +
                        ", rank tables and journals are kept for --resume");
}

// Rank 0 receives each rank's table in turn (each under kMaxTableBytes, so an int count; -1: that
// rank could not read its own) and reads its rows in memory: nothing but the final table is
// written. Every message is received even after a failure, so no rank is left blocked in a send.
std::exception_ptr gather_tables(const std::string& output, int rank, int size, sweep::Table& table) {
    std::exception_ptr failure;
    std::string text;
    try {
        text = slurp(output);
    } catch (...) {
        failure = std::current_exception();
    }
    int length = failure ? -1 : static_cast<int>(text.size());
    if (rank != 0) {
        MPI_Send(&length, 1, MPI_INT, 0, 0, MPI_COMM_WORLD);
        if (length >= 0) MPI_Send(text.data(), length, MPI_CHAR, 0, 1, MPI_COMM_WORLD);
        return failure;
    }
    for (int r = 0; r < size; ++r) {
        if (r > 0) {
            MPI_Recv(&length, 1, MPI_INT, r, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            text.assign(static_cast<std::size_t>(std::max(length, 0)), '\0');
            if (length >= 0) MPI_Recv(text.data(), length, MPI_CHAR, r, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        }
        if (length < 0 || failure) continue;
        try {
            sweep::read_rows_text(text, "MPI rank " + std::to_string(r) + "'s table", table);
        } catch (...) {
            failure = std::current_exception();
        }
    }
    return failure;
}

}  // namespace

sweep::RunStats run_sweep_mpi(const sweep::SweepSpec& spec, sweep::RunOptions opt,
                              const std::function<void(const nlohmann::json&)>& progress) {
    MpiSession mpi;
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    const std::string final_output = opt.output;
    // A task farm when the library lets a server thread use MPI; fixed slices otherwise.
    const bool farm = size > 1 && mpi.threads >= MPI_THREAD_SERIALIZED;
    opt.shard = farm ? 0 : static_cast<std::uint64_t>(rank);
    opt.shards = farm ? 1 : static_cast<std::uint64_t>(size);
    opt.output = final_output + ".rank" + std::to_string(rank) + "-of-" + std::to_string(size);
    if (opt.resume) {
        opt.resume_from.push_back(final_output);
        for (const std::string& f : earlier_rank_files(final_output))
            if (f != opt.output && f != opt.output + ".journal") opt.resume_from.push_back(f);
    }
    sweep::RunStats stats;
    std::exception_ptr failure;
    {
        std::optional<TaskFarm> tasks;  // ends (every rank done, rank 0's server joined) before the collectives below
        if (farm) tasks.emplace(rank, size).wire(opt);
        try {
            stats = sweep::run_sweep(spec, opt, progress);
        } catch (...) {
            failure = std::current_exception();
        }
    }
    agree_on_failure(failure, rank);
    sweep::Table table;
    agree_on_failure(gather_tables(opt.output, rank, size, table), rank);
    std::exception_ptr written;  // rank 0's write; agreeing on it is also the barrier before the rank tables go
    if (rank == 0) try {
            sweep::write_rows(final_output, table);
        } catch (...) {
            written = std::current_exception();
        }
    agree_on_failure(written, rank);
    std::filesystem::remove(opt.output);
    return stats;
}
#else
sweep::RunStats run_sweep_mpi(const sweep::SweepSpec&, sweep::RunOptions, const std::function<void(const nlohmann::json&)>&) {
    throw UsageError("this infersim was built without MPI (install libopenmpi-dev and rebuild); use --shard K/N instead");
}
#endif

}  // namespace infersim::cli

// The MPI task farm of a sweep: rank 0 holds the points still to run and hands them out one at
// a time, to its own worker threads (from memory) and to the other ranks (a request and a reply
// per point), so a slow point idles no other rank. The rows a rank runs go to its own table as
// before; rank 0 gathers them, so the table is the one a single process writes. Only built with
// MPI (INFERSIM_HAVE_MPI); needs MPI_THREAD_SERIALIZED (the caller falls back to fixed slices).
#pragma once
#if INFERSIM_HAVE_MPI
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "sweep/runner.hpp"

namespace infersim::cli {

class TaskFarm {
public:
    /// Rank 0 starts serving the other ranks at once (they may ask before its selection is made).
    TaskFarm(int rank, int size);
    /// Rank 0: stops serving only after every other rank said it is done (call after the run).
    ~TaskFarm();
    TaskFarm(const TaskFarm&) = delete;
    TaskFarm& operator=(const TaskFarm&) = delete;

    /// Sets `opt.on_todo` and `opt.claim` for this rank.
    void wire(sweep::RunOptions& opt);
    /// Rank 0, when its run ended before it made a selection (an error): nothing to hand out.
    void no_points();
    /// Other ranks: tells rank 0 this rank takes no more points (after the run, error or not).
    void done();

private:
    std::optional<std::uint64_t> take_local();
    std::optional<std::uint64_t> ask_rank0();
    void serve();
    void set_todo(const std::vector<std::uint64_t>& todo);

    int rank_, size_;
    std::mutex mu_;                       // rank 0: the selection; other ranks: one MPI caller at a time
    std::condition_variable ready_cv_;
    bool ready_ = false, done_sent_ = false;
    std::vector<std::uint64_t> todo_;
    std::size_t next_ = 0;
    std::thread server_;
};

}  // namespace infersim::cli
#endif

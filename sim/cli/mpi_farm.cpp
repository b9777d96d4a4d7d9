// The MPI task farm (mpi_farm.hpp).
#include "cli/mpi_farm.hpp"

#if INFERSIM_HAVE_MPI
#include <mpi.h>

namespace infersim::cli {
namespace {

constexpr int kAsk = 20, kPoint = 21, kDone = 22;  // tags
constexpr long long kNone = -1;                      // the reply when no point is left

}  // namespace

TaskFarm::TaskFarm(int rank, int size) : rank_(rank), size_(size) {
    if (rank_ == 0 && size_ > 1) server_ = std::thread([this] { serve(); });
}

TaskFarm::~TaskFarm() {
    if (rank_ == 0) {
        no_points();  // a run that ended early still answers every request with "none"
        if (server_.joinable()) server_.join();
    } else {
        done();
    }
}

void TaskFarm::wire(sweep::RunOptions& opt) {
    if (rank_ == 0) {
        opt.on_todo = [this](const std::vector<std::uint64_t>& todo) { set_todo(todo); };
        opt.claim = [this] { return take_local(); };
    } else {
        opt.claim = [this] { return ask_rank0(); };
    }
}

void TaskFarm::set_todo(const std::vector<std::uint64_t>& todo) {
    std::lock_guard<std::mutex> lock(mu_);
    if (ready_) return;
    todo_ = todo;
    ready_ = true;
    ready_cv_.notify_all();
}

void TaskFarm::no_points() { set_todo({}); }

std::optional<std::uint64_t> TaskFarm::take_local() {
    std::unique_lock<std::mutex> lock(mu_);
    ready_cv_.wait(lock, [this] { return ready_; });
    if (next_ >= todo_.size()) return std::nullopt;
    return todo_[next_++];
}

std::optional<std::uint64_t> TaskFarm::ask_rank0() {
    std::lock_guard<std::mutex> lock(mu_);  // MPI_THREAD_SERIALIZED: one thread in MPI at a time
    if (done_sent_) return std::nullopt;
    const int ask = 1;
    long long point = kNone;
    MPI_Send(&ask, 1, MPI_INT, 0, kAsk, MPI_COMM_WORLD);
    MPI_Recv(&point, 1, MPI_LONG_LONG, 0, kPoint, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (point == kNone) return std::nullopt;
    return static_cast<std::uint64_t>(point);
}

void TaskFarm::done() {
    std::lock_guard<std::mutex> lock(mu_);
    if (done_sent_ || rank_ == 0) return;
    done_sent_ = true;
    const int bye = 0;
    MPI_Send(&bye, 1, MPI_INT, 0, kDone, MPI_COMM_WORLD);
}

// Rank 0's server thread, the only thread of rank 0 in MPI while the run lasts: answers each
// request with the next point (or "none") until every other rank said it is done.
void TaskFarm::serve() {
    for (int finished = 0; finished < size_ - 1;) {
        int message = 0;
        MPI_Status status;
        MPI_Recv(&message, 1, MPI_INT, MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
        if (status.MPI_TAG == kDone) {
            ++finished;
            continue;
        }
        const std::optional<std::uint64_t> p = take_local();
        const long long point = p ? static_cast<long long>(*p) : kNone;
        MPI_Send(&point, 1, MPI_LONG_LONG, status.MPI_SOURCE, kPoint, MPI_COMM_WORLD);
    }
}

}  // namespace infersim::cli
#endif

// The simulator loop: a clock, a scheduler and an event budget. No hardware knowledge and no
// global state: several simulators can live in one process.
#pragma once
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "engine/scheduler.hpp"

namespace infersim::engine {

/// Thrown when a component schedules an event before the current time.
class CausalityError : public std::logic_error {
public:
    using std::logic_error::logic_error;
};

/// Thrown when a run exceeds its event budget (a runaway scenario).
class BudgetExceeded : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Simulator {
public:
    explicit Simulator(std::string_view scheduler = "heap");

    Tick now() const { return now_; }

    /// Schedules `target->handle(tag)` at absolute time `when` (>= now()). Lower priority
    /// values fire first among events at the same time.
    void schedule_at(Tick when, EventHandler& target, std::uint64_t tag = 0, std::int16_t priority = 0);
    /// Schedules after `delay` picoseconds from now.
    void schedule_in(Tick delay, EventHandler& target, std::uint64_t tag = 0, std::int16_t priority = 0) {
        schedule_at(delay > kTickMax - now_ ? kTickMax : now_ + delay, target, tag, priority);
    }

    /// Runs until no event is pending. Throws BudgetExceeded past `max_events` handled events.
    void run();
    /// Runs events with time <= `until`; leaves later events pending; now() becomes `until`.
    void run_until(Tick until);

    void set_event_budget(std::uint64_t max_events) { max_events_ = max_events; }
    /// Refuses events later than `limit` (BudgetExceeded): a run cannot overflow the clock.
    void set_time_limit(Tick limit) { time_limit_ = limit; }
    Tick time_limit() const { return time_limit_; }
    void reserve(std::size_t pending) { queue_->reserve(pending); }

    std::uint64_t events_handled() const { return handled_; }
    std::size_t pending() const { return queue_->size(); }

private:
    void dispatch_one();

    std::unique_ptr<Scheduler> queue_;
    Tick now_ = 0;
    std::uint64_t next_seq_ = 0;
    std::uint64_t handled_ = 0;
    std::uint64_t max_events_ = UINT64_MAX;
    Tick time_limit_ = kTickMax / 2;
};

}  // namespace infersim::engine

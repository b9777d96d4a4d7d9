// The event loop.
#include "engine/simulator.hpp"

namespace infersim::engine {

Simulator::Simulator(std::string_view scheduler) : queue_(make_scheduler(scheduler)) {}

void Simulator::schedule_at(Tick when, EventHandler& target, std::uint64_t tag, std::int16_t priority) {
    if (when < now_)
        throw CausalityError("event scheduled at " + std::to_string(when) + " ps, before now (" +
                             std::to_string(now_) + " ps)");
    if (next_seq_ > Event::kMaxSeq) throw BudgetExceeded("more than 2^48 events scheduled in one run");
    if (when > time_limit_)
        throw BudgetExceeded("simulated time would pass " + std::to_string(to_seconds(time_limit_)) +
                             " s (sim.budget.max_simulated_time)");
    queue_->push(Event{Event::make_key(when, priority, next_seq_++), &target, tag});
}

void Simulator::dispatch_one() {
    if (handled_ >= max_events_)
        throw BudgetExceeded("event budget of " + std::to_string(max_events_) +
                             " events exhausted at simulated time " + std::to_string(to_seconds(now_)) +
                             " s (raise it with --max-events)");
    Event e = queue_->pop();
    now_ = e.when();
    ++handled_;
    e.target->handle(*this, e.tag);
}

void Simulator::run() {
    while (!queue_->empty()) dispatch_one();
}

void Simulator::run_until(Tick until) {
    while (!queue_->empty() && queue_->top().when() <= until) dispatch_one();
    if (until > now_) now_ = until;
}

}  // namespace infersim::engine

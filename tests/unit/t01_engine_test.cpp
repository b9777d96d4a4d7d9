// Engine: ordering, causality, determinism, budget, and independence of simulators.
#include <gtest/gtest.h>

#include <vector>

#include "engine/simulator.hpp"

using namespace infersim::engine;

namespace {

struct Recorder : EventHandler {
    std::vector<std::pair<Tick, std::uint64_t>> seen;
    void handle(Simulator& sim, std::uint64_t tag) override { seen.emplace_back(sim.now(), tag); }
};

struct Chain : EventHandler {
    int remaining;
    Tick step;
    explicit Chain(int n, Tick s) : remaining(n), step(s) {}
    void handle(Simulator& sim, std::uint64_t) override {
        if (--remaining > 0) sim.schedule_in(step, *this);
    }
};

}  // namespace

TEST(Engine, events_fire_in_time_then_priority_then_insertion_order) {
    Simulator sim;
    Recorder r;
    sim.schedule_at(100, r, 1, 0);
    sim.schedule_at(50, r, 2, 0);
    sim.schedule_at(100, r, 3, -1);  // same time, higher priority
    sim.schedule_at(100, r, 4, 0);   // same time and priority as tag 1: after it
    sim.run();
    std::vector<std::pair<Tick, std::uint64_t>> want{{50, 2}, {100, 3}, {100, 1}, {100, 4}};
    EXPECT_EQ(r.seen, want);
}

TEST(Engine, scheduling_in_the_past_throws) {
    Simulator sim;
    Recorder r;
    sim.schedule_at(10, r);
    sim.run();
    EXPECT_THROW(sim.schedule_at(5, r), CausalityError);
}

TEST(Engine, two_simulators_in_one_process_are_independent) {
    Simulator a, b;
    Chain ca(10, 7), cb(3, 1000);
    a.schedule_at(0, ca);
    b.schedule_at(0, cb);
    a.run();
    b.run();
    EXPECT_EQ(a.now(), 63u);
    EXPECT_EQ(b.now(), 2000u);
    EXPECT_EQ(a.events_handled(), 10u);
    EXPECT_EQ(b.events_handled(), 3u);
}

TEST(Engine, event_budget_stops_a_runaway_chain) {
    Simulator sim;
    Chain endless(1 << 30, 1);
    sim.set_event_budget(1000);
    sim.schedule_at(0, endless);
    EXPECT_THROW(sim.run(), BudgetExceeded);
    EXPECT_EQ(sim.events_handled(), 1000u);
}

TEST(Engine, heap_implementations_agree_on_a_random_workload) {
    std::vector<std::vector<std::pair<Tick, std::uint64_t>>> orders;
    for (const char* impl : {"heap", "binary_heap", "calendar"}) {
        Simulator sim(impl);
        Recorder r;
        std::uint64_t x = 12345;
        for (int i = 0; i < 5000; ++i) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            sim.schedule_at((x >> 33) % 1000, r, static_cast<std::uint64_t>(i), static_cast<std::int16_t>((x >> 20) % 3));
        }
        sim.run();
        orders.push_back(r.seen);
    }
    EXPECT_EQ(orders[0], orders[1]);
    EXPECT_EQ(orders[0], orders[2]);
    for (std::size_t i = 1; i < orders[0].size(); ++i) EXPECT_LE(orders[0][i - 1].first, orders[0][i].first);
}

TEST(Engine, run_until_leaves_later_events_pending) {
    Simulator sim;
    Recorder r;
    sim.schedule_at(10, r, 1);
    sim.schedule_at(30, r, 2);
    sim.run_until(20);
    EXPECT_EQ(r.seen.size(), 1u);
    EXPECT_EQ(sim.now(), 20u);
    EXPECT_EQ(sim.pending(), 1u);
}

TEST(Engine, durations_round_once_from_fractional_periods) {
    // 8533 MT/s LPDDR5X: 937.5 ps clock. 1000 cycles must be exactly 937500 ps, not 1000 x 938.
    EXPECT_EQ(round_ps(1000 * 937.5), 937500u);
    EXPECT_EQ(from_ns(18), 18000u);
    EXPECT_EQ(round_ps(-5), 0u);
}

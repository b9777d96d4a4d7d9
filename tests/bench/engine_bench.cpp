// Engine throughput: the classic "hold" model. N events stay pending; each handled event
// schedules one more at a pseudo-random delay. Reports handled events per second.
#include <benchmark/benchmark.h>

#include "engine/simulator.hpp"

using namespace infersim::engine;

namespace {

struct Hold final : EventHandler {
    std::uint64_t x = 88172645463325252ULL;
    void handle(Simulator& sim, std::uint64_t tag) override {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        sim.schedule_in(1 + (x % 100000), *this, tag, static_cast<std::int16_t>(x & 3));
    }
};

void BM_EngineHold(benchmark::State& state, const char* scheduler) {
    const auto pending = static_cast<std::size_t>(state.range(0));
    const std::uint64_t per_iteration = 1'000'000;
    std::uint64_t total = 0;
    for (auto _ : state) {
        state.PauseTiming();
        Simulator sim(scheduler);
        Hold hold;
        sim.reserve(pending + 16);
        for (std::size_t i = 0; i < pending; ++i) sim.schedule_at(i * 7, hold, i);
        state.ResumeTiming();
        sim.set_event_budget(per_iteration);
        try {
            sim.run();
        } catch (const BudgetExceeded&) {
        }
        total += sim.events_handled();
    }
    state.counters["events_per_s"] = benchmark::Counter(static_cast<double>(total), benchmark::Counter::kIsRate);
}

}  // namespace

BENCHMARK_CAPTURE(BM_EngineHold, heap, "heap")->Arg(8)->Arg(100)->Arg(10000)->Arg(1000000)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_EngineHold, binary_heap, "binary_heap")->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_EngineHold, calendar, "calendar")->Arg(8)->Arg(100)->Arg(10000)->Arg(1000000)->Unit(benchmark::kMillisecond);

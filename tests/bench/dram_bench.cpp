// DRAM model throughput: column commands (bursts) per second of host time for the detailed
// channel model, requests per second for the fast one, on a stream (64 KB requests) and on
// random burst-sized reads, one channel and a 16-channel pool.
#include <benchmark/benchmark.h>

#include <cstdint>

#include "config/dram_standard.hpp"
#include "config/scenario_spec.hpp"
#include "hardware/detailed_channel.hpp"
#include "hardware/dram_channel.hpp"
#include "hardware/memory_pool.hpp"

using namespace infersim;

namespace {

config::PoolSpec preset_pool(const char* standard, int channels) {
    config::PoolSpec p;
    p.name = standard;
    p.standard = standard;
    p.channels = channels;
    p.capacity_bytes = 64.0 * (1ull << 30);
    p.timing = config::load_dram_standard(std::string(INFERSIM_SOURCE_DIR) + "/configs/dram/" + standard + ".yaml").timing;
    return p;
}

struct Random {
    std::uint64_t x = 88172645463325252ULL;
    std::uint64_t next() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return x;
    }
};

constexpr std::uint64_t kRequest = 64 * 1024;

void BM_DetailedChannelStream(benchmark::State& state, const char* standard) {
    const config::PoolSpec p = preset_pool(standard, 1);
    const hw::DetailedTiming t = hw::DetailedTiming::from(p);
    hw::DetailedChannel ch(t, 0);
    std::uint64_t address = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(ch.serve(0, address, kRequest, false));
        address += kRequest;
    }
    state.counters["bursts_per_s"] = benchmark::Counter(static_cast<double>(ch.counters().bursts), benchmark::Counter::kIsRate);
}

void BM_DetailedChannelRandom(benchmark::State& state, const char* standard) {
    const config::PoolSpec p = preset_pool(standard, 1);
    const hw::DetailedTiming t = hw::DetailedTiming::from(p);
    hw::DetailedChannel ch(t, 0);
    Random r;
    for (auto _ : state) benchmark::DoNotOptimize(ch.serve(0, (r.next() % (1ull << 25)) * t.burst_bytes, t.burst_bytes, false));
    state.counters["bursts_per_s"] = benchmark::Counter(static_cast<double>(ch.counters().bursts), benchmark::Counter::kIsRate);
}

void BM_FastChannelStream(benchmark::State& state, const char* standard) {
    const config::PoolSpec p = preset_pool(standard, 1);
    const hw::ChannelTiming t = hw::ChannelTiming::from(p);
    hw::DramChannel ch(t, 0.0);
    std::uint64_t requests = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(ch.serve(0, kRequest, false));
        ++requests;
    }
    state.counters["requests_per_s"] = benchmark::Counter(static_cast<double>(requests), benchmark::Counter::kIsRate);
    state.counters["bursts_per_s"] = benchmark::Counter(static_cast<double>(ch.counters().bursts), benchmark::Counter::kIsRate);
}

// A 16-channel pool: what the replayer calls, one request fanned out over channels.
void BM_Pool(benchmark::State& state, const char* standard, config::Fidelity fidelity, bool random) {
    const config::PoolSpec p = preset_pool(standard, 16);
    hw::NullSink sink;
    hw::MemoryPool pool(p, 0, sink, fidelity);
    const auto burst = static_cast<std::uint64_t>(hw::DetailedTiming::from(p).burst_bytes);
    Random r;
    std::uint64_t address = 0, requests = 0;
    for (auto _ : state) {
        if (random) {
            benchmark::DoNotOptimize(pool.access(0, (r.next() % (1ull << 30)) * burst, burst, false));
        } else {
            benchmark::DoNotOptimize(pool.access(0, address, kRequest, false));
            address += kRequest;
        }
        ++requests;
    }
    std::uint64_t bursts = 0;
    for (std::size_t c = 0; c < pool.channel_count(); ++c) bursts += pool.channel(c).counters().bursts;
    state.counters["requests_per_s"] = benchmark::Counter(static_cast<double>(requests), benchmark::Counter::kIsRate);
    state.counters["bursts_per_s"] = benchmark::Counter(static_cast<double>(bursts), benchmark::Counter::kIsRate);
}

}  // namespace

BENCHMARK_CAPTURE(BM_DetailedChannelStream, lpddr5x, "lpddr5x-8533")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_DetailedChannelStream, hbm3, "hbm3")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_DetailedChannelRandom, lpddr5x, "lpddr5x-8533");
BENCHMARK_CAPTURE(BM_DetailedChannelRandom, hbm3, "hbm3");
BENCHMARK_CAPTURE(BM_FastChannelStream, lpddr5x, "lpddr5x-8533");
BENCHMARK_CAPTURE(BM_Pool, fast_stream, "lpddr5x-8533", config::Fidelity::fast, false);
BENCHMARK_CAPTURE(BM_Pool, fast_random, "lpddr5x-8533", config::Fidelity::fast, true);
BENCHMARK_CAPTURE(BM_Pool, detailed_stream, "lpddr5x-8533", config::Fidelity::detailed, false)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Pool, detailed_random, "lpddr5x-8533", config::Fidelity::detailed, true);

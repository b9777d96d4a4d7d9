// The memory system at machine level: agents contending for a pool, tiered pools joined by
// links, llama.cpp-style layer offload, and the exactness of event coalescing.
#include <gtest/gtest.h>

#include "support/inputs.hpp"

using namespace infersim;

namespace {

using test::config_paths;
const auto make_scenario = [](const std::string& machine, const std::string& model, const std::string& quant, std::int64_t prompt,
                         std::int64_t gen) { return test::shipped_scenario(machine, model, quant, prompt, gen); };

output::Summary run(const config::ScenarioSpec& s) { return scenario::run(scenario::resolve_inputs(s, config_paths())).summary; }

config::AgentSpec agent(const std::string& name, double bytes_per_s, double start_s = 0) {
    config::AgentSpec a;
    a.name = name;
    a.bytes_per_s = bytes_per_s;
    a.start_s = start_s;
    return a;
}

}  // namespace

TEST(MemorySystem, contention_slows_decode_when_another_agent_streams) {
    config::ScenarioSpec alone = make_scenario("rtx-spark", "llama-3.1-8b", "q4_k_m", 128, 24);
    config::ScenarioSpec shared = alone;
    shared.agents.push_back(agent("cpu_job", 100e9));
    output::Summary a = run(alone), b = run(shared);
    EXPECT_LT(b.decode.tokens_per_s, 0.85 * a.decode.tokens_per_s);
    ASSERT_EQ(b.agents.size(), 2u);
    EXPECT_EQ(b.agents[1].name, "cpu_job");
    EXPECT_NEAR(b.agents[1].avg_bytes_per_s, 100e9, 5e9);  // it got the bandwidth it asked for
    // The model's traffic plus the agent's never exceeds what the pool can deliver.
    EXPECT_LT(b.agents[0].avg_bytes_per_s + b.agents[1].avg_bytes_per_s, b.pools[0].peak_bytes_per_s);
}

TEST(MemorySystem, coalesced_ops_and_per_tile_events_give_identical_results) {
    config::ScenarioSpec coalesced = make_scenario("rtx-spark", "llama-3.2-3b", "q4_k_m", 300, 6);
    config::ScenarioSpec per_tile = coalesced;
    per_tile.agents.push_back(agent("idle", 1e9, 1e6));  // present, so tiles are events, but silent
    output::Summary a = run(coalesced), b = run(per_tile);
    EXPECT_GT(b.events, 3 * a.events);
    for (output::Summary* s : {&a, &b}) {
        s->events = 0;
        s->wall_s = 0;
        s->agents.clear();
    }
    EXPECT_EQ(output::to_json(a).dump(), output::to_json(b).dump());
}

TEST(MemorySystem, spilled_model_decodes_no_faster_than_the_slower_pool_and_link_allow) {
    // GB300 DGX Station: 405B Q4_K_M fits in the 288 GB HBM3e; Q8_0 spills to LPDDR5X over C2C.
    scenario::Inputs q4 = scenario::resolve_inputs(make_scenario("nvidia-dgx-station", "llama-3.1-405b", "q4_k_m", 64, 3), config_paths());
    config::ScenarioSpec spill = make_scenario("nvidia-dgx-station", "llama-3.1-405b", "q8_0", 64, 3);
    spill.offload = config::Offload::stream;  // asked for: without it, what does not fit in HBM is refused
    scenario::Inputs q8 = scenario::resolve_inputs(spill, config_paths());
    output::Summary s4 = scenario::run(q4).summary, s8 = scenario::run(q8).summary;
    ASSERT_TRUE(s4.fits);
    ASSERT_TRUE(s8.fits);
    EXPECT_EQ(s4.pools[1].weight_bytes, 0u);  // nothing in LPDDR
    EXPECT_GT(s8.pools[1].weight_bytes, 100e9);
    EXPECT_LT(s8.decode.tokens_per_s, s4.decode.tokens_per_s / 4);
    // Bound: the spilled bytes at the slower of LPDDR5X and the C2C link, plus the HBM part.
    const double link = q8.machine.links[0].bandwidth;
    const double slow = std::min(link, q8.machine.pools[1].peak_bytes_per_s());
    const double bound = 1.0 / (static_cast<double>(s8.pools[1].weight_bytes) / slow +
                                static_cast<double>(s8.pools[0].weight_bytes) / q8.machine.pools[0].peak_bytes_per_s());
    EXPECT_LT(s8.decode.tokens_per_s, bound);
    EXPECT_GT(s8.decode.tokens_per_s, 0.6 * bound);
}

TEST(MemorySystem, offloaded_layers_run_on_the_cpu_like_llama_cpp) {
    // 8B Q8_0 does not fit in the laptop's 8 GB of VRAM; with 10 layers on the GPU the rest
    // run on the CPU from DDR5 (compute) instead of crossing PCIe every token (stream).
    config::ScenarioSpec s = make_scenario("laptop-rtx-4060", "llama-3.1-8b", "q8_0", 64, 9);
    s.gpu_layers = 10;
    s.offload = config::Offload::stream;  // asked for: below gpu_layers, layers are computed on the host by default
    scenario::Inputs in = scenario::resolve_inputs(s, config_paths());
    output::Summary streamed = scenario::run(in).summary;
    in.scenario.offload = config::Offload::compute;
    output::Summary computed = scenario::run(in).summary;
    EXPECT_GT(computed.decode.tokens_per_s, 2 * streamed.decode.tokens_per_s);
    EXPECT_LT(computed.decode.tokens_per_s, computed.decode_bw_ceiling_tokens_per_s);
    EXPECT_LT(streamed.decode.tokens_per_s, streamed.decode_bw_ceiling_tokens_per_s);
    // Ten of 32 layers in VRAM.
    const double layer = static_cast<double>(in.weights.layer_bytes(0));
    EXPECT_NEAR(static_cast<double>(computed.pools[0].weight_bytes) - static_cast<double>(in.weights.layer_bytes(-1)), 10 * layer,
                0.05 * layer);
}

TEST(MemorySystem, cache_keeps_the_kv_cache_while_it_fits) {
    // A system-level cache whose policy keeps the KV cache: while all layers' KV fits, its reads
    // and writes are hits and leave DRAM; a short context fits, a long one does not.
    auto with_cache = [](std::int64_t prompt) {
        config::ScenarioSpec s = make_scenario("rtx-spark", "llama-3.2-3b", "q4_0", prompt, 4);
        scenario::Inputs in = scenario::resolve_inputs(s, config_paths());
        config::CacheSpec& c = in.machine.caches.at(0);
        c.keep_kv = true;
        c.capacity_bytes = 64.0 * (1 << 20);  // 28 layers x 2 x 1 KiB per token: ~900 tokens of f16 KV
        return scenario::run(in).summary;
    };
    output::Summary short_ctx = with_cache(256), long_ctx = with_cache(4096);
    EXPECT_EQ(short_ctx.caches.at(0).miss_bytes, 0);
    EXPECT_NEAR(short_ctx.caches.at(0).hit_rate, 1.0, 1e-12);
    // At 4096 tokens (~470 MB of KV) the three decode steps read their KV from DRAM.
    EXPECT_GT(long_ctx.caches.at(0).miss_bytes, 3 * 0.9 * static_cast<double>(long_ctx.kv_bytes));
}

TEST(MemorySystem, detailed_and_fast_fidelity_agree_on_a_decode_run) {
    // A small model, so the per-burst model stays quick: decode streams weights, both channel
    // models must give the same tokens/s within the streaming agreement bound (3%).
    scenario::Inputs in = test::inputs(test::lpddr_machine_yaml(16), "name: small\nlayers: 4\nhidden: 2048\nheads: 16\nkv_heads: 4\nffn: 8192\nvocab: 32000\n",
                                     "q8_0", 32, 6);
    output::Summary fast = scenario::run(in).summary;
    in.scenario.sim.fidelity = config::Fidelity::detailed;
    output::Summary detailed = scenario::run(in).summary;
    EXPECT_EQ(detailed.fidelity, "detailed");
    EXPECT_NEAR(detailed.decode.tokens_per_s / fast.decode.tokens_per_s, 1.0, 0.03);
    EXPECT_NEAR(detailed.prefill.tokens_per_s / fast.prefill.tokens_per_s, 1.0, 0.05);
}

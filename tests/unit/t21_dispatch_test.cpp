// Decode stream and fixed per-step costs (issue 9): a GEMV streams at the slower of the unit's
// measured stream bandwidth and what the DRAM model delivers; a two-die part's stream is below
// the single-die figure by its fabric's stated factor; a decode step's fixed cost is its
// dependent dispatches x the cost of each, plus host work scaled by the host CPU, plus small
// kernels as cycles / clock. Closed-form answers, driven through the replayer.
#include <gtest/gtest.h>

#include <vector>

#include "config/runtime_spec.hpp"
#include "engine/simulator.hpp"
#include "hardware/compute/dispatch_cost.hpp"
#include "hardware/machine.hpp"
#include "hardware/stream_bench.hpp"
#include "replay/replayer.hpp"
#include "support/inputs.hpp"

using namespace infersim;

namespace {

using config::OpKind;
using engine::Tick;

// One step of ops, all independent of nothing but their order.
class OneStep final : public workload::StepSource {
public:
    explicit OneStep(std::vector<workload::Op> ops) {
        step_.phase = workload::Phase::decode;
        step_.emits = 1;
        step_.ops = std::move(ops);
        step_.deps = workload::OpGraph(step_.ops.size());
        for (std::size_t i = 1; i < step_.ops.size(); ++i) boost::add_edge(i - 1, i, step_.deps);
    }
    std::size_t step_count() const override { return 1; }
    const workload::Step& step(std::size_t) override { return step_; }
    std::uint64_t op_count() const override { return step_.ops.size(); }

private:
    workload::Step step_;
};

class Records final : public replay::ReplayObserver {
public:
    std::vector<replay::OpRecord> ops;
    void channel_busy(const hw::ChannelActivity&) override {}
    void link_busy(std::uint32_t, Tick, Tick, std::uint64_t) override {}
    void cache_busy(std::uint32_t, Tick, Tick, std::uint64_t) override {}
    void unit_busy(std::uint32_t, Tick, Tick, double) override {}
    void op_done(const replay::OpRecord& r) override { ops.push_back(r); }
    void tokens_emitted(Tick, std::uint32_t, std::uint32_t, workload::Phase) override {}
    void cache_lookup(std::uint32_t, std::uint64_t, std::uint64_t) override {}
    void agent_traffic(std::uint32_t, Tick, Tick, std::uint64_t) override {}
};

struct Replayed {
    double step_s = 0;
    std::vector<replay::OpRecord> ops;
};

// Replays one decode step of `ops` on `m` with `rt`; layer 0 lives in pool 0.
Replayed replay_step(const config::MachineSpec& m, const config::RuntimeSpec& rt, std::vector<workload::Op> ops) {
    engine::Simulator sim;
    sim.set_time_limit(engine::from_seconds(100));
    hw::NullSink sink;
    hw::Machine machine(m, sink);
    replay::Placement place;
    place.layer_pool = {0};
    place.layer_address = {0};
    place.kv_address = {0};
    place.order = {0};
    config::SimOptions opt;
    workload::WeightInventory weights;
    OneStep steps(std::move(ops));
    Records rec;
    replay::Replayer r(sim, machine, place, 0, rt, opt, weights, steps, rec);
    r.start();
    sim.run();
    return {engine::to_seconds(r.totals().end), rec.ops};
}

workload::Op gemv(std::uint64_t bytes) {
    workload::Op op;
    op.kind = OpKind::ffn_up;
    op.layer = 0;
    op.rows = 1;
    op.cols = 4096;
    op.matrix = true;
    op.weight_bytes = bytes;
    return op;
}

workload::Op small(OpKind kind) {
    workload::Op op;
    op.kind = kind;
    op.layer = 0;
    op.rows = 1;
    return op;
}

std::string machine_yaml(const std::string& unit_extra, const std::string& top_extra = "") {
    return "name: t21\nmemory:\n  lpddr:\n    standard: lpddr5x-8533\n    capacity: 16 GiB\n    channels: 16\n"
           "compute:\n  gpu:\n    count: 32\n    clock: 1 GHz\n    memory: lpddr\n    vector: {fp32: 256, fp16: 512}\n" +
           unit_extra + top_extra;
}

const std::uint64_t kBytes = 256ull << 20;

}  // namespace

TEST(DecodeStream, gemv_streams_at_the_units_measured_stream_bandwidth_when_it_is_below_the_dram_rate) {
    const config::MachineSpec m = test::machine_from(machine_yaml("    stream_bandwidth: 100 GB/s\n"));
    const Replayed r = replay_step(m, config::RuntimeSpec{}, {gemv(kBytes)});
    ASSERT_EQ(r.ops.size(), 1u);
    const double op_s = engine::to_seconds(r.ops[0].end - r.ops[0].start);
    EXPECT_NEAR(op_s, static_cast<double>(kBytes) / 100e9, 1e-9);  // ps rounding per tile only
}

TEST(DecodeStream, gemv_streams_at_the_dram_deliverable_rate_when_the_unit_could_pull_more) {
    const config::MachineSpec m = test::machine_from(machine_yaml("    stream_bandwidth: 10 TB/s\n"));
    hw::NullSink sink;
    const double deliverable = hw::Machine(m, sink).pool(0).deliverable_bytes_per_s();
    const Replayed r = replay_step(m, config::RuntimeSpec{}, {gemv(kBytes)});
    const double op_s = engine::to_seconds(r.ops[0].end - r.ops[0].start);
    EXPECT_NEAR(op_s, static_cast<double>(kBytes) / deliverable, 0.01 * op_s);
    EXPECT_GT(op_s, static_cast<double>(kBytes) / 10e12 * 10);  // the unit's limit is not what sets it
}

TEST(DecodeStream, a_legacy_gemv_bandwidth_still_derates_decode_gemvs) {
    const config::MachineSpec m = test::machine_from(machine_yaml(""));
    config::RuntimeSpec legacy;
    legacy.gemv_bandwidth_fraction = 0.5;
    hw::NullSink sink;
    const double deliverable = hw::Machine(m, sink).pool(0).deliverable_bytes_per_s();
    const Replayed r = replay_step(m, legacy, {gemv(kBytes)});
    EXPECT_NEAR(engine::to_seconds(r.ops[0].end - r.ops[0].start), static_cast<double>(kBytes) / (0.5 * deliverable), 1e-9);
}

TEST(Fabric, two_die_stream_is_the_single_die_stream_times_the_stated_crossing_factor) {
    config::FabricSpec f;
    f.dies = 2;
    f.crossing_efficiency = 0.8;
    EXPECT_DOUBLE_EQ(f.crossing_share(), 0.5);
    EXPECT_DOUBLE_EQ(f.stream_factor(), 1.0 / (0.5 + 0.5 / 0.8));
    EXPECT_DOUBLE_EQ(config::FabricSpec{}.stream_factor(), 1.0);
    // The same unit stream on two dies: the GEMV takes exactly 1 / factor longer.
    const std::string unit = "    stream_bandwidth: 100 GB/s\n";
    const double one = replay_step(test::machine_from(machine_yaml(unit)), config::RuntimeSpec{}, {gemv(kBytes)}).step_s;
    const double two = replay_step(test::machine_from(machine_yaml(unit, "fabric: {dies: 2, crossing_efficiency: 0.8}\n")),
                                   config::RuntimeSpec{}, {gemv(kBytes)}).step_s;
    EXPECT_NEAR(two / one, 1.0 / f.stream_factor(), 1e-6);
}

TEST(Fabric, shipped_ultra_streams_below_its_single_die_max_by_the_fabric_factor) {
    for (const auto& [ultra, max] : {std::pair{"apple-m2-ultra", "apple-m2-max"}, std::pair{"apple-m1-ultra", "apple-m1-max"}}) {
        const config::MachineSpec u = test::shipped(ultra, "llama-2-7b", "q4_0", 1, 1).machine;
        const config::MachineSpec s = test::shipped(max, "llama-2-7b", "q4_0", 1, 1).machine;
        ASSERT_EQ(u.fabric.dies, 2);
        ASSERT_EQ(s.fabric.dies, 1);
        auto eff = [](const config::MachineSpec& m) {
            const hw::StreamResult dram = hw::run_stream(m.pools[0], hw::StreamPattern::read, 256ull << 20);
            return hw::limit_to_unit(dram, m.pools[0], m.units[0], m.fabric).efficiency;
        };
        EXPECT_NEAR(eff(u) / eff(s), u.fabric.stream_factor(), 1e-9) << ultra;
        EXPECT_LT(eff(u), eff(s)) << ultra;
    }
}

namespace {

config::RuntimeSpec chain_runtime() {
    config::RuntimeSpec rt;
    rt.kernels[static_cast<std::size_t>(OpKind::norm)] = 2;
    rt.kernels[static_cast<std::size_t>(OpKind::qkv)] = 7;
    rt.kernels[static_cast<std::size_t>(OpKind::ffn_up)] = 3;
    config::DispatchSpec& d = rt.dispatch;
    d.present = true;
    d.dispatch_s = 1.5e-6;
    d.chain[static_cast<std::size_t>(OpKind::qkv)] = 3;  // norm and ffn_up: their kernel counts
    d.small_kernels[static_cast<std::size_t>(OpKind::norm)] = 2;
    d.small_kernels[static_cast<std::size_t>(OpKind::qkv)] = 4;
    d.small_kernels[static_cast<std::size_t>(OpKind::ffn_up)] = 1;
    d.small_kernel_cycles = 2000;
    d.host_per_node_s = 0.2e-6;
    d.host_per_step_s = 40e-6;
    return rt;
}

}  // namespace

TEST(FixedCost, decode_step_is_dispatches_times_their_cost_plus_host_work_plus_small_kernel_cycles_over_clock) {
    const config::RuntimeSpec rt = chain_runtime();
    auto step = [&](const std::string& clock) {
        std::string y = machine_yaml("", "host_cpu: {single_thread: 2}\n");
        y.replace(y.find("clock: 1 GHz"), 12, "clock: " + clock);
        return replay_step(test::machine_from(y), rt, {small(OpKind::norm), small(OpKind::qkv), small(OpKind::ffn_up)}).step_s;
    };
    const double dispatches = (2 + 3 + 3) * 1.5e-6;
    const double small_cycles = (2 + 4 + 1) * 2000.0;
    const double host = (40e-6 + 0.2e-6 * (2 + 7 + 3)) / 2;  // every kernel is a graph node
    const double full = step("1 GHz"), half = step("0.5 GHz");
    EXPECT_NEAR(full, dispatches + small_cycles / 1e9 + host, 1e-11);
    EXPECT_NEAR(half - full, small_cycles / 1e9, 1e-11);  // halve the clock: the small-kernel term doubles
}

TEST(FixedCost, host_work_scales_with_the_host_cpus_single_thread_speed_and_copies_logits) {
    const config::RuntimeSpec rt = chain_runtime();
    config::HostCpuSpec fast, slow;
    fast.single_thread = 2;
    slow.single_thread = 0.5;
    slow.d2h_bandwidth = 25e9;
    slow.d2h_latency = 10e-6;
    EXPECT_DOUBLE_EQ(hw::host_step_s(rt, fast, 100, 0), (40e-6 + 100 * 0.2e-6) / 2);
    EXPECT_DOUBLE_EQ(hw::host_step_s(rt, slow, 100, 128000), (40e-6 + 100 * 0.2e-6) / 0.5 + 10e-6 + 128000 / 25e9);
    config::RuntimeSpec legacy;
    legacy.host_overhead_s = 150e-6;
    EXPECT_DOUBLE_EQ(hw::host_step_s(legacy, slow, 100, 128000), 150e-6);  // no dispatch block: the flat figure
}

TEST(FixedCost, cuda_graphs_replay_batch_one_decode_but_not_prompts_batches_or_split_buffers) {
    config::RuntimeSpec rt;
    rt.kernels[static_cast<std::size_t>(OpKind::qkv)] = 10;
    rt.dispatch.present = true;
    rt.dispatch.dispatch_s = 0.9e-6;
    rt.dispatch.graph_dispatch_s = 0.5e-6;
    rt.dispatch.graph_max_batch = 1;
    hw::OpWork op;
    op.kind = OpKind::qkv;
    op.rows = 1;
    EXPECT_DOUBLE_EQ(hw::gpu_launch_s(op, rt, 1e9), 10 * 0.5e-6);
    op.rows = 2;
    EXPECT_DOUBLE_EQ(hw::gpu_launch_s(op, rt, 1e9), 10 * 0.9e-6);
    op.rows = 1;
    op.split_buffers = true;
    EXPECT_DOUBLE_EQ(hw::gpu_launch_s(op, rt, 1e9), 10 * 0.9e-6);
    op.split_buffers = false;
    op.prefill = true;
    op.rows = 512;
    EXPECT_DOUBLE_EQ(hw::gpu_launch_s(op, rt, 1e9), 10 * 0.9e-6);
}

TEST(DispatchConfig, runtime_dispatch_block_loads_and_rejects_unknown_keys_with_their_path) {
    auto load = [](const std::string& y) { return config::read_runtime(config::Node(config::load_yaml_text(y, "rt.yaml"), "rt.yaml")); };
    const config::RuntimeSpec rt = load(
        "name: x\ndispatch:\n  per_dispatch: 1.5 us\n  graph_dispatch: 0.5 us\n  chain: {qkv: 3}\n  small_kernels: {norm: 2}\n"
        "  small_kernel_cycles: 2000\n  host_per_node: 0.15 us\n  host_per_step: 30 us\n  logits_copy: false\n");
    EXPECT_TRUE(rt.dispatch.present);
    EXPECT_DOUBLE_EQ(rt.dispatch.dispatch_s, 1.5e-6);
    EXPECT_DOUBLE_EQ(rt.dispatch.graph_dispatch_s, 0.5e-6);
    EXPECT_EQ(rt.dispatch.chain[static_cast<std::size_t>(OpKind::qkv)], 3);
    EXPECT_EQ(rt.dispatch.chain[static_cast<std::size_t>(OpKind::norm)], -1);
    EXPECT_EQ(rt.dispatch.small_kernels[static_cast<std::size_t>(OpKind::norm)], 2);
    EXPECT_FALSE(rt.dispatch.logits_copy);
    try {
        load("name: x\ndispatch:\n  per_dispach: 1 us\n");
        FAIL() << "an unknown key must be refused";
    } catch (const config::InputError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("rt.yaml:3"), std::string::npos) << what;
        EXPECT_NE(what.find("per_dispatch"), std::string::npos) << what;  // the hint
    }
    EXPECT_FALSE(load("name: old\nlaunch_overhead: 1 us\nhost_overhead: 150 us\ngemv_bandwidth: 0.85\n").dispatch.present);
}

TEST(DispatchConfig, machine_stream_fabric_and_host_cpu_fields_load) {
    const config::MachineSpec m = test::machine_from(
        machine_yaml("    stream_bandwidth: 340 GB/s\n", "fabric: {dies: 2, crossing_efficiency: 0.97}\nhost_cpu: {single_thread: 1.3, d2h_bandwidth: 25 GB/s, d2h_latency: 10 us}\n"));
    EXPECT_DOUBLE_EQ(m.units[0].stream_bytes_per_s, 340e9);
    EXPECT_EQ(m.fabric.dies, 2);
    EXPECT_DOUBLE_EQ(m.fabric.crossing_efficiency, 0.97);
    EXPECT_DOUBLE_EQ(m.host_cpu.single_thread, 1.3);
    EXPECT_DOUBLE_EQ(m.host_cpu.d2h_bandwidth, 25e9);
    EXPECT_DOUBLE_EQ(m.host_cpu.d2h_latency, 10e-6);
    EXPECT_THROW(test::machine_from(machine_yaml("", "fabric: {dies: 0}\n")), config::InputError);
}

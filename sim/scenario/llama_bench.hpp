// Predictions of llama.cpp's llama-bench: pp<p> is a p-token prompt processed in ubatches (-ub,
// at most -b), tg<n> is n tokens generated one by one, pp<p>+tg<n> both, each after -d tokens
// already in the KV cache (whose prefill is not simulated: llama-bench does not time it). All
// are simulated runs of the scenario's machine and runtime; -fa, -ngl, -ctk and -ctv override
// the scenario per test.
#pragma once
#include <cstdint>
#include <vector>

#include "scenario/bench_format.hpp"
#include "scenario/bench_plan.hpp"
#include "scenario/scenario_run.hpp"

namespace infersim::scenario {

/// The `--json` contract of `infersim bench` (one pp and one tg test, default settings).
struct BenchResult {
    std::uint64_t p = 0, n = 0;
    double pp_tokens_per_s = 0;
    double tg_tokens_per_s = 0;
    std::uint64_t weights_bytes = 0;
    std::uint64_t params = 0;
    std::uint64_t events = 0;
};

BenchResult predict_llama_bench(const Inputs& in, std::uint64_t p, std::uint64_t n);

/// `in` set up for one test's prompt part (gen 0) or generation part (prompt 0), before run().
Inputs bench_inputs(const Inputs& in, const BenchTest& t, bool prompt_part);
/// Simulated seconds of one test: its prompt part, then its generation part at depth + p.
double bench_test_seconds(const Inputs& in, const BenchTest& t);
/// Every test, timed.
std::vector<BenchRow> run_bench(const Inputs& in, const std::vector<BenchTest>& tests, int repetitions);
/// What llama-bench prints about the model and machine: model_type "llama 7B Q4_0", sizes, backend.
BenchInfo bench_info(const Inputs& in);

}  // namespace infersim::scenario

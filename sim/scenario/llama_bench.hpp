// Predictions of llama.cpp's llama-bench: pp<p> is a p-token prompt processed as one batch
// (in ubatches of at most 512, llama-bench's default -ub), tg<n> is n tokens generated one by
// one from an empty context. Both are simulated runs of the scenario's machine and runtime.
#pragma once
#include <cstdint>

#include "scenario/scenario_run.hpp"

namespace infersim::scenario {

struct BenchResult {
    std::uint64_t p = 0, n = 0;
    double pp_tokens_per_s = 0;
    double tg_tokens_per_s = 0;
    std::uint64_t weights_bytes = 0;
    std::uint64_t params = 0;
    std::uint64_t events = 0;
};

BenchResult predict_llama_bench(const Inputs& in, std::uint64_t p, std::uint64_t n);

}  // namespace infersim::scenario

// llama-bench predictions.
#include "scenario/llama_bench.hpp"

#include <algorithm>

namespace infersim::scenario {

BenchResult predict_llama_bench(const Inputs& in, std::uint64_t p, std::uint64_t n) {
    BenchResult r;
    r.p = p;
    r.n = n;
    r.weights_bytes = in.weights.total_bytes();
    for (const auto& t : in.weights.tensors) r.params += t.elements;
    if (p > 0) {
        Inputs pp = in;
        pp.scenario.prompt = static_cast<std::int64_t>(p);
        pp.scenario.gen = 0;
        pp.scenario.batch = 1;
        pp.scenario.ubatch = std::min<std::int64_t>(512, static_cast<std::int64_t>(p));
        RunOutput o = run(pp);
        r.pp_tokens_per_s = o.summary.prefill.tokens_per_s;
        r.events += o.summary.events;
    }
    if (n > 0) {
        Inputs tg = in;
        tg.scenario.prompt = 0;
        tg.scenario.gen = static_cast<std::int64_t>(n);
        tg.scenario.batch = 1;
        RunOutput o = run(tg);
        r.tg_tokens_per_s = o.summary.decode.tokens_per_s;
        r.events += o.summary.events;
    }
    return r;
}

}  // namespace infersim::scenario

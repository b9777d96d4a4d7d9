// The `serving:` section of a scenario: how requests arrive, how long they are, which scheduler
// policy admits them into batches, speculative decoding, and the SLO that goodput counts against.
#pragma once
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "config/errors.hpp"
#include "config/yaml_node.hpp"

namespace infersim::config {

/// A token-length distribution: fixed N, uniform [min, max], lognormal (median, sigma), or an
/// empirical list of values (optionally weighted).
struct LengthDist {
    enum class Kind { fixed, uniform, lognormal, empirical } kind = Kind::fixed;
    double value = 0;                  // fixed
    double min = 1, max = 1;           // uniform; also the clamp of lognormal
    double median = 0, sigma = 0;      // lognormal
    std::vector<double> values, weights;  // empirical
    static LengthDist fixed_at(double n) {
        LengthDist d;
        d.value = n;
        return d;
    }
};

struct ArrivalSpec {
    enum class Process { poisson, gamma, closed, trace } process = Process::poisson;
    double rate_per_s = 1;             // poisson, gamma
    double cv = 1;                     // gamma: coefficient of variation of the gaps (1 = poisson, > 1 bursty)
    std::int64_t requests = 100;
    std::uint64_t seed = 1;
    std::int64_t clients = 1;          // closed: each waits think_s after a reply, then sends again
    double think_s = 0;
    std::string trace_file;            // trace: CSV rows arrival_s,prompt,gen
    SourceLocation where;
};

/// Shared prefixes (system prompts, agent tool preambles): `groups` distinct prefixes of
/// `tokens` tokens; a request carries one (picked uniformly) with probability `fraction`, and
/// its prompt length counts the prefix.
struct PrefixSpec {
    std::int64_t groups = 0;
    std::int64_t tokens = 0;
    double fraction = 1;
};

enum class Priority { decode_first, prefill_first };
enum class Preemption { recompute, swap };

struct SchedulerSpec {
    std::string name = "vllm";         // the profile it came from (configs/serving)
    std::int64_t max_num_seqs = 256;
    std::int64_t max_num_batched_tokens = 2048;  // token budget per step
    bool chunked_prefill = true;
    Priority priority = Priority::decode_first;
    std::int64_t block_size = 16;      // KV tokens per page
    double memory_fraction = 0.9;      // of the pool after weights, for KV pages
    std::int64_t kv_blocks = 0;        // > 0: this many pages, whatever the memory
    Preemption preemption = Preemption::recompute;
    bool prefix_caching = true;
};

struct SpeculativeSpec {
    enum class Method { none, draft, ngram } method = Method::none;
    std::string draft_model;           // draft: a model name or path
    SourceLocation draft_where;
    std::int64_t k = 4;                // tokens drafted per target pass
    double acceptance = 0.7;           // probability each drafted token is accepted
};

struct SloSpec {
    double ttft_s = 2.0;               // ASSUMPTION: a chat-style SLO; set it per workload
    double tpot_s = 0.1;
};

struct ServingSpec {
    bool present = false;
    ArrivalSpec arrivals;
    LengthDist prompt = LengthDist::fixed_at(512), gen = LengthDist::fixed_at(128);
    PrefixSpec prefix;
    Node scheduler_node;               // as written (layered over its profile when resolved)
    std::string profile;               // scheduler.profile, empty: built-in defaults (vLLM's)
    SourceLocation profile_where;
    SchedulerSpec scheduler;
    SpeculativeSpec speculative;
    SloSpec slo;
    // Not exact (off by default): the step cache rounds each sequence's context up to a multiple
    // of this many tokens, in the key and in the step replayed.
    std::int64_t context_bucket = 0;
    // Not exact: a step's decode slices are priced by linear interpolation between two
    // reference steps whose decode contexts are all their mean, rounded down and up to a
    // multiple of this many tokens (serving/context_grid.hpp). -1 (unset): 64 at rapid
    // fidelity, 0 (exact) otherwise.
    std::int64_t context_grid = -1;
    std::string base_dir;
};

/// Reads the `serving:` mapping (the scheduler fields are read by read_scheduler, once the
/// profile is known).
ServingSpec read_serving(const Node& n);
/// Reads scheduler fields from `n` (the scenario's scheduler block, layered over its profile).
SchedulerSpec read_scheduler(const Node& n);
void describe_serving_schema(std::ostream& out);

}  // namespace infersim::config

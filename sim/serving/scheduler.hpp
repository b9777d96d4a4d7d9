// Continuous batching with a vLLM-like policy: every step, running sequences get their next
// tokens (one per decode, k + 1 when verifying drafts, a prompt chunk while prefilling) and
// waiting requests are admitted in arrival order, within a token budget and a sequence limit;
// KV pages are reserved for what a step computes, and when they run out the most recently
// admitted running sequence is preempted (its pages freed, its tokens recomputed later).
#pragma once
#include <cstdint>
#include <deque>
#include <vector>

#include "config/serving_spec.hpp"
#include "engine/time.hpp"
#include "serving/batch.hpp"
#include "serving/kv_pages.hpp"
#include "serving/requests.hpp"
#include "serving/rng.hpp"

namespace infersim::serving {

struct Sequence {
    Request req;
    std::uint64_t tokens = 0;       // known: prompt + generated
    std::uint64_t computed = 0;     // tokens whose KV is in the cache
    std::uint32_t generated = 0;
    std::uint32_t preemptions = 0;
    std::uint64_t cached_tokens = 0;  // prompt tokens found in the prefix cache (all admissions)
    std::vector<std::uint32_t> pages;
    engine::Tick first_token = 0, finish = 0;
    bool done = false;
};

/// One step's plan: which sequence computes how many tokens.
struct Planned {
    std::uint32_t seq;
    std::uint32_t tokens;
    bool verify;                    // decoding with k drafts
};

class Scheduler {
public:
    Scheduler(const config::SchedulerSpec& spec, const config::SpeculativeSpec& speculative, KvPages& kv);

    void arrive(const Request& r);
    /// Forms the next step; empty when nothing can run.
    const std::vector<Planned>& plan();
    /// The shape of the planned step (the target model's pass).
    BatchShape shape() const;
    /// The draft model's pass `j` (0..k-1) for this plan: prompt chunks in pass 0, every
    /// verifying sequence one token at its draft position.
    BatchShape draft_shape(std::uint32_t j) const;
    /// Applies the step ending at `end`; returns the sequences that finished.
    std::vector<std::uint32_t> complete(engine::Tick end, Rng& rng);

    const std::vector<Sequence>& sequences() const { return seqs_; }
    std::size_t waiting() const { return waiting_.size(); }
    std::size_t running() const { return running_.size(); }
    std::uint64_t preemptions() const { return preemptions_; }
    /// Verified passes and the tokens they produced (accepted + 1, before a request's end cuts it).
    std::uint64_t verify_passes() const { return verify_passes_; }
    std::uint64_t verify_tokens() const { return verify_tokens_; }

private:
    bool speculating(const Sequence& s) const;
    void schedule_running();
    void schedule_waiting();
    /// Reserves pages for `tokens` more of `s`, preempting from the back of the running list;
    /// false if `s` itself was preempted.
    bool reserve(std::uint32_t id, std::uint64_t tokens);
    void preempt(std::uint32_t id);
    void publish_prefix(Sequence& s);

    config::SchedulerSpec spec_;
    config::SpeculativeSpec speculative_;
    KvPages& kv_;
    std::vector<Sequence> seqs_;
    std::deque<std::uint32_t> waiting_;
    std::vector<std::uint32_t> running_;
    std::vector<Planned> plan_;
    std::int64_t budget_ = 0;
    std::uint64_t preemptions_ = 0, verify_passes_ = 0, verify_tokens_ = 0;
};

}  // namespace infersim::serving

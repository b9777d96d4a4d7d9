// The continuous-batching policy (see scheduler.hpp).
#include "serving/scheduler.hpp"

#include <algorithm>

#include "config/errors.hpp"

namespace infersim::serving {

using config::SpeculativeSpec;

Scheduler::Scheduler(const config::SchedulerSpec& spec, const config::SpeculativeSpec& speculative, KvPages& kv)
    : spec_(spec), speculative_(speculative), kv_(kv) {}

void Scheduler::arrive(const Request& r) {
    Sequence s;
    s.req = r;
    s.tokens = r.prompt;
    seqs_.push_back(std::move(s));
    waiting_.push_back(static_cast<std::uint32_t>(seqs_.size() - 1));
}

bool Scheduler::speculating(const Sequence& s) const {
    return speculative_.method != SpeculativeSpec::Method::none && s.generated > 0 && s.tokens - s.computed == 1;
}

void Scheduler::preempt(std::uint32_t id) {
    Sequence& s = seqs_[id];
    kv_.release(s.pages);
    s.computed = 0;  // recompute: prompt and generated tokens are prefilled again
    ++s.preemptions;
    ++preemptions_;
    running_.erase(std::find(running_.begin(), running_.end(), id));
    for (const Planned& p : plan_)
        if (p.seq == id) budget_ += p.tokens;  // admitted earlier in this step (prefill_first)
    plan_.erase(std::remove_if(plan_.begin(), plan_.end(), [&](const Planned& p) { return p.seq == id; }), plan_.end());
    waiting_.push_front(id);
}

bool Scheduler::reserve(std::uint32_t id, std::uint64_t tokens) {
    Sequence& s = seqs_[id];
    while (!kv_.reserve(s.pages, s.computed + tokens)) {
        const std::uint32_t victim = running_.back();
        if (victim == id && running_.size() == 1)
            throw config::InputError(config::SourceLocation{"serving"}, "serving.scheduler",
                                     "request " + std::to_string(s.req.id) + " needs " + std::to_string(s.computed + tokens) +
                                         " tokens of KV, more than the cache's " + std::to_string(kv_.pages()) + " pages of " +
                                         std::to_string(kv_.page_tokens()) + " tokens hold");
        preempt(victim);
        if (victim == id) return false;
    }
    return true;
}

void Scheduler::schedule_running() {
    // Oldest first; the list may shrink as later sequences are preempted.
    for (std::size_t i = 0; i < running_.size() && budget_ > 0; ++i) {
        const std::uint32_t id = running_[i];
        if (std::any_of(plan_.begin(), plan_.end(), [&](const Planned& p) { return p.seq == id; })) continue;
        const Sequence& s = seqs_[id];
        const bool verify = speculating(s);
        const std::uint64_t need = verify ? 1 + static_cast<std::uint64_t>(speculative_.k) : s.tokens - s.computed;
        const auto n = static_cast<std::uint32_t>(std::min<std::uint64_t>(need, static_cast<std::uint64_t>(budget_)));
        if (n < need && (verify || !spec_.chunked_prefill)) continue;
        if (!reserve(id, n)) break;
        plan_.push_back(Planned{id, n, verify});
        budget_ -= n;
    }
}

void Scheduler::schedule_waiting() {
    while (budget_ > 0 && !waiting_.empty() && running_.size() < static_cast<std::size_t>(spec_.max_num_seqs)) {
        const std::uint32_t id = waiting_.front();
        Sequence& s = seqs_[id];
        if (spec_.prefix_caching && s.req.prefix_group >= 0 && s.pages.empty()) {
            // Whole cached pages of the prefix, leaving at least one token to compute.
            const auto usable = std::min<std::uint64_t>(s.req.prefix_tokens, s.tokens - 1) / kv_.page_tokens();
            const std::uint32_t hit = kv_.lookup(s.req.prefix_group, static_cast<std::uint32_t>(usable), s.pages);
            s.computed = static_cast<std::uint64_t>(hit) * kv_.page_tokens();
            s.cached_tokens += s.computed;
        }
        const std::uint64_t need = s.tokens - s.computed;
        const auto n = static_cast<std::uint32_t>(std::min<std::uint64_t>(need, static_cast<std::uint64_t>(budget_)));
        if ((n < need && !spec_.chunked_prefill) || !kv_.reserve(s.pages, s.computed + n)) {
            s.cached_tokens -= s.computed;
            kv_.release(s.pages);  // admission never preempts; the prefix pages go back to the cache
            s.computed = 0;
            break;
        }
        waiting_.pop_front();
        running_.push_back(id);
        plan_.push_back(Planned{id, n, false});
        budget_ -= n;
    }
}

const std::vector<Planned>& Scheduler::plan() {
    plan_.clear();
    budget_ = spec_.max_num_batched_tokens;
    if (spec_.priority == config::Priority::prefill_first) {
        schedule_waiting();
        schedule_running();
    } else {
        schedule_running();
        schedule_waiting();
    }
    return plan_;
}

BatchShape Scheduler::shape() const {
    BatchShape b;
    for (const Planned& p : plan_) {
        const Sequence& s = seqs_[p.seq];
        const std::uint32_t logits = p.verify ? p.tokens : (s.computed + p.tokens == s.tokens ? 1u : 0u);
        b.slices.push_back(Slice{p.tokens, s.computed, logits, s.generated > 0});
    }
    return b;
}

BatchShape Scheduler::draft_shape(std::uint32_t j) const {
    BatchShape b;
    for (const Planned& p : plan_) {
        const Sequence& s = seqs_[p.seq];
        if (p.verify) b.slices.push_back(Slice{1, s.computed + j, 1, true});
        else if (j == 0) b.slices.push_back(Slice{p.tokens, s.computed, 0, false});  // the draft keeps its own KV of the prompt
    }
    return b;
}

void Scheduler::publish_prefix(Sequence& s) {
    if (!spec_.prefix_caching || s.req.prefix_group < 0) return;
    const std::uint64_t full = std::min<std::uint64_t>(s.computed, s.req.prefix_tokens) / kv_.page_tokens();
    for (std::uint32_t i = 0; i < full; ++i) kv_.publish(s.req.prefix_group, i, s.pages);
}

std::vector<std::uint32_t> Scheduler::complete(engine::Tick end, Rng& rng) {
    std::vector<std::uint32_t> finished;
    for (const Planned& p : plan_) {
        Sequence& s = seqs_[p.seq];
        std::uint64_t emitted = 0;
        if (p.verify) {
            // Each draft is accepted with probability a until the first rejection; the target's
            // own token follows: 1 + accepted tokens, (1 - a^(k+1)) / (1 - a) on average.
            std::uint32_t accepted = 0;
            while (accepted < static_cast<std::uint32_t>(speculative_.k) && rng.uniform() < speculative_.acceptance) ++accepted;
            ++verify_passes_;
            verify_tokens_ += accepted + 1u;
            emitted = std::min<std::uint64_t>(accepted + 1u, s.req.gen - s.generated);
            s.computed += emitted;
        } else {
            s.computed += p.tokens;
            if (s.computed == s.tokens) emitted = 1;
        }
        publish_prefix(s);
        if (emitted == 0) continue;
        if (s.generated == 0) s.first_token = end;
        s.generated += static_cast<std::uint32_t>(emitted);
        s.tokens += emitted;
        if (s.generated >= s.req.gen) {
            s.done = true;
            s.finish = end;
            kv_.release(s.pages);
            running_.erase(std::find(running_.begin(), running_.end(), p.seq));
            finished.push_back(p.seq);
        }
    }
    return finished;
}

}  // namespace infersim::serving

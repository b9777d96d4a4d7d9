// The serving event loop (see serve_sim.hpp).
#include "serving/serve_sim.hpp"

#include <algorithm>
#include <queue>

#include "serving/context_grid.hpp"
#include "serving/requests.hpp"

namespace infersim::serving {
namespace {

struct Later {
    bool operator()(const Request& a, const Request& b) const { return a.arrival != b.arrival ? a.arrival > b.arrival : a.id > b.id; }
};

// context_bucket (not exact, off by default): contexts rounded up, in the key and the replay.
BatchShape bucketed(BatchShape b, std::int64_t bucket) {
    if (bucket > 1)
        for (Slice& s : b.slices) s.context = (s.context + static_cast<std::uint64_t>(bucket) - 1) / static_cast<std::uint64_t>(bucket) * static_cast<std::uint64_t>(bucket);
    return b;
}

// The cost of one pass of `shape` (context_grid only without a hardware timeline: it needs
// each step's own activity).
StepResult pass(const BatchShape& shape, StepCache& cache, StepBuilder& builder, const ServeModels& m, const config::ServingSpec& spec) {
    const BatchShape b = bucketed(shape, spec.context_bucket);
    if (spec.context_grid > 0 && !m.timeline) return on_context_grid(b, static_cast<std::uint64_t>(spec.context_grid), cache, builder);
    return cache.get(b, builder);
}

void place(const ServeModels& m, const StepResult& r, engine::Tick at) {
    if (m.timeline && r.activity) m.timeline->add(*r.activity, at);
}

// Target pass plus the draft passes a step needs; returns the step's time and energy (summed
// in this order). The step starts at `now`; on the timeline the drafts run first, then the
// target pass that verifies them.
StepResult price(const Scheduler& sched, const ServeModels& m, const config::ServingSpec& spec, ServeTotals& t, engine::Tick now) {
    const config::SpeculativeSpec& sp = spec.speculative;
    StepResult r = pass(sched.shape(), *m.target_cost, *m.target, m, spec);
    ++t.target_passes;
    const engine::Tick target = r.duration;
    for (std::uint32_t j = 0; m.draft && j < static_cast<std::uint32_t>(sp.k); ++j) {
        const BatchShape b = sched.draft_shape(j);
        if (b.slices.empty()) break;
        const StepResult d = pass(b, *m.draft_cost, *m.draft, m, spec);
        place(m, d, now + (r.duration - target));
        r.duration += d.duration;
        r.energy_j += d.energy_j;
        ++t.draft_passes;
    }
    place(m, r, now + (r.duration - target));
    return r;
}

}  // namespace

ServeTotals simulate(const config::ServingSpec& spec, std::uint64_t kv_pages, std::uint32_t max_context, const ServeModels& models) {
    ServeTotals t;
    KvPages kv(kv_pages, static_cast<std::uint32_t>(spec.scheduler.block_size));
    Scheduler sched(spec.scheduler, spec.speculative, kv);
    RequestStream stream(spec, max_context);
    Rng accept_rng(spec.arrivals.seed ^ 0x9e3779b97f4a7c15ull);  // its own stream: acceptance draws do not shift arrivals
    std::priority_queue<Request, std::vector<Request>, Later> pending;
    for (const Request& r : stream.initial()) pending.push(r);
    std::uint64_t total = pending.size(), finished = 0;
    if (stream.closed()) total = static_cast<std::uint64_t>(spec.arrivals.requests);
    engine::Tick now = 0;
    while (finished < total) {
        while (!pending.empty() && pending.top().arrival <= now) {
            sched.arrive(pending.top());
            pending.pop();
        }
        const std::vector<Planned>& plan = sched.plan();
        if (plan.empty()) {
            if (pending.empty()) break;  // nothing left that could run (cannot happen with a consistent stream)
            t.idle_energy_j += models.idle_power_w * engine::to_seconds(pending.top().arrival - now);
            if (models.timeline) models.timeline->add_constant_power(now, pending.top().arrival);
            now = pending.top().arrival;
            continue;
        }
        StepRecord rec;
        rec.start = now;
        rec.waiting = static_cast<std::uint32_t>(sched.waiting());
        rec.batch = static_cast<std::uint32_t>(plan.size());
        for (const Planned& p : plan) rec.tokens += p.tokens;
        rec.kv_occupancy = kv.pages() ? static_cast<double>(kv.used()) / static_cast<double>(kv.pages()) : 0;
        t.peak_kv_occupancy = std::max(t.peak_kv_occupancy, rec.kv_occupancy);
        const StepResult r = price(sched, models, spec, t, now);
        now += std::max<engine::Tick>(1, r.duration);
        t.busy_energy_j += r.energy_j;
        for (std::uint32_t id : sched.complete(now, accept_rng)) {
            ++finished;
            Request next;
            if (stream.closed() && stream.next_closed(sched.sequences()[id].req.client, now, next)) pending.push(next);
        }
        rec.end = now;
        rec.preemptions = sched.preemptions();
        t.steps.push_back(rec);
    }
    t.sequences = sched.sequences();
    t.end = now;
    t.preemptions = sched.preemptions();
    t.verify_passes = sched.verify_passes();
    t.verify_tokens = sched.verify_tokens();
    t.cache_hits = models.target_cost->hits() + (models.draft_cost ? models.draft_cost->hits() : 0);
    t.cache_misses = models.target_cost->misses() + (models.draft_cost ? models.draft_cost->misses() : 0);
    t.kv_pages = kv.pages();
    t.page_tokens = kv.page_tokens();
    return t;
}

}  // namespace infersim::serving

// Request streams: arrival times (poisson, gamma, trace file; closed-loop clients are driven by
// the simulator through next_closed()), prompt and output lengths from their distributions,
// and shared-prefix groups. Deterministic for a seed.
#pragma once
#include <cstdint>
#include <vector>

#include "config/serving_spec.hpp"
#include "engine/time.hpp"
#include "serving/rng.hpp"

namespace infersim::serving {

struct Request {
    std::uint32_t id = 0;
    engine::Tick arrival = 0;
    std::uint32_t prompt = 0;          // tokens, the shared prefix included
    std::uint32_t gen = 1;
    std::int32_t prefix_group = -1;    // -1: no shared prefix
    std::uint32_t prefix_tokens = 0;
    std::uint32_t client = 0;          // closed loop: who sent it
};

/// One length drawn from `d`, at least `min`.
std::uint32_t draw_length(const config::LengthDist& d, Rng& rng, std::uint32_t min);

class RequestStream {
public:
    /// `max_context`: prompt + gen is clamped below it (0: no limit).
    RequestStream(const config::ServingSpec& spec, std::uint32_t max_context);
    /// The open-loop requests (poisson, gamma, trace), or the first one per closed-loop client.
    std::vector<Request> initial();
    /// Closed loop: the next request of `client`, sent `think` after `reply` at `now`; none once
    /// all requests are issued (returns false).
    bool next_closed(std::uint32_t client, engine::Tick now, Request& out);
    bool closed() const { return spec_.arrivals.process == config::ArrivalSpec::Process::closed; }

private:
    Request make(engine::Tick at, std::uint32_t client);
    std::vector<Request> from_trace();
    const config::ServingSpec& spec_;
    std::uint32_t max_context_;
    Rng rng_;
    std::uint32_t issued_ = 0;
};

}  // namespace infersim::serving

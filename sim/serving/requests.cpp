// Request streams: arrivals, lengths and prefix groups drawn from one seeded stream, in
// request order, so a run is the same whatever else changes.
#include "serving/requests.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "config/errors.hpp"

namespace infersim::serving {

using config::ArrivalSpec;
using config::LengthDist;

std::uint32_t draw_length(const LengthDist& d, Rng& rng, std::uint32_t min) {
    double v = d.value;
    switch (d.kind) {
        case LengthDist::Kind::fixed: break;
        case LengthDist::Kind::uniform: v = d.min + std::floor(rng.uniform() * (d.max - d.min + 1)); break;
        case LengthDist::Kind::lognormal:
            v = std::clamp(std::round(d.median * std::exp(d.sigma * rng.normal())), d.min, d.max);
            break;
        case LengthDist::Kind::empirical: {
            double total = 0;
            for (std::size_t i = 0; i < d.values.size(); ++i) total += d.weights.empty() ? 1 : d.weights[i];
            double x = rng.uniform() * total;
            v = d.values.back();
            for (std::size_t i = 0; i < d.values.size(); ++i) {
                x -= d.weights.empty() ? 1 : d.weights[i];
                if (x < 0) { v = d.values[i]; break; }
            }
            break;
        }
    }
    return std::max(min, static_cast<std::uint32_t>(std::max(0.0, v)));
}

RequestStream::RequestStream(const config::ServingSpec& spec, std::uint32_t max_context)
    : spec_(spec), max_context_(max_context), rng_(spec.arrivals.seed) {}

Request RequestStream::make(engine::Tick at, std::uint32_t client) {
    Request r;
    r.id = issued_++;
    r.arrival = at;
    r.client = client;
    r.prompt = draw_length(spec_.prompt, rng_, 1);
    r.gen = draw_length(spec_.gen, rng_, 1);
    const config::PrefixSpec& p = spec_.prefix;
    if (p.groups > 0 && rng_.uniform() < p.fraction) {
        r.prefix_group = static_cast<std::int32_t>(rng_.below(static_cast<std::uint64_t>(p.groups)));
        r.prefix_tokens = static_cast<std::uint32_t>(p.tokens);
        r.prompt += r.prefix_tokens;  // the prefix comes before the request's own prompt
    }
    if (max_context_ > 0 && r.prompt + r.gen > max_context_) {
        r.prompt = std::min(r.prompt, max_context_ - 1);
        r.gen = std::max<std::uint32_t>(1, max_context_ - r.prompt);
    }
    return r;
}

std::vector<Request> RequestStream::initial() {
    const ArrivalSpec& a = spec_.arrivals;
    std::vector<Request> out;
    if (a.process == ArrivalSpec::Process::trace) return from_trace();
    if (a.process == ArrivalSpec::Process::closed) {
        const auto n = static_cast<std::uint32_t>(std::min(a.clients, a.requests));
        for (std::uint32_t c = 0; c < n; ++c) out.push_back(make(0, c));
        return out;
    }
    double t = 0;
    const double mean = 1.0 / a.rate_per_s;
    const double shape = 1.0 / (a.cv * a.cv);  // gamma gaps with mean 1/rate and the given cv
    for (std::int64_t i = 0; i < a.requests; ++i) {
        out.push_back(make(engine::from_seconds(t), 0));
        t += a.process == ArrivalSpec::Process::poisson ? rng_.exponential(mean) : rng_.gamma(shape, mean / shape);
    }
    return out;
}

bool RequestStream::next_closed(std::uint32_t client, engine::Tick now, Request& out) {
    if (static_cast<std::int64_t>(issued_) >= spec_.arrivals.requests) return false;
    out = make(now + engine::from_seconds(spec_.arrivals.think_s), client);
    return true;
}

std::vector<Request> RequestStream::from_trace() {
    const std::string& path = spec_.arrivals.trace_file;
    std::ifstream in(path);
    if (!in) throw config::InputError(spec_.arrivals.where, "serving.arrivals.file", "cannot read trace file '" + path + "'");
    std::vector<Request> out;
    std::string line;
    int n = 0;
    double last = 0;
    while (std::getline(in, line) && static_cast<std::int64_t>(out.size()) < spec_.arrivals.requests) {
        ++n;
        if (line.empty() || line[0] == '#') continue;
        std::replace(line.begin(), line.end(), ',', ' ');
        std::istringstream row(line);
        double t = 0, p = 0, g = 0;
        if (!(row >> t >> p >> g)) {
            if (n == 1) continue;  // a header
            throw config::InputError(config::SourceLocation{path, n, 1}, "serving.arrivals.file", "expected 'arrival_s,prompt,gen'");
        }
        if (t < last || !std::isfinite(t) || p < 1 || g < 1 || p > (1 << 24) || g > (1 << 24))
            throw config::InputError(config::SourceLocation{path, n, 1}, "serving.arrivals.file",
                                     "expected non-decreasing arrival seconds and prompt, gen >= 1");
        last = t;
        Request r = make(engine::from_seconds(t), 0);
        r.prompt = static_cast<std::uint32_t>(p) + r.prefix_tokens;
        r.gen = static_cast<std::uint32_t>(g);
        out.push_back(r);
    }
    if (out.empty()) throw config::InputError(spec_.arrivals.where, "serving.arrivals.file", "trace file '" + path + "' holds no requests");
    return out;
}

}  // namespace infersim::serving

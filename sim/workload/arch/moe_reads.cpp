// Expected distinct experts per step under each routing, and the runtime's read rule on top.
#include "workload/arch/moe_reads.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "config/errors.hpp"

namespace infersim::workload {

double distinct_experts_uniform(double e, double k, double tokens) {
    if (e <= 0 || k <= 0 || tokens <= 0) return 0;
    return e * (1.0 - std::pow(1.0 - k / e, tokens));
}

double distinct_experts(std::span<const double> p, double tokens) {
    double d = 0;
    for (double pi : p) d += 1.0 - std::pow(1.0 - pi, tokens);
    return d;
}

namespace {

int moe_layer_count(const config::ModelSpec& m) {
    int n = 0;
    for (int l = 0; l < m.layers; ++l) n += m.moe_layer(l) ? 1 : 0;
    return n;
}

}  // namespace

void check_routing(const config::ModelSpec& m, const config::RoutingSpec& r) {
    if (r.mode != config::Routing::histogram) return;
    auto fail = [&](const std::string& what) { throw config::InputError(r.where, "routing", what); };
    if (!m.is_moe()) fail("a routing histogram needs a MoE model; " + m.name + " has no routed experts");
    const int layers = moe_layer_count(m);
    if (r.histogram.size() != 1 && r.histogram.size() != static_cast<std::size_t>(layers))
        fail("the histogram has " + std::to_string(r.histogram.size()) + " rows; " + m.name + " has " + std::to_string(layers) +
             " MoE layers (give one row per MoE layer, or one row for all)");
    for (std::size_t i = 0; i < r.histogram.size(); ++i) {
        const auto& row = r.histogram[i];
        const std::string at = r.histogram.size() > 1 ? "row " + std::to_string(i) + " of the histogram" : "the histogram";
        if (row.size() != static_cast<std::size_t>(m.experts))
            fail(at + " has " + std::to_string(row.size()) + " experts; " + m.name + " has " + std::to_string(m.experts));
        const double sum = std::accumulate(row.begin(), row.end(), 0.0);
        for (std::size_t e = 0; e < row.size(); ++e)
            if (row[e] / sum * m.active_experts > 1 + 1e-9)
                fail(at + " gives expert " + std::to_string(e) + " a share of " + std::to_string(row[e] / sum) + ", over 1/k = 1/" +
                     std::to_string(m.active_experts) + ": a token picks an expert at most once");
    }
}

ExpertReads::ExpertReads(const config::ModelSpec& m, const config::MoeDispatchSpec& dispatch, const config::RoutingSpec& r)
    : model_(m), dispatch_(dispatch), mode_(r.mode) {
    reads_.assign(static_cast<std::size_t>(std::max(0, m.layers)), 0.0);
    if (mode_ != config::Routing::histogram) return;
    check_routing(m, r);
    // A token's k picks split the histogram's mass: expert i is picked with p_i = k x share_i.
    for (const auto& row : r.histogram) {
        const double sum = std::accumulate(row.begin(), row.end(), 0.0);
        std::vector<double> p;
        for (double c : row) p.push_back(c / sum * m.active_experts);
        pick_probability_.push_back(std::move(p));
    }
}

double ExpertReads::layer_reads(std::size_t moe_index, double new_tokens, double sequences) const {
    const double e = model_.experts, k = model_.active_experts, tokens = new_tokens * sequences;
    double distinct = 0;
    switch (mode_) {
        case config::Routing::independent: distinct = distinct_experts_uniform(e, k, tokens); break;
        // Sequences repeat the first one's picks: only its own tokens spread over the experts.
        case config::Routing::identical: distinct = distinct_experts_uniform(e, k, new_tokens); break;
        case config::Routing::histogram:
            distinct = distinct_experts(pick_probability_[pick_probability_.size() == 1 ? 0 : moe_index], tokens);
            break;
    }
    return dispatch_.expert_reads(tokens, k, distinct);
}

std::span<const double> ExpertReads::for_step(std::uint32_t new_tokens, std::uint32_t sequences) {
    const std::uint64_t key = (static_cast<std::uint64_t>(new_tokens) << 32) | sequences;
    if (key == cached_) return reads_;
    cached_ = key;
    std::size_t moe_index = 0;
    for (int l = 0; l < model_.layers; ++l)
        reads_[static_cast<std::size_t>(l)] = model_.moe_layer(l) ? layer_reads(moe_index++, new_tokens, sequences) : 0.0;
    return reads_;
}

}  // namespace infersim::workload

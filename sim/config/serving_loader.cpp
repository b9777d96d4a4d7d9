// The `serving:` schema: arrivals, lengths, shared prefixes, scheduler policy, speculative
// decoding, SLO. Every key is a self-describing field (printed by `infersim describe scenario`).
#include <array>
#include <cmath>
#include <filesystem>

#include "config/fields.hpp"
#include "config/serving_spec.hpp"

namespace infersim::config {
namespace {

// "4/s", "240/min", "2 Hz" or a plain number (per second).
double rate(const Node& n) {
    std::string t = n.as_string();
    double scale = 1;
    for (auto [suffix, s] : {std::pair{"/s", 1.0}, std::pair{"/min", 1.0 / 60}, std::pair{"/h", 1.0 / 3600}})
        if (t.size() > std::string(suffix).size() && t.ends_with(suffix)) {
            t.resize(t.size() - std::string(suffix).size());
            scale = s;
            break;
        }
    std::string why;
    auto v = parse_quantity(t, scale == 1 && t == n.as_string() ? Dimension::frequency : Dimension::count, &why);
    if (!v) v = parse_quantity(t, Dimension::count, &why);
    if (!v || *v * scale <= 0 || *v * scale > 1e9) n.fail("expected a positive arrival rate like '4/s', '240/min' or '2 Hz'");
    return *v * scale;
}

double number(const Node& n, double lo, double hi) { return n.as_quantity(Dimension::count, lo, hi); }

const std::array kDistFields{
    Field<LengthDist>{"dist", "enum", true, "", "fixed, uniform, lognormal or empirical",
                      [](LengthDist& d, const Node& n) {
                          d.kind = as_enum<LengthDist::Kind>(n, {{"fixed", LengthDist::Kind::fixed}, {"uniform", LengthDist::Kind::uniform},
                                                                 {"lognormal", LengthDist::Kind::lognormal}, {"empirical", LengthDist::Kind::empirical}});
                      }},
    Field<LengthDist>{"value", "integer", false, "", "fixed: the length", [](LengthDist& d, const Node& n) { d.value = static_cast<double>(n.as_integer(0, 1 << 24)); }},
    Field<LengthDist>{"min", "integer", false, "1", "uniform: smallest; lognormal: clamp", [](LengthDist& d, const Node& n) { d.min = static_cast<double>(n.as_integer(0, 1 << 24)); }},
    Field<LengthDist>{"max", "integer", false, "", "uniform: largest; lognormal: clamp", [](LengthDist& d, const Node& n) { d.max = static_cast<double>(n.as_integer(0, 1 << 24)); }},
    Field<LengthDist>{"median", "number", false, "", "lognormal: median (exp(mu))", [](LengthDist& d, const Node& n) { d.median = number(n, 1e-3, 1 << 24); }},
    Field<LengthDist>{"sigma", "number", false, "", "lognormal: sigma of log length", [](LengthDist& d, const Node& n) { d.sigma = number(n, 0, 10); }},
    Field<LengthDist>{"values", "list of integers", false, "", "empirical: lengths", [](LengthDist& d, const Node& n) {
                          if (!n.is_sequence()) n.fail("expected a list of lengths");
                          for (const Node& v : n.items()) d.values.push_back(static_cast<double>(v.as_integer(0, 1 << 24)));
                      }},
    Field<LengthDist>{"weights", "list of numbers", false, "equal", "empirical: relative weights", [](LengthDist& d, const Node& n) {
                          if (!n.is_sequence()) n.fail("expected a list of weights");
                          for (const Node& v : n.items()) d.weights.push_back(number(v, 0, 1e12));
                      }},
};

LengthDist length(const Node& n, std::int64_t min) {
    LengthDist d;
    if (n.is_scalar()) {
        d.value = static_cast<double>(n.as_integer(min, 1 << 24));
        return d;
    }
    read_fields<LengthDist>(d, n, kDistFields);
    using K = LengthDist::Kind;
    if (d.kind == K::fixed && !n.has("value")) n.fail("a fixed length needs 'value'");
    if (d.kind == K::uniform && (!n.has("max") || d.max < d.min)) n.fail("a uniform length needs 'max' >= 'min'");
    if (d.kind == K::lognormal && d.median <= 0) n.fail("a lognormal length needs a positive 'median'");
    if (d.kind == K::lognormal && !n.has("max")) d.max = 1 << 24;
    if (d.kind == K::empirical && d.values.empty()) n.fail("an empirical length needs 'values'");
    if (!d.weights.empty() && d.weights.size() != d.values.size()) n.child("weights").fail("needs one weight per value");
    return d;
}

const std::array kArrivalFields{
    Field<ArrivalSpec>{"process", "enum", false, "poisson", "poisson, gamma (bursty: cv > 1), closed (clients with think time) or trace",
                       [](ArrivalSpec& a, const Node& n) {
                           a.process = as_enum<ArrivalSpec::Process>(n, {{"poisson", ArrivalSpec::Process::poisson}, {"gamma", ArrivalSpec::Process::gamma},
                                                                         {"closed", ArrivalSpec::Process::closed}, {"trace", ArrivalSpec::Process::trace}});
                       }},
    Field<ArrivalSpec>{"rate", "rate", false, "1/s", "mean arrivals per second ('4/s', '240/min')", [](ArrivalSpec& a, const Node& n) { a.rate_per_s = rate(n); }},
    Field<ArrivalSpec>{"cv", "number", false, "1", "gamma: coefficient of variation of inter-arrival gaps", [](ArrivalSpec& a, const Node& n) { a.cv = number(n, 0.01, 100); }},
    Field<ArrivalSpec>{"requests", "integer", false, "100", "requests in the run", [](ArrivalSpec& a, const Node& n) { a.requests = n.as_integer(1, 10'000'000); }},
    Field<ArrivalSpec>{"seed", "integer", false, "1", "random seed (mt19937_64)", [](ArrivalSpec& a, const Node& n) { a.seed = static_cast<std::uint64_t>(n.as_integer(0, 1LL << 62)); }},
    Field<ArrivalSpec>{"clients", "integer", false, "1", "closed: concurrent clients", [](ArrivalSpec& a, const Node& n) { a.clients = n.as_integer(1, 100000); }},
    Field<ArrivalSpec>{"think", "time", false, "0 s", "closed: wait after a reply before the next request", [](ArrivalSpec& a, const Node& n) { a.think_s = n.as_quantity(Dimension::time, 0, 1e7); }},
    Field<ArrivalSpec>{"file", "path", false, "", "trace: CSV of arrival_s,prompt,gen (header optional)", [](ArrivalSpec& a, const Node& n) {
                           const std::filesystem::path p = n.as_string();
                           a.trace_file = p.is_absolute() ? p.string() : (std::filesystem::path(n.file()).parent_path() / p).string();
                       }},
};

const std::array kPrefixFields{
    Field<PrefixSpec>{"groups", "integer", false, "0", "distinct shared prefixes", [](PrefixSpec& p, const Node& n) { p.groups = n.as_integer(0, 1 << 20); }},
    Field<PrefixSpec>{"tokens", "integer", false, "0", "tokens of each prefix (part of the prompt)", [](PrefixSpec& p, const Node& n) { p.tokens = n.as_integer(0, 1 << 24); }},
    Field<PrefixSpec>{"fraction", "number", false, "1", "share of requests that carry a prefix", [](PrefixSpec& p, const Node& n) { p.fraction = number(n, 0, 1); }},
};

const std::array kSchedulerFields{
    Field<SchedulerSpec>{"profile", "name", false, "none (vLLM-like defaults)", "a scheduler profile (configs/serving/NAME.yaml) under these keys", [](SchedulerSpec&, const Node&) {}},
    Field<SchedulerSpec>{"name", "text", false, "vllm", "label of the policy", [](SchedulerSpec& s, const Node& n) { s.name = n.as_string(); }},
    Field<SchedulerSpec>{"max_num_seqs", "integer", false, "256", "sequences in a step at most", [](SchedulerSpec& s, const Node& n) { s.max_num_seqs = n.as_integer(1, 65536); }},
    Field<SchedulerSpec>{"max_num_batched_tokens", "integer", false, "2048", "token budget of a step", [](SchedulerSpec& s, const Node& n) { s.max_num_batched_tokens = n.as_integer(1, 1 << 22); }},
    Field<SchedulerSpec>{"chunked_prefill", "bool", false, "true", "split prompts over steps to fit the budget (else a prompt must fit whole)", [](SchedulerSpec& s, const Node& n) { s.chunked_prefill = n.as_bool(); }},
    Field<SchedulerSpec>{"priority", "enum", false, "decode_first", "decode_first (running sequences first) or prefill_first", [](SchedulerSpec& s, const Node& n) {
                             s.priority = as_enum<Priority>(n, {{"decode_first", Priority::decode_first}, {"prefill_first", Priority::prefill_first}});
                         }},
    Field<SchedulerSpec>{"block_size", "integer", false, "16", "KV tokens per page", [](SchedulerSpec& s, const Node& n) { s.block_size = n.as_integer(1, 4096); }},
    Field<SchedulerSpec>{"memory_fraction", "number", false, "0.9", "share of the pool (after weights and buffers) given to KV pages", [](SchedulerSpec& s, const Node& n) { s.memory_fraction = number(n, 1e-6, 1); }},
    Field<SchedulerSpec>{"kv_blocks", "integer", false, "from memory", "KV pages, overriding the memory", [](SchedulerSpec& s, const Node& n) { s.kv_blocks = n.as_integer(1, 1LL << 32); }},
    Field<SchedulerSpec>{"preemption", "enum", false, "recompute", "when pages run out: recompute (drop and re-prefill) or swap (to host, not yet modelled: refused)", [](SchedulerSpec& s, const Node& n) {
                             s.preemption = as_enum<Preemption>(n, {{"recompute", Preemption::recompute}, {"swap", Preemption::swap}});
                             if (s.preemption == Preemption::swap) n.fail("swap preemption is not modelled yet; use recompute");
                         }},
    Field<SchedulerSpec>{"prefix_caching", "bool", false, "true", "reuse full KV pages of a shared prefix (LRU eviction)", [](SchedulerSpec& s, const Node& n) { s.prefix_caching = n.as_bool(); }},
};

const std::array kSpecFields{
    Field<SpeculativeSpec>{"method", "enum", false, "none", "none, draft (a small model drafts) or ngram (prompt lookup: drafts cost no pass)", [](SpeculativeSpec& s, const Node& n) {
                               s.method = as_enum<SpeculativeSpec::Method>(n, {{"none", SpeculativeSpec::Method::none}, {"draft", SpeculativeSpec::Method::draft},
                                                                               {"ngram", SpeculativeSpec::Method::ngram}});
                           }},
    Field<SpeculativeSpec>{"draft_model", "name or path", false, "", "draft: the model that drafts", [](SpeculativeSpec& s, const Node& n) { s.draft_model = n.as_string(); s.draft_where = n.location(); }},
    Field<SpeculativeSpec>{"k", "integer", false, "4", "tokens drafted per target pass", [](SpeculativeSpec& s, const Node& n) { s.k = n.as_integer(1, 64); }},
    Field<SpeculativeSpec>{"acceptance", "number", false, "0.7", "probability a drafted token is accepted", [](SpeculativeSpec& s, const Node& n) { s.acceptance = number(n, 0, 0.999); }},
};

const std::array kSloFields{
    Field<SloSpec>{"ttft", "time", false, "2 s", "time to first token at most", [](SloSpec& s, const Node& n) { s.ttft_s = n.as_quantity(Dimension::time, 1e-6, 1e6); }},
    Field<SloSpec>{"tpot", "time", false, "100 ms", "mean time per output token at most", [](SloSpec& s, const Node& n) { s.tpot_s = n.as_quantity(Dimension::time, 1e-6, 1e6); }},
};

const std::array kServingFields{
    Field<ServingSpec>{"arrivals", "map", false, "poisson 1/s, 100 requests", "process, rate, cv, requests, seed, clients, think, file", [](ServingSpec& s, const Node& n) {
                           s.arrivals.where = n.location();
                           read_fields<ArrivalSpec>(s.arrivals, n, kArrivalFields);
                           if (s.arrivals.process == ArrivalSpec::Process::trace && s.arrivals.trace_file.empty()) n.fail("a trace process needs 'file'");
                       }},
    Field<ServingSpec>{"prompt", "integer or distribution", false, "512", "prompt tokens: N or {dist: fixed|uniform|lognormal|empirical, ...}", [](ServingSpec& s, const Node& n) { s.prompt = length(n, 1); }},
    Field<ServingSpec>{"gen", "integer or distribution", false, "128", "output tokens: N or a distribution", [](ServingSpec& s, const Node& n) { s.gen = length(n, 1); }},
    Field<ServingSpec>{"prefix", "map", false, "none", "shared prefixes: groups, tokens, fraction", [](ServingSpec& s, const Node& n) { read_fields<PrefixSpec>(s.prefix, n, kPrefixFields); }},
    Field<ServingSpec>{"scheduler", "map", false, "vLLM-like", "policy: profile, max_num_seqs, max_num_batched_tokens, chunked_prefill, priority, block_size, ...", [](ServingSpec& s, const Node& n) {
                           if (!n.is_map()) n.fail("expected a mapping of scheduler fields");
                           s.scheduler_node = n;
                           if (n.has("profile")) {
                               s.profile = n.child("profile").as_string();
                               s.profile_where = n.child("profile").location();
                           }
                           s.scheduler = read_scheduler(n);  // checked now; re-read over the profile when resolved
                       }},
    Field<ServingSpec>{"speculative", "map", false, "none", "method, draft_model, k, acceptance", [](ServingSpec& s, const Node& n) {
                           read_fields<SpeculativeSpec>(s.speculative, n, kSpecFields);
                           if (s.speculative.method == SpeculativeSpec::Method::draft && s.speculative.draft_model.empty()) n.fail("draft speculation needs 'draft_model'");
                       }},
    Field<ServingSpec>{"slo", "map", false, "ttft 2 s, tpot 100 ms", "goodput counts requests within both", [](ServingSpec& s, const Node& n) { read_fields<SloSpec>(s.slo, n, kSloFields); }},
    Field<ServingSpec>{"context_bucket", "integer", false, "0 (exact)", "NOT exact: round contexts up to a multiple of this in the step cache, for speed", [](ServingSpec& s, const Node& n) { s.context_bucket = n.as_integer(0, 1 << 20); }},
    Field<ServingSpec>{"context_grid", "integer", false, "64 at rapid fidelity, else 0 (exact)",
                       "NOT exact: price decode slices by interpolating, in their mean context, between reference steps on a grid of this many tokens (no hardware timeline: -o keeps it off)",
                       [](ServingSpec& s, const Node& n) { s.context_grid = n.as_integer(0, 1 << 20); }},
};

}  // namespace

SchedulerSpec read_scheduler(const Node& n) {
    SchedulerSpec s;
    read_fields<SchedulerSpec>(s, n, kSchedulerFields);
    return s;
}

ServingSpec read_serving(const Node& n) {
    ServingSpec s;
    s.present = true;
    s.base_dir = std::filesystem::path(n.file()).parent_path().string();
    read_fields<ServingSpec>(s, n, kServingFields);
    if (s.prefix.groups > 0 && s.prefix.tokens <= 0) n.child("prefix").fail("shared prefixes need 'tokens' > 0");
    return s;
}

void describe_serving_schema(std::ostream& out) {
    print_fields<ServingSpec>(out, "\nserving", kServingFields);
    print_fields<ArrivalSpec>(out, "\nserving.arrivals", kArrivalFields);
    print_fields<LengthDist>(out, "\nserving.prompt / serving.gen (distribution)", kDistFields);
    print_fields<PrefixSpec>(out, "\nserving.prefix", kPrefixFields);
    print_fields<SchedulerSpec>(out, "\nserving.scheduler", kSchedulerFields);
    print_fields<SpeculativeSpec>(out, "\nserving.speculative", kSpecFields);
    print_fields<SloSpec>(out, "\nserving.slo", kSloFields);
}

}  // namespace infersim::config

// How the tokens of a step route to a MoE model's experts (the scenario's `routing:`), which
// sets how many distinct experts a step reads. Plain data; the closed forms are in
// workload/arch/moe_reads.*.
#pragma once
#include <string>
#include <vector>

#include "config/errors.hpp"
#include "config/yaml_node.hpp"

namespace infersim::config {

enum class Routing {
    independent,  // every token picks k of E experts uniformly, independently of the others
    identical,    // every sequence picks what the first picks (llama-batched-bench feeds token 0
                  // to all); the tokens of one sequence stay independent
    histogram,    // tokens pick independently by a per-layer expert popularity
};

struct RoutingSpec {
    Routing mode = Routing::independent;
    /// mode histogram: one row of E non-negative counts (or shares) per MoE layer in layer
    /// order, or a single row used by every MoE layer. Checked against the model later.
    std::vector<std::vector<double>> histogram;
    SourceLocation where;
};

/// Reads `routing:`: `independent`, `identical`, a path to a histogram file, or a mapping
/// {histogram: [...] | [[...], ...]} or {file: PATH}. A file holds `histogram:` as YAML;
/// a relative path is taken from the directory of the file that names it.
RoutingSpec read_routing(const Node& node);

}  // namespace infersim::config

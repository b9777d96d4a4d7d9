// The `moe:` block of a runtime profile: the expert-read threshold and the kernel counts of a
// MoE layer's ops.
#include <array>

#include "config/fields.hpp"
#include "config/moe_dispatch_spec.hpp"

namespace infersim::config {
namespace {

void read_counts(std::array<int, kOpKindCount>& counts, const Node& n) {
    if (!n.is_map()) n.fail("expected a mapping of op kind to kernel count, e.g. {router: 6, ffn_up: 3}");
    for (const std::string& k : n.keys()) {
        auto kind = parse_op_kind(k);
        if (!kind) fail_unknown_key(n, k, kOpKindNames);
        counts[static_cast<std::size_t>(*kind)] = static_cast<int>(n.child(k).as_integer(0, 1000));
    }
}

const std::array kMoeFields{
    Field<MoeDispatchSpec>{"vector_max_tokens", "integer", false, "0 (always grouped)",
                           "most tokens per step that run the per-(token, expert) vector kernel (each pair reads its expert); "
                           "above, each used expert is read once",
                           [](MoeDispatchSpec& m, const Node& n) { m.vector_max_tokens = static_cast<int>(n.as_integer(0, 1 << 20)); }},
    Field<MoeDispatchSpec>{"kernels", "map op -> count", false, "the dense counts", "kernels each op of a MoE layer becomes (router, ffn_up, ffn_down)",
                           [](MoeDispatchSpec& m, const Node& n) { read_counts(m.kernels, n); }},
    Field<MoeDispatchSpec>{"kernels_per_expert", "map op -> count", false, "0", "kernels added per expert a token uses (the expert sum's adds)",
                           [](MoeDispatchSpec& m, const Node& n) { read_counts(m.kernels_per_expert, n); }},
};

}  // namespace

void read_moe_dispatch(MoeDispatchSpec& spec, const Node& node) { read_fields<MoeDispatchSpec>(spec, node, kMoeFields); }

void describe_moe_dispatch_schema(std::ostream& out) { print_fields<MoeDispatchSpec>(out, "\nruntime.moe", kMoeFields); }

}  // namespace infersim::config

// The `dispatch:` block of a runtime profile (config/dispatch_spec.hpp).
#include <array>

#include "config/dispatch_spec.hpp"
#include "config/fields.hpp"

namespace infersim::config {
namespace {

// A mapping of op kind -> count.
void per_op(std::array<int, kOpKindCount>& out, const Node& n) {
    if (!n.is_map()) n.fail("expected a mapping of op kind to a count, e.g. {norm: 1, qkv: 4}");
    for (const std::string& k : n.keys()) {
        auto kind = parse_op_kind(k);
        if (!kind) fail_unknown_key(n, k, kOpKindNames);
        out[static_cast<std::size_t>(*kind)] = static_cast<int>(n.child(k).as_integer(0, 1000));
    }
}

double time(const Node& n, double max) { return n.as_quantity(Dimension::time, 0, max); }

const std::array kDispatchFields{
    Field<DispatchSpec>{"per_dispatch", "time", false, "0 us", "cost of each dependent dispatch (barrier drain + ramp), or of each stream launch",
                        [](DispatchSpec& d, const Node& n) { d.dispatch_s = time(n, 1e-2); }},
    Field<DispatchSpec>{"graph_dispatch", "time", false, "no graphs", "cost of each dependent dispatch when a captured graph is replayed (CUDA graphs)",
                        [](DispatchSpec& d, const Node& n) { d.graph_dispatch_s = time(n, 1e-2); }},
    Field<DispatchSpec>{"graph_max_batch", "integer", false, "1", "decode steps of up to this many tokens replay the graph (not with split buffers)",
                        [](DispatchSpec& d, const Node& n) { d.graph_max_batch = static_cast<int>(n.as_integer(0, 1 << 20)); }},
    Field<DispatchSpec>{"chain", "map op -> count", false, "the op's kernels", "dependent dispatches per op (concurrent siblings count once)",
                        [](DispatchSpec& d, const Node& n) { per_op(d.chain, n); }},
    Field<DispatchSpec>{"small_kernels", "map op -> count", false, "0", "latency-bound small kernels per op at decode (norm, rope, softmax, get_rows)",
                        [](DispatchSpec& d, const Node& n) { per_op(d.small_kernels, n); }},
    Field<DispatchSpec>{"small_kernel_cycles", "count", false, "0", "GPU cycles of each small kernel's critical path (time = cycles / clock)",
                        [](DispatchSpec& d, const Node& n) { d.small_kernel_cycles = n.as_quantity(Dimension::count, 0, 1e8); }},
    Field<DispatchSpec>{"host_per_node", "time", false, "0 us", "host work per graph node (build, scheduler checks, graph update) on the reference host core",
                        [](DispatchSpec& d, const Node& n) { d.host_per_node_s = time(n, 1e-2); }},
    Field<DispatchSpec>{"host_per_step", "time", false, "0 us", "fixed host work per step (submit, synchronize, wake-up) on the reference host core",
                        [](DispatchSpec& d, const Node& n) { d.host_per_step_s = time(n, 10); }},
    Field<DispatchSpec>{"logits_copy", "bool", false, "true", "copy each step's logits to the host (over host_cpu.d2h_bandwidth)",
                        [](DispatchSpec& d, const Node& n) { d.logits_copy = n.as_bool(); }},
};

}  // namespace

void read_dispatch(DispatchSpec& d, const Node& n) {
    d.present = true;
    read_fields<DispatchSpec>(d, n, kDispatchFields);
}

void describe_dispatch_schema(std::ostream& out) { print_fields<DispatchSpec>(out, "runtime.dispatch", kDispatchFields); }

}  // namespace infersim::config

// Topological order of a step's ops.
#include "workload/trace.hpp"

#include <queue>

namespace infersim::workload {

std::vector<std::uint32_t> Step::order() const {
    const std::size_t n = ops.size();
    std::vector<std::uint32_t> out;
    out.reserve(n);
    if (boost::num_vertices(deps) != n) {
        for (std::uint32_t i = 0; i < n; ++i) out.push_back(i);
        return out;
    }
    // Kahn's algorithm with a min-heap: the lowest-numbered ready op goes first.
    std::vector<std::size_t> indegree(n, 0);
    for (std::size_t v = 0; v < n; ++v) indegree[v] = boost::in_degree(v, deps);
    std::priority_queue<std::uint32_t, std::vector<std::uint32_t>, std::greater<>> ready;
    for (std::uint32_t v = 0; v < n; ++v)
        if (indegree[v] == 0) ready.push(v);
    while (!ready.empty()) {
        std::uint32_t v = ready.top();
        ready.pop();
        out.push_back(v);
        for (auto [e, end] = boost::out_edges(v, deps); e != end; ++e) {
            auto t = static_cast<std::uint32_t>(boost::target(*e, deps));
            if (--indegree[t] == 0) ready.push(t);
        }
    }
    return out;  // shorter than n only if deps had a cycle, which builders never make
}

}  // namespace infersim::workload

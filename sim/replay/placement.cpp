// Greedy layer placement.
#include "replay/placement.hpp"

#include <algorithm>

namespace infersim::replay {

std::vector<std::size_t> reachable_pools(const config::MachineSpec& m, std::size_t unit) {
    const config::ComputeUnitSpec& u = m.units[unit];
    std::vector<std::size_t> out;
    std::vector<std::pair<double, std::size_t>> linked;
    for (std::size_t p = 0; p < m.pools.size(); ++p) {
        if (m.pools[p].name == u.memory) out.insert(out.begin(), p);
        else if (const config::LinkSpec* l = m.link(u.name, m.pools[p].name))
            linked.emplace_back(std::min(l->bandwidth, m.pools[p].peak_bytes_per_s()), p);
    }
    std::stable_sort(linked.begin(), linked.end(), [](auto& a, auto& b) { return a.first > b.first; });
    for (auto& [bw, p] : linked) out.push_back(p);
    return out;
}

Placement place(const config::MachineSpec& m, const PlacementRequest& req) {
    Placement pl;
    pl.order = reachable_pools(m, req.unit);
    for (const auto& p : m.pools) pl.pools.push_back(PoolUse{p.name, p.capacity_bytes, 0, 0, 0});
    const std::size_t layers = req.layer_weight_bytes.size();
    pl.layer_pool.assign(layers, pl.order.front());
    pl.layer_address.assign(layers, 0);
    pl.kv_address.assign(layers, 0);

    std::vector<std::uint64_t> cursor(m.pools.size(), 0);
    auto put = [&](std::size_t pool, std::uint64_t bytes) {
        std::uint64_t at = cursor[pool];
        cursor[pool] += bytes;
        return at;
    };
    auto free_in = [&](std::size_t pool) {
        double cap = m.pools[pool].capacity_bytes;
        return cap > static_cast<double>(cursor[pool]) ? cap - static_cast<double>(cursor[pool]) : 0.0;
    };

    // Compute buffers and the global tensors sit with the unit.
    const std::size_t home = pl.order.front();
    pl.pools[home].overhead_bytes = req.overhead_bytes;
    put(home, req.overhead_bytes);
    pl.global_pool = home;
    pl.global_address = put(home, req.global_weight_bytes);
    pl.pools[home].weight_bytes += req.global_weight_bytes;

    std::size_t slot = 0;
    for (std::size_t l = 0; l < layers; ++l) {
        const std::uint64_t need = req.layer_weight_bytes[l] + req.kv_bytes_per_layer;
        if (req.gpu_layers >= 0) {
            slot = static_cast<int>(l) < req.gpu_layers ? 0 : std::min<std::size_t>(1, pl.order.size() - 1);
        } else {
            while (slot + 1 < pl.order.size() && free_in(pl.order[slot]) < static_cast<double>(need)) ++slot;
        }
        const std::size_t p = pl.order[slot];
        pl.layer_pool[l] = p;
        pl.layer_address[l] = put(p, req.layer_weight_bytes[l]);
        pl.kv_address[l] = put(p, req.kv_bytes_per_layer);
        pl.pools[p].weight_bytes += req.layer_weight_bytes[l];
        pl.pools[p].kv_bytes += req.kv_bytes_per_layer;
    }

    double capacity = 0;
    for (std::size_t p : pl.order) capacity += m.pools[p].capacity_bytes;
    for (std::size_t p = 0; p < m.pools.size(); ++p) pl.needed_bytes += pl.pools[p].used();
    bool over = false;
    for (std::size_t p : pl.order) over = over || static_cast<double>(pl.pools[p].used()) > m.pools[p].capacity_bytes;
    pl.fits = !over;
    if (!pl.fits) {
        double sum_over = 0;
        for (std::size_t p : pl.order) sum_over += std::max(0.0, static_cast<double>(pl.pools[p].used()) - m.pools[p].capacity_bytes);
        pl.shortfall_bytes = static_cast<std::uint64_t>(std::max(sum_over, static_cast<double>(pl.needed_bytes) - capacity));
    }
    return pl;
}

}  // namespace infersim::replay

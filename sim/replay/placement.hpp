// Where weights and the KV cache live. Layers are placed in order, each with its KV cache,
// into the compute unit's own pool first, then into pools it reaches over links (fastest
// first) - the behaviour of llama.cpp's layer offload. When everything together exceeds every
// reachable pool, `fits` is false and `shortfall_bytes` says by how much.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "config/machine_spec.hpp"

namespace infersim::replay {

struct PlacementRequest {
    std::size_t unit = 0;
    std::vector<std::uint64_t> layer_weight_bytes;  // per layer
    std::uint64_t global_weight_bytes = 0;           // embeddings, LM head, final norm
    std::uint64_t kv_bytes_per_layer = 0;            // at the full context of the run
    std::uint64_t overhead_bytes = 0;                // runtime compute buffers
    int gpu_layers = -1;                             // -1: fill greedily; else layers on the unit's pool
};

struct PoolUse {
    std::string pool;
    double capacity_bytes = 0;
    std::uint64_t weight_bytes = 0;
    std::uint64_t kv_bytes = 0;
    std::uint64_t overhead_bytes = 0;
    std::uint64_t used() const { return weight_bytes + kv_bytes + overhead_bytes; }
};

struct Placement {
    std::vector<std::size_t> layer_pool;   // pool index of each layer's weights and KV
    std::size_t global_pool = 0;
    std::vector<std::uint64_t> layer_address;  // start address of each layer's weights in its pool
    std::vector<std::uint64_t> kv_address;
    std::uint64_t global_address = 0;
    std::vector<PoolUse> pools;            // per machine pool
    bool fits = true;
    std::uint64_t needed_bytes = 0;
    std::uint64_t shortfall_bytes = 0;
    std::vector<std::size_t> order;        // reachable pools in fill order
};

/// Pools the unit can read: its own first, then linked pools by link bandwidth (descending).
std::vector<std::size_t> reachable_pools(const config::MachineSpec& m, std::size_t unit);

Placement place(const config::MachineSpec& m, const PlacementRequest& req);

}  // namespace infersim::replay

// Weight storage formats and their block layouts (GGML/GGUF and OCP/NVIDIA 4/8-bit formats).
// Bytes come from the layout: Q4_0 stores 32 weights in 18 bytes (4.5 bits per weight).
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "config/dtype.hpp"

namespace infersim::workload {

struct QuantFormat {
    std::string_view name;       // lower case: "q4_0", "q6_k", "mxfp4"
    int ggml_type;               // GGUF tensor type id, -1 when GGUF has none
    int block_weights;           // weights per block
    int block_bytes;             // bytes per block, scales included
    bool k_quant;                // needs rows that are a multiple of 256
    /// Vector operations to unpack one weight before the multiply (dequantization cost).
    double dequant_ops_per_weight;
    config::DType compute;       // natural arithmetic once unpacked

    double bits_per_weight() const { return 8.0 * block_bytes / block_weights; }
    /// Bytes of `elements` weights (rounded up to whole blocks).
    std::uint64_t bytes_for(std::uint64_t elements) const {
        std::uint64_t blocks = (elements + static_cast<std::uint64_t>(block_weights) - 1) / static_cast<std::uint64_t>(block_weights);
        return blocks * static_cast<std::uint64_t>(block_bytes);
    }
};

/// Looks a format up by name ("Q4_K" and "q4_k" both work).
const QuantFormat* find_format(std::string_view name);
/// Looks a format up by GGUF type id.
const QuantFormat* find_format_by_ggml_type(std::uint32_t type);
std::vector<std::string_view> format_names();

}  // namespace infersim::workload

// The header of a .safetensors file: an 8-byte little-endian length, then that many bytes of
// JSON naming every tensor with its dtype, shape and byte range. Only the header is read (the
// tensor data may be absent: a header-only file stands for the checkpoint), and it is checked as
// hostile input: a length past the cap or the file, JSON that is not an object of tensors, a
// byte range that disagrees with dtype x shape.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace infersim::workload {

struct SafetensorsTensor {
    std::string name;                 // e.g. "model.layers.3.self_attn.q_proj.weight"
    std::string dtype;                // as written: "BF16", "F8_E4M3", "U8", ...
    std::vector<std::uint64_t> shape;
    std::uint64_t begin = 0, end = 0; // byte range in the data section
    std::uint64_t elements() const;
    std::uint64_t bytes() const { return end - begin; }
};

/// Bytes per element of a safetensors dtype; 0 for one infersim does not know.
int safetensors_dtype_bytes(const std::string& dtype);

/// Largest header accepted (the format's own readers cap it at 100 MB).
inline constexpr std::uint64_t kMaxSafetensorsHeaderBytes = 100'000'000;

/// Reads the tensor list of `path`, sorted by name. Throws config::InputError naming the file
/// and, for a bad entry, the tensor.
std::vector<SafetensorsTensor> read_safetensors_header(const std::string& path);

}  // namespace infersim::workload

// A minimal GGUF writer for tests: typed metadata, tensor infos with aligned offsets and
// zero-filled data, with the ggml type ids and block sizes written out independently of the
// importer's own table.
#pragma once
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace infersim::test {

// ggml type ids and block layouts, written out here so the test does not trust the table it checks.
enum GgmlType : std::uint32_t { F32 = 0, F16 = 1, Q4_0 = 2, Q8_0 = 8, Q6_K = 14, MXFP4 = 39 };

inline std::uint64_t tensor_bytes(std::uint32_t type, const std::vector<std::uint64_t>& dims) {
    std::uint64_t rows = 1;
    for (std::size_t i = 1; i < dims.size(); ++i) rows *= dims[i];
    std::uint64_t ne0 = dims[0];
    switch (type) {
        case F32: return rows * ne0 * 4;
        case F16: return rows * ne0 * 2;
        case Q4_0: return rows * ne0 / 32 * 18;
        case Q8_0: return rows * ne0 / 32 * 34;
        case Q6_K: return rows * ne0 / 256 * 210;
        case MXFP4: return rows * ne0 / 32 * 17;
    }
    return 0;
}

// Little-endian byte sink.
struct Bytes {
    std::string data;
    void u8(std::uint8_t v) { data.push_back(static_cast<char>(v)); }
    void u32(std::uint32_t v) { for (int i = 0; i < 4; ++i) u8(static_cast<std::uint8_t>(v >> (8 * i))); }
    void u64(std::uint64_t v) { for (int i = 0; i < 8; ++i) u8(static_cast<std::uint8_t>(v >> (8 * i))); }
    void str(const std::string& s) { u64(s.size()); data += s; }
};

// A minimal GGUF writer: metadata entries are pre-encoded, tensors get aligned offsets and
// zero-filled data (nothing after the last tensor, so every shorter file is truncated).
struct Gguf {
    std::uint32_t version = 3;
    std::uint64_t alignment = 32;
    std::vector<std::string> kvs;
    struct TensorDef {
        std::string name;
        std::vector<std::uint64_t> dims;
        std::uint32_t type;
    };
    std::vector<TensorDef> tensors;

    void kv(const std::string& key, std::uint32_t type, const std::string& value) {
        Bytes b;
        b.str(key);
        b.u32(type);
        kvs.push_back(b.data + value);
    }
    void u32(const std::string& key, std::uint32_t v) { Bytes b; b.u32(v); kv(key, 4, b.data); }
    void u64(const std::string& key, std::uint64_t v) { Bytes b; b.u64(v); kv(key, 10, b.data); }
    void str(const std::string& key, const std::string& v) { Bytes b; b.str(v); kv(key, 8, b.data); }
    void f32(const std::string& key, float v) {
        std::uint32_t bits;
        std::memcpy(&bits, &v, 4);
        Bytes b;
        b.u32(bits);
        kv(key, 6, b.data);
    }
    void strings(const std::string& key, const std::vector<std::string>& items) {
        Bytes b;
        b.u32(8);
        b.u64(items.size());
        for (const auto& s : items) b.str(s);
        kv(key, 9, b.data);
    }
    void tensor(const std::string& name, std::vector<std::uint64_t> dims, std::uint32_t type) {
        tensors.push_back({name, std::move(dims), type});
    }
    std::uint64_t total_tensor_bytes() const {
        std::uint64_t sum = 0;
        for (const auto& t : tensors) sum += tensor_bytes(t.type, t.dims);
        return sum;
    }

    std::string build() const {
        Bytes b;
        b.data = "GGUF";
        b.u32(version);
        b.u64(tensors.size());
        b.u64(kvs.size());
        for (const auto& kv : kvs) b.data += kv;
        std::uint64_t offset = 0;
        std::vector<std::uint64_t> offsets;
        for (const auto& t : tensors) {
            b.str(t.name);
            b.u32(static_cast<std::uint32_t>(t.dims.size()));
            for (auto d : t.dims) b.u64(d);
            b.u32(t.type);
            b.u64(offset);
            offsets.push_back(offset);
            offset += (tensor_bytes(t.type, t.dims) + alignment - 1) / alignment * alignment;
        }
        while (b.data.size() % alignment) b.u8(0);
        std::size_t data_start = b.data.size();
        if (!tensors.empty()) b.data.resize(data_start + offsets.back() + tensor_bytes(tensors.back().type, tensors.back().dims), '\0');
        return b.data;
    }
};

inline void add_llama_metadata(Gguf& g, const std::string& arch, std::uint32_t layers, std::uint32_t hidden, std::uint32_t heads,
                        std::uint32_t kv_heads, std::uint32_t ffn) {
    g.str("general.architecture", arch);
    g.str("general.name", "Tiny " + arch);
    g.u32(arch + ".block_count", layers);
    g.u32(arch + ".context_length", 4096);
    g.u32(arch + ".embedding_length", hidden);
    g.u32(arch + ".feed_forward_length", ffn);
    g.u32(arch + ".attention.head_count", heads);
    g.u32(arch + ".attention.head_count_kv", kv_heads);
    g.f32(arch + ".rope.freq_base", 500000.0f);
}

}  // namespace infersim::test

// The GGUF header as read (format: ggml's docs/gguf.md, versions 2 and 3): typed metadata values
// and tensor infos. Shared by the header parser (gguf_reader.cpp) and the mapping of its metadata
// onto a ModelSpec (gguf_model.cpp); not a public interface.
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "workload/binary_cursor.hpp"
#include "workload/quant_format.hpp"

namespace infersim::workload::gguf {

constexpr std::uint32_t kMaxDims = 4;  // GGML_MAX_DIMS

// Value types: enumerator, name in messages, fixed size in bytes (0: string or array).
#define INFERSIM_GGUF_VALUE_TYPES(X)                                                                                   \
    X(u8, "uint8", 1) X(i8, "int8", 1) X(u16, "uint16", 2) X(i16, "int16", 2) X(u32, "uint32", 4) X(i32, "int32", 4)  \
    X(f32, "float32", 4) X(boolean, "bool", 1) X(string, "string", 0) X(array, "array", 0) X(u64, "uint64", 8)         \
    X(i64, "int64", 8) X(f64, "float64", 8)
#define INFERSIM_GGUF_ID(id, name, size) id,
#define INFERSIM_GGUF_NAME(id, name, size) std::string_view{name},
#define INFERSIM_GGUF_SIZE(id, name, size) std::uint64_t{size},
enum ValueType : std::uint32_t { INFERSIM_GGUF_VALUE_TYPES(INFERSIM_GGUF_ID) };
inline constexpr std::array kTypeNames{INFERSIM_GGUF_VALUE_TYPES(INFERSIM_GGUF_NAME)};
inline constexpr std::array kFixedSize{INFERSIM_GGUF_VALUE_TYPES(INFERSIM_GGUF_SIZE)};
inline constexpr auto kValueTypes = static_cast<std::uint32_t>(kTypeNames.size());

inline std::string type_name(std::uint32_t t) { return t < kValueTypes ? std::string(kTypeNames[t]) : "type " + std::to_string(t); }
inline bool is_unsigned(std::uint32_t t) { return t == u8 || t == u16 || t == u32 || t == u64; }
inline bool is_signed(std::uint32_t t) { return t == i8 || t == i16 || t == i32 || t == i64; }

using Cursor = BinaryCursor;

struct Value {
    std::uint32_t type = 0;
    std::uint64_t offset = 0;     // where the value starts, for messages
    std::uint64_t u = 0;          // unsigned integers and bool
    std::int64_t i = 0;           // signed integers
    double f = 0;
    std::string s;
    std::uint32_t elem_type = 0;  // arrays: element type and length (elements are skipped)
    std::uint64_t length = 0;
};

struct TensorInfo {
    std::string name;
    std::uint64_t info_offset = 0;
    std::array<std::uint64_t, kMaxDims> dims{1, 1, 1, 1};
    std::uint32_t n_dims = 0;
    const QuantFormat* format = nullptr;
    std::uint64_t data_offset = 0;  // relative to the data section
    std::uint64_t elements = 0;
    std::uint64_t bytes = 0;
};

struct Header {
    std::uint64_t metadata_offset = 0;
    std::map<std::string, Value> meta;  // only the keys the model mapping reads
    std::uint64_t alignment = 32;
    std::vector<TensorInfo> tensors;
};

/// Parses the header, keeping the metadata the model mapping reads; every count is checked
/// against the bytes left. Throws config::InputError.
Header read_header(Cursor& cur);

}  // namespace infersim::workload::gguf

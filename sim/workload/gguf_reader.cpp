// GGUF header parsing (format: ggml's docs/gguf.md, versions 2 and 3); gguf_model.cpp maps the
// metadata onto a ModelSpec. Every count read from the file is checked against the bytes left
// before it is used, so a lying header costs at most a pass over the file, never a big
// allocation; reads go through a small buffer because the token list alone is ~150,000 strings.
#include "workload/gguf_header.hpp"

#include <bit>
#include <cstring>
#include <limits>
#include <unordered_set>

#include "config/errors.hpp"

namespace infersim::workload::gguf {
namespace {

using config::InputError;
using config::printable;
using config::SourceLocation;

// Caps far above any real model (DeepSeek-V3 has ~1,100 tensors and ~50 keys) that bound the
// bookkeeping a hostile header can cause.
constexpr std::uint64_t kMaxTensors = 1u << 20;
constexpr std::uint64_t kMaxMetadata = 1u << 16;
constexpr std::uint64_t kMaxArray = 1u << 24;  // elements of a metadata array (tokenizers: ~2^18)
constexpr std::uint64_t kMaxKeyBytes = 65535;      // gguf.md
constexpr std::uint64_t kMaxTensorNameBytes = 64;  // GGML_MAX_NAME
constexpr std::uint64_t kMaxAlignment = 1u << 30;
constexpr std::uint64_t kMaxKeptString = 1u << 16;  // general.name and the like; others are skipped
// Smallest encodings, used to reject counts that the remaining bytes cannot hold:
// key length + 1-byte key + type + 1-byte value; name length + 1-byte name + n_dims + one dim + type + offset.
constexpr std::uint64_t kMinMetadataBytes = 8 + 1 + 4 + 1;
constexpr std::uint64_t kMinTensorInfoBytes = 8 + 1 + 4 + 8 + 4 + 8;

// Metadata the model mapping reads: general.* scalars, the token list, and "<arch>.<suffix>".
constexpr std::array<std::string_view, 27> kModelKeys{
    "block_count", "embedding_length", "attention.head_count", "attention.head_count_kv", "attention.key_length",
    "feed_forward_length", "expert_feed_forward_length", "expert_count", "expert_used_count", "expert_shared_count",
    "context_length", "attention.sliding_window", "vocab_size", "leading_dense_block_count", "attention.q_lora_rank",
    "attention.kv_lora_rank", "rope.dimension_count", "attention.value_length", "attention.key_length_mla",
    "attention.value_length_mla", "expert_group_count", "ssm.group_count", "ssm.time_step_rank", "ssm.state_size",
    "ssm.inner_size", "ssm.conv_kernel", "full_attention_interval"};

bool wanted(const std::string& key) {
    if (key == "general.architecture" || key == "general.name" || key == "general.alignment" || key == "tokenizer.ggml.tokens")
        return true;
    std::size_t dot = key.find('.');
    if (dot == std::string::npos) return false;
    std::string_view suffix = std::string_view(key).substr(dot + 1);
    for (std::string_view k : kModelKeys)
        if (k == suffix) return true;
    return false;
}

Value read_value(Cursor& cur, std::uint32_t type, const std::string& field, bool keep) {
    Value v;
    v.type = type;
    v.offset = cur.offset();
    if (type >= kValueTypes) cur.fail(v.offset - 4, field, "unknown value type " + std::to_string(type) + " (expected 0 to 12)");
    if (type == string) {
        if (keep) v.s = cur.str(field, kMaxKeptString);
        else cur.skip_str(field);
        return v;
    }
    if (type == array) {
        v.elem_type = cur.u32(field + " element type");
        std::uint64_t count_at = cur.offset();
        v.length = cur.u64(field + " length");
        if (v.elem_type == array) cur.fail(v.offset, field, "nested arrays are not supported");
        if (v.elem_type >= kValueTypes)
            cur.fail(v.offset, field, "unknown array element type " + std::to_string(v.elem_type) + " (expected 0 to 12)");
        std::uint64_t min_size = v.elem_type == string ? 8 : kFixedSize[v.elem_type];
        if (v.length > kMaxArray)  // a lying count over a sparse file: one loop step per claimed element
            cur.fail(count_at, field, "array claims " + std::to_string(v.length) + " elements; at most " + std::to_string(kMaxArray) + " allowed");
        if (v.length > cur.remaining() / min_size)
            cur.fail(count_at, field, "array claims " + std::to_string(v.length) + " " + type_name(v.elem_type) +
                                          " elements but only " + std::to_string(cur.remaining()) + " bytes remain");
        if (v.elem_type == string) {
            for (std::uint64_t k = 0; k < v.length; ++k) cur.skip_str(field);  // no per-element name: 2^24 of them
        } else {
            cur.skip(v.length * min_size, field);
        }
        return v;
    }
    std::uint64_t size = kFixedSize[type];
    std::uint64_t raw = cur.read_uint(size, field);
    if (type == f32) {
        v.f = std::bit_cast<float>(static_cast<std::uint32_t>(raw));
    } else if (type == f64) {
        v.f = std::bit_cast<double>(raw);
    } else if (is_signed(type)) {
        unsigned shift = static_cast<unsigned>(64 - 8 * size);  // sign-extend
        v.i = static_cast<std::int64_t>(raw << shift) >> shift;
    } else {
        if (type == boolean && raw > 1) cur.fail(v.offset, field, "bool must be 0 or 1, got " + std::to_string(raw));
        v.u = raw;
    }
    return v;
}

void read_metadata(Cursor& cur, Header& h, std::uint64_t count) {
    std::unordered_set<std::string> seen;
    for (std::uint64_t k = 0; k < count; ++k) {
        std::uint64_t at = cur.offset();
        std::string entry = "metadata[" + std::to_string(k) + "]";
        std::string key = cur.str(entry + ".key", kMaxKeyBytes);
        if (key.empty()) cur.fail(at, entry + ".key", "empty metadata key");
        if (!seen.insert(key).second) cur.fail(at, printable(key), "duplicate metadata key");
        std::uint32_t type = cur.u32(printable(key) + " (value type)");
        Value v = read_value(cur, type, printable(key), wanted(key));
        if (wanted(key)) h.meta.emplace(key, std::move(v));
    }
}

void read_alignment(const Cursor& cur, Header& h) {
    auto it = h.meta.find("general.alignment");
    if (it == h.meta.end()) return;
    const Value& v = it->second;
    if (!is_unsigned(v.type)) cur.fail(v.offset, "general.alignment", "expected an unsigned integer, got " + type_name(v.type));
    if (v.u == 0 || !std::has_single_bit(v.u) || v.u > kMaxAlignment)
        cur.fail(v.offset, "general.alignment", "expected a power of two up to 2^30, got " + std::to_string(v.u));
    h.alignment = v.u;
}

TensorInfo read_tensor_info(Cursor& cur, const Header& h, std::uint64_t index) {
    TensorInfo t;
    t.info_offset = cur.offset();
    std::string field = "tensors[" + std::to_string(index) + "]";
    t.name = cur.str(field + ".name", kMaxTensorNameBytes);
    if (t.name.empty()) cur.fail(t.info_offset, field + ".name", "empty tensor name");
    field = "tensor '" + printable(t.name) + "'";

    std::uint64_t at = cur.offset();
    t.n_dims = cur.u32(field + ".n_dims");
    if (t.n_dims == 0 || t.n_dims > kMaxDims)
        cur.fail(at, field + ".n_dims", "expected 1 to 4 dimensions, got " + std::to_string(t.n_dims));
    constexpr auto kMaxElements = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    t.elements = 1;
    for (std::uint32_t d = 0; d < t.n_dims; ++d) {
        at = cur.offset();
        std::uint64_t n = cur.u64(field + ".dims");
        if (n == 0 || n > kMaxElements)
            cur.fail(at, field + ".dims", "dimension " + std::to_string(d) + " is " + std::to_string(n) + "; expected 1 to 2^63-1");
        if (t.elements > kMaxElements / n)
            cur.fail(at, field + ".dims", "dimensions multiply to more than 2^63-1 elements");
        t.dims[d] = n;
        t.elements *= n;
    }

    at = cur.offset();
    std::uint32_t type = cur.u32(field + ".type");
    t.format = find_format_by_ggml_type(type);
    if (!t.format) cur.fail(at, field + ".type", "unknown or unsupported ggml type " + std::to_string(type));
    const auto block_weights = static_cast<std::uint64_t>(t.format->block_weights);
    const auto block_bytes = static_cast<std::uint64_t>(t.format->block_bytes);
    if (t.dims[0] % block_weights != 0)
        cur.fail(at, field + ".type", "row length " + std::to_string(t.dims[0]) + " is not a multiple of the " +
                                          std::string(t.format->name) + " block (" + std::to_string(block_weights) + " weights)");
    std::uint64_t row_blocks = t.dims[0] / block_weights;
    std::uint64_t rows = t.elements / t.dims[0];
    if (row_blocks > std::numeric_limits<std::uint64_t>::max() / block_bytes ||
        rows > std::numeric_limits<std::uint64_t>::max() / (row_blocks * block_bytes))
        cur.fail(at, field + ".dims", "tensor size in bytes overflows 64 bits");
    t.bytes = rows * t.format->bytes_for(t.dims[0]);

    at = cur.offset();
    t.data_offset = cur.u64(field + ".offset");
    if (t.data_offset % h.alignment != 0)
        cur.fail(at, field + ".offset", "data offset " + std::to_string(t.data_offset) + " is not a multiple of the alignment (" +
                                            std::to_string(h.alignment) + ")");
    return t;
}

}  // namespace

Header read_header(Cursor& cur) {
    std::array<unsigned char, 4> magic{};
    if (cur.size() < 4) cur.fail(0, "magic", "file of " + std::to_string(cur.size()) + " bytes is too short to be GGUF");
    cur.read(magic.data(), 4, "magic");
    if (std::memcmp(magic.data(), "GGUF", 4) != 0)
        cur.fail(0, "magic", "expected \"GGUF\", got \"" + printable(std::string_view(reinterpret_cast<const char*>(magic.data()), 4)) + "\"");
    std::uint32_t version = cur.u32("version");
    if (version != 2 && version != 3) {
        std::uint32_t swapped = (version >> 24) | ((version >> 8) & 0xff00u) | ((version << 8) & 0xff0000u) | (version << 24);
        if (swapped >= 1 && swapped <= 3) cur.fail(4, "version", "big-endian GGUF files are not supported");
        cur.fail(4, "version", "unsupported GGUF version " + std::to_string(version) + " (expected 2 or 3)");
    }
    std::uint64_t tensor_count = cur.u64("tensor_count");
    std::uint64_t metadata_count = cur.u64("metadata_kv_count");
    if (tensor_count > kMaxTensors || tensor_count > cur.remaining() / kMinTensorInfoBytes)
        cur.fail(8, "tensor_count", "claims " + std::to_string(tensor_count) + " tensors; the remaining " +
                                        std::to_string(cur.remaining()) + " bytes cannot hold that many (limit " +
                                        std::to_string(kMaxTensors) + ")");
    if (metadata_count > kMaxMetadata || metadata_count > cur.remaining() / kMinMetadataBytes)
        cur.fail(16, "metadata_kv_count", "claims " + std::to_string(metadata_count) + " entries; the remaining " +
                                              std::to_string(cur.remaining()) + " bytes cannot hold that many (limit " +
                                              std::to_string(kMaxMetadata) + ")");
    Header h;
    h.metadata_offset = cur.offset();
    read_metadata(cur, h, metadata_count);
    read_alignment(cur, h);

    std::unordered_set<std::string> names;
    h.tensors.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(tensor_count, 4096)));
    for (std::uint64_t k = 0; k < tensor_count; ++k) {
        TensorInfo t = read_tensor_info(cur, h, k);
        if (!names.insert(t.name).second) cur.fail(t.info_offset, "tensor '" + printable(t.name) + "'", "duplicate tensor name");
        h.tensors.push_back(std::move(t));
    }

    // Tensor data is never read, but it has to be there: a header whose tensors run past the end
    // of the file is a truncated download, and its sizes cannot be trusted. A header-only file
    // (it ends where the tensor infos or their alignment padding end: the metadata and tensor
    // list of a model, without its weights) is accepted.
    std::uint64_t data_start = (cur.offset() + h.alignment - 1) / h.alignment * h.alignment;
    if (cur.size() == cur.offset() || cur.size() == data_start) return h;
    std::uint64_t data_size = data_start < cur.size() ? cur.size() - data_start : 0;
    for (const TensorInfo& t : h.tensors)
        if (t.data_offset > data_size || t.bytes > data_size - t.data_offset)
            cur.fail(t.info_offset, "tensor '" + printable(t.name) + "'",
                     "data [" + std::to_string(data_start + t.data_offset) + ", +" + std::to_string(t.bytes) +
                         " bytes) runs past the end of the file (" + std::to_string(cur.size()) + " bytes); truncated file?");
    return h;
}

}  // namespace infersim::workload::gguf

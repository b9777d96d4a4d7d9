// GGUF metadata -> ModelSpec: "<arch>.<key>" values onto the spec's fields, the exact per-tensor
// types and sizes onto its tensor list, and the mapping of general.architecture onto an
// infersim architecture.
#include <array>
#include <filesystem>

#include "config/errors.hpp"
#include "workload/gguf_header.hpp"
#include "workload/gguf_reader.hpp"
#include "workload/model_yaml.hpp"

namespace infersim::workload {
namespace {

using config::InputError;
using config::printable;
using config::SourceLocation;
using namespace gguf;

// GGUF general.architecture -> infersim architecture (a registered name or family name; a test
// checks that each resolves). llama.cpp stores Mixtral as llama and DeepSeek-V3 as deepseek2.
constexpr std::array<ArchitectureName, 14> kArchitectures{{
    {"llama", "llama"}, {"mistral", "mistral"}, {"qwen2", "qwen2"}, {"qwen2moe", "qwen2moe"}, {"qwen3", "qwen3"},
    {"qwen3moe", "qwen3moe"}, {"mixtral", "mixtral"}, {"gpt-oss", "gpt-oss"}, {"deepseek2", "deepseek2"},
    {"deepseek", "deepseek"}, {"gemma2", "gemma2"}, {"gemma3", "gemma3"}, {"phi3", "phi3"}, {"qwen3next", "qwen3next"},
}};

class Metadata {
public:
    Metadata(const Cursor& cur, const Header& h, std::string arch) : cur_(cur), h_(h), arch_(std::move(arch)) {}

    const Value* find(const std::string& key) const {
        auto it = h_.meta.find(key);
        return it == h_.meta.end() ? nullptr : &it->second;
    }
    bool has(std::string_view suffix) const { return find(key(suffix)) != nullptr; }
    std::string key(std::string_view suffix) const { return arch_ + "." + std::string(suffix); }

    std::int64_t integer(std::string_view suffix, std::int64_t min, std::int64_t max) const {
        std::string k = key(suffix);
        const Value* v = find(k);
        if (!v) cur_.fail(h_.metadata_offset, k, "missing required metadata key");
        return checked(*v, k, min, max);
    }
    std::int64_t integer_or(std::string_view suffix, std::int64_t min, std::int64_t max, std::int64_t fallback) const {
        return has(suffix) ? integer(suffix, min, max) : fallback;
    }

    std::int64_t checked(const Value& v, const std::string& k, std::int64_t min, std::int64_t max) const {
        std::string range = "expected an integer from " + std::to_string(min) + " to " + std::to_string(max);
        if (is_unsigned(v.type)) {
            if (v.u > static_cast<std::uint64_t>(max) || static_cast<std::int64_t>(v.u) < min)
                cur_.fail(v.offset, k, range + ", got " + std::to_string(v.u));
            return static_cast<std::int64_t>(v.u);
        }
        if (is_signed(v.type)) {
            if (v.i < min || v.i > max) cur_.fail(v.offset, k, range + ", got " + std::to_string(v.i));
            return v.i;
        }
        cur_.fail(v.offset, k, range + ", got a value of type " + type_name(v.type));
    }

private:
    const Cursor& cur_;
    const Header& h_;
    std::string arch_;
};

// Returns the GGUF name (metadata keys are prefixed with it) and sets the spec's architecture.
std::string architecture(const Cursor& cur, const Header& h, config::ModelSpec& m) {
    auto it = h.meta.find("general.architecture");
    if (it == h.meta.end()) cur.fail(h.metadata_offset, "general.architecture", "missing required metadata key");
    const Value& v = it->second;
    if (v.type != string) cur.fail(v.offset, "general.architecture", "expected a string, got " + type_name(v.type));
    std::string list;
    for (const auto& [gguf, ours] : kArchitectures) {
        if (gguf == v.s) {
            m.architecture = ours;
            return v.s;
        }
        list += (list.empty() ? "" : ", ") + std::string(gguf);
    }
    cur.fail(v.offset, "general.architecture", "unsupported architecture '" + printable(v.s) + "'; supported: " + list);
}

const TensorInfo* find_tensor(const Header& h, std::string_view name) {
    for (const TensorInfo& t : h.tensors)
        if (t.name == name) return &t;
    return nullptr;
}

bool ends_with(std::string_view s, std::string_view tail) { return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail; }

int vocab_size(const Cursor& cur, const Header& h, const Metadata& md) {
    constexpr std::int64_t kMaxVocab = 1 << 24;
    if (const TensorInfo* t = find_tensor(h, "token_embd.weight"); t && t->n_dims >= 2) {
        if (t->dims[1] > static_cast<std::uint64_t>(kMaxVocab))
            cur.fail(t->info_offset, "tensor 'token_embd.weight'.dims", "vocabulary of " + std::to_string(t->dims[1]) + " tokens; at most 2^24 supported");
        return static_cast<int>(t->dims[1]);
    }
    if (md.has("vocab_size")) return static_cast<int>(md.integer("vocab_size", 1, kMaxVocab));
    if (const Value* tokens = md.find("tokenizer.ggml.tokens")) {
        if (tokens->type != array || tokens->length == 0 || tokens->length > static_cast<std::uint64_t>(kMaxVocab))
            cur.fail(tokens->offset, "tokenizer.ggml.tokens", "expected an array of 1 to 2^24 tokens");
        return static_cast<int>(tokens->length);
    }
    cur.fail(h.metadata_offset, md.key("vocab_size"),
             "cannot tell the vocabulary size: no token_embd.weight tensor, no vocab_size and no tokenizer.ggml.tokens");
}

// The latent attention keys of a deepseek2 file. Files converted for llama.cpp's MLA path give
// key_length/value_length of the latent and the per-head sizes as *_mla.
void read_latent_attention(const Metadata& md, config::ModelSpec& m) {
    config::LatentAttentionSpec& a = m.mla;
    a.q_lora_rank = static_cast<int>(md.integer_or("attention.q_lora_rank", 0, 1 << 16, 0));
    a.kv_lora_rank = static_cast<int>(md.integer("attention.kv_lora_rank", 1, 1 << 16));
    a.qk_rope_head_dim = static_cast<int>(md.integer("rope.dimension_count", 1, 1 << 16));
    const bool mla_file = md.has("attention.key_length_mla");
    const int qk = static_cast<int>(md.integer(mla_file ? "attention.key_length_mla" : "attention.key_length", 1, 1 << 16));
    a.qk_nope_head_dim = qk - a.qk_rope_head_dim;
    a.v_head_dim = static_cast<int>(md.integer(mla_file ? "attention.value_length_mla" : "attention.value_length", 1, 1 << 16));
}

// Layer kinds llama.cpp sets in code rather than in the file (llama-model.cpp load_hparams):
// gpt-oss and Gemma 2 alternate sliding and full layers, Gemma 3 has set_swa_pattern(6);
// Qwen3-Next is linear except every full_attention_interval-th layer, with its DeltaNet sizes
// in ssm.* (group_count key heads, time_step_rank value heads, state_size the head width,
// inner_size the value width, conv_kernel).
void read_layer_kinds(const Metadata& md, config::ModelSpec& m) {
    if (m.sliding_window > 0 && (m.architecture == "gpt-oss" || m.architecture == "gemma2")) m.layer_pattern = "sf";
    if (m.sliding_window > 0 && m.architecture == "gemma3") m.layer_pattern = "sssssf";
    if (m.architecture != "qwen3next") return;
    config::LinearAttentionSpec& a = m.linear;
    a.key_heads = static_cast<int>(md.integer("ssm.group_count", 1, 1 << 14));
    a.value_heads = static_cast<int>(md.integer("ssm.time_step_rank", 1, 1 << 14));
    a.key_head_dim = a.value_head_dim = static_cast<int>(md.integer("ssm.state_size", 1, 1 << 14));
    if (md.has("ssm.inner_size")) a.value_head_dim = static_cast<int>(md.integer("ssm.inner_size", 1, 1 << 24)) / a.value_heads;
    a.conv_kernel = static_cast<int>(md.integer("ssm.conv_kernel", 1, 1 << 10));
    const auto every = md.integer_or("full_attention_interval", 1, 1 << 10, 4);
    m.layer_pattern = std::string(static_cast<std::size_t>(every - 1), 'l') + 'f';
}

config::ModelSpec to_model(const Cursor& cur, const Header& h) {
    config::ModelSpec m;
    Metadata md(cur, h, architecture(cur, h, m));
    m.layers = static_cast<int>(md.integer("block_count", 1, 10000));
    m.hidden = static_cast<int>(md.integer("embedding_length", 1, 1 << 20));
    m.heads = static_cast<int>(md.integer("attention.head_count", 1, 1 << 14));
    m.kv_heads = static_cast<int>(md.integer_or("attention.head_count_kv", 1, 1 << 14, m.heads));
    m.head_dim = static_cast<int>(md.integer_or("attention.key_length", 1, 1 << 14, 0));
    if (m.head_dim == 0) {
        if (m.hidden % m.heads != 0)
            cur.fail(md.find(md.key("attention.head_count"))->offset, md.key("attention.head_count"),
                     "embedding_length is not a multiple of head_count, and attention.key_length is not given");
        m.head_dim = m.hidden / m.heads;
    }
    m.experts = static_cast<int>(md.integer_or("expert_count", 0, 4096, 0));
    m.active_experts = static_cast<int>(md.integer_or("expert_used_count", 0, 4096, 0));
    m.shared_experts = static_cast<int>(md.integer_or("expert_shared_count", 0, 64, 0));
    if (m.experts > 0 && md.has("expert_feed_forward_length")) {
        m.ffn = static_cast<int>(md.integer("expert_feed_forward_length", 1, 1 << 22));
        m.dense_ffn = static_cast<int>(md.integer_or("feed_forward_length", 1, 1 << 22, 0));
    } else {
        m.ffn = static_cast<int>(md.integer("feed_forward_length", 1, 1 << 22));
    }
    if (m.architecture == "deepseek2") read_latent_attention(md, m);
    m.max_context = md.integer_or("context_length", 0, std::int64_t{1} << 34, 0);
    m.sliding_window = static_cast<int>(md.integer_or("attention.sliding_window", 0, 1 << 24, 0));
    m.first_dense_layers = static_cast<int>(md.integer_or("leading_dense_block_count", 0, 10000, 0));
    read_layer_kinds(md, m);
    if (m.architecture == "llama" && m.experts > 0) m.architecture = "mixtral";         // llama.cpp stores Mixtral as llama
    m.vocab = vocab_size(cur, h, md);

    m.tied_embeddings = find_tensor(h, "output.weight") == nullptr;
    for (const TensorInfo& t : h.tensors) {
        if (t.name.rfind("blk.", 0) == 0 &&
            (ends_with(t.name, ".attn_q.bias") || ends_with(t.name, ".attn_k.bias") || ends_with(t.name, ".attn_v.bias")))
            m.qkv_bias = true;
        m.tensors.push_back(config::TensorRecord{t.name, std::string(t.format->name), t.elements, t.bytes});
    }
    const Value* name = md.find("general.name");
    m.name = name && name->type == string && !name->s.empty() ? name->s : std::filesystem::path(cur.path()).stem().string();
    return m;
}

}  // namespace

std::span<const ArchitectureName> gguf_architectures() { return kArchitectures; }

config::ModelSpec load_gguf(const std::string& path) {
    Cursor cur(path);
    Header h = read_header(cur);
    config::ModelSpec m = to_model(cur, h);
    try {
        validate_model(m, SourceLocation{path});
    } catch (const InputError& e) {
        throw InputError(SourceLocation{path}, e.field(),
                         "in the metadata at byte offset " + std::to_string(h.metadata_offset) + ": " + e.detail());
    }
    m.source_text = "# imported from the GGUF header of " + path + " (" + std::to_string(m.tensors.size()) + " tensors)\n" + to_yaml(m);
    return m;
}

}  // namespace infersim::workload

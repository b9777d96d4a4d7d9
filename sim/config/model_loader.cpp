// The model schema.
#include "config/model_loader.hpp"

#include <array>
#include <filesystem>

#include "config/fields.hpp"
#include "config/layered_file.hpp"

namespace infersim::config {
namespace {

int dim(const Node& n, int max) { return static_cast<int>(n.as_integer(1, max)); }

const std::array kModelFields{
    Field<ModelSpec>{"name", "text", false, "file name", "model name", [](ModelSpec& m, const Node& n) { m.name = n.as_string(); }},
    Field<ModelSpec>{"architecture", "text", false, "llama", "llama, mistral, qwen2, qwen3, qwen3moe, mixtral, gpt-oss",
                     [](ModelSpec& m, const Node& n) { m.architecture = n.as_string(); }},
    Field<ModelSpec>{"layers", "integer", true, "", "transformer blocks", [](ModelSpec& m, const Node& n) { m.layers = dim(n, 10000); }},
    Field<ModelSpec>{"hidden", "integer", true, "", "model width (d_model)", [](ModelSpec& m, const Node& n) { m.hidden = dim(n, 1 << 20); }},
    Field<ModelSpec>{"heads", "integer", true, "", "query heads", [](ModelSpec& m, const Node& n) { m.heads = dim(n, 1 << 14); }},
    Field<ModelSpec>{"kv_heads", "integer", false, "heads", "key/value heads (GQA)", [](ModelSpec& m, const Node& n) { m.kv_heads = dim(n, 1 << 14); }},
    Field<ModelSpec>{"head_dim", "integer", false, "hidden / heads", "per-head width", [](ModelSpec& m, const Node& n) { m.head_dim = dim(n, 1 << 14); }},
    Field<ModelSpec>{"ffn", "integer", true, "", "FFN width (per expert for MoE)", [](ModelSpec& m, const Node& n) { m.ffn = dim(n, 1 << 22); }},
    Field<ModelSpec>{"vocab", "integer", true, "", "vocabulary size", [](ModelSpec& m, const Node& n) { m.vocab = dim(n, 1 << 24); }},
    Field<ModelSpec>{"tied_embeddings", "bool", false, "false", "LM head shares the embedding matrix",
                     [](ModelSpec& m, const Node& n) { m.tied_embeddings = n.as_bool(); }},
    Field<ModelSpec>{"qkv_bias", "bool", false, "false", "Q/K/V projections have biases",
                     [](ModelSpec& m, const Node& n) { m.qkv_bias = n.as_bool(); }},
    Field<ModelSpec>{"experts", "integer", false, "0", "routed experts per MoE layer (0 = dense)",
                     [](ModelSpec& m, const Node& n) { m.experts = static_cast<int>(n.as_integer(0, 4096)); }},
    Field<ModelSpec>{"active_experts", "integer", false, "0", "experts each token is routed to",
                     [](ModelSpec& m, const Node& n) { m.active_experts = static_cast<int>(n.as_integer(0, 4096)); }},
    Field<ModelSpec>{"shared_experts", "integer", false, "0", "always-active experts",
                     [](ModelSpec& m, const Node& n) { m.shared_experts = static_cast<int>(n.as_integer(0, 64)); }},
    Field<ModelSpec>{"sliding_window", "integer", false, "0", "attention window in tokens (0 = full)",
                     [](ModelSpec& m, const Node& n) { m.sliding_window = static_cast<int>(n.as_integer(0, 1 << 24)); }},
    Field<ModelSpec>{"sliding_window_every", "integer", false, "0", "every n-th layer uses the window (0 = all, when set)",
                     [](ModelSpec& m, const Node& n) { m.sliding_window_every = static_cast<int>(n.as_integer(0, 1 << 10)); }},
    Field<ModelSpec>{"max_context", "integer", false, "0", "trained context length",
                     [](ModelSpec& m, const Node& n) { m.max_context = n.as_integer(0, 1LL << 34); }},
};

constexpr std::array<std::string_view, 1> kExtends{"extends"};

}  // namespace

void validate_model(const ModelSpec& m, const SourceLocation& where) {
    validate_model(m, [&](const std::string&) { return where; });
}

void validate_model(const ModelSpec& m, const std::function<SourceLocation(const std::string&)>& where) {
    auto bad = [&](const std::string& field, const std::string& msg) { throw InputError(where(field), field, msg); };
    if (m.layers <= 0) bad("layers", "expected a positive number of layers");
    if (m.heads <= 0 || m.hidden <= 0) bad("heads", "expected positive heads and hidden size");
    if (m.kv_heads <= 0 || m.heads % m.kv_heads != 0)
        bad("kv_heads", "heads (" + std::to_string(m.heads) + ") must be a multiple of kv_heads (" + std::to_string(m.kv_heads) + ")");
    if (m.head_dim <= 0) bad("head_dim", "expected a positive head dimension");
    if (m.experts > 0 && (m.active_experts <= 0 || m.active_experts > m.experts))
        bad("active_experts", "expected between 1 and experts (" + std::to_string(m.experts) + ")");
    if (m.experts == 0 && m.active_experts > 0) bad("experts", "active_experts is set but experts is 0");
    // Parameters, in double so absurd shapes cannot wrap: attention, FFN (all experts), embeddings.
    const double h = m.hidden, layers = m.layers, experts = std::max(1, m.experts + m.shared_experts);
    const double params = layers * (h * (m.q_dim() + 2.0 * m.kv_dim()) + static_cast<double>(m.q_dim()) * h +
                                    3.0 * h * m.ffn * experts) +
                          2.0 * h * m.vocab;
    if (params > kMaxParameters)
        bad("layers", "the shape implies " + std::to_string(params) + " parameters; the limit is 1e14");
}

ModelSpec read_model(const Node& root) {
    ModelSpec m;
    read_fields<ModelSpec>(m, root, kModelFields, kExtends);
    if (m.kv_heads == 0) m.kv_heads = m.heads;
    if (m.head_dim == 0) {
        if (m.hidden % m.heads != 0) root.child("heads").fail("hidden is not a multiple of heads; set head_dim");
        m.head_dim = m.hidden / m.heads;
    }
    validate_model(m, [&](const std::string& field) { return root.has(field) ? root.child(field).location() : root.location(); });
    YAML::Emitter out;
    out << root.merged();
    m.source_text = out.c_str();
    return m;
}

ModelSpec load_model_yaml(const std::string& path) {
    ModelSpec m = read_model(load_layered(path));
    if (m.name.empty()) m.name = std::filesystem::path(path).stem().string();
    return m;
}

void describe_model_schema(std::ostream& out) { print_fields<ModelSpec>(out, "model", kModelFields); }

}  // namespace infersim::config

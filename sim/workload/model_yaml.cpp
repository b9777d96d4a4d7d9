// The model schema: the common fields here, each architecture's own fields in its file under
// arch/ (read from the same mapping once `architecture:` has chosen it).
#include "workload/model_yaml.hpp"

#include <array>
#include <filesystem>
#include <sstream>
#include <vector>

#include "config/fields.hpp"
#include "config/layered_file.hpp"

namespace infersim::workload {
namespace {

using config::Field;
using config::ModelSpec;
using config::Node;

int dim(const Node& n, int max) { return static_cast<int>(n.as_integer(1, max)); }
int count(const Node& n, int max) { return static_cast<int>(n.as_integer(0, max)); }

const std::array kModelFields{
    Field<ModelSpec>{"name", "text", false, "file name", "model name", [](ModelSpec& m, const Node& n) { m.name = n.as_string(); }},
    Field<ModelSpec>{"architecture", "name", false, "llama", "the block the model is made of (`infersim describe architectures`)",
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
                     [](ModelSpec& m, const Node& n) { m.experts = count(n, 4096); }},
    Field<ModelSpec>{"active_experts", "integer", false, "0", "experts each token is routed to",
                     [](ModelSpec& m, const Node& n) { m.active_experts = count(n, 4096); }},
    Field<ModelSpec>{"shared_experts", "integer", false, "0", "always-active experts (each ffn wide)",
                     [](ModelSpec& m, const Node& n) { m.shared_experts = count(n, 64); }},
    Field<ModelSpec>{"dense_ffn", "integer", false, "ffn", "FFN width of the dense layers of a MoE model",
                     [](ModelSpec& m, const Node& n) { m.dense_ffn = dim(n, 1 << 22); }},
    Field<ModelSpec>{"first_dense_layers", "integer", false, "0", "leading layers with a dense FFN (first_k_dense_replace)",
                     [](ModelSpec& m, const Node& n) { m.first_dense_layers = count(n, 10000); }},
    Field<ModelSpec>{"moe_layer_freq", "integer", false, "1", "after those, layer l is MoE when l % moe_layer_freq == 0",
                     [](ModelSpec& m, const Node& n) { m.moe_layer_freq = dim(n, 10000); }},
    Field<ModelSpec>{"sliding_window", "integer", false, "0", "attention window in tokens (0 = full)",
                     [](ModelSpec& m, const Node& n) { m.sliding_window = count(n, 1 << 24); }},
    Field<ModelSpec>{"sliding_window_every", "integer", false, "0", "every n-th layer uses the window (0 = all, when set)",
                     [](ModelSpec& m, const Node& n) { m.sliding_window_every = count(n, 1 << 10); }},
    Field<ModelSpec>{"max_context", "integer", false, "0", "trained context length",
                     [](ModelSpec& m, const Node& n) { m.max_context = n.as_integer(0, 1LL << 34); }},
    Field<ModelSpec>{"layer_pattern", "text", false, "\"\"", "attention kind per layer, cycled: f full, s sliding window, l linear",
                     [](ModelSpec& m, const Node& n) { m.layer_pattern = n.as_string(); }},
    Field<ModelSpec>{"attn_softcap", "number", false, "0", "attention logit softcapping (noted, not priced)",
                     [](ModelSpec& m, const Node& n) { m.attn_softcap = n.as_quantity(config::Dimension::count, 0, 1e6); }},
    Field<ModelSpec>{"mtp_layers", "integer", false, "0", "multi-token-prediction layers in the checkpoint (reported, not replayed)",
                     [](ModelSpec& m, const Node& n) { m.mtp_layers = count(n, 64); }},
    Field<ModelSpec>{"vision_params", "number", false, "0", "vision tower + projector weights (reported, not replayed)",
                     [](ModelSpec& m, const Node& n) { m.vision_params = n.as_quantity(config::Dimension::count, 0, 1e13); }},
};

constexpr std::array<std::string_view, 1> kExtends{"extends"};

const ArchitectureEntry& entry_of(const Node& root) {
    if (!root.has("architecture")) return *find_architecture(ModelSpec{}.architecture);
    const Node n = root.child("architecture");
    const std::string name = n.as_string();
    const ArchitectureEntry* e = find_architecture(name);
    if (!e) n.fail("unknown architecture '" + config::printable(name) + "'; expected " + architecture_names());
    return *e;
}

}  // namespace

void validate_model(const ModelSpec& m, const config::SourceLocation& where) {
    validate_model(m, [&](const std::string&) { return where; });
}

void validate_model(const ModelSpec& m, const FieldLocator& where) {
    auto bad = [&](const std::string& field, const std::string& msg) { throw config::InputError(where(field), field, msg); };
    const ArchitectureEntry* arch = find_architecture(m.architecture);
    if (!arch) bad("architecture", "unknown architecture '" + config::printable(m.architecture) + "'; expected " + architecture_names());
    if (m.layers <= 0) bad("layers", "expected a positive number of layers");
    if (m.heads <= 0 || m.hidden <= 0) bad("heads", "expected positive heads and hidden size");
    if (m.kv_heads <= 0 || m.heads % m.kv_heads != 0)
        bad("kv_heads", "heads (" + std::to_string(m.heads) + ") must be a multiple of kv_heads (" + std::to_string(m.kv_heads) + ")");
    if (m.head_dim <= 0) bad("head_dim", "expected a positive head dimension");
    if (m.experts > 0 && (m.active_experts <= 0 || m.active_experts > m.experts))
        bad("active_experts", "expected between 1 and experts (" + std::to_string(m.experts) + ")");
    if (m.experts == 0 && m.active_experts > 0) bad("experts", "active_experts is set but experts is 0");
    if (m.moe_layer_freq < 1) bad("moe_layer_freq", "expected a positive layer period");
    if (m.first_dense_layers > m.layers) bad("first_dense_layers", "more dense layers than layers (" + std::to_string(m.layers) + ")");
    if (m.layer_pattern.size() > static_cast<std::size_t>(m.layers))
        bad("layer_pattern", "longer than the model's " + std::to_string(m.layers) + " layers");
    if (m.layer_pattern.find_first_not_of("fsl") != std::string::npos) bad("layer_pattern", "expected only the letters f, s and l");
    arch->validate(m, where);
    const double params = parameter_count(m);
    if (params > kMaxParameters)
        bad("layers", "the shape implies " + std::to_string(params) + " parameters; the limit is 1e14");
}

ModelSpec read_model(const Node& root) {
    if (!root.is_map()) root.fail("expected a mapping of keys to values");
    const ArchitectureEntry& arch = entry_of(root);
    std::vector<Field<ModelSpec>> fields(kModelFields.begin(), kModelFields.end());
    fields.insert(fields.end(), arch.fields.begin(), arch.fields.end());
    ModelSpec m;
    config::read_fields<ModelSpec>(m, root, fields, kExtends);
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
    ModelSpec m = read_model(config::load_layered(path));
    if (m.name.empty()) m.name = std::filesystem::path(path).stem().string();
    return m;
}

std::string to_yaml(const ModelSpec& m) {
    std::ostringstream y;
    y << "name: \"" << config::printable(m.name) << "\"\narchitecture: " << m.architecture << "\nlayers: " << m.layers
      << "\nhidden: " << m.hidden << "\nheads: " << m.heads << "\nkv_heads: " << m.kv_heads << "\nhead_dim: " << m.head_dim
      << "\nffn: " << m.ffn << "\nvocab: " << m.vocab << "\ntied_embeddings: " << (m.tied_embeddings ? "true" : "false")
      << "\nqkv_bias: " << (m.qkv_bias ? "true" : "false") << "\nexperts: " << m.experts << "\nactive_experts: " << m.active_experts
      << "\nshared_experts: " << m.shared_experts << "\nsliding_window: " << m.sliding_window
      << "\nsliding_window_every: " << m.sliding_window_every << "\nmax_context: " << m.max_context << "\n";
    if (m.dense_ffn > 0) y << "dense_ffn: " << m.dense_ffn << "\n";
    if (m.first_dense_layers > 0) y << "first_dense_layers: " << m.first_dense_layers << "\n";
    if (m.moe_layer_freq != 1) y << "moe_layer_freq: " << m.moe_layer_freq << "\n";
    if (!m.layer_pattern.empty()) y << "layer_pattern: " << m.layer_pattern << "\n";
    if (m.attn_softcap > 0) y << "attn_softcap: " << m.attn_softcap << "\n";
    if (m.mtp_layers > 0) y << "mtp_layers: " << m.mtp_layers << "\n";
    if (m.vision_params > 0) y << "vision_params: " << m.vision_params << "\n";
    if (m.linear.key_heads > 0)
        y << "linear_key_heads: " << m.linear.key_heads << "\nlinear_value_heads: " << m.linear.value_heads << "\nlinear_key_head_dim: "
          << m.linear.key_head_dim << "\nlinear_value_head_dim: " << m.linear.value_head_dim << "\nlinear_conv_kernel: " << m.linear.conv_kernel << "\n";
    if (m.mla.kv_lora_rank > 0)
        y << "q_lora_rank: " << m.mla.q_lora_rank << "\nkv_lora_rank: " << m.mla.kv_lora_rank << "\nqk_rope_head_dim: "
          << m.mla.qk_rope_head_dim << "\nqk_nope_head_dim: " << m.mla.qk_nope_head_dim << "\nv_head_dim: " << m.mla.v_head_dim << "\n";
    return y.str();
}

void describe_model_schema(std::ostream& out) {
    config::print_fields<ModelSpec>(out, "model", kModelFields);
    out << "\narchitectures: " << architecture_names()
        << "\n(`infersim describe architectures`: each one's own fields and the HF config.json keys it reads)\n";
}

}  // namespace infersim::workload

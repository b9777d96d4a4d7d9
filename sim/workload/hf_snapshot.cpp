// HF snapshot folders: config.json for the shape, safetensors headers for the exact tensors.
#include "workload/hf_snapshot.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <map>
#include <string_view>

#include <nlohmann/json.hpp>

#include "config/bounded_read.hpp"
#include "config/errors.hpp"
#include "config/yaml_node.hpp"
#include "workload/hf_config.hpp"

namespace infersim::workload {
namespace {

namespace fs = std::filesystem;

// HF module path inside a decoder layer -> the GGUF role name (llama.cpp's convert_hf_to_gguf
// tensor map, for the families infersim reads).
constexpr std::array<std::pair<std::string_view, std::string_view>, 30> kLayerModules{{
    {"input_layernorm", "attn_norm"},          {"post_attention_layernorm", "ffn_norm"},
    {"self_attn.q_proj", "attn_q"},            {"self_attn.k_proj", "attn_k"},
    {"self_attn.v_proj", "attn_v"},            {"self_attn.o_proj", "attn_output"},
    {"self_attn.qkv_proj", "attn_q"},          // phi3: q, k and v in one tensor
    {"self_attn.q_a_proj", "attn_q_a"},        {"self_attn.q_a_layernorm", "attn_q_a_norm"},
    {"self_attn.q_b_proj", "attn_q_b"},        {"self_attn.kv_a_proj_with_mqa", "attn_kv_a_mqa"},
    {"self_attn.kv_a_layernorm", "attn_kv_a_norm"}, {"self_attn.kv_b_proj", "attn_kv_b"},
    {"mlp.gate_proj", "ffn_gate"},             {"mlp.up_proj", "ffn_up"},
    {"mlp.down_proj", "ffn_down"},             {"mlp.gate_up_proj", "ffn_up"},  // phi3: gate and up in one
    {"mlp.gate", "ffn_gate_inp"},              {"mlp.router", "ffn_gate_inp"},
    {"block_sparse_moe.gate", "ffn_gate_inp"}, {"mlp.shared_experts.gate_proj", "ffn_gate_shexp"},
    {"mlp.shared_experts.up_proj", "ffn_up_shexp"}, {"mlp.shared_experts.down_proj", "ffn_down_shexp"},
    {"mlp.shared_expert.gate_proj", "ffn_gate_shexp"}, {"mlp.shared_expert.up_proj", "ffn_up_shexp"},
    {"mlp.shared_expert.down_proj", "ffn_down_shexp"}, {"mlp.experts.gate_up_proj", "ffn_up_exps"},  // gpt-oss, all experts
    {"mlp.experts.down_proj", "ffn_down_exps"},
}};

// Per-expert modules: "<prefix>.<E>.<name>" -> role.
constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kExpertModules{{
    {"gate_proj", "ffn_gate_exps"}, {"up_proj", "ffn_up_exps"}, {"down_proj", "ffn_down_exps"},
    {"w1", "ffn_gate_exps"},        {"w3", "ffn_up_exps"},      {"w2", "ffn_down_exps"},  // Mixtral
}};

constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kGlobalModules{{
    {"model.embed_tokens", "token_embd"}, {"model.norm", "output_norm"}, {"lm_head", "output"},
}};

bool ends_with(std::string_view s, std::string_view tail) { return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail; }

template <std::size_t N>
std::string_view lookup(const std::array<std::pair<std::string_view, std::string_view>, N>& table, std::string_view key) {
    for (const auto& [from, to] : table)
        if (from == key) return to;
    return {};
}

// "mlp.experts.7.up_proj" / "block_sparse_moe.experts.7.w3" -> the merged role, else empty.
std::string_view expert_role(std::string_view module) {
    for (std::string_view prefix : {"mlp.experts.", "block_sparse_moe.experts."}) {
        if (module.substr(0, prefix.size()) != prefix) continue;
        std::string_view rest = module.substr(prefix.size());
        const std::size_t dot = rest.find('.');
        if (dot == std::string_view::npos || dot == 0 || rest.substr(0, dot).find_first_not_of("0123456789") != std::string_view::npos)
            return {};
        return lookup(kExpertModules, rest.substr(dot + 1));
    }
    return {};
}

// How a tensor is stored: its format name, or the lower-case dtype for one infersim cannot run.
std::string format_of(const SafetensorsTensor& t, bool mxfp4_blocks) {
    if (mxfp4_blocks) return "mxfp4";
    if (t.dtype == "BF16") return "bf16";
    if (t.dtype == "F16") return "f16";
    if (t.dtype == "F32") return "f32";
    if (t.dtype == "F8_E4M3" || t.dtype == "F8_E5M2") return "fp8";
    std::string s = t.dtype;
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

struct Named {
    std::string gguf;    // the record's name
    bool scales = false; // block scales, counted with their weights
    bool mxfp4 = false;  // packed MXFP4 blocks (gpt-oss *_blocks, U8, two weights per byte)
};

// HF tensor name -> GGUF name. "language_model." (gemma3's multimodal checkpoints) is dropped.
Named gguf_name(std::string name, int layers) {
    if (name.rfind("language_model.", 0) == 0) name = name.substr(15);
    Named n;
    std::string param = "weight";
    std::string module = name;
    if (ends_with(name, ".weight_scale_inv")) module = name.substr(0, name.size() - 17), n.scales = true;
    else if (ends_with(name, "_blocks")) module = name.substr(0, name.size() - 7), n.mxfp4 = true;
    else if (ends_with(name, "_scales")) module = name.substr(0, name.size() - 7), n.scales = true;
    else if (ends_with(name, ".weight")) module = name.substr(0, name.size() - 7);
    else if (ends_with(name, ".bias")) module = name.substr(0, name.size() - 5), param = "bias";
    else return Named{name};
    if (std::string_view g = lookup(kGlobalModules, module); !g.empty()) return n.gguf = std::string(g) + "." + param, n;
    const std::string prefix = "model.layers.";
    if (module.rfind(prefix, 0) != 0) return Named{name};
    const std::size_t dot = module.find('.', prefix.size());
    const std::string index = module.substr(prefix.size(), dot - prefix.size());
    if (dot == std::string::npos || index.empty() || index.size() > 6 || index.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(index) >= layers)
        return Named{name};  // the multi-token-prediction layer past num_hidden_layers, or not a layer
    const std::string_view inner = std::string_view(module).substr(dot + 1);
    std::string_view role = lookup(kLayerModules, inner);
    if (role.empty()) role = expert_role(inner);
    if (role.empty()) return Named{name};
    n.gguf = "blk." + index + "." + std::string(role) + "." + param;
    return n;
}

// The safetensors files of a snapshot: the index's shards when there is one, else every
// *.safetensors in the folder, in name order.
std::vector<std::string> shard_files(const fs::path& dir) {
    std::vector<std::string> files;
    const fs::path index = dir / "model.safetensors.index.json";
    std::error_code ec;
    if (fs::is_regular_file(index, ec)) {
        const nlohmann::json j = nlohmann::json::parse(
            config::read_bounded(index.string(), config::ReadLimits{64u << 20, 64u << 20}), nullptr, false);
        if (j.is_discarded() || !j.contains("weight_map") || !j["weight_map"].is_object())
            throw config::InputError(config::SourceLocation{index.string(), 0, 0}, "weight_map", "expected an object of tensor -> shard file");
        for (const auto& [tensor, file] : j["weight_map"].items()) {
            const std::string f = file.is_string() ? file.get<std::string>() : std::string();
            if (f.empty() || f.find('/') != std::string::npos || f == "..")
                throw config::InputError(config::SourceLocation{index.string(), 0, 0}, "weight_map." + config::printable(tensor, 80),
                                         "expected a shard file name in the same folder");
            files.push_back((dir / f).string());
        }
    } else {
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
            if (it->path().extension() == ".safetensors") files.push_back(it->path().string());
    }
    std::sort(files.begin(), files.end());
    files.erase(std::unique(files.begin(), files.end()), files.end());
    return files;
}

// The folder's name; in the hub cache (models--org--name/snapshots/<revision>) the repo id.
std::string snapshot_name(const fs::path& folder) {
    const fs::path snapshots = folder.parent_path();
    const std::string entry = snapshots.parent_path().filename().string();
    const std::string prefix = "models--";
    const std::size_t sep = entry.find("--", prefix.size());
    if (snapshots.filename() == "snapshots" && entry.rfind(prefix, 0) == 0 && sep != std::string::npos)
        return entry.substr(prefix.size(), sep - prefix.size()) + "/" + entry.substr(sep + 2);
    return folder.filename().string();
}

}  // namespace

std::vector<config::TensorRecord> checkpoint_records(const std::vector<SafetensorsTensor>& tensors, int layers) {
    std::map<std::string, config::TensorRecord> merged;
    for (const SafetensorsTensor& t : tensors) {
        const Named n = gguf_name(t.name, layers);
        config::TensorRecord& r = merged[n.gguf];
        r.name = n.gguf;
        r.bytes += t.bytes();
        if (n.scales) continue;  // scales add bytes, not weights
        r.elements += n.mxfp4 ? 2 * t.elements() : t.elements();
        r.type = format_of(t, n.mxfp4);
    }
    std::vector<config::TensorRecord> out;
    for (auto& [name, r] : merged) out.push_back(std::move(r));
    return out;
}

config::ModelSpec load_hf_snapshot(const std::string& dir) {
    const fs::path folder = fs::path(dir).lexically_normal();
    const fs::path config_json = folder / "config.json";
    std::error_code ec;
    if (!fs::is_regular_file(config_json, ec))
        throw config::InputError(config::SourceLocation{dir, 0, 0}, "model", "a model folder needs a config.json (a Hugging Face snapshot)");
    config::ModelSpec m = load_hf_config(config_json.string());
    m.name = snapshot_name(folder.filename().empty() ? folder.parent_path() : folder);
    std::vector<SafetensorsTensor> tensors;
    for (const std::string& f : shard_files(folder))
        for (SafetensorsTensor& t : read_safetensors_header(f)) tensors.push_back(std::move(t));
    m.checkpoint_tensors = checkpoint_records(tensors, m.layers);
    return m;
}

}  // namespace infersim::workload

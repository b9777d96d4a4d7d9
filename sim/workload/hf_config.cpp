// Hugging Face config.json -> ModelSpec. nlohmann::json parses but keeps no positions, so a
// light scan of the text first records where each top-level value starts (for file:line:column
// in messages), rejects deep nesting before the parser sees it, and finds duplicate keys, which
// the parser would silently resolve to the last one.
#include "workload/hf_config.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "config/bounded_read.hpp"
#include "config/errors.hpp"
#include "config/yaml_node.hpp"
#include "workload/hf_json.hpp"
#include "workload/model_yaml.hpp"

namespace infersim::workload {
namespace {

using hf::Config;
using hf::InputError;
using hf::json;
using hf::locate;
using hf::printable;
using hf::SourceLocation;

// What the pre-scan learns about the text.
struct Layout {
    std::size_t object_start = 0;                     // offset of the top-level '{'
    std::size_t too_deep_at = std::string::npos;      // first bracket past the nesting limit
    std::vector<std::pair<std::string, std::size_t>> keys;  // top-level keys with their values' offsets
};

std::string decode_key(std::string_view quoted) {
    if (quoted.find('\\') == std::string_view::npos) return std::string(quoted.substr(1, quoted.size() - 2));
    try {
        return json::parse(quoted).get<std::string>();
    } catch (const json::exception&) {
        return std::string(quoted);
    }
}

// Tolerates invalid input (the parser reports syntax errors); key offsets are right for valid JSON.
Layout scan(const std::string& text) {
    Layout out;
    int depth = 0;
    char last = 0;  // last structural character outside strings
    std::size_t i = 0;
    auto skip_space = [&](std::size_t k) {
        while (k < text.size() && (text[k] == ' ' || text[k] == '\t' || text[k] == '\n' || text[k] == '\r')) ++k;
        return k;
    };
    while (i < text.size()) {
        char c = text[i];
        if (c == '"') {
            std::size_t start = i++;
            while (i < text.size() && text[i] != '"') i += text[i] == '\\' ? 2 : 1;
            std::size_t end = std::min(i + 1, text.size());
            if (depth == 1 && (last == '{' || last == ',') && end - start >= 2) {
                std::size_t colon = skip_space(end);
                if (colon < text.size() && text[colon] == ':')
                    out.keys.emplace_back(decode_key(std::string_view(text).substr(start, end - start)), skip_space(colon + 1));
            }
            last = '"';
            i = end;
            continue;
        }
        if (c == '{' || c == '[') {
            if (depth == 0 && c == '{') out.object_start = i;
            if (++depth > config::kMaxNestingDepth && out.too_deep_at == std::string::npos) out.too_deep_at = i;
        } else if (c == '}' || c == ']') {
            --depth;
        }
        if (c == '{' || c == '[' || c == '}' || c == ']' || c == ',' || c == ':') last = c;
        ++i;
    }
    return out;
}


// transformers model_type -> infersim architecture (a registered name or family name; a test
// checks that each resolves). DeepSeek-V3 and Kimi K2 are the V2 block (MLA + DeepSeekMoE), as in
// llama.cpp; DeepSeek (v1) MoE is the llama block with shared experts and leading dense layers.
constexpr std::array<ArchitectureName, 17> kModelTypes{{
    {"llama", "llama"}, {"mistral", "mistral"}, {"qwen2", "qwen2"}, {"qwen2_moe", "qwen2moe"}, {"qwen3", "qwen3"},
    {"qwen3_moe", "qwen3moe"}, {"mixtral", "mixtral"}, {"gpt_oss", "gpt-oss"}, {"deepseek_v2", "deepseek2"},
    {"deepseek_v3", "deepseek2"}, {"kimi_k2", "deepseek2"}, {"deepseek", "deepseek"}, {"gemma2", "gemma2"},
    {"gemma3", "gemma3"}, {"gemma3_text", "gemma3"}, {"phi3", "phi3"}, {"qwen3_next", "qwen3next"},
}};

std::string read_text(const std::string& path) {
    // A config.json may be minified onto one line: the line cap is the size cap.
    return config::read_bounded(path, config::ReadLimits{config::kMaxInputFileBytes, config::kMaxInputFileBytes});
}

// nlohmann reports the last character it read (1-based); inside a bad number or literal that is
// its last character, so step back to the token's first.
std::size_t token_start(const std::string& text, std::size_t byte) {
    std::size_t at = std::min(byte > 0 ? byte - 1 : 0, text.size());
    auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '+' || c == '-'; };
    if (at < text.size() && word(text[at]))
        while (at > 0 && word(text[at - 1])) --at;
    return at;
}

// json::parse's DOM builder, except that errors are recorded with their position instead of
// thrown: json::parse reports a number overflow ("1e999") as out_of_range, without one.
struct DomBuilder : nlohmann::detail::json_sax_dom_parser<json> {
    using json_sax_dom_parser::json_sax_dom_parser;
    std::size_t error_byte = 0;
    std::string error;
    template <class Exception>
    bool parse_error(std::size_t position, const std::string& /*last_token*/, const Exception& ex) {
        error_byte = position;
        error = ex.what();
        return false;
    }
};

json parse(const std::string& path, const std::string& text, const Layout& layout) {
    if (layout.too_deep_at != std::string::npos)
        throw InputError(locate(path, text, layout.too_deep_at), "",
                         "nesting deeper than " + std::to_string(config::kMaxNestingDepth) + " levels");
    json root;
    DomBuilder builder(root, false);
    if (!json::sax_parse(text, &builder)) {
        std::string detail = builder.error.substr(builder.error.find("] ") == std::string::npos ? 0 : builder.error.find("] ") + 2);
        if (detail.rfind("parse error", 0) == 0 && detail.find(": ") != std::string::npos) detail = detail.substr(detail.find(": ") + 2);
        throw InputError(locate(path, text, token_start(text, builder.error_byte)), "", "JSON " + printable(detail));
    }
    if (!root.is_object()) throw InputError(locate(path, text, 0), "", "expected a JSON object at the top of config.json");
    std::map<std::string, std::size_t> seen;
    for (const auto& [key, offset] : layout.keys)
        if (!seen.emplace(key, offset).second) throw InputError(locate(path, text, offset), printable(key), "duplicate key");
    return root;
}

// `_name_or_path` names the model only when it is a hub id ("org/name" or "name"); in the wild it
// is often the path of a training run ("/scratch/ckpt/step-9000"), which is no name.
bool is_repo_id(const std::string& s) {
    if (s.empty() || s.size() > 96 || s.front() == '/' || s.front() == '.' || std::count(s.begin(), s.end(), '/') > 1) return false;
    return std::all_of(s.begin(), s.end(), [](unsigned char ch) { return std::isalnum(ch) || ch == '/' || ch == '-' || ch == '_' || ch == '.'; });
}

std::string default_name(const std::string& path) {
    std::filesystem::path p(path);
    if (p.filename() == "config.json" && p.has_parent_path() && !p.parent_path().filename().empty())
        return p.parent_path().filename().string();
    return p.stem().string();
}

// Routed experts of the llama-family MoE types (Mixtral, Qwen2/3-MoE, Qwen3-Next, gpt-oss).
void read_experts(const Config& c, const std::string& type, config::ModelSpec& m) {
    const bool qwen_moe = type == "qwen3_moe" || type == "qwen2_moe" || type == "qwen3_next";
    m.experts = static_cast<int>(c.integer(qwen_moe ? "num_experts" : "num_local_experts", 1, 4096));
    if (!c.has("num_experts_per_tok") && !c.has("experts_per_token")) throw InputError(c.object(), "num_experts_per_tok", "missing required key");
    m.active_experts = static_cast<int>(c.first_of({"num_experts_per_tok", "experts_per_token"}, 1, 4096, 0));
    if (!qwen_moe) {
        m.ffn = static_cast<int>(c.integer("intermediate_size", 1, 1 << 22));  // per expert for Mixtral and gpt-oss
        return;
    }
    m.ffn = static_cast<int>(c.integer("moe_intermediate_size", 1, 1 << 22));
    // Dense layers interleaved by decoder_sparse_step or listed in mlp_only_layers are not described.
    if (c.integer_or("decoder_sparse_step", 1, 1 << 10, 1) != 1) c.fail("decoder_sparse_step", "only 1 (every layer MoE) is supported");
    if (const json* dense = c.get("mlp_only_layers"); dense && !(dense->is_array() && dense->empty()))
        c.fail("mlp_only_layers", "only an empty list (every layer MoE) is supported");
    if (c.has("shared_expert_intermediate_size")) {  // Qwen2-MoE: one wide shared expert = n of moe width
        const auto shared = c.integer("shared_expert_intermediate_size", 1, 1 << 22);
        if (shared % m.ffn != 0) c.fail("shared_expert_intermediate_size", "expected a multiple of moe_intermediate_size (" + std::to_string(m.ffn) + ")");
        m.shared_experts = static_cast<int>(std::min<std::int64_t>(shared / m.ffn, 64));
    }
}

// The common keys; `defaults` for Gemma's, which transformers' configs leave out when default.
void read_common(const Config& c, const std::string& type, config::ModelSpec& m) {
    const bool gemma = type.rfind("gemma", 0) == 0;
    m.layers = static_cast<int>(c.integer("num_hidden_layers", 1, 10000));
    m.hidden = static_cast<int>(c.integer("hidden_size", 1, 1 << 20));
    m.heads = static_cast<int>(c.integer("num_attention_heads", 1, 1 << 14));
    m.kv_heads = static_cast<int>(c.integer_or("num_key_value_heads", 1, 1 << 14, m.heads));
    m.head_dim = static_cast<int>(c.integer_or("head_dim", 1, 1 << 14, gemma ? 256 : 0));  // Gemma2/3Config default 256
    if (m.head_dim == 0) {
        if (m.hidden % m.heads != 0) c.fail("num_attention_heads", "hidden_size is not a multiple of num_attention_heads, and head_dim is not given");
        m.head_dim = m.hidden / m.heads;
    }
    // Gemma2Config / Gemma3TextConfig defaults: vocab 256000 / 262208, tied embeddings.
    m.vocab = static_cast<int>(gemma && !c.has("vocab_size") ? (type == "gemma2" ? 256000 : 262208) : c.integer("vocab_size", 1, 1 << 24));
    m.tied_embeddings = c.boolean_or("tie_word_embeddings", gemma);
    m.qkv_bias = type == "qwen2" || type == "qwen2_moe" || c.boolean_or("attention_bias", false);
    m.max_context = c.integer_or("max_position_embeddings", 0, std::int64_t{1} << 34, 0);
}

void read_attention_window(const Config& c, const std::string& type, config::ModelSpec& m) {
    const bool qwen = type == "qwen2" || type == "qwen3" || type == "qwen3_moe" || type == "qwen2_moe";
    if (type == "gpt_oss") {
        m.sliding_window = static_cast<int>(c.integer_or("sliding_window", 0, 1 << 24, 0));
        if (m.sliding_window > 0) hf::read_layer_types(c, m, "sf");  // sliding and full alternate unless listed
    } else if (type == "mistral" || type == "mixtral" || type == "phi3" ||
               (qwen && c.boolean_or("use_sliding_window", false))) {
        m.sliding_window = static_cast<int>(c.integer_or("sliding_window", 0, 1 << 24, 0));
    }
}

config::ModelSpec read_model(const Config& root, const std::string& path) {
    config::ModelSpec m;
    std::string type = root.string("model_type");
    std::string_view arch;
    for (const auto& [hf, ours] : kModelTypes)
        if (hf == type) arch = ours;
    if (arch.empty()) {
        std::string list;
        for (const auto& p : kModelTypes) list += (list.empty() ? "" : ", ") + std::string(p.first);
        root.fail("model_type", "unsupported model_type '" + printable(type) + "'; supported: " + list);
    }
    m.architecture = arch;
    // Gemma3ForConditionalGeneration nests the language model's keys under text_config.
    const bool nested = type == "gemma3" && root.has("text_config");
    const Config c = nested ? root.nested("text_config") : root;
    read_common(c, type, m);

    if (type == "deepseek_v2" || type == "deepseek_v3" || type == "kimi_k2") {
        hf::read_mla(c, m);
        hf::read_deepseek_moe(c, m);
    } else if (type == "deepseek") {
        hf::read_deepseek_moe(c, m);
    } else if (type == "mixtral" || type == "qwen3_moe" || type == "qwen2_moe" || type == "gpt_oss" || type == "qwen3_next") {
        read_experts(c, type, m);
    } else {
        m.ffn = static_cast<int>(c.integer("intermediate_size", 1, 1 << 22));
    }
    if (type.rfind("gemma", 0) == 0) hf::read_gemma(c, type, m);
    if (type == "gemma3") m.vision_params = hf::gemma3_vision_params(root, m.hidden);
    if (type == "qwen3_next") hf::read_qwen3_next(c, m);
    read_attention_window(c, type, m);

    const json* name = root.get("_name_or_path");
    m.name = name && name->is_string() && is_repo_id(name->get<std::string>()) ? name->get<std::string>() : default_name(path);
    validate_model(m, c.object());
    return m;
}

}  // namespace

std::span<const ArchitectureName> hf_model_types() { return kModelTypes; }

config::ModelSpec load_hf_config(const std::string& path) {
    std::string text = read_text(path);
    Layout layout = scan(text);
    json root = parse(path, text, layout);
    config::ModelSpec m = read_model(Config(path, text, root, layout.object_start, layout.keys), path);
    m.source_text = std::move(text);
    return m;
}

}  // namespace infersim::workload

// llama-bench's printers (markdown_printer, csv_printer, json_printer, jsonl_printer).
#include "scenario/bench_format.hpp"

#include <array>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string_view>

namespace infersim::scenario {
namespace {

enum class FieldType { string, integer, boolean, floating };

// llama-bench's test::get_fields(), in order.
constexpr std::array<std::string_view, 36> kFields{
    "build_commit", "build_number", "cpu_info",     "gpu_info",       "backends",     "model_filename",        "model_type",
    "model_size",   "model_n_params", "n_batch",    "n_ubatch",       "n_threads",    "cpu_mask",              "cpu_strict",
    "poll",         "type_k",       "type_v",       "n_gpu_layers",   "n_cpu_moe",    "split_mode",            "main_gpu",
    "no_kv_offload", "flash_attn",  "tensor_split", "tensor_buft_overrides", "use_mmap", "embeddings",         "no_op_offload",
    "n_prompt",     "n_gen",        "n_depth",      "test_time",      "avg_ns",       "stddev_ns",             "avg_ts",
    "stddev_ts"};

FieldType field_type(std::string_view f) {
    constexpr std::string_view kInt[] = {"build_number", "n_batch", "n_ubatch", "n_threads", "poll", "model_size", "model_n_params",
                                         "n_gpu_layers", "main_gpu", "n_prompt", "n_gen", "n_depth", "avg_ns", "stddev_ns",
                                         "no_op_offload", "n_cpu_moe"};
    constexpr std::string_view kBool[] = {"no_kv_offload", "cpu_strict", "flash_attn", "use_mmap", "embeddings"};
    for (auto k : kInt)
        if (f == k) return FieldType::integer;
    for (auto k : kBool)
        if (f == k) return FieldType::boolean;
    if (f == "avg_ts" || f == "stddev_ts") return FieldType::floating;
    return FieldType::string;
}

// std::to_string(double): "%f".
std::string fixed6(double v) {
    char b[64];
    std::snprintf(b, sizeof b, "%f", v);
    return b;
}

// test::get_values(): every field as llama-bench stringifies it (std::to_string of its member).
std::vector<std::string> values(const BenchInfo& in, const BenchRow& r) {
    const BenchTest& t = r.test;
    auto n = [](auto v) { return std::to_string(v); };
    return {in.build_commit, n(in.build_number), in.cpu_info, in.gpu_info, in.backends, in.model_filename, in.model_type,
            n(in.model_size), n(in.model_n_params), n(t.n_batch), n(t.n_ubatch), n(in.n_threads), "0x0", "0", "50",
            t.type_k, t.type_v, n(t.n_gpu_layers), "0", "layer", "0", "0", t.flash_attn ? "1" : "0", "0.00", "none", "1", "0", "0",
            n(t.n_prompt), n(t.n_gen), n(t.n_depth), in.test_time, n(r.ns), "0", fixed6(r.ts()), fixed6(0.0)};
}

std::string escape_json(const std::string& v) {
    std::string out;
    for (unsigned char c : v) {
        if (c == '"' || c == '\\') out += '\\', out += static_cast<char>(c);
        else if (c < 0x20) {
            char b[8];
            std::snprintf(b, sizeof b, "\\u%04x", c);
            out += b;
        } else out += static_cast<char>(c);
    }
    return out;
}

std::string json_value(std::string_view field, const std::string& v) {
    switch (field_type(field)) {
        case FieldType::string: return "\"" + escape_json(v) + "\"";
        case FieldType::boolean: return v == "0" ? "false" : "true";
        default: return v;
    }
}

// join(samples, ", ") with a stringstream: integers as they are, doubles with 6 significant digits.
template <typename T>
std::string join_samples(const BenchRow& r, T value) {
    std::ostringstream s;
    for (int i = 0; i < r.repetitions; ++i) s << (i ? ", " : "") << value;
    return s.str();
}

struct Column {
    std::string_view field, title;
    int width;  // negative: left-aligned, as llama-bench's get_field_width
};

std::vector<Column> columns(const BenchFlags& f, bool cpu_backend) {
    const BenchFlags d;
    std::vector<Column> c{{"model", "model", -30}, {"size", "size", 10}, {"params", "params", 10}, {"backend", "backend", -10}};
    if (!cpu_backend) c.push_back({"n_gpu_layers", "ngl", 3});
    if (cpu_backend) c.push_back({"n_threads", "threads", 7});
    if (f.n_batch != d.n_batch) c.push_back({"n_batch", "n_batch", 10});
    if (f.n_ubatch != d.n_ubatch) c.push_back({"n_ubatch", "n_ubatch", 10});
    if (f.type_k != d.type_k) c.push_back({"type_k", "type_k", -6});
    if (f.type_v != d.type_v) c.push_back({"type_v", "type_v", -6});
    if (f.flash_attn != d.flash_attn) c.push_back({"flash_attn", "fa", 2});
    c.push_back({"test", "test", 15});
    c.push_back({"t/s", "t/s", 20});
    return c;
}

std::string human(double v, double unit_big, const char* big, double unit_small, const char* small, double threshold) {
    char b[64];
    if (v < threshold) std::snprintf(b, sizeof b, "%.2f %s", v / unit_small, small);
    else std::snprintf(b, sizeof b, "%.2f %s", v / unit_big, big);
    return b;
}

std::string cell(std::string_view field, const BenchInfo& in, const BenchRow& r) {
    const BenchTest& t = r.test;
    if (field == "model") return in.model_type;
    if (field == "size") return human(static_cast<double>(in.model_size), 1024.0 * 1024 * 1024, "GiB", 1024.0 * 1024, "MiB", 1024.0 * 1024 * 1024);
    if (field == "params") return human(static_cast<double>(in.model_n_params), 1e9, "B", 1e6, "M", 1e9);
    if (field == "backend") return in.backends;
    if (field == "test") return test_name(t);
    if (field == "t/s") {
        char b[64];
        std::snprintf(b, sizeof b, "%.2f \xC2\xB1 %.2f", r.ts(), 0.0);
        return b;
    }
    if (field == "n_gpu_layers") return std::to_string(t.n_gpu_layers);
    if (field == "n_threads") return std::to_string(in.n_threads);
    if (field == "n_batch") return std::to_string(t.n_batch);
    if (field == "n_ubatch") return std::to_string(t.n_ubatch);
    if (field == "type_k") return t.type_k;
    if (field == "type_v") return t.type_v;
    return t.flash_attn ? "1" : "0";
}

void padded(std::ostream& out, const std::string& v, int width) {
    char b[256];
    std::snprintf(b, sizeof b, " %*s |", width, v.c_str());
    out << b;
}

}  // namespace

std::string test_name(const BenchTest& t) {
    std::string s;
    if (t.n_prompt > 0 && t.n_gen == 0) s = "pp" + std::to_string(t.n_prompt);
    else if (t.n_gen > 0 && t.n_prompt == 0) s = "tg" + std::to_string(t.n_gen);
    else s = "pp" + std::to_string(t.n_prompt) + "+tg" + std::to_string(t.n_gen);
    if (t.n_depth > 0) s += " @ d" + std::to_string(t.n_depth);
    return s;
}

std::string ftype_name(const std::string& quant) {
    struct Name {
        std::string_view scheme, ftype;
    };
    // llama_model_ftype_name (llama-model-loader.cpp)
    constexpr Name kNames[] = {{"f32", "all F32"},        {"f16", "F16"},          {"bf16", "BF16"},         {"q8_0", "Q8_0"},
                               {"q4_0", "Q4_0"},          {"q4_1", "Q4_1"},        {"q5_0", "Q5_0"},         {"q5_1", "Q5_1"},
                               {"q2_k", "Q2_K - Medium"}, {"q3_k_m", "Q3_K - Medium"}, {"q4_k_s", "Q4_K - Small"}, {"q4_k_m", "Q4_K - Medium"},
                               {"q5_k_s", "Q5_K - Small"}, {"q5_k_m", "Q5_K - Medium"}, {"q6_k", "Q6_K"},       {"mxfp4", "MXFP4 MoE"}};
    for (const Name& n : kNames)
        if (n.scheme == quant) return std::string(n.ftype);
    std::string up = quant;
    for (char& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return up;
}

std::string backend_name(const std::string& runtime) {
    // ggml's backend registry names, CPU left out as llama-bench's get_backend() does.
    if (runtime == "llama.cpp-cuda") return "CUDA";
    if (runtime == "llama.cpp-metal") return "Metal,BLAS";
    if (runtime == "llama.cpp-vulkan") return "Vulkan";
    if (runtime == "llama.cpp-hip") return "ROCm";
    if (runtime == "llama.cpp-cpu") return "CPU";
    return runtime;
}

void print_markdown(std::ostream& out, const BenchInfo& info, const BenchFlags& flags, const std::vector<BenchRow>& rows) {
    // llama-bench counts BLAS as a CPU backend: Metal builds ("Metal,BLAS") show threads, not ngl.
    const bool cpu = info.backends.find("CPU") != std::string::npos || info.backends.find("BLAS") != std::string::npos;
    const std::vector<Column> cols = columns(flags, cpu);
    out << "|";
    for (const Column& c : cols) padded(out, std::string(c.title), c.width);
    out << "\n|";
    for (const Column& c : cols) out << " " << std::string(static_cast<std::size_t>(std::abs(c.width) - 1), '-') << (c.width > 0 ? ":" : "-") << " |";
    out << "\n";
    for (const BenchRow& r : rows) {
        out << "|";
        // The t/s cell holds a two-byte UTF-8 character: one more byte keeps the column aligned.
        for (const Column& c : cols) padded(out, cell(c.field, info, r), c.field == "t/s" ? c.width + 1 : c.width);
        out << "\n";
    }
    out << "\nbuild: " << info.build_commit << " (" << info.build_number << ")\n";
}

void print_csv(std::ostream& out, const BenchInfo& info, const std::vector<BenchRow>& rows) {
    for (std::size_t i = 0; i < kFields.size(); ++i) out << (i ? "," : "") << kFields[i];
    out << "\n";
    for (const BenchRow& r : rows) {
        const std::vector<std::string> v = values(info, r);
        for (std::size_t i = 0; i < v.size(); ++i) {
            std::string q = "\"";
            for (char c : v[i]) q += c == '"' ? std::string("\"\"") : std::string(1, c);
            out << (i ? "," : "") << q << "\"";
        }
        out << "\n";
    }
}

void print_json(std::ostream& out, const BenchInfo& info, const std::vector<BenchRow>& rows) {
    out << "[\n";
    for (std::size_t k = 0; k < rows.size(); ++k) {
        const BenchRow& r = rows[k];
        if (k) out << ",\n";
        out << "  {\n";
        const std::vector<std::string> v = values(info, r);
        for (std::size_t i = 0; i < kFields.size(); ++i) out << "    \"" << kFields[i] << "\": " << json_value(kFields[i], v[i]) << ",\n";
        out << "    \"samples_ns\": [ " << join_samples(r, r.ns) << " ],\n";
        out << "    \"samples_ts\": [ " << join_samples(r, r.ts()) << " ]\n";
        out << "  }";
    }
    out << "\n]\n";
}

void print_jsonl(std::ostream& out, const BenchInfo& info, const std::vector<BenchRow>& rows) {
    for (const BenchRow& r : rows) {
        out << "{";
        const std::vector<std::string> v = values(info, r);
        for (std::size_t i = 0; i < kFields.size(); ++i) out << "\"" << kFields[i] << "\": " << json_value(kFields[i], v[i]) << ", ";
        out << "\"samples_ns\": [ " << join_samples(r, r.ns) << " ],";
        out << "\"samples_ts\": [ " << join_samples(r, r.ts()) << " ]";
        out << "}\n";
    }
}

void print_bench(std::ostream& out, const BenchInfo& info, const BenchFlags& flags, const std::vector<BenchRow>& rows) {
    if (flags.output == "csv") print_csv(out, info, rows);
    else if (flags.output == "json") print_json(out, info, rows);
    else if (flags.output == "jsonl") print_jsonl(out, info, rows);
    else print_markdown(out, info, flags, rows);
}

}  // namespace infersim::scenario

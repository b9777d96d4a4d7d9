// llama-bench's output formats, byte for byte: the markdown table (its columns, widths and
// alignment), CSV, JSON and JSONL with its field list and order (tools/llama-bench), so
// existing llama-bench parsers read infersim's predictions. Pure: rows in, text out.
#pragma once
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "scenario/bench_plan.hpp"

namespace infersim::scenario {

/// What llama-bench reports about the build, the machine and the model (the same for every row).
struct BenchInfo {
    std::string build_commit = "infersim";
    int build_number = 0;
    std::string cpu_info, gpu_info;
    std::string backends;          // "CUDA", "Metal,BLAS", "Vulkan", ...
    std::string model_filename;
    std::string model_type;        // "llama 7B Q4_0"
    std::uint64_t model_size = 0;  // bytes
    std::uint64_t model_n_params = 0;
    int n_threads = 1;
    std::string test_time = "1970-01-01T00:00:00Z";  // fixed: a prediction has no wall clock, and runs stay byte-identical
};

/// One test's timing: `repetitions` identical samples (the simulation is deterministic, so the
/// standard deviation is 0).
struct BenchRow {
    BenchTest test;
    std::uint64_t ns = 0;          // one sample: the test's time
    int repetitions = 1;
    double tokens() const { return static_cast<double>(test.n_prompt + test.n_gen); }
    double ts() const { return ns > 0 ? 1e9 * tokens() / static_cast<double>(ns) : 0; }
};

/// The test's name: "pp512", "tg128", "pp512+tg128", with " @ d4096" at depth.
std::string test_name(const BenchTest& t);
/// llama.cpp's file-type name for a quantization scheme ("q4_k_m" -> "Q4_K - Medium").
std::string ftype_name(const std::string& quant);
/// llama-bench's backend label for a runtime profile name ("llama.cpp-cuda" -> "CUDA").
std::string backend_name(const std::string& runtime);

void print_markdown(std::ostream& out, const BenchInfo& info, const BenchFlags& flags, const std::vector<BenchRow>& rows);
void print_csv(std::ostream& out, const BenchInfo& info, const std::vector<BenchRow>& rows);
void print_json(std::ostream& out, const BenchInfo& info, const std::vector<BenchRow>& rows);
void print_jsonl(std::ostream& out, const BenchInfo& info, const std::vector<BenchRow>& rows);
/// The format flags.output names.
void print_bench(std::ostream& out, const BenchInfo& info, const BenchFlags& flags, const std::vector<BenchRow>& rows);

}  // namespace infersim::scenario

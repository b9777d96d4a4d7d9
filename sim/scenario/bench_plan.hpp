// llama-bench's command line as data: its flags (-p, -n, -pg, -d, -b, -ub, -ngl, -fa, -ctk, -ctv,
// -r, -o), numeric lists and ranges ("128,512", "128-1024+128", "1-16*2"), and the crossing of
// all values into tests in llama-bench's order (get_cmd_params_instances). Pure: no simulation.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace infersim::scenario {

/// One llama-bench test: a row of its table.
struct BenchTest {
    std::uint64_t n_prompt = 0, n_gen = 0, n_depth = 0;
    std::uint64_t n_batch = 2048, n_ubatch = 512;
    int n_gpu_layers = 99;
    bool flash_attn = false;
    std::string type_k = "f16", type_v = "f16";
};

/// The flags, with llama-bench's defaults (-p 512 -n 128 -b 2048 -ub 512 -ngl 99 -fa 0 -r 5).
struct BenchFlags {
    std::vector<std::uint64_t> n_prompt{512}, n_gen{128}, n_depth{0}, n_batch{2048}, n_ubatch{512};
    std::vector<std::pair<std::uint64_t, std::uint64_t>> n_pg;
    std::vector<int> n_gpu_layers{99};
    std::vector<bool> flash_attn{false};
    std::vector<std::string> type_k{"f16"}, type_v{"f16"};
    int repetitions = 5;
    std::string output = "md";  // md, csv, json, jsonl
};

/// "first[-last[(+|*)step]]" items separated by commas, as llama-bench's parse_int_range.
/// Throws config::InputError naming `flag` on anything else.
std::vector<std::uint64_t> parse_int_range(std::string_view text, std::string_view flag);

/// Removes llama-bench's flags (short and long spellings, and --gpu-layers) and their values
/// from `args`, returning them; what remains is left for the scenario options. A flag given
/// twice appends, as in llama-bench.
BenchFlags take_bench_flags(std::vector<std::string>& args);

/// Every test, crossed in llama-bench's order: ngl, n_batch, n_ubatch, type_k, type_v, fa,
/// depth; then the pp tests, the tg tests and the pp+tg tests (zeros skipped).
std::vector<BenchTest> expand(const BenchFlags& flags);

}  // namespace infersim::scenario

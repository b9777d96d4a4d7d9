// Predictions of llama.cpp's llama-batched-bench: for every (PP, TG, B) it prefills B prompts of
// PP tokens (one shared prompt with -pps), then decodes TG steps of B tokens, one per sequence,
// and prints its table (| PP | TG | B | N_KV | T_PP s | S_PP t/s | T_TG s | S_TG t/s | T s | S t/s |)
// or its JSONL records. Flag parsing and printing are pure; run_batched_bench simulates.
#pragma once
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "scenario/scenario_run.hpp"

namespace infersim::scenario {

/// llama-batched-bench's flags with its defaults.
struct BatchedFlags {
    std::vector<std::uint64_t> npp{128, 256, 512}, ntg{128, 256}, npl{1, 2, 4, 8, 16, 32};
    bool pps = false;               // -pps: the prompt is shared by all sequences, processed once
    std::uint64_t n_ctx = 0;        // -c: KV cells; 0 = the model's trained context (no limit if unknown)
    std::uint64_t n_batch = 2048, n_ubatch = 512;
    int n_gpu_layers = 99;
    bool flash_attn = false;
    bool jsonl = false;             // --output-format jsonl
};

/// Removes llama-batched-bench's flags (-npp, -ntg, -npl, -pps, -c, -b, -ub, -ngl, -fa,
/// --output-format) from `args`; lists are comma-separated or ranges as llama-bench's.
BatchedFlags take_batched_flags(std::vector<std::string>& args);

struct BatchedRow {
    std::uint64_t pp = 0, tg = 0, pl = 0, n_kv = 0;
    double t_pp = 0, t_tg = 0;      // seconds
};

/// `in` set up for a row's prompt phase or its generation phase, before run().
Inputs batched_inputs(const Inputs& in, const BatchedFlags& f, const BatchedRow& row, bool prompt_phase);
/// Every (pp, tg, pl) in llama-batched-bench's order whose KV fits in n_kv_max, timed.
std::vector<BatchedRow> run_batched_bench(const Inputs& in, const BatchedFlags& f, std::uint64_t n_kv_max);

/// The table (with its "main: n_kv_max = ..." line) or the JSONL records, byte for byte.
void print_batched(std::ostream& out, const BatchedFlags& f, std::uint64_t n_kv_max, int n_threads, const std::vector<BatchedRow>& rows);

}  // namespace infersim::scenario

// llama-bench compatibility, pure parts: flag lists and ranges, the crossing of values into
// tests in llama-bench's order, and its markdown / CSV / JSON / JSONL output byte for byte.
#include <gtest/gtest.h>

#include <sstream>

#include "config/errors.hpp"
#include "scenario/batched_bench.hpp"
#include "scenario/bench_format.hpp"
#include "scenario/bench_plan.hpp"

namespace infersim::scenario {
namespace {

using V = std::vector<std::uint64_t>;

TEST(BenchPlan, lists_and_ranges_expand_as_llama_bench) {
    EXPECT_EQ(parse_int_range("128,512", "-p"), (V{128, 512}));
    EXPECT_EQ(parse_int_range("128-1024+128", "-p"), (V{128, 256, 384, 512, 640, 768, 896, 1024}));
    EXPECT_EQ(parse_int_range("1-16*2", "-p"), (V{1, 2, 4, 8, 16}));
    EXPECT_EQ(parse_int_range("1-8", "-p"), (V{1, 2, 3, 4, 5, 6, 7, 8}));
    EXPECT_EQ(parse_int_range("0,4096", "-d"), (V{0, 4096}));
    EXPECT_EQ(parse_int_range("1-5*2,64", "-p"), (V{1, 2, 4, 64}));
}

TEST(BenchPlan, bad_ranges_name_the_flag) {
    for (const char* bad : {"", "a", "1-", "5-1x", "1-8*1", "0-8*2", "20000000"}) {
        try {
            parse_int_range(bad, "-p");
            ADD_FAILURE() << "accepted '" << bad << "'";
        } catch (const config::InputError& e) {
            EXPECT_EQ(e.field(), "-p") << bad;
        }
    }
}

TEST(BenchPlan, flags_are_taken_out_and_the_rest_left) {
    std::vector<std::string> args{"--machine", "m", "-p", "128,512", "-n", "64", "-d", "0,4096", "-ngl", "99", "-fa", "0,1",
                                  "-ctk", "q8_0", "-r", "3", "-o", "json", "-pg", "512,128", "-p", "1024", "--quant", "q4_0"};
    BenchFlags f = take_bench_flags(args);
    EXPECT_EQ(args, (std::vector<std::string>{"--machine", "m", "--quant", "q4_0"}));
    EXPECT_EQ(f.n_prompt, (V{128, 512, 1024}));  // a second -p appends
    EXPECT_EQ(f.n_gen, (V{64}));
    EXPECT_EQ(f.n_depth, (V{0, 4096}));
    EXPECT_EQ(f.flash_attn, (std::vector<bool>{false, true}));
    EXPECT_EQ(f.type_k, (std::vector<std::string>{"q8_0"}));
    EXPECT_EQ(f.type_v, (std::vector<std::string>{"f16"}));
    EXPECT_EQ(f.repetitions, 3);
    EXPECT_EQ(f.output, "json");
    ASSERT_EQ(f.n_pg.size(), 1u);
    EXPECT_EQ(f.n_pg[0], (std::pair<std::uint64_t, std::uint64_t>{512, 128}));
}

TEST(BenchPlan, tests_cross_in_llama_bench_order) {
    BenchFlags f;
    f.n_prompt = {512};
    f.n_gen = {128};
    f.n_depth = {0, 4096};
    f.flash_attn = {false, true};
    f.n_pg = {{512, 128}};
    const std::vector<BenchTest> t = expand(f);
    ASSERT_EQ(t.size(), 12u);  // 2 fa x 2 depths x (pp, tg, pg)
    std::vector<std::string> names;
    for (const BenchTest& x : t) names.push_back(std::string(x.flash_attn ? "fa1 " : "fa0 ") + test_name(x));
    EXPECT_EQ(names, (std::vector<std::string>{"fa0 pp512", "fa0 tg128", "fa0 pp512+tg128", "fa0 pp512 @ d4096", "fa0 tg128 @ d4096",
                                               "fa0 pp512+tg128 @ d4096", "fa1 pp512", "fa1 tg128", "fa1 pp512+tg128",
                                               "fa1 pp512 @ d4096", "fa1 tg128 @ d4096", "fa1 pp512+tg128 @ d4096"}));
    f.n_prompt = {0};  // zeros are skipped
    f.n_pg.clear();
    EXPECT_EQ(expand(f).size(), 4u);
}

BenchInfo info() {
    BenchInfo i;
    i.build_commit = "infersim 0.1";
    i.backends = "CUDA";
    i.gpu_info = "test gpu";
    i.model_filename = "llama-2-7b";
    i.model_type = "llama 7B Q4_0";
    i.model_size = 3825807360;  // 3.56 GiB
    i.model_n_params = 6738415616;
    i.n_threads = 16;
    return i;
}

std::vector<BenchRow> rows() {
    BenchTest pp;
    pp.n_prompt = 512;
    pp.flash_attn = true;
    BenchTest tg = pp;
    tg.n_prompt = 0;
    tg.n_gen = 128;
    tg.n_depth = 4096;
    return {BenchRow{pp, 40'000'000, 2}, BenchRow{tg, 800'000'000, 2}};  // 12800 and 160 t/s
}

TEST(BenchFormat, markdown_table_is_llama_benchs_byte_for_byte) {
    BenchFlags f;
    f.flash_attn = {true};
    std::ostringstream out;
    print_markdown(out, info(), f, rows());
    EXPECT_EQ(out.str(),
              "| model                          |       size |     params | backend    | ngl | fa |            test |                  t/s |\n"
              "| ------------------------------ | ---------: | ---------: | ---------- | --: | -: | --------------: | -------------------: |\n"
              "| llama 7B Q4_0                  |   3.56 GiB |     6.74 B | CUDA       |  99 |  1 |           pp512 |      12800.00 \xC2\xB1 0.00 |\n"
              "| llama 7B Q4_0                  |   3.56 GiB |     6.74 B | CUDA       |  99 |  1 |   tg128 @ d4096 |        160.00 \xC2\xB1 0.00 |\n"
              "\nbuild: infersim 0.1 (0)\n");
}

TEST(BenchFormat, default_flags_leave_out_the_fa_column) {
    std::ostringstream out;
    print_markdown(out, info(), BenchFlags{}, rows());
    EXPECT_EQ(out.str().substr(0, out.str().find('\n')),
              "| model                          |       size |     params | backend    | ngl |            test |                  t/s |");
}

TEST(BenchFormat, jsonl_has_llama_benchs_fields_in_order) {
    std::ostringstream out;
    print_jsonl(out, info(), {rows()[0]});
    EXPECT_EQ(out.str(),
              "{\"build_commit\": \"infersim 0.1\", \"build_number\": 0, \"cpu_info\": \"\", \"gpu_info\": \"test gpu\", \"backends\": \"CUDA\", "
              "\"model_filename\": \"llama-2-7b\", \"model_type\": \"llama 7B Q4_0\", \"model_size\": 3825807360, \"model_n_params\": 6738415616, "
              "\"n_batch\": 2048, \"n_ubatch\": 512, \"n_threads\": 16, \"cpu_mask\": \"0x0\", \"cpu_strict\": false, \"poll\": 50, "
              "\"type_k\": \"f16\", \"type_v\": \"f16\", \"n_gpu_layers\": 99, \"n_cpu_moe\": 0, \"split_mode\": \"layer\", \"main_gpu\": 0, "
              "\"no_kv_offload\": false, \"flash_attn\": true, \"tensor_split\": \"0.00\", \"tensor_buft_overrides\": \"none\", "
              "\"use_mmap\": true, \"embeddings\": false, \"no_op_offload\": 0, \"n_prompt\": 512, \"n_gen\": 0, \"n_depth\": 0, "
              "\"test_time\": \"1970-01-01T00:00:00Z\", \"avg_ns\": 40000000, \"stddev_ns\": 0, \"avg_ts\": 12800.000000, \"stddev_ts\": 0.000000, "
              "\"samples_ns\": [ 40000000, 40000000 ],\"samples_ts\": [ 12800, 12800 ]}\n");
}

TEST(BenchFormat, json_and_csv_carry_the_same_fields) {
    std::ostringstream json, csv;
    print_json(json, info(), rows());
    print_csv(csv, info(), rows());
    const std::string j = json.str(), c = csv.str();
    EXPECT_EQ(j.substr(0, 4), "[\n  ");
    EXPECT_NE(j.find("    \"n_depth\": 4096,\n"), std::string::npos);
    EXPECT_NE(j.find("    \"avg_ts\": 160.000000,\n"), std::string::npos);
    EXPECT_NE(j.find("  },\n  {\n"), std::string::npos);
    EXPECT_EQ(j.substr(j.size() - 6), "  }\n]\n");
    EXPECT_EQ(c.substr(0, c.find('\n')),
              "build_commit,build_number,cpu_info,gpu_info,backends,model_filename,model_type,model_size,model_n_params,n_batch,"
              "n_ubatch,n_threads,cpu_mask,cpu_strict,poll,type_k,type_v,n_gpu_layers,n_cpu_moe,split_mode,main_gpu,no_kv_offload,"
              "flash_attn,tensor_split,tensor_buft_overrides,use_mmap,embeddings,no_op_offload,n_prompt,n_gen,n_depth,test_time,"
              "avg_ns,stddev_ns,avg_ts,stddev_ts");
    EXPECT_NE(c.find("\"llama 7B Q4_0\",\"3825807360\""), std::string::npos);
}

TEST(BenchFormat, names_follow_llama_cpp) {
    EXPECT_EQ(ftype_name("q4_k_m"), "Q4_K - Medium");
    EXPECT_EQ(ftype_name("q4_0"), "Q4_0");
    EXPECT_EQ(ftype_name("mxfp4"), "MXFP4 MoE");
    EXPECT_EQ(backend_name("llama.cpp-cuda"), "CUDA");
    EXPECT_EQ(backend_name("llama.cpp-metal"), "Metal,BLAS");
    BenchTest t;
    t.n_prompt = 512;
    t.n_gen = 128;
    t.n_depth = 4096;
    EXPECT_EQ(test_name(t), "pp512+tg128 @ d4096");
}

TEST(BatchedBenchFormat, table_and_jsonl_are_llama_batched_benchs) {
    std::vector<std::string> args{"-npp", "128", "-ntg", "128", "-npl", "1,4", "-c", "4096", "--machine", "m"};
    BatchedFlags f = take_batched_flags(args);
    EXPECT_EQ(args, (std::vector<std::string>{"--machine", "m"}));
    const std::vector<BatchedRow> r{{128, 128, 4, 1024, 0.5, 2.0}};
    std::ostringstream md, jl;
    print_batched(md, f, 4096, 16, r);
    EXPECT_EQ(md.str(),
              "\nmain: n_kv_max = 4096, n_batch = 2048, n_ubatch = 512, flash_attn = 0, is_pp_shared = 0, n_gpu_layers = 99, n_threads = 16, "
              "n_threads_batch = 16\n\n"
              "|    PP |     TG |    B |   N_KV |   T_PP s | S_PP t/s |   T_TG s | S_TG t/s |      T s |    S t/s |\n"
              "|-------|--------|------|--------|----------|----------|----------|----------|----------|----------|\n"
              "|   128 |    128 |    4 |   1024 |    0.500 |  1024.00 |    2.000 |   256.00 |    2.500 |   409.60 |\n");
    f.jsonl = true;
    print_batched(jl, f, 4096, 16, r);
    EXPECT_EQ(jl.str(),
              "{\"n_kv_max\": 4096, \"n_batch\": 2048, \"n_ubatch\": 512, \"flash_attn\": 0, \"is_pp_shared\": 0, \"n_gpu_layers\": 99, "
              "\"n_threads\": 16, \"n_threads_batch\": 16, \"pp\": 128, \"tg\": 128, \"pl\": 4, \"n_kv\": 1024, \"t_pp\": 0.500000, "
              "\"speed_pp\": 1024.000000, \"t_tg\": 2.000000, \"speed_tg\": 256.000000, \"t\": 2.500000, \"speed\": 409.600006}\n");
}

}  // namespace
}  // namespace infersim::scenario

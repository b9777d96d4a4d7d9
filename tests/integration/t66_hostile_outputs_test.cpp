// Round two of the hostile inputs, the part about what infersim writes and how it reads:
// outputs onto devices, FIFOs, symlinks and inputs are refused (class 2); a full disk is one
// error line, exit 4, nothing left (5); kill -9 leftovers are cleaned by the next write (13);
// every reader refuses FIFOs and devices and caps lines (7); names reach the terminal escaped
// (9) and JSON output survives invalid UTF-8 (4); a trace naming a missing layer is refused (1).
#include <gtest/gtest.h>

#include <sys/mount.h>
#include <sys/stat.h>

#include "integration/cli_runner.hpp"

namespace infersim::test {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kRun = {"run", "--machine", "rtx-spark", "--model", "llama-3.2-3b", "--prompt", "16", "--gen", "2"};

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
    args.insert(args.end(), more.begin(), more.end());
    return args;
}

CliOptions in(const ScratchDir& d) { return CliOptions{d.path(), 20, 4ull << 30}; }

// One clean refusal: the exit code, one error line, no signal, no raw control characters.
void expect_error(const CliResult& r, int code, const std::string& text) {
    EXPECT_EQ(r.signal, 0) << r.describe();
    EXPECT_EQ(r.exit_code, code) << r.describe();
    EXPECT_EQ(one_line_error_problem(r.err), "") << r.describe();
    EXPECT_NE(r.err.find(text), std::string::npos) << r.describe();
    for (unsigned char c : r.err + r.out) EXPECT_FALSE((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) << r.describe();
}

// ---- class 2: output targets ---------------------------------------------------------------------

TEST(HostileOutputs, run_refuses_a_fifo_a_symlink_and_a_device_and_leaves_them) {
    ScratchDir d("targets");
    ASSERT_EQ(mkfifo((d / "fifo").c_str(), 0600), 0);
    d.write("real.h5", "precious");
    fs::create_symlink(d / "real.h5", d / "link.h5");
    expect_error(run_cli(with(kRun, {"-o", "fifo"}), in(d)), 4, "FIFO");
    expect_error(run_cli(with(kRun, {"-o", "link.h5"}), in(d)), 4, "symbolic link");
    expect_error(run_cli(with(kRun, {"-o", "/dev/null"}), in(d)), 4, "character device");
    EXPECT_TRUE(fs::is_fifo(d / "fifo"));
    EXPECT_TRUE(fs::is_symlink(d / "link.h5"));
    EXPECT_EQ(read_file(d / "real.h5"), "precious");
    EXPECT_TRUE(fs::is_character_file("/dev/null"));
}

TEST(HostileOutputs, trace_sweep_and_merge_refuse_their_own_inputs_as_output) {
    ScratchDir d("inputs");
    const std::string scenario = "machine: rtx-spark\nmodel: llama-3.2-3b\nprompt: 16\ngen: 2\n";
    d.write("s.yaml", scenario);
    expect_error(run_cli({"run", "s.yaml", "-o", "s.yaml"}, in(d)), 4, "input");
    expect_error(run_cli({"trace", "s.yaml", "-o", "s.yaml"}, in(d)), 4, "input");
    fs::create_hard_link(d / "s.yaml", d / "hard.yaml");
    expect_error(run_cli({"run", "s.yaml", "-o", "hard.yaml"}, in(d)), 4, "input");
    EXPECT_EQ(read_file(d / "s.yaml"), scenario);
    d.write("w.yaml", "base: s.yaml\naxes:\n  gen: [2, 3]\n");
    expect_error(run_cli({"sweep", "w.yaml", "-o", "w.yaml"}, in(d)), 4, "input");
    ASSERT_EQ(run_cli({"sweep", "w.yaml", "-o", "t.jsonl"}, in(d)).exit_code, 0);
    const std::string table = read_file(d / "t.jsonl");
    expect_error(run_cli({"merge", "-o", "t.jsonl", "t.jsonl"}, in(d)), 4, "input");
    EXPECT_EQ(read_file(d / "t.jsonl"), table);
    ASSERT_EQ(mkfifo((d / "fifo").c_str(), 0600), 0);
    expect_error(run_cli({"merge", "-o", "fifo", "t.jsonl"}, in(d)), 4, "FIFO");
    expect_error(run_cli({"trace", "s.yaml", "-o", "fifo"}, in(d)), 4, "FIFO");
}

// ---- class 13: temporaries of killed runs --------------------------------------------------------

TEST(HostileOutputs, a_later_write_removes_temporaries_of_dead_processes_only) {
    ScratchDir d("stale");
    d.write("out.h5.tmp.999999999", "left by kill -9");  // no such PID (above pid_max)
    const std::string alive = "out.h5.tmp." + std::to_string(getpid());
    d.write(alive, "a live writer's");
    d.write("other.h5.tmp.999999999", "another target's");
    ASSERT_EQ(run_cli(with(kRun, {"-o", "out.h5"}), in(d)).exit_code, 0);
    EXPECT_FALSE(fs::exists(d / "out.h5.tmp.999999999"));
    EXPECT_TRUE(fs::exists(d / alive));
    EXPECT_TRUE(fs::exists(d / "other.h5.tmp.999999999"));
    EXPECT_TRUE(fs::exists(d / "out.h5"));
}

// ---- class 5: a full disk ------------------------------------------------------------------------

TEST(HostileOutputs, a_full_disk_is_one_error_line_exit_4_and_no_temporary) {
    ScratchDir d("full");
    const fs::path small = d / "small";
    fs::create_directories(small);
    if (mount("tmpfs", small.c_str(), "tmpfs", 0, "size=64k") != 0) GTEST_SKIP() << "cannot mount a small tmpfs here (not root?)";
    const CliResult r = run_cli(with(kRun, {"-o", (small / "x.h5").string()}), in(d));
    const std::vector<std::string> left = [&] {
        std::vector<std::string> v;
        for (const auto& e : fs::directory_iterator(small)) v.push_back(e.path().filename().string());
        return v;
    }();
    umount(small.c_str());
    expect_error(r, 4, "x.h5");
    EXPECT_TRUE(left.empty()) << left.front();
}

// ---- class 7: bounded readers --------------------------------------------------------------------

TEST(HostileReaders, check_refuses_devices_and_fifos_without_reading_them) {
    ScratchDir d("readers");
    ASSERT_EQ(mkfifo((d / "fifo.yaml").c_str(), 0600), 0);
    CliOptions o = in(d);
    o.timeout_s = 10;
    o.address_space_bytes = 1ull << 30;
    for (const std::string f : {"/dev/zero", "fifo.yaml"}) {
        const CliResult r = run_cli({"check", f}, o);
        EXPECT_FALSE(r.timed_out) << f;
        expect_error(r, 2, "regular file");
    }
    expect_error(run_cli({"run", "--trace", "fifo.yaml", "--machine", "rtx-spark"}, o), 2, "regular file");
    expect_error(run_cli({"run", "--machine", "/dev/zero", "--model", "llama-3.2-3b"}, o), 2, "");
}

TEST(HostileReaders, a_sparse_trace_without_newlines_is_refused_at_the_line_cap) {
    ScratchDir d("sparse");
    {
        std::ofstream f(d / "big.trace", std::ios::binary);
        f << "infersim-trace 1\nmodel ";
    }
    fs::resize_file(d / "big.trace", 3ull << 30);  // 3 GiB of NULs, no newline: sparse, costs no disk
    CliOptions o = in(d);
    o.address_space_bytes = 1ull << 30;
    const CliResult r = run_cli({"run", "--trace", "big.trace", "--machine", "rtx-spark"}, o);
    EXPECT_LT(r.wall_s, 10);
    expect_error(r, 2, "big.trace");
}

TEST(HostileReaders, a_sparse_gguf_with_a_lying_array_is_refused_quickly) {
    ScratchDir d("gguf");
    std::string h = "GGUF";
    auto u32 = [&](std::uint32_t v) { h.append(reinterpret_cast<const char*>(&v), 4); };
    auto u64 = [&](std::uint64_t v) { h.append(reinterpret_cast<const char*>(&v), 8); };
    u32(3), u64(0), u64(1), u64(21), h += "tokenizer.ggml.tokens", u32(9), u32(8), u64(1ull << 40);
    d.write("lie.gguf", h);
    fs::resize_file(d / "lie.gguf", 8ull << 30);  // room for the lie, all zero-length strings
    CliOptions o = in(d);
    o.address_space_bytes = 1ull << 30;
    const CliResult r = run_cli({"check", "lie.gguf"}, o);
    EXPECT_LT(r.wall_s, 10);
    expect_error(r, 2, "at most");
}

// ---- class 9 and 4: names from input files -------------------------------------------------------

TEST(HostileNames, control_characters_in_names_are_escaped_in_the_summary) {
    ScratchDir d("names");
    d.write("m.yaml", "extends: " + (source_dir() / "configs/machines/rtx-spark.yaml").string() +
                          "\nname: \"\\e[2J\\e[31merror: forged\\r\"\n");
    const CliResult r = run_cli({"run", "--machine", "m.yaml", "--model", "llama-3.2-3b", "--prompt", "16", "--gen", "2"}, in(d));
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_EQ(r.out.find('\x1b'), std::string::npos);
    EXPECT_EQ(r.out.find('\r'), std::string::npos);
    EXPECT_NE(r.out.find("\\x1b[2J"), std::string::npos) << r.out;
}

TEST(HostileNames, invalid_utf8_in_a_name_gives_valid_json_and_a_complete_sweep) {
    ScratchDir d("utf8");
    d.write("m.yaml", "extends: " + (source_dir() / "configs/machines/rtx-spark.yaml").string() + "\nname: \"bad \xff\xfe name\"\n");
    const CliResult r = run_cli({"run", "--machine", "m.yaml", "--model", "llama-3.2-3b", "--prompt", "16", "--gen", "2", "--json"}, in(d));
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    EXPECT_NE(r.out.find("\"machine\":\"bad \xef\xbf\xbd\xef\xbf\xbd name\""), std::string::npos) << r.out;
    d.write("w.yaml", "base: {machine: m.yaml, model: llama-3.2-3b, prompt: 16}\naxes:\n  gen: [2, 3, 4]\n");
    const CliResult s = run_cli({"sweep", "w.yaml", "-o", "t.jsonl", "--jobs", "3"}, in(d));
    EXPECT_EQ(s.exit_code, 0) << s.describe();
    EXPECT_FALSE(fs::exists(d / "t.jsonl.journal"));
    const std::string t = read_file(d / "t.jsonl");
    EXPECT_EQ(std::count(t.begin(), t.end(), '\n'), 3);
}

// ---- class 1: a trace for another model ----------------------------------------------------------

TEST(HostileTraces, an_op_on_a_layer_the_model_lacks_is_refused_at_its_line) {
    ScratchDir d("layers");
    d.write("t.trace", "infersim-trace 1\nmodel llama-3.2-3b\nprompt 4\ngen 1\nstep prefill 4 1 4 1\n"
                       "op norm 0 4 3072 16384 0 0 0 1048576 1 0 0\nop norm 999 4 3072 16384 0 0 0 1048576 1 0 0\n");
    expect_error(run_cli({"run", "--trace", "t.trace", "--machine", "rtx-spark", "-o", "x.h5"}, in(d)), 2, "t.trace:7");
    EXPECT_FALSE(fs::exists(d / "x.h5"));
}

TEST(HostileTraces, a_bad_header_value_names_the_trace_line_not_the_command_line) {
    ScratchDir d("header");
    d.write("t.trace", "infersim-trace 1\nmodel llama-3.2-3b\nquant q9_nonsense\nprompt 4\ngen 1\nstep prefill 4 1 4 1\n"
                       "op norm 0 4 3072 16384 0 0 0 1048576 1 0 0\n");
    const CliResult r = run_cli({"run", "--trace", "t.trace", "--machine", "rtx-spark"}, in(d));
    expect_error(r, 2, "t.trace");
    EXPECT_EQ(r.err.find("command line"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace infersim::test

// `infersim report` on bad input: a file that is not HDF5, an HDF5 file that is not an infersim
// result, a missing file, no -o, an output that is an input or a symlink, a missing script.
// Each exits 2 (bad input) or 4 (refused output) with a message naming the file, and leaves no
// output behind. A good run is reported too (the HTML is checked by analysis/test_report.py).
#include <hdf5.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "integration/cli_checks.hpp"
#include "support/temp_dir.hpp"

namespace infersim::test {
namespace {

std::string empty_hdf5(const TempDir& dir) {
    const std::string path = dir.path("empty.h5");
    const hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    H5Fclose(f);
    return path;
}

void expect_refused(const CliResult& r, int code, const std::string& needle, const std::string& out) {
    EXPECT_EQ(r.exit_code, code) << r.describe();
    EXPECT_NE(r.err.find(needle), std::string::npos) << r.describe();
    EXPECT_FALSE(std::filesystem::exists(out)) << out;
}

}  // namespace

TEST(CliReport, inputs_that_are_not_infersim_results_exit_2_with_no_output) {
    TempDir dir;
    const std::string out = dir.path("r.html");
    expect_refused(run_cli({"report", dir.write("notes.txt", "hello\n"), "-o", out}), 2, "notes.txt: not an HDF5 file", out);
    expect_refused(run_cli({"report", empty_hdf5(dir), "-o", out}), 2, "empty.h5: not an infersim result", out);
    expect_refused(run_cli({"report", dir.path("missing.h5"), "-o", out}), 2, "missing.h5", out);
    expect_refused(run_cli({"report", dir.write("x.jsonl", "{\"key\": 1}\n")}), 2, "needs -o", out);
    for (const auto& e : std::filesystem::directory_iterator(dir.dir))
        EXPECT_EQ(e.path().string().find(".tmp."), std::string::npos) << e.path();
}

TEST(CliReport, a_run_is_reported_and_outputs_that_would_destroy_something_are_refused) {
    TempDir dir;
    const std::string h5 = dir.path("run.h5"), out = dir.path("r.html");
    const CliResult run = run_cli({"run", "--machine", "rtx-spark", "--model", "llama-3.1-8b", "--quant", "q4_k_m", "--prompt", "32",
                                   "--gen", "4", "-o", h5}, {{}, 60});
    ASSERT_EQ(run.exit_code, 0) << run.describe();
    const CliResult ok = run_cli({"report", h5, "-o", out}, {{}, 60});
    ASSERT_EQ(ok.exit_code, 0) << ok.describe();
    std::ifstream in(out);
    const std::string html((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
    EXPECT_NE(html.find("data:image/png;base64,"), std::string::npos);
    EXPECT_EQ(html.find("http://"), std::string::npos);
    EXPECT_EQ(html.find("https://"), std::string::npos);
    expect_refused(run_cli({"report", h5, "-o", h5}), 4, "it is the input", dir.path("none"));
    std::filesystem::create_symlink(out, dir.path("link.html"));
    expect_refused(run_cli({"report", h5, "-o", dir.path("link.html")}), 4, "symbolic link", dir.path("none"));
    CliOptions no_script;
    const CliResult missing = [&] {
        setenv("INFERSIM_ANALYSIS_DIR", dir.path("nowhere").c_str(), 1);
        CliResult r = run_cli({"report", h5, "-o", dir.path("s.html")}, no_script);
        unsetenv("INFERSIM_ANALYSIS_DIR");
        return r;
    }();
    expect_refused(missing, 2, "report_html.py", dir.path("s.html"));
}

}  // namespace infersim::test

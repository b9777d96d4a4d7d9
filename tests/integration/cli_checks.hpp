// Helpers the command-line tests share: one-line JSON on stdout, dotted contract keys, and the
// shape of an input error (exit code, one "error:" line naming file, line, column and field).
#pragma once
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "integration/cli_runner.hpp"

namespace infersim::test {

using nlohmann::json;

inline const std::vector<std::string> kSmall = {"--machine", "rtx-spark", "--model", "llama-3.1-8b", "--prompt", "64", "--gen", "8"};

inline std::vector<std::string> cat(std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

// stdout must be exactly one JSON document on one line.
inline json parse_one_json_line(const CliResult& r) {
    EXPECT_FALSE(r.out.empty()) << r.describe();
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << "stdout is not one line: " << r.out.substr(0, 400);
    try {
        return json::parse(r.out);
    } catch (const std::exception& e) {
        ADD_FAILURE() << "stdout is not JSON (" << e.what() << "): " << r.out.substr(0, 400);
        return json();
    }
}

// A dotted contract key ("prefill.tokens_per_s") is a path through nested objects.
inline const json* at(const json& j, const std::string& dotted) {
    const json* cur = &j;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = dotted.find('.', start);
        const std::string key = dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (!cur->is_object() || !cur->contains(key)) return nullptr;
        cur = &(*cur)[key];
        if (dot == std::string::npos) return cur;
        start = dot + 1;
    }
}

inline json without_wall_time(json j) {
    if (j.contains("sim") && j["sim"].is_object()) j["sim"].erase("wall_s");
    return j;
}

// Asserts an input error: exit code, one "error:" line, and that it names the file, the line
// (with a column) and the field.
inline void expect_input_error(const CliResult& r, int code, const std::string& file, int line, const std::string& field) {
    EXPECT_EQ(r.exit_code, code) << r.describe();
    EXPECT_EQ(one_line_error_problem(r.err), "") << r.describe();
    if (!file.empty()) {
        EXPECT_NE(r.err.find(file), std::string::npos) << "message does not name the file " << file << ": " << r.err;
    }
    if (line > 0) {
        const std::string loc = file + ":" + std::to_string(line) + ":";
        const std::size_t p = r.err.find(loc);
        EXPECT_NE(p, std::string::npos) << "message does not name " << loc << "<column>: " << r.err;
        if (p != std::string::npos) {
            EXPECT_TRUE(std::isdigit(static_cast<unsigned char>(r.err[p + loc.size()]))) << "no column after " << loc << ": " << r.err;
        }
    }
    if (!field.empty()) {
        EXPECT_NE(r.err.find(field), std::string::npos) << "message does not name the field " << field << ": " << r.err;
    }
}

inline const std::string kScenario = "machine: rtx-spark\nmodel: llama-3.1-8b\nprompt: 64\ngen: 8\n";

// A valid trace of one prefill step, to be broken line by line by the trace tests.
inline const std::string kTraceHeader =
    "infersim-trace 1\nmodel llama-3.1-8b\nquant q4_k_m\nkv_cache f16\nprompt 4\ngen 1\nbatch 1\nubatch 512\n";  // lines 1-8
inline const std::string kStep = "step prefill 4 1 0 1\n";                                                            // line 9
inline const std::string kOp = "op norm 0 4 4096 16384 0 0 0 1048576 1048576 0 0\n";

}  // namespace infersim::test

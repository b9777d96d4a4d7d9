// Trace file writer and reader.
#include "workload/trace_file.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/bounded_read.hpp"
#include "config/errors.hpp"

namespace infersim::workload {
namespace {

std::string number(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

struct LineReader {
    std::string file;
    int line = 0;
    std::vector<std::string> words;
    std::vector<int> columns;

    [[noreturn]] void fail(std::size_t word, const std::string& field, const std::string& msg) const {
        int col = word < columns.size() ? columns[word] : 1;
        throw config::InputError(config::SourceLocation{file, line, col}, field, msg);
    }
    void split(const std::string& text) {
        words.clear();
        columns.clear();
        std::size_t i = 0;
        while (i < text.size()) {
            while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r')) ++i;
            if (i >= text.size()) break;
            std::size_t j = i;
            while (j < text.size() && text[j] != ' ' && text[j] != '\t' && text[j] != '\r') ++j;
            words.push_back(text.substr(i, j - i));
            columns.push_back(static_cast<int>(i) + 1);
            i = j;
        }
    }
    void expect_words(std::size_t n, const std::string& what) const {
        if (words.size() != n)
            fail(std::min(words.size(), n), words[0], "expected " + std::to_string(n - 1) + " values: " + what + "; got " + std::to_string(words.size() - 1));
    }
    std::uint64_t u64(std::size_t w, const std::string& field, std::uint64_t max = (1ULL << 53)) const {
        std::uint64_t v = 0;
        const std::string& s = words[w];
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec != std::errc() || p != s.data() + s.size()) fail(w, field, "expected a non-negative integer, got '" + s + "'");
        if (v > max) fail(w, field, "value " + s + " too large (limit " + std::to_string(max) + ")");
        return v;
    }
    double real(std::size_t w, const std::string& field) const {
        double v = 0;
        const std::string& s = words[w];
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v) || v < 0)
            fail(w, field, "expected a finite non-negative number, got '" + s + "'");
        return v;
    }
};

}  // namespace

void write_trace(std::ostream& out, const TraceHeader& h, StepSource& steps) {
    out << "# infersim trace: one 'step' line per step, then its 'op' lines (format in sim/workload/trace_file.hpp)\n";
    out << "infersim-trace 1\nmodel " << h.model << "\nquant " << h.quant << "\nkv_cache " << h.kv_cache << "\nprompt " << h.prompt
        << "\ngen " << h.gen << "\nbatch " << h.batch << "\nubatch " << h.ubatch << "\n";
    for (std::size_t i = 0; i < steps.step_count(); ++i) {
        const Step& s = steps.step(i);
        out << "step " << name(s.phase) << ' ' << s.new_tokens << ' ' << s.sequences << ' '
            << s.context << ' ' << s.emits << '\n';
        for (const Op& op : s.ops)
            out << "op " << config::name(op.kind) << ' ' << op.layer << ' ' << op.rows << ' ' << op.cols << ' ' << op.weight_bytes << ' '
                << op.weight_elements << ' ' << op.kv_read_bytes << ' ' << op.kv_write_bytes << ' ' << op.act_bytes << ' '
                << number(op.flops) << ' ' << number(op.dequant_ops) << ' ' << (op.matrix ? 1 : 0) << ' '
                << (op.weight_format ? op.weight_format->name : std::string_view("-")) << '\n';
        // Edges only where the DAG is not the default chain.
        bool chain = boost::num_edges(s.deps) + 1 == s.ops.size() || s.ops.empty();
        for (auto [e, end] = boost::edges(s.deps); chain && e != end; ++e)
            chain = boost::target(*e, s.deps) == boost::source(*e, s.deps) + 1;
        if (!chain)
            for (auto [e, end] = boost::edges(s.deps); e != end; ++e)
                out << "dep " << boost::source(*e, s.deps) << ' ' << boost::target(*e, s.deps) << '\n';
    }
}

TraceFile TraceFile::load(const std::string& path, std::uint64_t max_ops) {
    // An op line is under 200 bytes; the size cap follows the op budget, lines are read one at
    // a time and never past kMaxLine, so a file with no newline costs nothing.
    constexpr std::size_t kMaxLine = 4096;
    config::LineFile in(path, config::ReadLimits{(max_ops + 1024) * 256, kMaxLine});
    TraceFile tf;
    tf.path_ = path;
    LineReader r{path};
    std::string text;
    bool seen_magic = false;
    std::vector<std::pair<std::size_t, std::size_t>> explicit_deps;
    int last_dep_line = 0;
    bool seen_prompt = false, seen_gen = false;
    auto close_step = [&]() {
        if (tf.steps_.empty()) return;
        Step& s = tf.steps_.back();
        for (std::size_t i = 0; i < s.ops.size(); ++i) boost::add_vertex(s.deps);
        if (explicit_deps.empty())
            for (std::size_t i = 1; i < s.ops.size(); ++i) boost::add_edge(i - 1, i, s.deps);
        for (auto [a, b] : explicit_deps) boost::add_edge(a, b, s.deps);
        explicit_deps.clear();
        if (s.order().size() != s.ops.size())
            throw config::InputError(config::SourceLocation{path, last_dep_line, 1}, "dep",
                                     "the dependencies of step " + std::to_string(s.index) + " form a cycle");
    };
    while (in.next(text)) {
        ++r.line;
        if (text.find('\0') != std::string::npos) r.fail(0, "", "binary data (NUL byte); expected a text trace");
        r.split(text);
        if (r.words.empty() || r.words[0][0] == '#') continue;
        const std::string& key = r.words[0];
        if (!seen_magic) {
            if (key != "infersim-trace") r.fail(0, "", "not an infersim trace: expected 'infersim-trace 1' first");
            r.expect_words(2, "format version");
            if (r.u64(1, "version") != 1) r.fail(1, "version", "unsupported trace version (expected 1)");
            seen_magic = true;
            continue;
        }
        if (key == "model" || key == "quant" || key == "kv_cache") {
            r.expect_words(2, key);
            (key == "model" ? tf.header_.model : key == "quant" ? tf.header_.quant : tf.header_.kv_cache) = r.words[1];
            tf.header_.line[key] = r.line;
        } else if (key == "prompt" || key == "gen" || key == "batch" || key == "ubatch") {
            r.expect_words(2, key);
            std::uint64_t v = r.u64(1, key, 1ULL << 24);
            seen_prompt = seen_prompt || key == "prompt";
            seen_gen = seen_gen || key == "gen";
            (key == "prompt" ? tf.header_.prompt : key == "gen" ? tf.header_.gen : key == "batch" ? tf.header_.batch : tf.header_.ubatch) = v;
            tf.header_.line[key] = r.line;
        } else if (key == "step") {
            r.expect_words(6, "phase new_tokens sequences context emits");
            close_step();
            Step s;
            auto phase = parse_phase(r.words[1]);
            if (!phase) r.fail(1, "phase", "expected prefill or decode, got '" + r.words[1] + "'");
            s.phase = *phase;
            s.index = static_cast<std::uint32_t>(tf.steps_.size());
            s.new_tokens = static_cast<std::uint32_t>(r.u64(2, "new_tokens", 1ULL << 24));
            s.sequences = static_cast<std::uint32_t>(r.u64(3, "sequences", 1ULL << 16));
            s.context = r.u64(4, "context", 1ULL << 34);
            s.emits = static_cast<std::uint32_t>(r.u64(5, "emits", 1ULL << 24));
            tf.steps_.push_back(std::move(s));
        } else if (key == "op") {
            if (tf.steps_.empty()) r.fail(0, "op", "an op line before the first step line");
            // The weight format column came later: traces without it still load (fp16 arithmetic).
            if (r.words.size() != 14)
                r.expect_words(13, "kind layer rows cols weight_bytes weight_elements kv_read kv_write act flops dequant_ops matrix [format]");
            if (++tf.ops_ > max_ops) r.fail(0, "op", "more than " + std::to_string(max_ops) + " ops (sim.budget.max_ops)");
            Op op;
            auto kind = config::parse_op_kind(r.words[1]);
            if (!kind) r.fail(1, "kind", "unknown op kind '" + r.words[1] + "'");
            op.kind = *kind;
            const std::string& ls = r.words[2];
            if (ls == "-1") op.layer = -1;
            else op.layer = static_cast<std::int32_t>(r.u64(2, "layer", 100000));
            if (op.layer > tf.max_layer_) {
                tf.max_layer_ = op.layer;
                tf.max_layer_line_ = r.line;
            }
            op.rows = static_cast<std::uint32_t>(r.u64(3, "rows", 1ULL << 30));
            op.cols = static_cast<std::uint32_t>(r.u64(4, "cols", 1ULL << 30));
            op.weight_bytes = r.u64(5, "weight_bytes", 1ULL << 50);
            op.weight_elements = r.u64(6, "weight_elements", 1ULL << 52);
            op.kv_read_bytes = r.u64(7, "kv_read_bytes", 1ULL << 50);
            op.kv_write_bytes = r.u64(8, "kv_write_bytes", 1ULL << 50);
            op.act_bytes = r.u64(9, "act_bytes", 1ULL << 50);
            op.flops = r.real(10, "flops");
            op.dequant_ops = r.real(11, "dequant_ops");
            std::uint64_t m = r.u64(12, "matrix", 1);
            op.matrix = m == 1;
            if (r.words.size() == 14 && r.words[13] != "-") {
                op.weight_format = find_format(r.words[13]);
                if (!op.weight_format) r.fail(13, "format", "unknown weight format '" + r.words[13] + "'");
            }
            tf.steps_.back().ops.push_back(op);
        } else if (key == "dep") {
            if (tf.steps_.empty()) r.fail(0, "dep", "a dep line before the first step line");
            r.expect_words(3, "from to");
            const std::size_t n = tf.steps_.back().ops.size();
            std::uint64_t a = r.u64(1, "from"), b = r.u64(2, "to");
            if (a >= n) r.fail(1, "from", "op index " + std::to_string(a) + " out of range (step has " + std::to_string(n) + " ops so far)");
            if (b >= n) r.fail(2, "to", "op index " + std::to_string(b) + " out of range (step has " + std::to_string(n) + " ops so far)");
            if (a == b) r.fail(2, "to", "an op cannot depend on itself");
            explicit_deps.emplace_back(a, b);
            last_dep_line = r.line;
        } else {
            r.fail(0, key, "unknown line kind '" + key + "'; expected step, op, dep or a header key");
        }
    }
    if (!seen_magic) throw config::InputError(config::SourceLocation{path, 1, 1}, "", "empty trace file; expected 'infersim-trace 1'");
    close_step();
    const config::SourceLocation end{path, r.line, 1};
    if (tf.header_.model.empty()) throw config::InputError(end, "model", "the trace has no 'model NAME' line");
    if (!seen_prompt || !seen_gen) throw config::InputError(end, seen_prompt ? "gen" : "prompt", "the trace lacks its 'prompt N' or 'gen N' line");
    if (tf.header_.prompt == 0) throw config::InputError(end, "prompt", "a trace's prompt must be at least 1 token");
    if (tf.steps_.empty()) throw config::InputError(end, "step", "the trace has no steps");
    return tf;
}

void TraceFile::check_layers(int model_layers, const std::string& model_name) const {
    if (max_layer_ >= model_layers)
        throw config::InputError(config::SourceLocation{path_, max_layer_line_, 1}, "layer",
                                 "op on layer " + std::to_string(max_layer_) + ", but the model '" + model_name + "' has " +
                                     std::to_string(model_layers) + " layers (0.." + std::to_string(model_layers - 1) + ")");
}

config::Node header_node(const TraceFile& trace, const std::string& path) {
    // YAML text with each value on the line the trace wrote it on: the parser's marks then are
    // the trace's own lines. Keys the trace left out (defaults) follow its last line.
    const TraceHeader& h = trace.header();
    const auto quoted = [](const std::string& s) {
        std::string q = "'";
        for (char c : s) q += c == '\'' ? std::string("''") : std::string(1, c);
        return q + "'";
    };
    const std::pair<std::string, std::string> values[] = {
        {"model", quoted(h.model)}, {"quant", quoted(h.quant)}, {"kv_cache", quoted(h.kv_cache)},
        {"prompt", std::to_string(h.prompt)}, {"gen", std::to_string(h.gen)}, {"batch", std::to_string(h.batch)},
        {"ubatch", std::to_string(h.ubatch)}};
    int last = 0;
    for (const auto& [k, l] : h.line) last = std::max(last, l);
    std::vector<std::string> lines(static_cast<std::size_t>(last) + std::size(values));
    int extra = last;
    for (const auto& [key, value] : values) {
        auto it = h.line.find(key);
        const int at = it != h.line.end() ? it->second : ++extra;
        lines[static_cast<std::size_t>(at - 1)] = key + ": " + value;
    }
    std::string text;
    for (const std::string& l : lines) text += l + "\n";
    return config::Node(config::load_yaml_text(text, path), path);
}

}  // namespace infersim::workload

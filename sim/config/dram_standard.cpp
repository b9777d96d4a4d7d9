// Loading, finding and printing DRAM standards.
#include "config/dram_standard.hpp"

#include <array>
#include <cstdio>
#include <filesystem>

#include "config/dram_fields.hpp"
#include "config/fields.hpp"
#include "config/layered_file.hpp"

namespace infersim::config {
namespace fs = std::filesystem;
namespace {

constexpr std::array<std::string_view, 1> kExtends{"extends"};

// description, then the pool's DRAM fields, all required.
const std::vector<Field<DramStandard>>& standard_fields() {
    static const std::vector<Field<DramStandard>> fields = [] {
        std::vector<Field<DramStandard>> f{
            Field<DramStandard>{"description", "text", true, "", "one line: what the standard is and where its figures come from",
                                [](DramStandard& s, const Node& n) { s.description = n.as_string(); }}};
        for (const auto& d : dram_fields<DramStandard, true>()) f.push_back(d);
        return f;
    }();
    return fields;
}

std::string fmt(const char* format, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

void row(std::ostream& out, std::string_view key, const std::string& value) {
    out << "  " << key << std::string(key.size() < 16 ? 16 - key.size() : 1, ' ') << value << "\n";
}

// dram/<name>.yaml under the first root that has it, or "".
std::string find_in_roots(const std::string& name, const SearchPaths& paths) {
    std::error_code ec;
    for (const std::string& root : paths.roots) {
        fs::path p = fs::path(root) / "dram" / (name + ".yaml");
        if (fs::is_regular_file(p, ec)) return p.string();
    }
    return "";
}

}  // namespace

DramStandard load_dram_standard(const std::string& path) {
    Node root = load_layered(path);
    DramStandard s;
    s.name = fs::path(path).stem().string();
    s.file = path;
    read_fields<DramStandard>(s, root, standard_fields(), kExtends);
    check_dram_timing(s.timing, root);
    return s;
}

std::vector<std::string> dram_standard_names(const SearchPaths& paths) { return available_names("dram", paths); }

std::string resolve_dram_standard(const Node& at, const SearchPaths& paths) {
    const std::string name = at.as_string();
    if (name.empty()) at.fail("expected a DRAM standard's name or a path, got an empty string");
    if (looks_like_path(name))
        return resolve_config("dram", name, paths, fs::path(at.file()).parent_path().string(), at.location(), at.path());
    if (std::string file = find_in_roots(name, paths); !file.empty()) return file;
    const std::vector<std::string> names = dram_standard_names(paths);
    std::string msg = "unknown DRAM standard '" + printable(name) + "'";
    if (names.empty()) {
        msg += "; no configs/dram directory found (looked in";
        for (const auto& r : paths.roots) msg += " " + r;
        at.fail(msg + ")");
    }
    const std::vector<std::string_view> views(names.begin(), names.end());
    const std::string hint = closest_match(name, views);
    if (!hint.empty()) msg += " (did you mean '" + hint + "'?)";
    msg += "; available:";
    for (const std::string& n : names) msg += " " + n;
    at.fail(msg);
}

void print_dram_standards(std::ostream& out, const SearchPaths& paths) {
    out << "DRAM standards (configs/dram/<name>.yaml; a pool's `standard:` names one, or a path):\n";
    for (const std::string& n : dram_standard_names(paths)) {
        const DramStandard s = load_dram_standard(find_in_roots(n, paths));
        out << "  " << n << std::string(n.size() < 16 ? 16 - n.size() : 1, ' ') << s.description << "\n";
    }
}

void print_dram_standard(std::ostream& out, const DramStandard& s) {
    const DramTiming& t = s.timing;
    constexpr double ns = 1e9, pj = 1e12;
    out << s.name << ": " << s.description << "\n";
    row(out, "file", s.file);
    row(out, "data_rate", fmt("%.6g MT/s", t.data_rate / 1e6));
    row(out, "channel_width", std::to_string(t.channel_width_bits) + " bits");
    row(out, "burst_length", std::to_string(t.burst_length) + " beats");
    row(out, "metadata_bits", std::to_string(t.metadata_bits) + " bits per burst");
    row(out, "burst", fmt("%g B data", t.burst_data_bytes()) + fmt(" of %g B raw (on the pins)", t.burst_raw_bytes()));
    row(out, "peak", fmt("%.6g GB/s data per channel", t.peak_data_bytes_per_s() / 1e9) +
                         fmt(" (%.6g GB/s raw)", t.peak_raw_bytes_per_s() / 1e9));
    row(out, "banks", std::to_string(t.banks) + " in " + std::to_string(t.bank_groups) + " bank groups");
    row(out, "page", fmt("%g B", t.page_bytes));
    const std::array<std::pair<std::string_view, double>, 16> times{{{"tCK", t.tCK},       {"tRCD", t.tRCD},   {"tRP", t.tRP},
                                                                     {"tRAS", t.tRAS},     {"tRC", t.tRC},     {"tWR", t.tWR},
                                                                     {"tCCD_S", t.tCCD_S}, {"tCCD_L", t.tCCD_L}, {"tRRD", t.tRRD},
                                                                     {"tFAW", t.tFAW},     {"tWTR", t.tWTR},   {"tRTW", t.tRTW},
                                                                     {"tRFC", t.tRFC},     {"tREFI", t.tREFI}, {"tRFCpb", t.tRFCpb},
                                                                     {"tREFIpb", t.tREFIpb}}};
    for (const auto& [key, v] : times) row(out, "timing." + std::string(key), fmt("%.6g ns", v * ns));
    row(out, "energy.read", fmt("%g pJ/bit", s.energy.read_j_per_bit * pj));
    row(out, "energy.write", fmt("%g pJ/bit", s.energy.write_j_per_bit * pj));
    row(out, "energy.activate", fmt("%g nJ", s.energy.activate_j * ns));
    row(out, "energy.background", fmt("%g W", s.energy.background_w));
}

}  // namespace infersim::config

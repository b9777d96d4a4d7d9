// Name resolution under configs/.
#include "config/resolve.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string_view>

#include "config/fields.hpp"

namespace infersim::config {
namespace fs = std::filesystem;

bool looks_like_path(const std::string& s) {
    if (s.find('/') != std::string::npos) return true;
    for (std::string_view ext : {".yaml", ".yml", ".json", ".gguf"})
        if (s.size() > ext.size() && s.compare(s.size() - ext.size(), ext.size(), ext) == 0) return true;
    return false;
}

SearchPaths default_search_paths() {
    SearchPaths p;
    if (const char* env = std::getenv("INFERSIM_CONFIGS")) p.roots.emplace_back(env);
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        for (fs::path dir = exe.parent_path(); !dir.empty() && dir != dir.root_path(); dir = dir.parent_path()) {
            if (fs::is_directory(dir / "configs" / "machines", ec)) {
                p.roots.push_back((dir / "configs").string());
                break;
            }
        }
    }
    if (fs::is_directory("configs/machines", ec)) p.roots.emplace_back("configs");
    return p;
}

std::vector<std::string> available_names(const std::string& kind, const SearchPaths& paths) {
    std::vector<std::string> out;
    for (const std::string& root : paths.roots) {
        std::error_code ec;
        for (fs::directory_iterator it(fs::path(root) / kind, ec), end; !ec && it != end; it.increment(ec)) {
            if (it->path().extension() != ".yaml") continue;
            std::string stem = it->path().stem().string();
            if (stem.size() > 5 && stem.compare(stem.size() - 5, 5, "-base") == 0) continue;  // abstract bases
            if (std::find(out.begin(), out.end(), stem) == out.end()) out.push_back(stem);
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string resolve_config(const std::string& kind, const std::string& name, const SearchPaths& paths,
                           const std::string& base_dir, const SourceLocation& where, const std::string& field) {
    std::error_code ec;
    if (name.empty()) throw InputError(where, field, "expected a name or a path, got an empty string");
    if (looks_like_path(name)) {
        if (!base_dir.empty() && fs::path(name).is_relative()) {
            fs::path p = fs::path(base_dir) / name;
            if (fs::is_regular_file(p, ec)) return p.string();
        }
        if (fs::is_regular_file(name, ec)) return name;
        throw InputError(where, field, "file '" + name + "' not found");
    }
    for (const std::string& root : paths.roots) {
        fs::path p = fs::path(root) / kind / (name + ".yaml");
        if (fs::is_regular_file(p, ec)) return p.string();
    }
    std::vector<std::string> names = available_names(kind, paths);
    std::vector<std::string_view> views(names.begin(), names.end());
    std::string hint = closest_match(name, views);
    std::string msg = "unknown " + kind.substr(0, kind.size() - 1) + " '" + name + "'";
    if (!hint.empty()) msg += " (did you mean '" + hint + "'?)";
    else if (!names.empty()) {
        msg += "; available:";
        for (std::size_t i = 0; i < names.size() && i < 40; ++i) msg += " " + names[i];
    } else {
        msg += "; no configuration directory found (looked in";
        for (const auto& r : paths.roots) msg += " " + r;
        msg += ")";
    }
    throw InputError(where, field, msg);
}

}  // namespace infersim::config

// Name resolution under configs/.
#include "config/resolve.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
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

namespace {

bool is_snapshot_dir(const fs::path& p) {
    std::error_code ec;
    return fs::is_directory(p, ec) && fs::is_regular_file(p / "config.json", ec);
}

// The Hugging Face hub cache: $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub.
fs::path hub_cache() {
    if (const char* c = std::getenv("HF_HUB_CACHE"); c && *c) return c;
    if (const char* h = std::getenv("HF_HOME"); h && *h) return fs::path(h) / "hub";
    if (const char* home = std::getenv("HOME"); home && *home) return fs::path(home) / ".cache" / "huggingface" / "hub";
    return {};
}

// "org/name" in the offline hub cache (models--org--name/snapshots/<revision>): the revision
// refs/main names, else the only snapshot. Empty when the cache does not hold it.
std::string cached_snapshot(const std::string& repo, const SourceLocation& where, const std::string& field) {
    const std::size_t slash = repo.find('/');
    if (slash == std::string::npos || slash == 0 || repo.find('/', slash + 1) != std::string::npos || repo.find("..") != std::string::npos)
        return {};
    const fs::path cache = hub_cache();
    if (cache.empty()) return {};
    const fs::path entry = cache / ("models--" + repo.substr(0, slash) + "--" + repo.substr(slash + 1));
    std::error_code ec;
    if (!fs::is_directory(entry / "snapshots", ec)) return {};
    std::ifstream ref(entry / "refs" / "main");
    std::string revision;
    if (ref && std::getline(ref, revision) && !revision.empty() && revision.find('/') == std::string::npos &&
        is_snapshot_dir(entry / "snapshots" / revision))
        return (entry / "snapshots" / revision).string();
    std::vector<fs::path> snapshots;
    for (fs::directory_iterator it(entry / "snapshots", ec), end; !ec && it != end; it.increment(ec))
        if (is_snapshot_dir(it->path())) snapshots.push_back(it->path());
    if (snapshots.size() == 1) return snapshots.front().string();
    if (snapshots.empty()) return {};
    throw InputError(where, field, "the Hugging Face cache holds " + std::to_string(snapshots.size()) + " snapshots of '" + printable(repo, 200) +
                                       "' and no refs/main; pass the snapshot folder");
}

}  // namespace

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
        if (kind == "models") {
            // A model may be a snapshot folder, or org/name in the offline Hugging Face cache.
            if (!base_dir.empty() && fs::path(name).is_relative() && is_snapshot_dir(fs::path(base_dir) / name))
                return (fs::path(base_dir) / name).string();
            if (is_snapshot_dir(name)) return name;
            if (std::string cached = cached_snapshot(name, where, field); !cached.empty()) return cached;
            if (fs::is_directory(name, ec)) throw InputError(where, field, "folder '" + printable(name, 200) + "' has no config.json (not a Hugging Face snapshot)");
        }
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

// `extends:` resolution.
#include "config/layered_file.hpp"

#include <filesystem>
#include <vector>

namespace infersim::config {
namespace {
constexpr int kMaxExtendsDepth = 16;
}

Node load_layered(const std::string& path) {
    namespace fs = std::filesystem;
    std::vector<std::string> chain;
    Node result;
    std::string current = path;
    SourceLocation referred_from;  // the `extends:` that named `current`
    for (int depth = 0;; ++depth) {
        std::error_code ec;
        std::string canonical = fs::weakly_canonical(current, ec).string();
        for (const std::string& seen : chain)
            if (seen == canonical)
                throw InputError(referred_from, "extends", "circular 'extends' chain: " + current + " is already being extended");
        if (depth > kMaxExtendsDepth) throw InputError(referred_from, "extends", "'extends' chain deeper than 16 files");
        chain.push_back(canonical);
        Node layer(load_yaml_file(current), current);
        if (!layer.is_map()) {
            if (!layer.defined()) throw InputError(SourceLocation{current, 1, 1}, "", "empty file; expected a YAML mapping");
            layer.fail("expected a YAML mapping at the top of the file");
        }
        result = depth == 0 ? layer : result.with_base(layer);
        Node ext = layer.child("extends");
        if (!ext.defined()) break;
        std::string base = ext.as_string();
        fs::path base_path = fs::path(current).parent_path() / base;
        if (!fs::exists(base_path, ec)) {
            if (fs::path(base).extension().empty()) base_path += ".yaml";
            if (!fs::exists(base_path, ec)) ext.fail("base file '" + base_path.string() + "' not found");
        }
        if (!fs::is_regular_file(base_path, ec)) ext.fail("base '" + base_path.string() + "' is not a regular file");
        referred_from = ext.location();
        current = base_path.string();
    }
    return result;
}

}  // namespace infersim::config

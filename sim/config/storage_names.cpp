// Stored names and their collisions (storage_names.hpp).
#include "config/storage_names.hpp"

#include <algorithm>
#include <map>

namespace infersim::config {

std::string storage_name(std::string_view name) {
    std::string s(name.empty() ? "_" : name);
    std::replace(s.begin(), s.end(), '/', '_');
    std::replace(s.begin(), s.end(), ':', '_');
    return s == "." ? "_" : s;
}

void check_storage_names(const Node& n, std::span<const std::string_view> reserved) {
    if (!n.is_map()) return;
    std::map<std::string, std::string> seen;
    for (const std::string& key : n.keys()) {
        const std::string stored = storage_name(key);
        for (std::string_view r : reserved)
            if (stored == r)
                throw InputError(n.key_location(key), n.child(key).path(),
                                 "the name '" + key + "' is reserved (it is stored as '" + std::string(r) + "' in the output file)");
        auto [it, fresh] = seen.emplace(stored, key);
        if (!fresh)
            throw InputError(n.key_location(key), n.child(key).path(),
                             "'" + key + "' and '" + it->second + "' would be stored under one name ('" + stored +
                                 "') in the output file; rename one");
    }
}

}  // namespace infersim::config

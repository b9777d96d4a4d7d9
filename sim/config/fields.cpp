// Suggestions for misspelt keys.
#include "config/fields.hpp"

#include <algorithm>
#include <vector>

namespace infersim::config {
namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diag = up;
        }
    }
    return row[b.size()];
}

}  // namespace

std::string closest_match(std::string_view word, std::span<const std::string_view> candidates) {
    std::string best;
    std::size_t best_d = 4;
    if (word.size() > 64) return best;
    for (auto c : candidates) {
        std::size_t d = edit_distance(word, c);
        if (d < best_d) {
            best_d = d;
            best = std::string(c);
        }
    }
    return best;
}

void fail_unknown_key(const Node& parent, const std::string& key, std::span<const std::string_view> known) {
    std::string msg = "unknown key";
    std::string hint = closest_match(key, known);
    if (!hint.empty()) msg += " (did you mean '" + hint + "'?)";
    else {
        msg += "; expected one of:";
        for (auto k : known) msg += " " + std::string(k);
    }
    Node child = parent.child(key);
    throw InputError(child.location(), child.path(), msg);
}

}  // namespace infersim::config

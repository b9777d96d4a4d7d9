// Names to files: `--machine rtx-spark` is configs/machines/rtx-spark.yaml under one of the
// configuration roots; anything that looks like a path is taken as a path.
#pragma once
#include <string>
#include <vector>

#include "config/errors.hpp"

namespace infersim::config {

struct SearchPaths {
    std::vector<std::string> roots;  // directories holding machines/, models/, runtimes/, dram/
};

/// Where configs/ is: $INFERSIM_CONFIGS, next to the executable (../configs), ./configs.
SearchPaths default_search_paths();

/// Whether `name_or_path` is taken as a path (has a '/' or a file extension) rather than a name.
bool looks_like_path(const std::string& name_or_path);

/// Resolves `name_or_path` of `kind` ("machines", "models", "runtimes", "dram"). A relative path is tried
/// against `base_dir` (the referring file's directory) and then the working directory. Throws
/// InputError at `where` naming `field`, with close names when nothing matches.
std::string resolve_config(const std::string& kind, const std::string& name_or_path, const SearchPaths& paths,
                           const std::string& base_dir, const SourceLocation& where, const std::string& field);

/// Names available for `kind` under the roots (sorted, without extension).
std::vector<std::string> available_names(const std::string& kind, const SearchPaths& paths);

}  // namespace infersim::config

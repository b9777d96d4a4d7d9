// Dispatch on the file extension, or a folder (an HF snapshot) (case-insensitive: "MODEL.GGUF" is a GGUF file).
#include "workload/model_source.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "workload/gguf_reader.hpp"
#include "workload/hf_config.hpp"
#include "workload/hf_snapshot.hpp"
#include "workload/model_yaml.hpp"

namespace infersim::workload {

config::ModelSpec load_model_file(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) return load_hf_snapshot(path);
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (ext == ".gguf") return load_gguf(path);
    if (ext == ".json") return load_hf_config(path);
    return load_model_yaml(path);
}

}  // namespace infersim::workload

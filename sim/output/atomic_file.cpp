// Temporary-file-and-rename writes.
#include "output/atomic_file.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace infersim::output {

std::string temporary_name(const std::string& path) { return path + ".tmp." + std::to_string(::getpid()); }

void write_atomically(const std::string& path, const std::function<void(std::ostream&)>& body) {
    const std::string tmp = temporary_name(path);
    auto discard = [&]() {
        std::error_code ec;
        std::filesystem::remove(tmp, ec);
    };
    try {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw OutputError("cannot create '" + path + "' (temporary file '" + tmp + "')");
        body(out);
        out.flush();
        if (!out) throw OutputError("writing '" + path + "' failed (disk full?)");
    } catch (...) {
        discard();
        throw;
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        discard();
        throw OutputError("cannot rename the finished file onto '" + path + "'");
    }
}

}  // namespace infersim::output

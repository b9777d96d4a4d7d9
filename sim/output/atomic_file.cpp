// Temporary-file-and-rename writes, and the output-target check.
#include "output/atomic_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

#include "config/bounded_read.hpp"
#include "config/errors.hpp"

namespace infersim::output {
namespace {

std::string shown(const std::string& path) { return "'" + config::printable(path, 200) + "'"; }


bool all_digits(const std::string& s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos && s.size() < 10;
}

}  // namespace

std::string temporary_name(const std::string& path) { return path + ".tmp." + std::to_string(::getpid()); }

void check_output_target(const std::string& path, const std::vector<std::string>& inputs) {
    if (path.empty()) throw OutputError("the output file name is empty");
    struct stat target {};
    if (::lstat(path.c_str(), &target) != 0) return;  // a new file: nothing to protect
    if (!S_ISREG(target.st_mode))
        throw OutputError("refusing to write " + shown(path) + ": it is " + config::file_kind(target.st_mode) +
                          ", and writing would replace it with a regular file");
    for (const std::string& in : inputs) {
        struct stat st {};
        if (::stat(in.c_str(), &st) == 0 && st.st_dev == target.st_dev && st.st_ino == target.st_ino)
            throw OutputError("refusing to write " + shown(path) + ": it is the input " + shown(in) +
                              ", which writing would destroy");
    }
}

void remove_stale_temporaries(const std::string& path) {
    const std::filesystem::path p(path);
    const std::string prefix = p.filename().string() + ".tmp.";
    const std::filesystem::path dir = p.has_parent_path() ? p.parent_path() : std::filesystem::path(".");
    std::error_code ec;
    std::filesystem::directory_iterator it(dir, ec), end;
    for (int seen = 0; !ec && it != end && seen < 100000; it.increment(ec), ++seen) {
        const std::string name = it->path().filename().string();
        if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
        const std::string pid = name.substr(prefix.size());
        if (!all_digits(pid) || std::stol(pid) == ::getpid()) continue;
        struct stat st {};
        if (::lstat(it->path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
        if (std::filesystem::exists("/proc/" + pid, ec) || ec) continue;  // alive (or cannot tell): keep
        std::filesystem::remove(it->path(), ec);
        ec.clear();
    }
}

void publish(const std::string& tmp, const std::string& path) {
    check_output_target(path);  // the target may have changed while we worked
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        std::remove(tmp.c_str());
        throw OutputError("cannot rename the finished file onto " + shown(path) + ": " + std::strerror(err));
    }
}

void write_via_temporary(const std::string& path, const std::function<void(const std::string& tmp)>& write) {
    check_output_target(path);
    remove_stale_temporaries(path);
    const std::string tmp = temporary_name(path);
    auto discard = [&]() {
        std::error_code ec;
        std::filesystem::remove(tmp, ec);
    };
    try {
        discard();  // a leftover of a dead process with our PID, or a planted symlink: never follow it
        write(tmp);
    } catch (...) {
        discard();
        throw;
    }
    publish(tmp, path);
}

void write_atomically(const std::string& path, const std::function<void(std::ostream&)>& body) {
    write_via_temporary(path, [&](const std::string& tmp) {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw OutputError("cannot create " + shown(path) + " (temporary file " + shown(tmp) + ")");
        body(out);
        out.flush();
        if (!out) throw OutputError("writing " + shown(path) + " failed (disk full?)");
        out.close();
        if (!out) throw OutputError("writing " + shown(path) + " failed (disk full?)");
    });
}

}  // namespace infersim::output

// Bounded reads of input files (bounded_read.hpp).
#include "config/bounded_read.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/errors.hpp"

namespace infersim::config {
namespace {

constexpr std::size_t kChunk = 64 * 1024;

[[noreturn]] void refuse(const std::string& path, int line, const std::string& what) {
    throw InputError(SourceLocation{path, line, line > 0 ? 1 : 0}, "", what);
}


// Opens without blocking (a FIFO with no writer would wait forever in open()), then checks the
// type on the open descriptor, so the file checked is the file read.
int open_regular(const std::string& path, std::uint64_t max_bytes, std::uint64_t& size) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        const int err = errno;
        refuse(path, 0, err == ENOENT ? "no such file" : std::string("cannot open: ") + std::strerror(err));
    }
    struct stat st {};
    const bool stated = ::fstat(fd, &st) == 0;
    if (!stated || !S_ISREG(st.st_mode)) {
        const std::string what = stated ? file_kind(st.st_mode) : "cannot stat";
        ::close(fd);
        refuse(path, 0, what + "; expected a regular file");
    }
    size = static_cast<std::uint64_t>(st.st_size);
    if (size > max_bytes) {
        ::close(fd);
        refuse(path, 0, "file too large (" + std::to_string(size) + " bytes; limit " + std::to_string(max_bytes) + ")");
    }
    return fd;
}

}  // namespace

bool path_exists(const std::string& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0;
}

LineFile::LineFile(const std::string& path, ReadLimits limits) : path_(path), limits_(limits) {
    fd_ = open_regular(path, limits.max_bytes, size_);
}

LineFile::~LineFile() {
    if (fd_ >= 0) ::close(fd_);
}

// Appends up to one chunk; the total never passes max_bytes even if the file grows meanwhile.
bool LineFile::fill() {
    if (eof_) return false;
    if (pos_ > 0) {
        buf_.erase(0, pos_);
        pos_ = 0;
    }
    const std::size_t old = buf_.size();
    buf_.resize(old + kChunk);
    ssize_t n;
    do n = ::read(fd_, buf_.data() + old, kChunk);
    while (n < 0 && errno == EINTR);
    if (n < 0) refuse(path_, line_ + 1, std::string("read error: ") + std::strerror(errno));
    buf_.resize(old + static_cast<std::size_t>(n));
    consumed_ += static_cast<std::uint64_t>(n);
    if (consumed_ > limits_.max_bytes)
        refuse(path_, line_ + 1, "file grew past the limit of " + std::to_string(limits_.max_bytes) + " bytes while reading");
    if (n == 0) eof_ = true;
    return n > 0;
}

bool LineFile::next(std::string& line) {
    std::size_t scanned = pos_;
    for (;;) {
        const std::size_t nl = buf_.find('\n', scanned);
        const std::size_t end = nl == std::string::npos ? buf_.size() : nl;
        if (end - pos_ > limits_.max_line)
            refuse(path_, line_ + 1, "line longer than " + std::to_string(limits_.max_line) + " bytes");
        if (nl != std::string::npos) {
            line.assign(buf_, pos_, nl - pos_);
            pos_ = nl + 1;
            terminated_ = true;
            ++line_;
            return true;
        }
        scanned = buf_.size() - pos_;  // relative: fill() moves the unread bytes to the front
        if (!fill()) break;
    }
    if (pos_ >= buf_.size()) return false;
    line.assign(buf_, pos_, std::string::npos);
    pos_ = buf_.size();
    terminated_ = false;
    ++line_;
    return true;
}

std::string read_bounded(const std::string& path, ReadLimits limits) {
    LineFile f(path, limits);
    std::string all, line;
    all.reserve(static_cast<std::size_t>(f.size()));
    while (f.next(line)) {
        all += line;
        if (f.terminated()) all += '\n';
    }
    return all;
}

std::uint64_t regular_file_size(const std::string& path, std::uint64_t max_bytes) {
    std::uint64_t size = 0;
    ::close(open_regular(path, max_bytes, size));
    return size;
}

std::string file_kind(unsigned mode) {
    if (S_ISLNK(mode)) return "a symbolic link";
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a regular file";
}

}  // namespace infersim::config

// The one way infersim reads an input file: only a regular file (a FIFO would block, a device
// like /dev/zero never ends), at most a stated number of bytes, and lines of at most a stated
// length, checked before the bytes are kept. Every reader of text input goes through here, so
// no input can make a reader grow without bound or wait forever.
#pragma once
#include <cstdint>
#include <string>

namespace infersim::config {

struct ReadLimits {
    std::uint64_t max_bytes;
    std::size_t max_line;  // bytes per line, without the newline
};

/// Whether `path` names an existing file system entry (a dangling symlink counts as existing).
bool path_exists(const std::string& path);
/// What a file of stat mode `mode` is, for messages: "a FIFO", "a character device", ...
std::string file_kind(unsigned mode);

/// Reads a text input file line by line without ever holding more than one line. Throws
/// InputError (file:line) for a missing or non-regular file, a file over max_bytes, or a line
/// over max_line.
class LineFile {
public:
    LineFile(const std::string& path, ReadLimits limits);
    ~LineFile();
    LineFile(const LineFile&) = delete;
    LineFile& operator=(const LineFile&) = delete;

    /// The next line (without '\n'); false at the end of the file.
    bool next(std::string& line);
    /// Whether the line last returned ended with a newline (a killed writer leaves it without).
    bool terminated() const { return terminated_; }
    int line_number() const { return line_; }
    std::uint64_t size() const { return size_; }
    const std::string& path() const { return path_; }

private:
    bool fill();
    std::string path_;
    ReadLimits limits_;
    int fd_ = -1;
    std::uint64_t size_ = 0, consumed_ = 0;
    std::string buf_;
    std::size_t pos_ = 0;
    bool eof_ = false, terminated_ = true;
    int line_ = 0;
};

/// The whole file as one string, under the same checks.
std::string read_bounded(const std::string& path, ReadLimits limits);

/// Checks that `path` is a regular file no larger than `max_bytes` and returns its size (for
/// binary readers that seek). Throws InputError.
std::uint64_t regular_file_size(const std::string& path, std::uint64_t max_bytes);

}  // namespace infersim::config

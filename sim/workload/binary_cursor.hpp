// A bounds-checked, buffered little-endian reader over a binary file (the GGUF header). Every
// read states its field, and a read past the end of the file throws config::InputError naming
// the file, the byte offset and the field.
#pragma once
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "config/bounded_read.hpp"
#include "config/errors.hpp"

namespace infersim::workload {

class BinaryCursor {
public:
    explicit BinaryCursor(const std::string& path) : path_(path), buf_(64 * 1024) {
        size_ = config::regular_file_size(path, std::numeric_limits<std::uint64_t>::max());
        in_.open(path, std::ios::binary);
        if (!in_) throw config::InputError(config::SourceLocation{path}, "", "cannot open file");
    }

    const std::string& path() const { return path_; }
    std::uint64_t offset() const { return pos_; }
    std::uint64_t size() const { return size_; }
    std::uint64_t remaining() const { return size_ - pos_; }

    [[noreturn]] void fail(std::uint64_t at, const std::string& field, const std::string& message) const {
        throw config::InputError(config::SourceLocation{path_}, field, "at byte offset " + std::to_string(at) + ": " + message);
    }

    void need(std::uint64_t n, const std::string& field) const {
        if (n > remaining())
            fail(pos_, field, "unexpected end of file: needs " + std::to_string(n) + " bytes, " +
                                  std::to_string(remaining()) + " left (file of " + std::to_string(size_) +
                                  " bytes is truncated or corrupt)");
    }

    void skip(std::uint64_t n, const std::string& field) {
        need(n, field);
        pos_ += n;
    }

    void read(void* dst, std::size_t n, const std::string& field) {
        need(n, field);
        auto* out = static_cast<char*>(dst);
        while (n > 0) {
            if (pos_ < buf_start_ || pos_ >= buf_start_ + buf_len_) refill(field);
            std::size_t at = static_cast<std::size_t>(pos_ - buf_start_);
            std::size_t take = std::min(n, buf_len_ - at);
            std::memcpy(out, buf_.data() + at, take);
            out += take;
            n -= take;
            pos_ += take;
        }
    }

    std::uint64_t read_uint(std::size_t bytes, const std::string& field) {
        std::array<unsigned char, 8> b{};
        read(b.data(), bytes, field);
        std::uint64_t v = 0;
        for (std::size_t i = bytes; i-- > 0;) v = (v << 8) | b[i];
        return v;
    }
    std::uint32_t u32(const std::string& field) { return static_cast<std::uint32_t>(read_uint(4, field)); }
    std::uint64_t u64(const std::string& field) { return read_uint(8, field); }

    /// A length-prefixed string of at most `max_bytes`.
    std::string str(const std::string& field, std::uint64_t max_bytes) {
        std::string s(static_cast<std::size_t>(str_length(field, max_bytes)), '\0');
        read(s.data(), s.size(), field);
        return s;
    }
    void skip_str(const std::string& field) { pos_ += str_length(field, std::numeric_limits<std::uint64_t>::max()); }

private:
    // Reads a string's length and checks that its bytes are there.
    std::uint64_t str_length(const std::string& field, std::uint64_t max_bytes) {
        std::uint64_t at = pos_;
        std::uint64_t n = u64(field + " length");
        if (n > max_bytes) fail(at, field, "string of " + std::to_string(n) + " bytes; at most " + std::to_string(max_bytes) + " allowed");
        if (n > remaining())
            fail(at, field, "string claims " + std::to_string(n) + " bytes but only " + std::to_string(remaining()) +
                                " remain (truncated or corrupt file)");
        return n;
    }

    void refill(const std::string& field) {
        in_.clear();
        in_.seekg(static_cast<std::streamoff>(pos_));
        std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(buf_.size(), remaining()));
        in_.read(buf_.data(), static_cast<std::streamsize>(want));
        buf_start_ = pos_;
        buf_len_ = static_cast<std::size_t>(in_.gcount());
        if (buf_len_ == 0) fail(pos_, field, "read error (file changed while reading?)");
    }

    std::string path_;
    std::ifstream in_;
    std::uint64_t size_ = 0;
    std::uint64_t pos_ = 0;
    std::vector<char> buf_;
    std::uint64_t buf_start_ = 0;
    std::size_t buf_len_ = 0;
};

}  // namespace infersim::workload

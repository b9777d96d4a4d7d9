// Formatting of input errors.
#include "config/errors.hpp"

namespace infersim::config {

std::string to_string(const SourceLocation& loc) {
    std::string s = loc.file.empty() ? std::string("<input>") : loc.file;
    if (loc.line > 0) {
        s += ":" + std::to_string(loc.line);
        if (loc.column > 0) s += ":" + std::to_string(loc.column);
    }
    return s;
}

namespace {

void append_escaped(std::string& out, unsigned char c) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += "\\x";
    out += kHex[c >> 4];
    out += kHex[c & 15];
}

// Length of the valid UTF-8 sequence at s[i] that is not a control character, or 0.
std::size_t utf8_length(std::string_view s, std::size_t i) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = b(i);
    if (c >= 0x20 && c < 0x7f) return 1;
    std::size_t n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k)
        if ((b(i + k) & 0xc0) != 0x80) return 0;
    if (c == 0xc2 && b(i + 1) < 0xa0) return 0;                       // C1 controls (U+0080..U+009F)
    if ((c == 0xe0 && b(i + 1) < 0xa0) || (c == 0xf0 && b(i + 1) < 0x90)) return 0;  // overlong
    if ((c == 0xed && b(i + 1) >= 0xa0) || (c == 0xf4 && b(i + 1) >= 0x90)) return 0;  // surrogates, > U+10FFFF
    return n;
}

std::string without_controls(const std::string& s) { return escape_controls(s); }

std::string compose(const SourceLocation& where, const std::string& field, const std::string& message) {
    std::string s = to_string(where) + ": ";
    if (!field.empty()) s += "field '" + field + "': ";
    return without_controls(s + message);
}
}  // namespace

std::string escape_controls(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t n = utf8_length(text, i);
        if (n == 0) {
            append_escaped(out, static_cast<unsigned char>(text[i]));
            ++i;
        } else {
            out.append(text.substr(i, n));
            i += n;
        }
    }
    return out;
}

std::string printable(std::string_view bytes, std::size_t max_chars) {
    std::string out;
    for (unsigned char c : bytes.substr(0, max_chars)) {
        if (c >= 0x20 && c < 0x7f) out += static_cast<char>(c);
        else append_escaped(out, c);
    }
    return bytes.size() > max_chars ? out + "..." : out;
}

InputError::InputError(SourceLocation where, std::string field, const std::string& message)
    : std::runtime_error(compose(where, field, message)),
      where_(std::move(where)),
      field_(std::move(field)),
      detail_(message) {}

}  // namespace infersim::config

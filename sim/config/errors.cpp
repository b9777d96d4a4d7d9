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

// Input text is echoed in messages; control characters (escape sequences, NUL, BEL) are shown
// as \xNN so a hostile file cannot drive the terminal or cut the message short. UTF-8 (file
// names, quoted values) passes through.
std::string without_controls(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (unsigned char c : s) {
        if (c < 0x20 || c == 0x7f) append_escaped(out, c);
        else out += static_cast<char>(c);
    }
    return out;
}

std::string compose(const SourceLocation& where, const std::string& field, const std::string& message) {
    std::string s = to_string(where) + ": ";
    if (!field.empty()) s += "field '" + field + "': ";
    return without_controls(s + message);
}
}  // namespace

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

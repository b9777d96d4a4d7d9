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
// Input text is echoed in messages; control characters (escape sequences, NUL, BEL) are shown
// as \xNN so a hostile file cannot drive the terminal or cut the message short.
std::string printable(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (unsigned char c : s) {
        if (c < 0x20 || c == 0x7f) {
            static const char* hex = "0123456789abcdef";
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

std::string compose(const SourceLocation& where, const std::string& field, const std::string& message) {
    std::string s = to_string(where) + ": ";
    if (!field.empty()) s += "field '" + field + "': ";
    return printable(s + message);
}
}  // namespace

InputError::InputError(SourceLocation where, std::string field, const std::string& message)
    : std::runtime_error(compose(where, field, message)),
      where_(std::move(where)),
      field_(std::move(field)),
      detail_(message) {}

}  // namespace infersim::config

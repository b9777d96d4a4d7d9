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
std::string compose(const SourceLocation& where, const std::string& field, const std::string& message) {
    std::string s = to_string(where) + ": ";
    if (!field.empty()) s += "field '" + field + "': ";
    return s + message;
}
}  // namespace

InputError::InputError(SourceLocation where, std::string field, const std::string& message)
    : std::runtime_error(compose(where, field, message)),
      where_(std::move(where)),
      field_(std::move(field)),
      detail_(message) {}

}  // namespace infersim::config

// Typed input errors. Library code throws these; only the command chooses exit codes.
#pragma once
#include <stdexcept>
#include <string>
#include <string_view>

namespace infersim::config {

/// Where in which input a problem was found. Line and column are 1-based; 0 means unknown.
struct SourceLocation {
    std::string file;
    int line = 0;
    int column = 0;
};

/// Renders "file:line:column" (omitting what is unknown).
std::string to_string(const SourceLocation& loc);

/// Raw bytes from an input file as they may appear in a message: anything outside printable
/// ASCII as \xNN, and at most `max_chars` of the input ("..." after).
std::string printable(std::string_view bytes, std::size_t max_chars = 80);

/// Text from an input file (a name, a message quoting it) as it may be printed to a terminal:
/// valid UTF-8 passes through; control characters (C0, DEL, C1 such as CSI), newlines and
/// invalid UTF-8 bytes become \xNN, so a name can neither drive the terminal nor forge a line.
std::string escape_controls(std::string_view text);

/// Bad user input: a file, a field or a flag. The message is one line:
/// "file:line:col: field 'a.b': expected ..., got ...".
class InputError : public std::runtime_error {
public:
    InputError(SourceLocation where, std::string field, const std::string& message);
    const SourceLocation& where() const { return where_; }
    const std::string& field() const { return field_; }
    /// The message without location and field.
    const std::string& detail() const { return detail_; }

private:
    SourceLocation where_;
    std::string field_;
    std::string detail_;
};

/// A scenario that is valid but asks for more than the configured budget (events, memory).
class BudgetError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace infersim::config

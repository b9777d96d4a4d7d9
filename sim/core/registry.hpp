// The component registry (Ramulator 2 / SST-core style): for one axis of the design (compute
// units, channel models, architectures, power models), the named implementations a YAML file
// may choose with `impl:`. Each entry carries a one-line doc, its own field table and its
// factory. A registry is filled once, by the function that builds it, and only read after:
// the builders return it as a const object, so nothing can register late and two simulations
// in one process see the same table.
#pragma once
#include <algorithm>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace infersim::core {

/// A name registered twice: a programming error, caught when the registry is built.
class DuplicateImplementation : public std::logic_error {
public:
    using std::logic_error::logic_error;
};

/// `Entry` is the axis's own record; it must have `name` and `doc` (string_view) members, and
/// usually a field table and a factory.
template <class Entry>
class Registry {
public:
    Registry(std::string_view axis, std::string_view axis_doc) : axis_(axis), axis_doc_(axis_doc) {}

    /// Registers `e`; throws DuplicateImplementation when its name is taken.
    Registry& add(Entry e) {
        if (find(e.name)) throw DuplicateImplementation(std::string(axis_) + ": '" + std::string(e.name) + "' registered twice");
        entries_.push_back(std::move(e));
        return *this;
    }
    /// The entry called `name`, or nullptr.
    const Entry* find(std::string_view name) const {
        auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.name == name; });
        return it == entries_.end() ? nullptr : &*it;
    }
    std::span<const Entry> entries() const { return entries_; }
    std::vector<std::string_view> names() const {
        std::vector<std::string_view> out;
        for (const Entry& e : entries_) out.push_back(e.name);
        return out;
    }
    /// "a, b or c", for error messages.
    std::string name_list() const {
        std::string out;
        for (std::size_t i = 0; i < entries_.size(); ++i)
            out += (i == 0 ? "" : i + 1 == entries_.size() ? " or " : ", ") + std::string(entries_[i].name);
        return out;
    }
    std::string_view axis() const { return axis_; }
    std::string_view axis_doc() const { return axis_doc_; }

private:
    std::string_view axis_, axis_doc_;
    std::vector<Entry> entries_;
};

}  // namespace infersim::core

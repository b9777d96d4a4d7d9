// The fields an implementation reads beyond its axis's common ones (an NPU's dispatch cost, the
// weight formats it runs natively), kept by name until the implementation is built from them.
// The spec structs stay plain and implementation-agnostic, so adding an implementation touches
// no spec header; the implementation reads its values once, when its model is constructed
// (never per op).
#pragma once
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "config/dtype.hpp"

namespace infersim::config {

class ImplParams {
public:
    void set(std::string_view name, double v) { numbers_[std::string(name)] = v; }
    void set(std::string_view name, const PerDType& t) { tables_[std::string(name)] = t; }
    void set(std::string_view name, std::vector<std::string> words) { lists_[std::string(name)] = std::move(words); }

    /// The number written under `name`, or `fallback` when the file left it out.
    double number(std::string_view name, double fallback) const {
        auto it = numbers_.find(name);
        return it == numbers_.end() ? fallback : it->second;
    }
    PerDType table(std::string_view name, const PerDType& fallback) const {
        auto it = tables_.find(name);
        return it == tables_.end() ? fallback : it->second;
    }
    std::vector<std::string> list(std::string_view name, std::vector<std::string> fallback) const {
        auto it = lists_.find(name);
        return it == lists_.end() ? fallback : it->second;
    }

private:
    std::map<std::string, double, std::less<>> numbers_;
    std::map<std::string, PerDType, std::less<>> tables_;
    std::map<std::string, std::vector<std::string>, std::less<>> lists_;
};

}  // namespace infersim::config

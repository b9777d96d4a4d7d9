// The pending-event set, behind an interface so implementations can be benchmarked against
// each other (gem5/ns-3 style).
#pragma once
#include <cstddef>
#include <memory>
#include <string_view>

#include "engine/event.hpp"

namespace infersim::engine {

/// A priority queue of events in `fires_before` order.
class Scheduler {
public:
    virtual ~Scheduler() = default;
    virtual void push(const Event& e) = 0;
    /// Removes and returns the first event. Precondition: !empty().
    virtual Event pop() = 0;
    virtual const Event& top() const = 0;
    virtual bool empty() const = 0;
    virtual std::size_t size() const = 0;
    virtual void reserve(std::size_t n) = 0;
};

/// Creates a scheduler by name: "calendar" (calendar queue), "heap" (4-ary implicit heap) or
/// "binary_heap" (std::push_heap). All give the same firing order.
/// Throws std::invalid_argument on an unknown name.
std::unique_ptr<Scheduler> make_scheduler(std::string_view name);

}  // namespace infersim::engine

// Two scheduler implementations: a 4-ary implicit heap (shallower, cache-friendlier) and the
// standard library's binary heap, kept as a baseline for the benchmark.
#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/scheduler.hpp"

namespace infersim::engine {
namespace {

class QuaternaryHeap final : public Scheduler {
public:
    void push(const Event& e) override {
        heap_.push_back(e);
        sift_up(heap_.size() - 1);
    }
    Event pop() override {
        Event first = heap_.front();
        heap_.front() = heap_.back();
        heap_.pop_back();
        if (!heap_.empty()) sift_down(0);
        return first;
    }
    const Event& top() const override { return heap_.front(); }
    bool empty() const override { return heap_.empty(); }
    std::size_t size() const override { return heap_.size(); }
    void reserve(std::size_t n) override { heap_.reserve(n); }

private:
    static constexpr std::size_t kArity = 4;

    void sift_up(std::size_t i) {
        Event moving = heap_[i];
        while (i > 0) {
            std::size_t parent = (i - 1) / kArity;
            if (!fires_before(moving, heap_[parent])) break;
            heap_[i] = heap_[parent];
            i = parent;
        }
        heap_[i] = moving;
    }
    void sift_down(std::size_t i) {
        Event moving = heap_[i];
        const std::size_t n = heap_.size();
        for (;;) {
            std::size_t first_child = i * kArity + 1;
            if (first_child >= n) break;
            std::size_t best = first_child;
            std::size_t last_child = std::min(first_child + kArity, n);
            for (std::size_t c = first_child + 1; c < last_child; ++c)
                if (fires_before(heap_[c], heap_[best])) best = c;
            if (!fires_before(heap_[best], moving)) break;
            heap_[i] = heap_[best];
            i = best;
        }
        heap_[i] = moving;
    }
    std::vector<Event> heap_;
};

class BinaryHeap final : public Scheduler {
public:
    void push(const Event& e) override {
        heap_.push_back(e);
        std::push_heap(heap_.begin(), heap_.end(), later);
    }
    Event pop() override {
        std::pop_heap(heap_.begin(), heap_.end(), later);
        Event e = heap_.back();
        heap_.pop_back();
        return e;
    }
    const Event& top() const override { return heap_.front(); }
    bool empty() const override { return heap_.empty(); }
    std::size_t size() const override { return heap_.size(); }
    void reserve(std::size_t n) override { heap_.reserve(n); }

private:
    static bool later(const Event& a, const Event& b) { return fires_before(b, a); }
    std::vector<Event> heap_;
};

}  // namespace

std::unique_ptr<Scheduler> make_calendar_queue();

std::unique_ptr<Scheduler> make_scheduler(std::string_view name) {
    if (name == "calendar") return make_calendar_queue();
    if (name == "heap") return std::make_unique<QuaternaryHeap>();
    if (name == "binary_heap") return std::make_unique<BinaryHeap>();
    throw std::invalid_argument("unknown scheduler '" + std::string(name) +
                                "' (expected calendar, heap or binary_heap)");
}

}  // namespace infersim::engine

// A calendar queue (R. Brown, CACM 1988): events hashed by time into buckets one "day" wide,
// scanned in order; O(1) expected per operation when the width tracks the spacing of events.
// Within a bucket events stay sorted by the full key, so the firing order is exactly the
// heap's: (time, priority, insertion order).
#include <algorithm>
#include <vector>

#include "engine/scheduler.hpp"

namespace infersim::engine {
namespace {

class CalendarQueue final : public Scheduler {
public:
    CalendarQueue() { rebuild(kMinBuckets, 1); }

    void push(const Event& e) override {
        insert(e);
        if (++size_ > 2 * buckets_.size()) resize(buckets_.size() * 2);
    }

    Event pop() override {
        locate();
        std::vector<Event>& b = buckets_[cur_];
        Event e = b.back();
        b.pop_back();
        --size_;
        last_ = e.when();
        if (buckets_.size() > kMinBuckets && size_ < buckets_.size() / 4) resize(buckets_.size() / 2);
        // A width that no longer matches the spacing of events shows as long scans over empty
        // buckets: re-measure it.
        else if (++pops_ >= buckets_.size() && skips_ > 4 * pops_) resize(buckets_.size());
        return e;
    }

    const Event& top() const override {
        const_cast<CalendarQueue*>(this)->locate();
        return buckets_[cur_].back();
    }
    bool empty() const override { return size_ == 0; }
    std::size_t size() const override { return size_; }
    void reserve(std::size_t n) override {
        std::size_t nb = kMinBuckets;
        while (nb < n / 2) nb *= 2;
        if (nb > buckets_.size()) resize(nb);
    }

private:
    static constexpr std::size_t kMinBuckets = 16;

    std::size_t bucket_of(Tick t) const { return static_cast<std::size_t>(t / width_) & mask_; }

    void insert(const Event& e) {
        std::vector<Event>& b = buckets_[bucket_of(e.when())];
        // Sorted descending: the earliest event is at the back, and new events usually go there.
        auto pos = std::upper_bound(b.begin(), b.end(), e, [](const Event& x, const Event& y) { return y.key < x.key; });
        b.insert(pos, e);
    }

    // Points cur_ at the bucket holding the earliest event. Precondition: size_ > 0.
    void locate() {
        for (std::size_t scanned = 0; scanned < buckets_.size(); ++scanned) {
            const std::vector<Event>& b = buckets_[cur_];
            if (!b.empty() && b.back().when() < top_) return;
            cur_ = (cur_ + 1) & mask_;
            top_ = top_ > kTickMax - width_ ? kTickMax : top_ + width_;
            ++skips_;
        }
        // Nothing in this "year": jump straight to the earliest event.
        skips_ += buckets_.size();
        std::size_t best = 0;
        bool found = false;
        for (std::size_t i = 0; i < buckets_.size(); ++i)
            if (!buckets_[i].empty() && (!found || buckets_[i].back().key < buckets_[best].back().key)) {
                best = i;
                found = true;
            }
        cur_ = best;
        const Tick w = buckets_[best].back().when();
        top_ = (w / width_) * width_;
        top_ = top_ > kTickMax - width_ ? kTickMax : top_ + width_;
    }

    void rebuild(std::size_t nb, Tick width) {
        std::vector<Event> all;
        all.reserve(size_);
        for (auto& b : buckets_) all.insert(all.end(), b.begin(), b.end());
        buckets_.assign(nb, {});
        mask_ = nb - 1;
        width_ = std::max<Tick>(1, width);
        for (const Event& e : all) insert(e);
        cur_ = bucket_of(last_);
        top_ = (last_ / width_) * width_;
        top_ = top_ > kTickMax - width_ ? kTickMax : top_ + width_;
    }

    // New bucket count; the width becomes three times the mean spacing of the earliest events.
    void resize(std::size_t nb) {
        std::vector<Tick> times;
        times.reserve(size_);
        for (auto& b : buckets_)
            for (const Event& e : b) times.push_back(e.when());
        const std::size_t sample = std::min<std::size_t>(times.size(), 64);
        Tick width = width_;
        if (sample >= 2) {
            std::partial_sort(times.begin(), times.begin() + static_cast<std::ptrdiff_t>(sample), times.end());
            const Tick span = times[sample - 1] - times[0];
            width = span > 0 ? std::max<Tick>(1, 3 * span / (sample - 1)) : width_;
        }
        rebuild(nb, width);
        pops_ = skips_ = 0;
    }

    std::vector<std::vector<Event>> buckets_;
    std::size_t mask_ = 0, cur_ = 0, size_ = 0;
    Tick width_ = 1, top_ = 1, last_ = 0;
    std::size_t pops_ = 0, skips_ = 0;
};

}  // namespace

std::unique_ptr<Scheduler> make_calendar_queue() { return std::make_unique<CalendarQueue>(); }

}  // namespace infersim::engine

// The paged KV cache: pages are reserved all or nothing, a released prefix stays cached and is
// found again, unreferenced cached pages are evicted least recently freed first.
#include <gtest/gtest.h>

#include "serving/kv_pages.hpp"

namespace infersim::serving {

TEST(ServingKvPages, reserve_is_all_or_nothing) {
    KvPages kv(4, 16);
    std::vector<std::uint32_t> a, b;
    EXPECT_TRUE(kv.reserve(a, 33));  // 3 pages
    EXPECT_EQ(a.size(), 3u);
    EXPECT_FALSE(kv.reserve(b, 32));  // 2 pages, 1 left
    EXPECT_TRUE(b.empty());
    EXPECT_EQ(kv.used(), 3u);
    kv.release(a);
    EXPECT_EQ(kv.used(), 0u);
    EXPECT_TRUE(kv.reserve(b, 64));
}

TEST(ServingKvPages, a_released_prefix_is_found_again_and_shared) {
    KvPages kv(8, 16);
    std::vector<std::uint32_t> a;
    ASSERT_TRUE(kv.reserve(a, 48));
    kv.publish(7, 0, a);
    kv.publish(7, 1, a);
    std::vector<std::uint32_t> b;
    EXPECT_EQ(kv.lookup(7, 3, b), 2u);  // page 2 was never published
    EXPECT_EQ(b[0], a[0]);
    EXPECT_EQ(kv.used(), 3u);           // shared pages count once
    kv.release(a);
    kv.release(b);
    EXPECT_EQ(kv.used(), 0u);
    std::vector<std::uint32_t> c;
    EXPECT_EQ(kv.lookup(7, 2, c), 2u);  // still cached after every holder left
    EXPECT_EQ(kv.lookup(8, 2, c), 0u);  // another group's prefix is not
}

TEST(ServingKvPages, cached_pages_are_evicted_least_recently_freed_first) {
    KvPages kv(2, 16);
    std::vector<std::uint32_t> a, b;
    ASSERT_TRUE(kv.reserve(a, 16));
    ASSERT_TRUE(kv.reserve(b, 16));
    kv.publish(1, 0, a);
    kv.publish(2, 0, b);
    kv.release(a);  // group 1 freed first: evicted first
    kv.release(b);
    std::vector<std::uint32_t> c;
    ASSERT_TRUE(kv.reserve(c, 16));
    std::vector<std::uint32_t> d;
    EXPECT_EQ(kv.lookup(1, 1, d), 0u);
    EXPECT_EQ(kv.lookup(2, 1, d), 1u);
}

}  // namespace infersim::serving

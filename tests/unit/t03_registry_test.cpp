// The component registry: names are unique, lookups find what was added, and the lists that
// errors and `describe` print come out in registration order.
#include <gtest/gtest.h>

#include "core/registry.hpp"

namespace infersim::core {
namespace {

struct Entry {
    std::string_view name, doc;
    int value = 0;
};

Registry<Entry> three() {
    Registry<Entry> r("widgets", "test axis");
    r.add({"alpha", "first", 1}).add({"beta", "second", 2}).add({"gamma", "third", 3});
    return r;
}

}  // namespace

TEST(Registry, finds_entries_by_name_and_nothing_else) {
    const Registry<Entry> r = three();
    ASSERT_NE(r.find("beta"), nullptr);
    EXPECT_EQ(r.find("beta")->value, 2);
    EXPECT_EQ(r.find("delta"), nullptr);
    EXPECT_EQ(r.find(""), nullptr);
}

TEST(Registry, a_name_registered_twice_is_refused) {
    Registry<Entry> r = three();
    EXPECT_THROW(r.add({"alpha", "again", 9}), DuplicateImplementation);
    EXPECT_EQ(r.find("alpha")->value, 1);
    EXPECT_EQ(r.entries().size(), 3u);
}

TEST(Registry, lists_names_in_registration_order) {
    const Registry<Entry> r = three();
    EXPECT_EQ(r.name_list(), "alpha, beta or gamma");
    EXPECT_EQ(r.names(), (std::vector<std::string_view>{"alpha", "beta", "gamma"}));
    EXPECT_EQ(Registry<Entry>("x", "").name_list(), "");
    EXPECT_EQ(r.axis(), "widgets");
}

}  // namespace infersim::core

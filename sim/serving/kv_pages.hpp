// A paged KV cache (vLLM's block manager): fixed-size pages, a free list, and a prefix cache
// whose pages are keyed by (prefix group, page index); unreferenced cached pages stay resident
// and are evicted least-recently-freed first when a fresh page is needed.
#pragma once
#include <cstdint>
#include <list>
#include <map>
#include <vector>

namespace infersim::serving {

class KvPages {
public:
    KvPages(std::uint64_t pages, std::uint32_t page_tokens);

    std::uint64_t pages() const { return pages_; }
    std::uint32_t page_tokens() const { return page_tokens_; }
    static std::uint64_t pages_for(std::uint64_t tokens, std::uint32_t page) { return (tokens + page - 1) / page; }
    /// Pages held by running sequences.
    std::uint64_t used() const { return used_; }
    /// Pages a request could take now: free plus evictable cached ones.
    std::uint64_t available() const { return free_.size() + lru_.size(); }

    /// Grows `held` to cover `tokens`; false (nothing taken) if there are not enough pages.
    bool reserve(std::vector<std::uint32_t>& held, std::uint64_t tokens);
    /// Releases a sequence's pages (cached ones become evictable).
    void release(std::vector<std::uint32_t>& held);
    /// Takes the cached pages of `group`'s prefix from page 0 on, at most `max_pages`; returns
    /// how many were found (appended to `held`).
    std::uint32_t lookup(std::int32_t group, std::uint32_t max_pages, std::vector<std::uint32_t>& held);
    /// Marks page `index` of `held` as holding page `index` of `group`'s prefix.
    void publish(std::int32_t group, std::uint32_t index, const std::vector<std::uint32_t>& held);

private:
    using Key = std::uint64_t;
    static Key key(std::int32_t group, std::uint32_t index) { return (static_cast<Key>(static_cast<std::uint32_t>(group)) << 32) | index; }
    std::uint32_t take();

    std::uint64_t pages_;
    std::uint32_t page_tokens_;
    std::uint64_t used_ = 0;
    std::vector<std::uint32_t> refs_;
    std::vector<Key> page_key_;              // kNoKey: not cached
    std::vector<std::list<std::uint32_t>::iterator> lru_pos_;
    std::vector<std::uint32_t> free_;        // uncached free pages (a stack: deterministic)
    std::list<std::uint32_t> lru_;           // cached, unreferenced; front = evicted first
    std::map<Key, std::uint32_t> cached_;
    static constexpr Key kNoKey = ~Key{0};
};

}  // namespace infersim::serving

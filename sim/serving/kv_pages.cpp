// Paged KV bookkeeping with prefix reuse and LRU eviction.
#include "serving/kv_pages.hpp"

#include <stdexcept>

namespace infersim::serving {

KvPages::KvPages(std::uint64_t pages, std::uint32_t page_tokens)
    : pages_(pages), page_tokens_(page_tokens), refs_(pages, 0), page_key_(pages, kNoKey), lru_pos_(pages) {
    if (pages > (1ull << 32)) throw std::invalid_argument("more than 2^32 KV pages");
    free_.reserve(pages);
    for (std::uint64_t p = pages; p-- > 0;) free_.push_back(static_cast<std::uint32_t>(p));
}

std::uint32_t KvPages::take() {
    std::uint32_t p;
    if (!free_.empty()) {
        p = free_.back();
        free_.pop_back();
    } else {
        p = lru_.front();
        lru_.pop_front();
        cached_.erase(page_key_[p]);
        page_key_[p] = kNoKey;
    }
    refs_[p] = 1;
    ++used_;
    return p;
}

bool KvPages::reserve(std::vector<std::uint32_t>& held, std::uint64_t tokens) {
    const std::uint64_t need = pages_for(tokens, page_tokens_);
    if (need <= held.size()) return true;
    if (need - held.size() > available()) return false;
    while (held.size() < need) held.push_back(take());
    return true;
}

void KvPages::release(std::vector<std::uint32_t>& held) {
    for (std::uint32_t p : held) {
        if (--refs_[p] > 0) continue;
        --used_;
        if (page_key_[p] == kNoKey) free_.push_back(p);
        else lru_pos_[p] = lru_.insert(lru_.end(), p);
    }
    held.clear();
}

std::uint32_t KvPages::lookup(std::int32_t group, std::uint32_t max_pages, std::vector<std::uint32_t>& held) {
    std::uint32_t n = 0;
    for (; n < max_pages; ++n) {
        auto it = cached_.find(key(group, n));
        if (it == cached_.end()) break;
        const std::uint32_t p = it->second;
        if (refs_[p]++ == 0) {
            lru_.erase(lru_pos_[p]);
            ++used_;
        }
        held.push_back(p);
    }
    return n;
}

void KvPages::publish(std::int32_t group, std::uint32_t index, const std::vector<std::uint32_t>& held) {
    const std::uint32_t p = held[index];
    if (page_key_[p] != kNoKey || cached_.count(key(group, index))) return;  // already cached (here or in another page)
    page_key_[p] = key(group, index);
    cached_.emplace(page_key_[p], p);
}

}  // namespace infersim::serving

// The shape of one scheduler step: for every sequence in the batch, the tokens it computes,
// the KV length it attends to before them, and the logit rows it samples.
#pragma once
#include <cstdint>
#include <vector>

namespace infersim::serving {

struct Slice {
    std::uint32_t tokens = 1;     // new tokens this step
    std::uint64_t context = 0;    // KV length before the step
    std::uint32_t logits = 0;     // rows sampled (1 at a prompt's end or a decode, k+1 when verifying drafts)
    bool decode = false;          // the sequence is past its prompt
};

struct BatchShape {
    std::vector<Slice> slices;
    std::uint64_t tokens() const {
        std::uint64_t t = 0;
        for (const Slice& s : slices) t += s.tokens;
        return t;
    }
};

}  // namespace infersim::serving

// libFuzzer target: sweep result tables as --resume and merge read them. The input is split at
// its first NUL into two tables (a shard table and a journal); both are read as merge reads
// them (strict) and as resume reads them (torn rows dropped), then written and read back: what
// was written must read back identical. Anything but config::InputError is a finding.
#include <cstring>

#include "fuzz_input.hpp"
#include "sweep/results.hpp"

namespace {

void round_trip(const std::string& path, infersim::sweep::Table& table) {
    infersim::sweep::write_rows(path + ".out", table);
    infersim::sweep::Table back;
    infersim::sweep::read_rows(path + ".out", back);
    if (back != table) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static infersim::fuzz::InputFile a("a.jsonl"), b("b.jsonl");
    const auto* nul = static_cast<const std::uint8_t*>(std::memchr(data, 0, size));
    const std::size_t cut = nul ? static_cast<std::size_t>(nul - data) : size;
    const std::string& pa = a.write(data, cut);
    const std::string& pb = b.write(nul ? nul + 1 : data + size, nul ? size - cut - 1 : 0);
    for (auto torn : {infersim::sweep::Torn::refuse, infersim::sweep::Torn::recompute}) {
        try {
            infersim::sweep::Table t;
            infersim::sweep::read_rows(pa, t, torn);
            infersim::sweep::read_rows(pb, t, torn);
            round_trip(pa, t);
        } catch (const infersim::config::InputError&) {
        }
    }
    return 0;
}

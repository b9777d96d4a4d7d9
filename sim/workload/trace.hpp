// The work of an inference run as data: steps (a prefill chunk or a decode step), each a DAG of
// ops with the bytes and FLOPs they imply. Knows nothing of hardware.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <boost/graph/adjacency_list.hpp>

#include "config/op_kind.hpp"
#include "core/enum_names.hpp"
#include "workload/quant_format.hpp"

namespace infersim::workload {

#define INFERSIM_PHASES(X) X(prefill) X(decode)
enum class Phase : std::uint8_t { INFERSIM_PHASES(INFERSIM_ENUMERATOR) };
inline constexpr std::array kPhaseNames{INFERSIM_PHASES(INFERSIM_ENUM_NAME)};
inline std::string_view name(Phase p) { return kPhaseNames[static_cast<std::size_t>(p)]; }
inline std::optional<Phase> parse_phase(std::string_view s) { return core::parse_enum<Phase>(kPhaseNames, s); }

struct Op {
    config::OpKind kind = config::OpKind::norm;
    std::int32_t layer = -1;          // -1: whole-model op (embedding, lm_head, sample)
    std::uint32_t rows = 0;           // tokens (matrix rows) this op processes
    std::uint32_t cols = 0;           // output features of a matrix op (GEMM N), 0 if not one
    std::uint64_t weight_bytes = 0;   // weights streamed from memory
    std::uint64_t weight_elements = 0;// weights touched (for dequantization work)
    std::uint64_t kv_read_bytes = 0;
    std::uint64_t kv_write_bytes = 0;
    std::uint64_t act_bytes = 0;      // activations read + written
    double flops = 0;                 // multiply-adds count 2
    double dequant_ops = 0;           // vector ops to unpack quantized weights
    bool matrix = false;              // shaped as a GEMM/GEMV (eligible for matrix units)
    /// The stored format of the weights this op reads (the largest of its tensors), set by the
    /// trace builder so the replayer needs no lookup per op; nullptr when it reads none.
    const QuantFormat* weight_format = nullptr;
    // MoE (issue 9): > 0 marks the router and expert ops of a MoE layer, whose tokens each use
    // this many experts (the runtime profile's `moe.kernels` count them).
    std::uint16_t active_experts = 0;
};

/// Dependencies between the ops of one step (vertex i = ops[i]).
using OpGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS>;

struct Step {
    Phase phase = Phase::decode;
    std::uint32_t index = 0;          // position in the run
    std::uint32_t new_tokens = 0;     // tokens per sequence processed in this step
    std::uint32_t sequences = 1;
    std::uint64_t context = 0;        // KV length per sequence before this step
    std::uint32_t emits = 0;          // output tokens this step produces (sampled)
    std::vector<Op> ops;
    OpGraph deps;

    /// Ops in an order that respects `deps` (deterministic: ties by index).
    std::vector<std::uint32_t> order() const;
};

/// A source of steps: built on the fly from specs, or read from a trace file.
class StepSource {
public:
    virtual ~StepSource() = default;
    virtual std::size_t step_count() const = 0;
    /// Step `i`; the reference stays valid until the next call.
    virtual const Step& step(std::size_t i) = 0;
    /// Total ops over all steps (for budgets and table sizing).
    virtual std::uint64_t op_count() const = 0;
    /// Steps from this one on are the decode steps of one request shape, alike but for their
    /// context: the same ops, whose KV reads and attention FLOPs grow with the context (decode-step
    /// sampling relies on it). step_count(): no such steps (the default: nothing promised).
    virtual std::size_t alike_decode_begin() const { return step_count(); }
};

}  // namespace infersim::workload

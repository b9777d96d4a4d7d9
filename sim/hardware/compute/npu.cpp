// The NPU model (impl: npu): a matrix engine (Hexagon HMX, Apple Neural Engine, AMD XDNA)
// driven by a runtime that compiles the model's step into one graph.
// - Time: matrix ops run on the matrix engine at its per-datatype rate (`matrix`, ops/cycle per
//   core) with the common shape efficiency (rows / matrix_min_rows), or on its vector path if
//   that is faster; every other op (norms, attention softmax, sampling) runs on the vector path
//   in fp16. The NPU runs every op: a graph compiler lowers what the matrix engine cannot do to
//   the vector units, so no op falls back to another unit (a simplification, stated).
// - Weights: formats in `native_weights` (element width and kind: int4 covers q4_0/q4_k, int8
//   covers q8_0, fp16 covers f16) feed the matrix engine directly, their block scales applied in
//   the datapath; integer weights then multiply at `dtype` (int8: W4A8/W8A8). Any other format
//   pays its stated unpack cost (the format's dequant ops per weight, quant_format.cpp) on the
//   vector path once per step: the NPU converts a weight tile into local memory once and runs
//   all rows against it. No format is rejected.
// - Launch: one dispatch per graph, `dispatch_overhead`, charged at the first op of each step;
//   no per-kernel launch.
// - Power: `active_power` while it runs ops (power-gated when idle, so a machine's NPU costs
//   nothing in runs on its GPU); the common static_power, if set, is charged always.
// - Memory: `memory_bandwidth`, when given, caps what its port to the shared pool draws.
#include <algorithm>
#include <cstdint>
#include <string>

#include "config/fields.hpp"
#include "hardware/compute/roofline.hpp"

namespace infersim::hw {
namespace {

using config::DType;
using config::Node;

// Weight element kinds an NPU may run natively: integer widths and the float datatypes.
struct NativeName {
    std::string_view name;
    bool integer;
    int bits;        // integer width
    DType dtype;     // float type
};
constexpr NativeName kNativeNames[] = {
    {"int2", true, 2, DType::int8}, {"int3", true, 3, DType::int8}, {"int4", true, 4, DType::int8},
    {"int5", true, 5, DType::int8}, {"int6", true, 6, DType::int8}, {"int8", true, 8, DType::int8},
    {"fp4", false, 0, DType::fp4},  {"fp8", false, 0, DType::fp8},  {"fp16", false, 0, DType::fp16},
    {"bf16", false, 0, DType::bf16}, {"fp32", false, 0, DType::fp32},
};

// One bit per element kind: integers by width (bits 1-8), floats by datatype (bits 16+).
std::uint32_t kind_bit(bool integer, int bits, DType d) {
    return integer ? 1u << std::clamp(bits, 1, 8) : 1u << (16 + static_cast<int>(d));
}
std::uint32_t kind_bit(const WeightFormat& w) { return kind_bit(w.integer, w.element_bits, w.compute); }

std::uint32_t native_mask(const std::vector<std::string>& names) {
    std::uint32_t mask = 0;
    for (const std::string& n : names)
        for (const NativeName& k : kNativeNames)
            if (k.name == n) mask |= kind_bit(k.integer, k.bits, k.dtype);
    return mask;
}

const std::vector<std::string> kDefaultNative{"int4", "int8", "fp16"};

class NpuModel final : public ComputeModel {
public:
    NpuModel(const config::ComputeUnitSpec& unit, const config::RuntimeSpec&)
        : unit_(unit),
          dispatch_s_(unit.params.number("dispatch_overhead", 0.0)),
          active_w_(unit.params.number("active_power", 0.0)),
          port_(unit.params.number("memory_bandwidth", 0.0)),
          int_dtype_(static_cast<DType>(static_cast<int>(unit.params.number("dtype", static_cast<double>(DType::int8))))),
          native_(native_mask(unit.params.list("native_weights", kDefaultNative))) {}

    ComputeCost cost(const OpWork& op) const override {
        ComputeCost c;
        if (op.flops <= 0 && op.dequant_ops <= 0) return c;
        const DType vd = supported_dtype(unit_, DType::fp16, false);
        double t = seconds_at_peak(unit_, op.flops, vd, false, 1.0);
        c.dtype = vd;
        if (op.matrix) {
            const DType want = op.weights.integer ? int_dtype_ : op.weights.compute;
            const DType md = supported_dtype(unit_, want, true);
            const double eff = std::min(1.0, std::max<double>(1, op.rows) / std::max(1, unit_.matrix_min_rows));
            const double tm = seconds_at_peak(unit_, op.flops, md, true, eff);
            if (tm < t) {
                t = tm;
                c.matrix_path = true;
                c.dtype = md;
            }
        }
        const double dequant_ops = native_ & kind_bit(op.weights) ? 0.0 : op.dequant_ops;
        c.seconds = t + (dequant_ops > 0 ? seconds_at_peak(unit_, dequant_ops, vd, false, 1.0) : 0.0);
        c.energy_j = op.flops * unit_.energy_j_per_op[static_cast<std::size_t>(c.dtype)] +
                     dequant_ops * unit_.energy_j_per_op[static_cast<std::size_t>(vd)];
        return c;
    }
    double launch_s(const OpWork&, bool first_in_step) const override { return first_in_step ? dispatch_s_ : 0.0; }
    double running_w() const override { return active_w_; }
    double port_bytes_per_s() const override { return port_; }
    double prefill_peak_ops_per_s() const override {
        return std::max(unit_.peak_ops_per_s(supported_dtype(unit_, int_dtype_, true), true),
                        unit_.peak_ops_per_s(supported_dtype(unit_, DType::fp16, true), true));
    }

private:
    const config::ComputeUnitSpec& unit_;
    double dispatch_s_, active_w_, port_;
    DType int_dtype_;
    std::uint32_t native_;
};

using F = config::Field<config::ComputeUnitSpec>;
const F kNpuFields[] = {
    F{"dispatch_overhead", "time", false, "0 s", "cost of dispatching one step's graph, charged at its first op (no per-kernel launch)",
      [](config::ComputeUnitSpec& u, const Node& n) { u.params.set("dispatch_overhead", n.as_quantity(config::Dimension::time, 0, 1)); }},
    F{"native_weights", "list", false, "[int4, int8, fp16]",
      "weight element kinds the matrix engine reads directly (int2-int8, fp4, fp8, fp16, bf16, fp32); others pay their unpack cost",
      [](config::ComputeUnitSpec& u, const Node& n) {
          if (!n.is_sequence()) n.fail("expected a list such as [int4, int8, fp16]");
          std::vector<std::string> names;
          for (const Node& item : n.items()) {
              const std::string s = item.as_string();
              bool known = false;
              for (const NativeName& k : kNativeNames) known = known || k.name == s;
              if (!known) item.fail("expected one of int2, int3, int4, int5, int6, int8, fp4, fp8, fp16, bf16, fp32, got '" + s + "'");
              names.push_back(s);
          }
          u.params.set("native_weights", std::move(names));
      }},
    F{"dtype", "datatype", false, "int8", "arithmetic of matrix ops on integer weights (activations quantized to it)",
      [](config::ComputeUnitSpec& u, const Node& n) {
          const auto d = config::parse_dtype(n.as_string());
          if (!d) n.fail("expected a datatype (fp32, fp16, bf16, fp8, int8, fp4), got '" + n.as_string() + "'");
          u.params.set("dtype", static_cast<double>(static_cast<int>(*d)));
      }},
    F{"active_power", "power", false, "0 W", "leakage and clock power while the NPU runs ops (it is power-gated when idle)",
      [](config::ComputeUnitSpec& u, const Node& n) { u.params.set("active_power", n.as_quantity(config::Dimension::power, 0, 1e4)); }},
    F{"memory_bandwidth", "bandwidth", false, "the pool's", "most the NPU's port to its memory pool draws",
      [](config::ComputeUnitSpec& u, const Node& n) {
          u.params.set("memory_bandwidth", n.as_quantity(config::Dimension::bandwidth, 1e6, 1e16));
      }},
};

}  // namespace

ComputeUnitImpl make_npu_entry() {
    ComputeUnitImpl e;
    e.name = "npu";
    e.doc = "NPU matrix engine: per-datatype matrix throughput, native low-bit weight formats (others pay their unpack cost), "
            "one dispatch per step's graph instead of a launch per kernel, power only while running";
    e.fields = kNpuFields;
    e.make = [](const config::ComputeUnitSpec& u, const config::RuntimeSpec& r) -> std::unique_ptr<ComputeModel> {
        return std::make_unique<NpuModel>(u, r);
    };
    return e;
}

}  // namespace infersim::hw

// The `fabric:` and `host_cpu:` sections of a machine (config/platform_spec.hpp).
#include <array>
#include <limits>

#include "config/fields.hpp"
#include "config/platform_spec.hpp"

namespace infersim::config {
namespace {

const std::array kFabricFields{
    Field<FabricSpec>{"dies", "integer", false, "1", "dies whose memory controllers a page interleave spans",
                      [](FabricSpec& f, const Node& n) { f.dies = static_cast<int>(n.as_integer(1, 64)); }},
    Field<FabricSpec>{"crossing_efficiency", "fraction", false, "1.0", "stream rate of traffic that crosses to another die, relative to local traffic",
                      [](FabricSpec& f, const Node& n) { f.crossing_efficiency = n.as_quantity(Dimension::count, 0.05, 1); }},
};

const std::array kHostCpuFields{
    Field<HostCpuSpec>{"single_thread", "ratio", false, "1.0", "single-thread speed relative to the reference core of the runtimes' host figures",
                       [](HostCpuSpec& h, const Node& n) { h.single_thread = n.as_quantity(Dimension::count, 0.01, 100); }},
    Field<HostCpuSpec>{"d2h_bandwidth", "bandwidth", false, "none (shared memory)", "device-to-host copy rate for the logits",
                       [](HostCpuSpec& h, const Node& n) { h.d2h_bandwidth = n.as_quantity(Dimension::bandwidth, 1e6, 1e15); }},
    Field<HostCpuSpec>{"d2h_latency", "time", false, "0 us", "fixed cost of each device-to-host copy",
                       [](HostCpuSpec& h, const Node& n) { h.d2h_latency = n.as_quantity(Dimension::time, 0, 1e-2); }},
};

}  // namespace

void read_fabric(FabricSpec& f, const Node& n) { read_fields<FabricSpec>(f, n, kFabricFields); }
void read_host_cpu(HostCpuSpec& h, const Node& n) { read_fields<HostCpuSpec>(h, n, kHostCpuFields); }

void describe_platform_schema(std::ostream& out) {
    print_fields<FabricSpec>(out, "fabric", kFabricFields);
    print_fields<HostCpuSpec>(out, "\nhost_cpu", kHostCpuFields);
}

}  // namespace infersim::config

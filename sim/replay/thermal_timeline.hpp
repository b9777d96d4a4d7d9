// What the governor decided, sampled at each step boundary: the throttled units' clocks, the
// cooling domains' temperatures and power, the limits' averaged power. Written to HDF5 as
// /timeline/compute/<unit>/clock_hz, /timeline/thermal/<domain>/{temperature_c, power_w} and
// /timeline/limits/<limit>/power_w (sample-and-hold onto the timeline's bins).
#pragma once
#include <string>
#include <vector>

namespace infersim::replay {

struct ThermalTimeline {
    std::vector<double> time_s;                       // decision times
    std::vector<std::string> units, domains, limits;  // names of the rows below
    std::vector<std::vector<double>> clock_hz;        // [unit][sample]
    std::vector<std::vector<double>> temperature_c;   // [domain][sample]
    std::vector<std::vector<double>> domain_power_w;  // [domain][sample]: mean over the interval before it
    std::vector<std::vector<double>> limit_power_w;   // [limit][sample]: the limit's running average
    bool empty() const { return time_s.empty(); }
};

}  // namespace infersim::replay

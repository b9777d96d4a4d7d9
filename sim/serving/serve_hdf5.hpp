// Writes a serving run to HDF5 (atomically, through output's helpers):
//   /            attributes infersim_version, scenario_yaml, serve_json
//   /requests    one column per field, one row per request: id, arrival_s, first_token_s, finish_s,
//                prompt, gen, preemptions, cached_tokens
//   /serving     per step: time_s (step start), end_s, queue_depth, batch_size, batch_tokens,
//                kv_occupancy, preemptions (cumulative)
#pragma once
#include <string>

#include "serving/report.hpp"

namespace infersim::serving {

void write_serve_hdf5(const std::string& path, const ServeTotals& t, const nlohmann::ordered_json& summary, const std::string& scenario_yaml);

}  // namespace infersim::serving

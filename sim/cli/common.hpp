// Shared pieces of the sub-commands: option sets, scenario assembly from a file and flags,
// configuration roots.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "config/overrides.hpp"
#include "config/resolve.hpp"
#include "config/scenario_spec.hpp"
#include "config/yaml_node.hpp"

namespace infersim::cli {

namespace po = boost::program_options;

/// Thrown for bad command lines (exit code 2, like InputError).
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The scenario flags shared by run, fit, bench and trace (--machine, --model, --prompt, ...).
po::options_description scenario_options();

/// Parses `args` with `options` (plus positional names); throws UsageError on bad flags.
po::variables_map parse(const std::vector<std::string>& args, const po::options_description& options,
                        const po::positional_options_description& positional = {});

/// Prints `options` to stdout when --help was given; returns whether it did.
bool printed_help(const po::variables_map& vm, const po::options_description& options);

/// Builds a scenario: the file (if any) with the command-line flags on top. Flag values are
/// validated by the same schema as the YAML, so errors name the flag.
/// `below_flags`, when defined, sits between the flags and the file (a trace's header), so its
/// errors name its own file and line.
config::ScenarioSpec scenario_from(const po::variables_map& vm, const std::optional<std::string>& file,
                                   const config::Node& below_flags = {});

/// The `--set PATH=VALUE` overrides of a command line, in order (config/overrides.hpp).
std::vector<config::Override> set_overrides(const po::variables_map& vm);

/// The files a command line names: every option value and positional argument that is an
/// existing file, except the value of `output_key` itself.
std::vector<std::string> input_files(const po::variables_map& vm, const std::string& output_key = "output");

/// Refuses the value of vm[output_key] (if given) as an output target: not a regular file, or
/// one of the command line's inputs or `more_inputs`. Called before any work (exit 4).
void check_output(const po::variables_map& vm, const std::vector<std::string>& more_inputs = {},
                  const std::string& output_key = "output");

/// Where configs/ is: $INFERSIM_CONFIGS, next to the executable (../configs), ./configs.
config::SearchPaths search_paths();

}  // namespace infersim::cli

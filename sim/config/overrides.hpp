// Overrides: `--set PATH=VALUE` and sweep axes over any field of the machine, model, runtime or
// scenario. An override is a layer put on top of the YAML tree of the document it names (after
// `extends:` layering), before the document's loader reads it, so every check of that loader
// applies and an error names the override's origin (the --set argument, the sweep point) and
// the field.
//
//   machine.memory.unified.channels=8   -> the machine file: memory: {unified: {channels: 8}}
//   runtime.launch_overhead=5us         -> the runtime profile
//   model.layers=40                     -> the model (a YAML model file)
//   sim.chunk=4MiB, prompt=1024         -> the scenario itself
//   machine=apple-m4-max                -> the scenario key `machine` (no dot: not the document)
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "config/errors.hpp"
#include "config/yaml_node.hpp"

namespace infersim::config {

struct Override {
    std::string document;  // "machine", "model", "runtime", or "" for the scenario
    std::string path;      // dotted, within the document: "memory.unified.channels"
    std::string value;     // as written; "[...]" or "{...}" is read as YAML flow
    SourceLocation where;  // where the override was written (reported for a bad path)
    std::string origin;    // names the layer in errors about the value: "--set machine.x=8"
};

/// The documents an override path may name with a dot after its first part.
inline constexpr std::string_view kOverrideDocuments[] = {"machine", "model", "runtime"};

/// `full_path` ("machine.memory.unified.channels", "sim.chunk") split into its document and path.
/// Throws InputError at `where` on an empty path or empty parts.
Override make_override(const std::string& full_path, std::string value, const SourceLocation& where, std::string origin);

/// Parses the argument of `--set PATH=VALUE`. Throws InputError naming the argument.
Override parse_set(const std::string& argument);

/// `root` with the overrides of `document` layered on top, in order (later ones win). Each
/// path is checked against `root`: it may not run through a value or a list, may not replace a
/// mapping by a value, and may not add an entry to a mapping of named entries (memory pools,
/// compute units, agents: every existing entry is a mapping); the error names the path and
/// what exists there. Unknown field names are left to the document's loader, whose schema
/// knows them. Overrides of other documents are ignored.
Node apply_overrides(const Node& root, const std::vector<Override>& overrides, std::string_view document);

/// Whether any override names `document`.
bool overrides_document(const std::vector<Override>& overrides, std::string_view document);

}  // namespace infersim::config

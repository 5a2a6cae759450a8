// The parameter tables of docs/MODEL.md, rendered from the schemas in params.cc (the doc's
// generated block; tests/sim fail when the committed doc differs).
#pragma once

#include <string>

namespace offsched::sim {

constexpr const char* kModelDocBegin = "<!-- BEGIN GENERATED: parameter tables (offsched-sim-doc --update docs/MODEL.md) -->";
constexpr const char* kModelDocEnd = "<!-- END GENERATED -->";

// Markdown: one table per section (name, default, range, unit, meaning, source of the default).
std::string model_doc_tables();

// Replaces the generated block of a document's text; false when the markers are missing.
bool replace_generated_block(const std::string& doc, const std::string& block, std::string* out);

} // namespace offsched::sim

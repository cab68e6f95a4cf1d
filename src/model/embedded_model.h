// The form in which tools/gen_models.py embeds a trimmed botocore service model into the binary.
// Only service_model.cpp and the generated sources include this header.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

namespace xacct::model::generated {

//! One service model as generated: its lookup keys and its JSON text in chunks (each under 60 KB,
//! a limit some compilers put on one string literal), concatenated in order.
struct EmbeddedModel {
  std::string_view name;           //!< endpoint prefix, e.g. "states"
  std::string_view signing_name;   //!< SigV4 service name
  std::string_view target_prefix;  //!< JSON protocol X-Amz-Target prefix, or empty
  std::string_view protocol;       //!< "query", "json", "rest-json", "rest-xml"
  const std::string_view* chunks;
  size_t chunk_count;
  size_t size;  //!< total bytes of the chunks
};

//! Every embedded model, sorted by name (defined in the generated model_registry.cpp).
std::span<const EmbeddedModel* const> EmbeddedModels();

}  // namespace xacct::model::generated

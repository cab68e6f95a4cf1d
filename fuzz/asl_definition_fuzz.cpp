// Fuzz target: any bytes as a state machine definition. Validate must never crash, hang or leak; it gives
// either a definition and no ERROR diagnostic, or no definition and at least one, whose InvalidDefinition
// message is AWS's shape.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "asl/interpreter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (bool express : {false, true}) {
    xacct::asl::ValidateOptions options;
    options.express = express;
    const auto validation = xacct::asl::Validate(text, options);
    bool errors = false;
    for (const auto& d : validation.diagnostics) {
      if (d.severity == "ERROR") errors = true;
      if (d.code.empty()) std::abort();
    }
    if (errors == (validation.definition != nullptr)) std::abort();
    if (errors &&
        xacct::asl::InvalidDefinitionMessage(validation.diagnostics).rfind("Invalid State Machine Definition: '", 0) !=
            0) {
      std::abort();
    }
  }
  return 0;
}

// Fuzz target: any bytes as an Athena statement. The parser must never crash, hang or leak; whatever it
// accepts must dump to JSON, and an error must be in one of Athena's two shapes with its family's code.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sql/statement.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view sql(reinterpret_cast<const char*>(data), size);
  auto parsed = xacct::sql::ParseStatement(sql);
  if (parsed) {
    (void)xacct::sql::StatementJsonLine(*parsed);
    return 0;
  }
  const auto& e = parsed.error();
  const bool hive = e.message.rfind("FAILED: ", 0) == 0;
  if (hive != (e.code == "ParseError")) std::abort();
  return 0;
}

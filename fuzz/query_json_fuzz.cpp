// Fuzz target: any bytes as a form body or a JSON protocol body for any query or JSON operation of
// the embedded models. Decoding must never crash or leak; whatever decodes must encode again (as a
// response of the same shapes) without crashing.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "model/service_model.h"
#include "protocol/form.h"
#include "protocol/json_protocol.h"
#include "protocol/query.h"

namespace {

using namespace xacct;

constexpr std::string_view kQueryServices[] = {"iam", "sts", "cloudformation"};
constexpr std::string_view kJsonServices[] = {"organizations", "glue", "athena", "states", "dynamodb"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  const uint8_t mode = data[0] % 3;
  const uint16_t pick = static_cast<uint16_t>(data[1] | (data[2] << 8));
  const std::string_view text(reinterpret_cast<const char*>(data + 3), size - 3);

  auto form = protocol::DecodeForm(text);
  if (mode == 0) return 0;

  const std::string_view service_name =
      mode == 1 ? kQueryServices[pick % std::size(kQueryServices)] : kJsonServices[pick % std::size(kJsonServices)];
  const model::ServiceModel* service = model::ServiceModel::Find(service_name);
  const auto& ops = service->operations();
  const model::Operation& op = ops[(pick / 8) % ops.size()];

  if (mode == 1) {
    if (!form.ok()) return 0;
    auto input = protocol::DecodeQueryInput(*service, op, *form);
    if (!input.ok()) {
      (void)protocol::EncodeQueryError(*service, input.error(), "fuzz");
      return 0;
    }
    (void)protocol::EncodeQueryResponse(*service, op, *input, "fuzz");
    return 0;
  }
  auto input = protocol::DecodeJsonInput(*service, op, text);
  if (!input.ok()) {
    (void)protocol::EncodeJsonError(*service, input.error());
    return 0;
  }
  (void)protocol::EncodeJsonResponse(*service, op, *input);
  return 0;
}

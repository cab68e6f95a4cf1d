#include "common/json.h"

#include <boost/json/src.hpp>  // Boost.JSON compiled into this translation unit once.

namespace xacct {

Result<json::value> ParseJson(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(json::string_view(text.data(), text.size()), ec);
  if (ec) return AwsError::Client("SerializationException", "invalid JSON: " + ec.message());
  return v;
}

std::string_view JsonString(const json::value& v) {
  if (const auto* s = v.if_string()) return std::string_view(s->data(), s->size());
  return {};
}

}  // namespace xacct

namespace xacct {

namespace {
void Pretty(const json::value& v, int indent, int depth, std::string* out) {
  const std::string pad(static_cast<size_t>(indent * (depth + 1)), ' ');
  const std::string close_pad(static_cast<size_t>(indent * depth), ' ');
  if (const auto* o = v.if_object(); o != nullptr && !o->empty()) {
    *out += "{\n";
    size_t i = 0;
    for (const auto& [key, value] : *o) {
      *out += pad + json::serialize(json::string_view(key)) + ": ";
      Pretty(value, indent, depth + 1, out);
      *out += ++i < o->size() ? ",\n" : "\n";
    }
    *out += close_pad + "}";
  } else if (const auto* a = v.if_array(); a != nullptr && !a->empty()) {
    *out += "[\n";
    for (size_t i = 0; i < a->size(); ++i) {
      *out += pad;
      Pretty((*a)[i], indent, depth + 1, out);
      *out += i + 1 < a->size() ? ",\n" : "\n";
    }
    *out += close_pad + "]";
  } else {
    *out += json::serialize(v);
  }
}
}  // namespace

std::string PrettyJson(const json::value& v, int indent) {
  std::string out;
  Pretty(v, indent, 0, &out);
  out += "\n";
  return out;
}

}  // namespace xacct

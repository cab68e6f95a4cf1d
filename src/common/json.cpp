#include "common/json.h"

#include <boost/json/src.hpp>  // Boost.JSON compiled into this translation unit once.

namespace xacct {

Result<json::value> ParseJson(std::string_view text) {
  boost::system::error_code ec;
  // Deeper than Boost's default of 32: a DynamoDB item may nest 32 levels, two JSON levels each on the wire
  // ({"M": {...}}). Still bounded, so that code walking a parsed document recursively stays shallow.
  json::parse_options options;
  options.max_depth = 256;
  json::value v = json::parse(json::string_view(text.data(), text.size()), ec, {}, options);
  if (ec) return AwsError::Client("SerializationException", "invalid JSON: " + ec.message());
  return v;
}

std::optional<std::string> FindDuplicateKey(std::string_view text) {
  // A small scanner over already-validated JSON: a stack of key sets, one per open object.
  std::vector<std::vector<std::string>> objects;
  std::vector<bool> is_object;
  bool expect_key = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '{') {
      objects.emplace_back();
      is_object.push_back(true);
      expect_key = true;
    } else if (c == '[') {
      is_object.push_back(false);
      expect_key = false;
    } else if (c == '}' || c == ']') {
      if (c == '}' && !objects.empty()) objects.pop_back();
      if (!is_object.empty()) is_object.pop_back();
      expect_key = false;
    } else if (c == ',') {
      expect_key = !is_object.empty() && is_object.back();
    } else if (c == '"') {
      std::string s;
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\' && i + 1 < text.size()) s += text[i++];
        s += text[i];
      }
      if (expect_key && !objects.empty()) {
        auto& keys = objects.back();
        for (const auto& k : keys) {
          if (k == s) return s;
        }
        keys.push_back(std::move(s));
      }
      expect_key = false;
    }
  }
  return std::nullopt;
}

std::string StringField(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(JsonString(*v)) : std::string();
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

std::vector<std::string> JsonStrings(const json::value* v) {
  std::vector<std::string> out;
  if (v != nullptr && v->is_array()) {
    for (const auto& x : v->as_array()) out.emplace_back(JsonString(x));
  }
  return out;
}

json::array JsonArrayOf(const std::vector<std::string>& values) {
  json::array a;
  for (const auto& v : values) a.emplace_back(v);
  return a;
}

}  // namespace xacct

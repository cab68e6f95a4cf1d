// Constraint validation with AWS's wording (see validate.h for the sources).
#include "protocol/validate.h"

#include <algorithm>

#include "protocol/values.h"

namespace xacct::protocol {

namespace {

using model::Shape;
using model::ShapeRef;
using model::ShapeType;

bool IsNumberType(ShapeType t) {
  return t == ShapeType::kInteger || t == ShapeType::kLong || t == ShapeType::kDouble || t == ShapeType::kFloat;
}

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

// The length a length constraint measures, or -1 when `v` has none.
double Length(const Shape& shape, const json::value& v) {
  switch (shape.type) {
    case ShapeType::kString:
      return v.is_string() ? static_cast<double>(CodePoints(JsonString(v))) : -1;
    case ShapeType::kBlob:
      return v.is_string() ? static_cast<double>(v.get_string().size()) : -1;
    case ShapeType::kList:
      return v.is_array() ? static_cast<double>(v.get_array().size()) : -1;
    case ShapeType::kMap:
      return v.is_object() ? static_cast<double>(v.get_object().size()) : -1;
    default:
      return -1;
  }
}

// The constraints of `shape` in the order AWS lists them; with `v`, only those `v` violates.
std::vector<std::string> Constraints(const Shape& shape, const json::value* v) {
  std::vector<std::string> out;
  if (shape.type == ShapeType::kString && !shape.enum_values.empty() && !shape.document) {
    bool ok = v != nullptr && v->is_string();
    if (ok) {
      ok = false;
      for (const std::string& e : shape.enum_values) ok = ok || e == JsonString(*v);
    }
    if (v == nullptr || !ok) {
      // AWS lists the set sorted ("[B, N, S]" for DynamoDB's S, N, B).
      std::vector<std::string> sorted = shape.enum_values;
      std::sort(sorted.begin(), sorted.end());
      std::string set;
      for (const std::string& e : sorted) set += (set.empty() ? "" : ", ") + e;
      out.push_back("Member must satisfy enum value set: [" + set + "]");
    }
  }
  if (shape.type == ShapeType::kString && shape.compiled_pattern != nullptr) {
    if (v == nullptr || (v->is_string() && !shape.compiled_pattern->Matches(JsonString(*v)))) {
      out.push_back("Member must satisfy regular expression pattern: " + shape.pattern);
    }
  }
  const bool measured = shape.type == ShapeType::kString || shape.type == ShapeType::kBlob ||
                        shape.type == ShapeType::kList || shape.type == ShapeType::kMap;
  if (measured) {
    const double length = v != nullptr ? Length(shape, *v) : -1;
    if (shape.max && (v == nullptr || length > shape.max->value)) {
      out.push_back("Member must have length less than or equal to " + shape.max->text);
    }
    if (shape.min && (v == nullptr || (length >= 0 && length < shape.min->value))) {
      out.push_back("Member must have length greater than or equal to " + shape.min->text);
    }
  }
  if (IsNumberType(shape.type)) {
    const bool number = v != nullptr && v->is_number();
    const double value = number ? v->to_number<double>() : 0;
    if (shape.max && (v == nullptr || (number && value > shape.max->value))) {
      out.push_back("Member must have value less than or equal to " + shape.max->text);
    }
    if (shape.min && (v == nullptr || (number && value < shape.min->value))) {
      out.push_back("Member must have value greater than or equal to " + shape.min->text);
    }
  }
  return out;
}

std::string Join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : std::string(sep)) + item;
  return out;
}

std::string Subject(const Shape& shape, const json::value* v, const std::string& path, const ValidationStyle& style) {
  const std::string at = "at '" + path + "' failed to satisfy constraint: ";
  if (v == nullptr || v->is_null()) return "Value null " + at;
  if (shape.sensitive || (!style.echo_numbers && IsNumberType(shape.type))) return "Value " + at;
  return "Value '" + RenderValue(shape, *v) + "' " + at;
}

std::string Child(const std::string& path, std::string_view name) {
  return path.empty() ? std::string(name) : path + "." + std::string(name);
}

void ValidateValue(const ShapeRef& ref, const json::value& v, const std::string& path, const ValidationStyle& style,
                   bool own_constraints, std::vector<std::string>* errors);

// The contents of a list or map: elements that are scalars fail as a whole, others one by one.
void ValidateContents(const Shape& shape, const json::value& v, const std::string& path, const ValidationStyle& style,
                      std::vector<std::string>* errors) {
  if (shape.type == ShapeType::kList && v.is_array()) {
    const Shape& member = *shape.member.shape;
    const auto& items = v.get_array();
    if (member.IsScalar()) {
      for (const json::value& item : items) {
        if (!Constraints(member, &item).empty()) {
          errors->push_back(Subject(shape, &v, path, style) + "Member must satisfy constraint: [" +
                            Join(Constraints(member, nullptr), ", ") + "]");
          break;
        }
      }
      return;
    }
    for (size_t i = 0; i < items.size(); ++i) {
      ValidateValue(shape.member, items[i], path + "." + std::to_string(i + 1) + ".member", style, true, errors);
    }
  } else if (shape.type == ShapeType::kMap && v.is_object()) {
    const Shape& key = *shape.key.shape;
    const Shape& value = *shape.value.shape;
    for (const auto& entry : v.get_object()) {
      const json::value key_value = json::string(entry.key());
      if (!Constraints(key, &key_value).empty()) {
        errors->push_back(Subject(shape, &v, path, style) + "Map keys must satisfy constraint: [" +
                          Join(Constraints(key, nullptr), ", ") + "]");
        break;
      }
    }
    for (const auto& [k, item] : v.get_object()) {
      if (!Constraints(value, &item).empty()) {
        errors->push_back(Subject(shape, &v, path, style) + "Map value must satisfy constraint: [" +
                          Join(Constraints(value, nullptr), ", ") + "]");
        break;
      }
    }
    if (!value.IsScalar()) {
      for (const auto& [k, item] : v.get_object()) {
        ValidateValue(shape.value, item, Child(path, std::string_view(k)), style, false, errors);
      }
    }
  }
}

void ValidateValue(const ShapeRef& ref, const json::value& v, const std::string& path, const ValidationStyle& style,
                   bool own_constraints, std::vector<std::string>* errors) {
  const Shape& shape = *ref.shape;
  if (v.is_null()) return;
  if (own_constraints) {
    for (const std::string& c : Constraints(shape, &v)) errors->push_back(Subject(shape, &v, path, style) + c);
  }
  if (shape.type == ShapeType::kStructure && v.is_object() && !shape.document) {
    ValidateStructure(shape, v.get_object(), path, style, errors);
  } else {
    ValidateContents(shape, v, path, style, errors);
  }
}

}  // namespace

void ValidateStructure(const Shape& shape, const json::object& value, const std::string& path,
                       const ValidationStyle& style, std::vector<std::string>* errors) {
  for (const ShapeRef& member : shape.members) {
    if (!member.location.empty() && member.location != "querystring" && member.location != "uri" &&
        member.location != "header" && member.location != "headers") {
      continue;  // statusCode and the like are not input
    }
    const std::string member_path = Child(path, ValidationName(member.name));
    const json::value* v = value.if_contains(member.name);
    if (v == nullptr || v->is_null()) {
      if (shape.IsRequired(member.name)) {
        errors->push_back(Subject(*member.shape, nullptr, member_path, style) + "Member must not be null");
      }
      continue;
    }
    ValidateValue(member, *v, member_path, style, true, errors);
  }
}

AwsError ValidationFailure(std::string code, const std::vector<std::string>& errors) {
  const std::string count = std::to_string(errors.size()) +
                            (errors.size() == 1 ? " validation error detected: " : " validation errors detected: ");
  return AwsError::Client(std::move(code), count + Join(errors, "; "));
}

std::string RenderValue(const Shape& shape, const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return v.get_bool() ? "true" : "false";
    case json::kind::int64:
      return std::to_string(v.get_int64());
    case json::kind::uint64:
      return std::to_string(v.get_uint64());
    case json::kind::double_:
      return JavaDouble(v.get_double());
    case json::kind::string:
      if (shape.type == ShapeType::kBlob) {
        const std::string n = std::to_string(v.get_string().size());
        return "java.nio.HeapByteBuffer[pos=0 lim=" + n + " cap=" + n + "]";
      }
      return std::string(JsonString(v));
    case json::kind::array: {
      std::vector<std::string> items;
      const Shape& member = shape.type == ShapeType::kList ? *shape.member.shape : shape;
      for (const json::value& item : v.get_array()) items.push_back(RenderValue(member, item));
      return "[" + Join(items, ", ") + "]";
    }
    case json::kind::object: {
      std::vector<std::string> items;
      if (shape.type == ShapeType::kMap) {
        for (const auto& [k, item] : v.get_object()) {
          items.push_back(std::string(k) + "=" + RenderValue(*shape.value.shape, item));
        }
        return "{" + Join(items, ", ") + "}";
      }
      for (const auto& [k, item] : v.get_object()) {
        const ShapeRef* member = shape.FindMember(std::string_view(k));
        items.push_back(std::string(k) + ": " + (member != nullptr ? RenderValue(*member->shape, item) : "?"));
      }
      return "{" + Join(items, ",") + "}";
    }
  }
  return "";
}

}  // namespace xacct::protocol

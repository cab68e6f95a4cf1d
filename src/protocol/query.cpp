// AWS query protocol requests: form parameters to a typed, validated input (see query.h).
#include "protocol/query.h"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>

#include "protocol/validate.h"
#include "protocol/values.h"

namespace xacct::protocol {

namespace {

using model::Shape;
using model::ShapeRef;
using model::ShapeType;

// No AWS query input nests deeper than this; deeper keys are ignored rather than built into a tree.
constexpr size_t kMaxKeyDepth = 32;

// The form's keys as a tree split at '.': "Tags.member.1.Key" -> Tags / member / 1 / Key.
struct ParamNode {
  bool has_value = false;
  std::string value;
  std::map<std::string, ParamNode, std::less<>> children;
};

ParamNode BuildTree(const std::vector<std::pair<std::string, std::string>>& params) {
  ParamNode root;
  for (const auto& [name, value] : params) {
    if (name == "Action" || name == "Version" || name.empty()) continue;
    if (static_cast<size_t>(std::count(name.begin(), name.end(), '.')) >= kMaxKeyDepth) continue;
    ParamNode* node = &root;
    size_t start = 0;
    while (true) {
      const size_t dot = name.find('.', start);
      const std::string part = name.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      node = &node->children[part];
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    if (!node->has_value) {  // the first of repeated keys counts
      node->has_value = true;
      node->value = value;
    }
  }
  return root;
}

// The children of `node` whose names are positive integers, in numeric order.
std::vector<const ParamNode*> Indexed(const ParamNode& node) {
  std::vector<std::pair<int64_t, const ParamNode*>> items;
  for (const auto& [key, child] : node.children) {
    if (auto index = ParseInteger(key, 1, std::numeric_limits<int32_t>::max())) items.emplace_back(*index, &child);
  }
  std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<const ParamNode*> out;
  out.reserve(items.size());
  for (const auto& item : items) out.push_back(item.second);
  return out;
}

const ParamNode* ChildOf(const ParamNode& node, std::string_view name) {
  auto it = node.children.find(name);
  return it == node.children.end() ? nullptr : &it->second;
}

class QueryDecoder {
 public:
  // The value at `node` for `ref`, or nullopt when absent (or when it failed to convert, which is
  // recorded in errors_).
  std::optional<json::value> Decode(const ShapeRef& ref, const ParamNode& node, const std::string& path) {
    const Shape& shape = *ref.shape;
    switch (shape.type) {
      case ShapeType::kStructure:
        return DecodeStructure(shape, node, path);
      case ShapeType::kList:
        return DecodeList(ref, node, path);
      case ShapeType::kMap:
        return DecodeMap(ref, node, path);
      default:
        break;
    }
    if (!node.has_value) return std::nullopt;
    const std::string& text = node.value;
    switch (shape.type) {
      case ShapeType::kString:
        return json::value(text);
      case ShapeType::kInteger:
        if (auto v = ParseInteger(text, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max())) {
          return json::value(*v);
        }
        return Fail(text, path, "Member must be an integer");
      case ShapeType::kLong:
        if (auto v = ParseInteger(text, std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max())) {
          return json::value(*v);
        }
        return Fail(text, path, "Member must be an integer");
      case ShapeType::kBoolean:
        if (text == "true" || text == "True" || text == "TRUE") return json::value(true);
        if (text == "false" || text == "False" || text == "FALSE") return json::value(false);
        return Fail(text, path, "Member must be a boolean");
      case ShapeType::kDouble:
      case ShapeType::kFloat:
        if (auto v = ParseDecimal(text)) return json::value(*v);
        return Fail(text, path, "Member must be a number");
      case ShapeType::kTimestamp:
        if (TimestampSeconds(json::value(text))) return json::value(text);
        return Fail(text, path, "Member must be a timestamp");
      case ShapeType::kBlob:
        if (auto bytes = Base64Decode(text)) return json::value(*bytes);
        return Fail(text, path, "Member must be base64 encoded");
      default:
        return std::nullopt;
    }
  }

  std::optional<json::value> DecodeStructure(const Shape& shape, const ParamNode& node, const std::string& path) {
    json::object out;
    for (const ShapeRef& member : shape.members) {
      std::string_view key = member.SerializedName();
      const Shape& target = *member.shape;
      // botocore names a flattened list whose member has a locationName after that locationName.
      if (target.type == ShapeType::kList && (member.flattened || target.flattened) &&
          !target.member.location_name.empty()) {
        key = target.member.location_name;
      }
      const ParamNode* child = ChildOf(node, key);
      if (child == nullptr) continue;
      const std::string member_path =
          path.empty() ? ValidationName(member.name) : path + "." + ValidationName(member.name);
      if (auto v = Decode(member, *child, member_path)) out[member.name] = std::move(*v);
    }
    return json::value(std::move(out));
  }

  std::optional<json::value> DecodeList(const ShapeRef& ref, const ParamNode& node, const std::string& path) {
    const Shape& shape = *ref.shape;
    const ParamNode* items = &node;
    if (!(ref.flattened || shape.flattened)) {
      const std::string_view name = shape.member.location_name.empty() ? std::string_view("member")
                                                                       : std::string_view(shape.member.location_name);
      items = ChildOf(node, name);
      // An empty list travels as "Name=" (botocore's QuerySerializer).
      if (items == nullptr) {
        return node.has_value && node.value.empty() ? std::optional(json::value(json::array())) : std::nullopt;
      }
    }
    json::array out;
    const auto indexed = Indexed(*items);
    if (indexed.empty() && !(node.has_value && node.value.empty())) return std::nullopt;
    for (size_t i = 0; i < indexed.size(); ++i) {
      if (auto v = Decode(shape.member, *indexed[i], path + "." + std::to_string(i + 1) + ".member")) {
        out.push_back(std::move(*v));
      }
    }
    return json::value(std::move(out));
  }

  std::optional<json::value> DecodeMap(const ShapeRef& ref, const ParamNode& node, const std::string& path) {
    const Shape& shape = *ref.shape;
    const ParamNode* entries = (ref.flattened || shape.flattened) ? &node : ChildOf(node, "entry");
    if (entries == nullptr) {
      return node.has_value && node.value.empty() ? std::optional(json::value(json::object())) : std::nullopt;
    }
    const std::string_view key_name =
        shape.key.location_name.empty() ? std::string_view("key") : std::string_view(shape.key.location_name);
    const std::string_view value_name =
        shape.value.location_name.empty() ? std::string_view("value") : std::string_view(shape.value.location_name);
    json::object out;
    for (const ParamNode* entry : Indexed(*entries)) {
      const ParamNode* key = ChildOf(*entry, key_name);
      const ParamNode* value = ChildOf(*entry, value_name);
      if (key == nullptr || !key->has_value || value == nullptr) continue;
      if (auto v = Decode(shape.value, *value, path + "." + key->value)) out[key->value] = std::move(*v);
    }
    return json::value(std::move(out));
  }

  const std::vector<std::string>& errors() const { return errors_; }

 private:
  std::optional<json::value> Fail(const std::string& text, const std::string& path, std::string_view what) {
    errors_.push_back("Value '" + text + "' at '" + path + "' failed to satisfy constraint: " + std::string(what));
    return std::nullopt;
  }

  std::vector<std::string> errors_;
};

}  // namespace

Result<json::value> DecodeQueryParams(const model::Operation& op,
                                      const std::vector<std::pair<std::string, std::string>>& params) {
  if (op.input == nullptr) return json::value(json::object());
  const ParamNode root = BuildTree(params);
  QueryDecoder decoder;
  json::value input = *decoder.DecodeStructure(*op.input, root, "");
  if (!decoder.errors().empty()) {
    AwsError error = ValidationFailure(std::string(kQueryValidationError), decoder.errors());
    error.detail = "xacct: a parameter could not be read as its model type (AWS's wording for this is unknown)";
    return error;
  }
  return input;
}

Result<json::value> DecodeQueryInput(const model::ServiceModel& service, const model::Operation& op,
                                     const std::vector<std::pair<std::string, std::string>>& params) {
  (void)service;
  auto input = DecodeQueryParams(op, params);
  if (!input.ok() || op.input == nullptr) return input;
  std::vector<std::string> violations;
  ValidateStructure(*op.input, input->get_object(), "", ValidationStyle{.echo_numbers = false}, &violations);
  if (!violations.empty()) return ValidationFailure(std::string(kQueryValidationError), violations);
  return input;
}

}  // namespace xacct::protocol

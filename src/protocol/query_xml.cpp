// AWS query protocol responses and errors as XML (see query.h). The layout (two-space indentation,
// one element a line) is IAM's and STS's own.
#include <string>

#include "protocol/form.h"
#include "protocol/query.h"
#include "protocol/values.h"

namespace xacct::protocol {

namespace {

using model::Shape;
using model::ShapeRef;
using model::ShapeType;

// String shapes a service sends percent-encoded (RFC 3986). IAM API Reference, e.g. GetRolePolicy:
// "The policy document returned in this structure is URL-encoded compliant with RFC 3986"; botocore
// decodes them again (handlers.json_decode_policies, keyed on the same shape name).
constexpr std::pair<std::string_view, std::string_view> kUrlEncodedShapes[] = {{"iam", "policyDocumentType"}};

bool IsUrlEncoded(std::string_view service, const Shape& shape) {
  for (const auto& [s, name] : kUrlEncodedShapes) {
    if (s == service && name == shape.name) return true;
  }
  return false;
}

class XmlWriter {
 public:
  void Open(std::string_view name, std::string_view attributes = {}) {
    Indent();
    out_ += '<';
    out_ += name;
    out_ += attributes;
    out_ += ">\n";
    ++depth_;
  }
  void Close(std::string_view name) {
    --depth_;
    Indent();
    out_ += "</";
    out_ += name;
    out_ += ">\n";
  }
  void Leaf(std::string_view name, std::string_view text) {
    Indent();
    out_ += '<';
    out_ += name;
    out_ += '>';
    out_ += XmlEscape(text);
    out_ += "</";
    out_ += name;
    out_ += ">\n";
  }
  std::string Take() { return std::move(out_); }

  std::string_view service;  //!< endpoint prefix, for the service's quirks

 private:
  void Indent() { out_.append(static_cast<size_t>(depth_) * 2, ' '); }
  std::string out_;
  int depth_ = 0;
};

// The text of a scalar, or nullopt when `v` cannot stand for the shape.
std::optional<std::string> ScalarText(const ShapeRef& ref, const json::value& v) {
  const Shape& shape = *ref.shape;
  switch (shape.type) {
    case ShapeType::kString:
      if (v.is_string()) return std::string(JsonString(v));
      if (v.is_bool()) return std::string(v.get_bool() ? "true" : "false");
      if (v.is_int64()) return std::to_string(v.get_int64());
      if (v.is_uint64()) return std::to_string(v.get_uint64());
      if (v.is_double()) return FormatDouble(v.get_double());
      return std::nullopt;
    case ShapeType::kInteger:
    case ShapeType::kLong:
      if (v.is_int64()) return std::to_string(v.get_int64());
      if (v.is_uint64()) return std::to_string(v.get_uint64());
      if (v.is_double()) return std::to_string(static_cast<int64_t>(v.get_double()));
      if (v.is_string() && ParseInteger(JsonString(v), INT64_MIN, INT64_MAX)) return std::string(JsonString(v));
      return std::nullopt;
    case ShapeType::kBoolean:
      if (v.is_bool()) return std::string(v.get_bool() ? "true" : "false");
      if (v.is_string() && (JsonString(v) == "true" || JsonString(v) == "false")) return std::string(JsonString(v));
      return std::nullopt;
    case ShapeType::kDouble:
    case ShapeType::kFloat:
      if (v.is_number()) return FormatDouble(v.to_number<double>());
      if (v.is_string() && ParseDecimal(JsonString(v))) return std::string(JsonString(v));
      return std::nullopt;
    case ShapeType::kTimestamp: {
      const auto seconds = TimestampSeconds(v);
      if (!seconds) return std::nullopt;
      const std::string& format = !ref.timestamp_format.empty() ? ref.timestamp_format : shape.timestamp_format;
      if (format == "unixTimestamp") return FormatDouble(*seconds);
      if (format == "rfc822") return FormatRfc822(*seconds);
      return FormatIso8601(*seconds);
    }
    case ShapeType::kBlob:
      if (v.is_string()) return Base64Encode(JsonString(v));
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

void WriteValue(XmlWriter& w, const ShapeRef& ref, const json::value& v, std::string_view name);

void WriteMembers(XmlWriter& w, const Shape& shape, const json::object& value) {
  for (const ShapeRef& member : shape.members) {
    const json::value* v = value.if_contains(member.name);
    if (v == nullptr || v->is_null()) continue;
    std::string_view name = member.SerializedName();
    const Shape& target = *member.shape;
    // botocore reads a flattened list whose member has a locationName under that locationName.
    if (target.type == ShapeType::kList && (member.flattened || target.flattened) &&
        !target.member.location_name.empty()) {
      name = target.member.location_name;
    }
    WriteValue(w, member, *v, name);
  }
}

void WriteValue(XmlWriter& w, const ShapeRef& ref, const json::value& v, std::string_view name) {
  const Shape& shape = *ref.shape;
  const bool flattened = ref.flattened || shape.flattened;
  switch (shape.type) {
    case ShapeType::kStructure:
      if (!v.is_object()) return;
      w.Open(name);
      WriteMembers(w, shape, v.get_object());
      w.Close(name);
      return;
    case ShapeType::kList: {
      if (!v.is_array()) return;
      if (flattened) {
        for (const json::value& item : v.get_array()) WriteValue(w, shape.member, item, name);
        return;
      }
      const std::string_view item_name = shape.member.location_name.empty()
                                             ? std::string_view("member")
                                             : std::string_view(shape.member.location_name);
      w.Open(name);
      for (const json::value& item : v.get_array()) WriteValue(w, shape.member, item, item_name);
      w.Close(name);
      return;
    }
    case ShapeType::kMap: {
      if (!v.is_object()) return;
      const std::string_view key_name =
          shape.key.location_name.empty() ? std::string_view("key") : std::string_view(shape.key.location_name);
      const std::string_view value_name =
          shape.value.location_name.empty() ? std::string_view("value") : std::string_view(shape.value.location_name);
      if (!flattened) w.Open(name);
      for (const auto& [key, item] : v.get_object()) {
        if (item.is_null()) continue;
        w.Open(flattened ? name : "entry");
        w.Leaf(key_name, std::string_view(key));
        WriteValue(w, shape.value, item, value_name);
        w.Close(flattened ? name : "entry");
      }
      if (!flattened) w.Close(name);
      return;
    }
    default:
      if (auto text = ScalarText(ref, v))
        w.Leaf(name, IsUrlEncoded(w.service, shape) ? EncodeFormComponent(*text) : *text);
      return;
  }
}

std::string NamespaceAttribute(const model::ServiceModel& service) {
  if (service.xml_namespace().empty()) return {};
  return " xmlns=\"" + XmlEscape(service.xml_namespace()) + "\"";
}

}  // namespace

std::string EncodeQueryResponse(const model::ServiceModel& service, const model::Operation& op,
                                const json::value& output, std::string_view request_id) {
  XmlWriter w;
  w.service = service.name();
  const std::string root = op.name + "Response";
  w.Open(root, NamespaceAttribute(service));
  if (op.output != nullptr) {
    static const json::object empty;
    const json::object& members = output.is_object() ? output.get_object() : empty;
    if (!op.result_wrapper.empty()) {
      w.Open(op.result_wrapper);
      WriteMembers(w, *op.output, members);
      w.Close(op.result_wrapper);
    } else {
      WriteMembers(w, *op.output, members);
    }
  }
  w.Open("ResponseMetadata");
  w.Leaf("RequestId", request_id);
  w.Close("ResponseMetadata");
  w.Close(root);
  return w.Take();
}

std::string EncodeQueryError(const model::ServiceModel& service, const AwsError& error, std::string_view request_id) {
  XmlWriter w;
  w.Open("ErrorResponse", NamespaceAttribute(service));
  w.Open("Error");
  w.Leaf("Type", error.sender_fault ? "Sender" : "Receiver");
  w.Leaf("Code", error.code);
  if (!error.message.empty()) w.Leaf("Message", error.message);
  w.Close("Error");
  w.Leaf("RequestId", request_id);
  w.Close("ErrorResponse");
  return w.Take();
}

}  // namespace xacct::protocol

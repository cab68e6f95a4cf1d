// AWS JSON 1.0/1.1 requests, responses and errors (see json_protocol.h). The SerializationException
// wording ("NUMBER_VALUE cannot be converted to String", "Start of structure or map found where not
// expected.") is what DynamoDB answered real clients (tests/protocol/golden/validation.json).
#include "protocol/json_protocol.h"

#include <cmath>
#include <limits>

#include "protocol/validate.h"
#include "protocol/values.h"

namespace xacct::protocol {

namespace {

using model::Shape;
using model::ShapeRef;
using model::ShapeType;

std::string_view TokenName(const json::value& v) {
  switch (v.kind()) {
    case json::kind::string:
      return "STRING_VALUE";
    case json::kind::bool_:
      return "BOOLEAN_VALUE";
    case json::kind::null:
      return "NULL_VALUE";
    default:
      return "NUMBER_VALUE";
  }
}

std::string_view JavaTypeName(const Shape& shape) {
  switch (shape.type) {
    case ShapeType::kStructure:
      return "Structure";
    case ShapeType::kList:
      return "List";
    case ShapeType::kMap:
      return "Map";
    case ShapeType::kString:
      return "String";
    case ShapeType::kInteger:
      return "Integer";
    case ShapeType::kLong:
      return "Long";
    case ShapeType::kBoolean:
      return "Boolean";
    case ShapeType::kTimestamp:
      return "Date";
    case ShapeType::kBlob:
      return "ByteBuffer";
    case ShapeType::kDouble:
      return "Double";
    case ShapeType::kFloat:
      return "Float";
  }
  return "Object";
}

// Checks and converts a request value to its shape's type; the first mismatch ends decoding.
class JsonDecoder {
 public:
  std::optional<AwsError> error;

  json::value Convert(const ShapeRef& ref, const json::value& v) {
    const Shape& shape = *ref.shape;
    if (error) return nullptr;
    if (shape.document) return v;
    if (v.is_object() && shape.type != ShapeType::kStructure && shape.type != ShapeType::kMap) {
      return Fail("Start of structure or map found where not expected.");
    }
    if (v.is_array() && shape.type != ShapeType::kList) return Fail("Start of list found where not expected");
    switch (shape.type) {
      case ShapeType::kStructure: {
        if (!v.is_object()) return Mismatch(shape, v);
        return ConvertStructure(shape, v.get_object());
      }
      case ShapeType::kList: {
        if (!v.is_array()) return Mismatch(shape, v);
        json::array out;
        for (const json::value& item : v.get_array()) {
          if (item.is_null()) continue;
          out.push_back(Convert(shape.member, item));
        }
        return out;
      }
      case ShapeType::kMap: {
        if (!v.is_object()) return Mismatch(shape, v);
        json::object out;
        for (const auto& [key, item] : v.get_object()) {
          if (item.is_null()) continue;
          out[key] = Convert(shape.value, item);
        }
        return out;
      }
      case ShapeType::kString:
        return v.is_string() ? v : Mismatch(shape, v);
      case ShapeType::kBoolean:
        return v.is_bool() ? v : Mismatch(shape, v);
      case ShapeType::kInteger:
      case ShapeType::kLong: {
        const bool is_int = shape.type == ShapeType::kInteger;
        const int64_t lo = is_int ? std::numeric_limits<int32_t>::min() : std::numeric_limits<int64_t>::min();
        const int64_t hi = is_int ? std::numeric_limits<int32_t>::max() : std::numeric_limits<int64_t>::max();
        if (v.is_int64() && v.get_int64() >= lo && v.get_int64() <= hi) return v;
        if (v.is_double() && std::trunc(v.get_double()) == v.get_double() &&
            v.get_double() >= static_cast<double>(lo) && v.get_double() <= static_cast<double>(hi)) {
          return json::value(static_cast<int64_t>(v.get_double()));
        }
        return Mismatch(shape, v);
      }
      case ShapeType::kDouble:
      case ShapeType::kFloat:
        return v.is_number() ? json::value(v.to_number<double>()) : Mismatch(shape, v);
      case ShapeType::kTimestamp:
        if (v.is_number()) return v;
        if (v.is_string() && (ParseIso8601(JsonString(v)) || ParseRfc822(JsonString(v)))) return v;
        return Mismatch(shape, v);
      case ShapeType::kBlob: {
        if (!v.is_string()) return Mismatch(shape, v);
        if (auto bytes = Base64Decode(JsonString(v))) return json::value(*bytes);
        return Fail("Base64 encoded value is invalid");
      }
    }
    return nullptr;
  }

  json::value ConvertStructure(const Shape& shape, const json::object& o) {
    json::object out;
    for (const ShapeRef& member : shape.members) {
      const json::value* v = o.if_contains(member.SerializedName());
      if (v == nullptr || v->is_null()) continue;
      out[member.name] = Convert(member, *v);
    }
    return out;
  }

 private:
  json::value Fail(std::string message) {
    if (!error) error = AwsError::Client(std::string(kJsonSerializationError), std::move(message));
    return nullptr;
  }
  json::value Mismatch(const Shape& shape, const json::value& v) {
    return Fail(std::string(TokenName(v)) + " cannot be converted to " + std::string(JavaTypeName(shape)));
  }
};

json::value EncodeValue(const ShapeRef& ref, const json::value& v);

json::value EncodeStructure(const Shape& shape, const json::object& o) {
  json::object out;
  for (const ShapeRef& member : shape.members) {
    const json::value* v = o.if_contains(member.name);
    if (v == nullptr || v->is_null()) continue;
    json::value encoded = EncodeValue(member, *v);
    if (!encoded.is_null()) out[member.SerializedName()] = std::move(encoded);
  }
  return out;
}

// A response value per its shape, or null when `v` cannot stand for the shape.
json::value EncodeValue(const ShapeRef& ref, const json::value& v) {
  const Shape& shape = *ref.shape;
  if (shape.document) return v;
  switch (shape.type) {
    case ShapeType::kStructure:
      return v.is_object() ? EncodeStructure(shape, v.get_object()) : json::value(nullptr);
    case ShapeType::kList: {
      if (!v.is_array()) return nullptr;
      json::array out;
      for (const json::value& item : v.get_array()) {
        json::value encoded = EncodeValue(shape.member, item);
        if (!encoded.is_null()) out.push_back(std::move(encoded));
      }
      return out;
    }
    case ShapeType::kMap: {
      if (!v.is_object()) return nullptr;
      json::object out;
      for (const auto& [key, item] : v.get_object()) {
        json::value encoded = EncodeValue(shape.value, item);
        if (!encoded.is_null()) out[key] = std::move(encoded);
      }
      return out;
    }
    case ShapeType::kString:
      if (v.is_string()) return v;
      if (v.is_number() || v.is_bool()) return json::value(json::serialize(v));
      return nullptr;
    case ShapeType::kBoolean:
      if (v.is_bool()) return v;
      if (v.is_string() && (JsonString(v) == "true" || JsonString(v) == "false")) return JsonString(v) == "true";
      return nullptr;
    case ShapeType::kInteger:
    case ShapeType::kLong:
      if (v.is_int64() || v.is_uint64()) return v;
      if (v.is_double()) return json::value(static_cast<int64_t>(v.get_double()));
      if (v.is_string()) {
        if (auto n = ParseInteger(JsonString(v), INT64_MIN, INT64_MAX)) return json::value(*n);
      }
      return nullptr;
    case ShapeType::kDouble:
    case ShapeType::kFloat:
      if (v.is_number()) return v;
      if (v.is_string()) {
        if (auto d = ParseDecimal(JsonString(v))) return json::value(*d);
      }
      return nullptr;
    case ShapeType::kTimestamp: {
      const auto seconds = TimestampSeconds(v);
      if (!seconds) return nullptr;
      const std::string& format = !ref.timestamp_format.empty() ? ref.timestamp_format : shape.timestamp_format;
      if (format == "iso8601") return json::value(FormatIso8601(*seconds));
      if (format == "rfc822") return json::value(FormatRfc822(*seconds));
      if (std::trunc(*seconds) == *seconds && std::fabs(*seconds) < 9e15) {
        return json::value(static_cast<int64_t>(*seconds));
      }
      return json::value(std::round(*seconds * 1000) / 1000);
    }
    case ShapeType::kBlob:
      return v.is_string() ? json::value(Base64Encode(JsonString(v))) : json::value(nullptr);
  }
  return nullptr;
}

bool IsBlank(std::string_view body) { return body.find_first_not_of(" \t\r\n") == std::string_view::npos; }

}  // namespace

Result<json::value> ParseJsonInput(const model::Operation& op, std::string_view body) {
  json::value parsed = json::object();
  if (!IsBlank(body)) {
    auto result = ParseJson(body);
    if (!result.ok()) {
      AwsError error = AwsError::Client(std::string(kJsonSerializationError), "");
      error.detail = result.error().message;
      return error;
    }
    parsed = std::move(*result);
  }
  if (parsed.is_array()) {
    return AwsError::Client(std::string(kJsonSerializationError), "Start of list found where not expected");
  }
  if (!parsed.is_object()) {
    return AwsError::Client(std::string(kJsonSerializationError),
                            std::string(TokenName(parsed)) + " cannot be converted to Structure");
  }
  if (op.input == nullptr) return json::value(json::object());
  JsonDecoder decoder;
  json::value input = decoder.ConvertStructure(*op.input, parsed.get_object());
  if (decoder.error) return *decoder.error;
  return input;
}

Result<json::value> DecodeJsonInput(const model::ServiceModel& service, const model::Operation& op,
                                    std::string_view body) {
  (void)service;
  auto input = ParseJsonInput(op, body);
  if (!input.ok() || op.input == nullptr) return input;
  std::vector<std::string> violations;
  ValidateStructure(*op.input, input->get_object(), "", ValidationStyle{.echo_numbers = true}, &violations);
  if (!violations.empty()) return ValidationFailure(std::string(kJsonValidationError), violations);
  return input;
}

std::string EncodeJsonResponse(const model::ServiceModel& service, const model::Operation& op,
                               const json::value& output) {
  (void)service;
  if (op.output == nullptr || !output.is_object()) return "{}";
  return json::serialize(EncodeStructure(*op.output, output.get_object()));
}

namespace {

//! DynamoDB's __type: the error's Coral namespace, "#", the code. Input validation and the service
//! framework's own errors are Coral's (com.amazon.coral.validate#ValidationException,
//! com.amazon.coral.service#UnrecognizedClientException, as DynamoDB answers them); the rest are the
//! service's, e.g. "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException". Clients (botocore's
//! JSON parser) take the part after '#' as the code.
std::string DynamoDbErrorType(const model::ServiceModel& service, const std::string& code) {
  if (code == "ValidationException") return "com.amazon.coral.validate#" + code;
  static constexpr std::string_view kCoral[] = {
      "AccessDeniedException",        "UnrecognizedClientException", "SerializationException",
      "IncompleteSignatureException", "InvalidSignatureException",   "MissingAuthenticationTokenException",
      "UnknownOperationException",    "ThrottlingException",         "ExpiredTokenException"};
  for (const auto c : kCoral) {
    if (code == c) return "com.amazon.coral.service#" + code;
  }
  std::string version;
  for (const char c : service.api_version()) {
    if (c != '-') version += c;
  }
  return "com.amazonaws.dynamodb.v" + version + "#" + code;
}

}  // namespace

std::string EncodeJsonError(const model::ServiceModel& service, const AwsError& error) {
  std::string message_key = "message";
  if (const Shape* shape = service.FindErrorShape(error.code)) {
    for (const ShapeRef& member : shape->members) {
      if (member.name == "Message" || member.name == "message") message_key = member.name;
    }
  }
  const bool dynamodb = service.name() == "dynamodb";
  json::object body;
  body["__type"] = dynamodb ? DynamoDbErrorType(service, error.code) : error.code;
  body[message_key] = error.message;
  // The error shape's other members (Athena's AthenaErrorCode, Organizations' Reason, ...). DynamoDB's
  // structured members (ConditionalCheckFailedException's Item, TransactionCanceledException's
  // CancellationReasons) come as JSON text, already in their wire form, and go in as JSON.
  for (const auto& [name, value] : error.fields) {
    if (dynamodb && (value.starts_with('{') || value.starts_with('['))) {
      if (auto parsed = ParseJson(value)) {
        body[name] = std::move(*parsed);
        continue;
      }
    }
    body[name] = value;
  }
  return json::serialize(body);
}

std::string JsonContentType(const model::ServiceModel& service) {
  const std::string_view version = service.json_version().empty() ? "1.0" : service.json_version();
  return "application/x-amz-json-" + std::string(version);
}

JsonErrorResponse MakeJsonErrorResponse(const model::ServiceModel& service, const AwsError& error) {
  return JsonErrorResponse{error.http_status, JsonContentType(service), error.code, EncodeJsonError(service, error)};
}

}  // namespace xacct::protocol

#include "services/s3/internal_call.h"

#include <pugixml.hpp>

#include <cstdint>
#include <fstream>

#include "auth/sigv4.h"
#include "model/service_model.h"
#include "policy/pattern.h"
#include "protocol/values.h"

namespace xacct::services::s3 {

namespace {

using model::Shape;
using model::ShapeRef;
using model::ShapeType;

bool Flattened(const ShapeRef& ref) { return ref.flattened || (ref.shape != nullptr && ref.shape->flattened); }

std::string TimestampFormat(const ShapeRef& ref, std::string_view fallback) {
  if (!ref.timestamp_format.empty()) return ref.timestamp_format;
  if (ref.shape != nullptr && !ref.shape->timestamp_format.empty()) return ref.shape->timestamp_format;
  return std::string(fallback);
}

// ---- the request (botocore RestXMLSerializer) ----

// A scalar as request text; timestamps in `format` ("iso8601", "rfc822", "unixTimestamp"), blobs base64 unless
// they are a raw payload.
std::string ScalarText(const ShapeRef& ref, const json::value& v, std::string_view format) {
  const Shape& shape = *ref.shape;
  if (shape.type == ShapeType::kTimestamp) {
    if (const auto seconds = protocol::TimestampSeconds(v)) {
      if (format == "rfc822") return protocol::FormatRfc822(*seconds);
      if (format == "unixTimestamp") return protocol::FormatDouble(*seconds);
      return protocol::FormatIso8601(*seconds);
    }
  }
  if (v.is_string()) {
    const std::string text(v.as_string());
    return shape.type == ShapeType::kBlob ? protocol::Base64Encode(text) : text;
  }
  if (v.is_bool()) return v.as_bool() ? "true" : "false";
  if (v.is_int64()) return std::to_string(v.as_int64());
  if (v.is_uint64()) return std::to_string(v.as_uint64());
  if (v.is_double()) return protocol::FormatDouble(v.as_double());
  return json::serialize(v);
}

void WriteXml(std::string& out, const ShapeRef& ref, const json::value& v, std::string_view name,
              std::string_view xmlns) {
  const Shape& shape = *ref.shape;
  const std::string tag(name);
  switch (shape.type) {
    case ShapeType::kStructure: {
      out += "<" + tag;
      if (!xmlns.empty()) out += " xmlns=\"" + protocol::XmlEscape(xmlns) + "\"";
      const json::object empty;
      const json::object& o = v.is_object() ? v.as_object() : empty;
      for (const auto& m : shape.members) {
        const json::value* mv = o.if_contains(m.name);
        if (!m.xml_attribute || mv == nullptr || mv->is_null()) continue;
        const std::string attr(m.SerializedName());
        if (attr.starts_with("xsi:")) out += " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"";
        out += " " + attr + "=\"" + protocol::XmlEscape(ScalarText(m, *mv, "iso8601")) + "\"";
      }
      out += ">";
      for (const auto& m : shape.members) {
        const json::value* mv = o.if_contains(m.name);
        if (m.xml_attribute || mv == nullptr || mv->is_null()) continue;
        WriteXml(out, m, *mv, m.SerializedName(), m.xml_namespace);
      }
      out += "</" + tag + ">";
      return;
    }
    case ShapeType::kList: {
      if (!v.is_array()) return;
      const bool flat = Flattened(ref);
      const std::string item =
          flat ? tag : (shape.member.location_name.empty() ? "member" : shape.member.location_name);
      if (!flat) out += "<" + tag + ">";
      for (const auto& e : v.as_array()) WriteXml(out, shape.member, e, item, {});
      if (!flat) out += "</" + tag + ">";
      return;
    }
    case ShapeType::kMap: {
      if (!v.is_object()) return;
      const bool flat = Flattened(ref);
      const std::string key = shape.key.location_name.empty() ? "key" : shape.key.location_name;
      const std::string value = shape.value.location_name.empty() ? "value" : shape.value.location_name;
      if (!flat) out += "<" + tag + ">";
      for (const auto& [k, e] : v.as_object()) {
        out += flat ? "<" + tag + ">" : std::string("<entry>");
        WriteXml(out, shape.key, json::value(k), key, {});
        WriteXml(out, shape.value, e, value, {});
        out += flat ? "</" + tag + ">" : std::string("</entry>");
      }
      if (!flat) out += "</" + tag + ">";
      return;
    }
    default:
      out +=
          "<" + tag + ">" + protocol::XmlEscape(ScalarText(ref, v, TimestampFormat(ref, "iso8601"))) + "</" + tag + ">";
  }
}

// Header text of a member: lists comma-joined, jsonvalue members as base64 JSON, timestamps RFC 822.
std::string HeaderText(const ShapeRef& ref, const json::value& v) {
  if (ref.json_value) return protocol::Base64Encode(v.is_string() ? std::string(v.as_string()) : json::serialize(v));
  if (ref.shape->type == ShapeType::kList && v.is_array()) {
    std::string out;
    for (const auto& e : v.as_array()) {
      if (!out.empty()) out += ",";
      out += ScalarText(ref.shape->member, e, "rfc822");
    }
    return out;
  }
  return ScalarText(ref, v, TimestampFormat(ref, "rfc822"));
}

Result<server::HttpRequest> BuildRequest(const model::Operation& op, const json::object& input) {
  server::HttpRequest http;
  http.method = op.http_method;
  const auto q = op.request_uri.find('?');
  std::string path = op.request_uri.substr(0, q);
  std::string query = q == std::string::npos ? "" : op.request_uri.substr(q + 1);
  std::string body;
  const Shape* in = op.input;
  if (in != nullptr) {
    for (const auto& name : in->required) {
      const json::value* v = input.if_contains(name);
      if (v == nullptr || v->is_null()) {
        return AwsError::Client("ValidationError", "Missing required parameter: " + name);
      }
    }
    for (const auto& m : in->members) {
      const json::value* v = input.if_contains(m.name);
      if (v == nullptr || v->is_null()) continue;
      const std::string wire(m.SerializedName());
      if (m.location == "uri") {
        const std::string text = ScalarText(m, *v, "iso8601");
        for (const bool greedy : {false, true}) {
          const std::string label = "{" + wire + (greedy ? "+}" : "}");
          if (const auto at = path.find(label); at != std::string::npos) {
            path.replace(at, label.size(), auth::UriEncode(text, !greedy));
          }
        }
      } else if (m.location == "querystring") {
        const auto add = [&](std::string_view key, const std::string& value) {
          query += (query.empty() ? "" : "&") + auth::UriEncode(key, true) + "=" + auth::UriEncode(value, true);
        };
        if (v->is_array()) {
          for (const auto& e : v->as_array()) add(wire, ScalarText(m.shape->member, e, "iso8601"));
        } else if (v->is_object()) {
          for (const auto& [k, e] : v->as_object()) add(k, ScalarText(m.shape->value, e, "iso8601"));
        } else {
          add(wire, ScalarText(m, *v, TimestampFormat(m, "iso8601")));
        }
      } else if (m.location == "header") {
        std::string text = HeaderText(m, *v);
        // The copy source is sent URL-encoded (botocore handlers.handle_copy_source_param), a version id
        // after "?versionId=" as it is.
        if (wire == "x-amz-copy-source") {
          const auto version = text.find("?versionId=");
          text = auth::UriEncode(text.substr(0, version), false) +
                 (version == std::string::npos ? "" : text.substr(version));
        }
        http.headers.emplace_back(wire, std::move(text));
      } else if (m.location == "headers" && v->is_object()) {
        for (const auto& [k, e] : v->as_object()) {
          http.headers.emplace_back(wire + std::string(k), ScalarText(m.shape->value, e, "rfc822"));
        }
      } else if (m.name == in->payload) {
        if (m.shape->type == ShapeType::kStructure) {
          const std::string root = m.location_name.empty() ? m.shape->name : m.location_name;
          WriteXml(body, m, *v, root, m.xml_namespace.empty() ? m.shape->xml_namespace : m.xml_namespace);
        } else {
          body = v->is_string() ? std::string(v->as_string()) : json::serialize(*v);
        }
      }
    }
  }
  if (path.empty()) path = "/";
  http.target = path + (query.empty() ? "" : "?" + query);
  http.headers.emplace_back("Host", "localhost");
  http.headers.emplace_back("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
  http.headers.emplace_back("Content-Length", std::to_string(body.size()));
  http.body = std::move(body);
  return http;
}

// ---- the response (botocore RestXMLParser) ----

std::optional<std::string> HeaderOf(const server::HttpResponse& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (policy::EqualsIgnoreCase(k, name)) return v;
  }
  return std::nullopt;
}

json::value ScalarValue(const ShapeRef& ref, std::string_view text) {
  switch (ref.shape->type) {
    case ShapeType::kInteger:
    case ShapeType::kLong:
      if (const auto n = protocol::ParseInteger(text, INT64_MIN, INT64_MAX)) return *n;
      break;
    case ShapeType::kDouble:
    case ShapeType::kFloat:
      if (const auto d = protocol::ParseDecimal(text)) return *d;
      break;
    case ShapeType::kBoolean:
      return text == "true";
    case ShapeType::kTimestamp: {
      auto seconds = protocol::ParseIso8601(text);
      if (!seconds) seconds = protocol::ParseRfc822(text);
      if (!seconds) seconds = protocol::ParseDecimal(text);
      if (seconds) return json::string(protocol::FormatIso8601(*seconds));
      break;
    }
    case ShapeType::kBlob:
      if (auto bytes = protocol::Base64Decode(text)) return json::string(*bytes);
      break;
    default:
      break;
  }
  return json::string(text);
}

json::value ReadXml(const ShapeRef& ref, const pugi::xml_node& node);

// A member of a structure: the child element(s) it names, or the attribute.
std::optional<json::value> ReadMember(const ShapeRef& m, const pugi::xml_node& node) {
  const std::string name(m.SerializedName());
  if (m.xml_attribute) {
    const auto attr = node.attribute(name.c_str());
    if (!attr) return std::nullopt;
    return ScalarValue(m, attr.value());
  }
  const Shape& shape = *m.shape;
  if (Flattened(m) && shape.type == ShapeType::kList) {
    const std::string item = shape.member.location_name.empty() ? name : shape.member.location_name;
    json::array out;
    for (const auto& child : node.children(item.c_str())) out.push_back(ReadXml(shape.member, child));
    if (out.empty()) return std::nullopt;
    return json::value(std::move(out));
  }
  if (Flattened(m) && shape.type == ShapeType::kMap) {
    const std::string key = shape.key.location_name.empty() ? "key" : shape.key.location_name;
    const std::string value = shape.value.location_name.empty() ? "value" : shape.value.location_name;
    json::object out;
    for (const auto& entry : node.children(name.c_str())) {
      out[entry.child(key.c_str()).text().get()] = ReadXml(shape.value, entry.child(value.c_str()));
    }
    if (out.empty()) return std::nullopt;
    return json::value(std::move(out));
  }
  const auto child = node.child(name.c_str());
  if (!child) return std::nullopt;
  return ReadXml(m, child);
}

json::value ReadXml(const ShapeRef& ref, const pugi::xml_node& node) {
  const Shape& shape = *ref.shape;
  switch (shape.type) {
    case ShapeType::kStructure: {
      json::object out;
      for (const auto& m : shape.members) {
        if (!m.location.empty()) continue;
        if (auto v = ReadMember(m, node)) out[m.name] = std::move(*v);
      }
      return out;
    }
    case ShapeType::kList: {
      json::array out;
      for (const auto& child : node.children()) {
        if (child.type() == pugi::node_element) out.push_back(ReadXml(shape.member, child));
      }
      return out;
    }
    case ShapeType::kMap: {
      const std::string key = shape.key.location_name.empty() ? "key" : shape.key.location_name;
      const std::string value = shape.value.location_name.empty() ? "value" : shape.value.location_name;
      json::object out;
      for (const auto& entry : node.children("entry")) {
        out[entry.child(key.c_str()).text().get()] = ReadXml(shape.value, entry.child(value.c_str()));
      }
      return out;
    }
    default:
      return ScalarValue(ref, node.text().get());
  }
}

Result<std::string> BodyOf(const server::HttpResponse& r) {
  if (!r.file) return r.body;
  std::ifstream in(r.file->path, std::ios::binary);
  if (!in) return AwsError::Server("InternalError", "cannot read the object's bytes");
  in.seekg(static_cast<std::streamoff>(r.file->offset));
  std::string bytes(r.file->length, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (static_cast<uint64_t>(in.gcount()) != r.file->length) {
    return AwsError::Server("InternalError", "cannot read the object's bytes");
  }
  return bytes;
}

// The error of a HEAD answer, which has no body: the error the operation declares for 404 (HeadObject's
// NoSuchKey, HeadBucket's NoSuchBucket, as the Java SDK v2 maps them), else no code and the message "null".
AwsError HeadError(const model::Operation& op, int status) {
  AwsError e = AwsError::Client("", "null", status);
  e.sender_fault = status < 500;
  if (status != 404) return e;
  for (const auto& code : op.errors) {
    if (code == "NoSuchKey") return AwsError::Client(code, "The specified key does not exist.", 404);
    if (code == "NoSuchBucket") return AwsError::Client(code, "The specified bucket does not exist", 404);
  }
  return e;
}

AwsError ErrorOf(const model::Operation& op, const server::HttpResponse& r, std::string_view body) {
  AwsError e = AwsError::Client("", "null", r.status);
  e.sender_fault = r.status < 500;
  pugi::xml_document doc;
  if (body.empty() || !doc.load_buffer(body.data(), body.size())) {
    e = HeadError(op, r.status);
  } else {
    const auto root = doc.document_element();
    e.code = root.child("Code").text().get();
    e.message = root.child("Message").text().get();
    for (const auto& child : root.children()) {
      const std::string_view name = child.name();
      if (name != "Code" && name != "Message" && name != "RequestId" && name != "HostId") {
        e.fields.emplace_back(name, child.text().get());
      }
    }
  }
  if (auto explanation = HeaderOf(r, "x-xacct-explanation")) e.detail = *explanation;
  return e;
}

Result<json::object> DecodeResponse(const model::Operation& op, const server::HttpResponse& r, bool head) {
  auto body = head ? Result<std::string>(std::string()) : BodyOf(r);
  if (!body) return body.error();
  if (r.status >= 300) return ErrorOf(op, r, *body);
  json::object out;
  const Shape* shape = op.output;
  if (shape == nullptr) return out;
  bool body_members = false;
  for (const auto& m : shape->members) {
    const std::string wire(m.SerializedName());
    if (m.location == "header") {
      std::optional<std::string> text = HeaderOf(r, wire);
      // The server frames a GET's body itself: its length is the body's.
      if (!text && !head && policy::EqualsIgnoreCase(wire, "Content-Length")) text = std::to_string(body->size());
      if (!text) continue;
      if (m.json_value) {
        auto decoded = protocol::Base64Decode(*text);
        auto parsed = decoded ? ParseJson(*decoded) : Result<json::value>(AwsError::Client("", ""));
        if (parsed) out[m.name] = std::move(*parsed);
      } else if (m.shape->type == ShapeType::kList) {
        json::array items;
        size_t pos = 0;
        while (pos <= text->size()) {
          size_t comma = text->find(',', pos);
          if (comma == std::string::npos) comma = text->size();
          std::string item = text->substr(pos, comma - pos);
          while (!item.empty() && item.front() == ' ') item.erase(item.begin());
          items.push_back(ScalarValue(m.shape->member, item));
          pos = comma + 1;
        }
        out[m.name] = std::move(items);
      } else {
        out[m.name] = ScalarValue(m, *text);
      }
    } else if (m.location == "headers") {
      json::object map;
      for (const auto& [k, v] : r.headers) {
        if (k.size() > wire.size() && policy::EqualsIgnoreCase(std::string_view(k).substr(0, wire.size()), wire)) {
          map[k.substr(wire.size())] = v;
        }
      }
      if (!map.empty()) out[m.name] = std::move(map);
    } else if (m.location == "statusCode") {
      out[m.name] = r.status;
    } else if (m.name == shape->payload) {
      if (m.shape->type != ShapeType::kStructure) {
        if (!head) out[m.name] = *body;
        continue;
      }
      pugi::xml_document doc;
      if (!body->empty() && doc.load_buffer(body->data(), body->size())) {
        out[m.name] = ReadXml(m, doc.document_element());
      }
    } else if (m.location.empty()) {
      body_members = true;
    }
  }
  if (!body_members || !shape->payload.empty() || body->empty()) return out;
  pugi::xml_document doc;
  if (!doc.load_buffer(body->data(), body->size())) {
    return AwsError::Server("InternalError", "S3 answered " + op.name + " with a body that is not XML");
  }
  const auto root = doc.document_element();
  // A root holding only text is the value of the member it names (GetBucketLocation's LocationConstraint).
  if (!root.first_child().empty() && root.first_child().type() != pugi::node_element) {
    if (const ShapeRef* m = shape->FindMember(root.name()); m != nullptr && m->location.empty()) {
      out[m->name] = ScalarValue(*m, root.text().get());
      return out;
    }
  }
  ShapeRef whole;
  whole.shape = shape;
  json::value read = ReadXml(whole, root);
  for (auto& [k, v] : read.as_object()) out[k] = std::move(v);
  return out;
}

}  // namespace

Result<json::object> CallS3(S3Service& s3, const identity::Principal& caller, authz::RequestInfo info,
                            std::string_view operation, const json::object& input) {
  const model::ServiceModel* model = model::ServiceModel::Find("s3");
  const model::Operation* op = model != nullptr ? model->FindOperation(operation) : nullptr;
  if (op == nullptr) {
    return AwsError::Client("UnknownOperationException", "Unknown operation " + std::string(operation) + " of S3");
  }
  auto http = BuildRequest(*op, input);
  if (!http) return http.error();
  Authenticated who;
  who.principal = caller;
  who.method = auth::AuthMethod::kHeader;
  info.service = "s3";
  auto sink = s3.Open(*http, std::move(who), std::move(info));
  std::optional<server::HttpResponse> response = sink->Refusal();
  if (!response) {
    if (!http->body.empty()) sink->Data(http->body);
    response = sink->Finish();
  }
  return DecodeResponse(*op, *response, http->method == "HEAD");
}

}  // namespace xacct::services::s3

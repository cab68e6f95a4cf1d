// Builds ServiceModel from botocore's model JSON (the embedded, trimmed copies written by
// tools/gen_models.py) and keeps one parsed instance per service for the life of the process.
#include "model/service_model.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <mutex>
#include <stdexcept>
#include <utility>

#include "common/json.h"
#include "model/embedded_model.h"

namespace xacct::model {

namespace {

constexpr std::array<std::pair<std::string_view, ShapeType>, 13> kShapeTypes = {{
    {"structure", ShapeType::kStructure},
    {"list", ShapeType::kList},
    {"map", ShapeType::kMap},
    {"string", ShapeType::kString},
    {"character", ShapeType::kString},
    {"integer", ShapeType::kInteger},
    {"long", ShapeType::kLong},
    {"boolean", ShapeType::kBoolean},
    {"timestamp", ShapeType::kTimestamp},
    {"blob", ShapeType::kBlob},
    {"double", ShapeType::kDouble},
    {"float", ShapeType::kFloat},
    {"bigdecimal", ShapeType::kDouble},
}};

[[noreturn]] void Malformed(const std::string& what) { throw std::runtime_error("malformed service model: " + what); }

std::string Str(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

bool Flag(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_bool() && v->get_bool();
}

const json::value& At(const json::object& o, std::string_view key) {
  static const json::value null_value;
  const json::value* v = o.if_contains(key);
  return v != nullptr ? *v : null_value;
}

const json::object& Obj(const json::value& v, const std::string& what) {
  if (!v.is_object()) Malformed(what + " is not an object");
  return v.get_object();
}

std::optional<Bound> ReadBound(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_number()) return std::nullopt;
  Bound b;
  b.value = v->to_number<double>();
  b.text = json::serialize(*v);
  if (v->is_double() && std::floor(b.value) == b.value && std::abs(b.value) < 1e15) {
    b.text = std::to_string(static_cast<int64_t>(b.value)) + ".0";
  }
  return b;
}

struct ByName {
  bool operator()(const std::unique_ptr<Shape>& a, std::string_view b) const { return a->name < b; }
};

}  // namespace

std::string_view ShapeTypeName(ShapeType type) {
  for (const auto& [name, t] : kShapeTypes) {
    if (t == type) return name;
  }
  return "string";
}

const ShapeRef* Shape::FindMember(std::string_view member_name) const {
  for (const ShapeRef& m : members) {
    if (m.name == member_name) return &m;
  }
  return nullptr;
}

bool Shape::IsRequired(std::string_view member_name) const {
  return std::find(required.begin(), required.end(), member_name) != required.end();
}

const Shape* ServiceModel::FindShape(std::string_view name) const {
  auto it = std::lower_bound(shapes_.begin(), shapes_.end(), name, ByName());
  return it != shapes_.end() && (*it)->name == name ? it->get() : nullptr;
}

std::unique_ptr<ServiceModel> ServiceModel::Parse(std::string_view model_json) {
  auto parsed = ParseJson(model_json);
  if (!parsed.ok()) Malformed(parsed.error().message);
  const json::object& root = Obj(*parsed, "model");
  std::unique_ptr<ServiceModel> model(new ServiceModel());

  const json::object& meta = Obj(At(root, "metadata"), "metadata");
  model->name_ = Str(meta, "endpointPrefix");
  model->signing_name_ = Str(meta, "signingName");
  if (model->signing_name_.empty()) model->signing_name_ = model->name_;
  model->api_version_ = Str(meta, "apiVersion");
  model->target_prefix_ = Str(meta, "targetPrefix");
  model->json_version_ = Str(meta, "jsonVersion");
  model->xml_namespace_ = Str(meta, "xmlNamespace");
  model->service_id_ = Str(meta, "serviceId");
  const std::string protocol = Str(meta, "protocol");
  if (protocol == "query") {
    model->protocol_ = Protocol::kQuery;
  } else if (protocol == "json") {
    model->protocol_ = Protocol::kJson;
  } else if (protocol == "rest-json") {
    model->protocol_ = Protocol::kRestJson;
  } else if (protocol == "rest-xml") {
    model->protocol_ = Protocol::kRestXml;
  } else {
    Malformed("unsupported protocol " + protocol);
  }

  // Shapes first (all of them, so that references can be resolved in any order), then members.
  const json::object& shapes = Obj(At(root, "shapes"), "shapes");
  for (const auto& [name, value] : shapes) {
    auto shape = std::make_unique<Shape>();
    shape->name = std::string(name);
    model->shapes_.push_back(std::move(shape));
  }
  std::sort(model->shapes_.begin(), model->shapes_.end(),
            [](const auto& a, const auto& b) { return a->name < b->name; });

  auto resolve_ref = [&](const json::value& v, const std::string& where) {
    const json::object& o = Obj(v, where);
    ShapeRef ref;
    const std::string target = Str(o, "shape");
    ref.shape = model->FindShape(target);
    if (ref.shape == nullptr) Malformed(where + " names unknown shape " + target);
    ref.location_name = Str(o, "locationName");
    ref.location = Str(o, "location");
    ref.timestamp_format = Str(o, "timestampFormat");
    if (const json::value* ns = o.if_contains("xmlNamespace"); ns != nullptr && ns->is_object()) {
      ref.xml_namespace = Str(ns->get_object(), "uri");
    }
    ref.flattened = Flag(o, "flattened");
    ref.xml_attribute = Flag(o, "xmlAttribute");
    ref.idempotency_token = Flag(o, "idempotencyToken");
    ref.host_label = Flag(o, "hostLabel");
    ref.json_value = Flag(o, "jsonvalue");
    ref.streaming = Flag(o, "streaming");
    ref.event_payload = Flag(o, "eventpayload");
    ref.deprecated = Flag(o, "deprecated");
    return ref;
  };

  for (const auto& [name, value] : shapes) {
    Shape& shape = **std::lower_bound(model->shapes_.begin(), model->shapes_.end(), std::string_view(name), ByName());
    const json::object& o = Obj(value, "shape " + shape.name);
    const std::string type = Str(o, "type");
    auto it = std::find_if(kShapeTypes.begin(), kShapeTypes.end(), [&](const auto& t) { return t.first == type; });
    if (it == kShapeTypes.end()) Malformed("shape " + shape.name + " has type " + type);
    shape.type = it->second;
    if (const json::value* members = o.if_contains("members")) {
      for (const auto& [member_name, ref_value] : Obj(*members, shape.name + ".members")) {
        ShapeRef ref = resolve_ref(ref_value, shape.name + "." + std::string(member_name));
        ref.name = std::string(member_name);
        shape.members.push_back(std::move(ref));
      }
    }
    if (const json::value* required = o.if_contains("required"); required != nullptr && required->is_array()) {
      for (const json::value& r : required->get_array()) shape.required.emplace_back(JsonString(r));
    }
    if (const json::value* m = o.if_contains("member")) shape.member = resolve_ref(*m, shape.name + ".member");
    if (const json::value* k = o.if_contains("key")) shape.key = resolve_ref(*k, shape.name + ".key");
    if (const json::value* v = o.if_contains("value")) shape.value = resolve_ref(*v, shape.name + ".value");
    if ((shape.type == ShapeType::kList && shape.member.shape == nullptr) ||
        (shape.type == ShapeType::kMap && (shape.key.shape == nullptr || shape.value.shape == nullptr))) {
      Malformed("shape " + shape.name + " lacks its member shapes");
    }
    if (const json::value* e = o.if_contains("enum"); e != nullptr && e->is_array()) {
      for (const json::value& v : e->get_array()) shape.enum_values.emplace_back(JsonString(v));
    }
    shape.min = ReadBound(o, "min");
    shape.max = ReadBound(o, "max");
    shape.pattern = Str(o, "pattern");
    if (!shape.pattern.empty()) shape.compiled_pattern = Pattern::Compile(shape.pattern);
    shape.timestamp_format = Str(o, "timestampFormat");
    shape.location_name = Str(o, "locationName");
    if (const json::value* ns = o.if_contains("xmlNamespace"); ns != nullptr && ns->is_object()) {
      shape.xml_namespace = Str(ns->get_object(), "uri");
    }
    shape.payload = Str(o, "payload");
    shape.flattened = Flag(o, "flattened");
    shape.sensitive = Flag(o, "sensitive");
    shape.exception = Flag(o, "exception");
    shape.document = Flag(o, "document");
    shape.is_union = Flag(o, "union");
    shape.streaming = Flag(o, "streaming");
    shape.event_stream = Flag(o, "eventstream");
    shape.deprecated = Flag(o, "deprecated");
    if (shape.exception) {
      ErrorInfo info{shape.name, 400, true};
      if (Flag(o, "fault")) info = ErrorInfo{shape.name, 500, false};
      if (const json::value* err = o.if_contains("error"); err != nullptr && err->is_object()) {
        const json::object& eo = err->get_object();
        if (std::string code = Str(eo, "code"); !code.empty()) info.code = std::move(code);
        if (const json::value* status = eo.if_contains("httpStatusCode"); status != nullptr && status->is_int64()) {
          info.http_status = static_cast<int>(status->get_int64());
        }
        if (const json::value* sender = eo.if_contains("senderFault"); sender != nullptr && sender->is_bool()) {
          info.sender_fault = sender->get_bool();
        } else {
          info.sender_fault = info.http_status < 500;
        }
      }
      shape.error = std::move(info);
      model->errors_by_code_.push_back(&shape);
    }
  }
  std::sort(model->errors_by_code_.begin(), model->errors_by_code_.end(),
            [](const Shape* a, const Shape* b) { return a->error->code < b->error->code; });

  const json::object& operations = Obj(At(root, "operations"), "operations");
  for (const auto& [name, value] : operations) {
    const json::object& o = Obj(value, "operation " + std::string(name));
    Operation op;
    op.name = std::string(name);
    if (const json::value* http = o.if_contains("http"); http != nullptr && http->is_object()) {
      op.http_method = Str(http->get_object(), "method");
      op.request_uri = Str(http->get_object(), "requestUri");
      if (const json::value* code = http->get_object().if_contains("responseCode"); code && code->is_int64()) {
        op.http_status = static_cast<int>(code->get_int64());
      }
    }
    auto target = [&](std::string_view key, std::string* wrapper) -> const Shape* {
      const json::value* ref = o.if_contains(key);
      if (ref == nullptr) return nullptr;
      const json::object& ro = Obj(*ref, op.name + "." + std::string(key));
      const Shape* shape = model->FindShape(Str(ro, "shape"));
      if (shape == nullptr) Malformed(op.name + " names an unknown " + std::string(key) + " shape");
      if (wrapper != nullptr) *wrapper = Str(ro, "resultWrapper");
      return shape;
    };
    op.input = target("input", nullptr);
    op.output = target("output", &op.result_wrapper);
    if (const json::value* errors = o.if_contains("errors"); errors != nullptr && errors->is_array()) {
      for (const json::value& e : errors->get_array()) {
        const Shape* shape = e.is_object() ? model->FindShape(Str(e.get_object(), "shape")) : nullptr;
        if (shape == nullptr || !shape->error) Malformed(op.name + " declares an unknown error");
        op.errors.push_back(shape->error->code);
      }
    }
    op.deprecated = Flag(o, "deprecated");
    model->operations_.push_back(std::move(op));
  }
  std::sort(model->operations_.begin(), model->operations_.end(),
            [](const Operation& a, const Operation& b) { return a.name < b.name; });
  return model;
}

const Operation* ServiceModel::FindOperation(std::string_view name) const {
  auto it = std::lower_bound(operations_.begin(), operations_.end(), name,
                             [](const Operation& op, std::string_view n) { return op.name < n; });
  return it != operations_.end() && it->name == name ? &*it : nullptr;
}

const Shape* ServiceModel::FindErrorShape(std::string_view code) const {
  auto it = std::lower_bound(errors_by_code_.begin(), errors_by_code_.end(), code,
                             [](const Shape* s, std::string_view c) { return s->error->code < c; });
  if (it != errors_by_code_.end() && (*it)->error->code == code) return *it;
  const Shape* by_name = FindShape(code);
  return by_name != nullptr && by_name->error ? by_name : nullptr;
}

const ErrorInfo* ServiceModel::FindError(std::string_view code) const {
  const Shape* shape = FindErrorShape(code);
  return shape != nullptr ? &*shape->error : nullptr;
}

namespace {

// The parsed models: immutable once built, built at most once each (std::call_once), never freed.
struct LoadedModel {
  const generated::EmbeddedModel* embedded = nullptr;
  std::once_flag once;
  std::unique_ptr<ServiceModel> model;
};

std::span<LoadedModel> Registry() {
  static std::vector<LoadedModel> registry = [] {
    const auto embedded = generated::EmbeddedModels();
    std::vector<LoadedModel> models(embedded.size());
    for (size_t i = 0; i < embedded.size(); ++i) models[i].embedded = embedded[i];
    return models;
  }();
  return registry;
}

const ServiceModel* Load(LoadedModel& entry) {
  std::call_once(entry.once, [&entry] {
    std::string text;
    text.reserve(entry.embedded->size);
    for (size_t i = 0; i < entry.embedded->chunk_count; ++i) text += entry.embedded->chunks[i];
    entry.model = ServiceModel::Parse(text);
  });
  return entry.model.get();
}

}  // namespace

const ServiceModel* ServiceModel::Find(std::string_view service) {
  for (LoadedModel& entry : Registry()) {
    if (entry.embedded->name == service || entry.embedded->signing_name == service) return Load(entry);
  }
  return nullptr;
}

const ServiceModel* ServiceModel::FindByTargetPrefix(std::string_view prefix) {
  if (prefix.empty()) return nullptr;
  for (LoadedModel& entry : Registry()) {
    if (entry.embedded->target_prefix == prefix) return Load(entry);
  }
  return nullptr;
}

std::vector<std::string> ServiceModel::ServiceNames() {
  std::vector<std::string> names;
  for (const LoadedModel& entry : Registry()) names.emplace_back(entry.embedded->name);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace xacct::model

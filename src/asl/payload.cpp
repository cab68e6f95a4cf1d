// Payload templates and a state's input/output processing (ASL specification "Input and Output Processing",
// "Payload Template"; Developer Guide "Processing input and output", "InputPath, Parameters and
// ResultSelector", "ResultPath"). Causes are AWS's: a template path that matches nothing reads "The JsonPath
// argument for the field '$.a' could not be found in the input '{...}'"; the interpreter prefixes "An error
// occurred while executing the state ...".
#include "asl/payload.h"

#include <charconv>
#include <cmath>
#include <optional>
#include <utility>
#include <vector>

#include "asl/intrinsics.h"
#include "asl/json_path.h"
#include "asl/paths_internal.h"

namespace xacct::asl {
namespace detail {
namespace {

// Double.toString: plain notation for 1e-3 <= |d| < 1e7, else "d.dddE<n>"; always a digit after the point.
std::string JavaDouble(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d == 0) return std::signbit(d) ? "-0.0" : "0.0";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(res.ptr - buf));
  std::string out = sci[0] == '-' ? "-" : "";
  if (sci[0] == '-') sci.remove_prefix(1);
  size_t e_at = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_at)) {
    if (c != '.') digits += c;
  }
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  int exp = 0;
  std::string_view exp_text = sci.substr(e_at + 1);
  if (!exp_text.empty() && exp_text[0] == '+') exp_text.remove_prefix(1);
  std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exp);
  double a = std::fabs(d);
  if (a >= 1e-3 && a < 1e7) {
    if (exp >= 0) {
      auto int_len = static_cast<size_t>(exp) + 1;
      if (digits.size() < int_len) digits.append(int_len - digits.size(), '0');
      std::string frac = digits.substr(int_len);
      return out + digits.substr(0, int_len) + "." + (frac.empty() ? "0" : frac);
    }
    return out + "0." + std::string(static_cast<size_t>(-exp - 1), '0') + digits;
  }
  std::string frac = digits.substr(1);
  return out + digits.substr(0, 1) + "." + (frac.empty() ? "0" : frac) + "E" + std::to_string(exp);
}

}  // namespace

std::string NumberText(const json::value& v) {
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  if (v.is_double()) return JavaDouble(v.get_double());
  return CompactJson(v);
}

void AppendJson(std::string& out, const json::value& v) {
  switch (v.kind()) {
    case json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& kv : v.get_object()) {
        if (!first) out += ',';
        first = false;
        out += json::serialize(json::string_view(kv.key()));
        out += ':';
        AppendJson(out, kv.value());
      }
      out += '}';
      return;
    }
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& e : v.get_array()) {
        if (!first) out += ',';
        first = false;
        AppendJson(out, e);
      }
      out += ']';
      return;
    }
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      out += NumberText(v);
      return;
    default:
      out += json::serialize(v);
      return;
  }
}

std::string CompactJson(const json::value& v) {
  std::string out;
  AppendJson(out, v);
  return out;
}

}  // namespace detail

namespace {

constexpr std::string_view kSuffix = ".$";

bool IsDynamicKey(std::string_view key) {
  return key.size() > kSuffix.size() && key.substr(key.size() - kSuffix.size()) == kSuffix;
}

AwsError NotFound(std::string_view path, const json::value& input) {
  return AwsError::Client("States.Runtime", "The JsonPath argument for the field '" + std::string(path) +
                                                "' could not be found in the input '" + detail::CompactJson(input) +
                                                "'");
}

// The value of one `.$` field: an intrinsic call, or a path over the input (`$$...`: the context object).
Result<json::value> Evaluate(std::string_view expr, const json::value& input, const json::value& context) {
  if (IsIntrinsicCall(expr)) return EvaluateIntrinsic(expr, input, context);
  auto path = detail::CompilePath(expr);
  if (!path.ok()) return AwsError::Client("States.Runtime", path.error().message);
  const json::value& root = path->context ? context : input;
  if (!path->reference) {
    json::array out;
    detail::CollectAll(*path, root, out);
    return json::value(std::move(out));
  }
  detail::Found found = detail::FindReference(*path, root);
  if (found.node == nullptr) {
    // A `$$` path is named as AWS rewrites it, against the context object.
    std::string shown = path->context ? std::string(expr.substr(1)) : std::string(expr);
    return NotFound(shown, root);
  }
  return *found.node;
}

Result<json::value> Build(const json::value& tmpl, const json::value& input, const json::value& context) {
  if (const auto* o = tmpl.if_object()) {
    json::object out;
    out.reserve(o->size());
    for (const auto& kv : *o) {
      std::string_view key = kv.key();
      if (IsDynamicKey(key) && kv.value().is_string()) {
        auto v = Evaluate(kv.value().get_string(), input, context);
        if (!v.ok()) return v.error();
        out[key.substr(0, key.size() - kSuffix.size())] = std::move(v).value();
        continue;
      }
      auto v = Build(kv.value(), input, context);
      if (!v.ok()) return v;
      out[key] = std::move(v).value();
    }
    return json::value(std::move(out));
  }
  if (const auto* a = tmpl.if_array()) {
    json::array out;
    out.reserve(a->size());
    for (const auto& e : *a) {
      auto v = Build(e, input, context);
      if (!v.ok()) return v;
      out.push_back(std::move(v).value());
    }
    return json::value(std::move(out));
  }
  return tmpl;
}

Status Check(const json::value& tmpl, const std::string& location) {
  if (const auto* a = tmpl.if_array()) {
    for (size_t i = 0; i < a->size(); ++i) {
      auto s = Check((*a)[i], location + "/" + std::to_string(i));
      if (!s.ok()) return s;
    }
    return Ok{};
  }
  const auto* o = tmpl.if_object();
  if (o == nullptr) return Ok{};
  for (const auto& kv : *o) {
    std::string_view key = kv.key();
    if (!IsDynamicKey(key)) {
      auto s = Check(kv.value(), location + "/" + std::string(key));
      if (!s.ok()) return s;
      continue;
    }
    std::string why;
    if (!kv.value().is_string()) {
      why = "the value is not a string";
    } else if (std::string_view expr = kv.value().get_string(); IsIntrinsicCall(expr)) {
      auto s = ValidateIntrinsic(expr);
      if (!s.ok()) why = s.error().message;
    } else {
      auto p = detail::CompilePath(expr);
      if (!p.ok()) why = p.error().message;
    }
    if (!why.empty()) {
      AwsError e = AwsError::Client("SCHEMA_VALIDATION_FAILED",
                                    "The value for the field '" + std::string(key) +
                                        "' must be a valid JSONPath or a valid intrinsic function call");
      e.detail = std::move(why);
      e.fields.emplace_back("location", location);
      return e;
    }
  }
  return Ok{};
}

}  // namespace

// The error's message is AWS's sentence without the location; fields[0] is {"location", where + the
// nested keys}, which the definition validator reports as the diagnostic's location.
Status ValidateTemplate(const json::value& tmpl, std::string_view where) { return Check(tmpl, std::string(where)); }

Result<json::value> ApplyTemplate(const json::value& tmpl, const json::value& input, const json::value& context) {
  return Build(tmpl, input, context);
}

struct CompiledTemplate::Node {
  enum class Kind : uint8_t { kLiteral, kObject, kArray, kPath, kIntrinsic, kBadPath };
  Kind kind = Kind::kLiteral;
  json::value literal;  // kLiteral
  // kObject: the output keys, in template order, and their values in `elements` (a pair<string, Node> member
  // would need Node complete here); kArray: the elements.
  std::vector<std::string> keys;
  std::vector<Node> elements;
  std::string expr;  // kPath / kBadPath: the text; kBadPath: `error` is the message
  detail::PathProgram path;
  std::optional<CompiledIntrinsic> intrinsic;
  std::string error;
};

namespace {

bool HasDynamicKey(const json::value& v) {
  if (const auto* o = v.if_object()) {
    for (const auto& kv : *o) {
      if ((IsDynamicKey(kv.key()) && kv.value().is_string()) || HasDynamicKey(kv.value())) return true;
    }
  } else if (const auto* a = v.if_array()) {
    for (const auto& e : *a) {
      if (HasDynamicKey(e)) return true;
    }
  }
  return false;
}

using Node = CompiledTemplate::Node;

Node CompileNode(const json::value& tmpl) {
  Node n;
  if (!HasDynamicKey(tmpl)) {
    n.literal = tmpl;
    return n;
  }
  if (const auto* o = tmpl.if_object()) {
    n.kind = Node::Kind::kObject;
    n.keys.reserve(o->size());
    n.elements.reserve(o->size());
    for (const auto& kv : *o) {
      std::string_view key = kv.key();
      if (IsDynamicKey(key) && kv.value().is_string()) {
        std::string_view expr = kv.value().get_string();
        Node v;
        v.expr = std::string(expr);
        if (IsIntrinsicCall(expr)) {
          v.kind = Node::Kind::kIntrinsic;
          v.intrinsic.emplace(expr);
        } else if (auto path = detail::CompilePath(expr); path.ok()) {
          v.kind = Node::Kind::kPath;
          v.path = std::move(path).value();
        } else {
          v.kind = Node::Kind::kBadPath;
          v.error = path.error().message;
        }
        n.keys.emplace_back(key.substr(0, key.size() - kSuffix.size()));
        n.elements.push_back(std::move(v));
        continue;
      }
      n.keys.emplace_back(key);
      n.elements.push_back(CompileNode(kv.value()));
    }
    return n;
  }
  const json::array& a = tmpl.get_array();  // HasDynamicKey: an object or an array
  n.kind = Node::Kind::kArray;
  n.elements.reserve(a.size());
  for (const auto& e : a) n.elements.push_back(CompileNode(e));
  return n;
}

Result<json::value> BuildCompiled(const Node& n, const json::value& input, const json::value& context) {
  switch (n.kind) {
    case Node::Kind::kLiteral:
      return n.literal;
    case Node::Kind::kIntrinsic:
      return n.intrinsic->Evaluate(input, context);
    case Node::Kind::kBadPath:
      return AwsError::Client("States.Runtime", n.error);
    case Node::Kind::kPath: {
      const json::value& root = n.path.context ? context : input;
      if (!n.path.reference) {
        json::array out;
        detail::CollectAll(n.path, root, out);
        return json::value(std::move(out));
      }
      detail::Found found = detail::FindReference(n.path, root);
      if (found.node == nullptr) {
        std::string_view expr = n.expr;
        return NotFound(n.path.context ? expr.substr(1) : expr, root);
      }
      return *found.node;
    }
    case Node::Kind::kObject: {
      json::object out(n.keys.size());
      for (size_t i = 0; i < n.keys.size(); ++i) {
        auto v = BuildCompiled(n.elements[i], input, context);
        if (!v.ok()) return v;
        out[n.keys[i]] = std::move(v).value();
      }
      return json::value(std::move(out));
    }
    case Node::Kind::kArray: {
      json::array out;
      out.reserve(n.elements.size());
      for (const auto& e : n.elements) {
        auto v = BuildCompiled(e, input, context);
        if (!v.ok()) return v;
        out.push_back(std::move(v).value());
      }
      return json::value(std::move(out));
    }
  }
  return n.literal;
}

}  // namespace

CompiledTemplate::CompiledTemplate(const json::value& tmpl) : root_(std::make_shared<const Node>(CompileNode(tmpl))) {}

Result<json::value> CompiledTemplate::Apply(const json::value& input, const json::value& context) const {
  if (root_ == nullptr) return json::value();
  return BuildCompiled(*root_, input, context);
}

Result<json::value> ApplyTemplate(const CompiledTemplate& tmpl, const json::value& input, const json::value& context) {
  return tmpl.Apply(input, context);
}

Result<json::value> ApplyPath(const json::value* path, const json::value& input) {
  if (path == nullptr) return input;
  if (path->is_null()) return json::value(json::object());
  if (!path->is_string()) return AwsError::Client("States.Runtime", "Invalid path " + detail::CompactJson(*path));
  auto parsed = JsonPath::Parse(path->get_string());
  if (!parsed.ok()) return AwsError::Client("States.Runtime", parsed.error().message);
  return parsed->Select(input);
}

Result<json::value> ApplyResultPath(const json::value* path, const json::value& input, json::value result) {
  if (path == nullptr) return result;
  if (path->is_null()) return input;
  if (!path->is_string()) return AwsError::Client("States.Runtime", "Invalid path " + detail::CompactJson(*path));
  auto parsed = JsonPath::Parse(path->get_string());
  if (!parsed.ok()) return AwsError::Client("States.Runtime", parsed.error().message);
  json::value out = input;
  auto placed = parsed->Place(out, std::move(result));
  if (!placed.ok()) return placed.error();
  return out;
}

}  // namespace xacct::asl

// DynamoDB's semantic checks on a parsed expression, in the order DynamoDB reports them: expression attribute
// names and values resolved in the order they are written, with each operator's and function's operand count
// and types (Amazon DynamoDB Developer Guide, "Condition and filter expressions, operators, and functions" and
// "Update expressions"), then overlapping or conflicting document paths. The wording is DynamoDB's, as the
// paritysuite/dynamodb-conformance captures and peer emulators (dynalite, moto) quote it.
#include <algorithm>

#include "services/dynamodb/expression_internal.h"

namespace xacct::services::dynamodb {

namespace {

std::string_view TypeOfOperand(const Operand& o) {
  if (o.kind == Operand::Kind::kValue) return TypeOf(o.value);
  if (o.kind == Operand::Kind::kFunction && o.function == "size") return "N";
  return "";
}

std::string ValueText(const json::value& v) {
  const std::string_view type = TypeOf(v);
  const json::value& inner = v.as_object().begin()->value();
  return "{" + std::string(type) + ":" + (inner.is_string() ? std::string(inner.as_string()) : json::serialize(inner)) +
         "}";
}

bool SamePath(const Path& a, const Path& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].index != b[i].index || a[i].name != b[i].name) return false;
  }
  return true;
}

// The first two paths that overlap (one is a prefix of the other) or, failing that, conflict (one indexes a
// list where the other names a map member), as DynamoDB words it.
std::optional<std::string> PathClash(const std::vector<Path>& paths) {
  for (const bool conflicts : {false, true}) {
    for (size_t j = 1; j < paths.size(); ++j) {
      for (size_t i = 0; i < j; ++i) {
        const Path& a = paths[i];
        const Path& b = paths[j];
        bool differ = false, conflict = false;
        for (size_t k = 0; k < std::min(a.size(), b.size()) && !differ; ++k) {
          if (a[k].IsIndex() != b[k].IsIndex()) {
            conflict = differ = true;
          } else if (a[k].index != b[k].index || a[k].name != b[k].name) {
            differ = true;
          }
        }
        if (conflicts ? conflict : !differ) {
          return std::string("Two document paths ") + (conflicts ? "conflict" : "overlap") +
                 " with each other; must remove or rewrite one of these paths; path one: " + PathString(a) +
                 ", path two: " + PathString(b);
        }
      }
    }
  }
  return std::nullopt;
}

}  // namespace

// ---- semantics ----

Status Parser::Resolve(Path& path) {
  for (PathElement& e : path) {
    if (e.IsIndex() || e.raw[0] != '#') continue;
    auto name = inputs_.Name(e.raw);
    if (!name.ok()) return Error(name.error().message);
    e.name = std::move(*name);
  }
  return Ok{};
}

Status Parser::Resolve(Operand& operand) {
  switch (operand.kind) {
    case Operand::Kind::kPath:
      return Resolve(operand.path);
    case Operand::Kind::kValue: {
      auto value = inputs_.Value(operand.placeholder);
      if (!value.ok()) {
        // An undefined placeholder is an expression error; a malformed value keeps its own wording.
        const bool undefined = value.error().message.rfind("An expression attribute", 0) == 0;
        return undefined ? Error(value.error().message) : value.error();
      }
      operand.value = std::move(*value);
      return Ok{};
    }
    default:
      for (Operand& a : operand.args) {
        if (auto s = Resolve(a); !s.ok()) return s;
      }
      return Ok{};
  }
}

Status Parser::CheckCondition(CondNode& node) {
  const auto incorrect_type = [&](std::string_view op, std::string_view type) {
    return Error("Incorrect operand type for operator or function; operator or function: " + std::string(op) +
                 ", operand type: " + std::string(type));
  };
  switch (node.kind) {
    case CondNode::Kind::kOr:
    case CondNode::Kind::kAnd:
    case CondNode::Kind::kNot:
      for (CondNode& c : node.children) {
        if (auto s = CheckCondition(c); !s.ok()) return s;
      }
      return Ok{};
    case CondNode::Kind::kFunction:
      return CheckFunction(node);
    default:
      break;
  }
  for (Operand& o : node.operands) {
    if (auto s = Resolve(o); !s.ok()) return s;
    if (o.kind == Operand::Kind::kFunction) {
      CondNode call;
      call.kind = CondNode::Kind::kFunction;
      call.op = o.function;
      call.operands = o.args;
      if (auto s = CheckFunction(call); !s.ok()) return s;
    }
  }
  if (node.kind == CondNode::Kind::kIn && node.operands.size() > 101) {
    return Error("The IN operator is provided with too many operands; number of operands: " +
                 std::to_string(node.operands.size() - 1));
  }
  if (node.kind != CondNode::Kind::kBetween && node.operands[0].kind == Operand::Kind::kPath) {
    for (size_t i = 1; i < node.operands.size(); ++i) {
      if (node.operands[i].kind == Operand::Kind::kPath && SamePath(node.operands[0].path, node.operands[i].path)) {
        return Error(
            "The first operand must be distinct from the remaining operands for this operator or function; "
            "operator: " +
            node.op + ", first operand: " + PathString(node.operands[0].path));
      }
    }
  }
  const bool ordering = node.kind == CondNode::Kind::kBetween ||
                        (node.kind == CondNode::Kind::kCompare && node.op != "=" && node.op != "<>");
  if (ordering) {
    for (const Operand& o : node.operands) {
      const std::string_view type = TypeOfOperand(o);
      if (!type.empty() && type != "S" && type != "N" && type != "B") return incorrect_type(node.op, type);
    }
  }
  if (node.kind == CondNode::Kind::kBetween && node.operands[1].kind == Operand::Kind::kValue &&
      node.operands[2].kind == Operand::Kind::kValue) {
    const json::value& low = node.operands[1].value;
    const json::value& high = node.operands[2].value;
    const std::string bounds = "lower bound operand: AttributeValue: " + ValueText(low) +
                               ", upper bound operand: AttributeValue: " + ValueText(high);
    if (TypeOf(low) != TypeOf(high)) {
      return Error("The BETWEEN operator requires same data type for lower and upper bounds; " + bounds);
    }
    if (CompareValues(low, high).value_or(0) > 0) {
      return Error("The BETWEEN operator requires upper bound to be greater than or equal to lower bound; " + bounds);
    }
  }
  return Ok{};
}

Status Parser::CheckFunction(CondNode& node) {
  const std::string& name = node.op;
  std::vector<Operand>& args = node.operands;
  for (Operand& a : args) {
    if (auto s = Resolve(a); !s.ok()) return s;
  }
  const size_t arity = name == "attribute_type" || name == "begins_with" || name == "contains" ? 2 : 1;
  if (args.size() != arity) {
    return Error("Incorrect number of operands for operator or function; operator or function: " + name +
                 ", number of operands: " + std::to_string(args.size()));
  }
  if (arity == 2 && args[0].kind == Operand::Kind::kPath && args[1].kind == Operand::Kind::kPath &&
      SamePath(args[0].path, args[1].path)) {
    return Error(
        "The first operand must be distinct from the remaining operands for this operator or function; "
        "operator: " +
        name + ", first operand: " + PathString(args[0].path));
  }
  const auto incorrect_type = [&](std::string_view type) {
    return Error("Incorrect operand type for operator or function; operator or function: " + name +
                 ", operand type: " + std::string(type));
  };
  if (name == "attribute_exists" || name == "attribute_not_exists" || name == "attribute_type") {
    if (args[0].kind != Operand::Kind::kPath) {
      return Error("Operator or function requires a document path; operator or function: " + name);
    }
  }
  if (name == "attribute_type") {
    const std::string_view type = TypeOfOperand(args[1]);
    if (type != "S") return incorrect_type(type.empty() ? "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}" : type);
    const std::string_view wanted = JsonString(args[1].value.as_object().begin()->value());
    for (std::string_view t : {"S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "L", "M"}) {
      if (wanted == t) return Ok{};
    }
    return Error("Invalid attribute type name found; type: " + std::string(wanted) +
                 ", valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
  }
  if (name == "begins_with") {
    for (const Operand& a : args) {
      const std::string_view type = TypeOfOperand(a);
      if (!type.empty() && type != "S" && type != "B") return incorrect_type(type);
    }
  }
  if (name == "size") {
    const std::string_view type = TypeOfOperand(args[0]);
    if (type == "N" || type == "BOOL" || type == "NULL") return incorrect_type(type);
  }
  return Ok{};
}

Status Parser::CheckUpdate(std::vector<UpdateAction>& actions) {
  // Reserved words come first in an update expression, then unknown functions and repeated sections.
  for (auto& d : deferred_) {
    if (d.first == kReserved) d.first = -1;
  }
  if (auto s = DeferredError(); !s.ok()) return s.error();
  for (UpdateAction& a : actions) {
    if (auto s = Resolve(a.path); !s.ok()) return s.error();
    if (a.kind != UpdateAction::Kind::kRemove) {
      if (auto s = Resolve(a.value); !s.ok()) return s.error();
    }
  }
  std::vector<Path> paths;
  for (const UpdateAction& a : actions) paths.push_back(a.path);
  if (auto clash = PathClash(paths)) return Error(*clash);
  for (UpdateAction& a : actions) {
    if (a.kind == UpdateAction::Kind::kRemove) continue;
    if (a.kind == UpdateAction::Kind::kSet) {
      if (auto s = CheckUpdateOperand(a.value); !s.ok()) return s.error();
      continue;
    }
    const std::string_view type = TypeOf(a.value.value);
    const bool set = type == "SS" || type == "NS" || type == "BS";
    if (!set && !(a.kind == UpdateAction::Kind::kAdd && type == "N")) {
      const std::string_view long_name = type == "S"      ? "STRING"
                                         : type == "N"    ? "NUMBER"
                                         : type == "B"    ? "BINARY"
                                         : type == "BOOL" ? "BOOLEAN"
                                         : type == "L"    ? "LIST"
                                         : type == "M"    ? "MAP"
                                                          : type;
      return Error(std::string("Incorrect operand type for operator or function; operator: ") +
                   (a.kind == UpdateAction::Kind::kAdd ? "ADD" : "DELETE") +
                   ", operand type: " + std::string(long_name));
    }
  }
  return Ok{};
}

Status Parser::CheckUpdateOperand(Operand& operand) {
  for (Operand& a : operand.args) {
    if (auto s = CheckUpdateOperand(a); !s.ok()) return s;
  }
  std::string op;
  size_t arity = 2;
  std::string_view wanted;
  if (operand.kind == Operand::Kind::kPlus || operand.kind == Operand::Kind::kMinus) {
    op = operand.kind == Operand::Kind::kPlus ? "+" : "-";
    wanted = "N";
  } else if (operand.kind == Operand::Kind::kFunction) {
    op = operand.function;
    if (op == "list_append") wanted = "L";
  } else {
    return Ok{};
  }
  if (operand.args.size() != arity) {
    return Error("Incorrect number of operands for operator or function; operator or function: " + op +
                 ", number of operands: " + std::to_string(operand.args.size()));
  }
  if (op == "if_not_exists" && operand.args[0].kind != Operand::Kind::kPath) {
    return Error("Operator or function requires a document path; operator or function: if_not_exists");
  }
  if (!wanted.empty()) {
    for (const Operand& a : operand.args) {
      const std::string_view type = a.kind == Operand::Kind::kValue ? TypeOf(a.value) : "";
      if (!type.empty() && type != wanted) {
        return Error("Incorrect operand type for operator or function; operator or function: " + op +
                     ", operand type: " + std::string(type));
      }
    }
  }
  return Ok{};
}

Status Parser::CheckProjection(std::vector<Path>& paths) {
  if (auto s = DeferredError(); !s.ok()) return s.error();
  for (Path& p : paths) {
    if (auto s = Resolve(p); !s.ok()) return s.error();
  }
  if (auto clash = PathClash(paths)) return Error(*clash);
  return Ok{};
}

}  // namespace xacct::services::dynamodb

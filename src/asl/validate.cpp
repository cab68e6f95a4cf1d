// Validate: a definition's JSON text to a Definition or diagnostics (ASL specification "State Machine
// Structure"; API Reference ValidateStateMachineDefinition and its ValidateStateMachineDefinitionDiagnostic
// codes; the InvalidDefinition messages CreateStateMachine answers).
#include <algorithm>
#include <cmath>
#include <deque>

#include "asl/intrinsics.h"
#include "asl/payload.h"
#include "asl/validate_internal.h"

namespace xacct::asl {

namespace detail {

void Checker::Error(std::string code, std::string message, std::string location) {
  diagnostics_.push_back(Diagnostic{"ERROR", std::move(code), std::move(message), std::move(location)});
}

bool Checker::has_errors() const {
  return std::any_of(diagnostics_.begin(), diagnostics_.end(),
                     [](const Diagnostic& d) { return d.severity == "ERROR"; });
}

const char* TypeWord(const json::value& v) {
  switch (v.kind()) {
    case json::kind::string:
      return "STRING";
    case json::kind::int64:
    case json::kind::uint64:
      return "INTEGER";
    case json::kind::double_:
      return "NUMBER";
    case json::kind::bool_:
      return "BOOLEAN";
    case json::kind::object:
      return "OBJECT";
    case json::kind::array:
      return "ARRAY";
    case json::kind::null:
      return "NULL";
  }
  return "NULL";
}

void Checker::AllowOnly(const json::object& o, std::initializer_list<std::string_view> allowed, const std::string& at) {
  for (const auto& member : o) {
    const std::string_view key(member.key().data(), member.key().size());
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      Schema("Field '" + std::string(key) + "' is not supported", at);
    }
  }
}

bool Checker::Require(const json::object& o, std::initializer_list<std::string_view> required, const std::string& at) {
  std::string missing;
  for (std::string_view key : required) {
    if (o.contains(key)) continue;
    if (!missing.empty()) missing += ", ";
    missing += key;
  }
  if (missing.empty()) return true;
  Schema("These fields are required: [" + missing + "]", at);
  return false;
}

std::optional<std::string> Checker::String(const json::object& o, std::string_view key, const std::string& at) {
  const auto* v = o.if_contains(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) {
    Schema("The value for the field '" + std::string(key) + "' must be a STRING", At(at, key));
    return std::nullopt;
  }
  return std::string(v->get_string());
}

std::optional<bool> Checker::Bool(const json::object& o, std::string_view key, const std::string& at) {
  const auto* v = o.if_contains(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_bool()) {
    Schema("The value for the field '" + std::string(key) + "' must be a BOOLEAN", At(at, key));
    return std::nullopt;
  }
  return v->get_bool();
}

std::optional<int64_t> Checker::Integer(const json::object& o, std::string_view key, const std::string& at, int64_t min,
                                        int64_t max) {
  const auto* v = o.if_contains(key);
  if (v == nullptr) return std::nullopt;
  int64_t n = 0;
  if (v->is_int64()) {
    n = v->get_int64();
  } else if (v->is_uint64()) {
    n = v->get_uint64() > static_cast<uint64_t>(max) ? max + 1 : static_cast<int64_t>(v->get_uint64());
  } else if (v->is_double() && std::abs(v->get_double()) < 1e15 &&  // in range before the cast (UB otherwise)
             v->get_double() == static_cast<double>(static_cast<int64_t>(v->get_double()))) {
    n = static_cast<int64_t>(v->get_double());
  } else {
    Schema("The value for the field '" + std::string(key) + "' must be an INTEGER", At(at, key));
    return std::nullopt;
  }
  if (n < min) {
    Schema("The value for the field '" + std::string(key) + "' must be greater than or equal to " + std::to_string(min),
           At(at, key));
    return std::nullopt;
  }
  if (n > max) {
    Schema("The value for the field '" + std::string(key) + "' must be less than or equal to " + std::to_string(max),
           At(at, key));
    return std::nullopt;
  }
  return n;
}

std::optional<double> Checker::Number(const json::object& o, std::string_view key, const std::string& at, double min) {
  const auto* v = o.if_contains(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_number()) {
    Schema("The value for the field '" + std::string(key) + "' must be a NUMBER", At(at, key));
    return std::nullopt;
  }
  const double d = v->to_number<double>();
  if (d < min) {
    Schema("The value for the field '" + std::string(key) + "' must be greater than or equal to " +
               json::serialize(json::value(min)),
           At(at, key));
    return std::nullopt;
  }
  return d;
}

std::optional<JsonPath> Checker::PathOnly(const json::object& o, std::string_view key, const std::string& at,
                                          bool allow_context) {
  PathField f = Path(o, key, at, true, false, allow_context);
  return f.path;
}

PathField Checker::Path(const json::object& o, std::string_view key, const std::string& at, bool reference,
                        bool nullable, bool allow_context) {
  PathField field;
  const auto* v = o.if_contains(key);
  if (v == nullptr) return field;
  const std::string where = At(at, key);
  if (v->is_null() && nullable) {
    field.kind = PathField::Kind::kNull;
    return field;
  }
  if (!v->is_string()) {
    Schema("The value for the field '" + std::string(key) + "' must be a STRING", where);
    return field;
  }
  auto parsed = JsonPath::Parse(std::string_view(v->get_string()));
  if (!parsed) {
    Schema("The value for the field '" + std::string(key) + "' must be a valid JSONPath: " + parsed.error().message,
           where);
    return field;
  }
  if (reference && !parsed->IsReferencePath()) {
    Schema("The value for the field '" + std::string(key) + "' must be a valid Reference Path", where);
    return field;
  }
  if (!allow_context && parsed->IsContextPath()) {
    Schema("The value for the field '" + std::string(key) + "' must be a path starting with '$', not '$$'", where);
    return field;
  }
  field.kind = PathField::Kind::kPath;
  field.path = std::move(*parsed);
  return field;
}

Template Checker::ParseTemplate(const json::object& o, std::string_view key, const std::string& at) {
  Template t;
  const auto* v = o.if_contains(key);
  if (v == nullptr) return t;
  const std::string where = At(at, key);
  if (!v->is_object()) {
    Schema("The value for the field '" + std::string(key) + "' must be an OBJECT", where);
    return t;
  }
  if (auto status = ValidateTemplate(*v, where); !status) {
    const AwsError& e = status.error();
    std::string location = where;
    for (const auto& [name, value] : e.fields) {
      if (name == "location") location = value;
    }
    Error(e.code.empty() ? kSchema : e.code, e.message, location);
    return t;
  }
  t.present = true;
  t.value = *v;
  t.compiled = CompiledTemplate(t.value);
  return t;
}

bool MentionsContext(const json::value& v) {
  switch (v.kind()) {
    case json::kind::string:
      return std::string_view(v.get_string()).find("$$") != std::string_view::npos;
    case json::kind::object:
      for (const auto& m : v.get_object()) {
        if (MentionsContext(m.value())) return true;
      }
      return false;
    case json::kind::array:
      for (const auto& e : v.get_array()) {
        if (MentionsContext(e)) return true;
      }
      return false;
    default:
      return false;
  }
}

std::shared_ptr<StateMachine> ParseMachine(Checker& checker, const json::value& v, const std::string& at,
                                           bool processor) {
  auto machine = std::make_shared<StateMachine>();
  const std::string where = at.empty() ? "/" : at;
  if (!v.is_object()) {
    checker.Schema("The value must be an OBJECT", where);
    return machine;
  }
  const json::object& o = v.as_object();
  if (!at.empty()) {
    if (processor) {
      checker.AllowOnly(o, {"StartAt", "States", "Comment", "ProcessorConfig"}, where);
    } else {
      checker.AllowOnly(o, {"StartAt", "States", "Comment"}, where);
    }
  }
  checker.Require(o, {"StartAt", "States"}, where);
  if (auto start = checker.String(o, "StartAt", at)) machine->start_at = *start;
  (void)checker.String(o, "Comment", at);
  const auto* states = o.if_contains("States");
  if (states == nullptr) return machine;
  if (!states->is_object()) {
    checker.Schema("The value for the field 'States' must be an OBJECT", At(at, "States"));
    return machine;
  }
  if (states->as_object().empty()) {
    checker.Schema("The field 'States' should be non-empty", At(at, "States"));
    return machine;
  }
  machine->states.reserve(states->as_object().size());
  for (const auto& member : states->as_object()) {
    const std::string name(member.key());
    const std::string location = at + "/States/" + name;
    if (name.empty() || name.size() > 80) {
      checker.Error("INVALID_STATE_NAME", "State name '" + name + "' must be between 1 and 80 characters long",
                    location);
    } else if (std::any_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; })) {
      checker.Error("INVALID_STATE_NAME", "State name '" + name + "' contains a control character", location);
    }
    auto [it, inserted] = checker.names().emplace(name, location);
    if (!inserted) {
      checker.Error("DUPLICATE_STATE_NAME", "Duplicate State name: " + name, location);
    }
    State state;
    state.name = name;
    state.location = location;
    if (!member.value().is_object()) {
      checker.Schema("The value must be an OBJECT", location);
    } else {
      ParseState(checker, member.value().as_object(), state);
    }
    machine->index.emplace(name, static_cast<int>(machine->states.size()));
    machine->states.push_back(std::move(state));
  }
  CheckGraph(checker, *machine, at);
  return machine;
}

namespace {

void Resolve(Checker& checker, const StateMachine& machine, const std::string& target, int& index,
             const std::string& location) {
  if (target.empty()) return;
  index = machine.Find(target);
  if (index < 0) checker.Error("MISSING_TRANSITION_TARGET", "Missing 'Next' target: " + target, location);
}

void ResolveRules(Checker& checker, const StateMachine& machine, std::vector<ChoiceRule>& rules,
                  const std::string& at) {
  for (size_t i = 0; i < rules.size(); ++i) {
    Resolve(checker, machine, rules[i].next, rules[i].next_index, at + "/Choices/" + std::to_string(i) + "/Next");
  }
}

}  // namespace

void CheckGraph(Checker& checker, StateMachine& machine, const std::string& at) {
  if (machine.states.empty()) return;
  machine.start_index = machine.Find(machine.start_at);
  if (machine.start_index < 0 && !machine.start_at.empty()) {
    checker.Error("MISSING_TRANSITION_TARGET", "Missing 'Next' target: " + machine.start_at, At(at, "StartAt"));
  }
  bool terminal = false;
  for (State& s : machine.states) {
    Resolve(checker, machine, s.next, s.next_index, At(s.location, "Next"));
    Resolve(checker, machine, s.default_next, s.default_index, At(s.location, "Default"));
    ResolveRules(checker, machine, s.choices, s.location);
    for (size_t i = 0; i < s.catches.size(); ++i) {
      Resolve(checker, machine, s.catches[i].next, s.catches[i].next_index,
              s.location + "/Catch/" + std::to_string(i) + "/Next");
    }
    if (s.end || s.type == StateType::kSucceed || s.type == StateType::kFail) terminal = true;
  }
  // A state whose schema is broken may be the one meant to end the workflow: report the schema first.
  if (!terminal && !checker.has_errors()) {
    checker.Error("MISSING_END_STATE", "Workflow has no terminal state", at.empty() ? "/" : at);
  }
  if (machine.start_index < 0) return;
  // Reachability from StartAt over Next, Default, the Choices' and the Catchers' Next.
  std::vector<bool> seen(machine.states.size(), false);
  std::deque<int> todo{machine.start_index};
  seen[static_cast<size_t>(machine.start_index)] = true;
  auto visit = [&](int i) {
    if (i >= 0 && !seen[static_cast<size_t>(i)]) {
      seen[static_cast<size_t>(i)] = true;
      todo.push_back(i);
    }
  };
  while (!todo.empty()) {
    const State& s = machine.states[static_cast<size_t>(todo.front())];
    todo.pop_front();
    visit(s.next_index);
    visit(s.default_index);
    for (const auto& rule : s.choices) visit(rule.next_index);
    for (const auto& c : s.catches) visit(c.next_index);
  }
  for (size_t i = 0; i < machine.states.size(); ++i) {
    if (!seen[i]) {
      checker.Error("MISSING_TRANSITION_TARGET", "State \"" + machine.states[i].name + "\" is not reachable.",
                    machine.states[i].location);
    }
  }
}

std::optional<int64_t> ParseTimestamp(std::string_view t) {
  // YYYY-MM-DDThh:mm:ss[.fraction](Z|+hh:mm|-hh:mm)
  auto digits = [&](size_t pos, size_t n, int& out) {
    if (pos + n > t.size()) return false;
    out = 0;
    for (size_t i = pos; i < pos + n; ++i) {
      if (t[i] < '0' || t[i] > '9') return false;
      out = out * 10 + (t[i] - '0');
    }
    return true;
  };
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!digits(0, 4, year) || t.size() < 20 || t[4] != '-' || !digits(5, 2, month) || t[7] != '-' ||
      !digits(8, 2, day) || t[10] != 'T' || !digits(11, 2, hour) || t[13] != ':' || !digits(14, 2, minute) ||
      t[16] != ':' || !digits(17, 2, second)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (day > kDays[month - 1] || (month == 2 && day == 29 && !leap)) return std::nullopt;
  size_t pos = 19;
  int64_t nanos = 0;
  if (pos < t.size() && t[pos] == '.') {
    ++pos;
    int64_t scale = 100000000;
    const size_t first = pos;
    while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') {
      nanos += (t[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == first) return std::nullopt;
  }
  int64_t offset_minutes = 0;
  if (pos < t.size() && t[pos] == 'Z') {
    ++pos;
  } else if (pos < t.size() && (t[pos] == '+' || t[pos] == '-')) {
    int oh = 0, om = 0;
    if (!digits(pos + 1, 2, oh) || pos + 3 >= t.size() || t[pos + 3] != ':' || !digits(pos + 4, 2, om) || oh > 23 ||
        om > 59) {
      return std::nullopt;
    }
    offset_minutes = (t[pos] == '+' ? 1 : -1) * (oh * 60 + om);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != t.size()) return std::nullopt;
  // Days from the civil date (Howard Hinnant's algorithm).
  const int y = year - (month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int mp = (month + 9) % 12;
  const int doy = (153 * mp + 2) / 5 + day - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const int64_t days = static_cast<int64_t>(era) * 146097 + doe - 719468;
  const int64_t secs = days * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
  return secs * 1000000000 + nanos;
}

}  // namespace detail

namespace {

// The 1-based line and column of byte `offset` in `text`.
std::string Position(std::string_view text, size_t offset) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line: " + std::to_string(line) + ", column: " + std::to_string(column);
}

}  // namespace

Validation Validate(std::string_view text, const ValidateOptions& options) {
  detail::Checker checker(options);
  Validation out;
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    checker.Error("MISSING_DESCRIPTION", "The definition is empty", "");
    out.diagnostics = std::move(checker.diagnostics());
    return out;
  }
  json::stream_parser parser;
  boost::system::error_code ec;
  const size_t used = parser.write_some(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  if (!ec && used < text.size() && text.find_first_not_of(" \t\r\n", used) != std::string_view::npos) {
    ec = json::error::extra_data;
  }
  if (ec) {
    checker.Error("INVALID_JSON_DESCRIPTION",
                  "Invalid JSON: " + ec.message() + " at [" + Position(text, std::min(used, text.size())) + "]", "");
    out.diagnostics = std::move(checker.diagnostics());
    return out;
  }
  const json::value root = parser.release();
  if (!root.is_object()) {
    checker.Schema("The definition must be a JSON OBJECT", "/");
    out.diagnostics = std::move(checker.diagnostics());
    return out;
  }
  const json::object& o = root.as_object();
  checker.AllowOnly(o, {"StartAt", "States", "Comment", "Version", "TimeoutSeconds", "QueryLanguage"}, "/");
  auto definition = std::make_shared<Definition>();
  if (auto ql = checker.String(o, "QueryLanguage", "")) {
    if (*ql == "JSONata") {
      checker.Schema("QueryLanguage 'JSONata' is not supported yet by xacct (use JSONPath)", "/QueryLanguage");
    } else if (*ql != "JSONPath") {
      checker.Schema("The field 'QueryLanguage' should have one of these values: [JSONPath, JSONata]",
                     "/QueryLanguage");
    }
  }
  if (auto version = checker.String(o, "Version", "")) {
    if (*version != "1.0") checker.Schema("The field 'Version' should have one of these values: [1.0]", "/Version");
    definition->version = *version;
  }
  if (auto comment = checker.String(o, "Comment", "")) definition->comment = *comment;
  definition->timeout_seconds = checker.Integer(o, "TimeoutSeconds", "", 1, 99999999);
  auto machine = detail::ParseMachine(checker, root, "", false);
  definition->machine = std::move(*machine);
  if (auto duplicate = FindDuplicateKey(text)) {
    if (checker.names().count(*duplicate) != 0) {
      checker.Error("DUPLICATE_STATE_NAME", "Duplicate State name: " + *duplicate, checker.names()[*duplicate]);
    } else {
      checker.Error("INVALID_JSON_DESCRIPTION", "Duplicate field '" + *duplicate + "'", "");
    }
  }
  if (!checker.has_errors()) out.definition = std::move(definition);
  out.diagnostics = std::move(checker.diagnostics());
  return out;
}

std::string InvalidDefinitionMessage(const std::vector<Diagnostic>& diagnostics) {
  std::string joined;
  for (const auto& d : diagnostics) {
    if (d.severity != "ERROR") continue;
    if (!joined.empty()) joined += ", ";
    joined += d.code + ": " + d.message;
    if (!d.location.empty()) joined += " at " + d.location;
  }
  return "Invalid State Machine Definition: '" + joined + "'";
}

}  // namespace xacct::asl

// A state's input and output processing with the paths Validate parsed once (ASL specification "Input and
// Output Processing"; Developer Guide "Processing input and output"), error-name matching (Developer Guide
// "Handling errors in Step Functions workflows": States.ALL and States.TaskFailed are wildcards that leave
// out the terminal States.Runtime and States.DataLimitExceeded, and States.TaskFailed also States.Timeout),
// and the text forms the history uses.
#include <cstdio>

#include "asl/interpreter_internal.h"
#include "asl/paths_internal.h"

namespace xacct::asl::detail {

Result<json::value> SelectFrom(const JsonPath& path, const json::value& input, const json::value& context) {
  return path.Select(path.IsContextPath() ? context : input);
}

Result<const json::value*> SelectInput(const PathField& path, const json::value& input, const json::value& context,
                                       json::value& holder) {
  switch (path.kind) {
    case PathField::Kind::kAbsent:
      return &input;
    case PathField::Kind::kNull:
      holder = json::object();
      return &holder;
    case PathField::Kind::kPath: {
      auto selected = SelectFrom(*path.path, input, context);
      if (!selected) return selected.error();
      holder = std::move(*selected);
      return &holder;
    }
  }
  return &input;
}

Result<json::value> SelectPath(const PathField& path, const json::value& root) {
  switch (path.kind) {
    case PathField::Kind::kAbsent:
      return root;
    case PathField::Kind::kNull:
      return json::value(json::object());
    case PathField::Kind::kPath:
      return path.path->Select(root);
  }
  return root;
}

Result<json::value> FinishOutput(const State& s, json::value& input, json::value result, const json::value& context) {
  json::value out;
  switch (s.result_path.kind) {
    case PathField::Kind::kAbsent:
      out = std::move(result);
      break;
    case PathField::Kind::kNull:
      out = std::move(input);
      break;
    case PathField::Kind::kPath: {
      // In place: a failed placement is States.Runtime, which ends the execution anyway.
      auto placed = s.result_path.path->Place(input, std::move(result));
      if (!placed) return placed.error();
      out = std::move(input);
      break;
    }
  }
  switch (s.output_path.kind) {
    case PathField::Kind::kAbsent:
      return out;
    case PathField::Kind::kNull:
      return json::value(json::object());
    case PathField::Kind::kPath:
      return SelectFrom(*s.output_path.path, out, context);
  }
  return out;
}

bool ErrorMatches(const std::vector<std::string>& patterns, const std::string& error) {
  const bool terminal = error == "States.Runtime" || error == "States.DataLimitExceeded";
  for (const auto& p : patterns) {
    if (p == error) return true;
    if (terminal) continue;
    if (p == "States.ALL") return true;
    if (p == "States.TaskFailed" && error != "States.Timeout") return true;
  }
  return false;
}

std::string ToText(const json::value& v) { return CompactJson(v); }

std::string FormatTime(int64_t ms) {
  int64_t days = ms / 86400000;
  int64_t rem = ms % 86400000;
  if (rem < 0) {
    rem += 86400000;
    --days;
  }
  // Civil date from days since the epoch (Howard Hinnant's algorithm).
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t day = doy - (153 * mp + 2) / 5 + 1;
  const int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  char buf[128];
  std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%03lldZ", static_cast<long long>(year),
                static_cast<long long>(month), static_cast<long long>(day), static_cast<long long>(rem / 3600000),
                static_cast<long long>(rem / 60000 % 60), static_cast<long long>(rem / 1000 % 60),
                static_cast<long long>(rem % 1000));
  return buf;
}

}  // namespace xacct::asl::detail

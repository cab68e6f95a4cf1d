// The States Language interpreter (src/asl/) on the cases of bench/states/cases.json: a Choice+Pass loop of
// 100,000 states entered and an inline Map of 10,000 items (issue 7, section 6). Each definition is validated
// once; each run is asl::Run on the SystemClock with a sink that keeps every history event in a vector (as
// the service keeps the history) and Integrations that are never called. Prints the median wall time of the
// runs and transitions (states entered) per second, as text or, with --json, one JSON object per case (the
// form bench/states_bench.js prints, read by bench/states_bench.sh).
// --sink count: the sink only counts the events (an EXPRESS execution keeps no history): the interpreter alone.
// Usage: states_bench [--dir bench/states] [--runs 9] [--warmup 1] [--only NAME] [--sink keep|count] [--json]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "asl/clock.h"
#include "asl/interpreter.h"
#include "common/allocator.h"
#include "common/json.h"

namespace xacct {
namespace {

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "states_bench: %s\n", what.c_str());
  std::exit(1);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) Die("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

json::value ParseOrDie(const std::string& text, const std::string& what) {
  auto parsed = ParseJson(text);
  if (!parsed) Die(what + ": " + parsed.error().message);
  return std::move(*parsed);
}

// Keeps the history, as the service does (it buffers the events and writes them in batches); with
// `keep` false it only looks at each event (as the sink of an EXPRESS execution, which keeps no history).
class VectorSink final : public asl::ExecutionSink {
 public:
  explicit VectorSink(bool keep) : keep_(keep) {}
  void Append(asl::HistoryEvent&& event) override {
    ++count;
    if (event.type.ends_with("StateEntered")) ++entered;
    if (!keep_) return;
    if (events.empty() || events.back().size() == kBlock) events.emplace_back().reserve(kBlock);
    events.back().push_back(std::move(event));
  }
  // In blocks of kBlock events (as the service buffers a batch of 2,000): no reallocation as it grows (a
  // growing vector moves every event at each doubling and its ever larger blocks cost page faults).
  static constexpr size_t kBlock = 2000;
  std::vector<std::vector<asl::HistoryEvent>> events;
  size_t count = 0;
  int64_t entered = 0;

 private:
  bool keep_;
};

class NoIntegrations final : public asl::Integrations {
 public:
  Result<json::value> Invoke(asl::TaskCall& call) override { Die("a Task called " + call.resource); }
};

struct Case {
  std::string name;
  std::string definition_text;
  json::value input;
  int64_t transitions = 0;
  json::value output;  //!< the expected output
};

std::vector<Case> LoadCases(const std::string& dir) {
  const json::value manifest = ParseOrDie(ReadFile(dir + "/cases.json"), dir + "/cases.json");
  std::vector<Case> cases;
  for (const auto& c : manifest.at("cases").as_array()) {
    const json::object& o = c.as_object();
    Case item;
    item.name = StringField(o, "name");
    item.definition_text = ReadFile(dir + "/" + StringField(o, "definition"));
    if (const auto* n = o.if_contains("input_items")) {
      json::array items;
      for (int64_t i = 0; i < n->to_number<int64_t>(); ++i) items.push_back(json::object{{"id", i}});
      if (o.contains("output_is_items")) item.output = items;
      item.input = json::object{{"items", std::move(items)}};
    } else {
      item.input = o.at("input");
    }
    if (const auto* output = o.if_contains("output")) item.output = *output;
    item.transitions = o.at("transitions").to_number<int64_t>();
    cases.push_back(std::move(item));
  }
  return cases;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct RunResult {
  double ms = 0;
  size_t events = 0;
  int64_t entered = 0;
};

RunResult RunOnce(const asl::Definition& definition, const Case& c, bool keep) {
  asl::SystemClock clock;
  NoIntegrations integrations;
  asl::Cancellation stop;
  asl::ExecutionInfo info;
  info.execution_arn = "arn:aws:states:us-east-1:111111111111:execution:bench-" + c.name + ":run";
  info.name = "run";
  info.role_arn = "arn:aws:iam::111111111111:role/bench";
  info.state_machine_arn = "arn:aws:states:us-east-1:111111111111:stateMachine:bench-" + c.name;
  info.state_machine_name = "bench-" + c.name;
  info.region = "us-east-1";
  info.input = c.input;
  info.start_ms = clock.NowMillis();
  VectorSink sink(keep);
  const auto start = std::chrono::steady_clock::now();
  asl::Outcome outcome = asl::Run(definition, info, asl::RunOptions{}, integrations, clock, sink, stop);
  const auto end = std::chrono::steady_clock::now();
  if (outcome.status != asl::Outcome::Status::kSucceeded) {
    Die(c.name + ": the execution did not succeed: " + outcome.error + ": " + outcome.cause);
  }
  if (outcome.output != c.output) Die(c.name + ": unexpected output " + json::serialize(outcome.output));
  RunResult r;
  r.ms = std::chrono::duration<double, std::milli>(end - start).count();
  r.events = sink.count;
  r.entered = sink.entered;
  return r;
}

}  // namespace
}  // namespace xacct

int main(int argc, char** argv) {
  xacct::TuneAllocator();  // as `xacct serve` does
  using namespace xacct;
  std::string dir = XACCT_BENCH_STATES_DIR;
  std::string only;
  int runs = 9, warmup = 1;
  bool as_json = false;
  bool keep = true;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) Die(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--dir") {
      dir = next();
    } else if (arg == "--runs") {
      runs = std::max(1, std::atoi(next().c_str()));
    } else if (arg == "--warmup") {
      warmup = std::max(0, std::atoi(next().c_str()));
    } else if (arg == "--only") {
      only = next();
    } else if (arg == "--sink") {
      const std::string v = next();
      if (v != "keep" && v != "count") Die("--sink keep|count");
      keep = v == "keep";
    } else if (arg == "--json") {
      as_json = true;
    } else {
      Die("unknown argument " + arg +
          " (usage: states_bench [--dir D] [--runs N] [--warmup N] [--only NAME] [--sink keep|count] [--json])");
    }
  }
  for (const Case& c : LoadCases(dir)) {
    if (!only.empty() && c.name != only) continue;
    const auto validate_start = std::chrono::steady_clock::now();
    asl::Validation validation = asl::Validate(c.definition_text);
    const double validate_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - validate_start).count();
    if (!validation.definition) Die(c.name + ": " + asl::InvalidDefinitionMessage(validation.diagnostics));
    for (int i = 0; i < warmup; ++i) RunOnce(*validation.definition, c, keep);
    std::vector<double> times;
    RunResult last;
    for (int i = 0; i < runs; ++i) {
      last = RunOnce(*validation.definition, c, keep);
      if (last.entered != c.transitions) {
        Die(c.name + ": " + std::to_string(last.entered) + " states entered, cases.json says " +
            std::to_string(c.transitions));
      }
      times.push_back(last.ms);
    }
    const double median = Median(times);
    const double per_second = static_cast<double>(c.transitions) / (median / 1000);
    if (as_json) {
      json::array all;
      for (double t : times) all.push_back(t);
      json::object out{{"impl", keep ? "xacct" : "xacct (history not kept)"},
                       {"case", c.name},
                       {"transitions", c.transitions},
                       {"median_ms", median},
                       {"runs_ms", all},
                       {"transitions_per_s", per_second},
                       {"events", last.events},
                       {"validate_ms", validate_ms}};
      std::printf("%s\n", json::serialize(out).c_str());
    } else {
      std::printf(
          "%-6s %9lld transitions  median %9.2f ms (min %.2f, max %.2f, %d runs)  %12.0f transitions/s  "
          "%zu events  validate %.3f ms\n",
          c.name.c_str(), static_cast<long long>(c.transitions), median, *std::min_element(times.begin(), times.end()),
          *std::max_element(times.begin(), times.end()), runs, per_second, last.events, validate_ms);
    }
    std::fflush(stdout);
  }
  return 0;
}

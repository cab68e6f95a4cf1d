// Parallel and inline Map states (ASL specification "Parallel State", "Map State"; Developer Guide
// "Parallel workflow state", "Map state in Inline mode", "Execution history events" for ParallelState* and
// MapState*/MapIteration* events). Branches and iterations run concurrently, at most MaxConcurrency (0: no
// limit) and never more than kMaxThreads at once; results keep the order of the branches or items. The
// first branch or iteration to fail stops the others (aborted) and its error becomes the state's.
#include <algorithm>
#include <atomic>
#include <thread>

#include "asl/interpreter_internal.h"
#include "asl/payload.h"

namespace xacct::asl::detail {

namespace {

constexpr size_t kMaxThreads = 40;
const json::value kNoContext;

Attempt FailedAttempt(Failure failure) {
  Attempt a;
  a.flow = Flow::kFailed;
  a.failure = std::move(failure);
  return a;
}

Attempt Aborted() {
  Attempt a;
  a.flow = Flow::kAborted;
  return a;
}

Failure FromError(const Runner& runner, const State& s, const Frame& f, const AwsError& e) {
  Failure failure = runner.Runtime(s, f, e.message);
  if (!e.code.empty() && e.code != "InvalidPath") failure.error = e.code;
  return failure;
}

// Runs body(0..n-1) on up to `limit` threads (0: kMaxThreads); the calling thread takes part.
void RunConcurrently(size_t n, size_t limit, const std::function<void(size_t)>& body) {
  const size_t workers = std::min(n, limit == 0 ? kMaxThreads : std::min(limit, kMaxThreads));
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < n; i = next++) body(i);
  };
  std::vector<std::thread> threads;
  threads.reserve(workers > 0 ? workers - 1 : 0);
  for (size_t t = 1; t < workers; ++t) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
}

// The first failure among concurrent branches or iterations.
struct FirstFailure {
  std::mutex mu;
  bool failed = false;
  Failure failure;
  void Record(const Failure& f) {
    std::lock_guard lock(mu);
    if (failed) return;
    failed = true;
    failure = f;
  }
};

}  // namespace

StepResult Runner::RunParallel(const State& s, json::value& input, Frame& f) {
  return WithRetry(s, input, f, [&](int64_t retry_count) -> Attempt {
    const json::value& ctx = s.uses_context ? Context(s, f, retry_count) : kNoContext;
    json::value holder;
    auto effective = SelectInput(s.input_path, input, ctx, holder);
    if (!effective) return FailedAttempt(FromError(*this, s, f, effective.error()));
    json::value branch_input;
    if (s.parameters.present) {
      auto applied = ApplyTemplate(s.parameters.value, **effective, ctx);
      if (!applied) return FailedAttempt(FromError(*this, s, f, applied.error()));
      branch_input = std::move(*applied);
    } else {
      branch_input = **effective;
    }
    const int64_t started = Emit(f, "ParallelStateStarted", "", {});
    Scope group(f.cancel);
    const size_t n = s.branches.size();
    std::vector<json::value> outputs(n);
    FirstFailure first;
    RunConcurrently(n, 0, [&](size_t i) {
      Frame branch;
      branch.cancel = group.cancel();
      branch.last_event_id = started;
      const StateMachine& machine = *s.branches[i];
      MachineResult r = RunMachine(machine, machine.start_index, branch_input, branch);
      if (r.flow == Flow::kFailed) {
        first.Record(r.failure);
        group.cancel()->Cancel(kReasonSibling);
      } else if (r.flow == Flow::kEnd) {
        outputs[i] = std::move(r.output);
      }
    });
    if (f.cancel->cancelled()) return Aborted();
    if (first.failed) {
      Emit(f, "ParallelStateFailed", "", {});
      return FailedAttempt(first.failure);
    }
    Emit(f, "ParallelStateSucceeded", "", {});
    Attempt a;
    json::array results;
    results.reserve(n);
    for (auto& o : outputs) results.push_back(std::move(o));
    a.result = std::move(results);
    return a;
  });
}

StepResult Runner::RunMap(const State& s, json::value& input, Frame& f) {
  return WithRetry(s, input, f, [&](int64_t retry_count) -> Attempt {
    const json::value& ctx = s.uses_context ? Context(s, f, retry_count) : kNoContext;
    json::value holder;
    auto effective = SelectInput(s.input_path, input, ctx, holder);
    if (!effective) return FailedAttempt(FromError(*this, s, f, effective.error()));
    json::value items_holder;
    const json::value* items = *effective;
    if (!s.items_path.absent()) {
      auto selected = SelectFrom(*s.items_path.path, **effective, ctx);
      if (!selected) return FailedAttempt(FromError(*this, s, f, selected.error()));
      items_holder = std::move(*selected);
      items = &items_holder;
    }
    if (!items->is_array()) {
      return FailedAttempt(
          Runtime(s, f, "Item selector: the value of the field 'ItemsPath' must be an array: " + ToText(*items)));
    }
    size_t limit = static_cast<size_t>(s.max_concurrency);
    if (s.max_concurrency_path) {
      auto v = SelectFrom(*s.max_concurrency_path, **effective, ctx);
      if (!v) return FailedAttempt(FromError(*this, s, f, v.error()));
      if (!(v->is_int64() && v->get_int64() >= 0) && !v->is_uint64()) {
        return FailedAttempt(
            Runtime(s, f, "The value of the field 'MaxConcurrencyPath' must be a non-negative integer: " + ToText(*v)));
      }
      limit = static_cast<size_t>(v->to_number<double>());
    }
    const json::array& list = items->get_array();
    const size_t n = list.size();
    json::object started_details;
    started_details["length"] = static_cast<int64_t>(n);
    const int64_t started = Emit(f, "MapStateStarted", "mapStateStartedEventDetails", std::move(started_details));
    Scope group(f.cancel);
    std::vector<json::value> outputs(n);
    FirstFailure first;
    std::mutex link_mu;
    int64_t last_link = started;
    RunConcurrently(n, limit, [&](size_t i) {
      if (group.cancel()->cancelled()) return;
      Frame iteration;
      iteration.cancel = group.cancel();
      {
        std::lock_guard lock(link_mu);
        iteration.last_event_id = last_link;
      }
      auto details = [&] {
        json::object d;
        d["name"] = s.name;
        d["index"] = static_cast<int64_t>(i);
        return d;
      };
      Emit(iteration, "MapIterationStarted", "mapIterationStartedEventDetails", details());
      json::value iteration_input;
      MachineResult r;
      if (s.parameters.present) {
        // ItemSelector: over the Map's effective input, with $$.Map.Item.{Index,Value}.
        json::value item_ctx = ctx.is_null() ? json::value(json::object()) : ctx;
        json::object item;
        item["Index"] = static_cast<int64_t>(i);
        item["Value"] = list[i];
        json::object map;
        map["Item"] = std::move(item);
        item_ctx.as_object()["Map"] = std::move(map);
        auto applied = ApplyTemplate(s.parameters.value, **effective, item_ctx);
        if (!applied) {
          r.flow = Flow::kFailed;
          r.failure = FromError(*this, s, f, applied.error());
        } else {
          iteration_input = std::move(*applied);
        }
      } else {
        iteration_input = list[i];
      }
      if (r.flow != Flow::kFailed) {
        r = RunMachine(*s.processor, s.processor->start_index, std::move(iteration_input), iteration);
      }
      switch (r.flow) {
        case Flow::kNext:
        case Flow::kEnd:
          outputs[i] = std::move(r.output);
          Emit(iteration, "MapIterationSucceeded", "mapIterationSucceededEventDetails", details());
          break;
        case Flow::kFailed:
          first.Record(r.failure);
          group.cancel()->Cancel(kReasonSibling);
          Emit(iteration, "MapIterationFailed", "mapIterationFailedEventDetails", details());
          break;
        case Flow::kAborted:
          Emit(iteration, "MapIterationAborted", "mapIterationAbortedEventDetails", details());
          break;
      }
      std::lock_guard lock(link_mu);
      last_link = std::max(last_link, iteration.last_event_id);
    });
    if (f.cancel->cancelled()) return Aborted();
    if (first.failed) {
      Emit(f, "MapStateFailed", "", {});
      return FailedAttempt(first.failure);
    }
    Emit(f, "MapStateSucceeded", "", {});
    json::array results;
    results.reserve(n);
    for (auto& o : outputs) results.push_back(std::move(o));
    Attempt a;
    a.result = std::move(results);
    return a;
  });
}

}  // namespace xacct::asl::detail

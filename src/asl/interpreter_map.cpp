// Parallel and inline Map states (ASL specification "Parallel State", "Map State"; Developer Guide
// "Parallel workflow state", "Map state in Inline mode", "Execution history events" for ParallelState* and
// MapState*/MapIteration* events). Branches and iterations run concurrently, at most MaxConcurrency (0: no
// limit) and never more than kMaxThreads at once (started as they are needed: see RunConcurrently); results keep the
// order of the branches or items. The first branch or iteration to fail stops the others (aborted) and its error
// becomes the state's.
#include <sched.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
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

// The CPUs this process may run on (its affinity mask: `taskset` narrows it).
size_t UsableCpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) return static_cast<size_t>(CPU_COUNT(&set));
  return std::max<size_t>(1, std::thread::hardware_concurrency());
}

// One RunConcurrently: how many of its workers run, and how many of those are blocked.
struct Group {
  std::atomic<size_t> blocked{0};
};

// The groups the current thread works for, innermost last: a worker of a nested Map that blocks also blocks
// the enclosing Map's worker that waits for it.
thread_local std::vector<Group*> tls_groups;

// The host's observer of the current thread (an execution runner's worker), and how deep in BlockingRegions the
// thread is: the observer hears of the outermost region only.
thread_local BlockingObserver* tls_observer = nullptr;
thread_local int tls_blocking_depth = 0;

// Runs body(0..n-1) with up to `limit` iterations at once (0: kMaxThreads). Workers pull indices from a
// counter; the calling thread is one of them and as many as there are CPUs start. While iterations are left,
// a monitor thread adds a worker whenever every running worker is blocked (BlockingRegion: waiting on the
// clock, in a Task's call, for a nested Map or Parallel), up to the limit. So iterations that block all
// overlap (a Map of 10 items each waiting 60 s takes 60 s), and iterations that compute do not contend with
// 40 threads on a 2-CPU machine.
constexpr auto kMonitorPeriod = std::chrono::milliseconds(1);

void RunConcurrently(size_t n, size_t limit, const std::function<void(size_t)>& body) {
  const size_t max_workers = std::min(n, limit == 0 ? kMaxThreads : std::min(limit, kMaxThreads));
  if (max_workers <= 1) {
    for (size_t i = 0; i < n; ++i) body(i);
    return;
  }
  Group group;
  std::atomic<size_t> next{0};
  std::mutex mu;
  std::condition_variable idle;
  size_t running = 0;  // guarded by mu
  auto work = [&] {
    for (size_t i = next++; i < n; i = next++) body(i);
  };
  auto worker = [&] {
    tls_groups.assign(1, &group);
    work();
    tls_groups.clear();
    std::lock_guard lock(mu);
    if (--running == 0) idle.notify_all();
  };
  std::vector<std::thread> threads;  // the workers besides the calling thread; only the monitor adds to it
  threads.reserve(max_workers);
  std::thread monitor;
  {
    std::lock_guard lock(mu);
    running = std::min(max_workers, UsableCpus());
    for (size_t t = 1; t < running; ++t) threads.emplace_back(worker);
    monitor = std::thread([&] {
      std::unique_lock monitor_lock(mu);
      while (!idle.wait_for(monitor_lock, kMonitorPeriod, [&] { return running == 0; })) {
        if (group.blocked.load() >= running && next.load() < n && threads.size() + 1 < max_workers) {
          ++running;
          threads.emplace_back(worker);
        }
      }
    });
  }
  tls_groups.push_back(&group);
  work();
  tls_groups.pop_back();
  {
    BlockingRegion waiting;  // for the other workers: blocked, for the enclosing groups
    std::unique_lock lock(mu);
    if (--running == 0) idle.notify_all();
    idle.wait(lock, [&] { return running == 0; });
  }
  monitor.join();
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

BlockingRegion::BlockingRegion() {
  for (Group* g : tls_groups) ++g->blocked;
  if (tls_blocking_depth++ == 0 && tls_observer != nullptr) tls_observer->Blocked();
}

BlockingRegion::~BlockingRegion() {
  for (Group* g : tls_groups) --g->blocked;
  if (--tls_blocking_depth == 0 && tls_observer != nullptr) tls_observer->Unblocked();
}

StepResult Runner::RunParallel(const State& s, json::value& input, Frame& f) {
  return WithRetry(s, input, f, [&](int64_t retry_count) -> Attempt {
    const json::value& ctx = s.uses_context ? Context(s, f, retry_count) : kNoContext;
    json::value holder;
    auto effective = SelectInput(s.input_path, input, ctx, holder);
    if (!effective) return FailedAttempt(FromError(s, f, effective.error()));
    json::value branch_input;
    if (s.parameters.present) {
      auto applied = ApplyTemplate(s.parameters.compiled, **effective, ctx);
      if (!applied) return FailedAttempt(FromError(s, f, applied.error()));
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
    if (!effective) return FailedAttempt(FromError(s, f, effective.error()));
    json::value items_holder;
    const json::value* items = *effective;
    if (!s.items_path.absent()) {
      auto selected = SelectFrom(*s.items_path.path, **effective, ctx);
      if (!selected) return FailedAttempt(FromError(s, f, selected.error()));
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
      if (!v) return FailedAttempt(FromError(s, f, v.error()));
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
        json::object d(2);
        d.emplace("name", s.name);
        d.emplace("index", static_cast<int64_t>(i));
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
        auto applied = ApplyTemplate(s.parameters.compiled, **effective, item_ctx);
        if (!applied) {
          r.flow = Flow::kFailed;
          r.failure = FromError(s, f, applied.error());
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

namespace xacct::asl {

void ObserveBlocking(BlockingObserver* observer) { detail::tls_observer = observer; }

}  // namespace xacct::asl

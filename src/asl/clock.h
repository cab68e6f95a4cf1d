// Time for executions: the wall clock in the server, a driven clock in tests (so a one-hour Wait is tested
// in milliseconds), and the cancellation that ends a wait early (StopExecution, a state's timeout).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace xacct::asl {

//! A one-shot stop signal with a reason; waits on any Clock return when it fires. Thread-safe.
class Cancellation {
 public:
  //! Fires (the first reason wins); wakes every waiter and runs the callbacks registered so far.
  void Cancel(std::string reason);
  bool cancelled() const;
  std::string reason() const;
  //! Runs `callback` when this fires (at once when it has already fired).
  void OnCancel(std::function<void()> callback);
  //! Like OnCancel, but the callback can be dropped again with Unsubscribe (a wait or a child scope that
  //! ends before this fires must not leave its callback behind). Returns 0 when the callback ran at once.
  uint64_t Subscribe(std::function<void()> callback);
  //! Drops a callback registered by Subscribe that has not run yet (no-op for 0 or one that ran).
  void Unsubscribe(uint64_t id);

 private:
  mutable std::mutex mu_;
  bool cancelled_ = false;
  std::string reason_;
  uint64_t next_id_ = 1;
  std::vector<std::pair<uint64_t, std::function<void()>>> callbacks_;
};

class Clock {
 public:
  virtual ~Clock() = default;
  //! Milliseconds since the epoch on this clock.
  virtual int64_t NowMillis() = 0;
  //! Blocks until NowMillis() >= deadline_ms; false when `stop` fired first.
  virtual bool WaitUntil(int64_t deadline_ms, Cancellation& stop) = 0;
  //! True when time moves only through waits (a ManualClock with auto_advance): a background watchdog
  //! must not wait on such a clock, since its wait would move time for everyone.
  virtual bool IsVirtual() const { return false; }
};

//! The system clock.
class SystemClock final : public Clock {
 public:
  int64_t NowMillis() override;
  bool WaitUntil(int64_t deadline_ms, Cancellation& stop) override;
};

//! A clock that moves only when told: Advance() moves it on and wakes the waits that are due. With
//! `auto_advance`, a wait moves the clock straight to its deadline (virtual time for single-threaded runs).
class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t start_ms = 1700000000000, bool auto_advance = true)
      : now_(start_ms), auto_advance_(auto_advance) {}
  int64_t NowMillis() override;
  bool WaitUntil(int64_t deadline_ms, Cancellation& stop) override;
  void Advance(int64_t ms);
  bool IsVirtual() const override { return auto_advance_; }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int64_t now_;
  bool auto_advance_;
};

}  // namespace xacct::asl

#include "asl/clock.h"

#include <algorithm>

#include <chrono>
#include <thread>

namespace xacct::asl {

void Cancellation::Cancel(std::string reason) {
  std::vector<std::pair<uint64_t, std::function<void()>>> callbacks;
  {
    std::lock_guard lock(mu_);
    if (cancelled_) return;
    cancelled_ = true;
    reason_ = std::move(reason);
    callbacks.swap(callbacks_);
  }
  for (auto& [id, callback] : callbacks) callback();
}

bool Cancellation::cancelled() const {
  std::lock_guard lock(mu_);
  return cancelled_;
}

std::string Cancellation::reason() const {
  std::lock_guard lock(mu_);
  return reason_;
}

void Cancellation::OnCancel(std::function<void()> callback) { (void)Subscribe(std::move(callback)); }

uint64_t Cancellation::Subscribe(std::function<void()> callback) {
  {
    std::lock_guard lock(mu_);
    if (!cancelled_) {
      const uint64_t id = next_id_++;
      callbacks_.emplace_back(id, std::move(callback));
      return id;
    }
  }
  callback();
  return 0;
}

void Cancellation::Unsubscribe(uint64_t id) {
  if (id == 0) return;
  std::lock_guard lock(mu_);
  for (auto it = callbacks_.begin(); it != callbacks_.end(); ++it) {
    if (it->first == id) {
      callbacks_.erase(it);
      return;
    }
  }
}

int64_t SystemClock::NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool SystemClock::WaitUntil(int64_t deadline_ms, Cancellation& stop) {
  // The wait is woken by the cancellation's callback; a shared state outlives this frame because the
  // callback may run after we return (Cancellation keeps callbacks until it fires).
  struct Waiter {
    std::mutex mu;
    std::condition_variable cv;
    bool woken = false;
  };
  auto waiter = std::make_shared<Waiter>();
  const uint64_t subscription = stop.Subscribe([waiter] {
    std::lock_guard lock(waiter->mu);
    waiter->woken = true;
    waiter->cv.notify_all();
  });
  bool reached = false;
  {
    std::unique_lock lock(waiter->mu);
    while (!waiter->woken) {
      const int64_t now = NowMillis();
      if (now >= deadline_ms) {
        reached = true;
        break;
      }
      // In slices of an hour at most: a wait without a deadline (INT64_MAX) would overflow the duration.
      waiter->cv.wait_for(lock, std::chrono::milliseconds(std::min<int64_t>(deadline_ms - now, 3600000)));
    }
  }
  // Waits that end by their deadline drop their callback: a long execution waits many times on one
  // Cancellation, which would otherwise keep every callback until it fires.
  stop.Unsubscribe(subscription);
  return reached;
}

int64_t ManualClock::NowMillis() {
  std::lock_guard lock(mu_);
  return now_;
}

bool ManualClock::WaitUntil(int64_t deadline_ms, Cancellation& stop) {
  if (stop.cancelled()) return false;
  if (auto_advance_) {
    std::lock_guard lock(mu_);
    if (deadline_ms > now_) now_ = deadline_ms;
    return true;
  }
  // Registered before taking the lock: a cancellation that has already fired runs the callback at once.
  const uint64_t subscription = stop.Subscribe([this] {
    std::lock_guard inner(mu_);
    cv_.notify_all();
  });
  bool reached = false;
  {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return now_ >= deadline_ms || stop.cancelled(); });
    reached = now_ >= deadline_ms && !stop.cancelled();
  }
  stop.Unsubscribe(subscription);
  return reached;
}

void ManualClock::Advance(int64_t ms) {
  std::lock_guard lock(mu_);
  now_ += ms;
  cv_.notify_all();
}

}  // namespace xacct::asl

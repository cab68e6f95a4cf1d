#include "services/athena/query_runner.h"

#include <algorithm>

namespace xacct::services::athena {

void LiveQuery::Finish(const std::function<void()>& write) {
  std::lock_guard lock(mu_);
  if (!stopped_) write();
  state_ = State::kDone;
}

bool LiveQuery::stopped() const {
  std::lock_guard lock(mu_);
  return stopped_;
}

LiveQuery::State LiveQuery::state() const {
  std::lock_guard lock(mu_);
  return state_;
}

QueryRunner::QueryRunner(Options options) : options_(options) {
  const unsigned threads = std::max(1u, options_.threads);
  workers_.reserve(threads);
  for (unsigned i = 0; i < threads; ++i) workers_.emplace_back([this] { Work(); });
}

QueryRunner::~QueryRunner() { Shutdown(); }

bool QueryRunner::Submit(const std::string& id, std::shared_ptr<LiveQuery> query) {
  {
    std::lock_guard lock(mu_);
    if (stopping_ || queue_.size() >= options_.max_queued) return false;
    query->id_ = id;
    live_[id] = query;
    queue_.push_back(std::move(query));
  }
  wake_.notify_one();
  return true;
}

std::shared_ptr<LiveQuery> QueryRunner::Find(const std::string& id) {
  std::lock_guard lock(mu_);
  auto it = live_.find(id);
  return it == live_.end() ? nullptr : it->second;
}

// Marks the query stopped and records it CANCELLED (under its own lock, so that a worker finishing at the
// same moment either writes its outcome first or not at all). The caller holds mu_.
bool QueryRunner::StopLocked(const std::shared_ptr<LiveQuery>& query) {
  std::lock_guard lock(query->mu_);
  if (query->state_ == LiveQuery::State::kDone || query->stopped_) return false;
  query->stopped_ = true;
  if (query->cancel) query->cancel();
  if (query->state_ == LiveQuery::State::kQueued) {
    queue_.erase(std::remove(queue_.begin(), queue_.end(), query), queue_.end());
    query->state_ = LiveQuery::State::kDone;
  }
  return true;
}

bool QueryRunner::Stop(const std::string& id) {
  std::shared_ptr<LiveQuery> query;
  bool running = false;
  {
    std::lock_guard lock(mu_);
    auto it = live_.find(id);
    if (it == live_.end()) return false;
    query = it->second;
    if (!StopLocked(query)) return query->state() != LiveQuery::State::kDone;
    running = query->state() == LiveQuery::State::kRunning;
    if (!running) live_.erase(it);
  }
  if (running && query->interrupt) query->interrupt();
  return true;
}

void QueryRunner::Shutdown() {
  std::vector<std::shared_ptr<LiveQuery>> running;
  {
    std::lock_guard lock(mu_);
    if (stopping_ && workers_.empty()) return;
    stopping_ = true;
    for (auto& [_, query] : live_) {
      const bool was_running = query->state() == LiveQuery::State::kRunning;
      StopLocked(query);
      if (was_running) running.push_back(query);
    }
    queue_.clear();
  }
  for (auto& query : running) {
    if (query->interrupt) query->interrupt();
  }
  wake_.notify_all();
  for (auto& w : workers_) {
    if (w.joinable()) w.join();
  }
  workers_.clear();
}

void QueryRunner::Work() {
  for (;;) {
    std::shared_ptr<LiveQuery> query;
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to take
      query = std::move(queue_.front());
      queue_.pop_front();
      std::lock_guard q(query->mu_);
      query->state_ = LiveQuery::State::kRunning;
    }
    if (query->run) query->run(*query);
    {
      std::lock_guard q(query->mu_);
      query->state_ = LiveQuery::State::kDone;
    }
    std::lock_guard lock(mu_);
    if (auto it = live_.find(query->id_); it != live_.end() && it->second == query) live_.erase(it);
  }
}

}  // namespace xacct::services::athena

// Athena's background query pool (Amazon Athena API Reference: StartQueryExecution answers with the id of a
// QUEUED query; the query then goes RUNNING and ends SUCCEEDED, FAILED or CANCELLED; StopQueryExecution
// cancels it). A fixed number of worker threads take queries from a bounded queue, woken by a condition
// variable: a query starts as soon as a worker is free, nothing polls or sleeps. A full queue is Athena's
// TooManyRequestsException.
//
// Shutdown cancels: queries still queued end CANCELLED without running, running ones are interrupted and end
// CANCELLED; Shutdown returns once every worker has finished (docs/athena-results.md).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace xacct::services::athena {

//! One query the runner knows while it is queued or running.
class LiveQuery {
 public:
  enum class State { kQueued, kRunning, kDone };

  //! What the query does when a worker takes it; it ends with Finish().
  std::function<void(LiveQuery&)> run;
  //! Records the query as CANCELLED (called under the query's lock, once, by Stop or shutdown).
  std::function<void()> cancel;
  //! Interrupts the running statement (called without the lock, after `cancel`).
  std::function<void()> interrupt;

  //! Runs `write` (the final record) unless the query was stopped meanwhile; the query is then done.
  void Finish(const std::function<void()>& write);
  bool stopped() const;
  State state() const;

 private:
  friend class QueryRunner;
  mutable std::mutex mu_;
  std::string id_;
  State state_ = State::kQueued;
  bool stopped_ = false;
};

class QueryRunner {
 public:
  struct Options {
    unsigned threads = 2;      //!< queries that run at once
    size_t max_queued = 1000;  //!< queries waiting for a worker beyond which StartQueryExecution is refused
    //! Where managed query results are kept (Athena-owned storage; the data dir's athena-results/).
    std::filesystem::path managed_results_dir;
  };
  explicit QueryRunner(Options options);
  ~QueryRunner();
  QueryRunner(const QueryRunner&) = delete;
  QueryRunner& operator=(const QueryRunner&) = delete;

  //! Queues the query `id`; false (and nothing queued) when the queue is full or the runner is stopping.
  bool Submit(const std::string& id, std::shared_ptr<LiveQuery> query);
  //! The query's state while the runner has it; nullptr once it is done (or never was here).
  std::shared_ptr<LiveQuery> Find(const std::string& id);
  //! Stops a queued or running query: it is recorded CANCELLED at once (a running one is interrupted and
  //! its outcome discarded). False when the runner does not have the query (it has finished).
  bool Stop(const std::string& id);
  const std::filesystem::path& managed_results_dir() const { return options_.managed_results_dir; }
  //! Refuses new queries, cancels the queued and running ones and joins the workers. Idempotent.
  void Shutdown();

 private:
  void Work();
  bool StopLocked(const std::shared_ptr<LiveQuery>& query);

  Options options_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::shared_ptr<LiveQuery>> queue_;
  std::map<std::string, std::shared_ptr<LiveQuery>, std::less<>> live_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace xacct::services::athena

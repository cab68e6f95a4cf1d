// The metadata database's writes: concurrent writers share commits (group commit), yet each one commits
// or fails alone, and each returns only once its own changes are committed.
#include "store/database.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "store/blob_store.h"

namespace xacct::store {
namespace {

namespace fs = std::filesystem;

class DatabaseWriteTest : public testing::TestWithParam<Durability> {
 protected:
  void SetUp() override {
    std::string name = testing::UnitTest::GetInstance()->current_test_info()->name();
    std::replace(name.begin(), name.end(), '/', '-');
    dir_ = fs::temp_directory_path() / ("xacct-database-test-" + std::to_string(::getpid()) + "-" + name);
    fs::remove_all(dir_);
    auto db = Database::Open(dir_, GetParam());
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = std::move(*db);
  }
  void TearDown() override {
    db_.reset();
    fs::remove_all(dir_);
  }

  std::optional<std::string> Doc(const std::string& id) { return *db_->Get(Scope::Global(), "doc", id); }

  fs::path dir_;
  std::unique_ptr<Database> db_;
};

TEST_P(DatabaseWriteTest, ConcurrentWritesFromManyThreadsAllCommit) {
  constexpr int kThreads = 4;
  constexpr int kWrites = 50;
  std::vector<std::thread> threads;
  std::atomic<int> failed{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWrites; ++i) {
        const std::string id = std::to_string(t) + "-" + std::to_string(i);
        auto s = db_->Write([&](Transaction& tx) { return tx.Put(Scope::Global(), "doc", id, "\"" + id + "\""); });
        // Durable on return: a reader sees it at once.
        if (!s.ok() || !Doc(id)) ++failed;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(db_->List(Scope::Global(), "doc")->size(), static_cast<size_t>(kThreads * kWrites));
  EXPECT_GE(db_->generation(), 1U);
  EXPECT_LE(db_->generation(), static_cast<uint64_t>(kThreads * kWrites));
}

// One writer holds the commit while the others queue up; the queued bodies then share one transaction.
// What each body does, and what its own Write must answer.
enum class Body { kWrites, kWritesThenFails, kThrows };

TEST_P(DatabaseWriteTest, AGroupCommitsOnceAndAFailingBodyRollsBackOnlyItself) {
  const Body bodies[] = {Body::kWrites, Body::kWritesThenFails, Body::kWrites, Body::kThrows, Body::kWrites};
  constexpr size_t kQueued = std::size(bodies);
  const uint64_t before = db_->generation();

  std::atomic<bool> holding{false};
  std::thread holder([&] {
    auto s = db_->Write([&](Transaction& tx) {
      holding = true;
      // Keep the commit until every other writer waits behind it.
      while (db_->queued_writes() < kQueued) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      return tx.Put(Scope::Global(), "doc", "holder", "1");
    });
    EXPECT_TRUE(s.ok());
  });
  while (!holding) std::this_thread::yield();

  std::vector<std::thread> writers;
  std::vector<std::optional<Status>> results(kQueued);
  std::vector<bool> threw(kQueued, false);
  for (size_t i = 0; i < kQueued; ++i) {
    writers.emplace_back([&, i] {
      const std::string id = "w" + std::to_string(i);
      try {
        results[i] = db_->Write([&](Transaction& tx) -> Status {
          if (auto s = tx.Put(Scope::Global(), "doc", id, "1"); !s) return s;
          if (bodies[i] == Body::kWritesThenFails) return AwsError::Client("Conflict", "body " + id + " fails");
          if (bodies[i] == Body::kThrows) throw std::runtime_error("body " + id + " throws");
          return Ok{};
        });
      } catch (const std::runtime_error&) {
        threw[i] = true;
      }
    });
  }
  for (auto& w : writers) w.join();
  holder.join();

  for (size_t i = 0; i < kQueued; ++i) {
    const std::string id = "w" + std::to_string(i);
    switch (bodies[i]) {
      case Body::kWrites:
        ASSERT_TRUE(results[i].has_value());
        EXPECT_TRUE(results[i]->ok()) << id;
        EXPECT_TRUE(Doc(id).has_value()) << id;
        break;
      case Body::kWritesThenFails:
        ASSERT_TRUE(results[i].has_value());
        ASSERT_FALSE(results[i]->ok()) << id;
        EXPECT_EQ(results[i]->error().message, "body " + id + " fails");
        EXPECT_FALSE(Doc(id).has_value()) << id;
        break;
      case Body::kThrows:
        EXPECT_TRUE(threw[i]) << id;
        EXPECT_FALSE(Doc(id).has_value()) << id;
        break;
    }
  }
  EXPECT_TRUE(Doc("holder").has_value());
  // The holder's commit, then one for the whole queued group.
  EXPECT_EQ(db_->generation(), before + 2);
}

TEST_P(DatabaseWriteTest, AGroupWhoseBodiesAllFailCommitsNothing) {
  auto s = db_->Write([](Transaction& tx) -> Status {
    if (auto put = tx.Put(Scope::Global(), "doc", "x", "1"); !put) return put;
    return AwsError::Client("Nope", "no");
  });
  EXPECT_FALSE(s.ok());
  EXPECT_FALSE(Doc("x").has_value());
  EXPECT_EQ(db_->generation(), 0U);
}

TEST_P(DatabaseWriteTest, BlobsAreWholeOrAbsentAtEveryDurability) {
  auto blobs = BlobStore::Open(dir_, GetParam());
  ASSERT_TRUE(blobs.ok());
  auto w = (*blobs)->Create();
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->Append("bytes").ok());
  auto id = (*w)->Commit();
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*(*blobs)->Read(*id), "bytes");
  EXPECT_TRUE(fs::is_empty(dir_ / "blobs" / "tmp"));
}

INSTANTIATE_TEST_SUITE_P(Durability, DatabaseWriteTest, testing::Values(Durability::kFull, Durability::kRelaxed),
                         [](const testing::TestParamInfo<Durability>& info) {
                           return info.param == Durability::kFull ? "Full" : "Relaxed";
                         });

}  // namespace
}  // namespace xacct::store

// The blob store: whole objects or none, generated ids only, and the sweep of what no metadata names.
#include "store/blob_store.h"

#include <gtest/gtest.h>

#include <fstream>

#include "store/database.h"

namespace xacct::store {
namespace {

namespace fs = std::filesystem;

class BlobStoreTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("xacct-blob-test-" + std::to_string(::getpid()) + "-" +
                                        testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    auto blobs = BlobStore::Open(dir_);
    ASSERT_TRUE(blobs.ok());
    blobs_ = std::move(*blobs);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(std::string_view bytes) {
    auto w = blobs_->Create();
    EXPECT_TRUE(w.ok());
    EXPECT_TRUE((*w)->Append(bytes).ok());
    auto id = (*w)->Commit();
    EXPECT_TRUE(id.ok());
    return id.ok() ? *id : std::string();
  }

  fs::path dir_;
  std::unique_ptr<BlobStore> blobs_;
};

TEST_F(BlobStoreTest, CommittedBlobsReadBackWholeAndInRanges) {
  const std::string id = Write("hello, blob");
  EXPECT_EQ(*blobs_->Read(id), "hello, blob");
  EXPECT_EQ(*blobs_->Read(id, 7, 4), "blob");
  EXPECT_EQ(*blobs_->Size(id), 11U);
}

TEST_F(BlobStoreTest, AnUncommittedWriterLeavesNothing) {
  {
    auto w = blobs_->Create();
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->Append("half an object").ok());
  }
  EXPECT_TRUE(fs::is_empty(dir_ / "blobs" / "tmp"));
}

TEST_F(BlobStoreTest, AFinishedFileIsAdoptedByRenameWithoutACopy) {
  const fs::path file = blobs_->temp_dir() / "scratch-output";
  std::ofstream(file, std::ios::binary) << "written by the engine";
  auto id = blobs_->Adopt(file);
  ASSERT_TRUE(id.ok()) << id.error().message;
  EXPECT_FALSE(fs::exists(file));
  EXPECT_EQ(*blobs_->Read(*id), "written by the engine");
  auto missing = blobs_->Adopt(blobs_->temp_dir() / "no-such-file");
  EXPECT_FALSE(missing.ok());
}

TEST_F(BlobStoreTest, IdsFromClientsNeverReachTheFileSystem) {
  for (const char* hostile : {"../meta.db", "..", "/etc/passwd", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", ""}) {
    EXPECT_FALSE(blobs_->PathOf(hostile).has_value()) << hostile;
    auto read = blobs_->Read(hostile);
    ASSERT_FALSE(read.ok()) << hostile;
    EXPECT_EQ(read.error().code, "NotFound");
  }
}

TEST_F(BlobStoreTest, SweepRemovesWhatNoMetadataNamesAndStaleTemporaries) {
  auto db = Database::Open(dir_);
  ASSERT_TRUE(db.ok());
  const std::string kept = Write("named by a row");
  const std::string orphan = Write("the crash came before the row");
  ASSERT_TRUE((*db)
                  ->Write([&](Transaction& tx) {
                    return tx.AddBlobRef(kept, Scope::Account("111111111111"), "s3-object", "bucket/key");
                  })
                  .ok());
  std::ofstream(dir_ / "blobs" / "tmp" / "0123456789abcdef0123456789abcdef") << "torn write";
  auto removed = blobs_->Sweep([&](std::string_view id) { return *(*db)->BlobReferenced(id); });
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 2U);
  EXPECT_TRUE(blobs_->Read(kept).ok());
  EXPECT_FALSE(blobs_->Read(orphan).ok());
  EXPECT_TRUE(fs::is_empty(dir_ / "blobs" / "tmp"));
  EXPECT_EQ((*db)->schema_version(), 3);
}

}  // namespace
}  // namespace xacct::store

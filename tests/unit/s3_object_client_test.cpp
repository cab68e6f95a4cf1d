// The internal S3 client other services use (Athena reading table files, writing results): each call is
// authorized as the S3 operation it stands for, with the bucket's policy, across accounts both sides.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "authz/authorizer.h"
#include "identity/config.h"
#include "identity/identity_store.h"
#include "services/s3/object_client.h"
#include "services/s3/s3_internal.h"
#include "test_principals.h"

namespace xacct::services::s3 {
namespace {

using xacct::testing::Root;

class ObjectClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("xacct-object-client-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    auto db = store::Database::Open(dir_);
    auto blobs = store::BlobStore::Open(dir_);
    ASSERT_TRUE(db.ok() && blobs.ok());
    db_ = std::move(db).value();
    blobs_ = std::move(blobs).value();
    config_ = identity::Config::Default();
    identities_ = std::make_unique<identity::IdentityStore>(*db_, config_);
    authorizer_ = std::make_unique<authz::Authorizer>(*identities_, nullptr, false);
    s3_ = std::make_unique<S3Service>(*db_, *blobs_, *identities_, *authorizer_);
    Bucket b;
    b.name = "data";
    b.owner = "111111111111";
    b.region = "ap-northeast-1";
    b.public_access_block = PublicAccessBlock{};
    ASSERT_TRUE(db_->Write([&](store::Transaction& tx) { return SaveBucket(tx, b); }).ok());
    info_.request_id = "test";
    info_.service = "athena";
    info_.region = "ap-northeast-1";
    info_.called_via = {"athena.amazonaws.com"};
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path WriteFile(const std::string& bytes) {
    const auto path = dir_ / "input.csv";
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
  void SetPolicy(const std::string& policy) {
    auto b = LoadBucket(*db_, "data");
    ASSERT_TRUE(b.ok() && b->has_value());
    (*b)->policy = policy;
    ASSERT_TRUE(db_->Write([&](store::Transaction& tx) { return SaveBucket(tx, **b); }).ok());
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::BlobStore> blobs_;
  identity::Config config_;
  std::unique_ptr<identity::IdentityStore> identities_;
  std::unique_ptr<authz::Authorizer> authorizer_;
  std::unique_ptr<S3Service> s3_;
  authz::RequestInfo info_;
};

TEST_F(ObjectClientTest, OwnerWritesListsAndReadsInPlace) {
  ObjectClient client(*s3_);
  auto put = client.PutFile(Root("111111111111"), info_, "data", "sales/part-0.csv", WriteFile("id,amount\n1,10\n"),
                            "text/csv");
  ASSERT_TRUE(put.ok()) << put.error().message;
  EXPECT_EQ(put->etag.size(), 34U);  // a quoted MD5
  auto listed = client.List(Root("111111111111"), info_, "data", "sales/");
  ASSERT_TRUE(listed.ok()) << listed.error().message;
  ASSERT_EQ(listed->size(), 1U);
  EXPECT_EQ((*listed)[0].key, "sales/part-0.csv");
  EXPECT_EQ((*listed)[0].size, 15U);
  std::ifstream in((*listed)[0].path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes, "id,amount\n1,10\n");
  auto got = client.Get(Root("111111111111"), info_, "data", "sales/part-0.csv");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->path, (*listed)[0].path);
}

TEST_F(ObjectClientTest, AMovedFileBecomesTheBlobAndCarriesTheSameEtag) {
  ObjectClient client(*s3_);
  auto copied =
      client.PutFile(Root("111111111111"), info_, "data", "copy.csv", WriteFile("id,amount\n1,10\n"), "text/csv");
  ASSERT_TRUE(copied.ok()) << copied.error().message;
  const auto scratch = blobs_->temp_dir() / "part";
  std::ofstream(scratch, std::ios::binary) << "id,amount\n1,10\n";
  auto moved = client.PutFile(Root("111111111111"), info_, "data", "moved.csv", scratch, "text/csv", nullptr,
                              /*move=*/true);
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_FALSE(std::filesystem::exists(scratch));
  EXPECT_EQ(moved->etag, copied->etag);
  EXPECT_EQ(moved->size, 15U);
  std::ifstream in(moved->path, std::ios::binary);
  EXPECT_EQ(std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()), "id,amount\n1,10\n");
  // A denied move leaves the file where it was.
  const auto kept = blobs_->temp_dir() / "denied";
  std::ofstream(kept, std::ios::binary) << "w";
  auto denied = client.PutFile(Root("222222222222"), info_, "data", "k2", kept, "text/plain", nullptr, true);
  ASSERT_FALSE(denied.ok());
  EXPECT_TRUE(std::filesystem::exists(kept));
}

TEST_F(ObjectClientTest, AnotherAccountNeedsTheBucketPolicy) {
  ObjectClient client(*s3_);
  ASSERT_TRUE(client.PutFile(Root("111111111111"), info_, "data", "k", WriteFile("v"), "text/plain").ok());
  std::string why;
  auto denied = client.List(Root("222222222222"), info_, "data", "", &why);
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code, "AccessDenied");
  EXPECT_NE(why.find("111111111111"), std::string::npos) << why;
  SetPolicy(
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},
    "Action":["s3:ListBucket","s3:GetObject"],"Resource":["arn:aws:s3:::data","arn:aws:s3:::data/*"]}]})");
  EXPECT_TRUE(client.List(Root("222222222222"), info_, "data", "").ok());
  EXPECT_TRUE(client.Get(Root("222222222222"), info_, "data", "k").ok());
  auto write = client.PutFile(Root("222222222222"), info_, "data", "k2", WriteFile("w"), "text/plain");
  ASSERT_FALSE(write.ok());
  EXPECT_EQ(write.error().code, "AccessDenied");
}

TEST_F(ObjectClientTest, MissingKeyIsNoSuchKeyOnlyForAListerAndMissingBucketIsNoSuchBucket) {
  ObjectClient client(*s3_);
  auto missing = client.Get(Root("111111111111"), info_, "data", "nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "NoSuchKey");
  auto none = client.List(Root("111111111111"), info_, "no-such-bucket", "");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, "NoSuchBucket");
}

}  // namespace
}  // namespace xacct::services::s3

// The internal Glue client Athena uses: each call is the Glue operation's own, as the caller, so a table of
// another account needs the owner's catalog policy, and aws:CalledVia reaches the policies.
#include <gtest/gtest.h>

#include <filesystem>

#include "authz/authorizer.h"
#include "identity/config.h"
#include "identity/identity_store.h"
#include "services/glue/catalog_client.h"
#include "test_principals.h"

namespace xacct::services::glue {
namespace {

using xacct::testing::Root;

// Seed 000's catalog policy shape, naming the target account, limited to calls made through Athena.
constexpr const char* kPolicy = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
  "Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":["glue:GetDatabase","glue:GetTable","glue:GetPartitions"],
  "Resource":["arn:aws:glue:ap-northeast-1:111111111111:catalog","arn:aws:glue:ap-northeast-1:111111111111:database/db",
  "arn:aws:glue:ap-northeast-1:111111111111:table/db/sales"],
  "Condition":{"ForAnyValue:StringEquals":{"aws:CalledVia":"athena.amazonaws.com"}}}]})";

class CatalogClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("xacct-catalog-client-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    auto db = store::Database::Open(dir_);
    ASSERT_TRUE(db.ok());
    db_ = std::move(db).value();
    config_ = identity::Config::Default();
    identities_ = std::make_unique<identity::IdentityStore>(*db_, config_);
    authorizer_ = std::make_unique<authz::Authorizer>(*identities_, nullptr, false);
    client_ = std::make_unique<CatalogClient>(*identities_, *authorizer_);
    info_.request_id = "test";
    info_.region = "ap-northeast-1";
    auto source = Root("111111111111");
    ASSERT_TRUE(client_->Invoke(source, info_, "CreateDatabase", {{"DatabaseInput", {{"Name", "db"}}}}).ok());
    json::object table{{"Name", "sales"},
                       {"TableType", "EXTERNAL_TABLE"},
                       {"StorageDescriptor",
                        {{"Columns", json::array{json::object{{"Name", "id"}, {"Type", "int"}}}},
                         {"Location", "s3://source-bucket/data/"}}}};
    auto created = client_->Invoke(source, info_, "CreateTable", {{"DatabaseName", "db"}, {"TableInput", table}});
    ASSERT_TRUE(created.ok()) << created.error().message;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  std::unique_ptr<store::Database> db_;
  identity::Config config_;
  std::unique_ptr<identity::IdentityStore> identities_;
  std::unique_ptr<authz::Authorizer> authorizer_;
  std::unique_ptr<CatalogClient> client_;
  authz::RequestInfo info_;
};

TEST_F(CatalogClientTest, OwnerReadsItsOwnTable) {
  auto table = client_->GetTable(Root("111111111111"), info_, "111111111111", "db", "sales");
  ASSERT_TRUE(table.ok()) << table.error().message;
  EXPECT_EQ(StringField(*table, "Name"), "sales");
}

TEST_F(CatalogClientTest, AnotherAccountNeedsTheCatalogPolicyAndTheCallThroughAthena) {
  const auto target = Root("222222222222");
  std::string why;
  auto denied = client_->GetTable(target, info_, "111111111111", "db", "sales", &why);
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code, "AccessDeniedException");
  EXPECT_NE(why.find("111111111111"), std::string::npos) << why;

  ASSERT_TRUE(client_->Invoke(Root("111111111111"), info_, "PutResourcePolicy", {{"PolicyInJson", kPolicy}}).ok());
  // Without aws:CalledVia the policy's condition fails; through Athena it holds.
  EXPECT_FALSE(client_->GetTable(target, info_, "111111111111", "db", "sales").ok());
  info_.called_via = {"athena.amazonaws.com"};
  EXPECT_TRUE(client_->GetDatabase(target, info_, "111111111111", "db").ok());
  auto table = client_->GetTable(target, info_, "111111111111", "db", "sales");
  ASSERT_TRUE(table.ok()) << table.error().message;
  auto partitions = client_->GetPartitions(target, info_, "111111111111", "db", "sales");
  ASSERT_TRUE(partitions.ok()) << partitions.error().message;
  EXPECT_TRUE(partitions->empty());
}

}  // namespace
}  // namespace xacct::services::glue

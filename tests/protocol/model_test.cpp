// The embedded service models: which services exist, how they are found, and what the model says
// about operations, shapes and errors (facts checked against botocore's service-2.json files).
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>
#include <vector>

#include "model/service_model.h"

namespace {

using xacct::model::Protocol;
using xacct::model::ServiceModel;
using xacct::model::ShapeType;

TEST(ModelTest, EveryServiceIsEmbedded) {
  EXPECT_EQ(ServiceModel::ServiceNames(),
            (std::vector<std::string>{"athena", "cloudformation", "dynamodb", "glue", "iam", "lambda", "organizations",
                                      "s3", "states", "sts"}));
}

struct ServiceFacts {
  const char* lookup;
  const char* name;
  Protocol protocol;
  const char* target_prefix;
  const char* json_version;
  const char* xml_namespace;
};

constexpr ServiceFacts kServices[] = {
    {"iam", "iam", Protocol::kQuery, "", "", "https://iam.amazonaws.com/doc/2010-05-08/"},
    {"sts", "sts", Protocol::kQuery, "", "", "https://sts.amazonaws.com/doc/2011-06-15/"},
    {"cloudformation", "cloudformation", Protocol::kQuery, "", "",
     "http://cloudformation.amazonaws.com/doc/2010-05-15/"},
    {"organizations", "organizations", Protocol::kJson, "AWSOrganizationsV20161128", "1.1", ""},
    {"glue", "glue", Protocol::kJson, "AWSGlue", "1.1", ""},
    {"athena", "athena", Protocol::kJson, "AmazonAthena", "1.1", ""},
    {"states", "states", Protocol::kJson, "AWSStepFunctions", "1.0", ""},
    {"dynamodb", "dynamodb", Protocol::kJson, "DynamoDB_20120810", "1.0", ""},
    {"s3", "s3", Protocol::kRestXml, "", "", ""},
    {"lambda", "lambda", Protocol::kRestJson, "", "", ""},
};

TEST(ModelTest, ServicesCarryTheirProtocolMetadata) {
  for (const ServiceFacts& f : kServices) {
    const ServiceModel* model = ServiceModel::Find(f.lookup);
    ASSERT_NE(model, nullptr) << f.lookup;
    EXPECT_EQ(model->name(), f.name);
    EXPECT_EQ(model->signing_name(), f.name);
    EXPECT_EQ(model->protocol(), f.protocol) << f.lookup;
    EXPECT_EQ(model->target_prefix(), f.target_prefix) << f.lookup;
    EXPECT_EQ(model->json_version(), f.json_version) << f.lookup;
    EXPECT_EQ(model->xml_namespace(), f.xml_namespace) << f.lookup;
    if (*f.target_prefix != '\0') {
      EXPECT_EQ(ServiceModel::FindByTargetPrefix(f.target_prefix), model);
    }
  }
  EXPECT_EQ(ServiceModel::Find("stepfunctions"), nullptr);  // found by endpoint prefix "states"
  EXPECT_EQ(ServiceModel::Find("ec2"), nullptr);
  EXPECT_EQ(ServiceModel::FindByTargetPrefix(""), nullptr);
  EXPECT_EQ(ServiceModel::FindByTargetPrefix("AWSGlue.GetTable"), nullptr);
}

TEST(ModelTest, ModelsAreParsedOnceAndShared) {
  std::vector<const ServiceModel*> seen(8);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < seen.size(); ++i) {
    threads.emplace_back(
        [&seen, i] { seen[i] = i % 2 ? ServiceModel::Find("glue") : ServiceModel::FindByTargetPrefix("AWSGlue"); });
  }
  for (auto& t : threads) t.join();
  for (const ServiceModel* m : seen) EXPECT_EQ(m, ServiceModel::Find("glue"));
}

TEST(ModelTest, OperationsAreSortedAndFoundByName) {
  const ServiceModel* iam = ServiceModel::Find("iam");
  ASSERT_NE(iam, nullptr);
  const auto& ops = iam->operations();
  EXPECT_TRUE(std::is_sorted(ops.begin(), ops.end(), [](const auto& a, const auto& b) { return a.name < b.name; }));
  EXPECT_EQ(iam->FindOperation("NoSuchOperation"), nullptr);
  const auto* create_role = iam->FindOperation("CreateRole");
  ASSERT_NE(create_role, nullptr);
  EXPECT_EQ(create_role->http_method, "POST");
  EXPECT_EQ(create_role->request_uri, "/");
  EXPECT_EQ(create_role->result_wrapper, "CreateRoleResult");
  ASSERT_NE(create_role->input, nullptr);
  EXPECT_EQ(create_role->input->name, "CreateRoleRequest");
  EXPECT_EQ(create_role->input->required, (std::vector<std::string>{"RoleName", "AssumeRolePolicyDocument"}));
  EXPECT_NE(std::find(create_role->errors.begin(), create_role->errors.end(), "EntityAlreadyExists"),
            create_role->errors.end());

  const auto* role_name = create_role->input->FindMember("RoleName");
  ASSERT_NE(role_name, nullptr);
  EXPECT_EQ(role_name->shape->type, ShapeType::kString);
  EXPECT_EQ(role_name->shape->min->text, "1");
  EXPECT_EQ(role_name->shape->max->text, "64");
  EXPECT_EQ(role_name->shape->pattern, R"([\w+=,.@-]+)");
  const auto* tags = create_role->input->FindMember("Tags");
  ASSERT_NE(tags, nullptr);
  EXPECT_EQ(tags->shape->type, ShapeType::kList);
  EXPECT_EQ(tags->shape->member.shape->name, "Tag");
  EXPECT_EQ(tags->shape->max->value, 50);

  const auto* delete_role = iam->FindOperation("DeleteRole");
  ASSERT_NE(delete_role, nullptr);
  EXPECT_EQ(delete_role->output, nullptr);
  EXPECT_TRUE(delete_role->result_wrapper.empty());
}

TEST(ModelTest, ErrorsAreFoundByCodeOrShapeName) {
  const ServiceModel* iam = ServiceModel::Find("iam");
  ASSERT_NE(iam, nullptr);
  const auto* no_such = iam->FindError("NoSuchEntity");
  ASSERT_NE(no_such, nullptr);
  EXPECT_EQ(no_such->code, "NoSuchEntity");
  EXPECT_EQ(no_such->http_status, 404);
  EXPECT_TRUE(no_such->sender_fault);
  EXPECT_EQ(iam->FindError("NoSuchEntityException"), no_such);
  const auto* failure = iam->FindError("ServiceFailure");
  ASSERT_NE(failure, nullptr);
  EXPECT_EQ(failure->http_status, 500);
  EXPECT_FALSE(failure->sender_fault);
  EXPECT_EQ(iam->FindError("Throttling"), nullptr);

  const ServiceModel* sts = ServiceModel::Find("sts");
  ASSERT_NE(sts, nullptr);
  EXPECT_EQ(sts->FindError("RegionDisabledException")->http_status, 403);
  EXPECT_EQ(sts->FindError("MalformedPolicyDocument")->http_status, 400);

  const ServiceModel* orgs = ServiceModel::Find("organizations");
  ASSERT_NE(orgs, nullptr);
  const auto* not_in_use = orgs->FindError("AWSOrganizationsNotInUseException");
  ASSERT_NE(not_in_use, nullptr);
  EXPECT_EQ(not_in_use->http_status, 400);
  const auto* dynamo_internal = ServiceModel::Find("dynamodb")->FindError("InternalServerError");
  ASSERT_NE(dynamo_internal, nullptr);
  EXPECT_EQ(dynamo_internal->http_status, 500);
  EXPECT_FALSE(dynamo_internal->sender_fault);
}

TEST(ModelTest, ShapesKeepSerializationTraits) {
  const ServiceModel* s3 = ServiceModel::Find("s3");
  ASSERT_NE(s3, nullptr);
  const auto* put = s3->FindOperation("PutObject");
  ASSERT_NE(put, nullptr);
  EXPECT_EQ(put->http_method, "PUT");
  EXPECT_EQ(put->request_uri, "/{Bucket}/{Key+}");
  const auto* bucket = put->input->FindMember("Bucket");
  ASSERT_NE(bucket, nullptr);
  EXPECT_EQ(bucket->location, "uri");
  EXPECT_EQ(bucket->location_name, "Bucket");
  EXPECT_EQ(put->input->payload, "Body");
  const auto* list = s3->FindOperation("ListObjectsV2");
  ASSERT_NE(list, nullptr);
  const auto* contents = list->output->FindMember("Contents");
  ASSERT_NE(contents, nullptr);
  EXPECT_TRUE(contents->shape->flattened);

  const auto* stream = ServiceModel::Find("dynamodb")->FindShape("TableDescription");
  ASSERT_NE(stream, nullptr);
  EXPECT_EQ(stream->FindMember("CreationDateTime")->shape->type, ShapeType::kTimestamp);
  const auto* glue_double = ServiceModel::Find("glue")->FindShape("NonNegativeDouble");
  ASSERT_NE(glue_double, nullptr);
  EXPECT_EQ(glue_double->min->text, "0.0");

  const auto* secret = ServiceModel::Find("iam")->FindShape("privateKeyType");
  ASSERT_NE(secret, nullptr);
  EXPECT_TRUE(secret->sensitive);
}

TEST(ModelTest, MalformedModelsThrow) {
  EXPECT_THROW(ServiceModel::Parse("not json"), std::runtime_error);
  EXPECT_THROW(ServiceModel::Parse(R"({"metadata":{"protocol":"ec2"},"shapes":{},"operations":{}})"),
               std::runtime_error);
  EXPECT_THROW(
      ServiceModel::Parse(
          R"({"metadata":{"protocol":"json"},"shapes":{"A":{"type":"list","member":{"shape":"B"}}},"operations":{}})"),
      std::runtime_error);
  auto ok = ServiceModel::Parse(
      R"({"metadata":{"protocol":"json","endpointPrefix":"x","targetPrefix":"X"},"shapes":{"S":{"type":"string"}},)"
      R"("operations":{"Op":{"name":"Op","input":{"shape":"S"}}}})");
  ASSERT_NE(ok, nullptr);
  EXPECT_EQ(ok->name(), "x");
  EXPECT_EQ(ok->signing_name(), "x");
  EXPECT_EQ(ok->FindOperation("Op")->input->name, "S");
}

}  // namespace

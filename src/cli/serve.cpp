#include "cli/serve.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "authz/audit_log.h"
#include "authz/authorizer.h"
#include "common/allocator.h"
#include "identity/config.h"
#include "identity/identity_store.h"
#include "server/gateway.h"
#include "server/http_server.h"
#include "services/athena/query_runner.h"
#include "services/s3/s3.h"
#include "services/states/execution_runner.h"
#include "store/blob_store.h"
#include "store/database.h"

namespace xacct::cli {

namespace {

Result<identity::Config> LoadConfig(const std::string& path) {
  if (path.empty()) return identity::Config::Default();
  std::ifstream in(path);
  if (!in) return AwsError::Client("InvalidConfiguration", "cannot read " + path);
  std::stringstream s;
  s << in.rdbuf();
  return identity::Config::Parse(s.str());
}

// AWS managed policies that xacct ships (arn:aws:iam::aws:policy/...), with AWS's documents.
constexpr std::pair<const char*, const char*> kAwsManagedPolicies[] = {
    {"AdministratorAccess", R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})"},
    {"AmazonS3FullAccess",
     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","s3-object-lambda:*"],"Resource":"*"}]})"},
    {"AmazonS3ReadOnlyAccess",
     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*","s3:Describe*","s3-object-lambda:Get*","s3-object-lambda:List*"],"Resource":"*"}]})"},
};

Status SeedAwsManagedPolicies(store::Database& db) {
  return db.Write([](store::Transaction& tx) -> Status {
    for (const auto& [name, doc] : kAwsManagedPolicies) {
      const std::string arn = std::string("arn:aws:iam::aws:policy/") + name;
      json::object p{
          {"PolicyName", name},
          {"PolicyId", "ANPAXACCT" + std::string(name).substr(0, 8)},
          {"Arn", arn},
          {"Path", "/"},
          {"DefaultVersionId", "v1"},
          {"AttachmentCount", 0},
          {"PermissionsBoundaryUsageCount", 0},
          {"IsAttachable", true},
          {"CreateDate", "2015-02-06T18:39:46Z"},
          {"UpdateDate", "2015-02-06T18:39:46Z"},
          {"xVersions", json::object{{"v1", json::object{{"Document", doc}, {"CreateDate", "2015-02-06T18:39:46Z"}}}}}};
      if (auto s = tx.Put(store::Scope::Account("aws"), identity::kPolicyKind, arn, json::serialize(p)); !s) return s;
    }
    return Ok{};
  });
}

}  // namespace

int RunServe(const ServeOptions& options) {
  TuneAllocator();
  auto config = LoadConfig(options.config_path);
  if (!config) {
    std::cerr << "xacct: " << config.error().message << "\n";
    return 2;
  }
  const auto durability = options.relaxed_durability ? store::Durability::kRelaxed : store::Durability::kFull;
  auto db = store::Database::Open(options.data_dir, durability);
  if (!db) {
    std::cerr << "xacct: " << db.error().message << "\n";
    return 1;
  }
  // Blobs no metadata row names (a crash between writing one and committing its row) are removed.
  auto blobs = store::BlobStore::Open(options.data_dir, durability);
  if (!blobs) {
    std::cerr << "xacct: " << blobs.error().message << "\n";
    return 1;
  }
  bool sweep_failed = false;
  auto swept = (*blobs)->Sweep([&](std::string_view id) {
    auto referenced = (*db)->BlobReferenced(id);
    sweep_failed = sweep_failed || !referenced;
    return !referenced || *referenced;  // on a read error, keep the blob
  });
  if (!swept || sweep_failed) {
    std::cerr << "xacct: cannot check the blob store against the metadata\n";
    return 1;
  }
  if (auto s = SeedAwsManagedPolicies(**db); !s) {
    std::cerr << "xacct: " << s.error().message << "\n";
    return 1;
  }
  auto audit = authz::AuditLog::Open(options.data_dir);
  if (!audit) {
    std::cerr << "xacct: " << audit.error().message << "\n";
    return 1;
  }
  identity::IdentityStore identities(**db, *config);
  authz::Authorizer authorizer(identities, audit->get(), options.explain_denials);
  services::s3::S3Service s3(**db, **blobs, identities, authorizer);
  // Athena's query pool; shut down (queued and running queries end CANCELLED) before the stores close.
  services::athena::QueryRunner::Options query_options;
  query_options.threads = options.query_threads;
  query_options.managed_results_dir = std::filesystem::path(options.data_dir) / "athena-results";
  services::athena::QueryRunner runner(query_options);
  // Step Functions executions: those left RUNNING by the last shutdown resume before the server answers;
  // at shutdown they stop without an outcome (still RUNNING in the store) before Athena's pool stops.
  services::states::ExecutionRunner executions(**db, identities, authorizer, {});
  const services::Backends backends{&s3, &runner, &executions};
  executions.SetBackends(backends);
  executions.ResumeAll();
  server::Gateway gateway(identities, authorizer, backends);
  server::ServerOptions server_options;
  server_options.bind = options.bind;
  server_options.port = options.port;
  server_options.threads = options.threads;
  const int rc = server::Serve(
      server_options, [&](const server::HttpRequest& r) { return gateway.Handle(r); },
      [&](const server::HttpRequest& head) { return gateway.Stream(head); },
      [&](uint16_t port) {
        std::cout << "xacct ready on http://" << options.bind << ":" << port << " (data dir " << options.data_dir
                  << ", " << config->accounts.size() << " accounts)" << std::endl;
      },
      [&] { (*audit)->Flush(); });
  executions.Shutdown();
  runner.Shutdown();
  (*audit)->Flush();
  std::cout << "xacct stopped" << std::endl;
  return rc;
}

int RunAccounts(const std::string& config_path, bool aws_config, const std::string& endpoint) {
  auto config = LoadConfig(config_path);
  if (!config) {
    std::cerr << "xacct: " << config.error().message << "\n";
    return 2;
  }
  if (aws_config) {
    // An AWS credentials-file block: one profile per account, named after it.
    for (const auto& a : config->accounts) {
      std::cout << "[" << a.name << "]\n"
                << "aws_access_key_id = " << a.root_access_key_id << "\n"
                << "aws_secret_access_key = " << a.root_secret_access_key << "\n"
                << "region = " << a.region << "\n";
      if (!endpoint.empty()) std::cout << "endpoint_url = " << endpoint << "\n";
      std::cout << "\n";
    }
    return 0;
  }
  const auto& org = config->organization;
  std::cout << "ACCOUNT       NAME        REGION          ORGANIZATION\n";
  for (const auto& a : config->accounts) {
    std::string where = "-";
    if (org && a.id == org->management_account) {
      where = org->id + " (management)";
    } else if (org && org->IsMember(a.id)) {
      where = org->OrgPathOf(a.id);
    }
    std::printf("%-13s %-11s %-15s %s\n", a.id.c_str(), a.name.c_str(), a.region.c_str(), where.c_str());
  }
  return 0;
}

int RunExplain(const std::string& data_dir, const std::string& request_id) {
  auto records = authz::AuditLog::Find(data_dir, request_id);
  if (!records) {
    std::cerr << "xacct: " << records.error().message << "\n";
    return 1;
  }
  if (records->empty()) {
    std::cerr << "xacct: no decision recorded for request " << request_id << " in " << data_dir << "/audit.log\n";
    return 1;
  }
  for (const auto& r : *records) {
    std::cout << JsonString(r.at("time")) << " " << JsonString(r.at("service")) << ":" << JsonString(r.at("operation"))
              << " by " << JsonString(r.at("principal")) << "\n  " << JsonString(r.at("action")) << " on "
              << JsonString(r.at("resource")) << ": " << JsonString(r.at("decision")) << "\n  "
              << JsonString(r.at("explanation")) << "\n";
  }
  return 0;
}

}  // namespace xacct::cli

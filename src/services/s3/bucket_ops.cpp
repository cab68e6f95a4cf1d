// Bucket operations (Amazon S3 API Reference: CreateBucket, HeadBucket, DeleteBucket, ListBuckets,
// GetBucketLocation, bucket policy, PublicAccessBlock, encryption, tagging, versioning, ownership
// controls, ACLs) with today's defaults for a new bucket (User Guide: "Blocking public access",
// "Controlling ownership of objects", "Setting default server-side encryption behavior"): all four Block
// Public Access settings on, BucketOwnerEnforced, SSE-S3.
#include <pugixml.hpp>

#include <algorithm>

#include "policy/parser.h"
#include "services/s3/public_policy.h"
#include "services/s3/s3_internal.h"
#include "services/s3/s3_names.h"
#include "services/s3/s3_permissions.h"

namespace xacct::services::s3 {

namespace {

using server::HttpResponse;

Status Save(Call& c) {
  return c.s3.db().Write([&](store::Transaction& tx) { return SaveBucket(tx, *c.bucket); });
}

// Bucket policy, PublicAccessBlock and ownership controls are the owner account's alone: another account's
// caller, even one allowed, is answered 405 (API Reference, PutBucketPolicy "Permissions").
Status OwnerOnly(Call& c) {
  if (auto s = c.RequireBucket(); !s) return s;
  if (auto s = AuthorizeOperation(c); !s) return s;
  if (c.caller().account != c.bucket->owner) {
    return AwsError::Client("MethodNotAllowed", "The specified method is not allowed against this resource.", 405);
  }
  return Ok{};
}

Status Prepare(Call& c) {
  if (auto s = c.RequireBucket(); !s) return s;
  return AuthorizeOperation(c);
}

bool XmlBool(const pugi::xml_node& parent, const char* name) {
  return std::string_view(parent.child(name).text().as_string()) == "true";
}

Result<HttpResponse> CreateBucket(Call& c) {
  if (auto s = CheckBucketName(c.req.bucket); !s) return s.error();
  std::optional<Bucket> existing = std::move(c.bucket);
  c.bucket.reset();
  if (auto s = AuthorizeOperation(c); !s) return s.error();
  const std::string& region = c.info.region;
  if (existing) {
    if (existing->owner != c.caller().account) {
      AwsError e = AwsError::Client("BucketAlreadyExists",
                                    "The requested bucket name is not available. The bucket namespace is shared by "
                                    "all users of the system. Please select a different name and try again.",
                                    409);
      e.fields = {{"BucketName", c.req.bucket}};
      return e;
    }
    if (region == "us-east-1") return EmptyResponse();  // us-east-1 answers a re-create with 200 (legacy)
    AwsError e =
        AwsError::Client("BucketAlreadyOwnedByYou",
                         "Your previous request to create the named bucket succeeded and you already own it.", 409);
    e.fields = {{"BucketName", c.req.bucket}};
    return e;
  }
  std::string constraint;
  if (!c.body.empty()) {
    auto doc = ParseXml(c.body, "CreateBucketConfiguration");
    if (!doc) return doc.error();
    constraint = (*doc)->document_element().child("LocationConstraint").text().as_string();
  }
  if (region != "us-east-1" && constraint != region) {
    AwsError e = AwsError::Client(
        "IllegalLocationConstraintException",
        "The " + (constraint.empty() ? std::string("unspecified") : constraint) +
            " location constraint is incompatible for the region specific endpoint this request was sent to.");
    return e;
  }
  Bucket b;
  b.name = c.req.bucket;
  b.owner = c.caller().account;
  b.region = constraint.empty() ? "us-east-1" : constraint;
  b.created_ms = NowMs();
  b.public_access_block = PublicAccessBlock{};
  if (c.req.HasHeader("x-amz-object-ownership")) b.ownership = std::string(c.req.Header("x-amz-object-ownership"));
  if (b.ownership != "BucketOwnerEnforced" && b.ownership != "BucketOwnerPreferred" && b.ownership != "ObjectWriter") {
    return InvalidArgument("Invalid x-amz-object-ownership header: " + b.ownership, "x-amz-object-ownership",
                           b.ownership);
  }
  const std::string_view acl = c.req.Header("x-amz-acl");
  if (b.ownership == "BucketOwnerEnforced" && !acl.empty() && acl != "private" && acl != "bucket-owner-full-control") {
    return AwsError::Client("InvalidBucketAclWithObjectOwnership",
                            "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting");
  }
  bool raced = false;
  auto written = c.s3.db().Write([&](store::Transaction& tx) -> Status {
    auto again = tx.Get(store::Scope::Global(), kBucketKind, b.name);
    if (!again) return again.error();
    if (*again) {
      raced = true;
      return Ok{};
    }
    return SaveBucket(tx, b);
  });
  if (!written) return written.error();
  if (raced)
    return AwsError::Client("OperationAborted",
                            "A conflicting conditional operation is currently in progress against this "
                            "resource. Please try again.",
                            409);
  HttpResponse r = EmptyResponse();
  r.headers.emplace_back("Location", "/" + b.name);
  return r;
}

Result<HttpResponse> HeadBucket(Call& c) {
  if (auto s = Prepare(c); !s) return s.error();
  HttpResponse r = EmptyResponse();
  r.headers.emplace_back("x-amz-bucket-region", c.bucket->region);
  r.headers.emplace_back("x-amz-access-point-alias", "false");
  return r;
}

Result<HttpResponse> DeleteBucket(Call& c) {
  if (auto s = Prepare(c); !s) return s.error();
  auto any = store::ObjectIndex::AnyVersion(c.s3.db(), c.bucket->name);
  if (!any) return any.error();
  if (*any) {
    AwsError e = AwsError::Client("BucketNotEmpty", "The bucket you tried to delete is not empty", 409);
    e.fields = {{"BucketName", c.bucket->name}};
    return e;
  }
  auto uploads = c.s3.db().List(store::Scope::Global(), kUploadKind, c.bucket->name + "/");
  if (!uploads) return uploads.error();
  auto s = c.s3.db().Write([&](store::Transaction& tx) -> Status {
    for (const auto& u : *uploads) {
      if (auto d = tx.Delete(store::Scope::Global(), kUploadKind, u.id); !d) return d;
    }
    return tx.Delete(store::Scope::Global(), kBucketKind, c.bucket->name);
  });
  if (!s) return s.error();
  return EmptyResponse(204);
}

Result<HttpResponse> ListBuckets(Call& c) {
  if (auto s = AuthorizeOperation(c); !s) return s.error();
  auto all = c.s3.db().List(store::Scope::Global(), kBucketKind);
  if (!all) return all.error();
  const std::string& account = c.caller().account;
  // prefix, bucket-region, max-buckets and continuation-token (the bucket name to start after) narrow the list.
  const std::string prefix = c.req.Param("prefix"), region = c.req.Param("bucket-region");
  const std::string after = Unbase64(c.req.Param("continuation-token"));
  size_t max = 10000;
  if (auto m = c.req.OptParam("max-buckets")) {
    char* end = nullptr;
    const long n = std::strtol(m->c_str(), &end, 10);
    if (m->empty() || *end != '\0' || n < 1 || n > 10000) {
      return InvalidArgument("Argument max-buckets must be an integer between 1 and 10000", "max-buckets", *m);
    }
    max = static_cast<size_t>(n);
  }
  XmlWriter x("ListAllMyBucketsResult");
  x.Open("Buckets");
  size_t listed = 0;
  std::string last;
  bool truncated = false;
  for (const auto& doc : *all) {
    auto parsed = ParseJson(doc.body);
    if (!parsed || !parsed->is_object()) continue;
    const Bucket b = Bucket::FromJson(parsed->as_object());
    if (b.owner != account || !b.name.starts_with(prefix) || (!region.empty() && b.region != region)) continue;
    if (!after.empty() && b.name <= after) continue;
    if (listed == max) {
      truncated = true;
      break;
    }
    x.Open("Bucket").Leaf("Name", b.name).Leaf("CreationDate", IsoMs(b.created_ms)).Leaf("BucketRegion", b.region);
    x.Close("Bucket");
    last = b.name;
    ++listed;
  }
  x.Close("Buckets");
  x.Open("Owner").Leaf("ID", CanonicalId(account)).Leaf("DisplayName", account).Close("Owner");
  if (truncated) x.Leaf("ContinuationToken", Base64(last));
  if (c.req.Has("prefix")) x.Leaf("Prefix", prefix);
  return XmlResponse(x.Finish());
}

Result<HttpResponse> GetBucketLocation(Call& c) {
  if (auto s = Prepare(c); !s) return s.error();
  const std::string region = c.bucket->region == "us-east-1" ? "" : c.bucket->region;
  return XmlResponse("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LocationConstraint xmlns=\"" + std::string(kXmlns) +
                     "\">" + XmlEscape(region) + "</LocationConstraint>");
}

// ---- bucket policy ----

// Every action Amazon S3 defines (Service Authorization Reference, "Actions defined by Amazon S3").
const std::vector<policy::ActionName>& S3Actions() {
  static const std::vector<policy::ActionName> actions = [] {
    static constexpr const char* kNames[] = {"AbortMultipartUpload",
                                             "BypassGovernanceRetention",
                                             "CreateAccessPoint",
                                             "CreateAccessPointForObjectLambda",
                                             "CreateBucket",
                                             "CreateJob",
                                             "CreateMultiRegionAccessPoint",
                                             "CreateStorageLensGroup",
                                             "DeleteAccessPoint",
                                             "DeleteAccessPointForObjectLambda",
                                             "DeleteAccessPointPolicy",
                                             "DeleteAccessPointPolicyForObjectLambda",
                                             "DeleteBucket",
                                             "DeleteBucketOwnershipControls",
                                             "DeleteBucketPolicy",
                                             "DeleteBucketWebsite",
                                             "DeleteJobTagging",
                                             "DeleteMultiRegionAccessPoint",
                                             "DeleteObject",
                                             "DeleteObjectTagging",
                                             "DeleteObjectVersion",
                                             "DeleteObjectVersionTagging",
                                             "DeleteStorageLensConfiguration",
                                             "DeleteStorageLensConfigurationTagging",
                                             "DeleteStorageLensGroup",
                                             "DescribeJob",
                                             "DescribeMultiRegionAccessPointOperation",
                                             "GetAccelerateConfiguration",
                                             "GetAccessPoint",
                                             "GetAccessPointConfigurationForObjectLambda",
                                             "GetAccessPointForObjectLambda",
                                             "GetAccessPointPolicy",
                                             "GetAccessPointPolicyForObjectLambda",
                                             "GetAccessPointPolicyStatus",
                                             "GetAccessPointPolicyStatusForObjectLambda",
                                             "GetAccountPublicAccessBlock",
                                             "GetAnalyticsConfiguration",
                                             "GetBucketAcl",
                                             "GetBucketCORS",
                                             "GetBucketLocation",
                                             "GetBucketLogging",
                                             "GetBucketNotification",
                                             "GetBucketObjectLockConfiguration",
                                             "GetBucketOwnershipControls",
                                             "GetBucketPolicy",
                                             "GetBucketPolicyStatus",
                                             "GetBucketPublicAccessBlock",
                                             "GetBucketRequestPayment",
                                             "GetBucketTagging",
                                             "GetBucketVersioning",
                                             "GetBucketWebsite",
                                             "GetEncryptionConfiguration",
                                             "GetIntelligentTieringConfiguration",
                                             "GetInventoryConfiguration",
                                             "GetJobTagging",
                                             "GetLifecycleConfiguration",
                                             "GetMetricsConfiguration",
                                             "GetMultiRegionAccessPoint",
                                             "GetMultiRegionAccessPointPolicy",
                                             "GetMultiRegionAccessPointPolicyStatus",
                                             "GetObject",
                                             "GetObjectAcl",
                                             "GetObjectAttributes",
                                             "GetObjectLegalHold",
                                             "GetObjectRetention",
                                             "GetObjectTagging",
                                             "GetObjectTorrent",
                                             "GetObjectVersion",
                                             "GetObjectVersionAcl",
                                             "GetObjectVersionAttributes",
                                             "GetObjectVersionForReplication",
                                             "GetObjectVersionTagging",
                                             "GetObjectVersionTorrent",
                                             "GetReplicationConfiguration",
                                             "GetStorageLensConfiguration",
                                             "GetStorageLensConfigurationTagging",
                                             "GetStorageLensDashboard",
                                             "GetStorageLensGroup",
                                             "InitiateReplication",
                                             "ListAccessPoints",
                                             "ListAccessPointsForObjectLambda",
                                             "ListAllMyBuckets",
                                             "ListBucket",
                                             "ListBucketMultipartUploads",
                                             "ListBucketVersions",
                                             "ListJobs",
                                             "ListMultiRegionAccessPoints",
                                             "ListMultipartUploadParts",
                                             "ListStorageLensConfigurations",
                                             "ListStorageLensGroups",
                                             "ListTagsForResource",
                                             "ObjectOwnerOverrideToBucketOwner",
                                             "PutAccelerateConfiguration",
                                             "PutAccessPointConfigurationForObjectLambda",
                                             "PutAccessPointPolicy",
                                             "PutAccessPointPolicyForObjectLambda",
                                             "PutAccessPointPublicAccessBlock",
                                             "PutAccountPublicAccessBlock",
                                             "PutAnalyticsConfiguration",
                                             "PutBucketAcl",
                                             "PutBucketCORS",
                                             "PutBucketLogging",
                                             "PutBucketNotification",
                                             "PutBucketObjectLockConfiguration",
                                             "PutBucketOwnershipControls",
                                             "PutBucketPolicy",
                                             "PutBucketPublicAccessBlock",
                                             "PutBucketRequestPayment",
                                             "PutBucketTagging",
                                             "PutBucketVersioning",
                                             "PutBucketWebsite",
                                             "PutEncryptionConfiguration",
                                             "PutIntelligentTieringConfiguration",
                                             "PutInventoryConfiguration",
                                             "PutJobTagging",
                                             "PutLifecycleConfiguration",
                                             "PutMetricsConfiguration",
                                             "PutMultiRegionAccessPointPolicy",
                                             "PutObject",
                                             "PutObjectAcl",
                                             "PutObjectLegalHold",
                                             "PutObjectRetention",
                                             "PutObjectTagging",
                                             "PutObjectVersionAcl",
                                             "PutObjectVersionTagging",
                                             "PutReplicationConfiguration",
                                             "PutStorageLensConfiguration",
                                             "PutStorageLensConfigurationTagging",
                                             "ReplicateDelete",
                                             "ReplicateObject",
                                             "ReplicateTags",
                                             "RestoreObject",
                                             "SubmitMultiRegionAccessPointRoutes",
                                             "TagResource",
                                             "UntagResource",
                                             "UpdateJobPriority",
                                             "UpdateJobStatus",
                                             "UpdateStorageLensGroup"};
    std::vector<policy::ActionName> out;
    for (const char* n : kNames) out.push_back(policy::ActionName::From(std::string("s3:") + n));
    return out;
  }();
  return actions;
}

AwsError MalformedPolicy(std::string message, std::string detail = {}) {
  AwsError e = AwsError::Client("MalformedPolicy", std::move(message));
  e.detail = std::move(detail);
  return e;
}

// S3's checks on top of the policy grammar: resources inside this bucket, S3 actions, principals that exist.
Status ValidateBucketPolicy(Call& c, const policy::Policy& p) {
  const std::string bucket_arn = c.bucket->Arn();
  for (const auto& st : p.statements) {
    for (const auto& r : st.resources) {
      const std::string_view text = r.text;
      if (text != "*" && text != bucket_arn && !text.starts_with(bucket_arn + "/")) {
        return MalformedPolicy("Policy has invalid resource", "statement " + std::to_string(st.index) + " names " +
                                                                  std::string(text) +
                                                                  ", which is not this bucket or its objects");
      }
    }
    for (const auto& a : st.actions) {
      if (a.any) continue;
      const bool known = a.service_hash == policy::ServiceHash("s3") &&
                         std::any_of(S3Actions().begin(), S3Actions().end(),
                                     [&](const policy::ActionName& n) { return a.Matches(n); });
      if (!known) {
        return MalformedPolicy("Policy has invalid action", "statement " + std::to_string(st.index) +
                                                                " names an action that is not an Amazon S3 action");
      }
    }
    for (const auto& e : st.principal.entries) {
      using Type = policy::PrincipalEntry::Type;
      if (e.type != Type::kUser && e.type != Type::kRole) continue;
      const bool user = e.type == Type::kUser;
      const std::string name = e.value.substr(e.value.rfind('/') + 1);
      auto found = c.s3.db().Get(store::Scope::Account(e.account), user ? "iam-user" : "iam-role", name);
      if (!found) return found.error();
      if (!*found) {
        return MalformedPolicy("Invalid principal in policy", "statement " + std::to_string(st.index) + ": no " +
                                                                  (user ? "user " : "role ") + e.value + " exists");
      }
    }
  }
  return Ok{};
}

Result<HttpResponse> PutBucketPolicy(Call& c) {
  if (auto s = OwnerOnly(c); !s) return s.error();
  const std::string_view text = c.body;
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || text[first] != '{' || !ParseJson(text)) {
    return MalformedPolicy("Policies must be valid JSON and the first byte must be '{'");
  }
  if (text.size() > 20 * 1024) {
    return AwsError::Client("PolicyTooLarge", "Policy exceeds the maximum allowed document size.");
  }
  auto parsed = policy::ParsePolicy(
      text, policy::ParseOptions{.kind = policy::PolicyKind::kResource, .label = "bucket policy", .strict = true});
  if (!parsed) return MalformedPolicy(parsed.error().message, parsed.error().detail);
  if (auto s = ValidateBucketPolicy(c, *parsed); !s) return s.error();
  if (c.bucket->public_access_block && c.bucket->public_access_block->block_public_policy && IsPublicPolicy(*parsed)) {
    AwsError e = AwsError::Client("AccessDenied",
                                  "User: " + c.caller().arn +
                                      " is not authorized to perform: s3:PutBucketPolicy on "
                                      "resource: \"" +
                                      c.bucket->Arn() +
                                      "\" because public policies are blocked by the "
                                      "BlockPublicPolicy block public access setting.",
                                  403);
    e.detail = "the policy grants public access and the bucket's BlockPublicPolicy setting is on";
    c.explanation = e.detail;
    return e;
  }
  c.bucket->policy = std::string(text);
  if (auto s = Save(c); !s) return s.error();
  return EmptyResponse(204);
}

Result<HttpResponse> GetBucketPolicy(Call& c) {
  if (auto s = OwnerOnly(c); !s) return s.error();
  if (c.bucket->policy.empty()) {
    AwsError e = AwsError::Client("NoSuchBucketPolicy", "The bucket policy does not exist", 404);
    e.fields = {{"BucketName", c.bucket->name}};
    return e;
  }
  HttpResponse r = EmptyResponse();
  r.body = c.bucket->policy;
  r.headers.emplace_back("Content-Type", "application/json");
  return r;
}

Result<HttpResponse> DeleteBucketPolicy(Call& c) {
  if (auto s = OwnerOnly(c); !s) return s.error();
  c.bucket->policy.clear();
  if (auto s = Save(c); !s) return s.error();
  return EmptyResponse(204);
}

Result<HttpResponse> GetBucketPolicyStatus(Call& c) {
  if (auto s = Prepare(c); !s) return s.error();
  if (c.bucket->policy.empty()) {
    AwsError e = AwsError::Client("NoSuchBucketPolicy", "The bucket policy does not exist", 404);
    e.fields = {{"BucketName", c.bucket->name}};
    return e;
  }
  auto compiled = c.s3.identities().Compile(c.bucket->policy, policy::PolicyKind::kResource, "bucket policy");
  if (!compiled) return compiled.error();
  XmlWriter x("PolicyStatus");
  x.Bool("IsPublic", IsPublicPolicy(**compiled));
  return XmlResponse(x.Finish());
}

// ---- Block Public Access ----

Result<HttpResponse> PutPublicAccessBlock(Call& c) {
  if (auto s = OwnerOnly(c); !s) return s.error();
  auto doc = ParseXml(c.body, "PublicAccessBlockConfiguration");
  if (!doc) return doc.error();
  const auto root = (*doc)->document_element();
  c.bucket->public_access_block =
      PublicAccessBlock{XmlBool(root, "BlockPublicAcls"), XmlBool(root, "IgnorePublicAcls"),
                        XmlBool(root, "BlockPublicPolicy"), XmlBool(root, "RestrictPublicBuckets")};
  if (auto s = Save(c); !s) return s.error();
  return EmptyResponse();
}

Result<HttpResponse> GetPublicAccessBlock(Call& c) {
  if (auto s = OwnerOnly(c); !s) return s.error();
  if (!c.bucket->public_access_block) {
    AwsError e = AwsError::Client("NoSuchPublicAccessBlockConfiguration",
                                  "The public access block configuration was not found", 404);
    e.fields = {{"BucketName", c.bucket->name}};
    return e;
  }
  const auto& p = *c.bucket->public_access_block;
  XmlWriter x("PublicAccessBlockConfiguration");
  x.Bool("BlockPublicAcls", p.block_public_acls)
      .Bool("IgnorePublicAcls", p.ignore_public_acls)
      .Bool("BlockPublicPolicy", p.block_public_policy)
      .Bool("RestrictPublicBuckets", p.restrict_public_buckets);
  return XmlResponse(x.Finish());
}

Result<HttpResponse> DeletePublicAccessBlock(Call& c) {
  if (auto s = OwnerOnly(c); !s) return s.error();
  c.bucket->public_access_block.reset();
  if (auto s = Save(c); !s) return s.error();
  return EmptyResponse(204);
}

// ---- default encryption ----

Result<HttpResponse> PutBucketEncryption(Call& c) {
  if (auto s = Prepare(c); !s) return s.error();
  auto doc = ParseXml(c.body, "ServerSideEncryptionConfiguration");
  if (!doc) return doc.error();
  const auto rule = (*doc)->document_element().child("Rule");
  const auto by_default = rule.child("ApplyServerSideEncryptionByDefault");
  const std::string algorithm = by_default.child("SSEAlgorithm").text().as_string();
  if (!rule || algorithm.empty()) return MalformedXml();
  if (algorithm != "AES256" && algorithm != "aws:kms" && algorithm != "aws:kms:dsse") {
    return InvalidArgument("The encryption method specified is not supported", "SSEAlgorithm", algorithm);
  }
  c.bucket->sse_algorithm = algorithm;
  c.bucket->kms_key_id = by_default.child("KMSMasterKeyID").text().as_string();
  c.bucket->bucket_key_enabled = XmlBool(rule, "BucketKeyEnabled");
  if (auto s = Save(c); !s) return s.error();
  return EmptyResponse();
}

Result<HttpResponse> GetBucketEncryption(Call& c) {
  if (auto s = Prepare(c); !s) return s.error();
  XmlWriter x("ServerSideEncryptionConfiguration");
  x.Open("Rule").Open("ApplyServerSideEncryptionByDefault").Leaf("SSEAlgorithm", c.bucket->sse_algorithm);
  if (!c.bucket->kms_key_id.empty()) x.Leaf("KMSMasterKeyID", c.bucket->kms_key_id);
  x.Close("ApplyServerSideEncryptionByDefault").Bool("BucketKeyEnabled", c.bucket->bucket_key_enabled).Close("Rule");
  return XmlResponse(x.Finish());
}

// Every bucket keeps SSE-S3 as its base encryption: deleting the configuration returns to it.
Result<HttpResponse> DeleteBucketEncryption(Call& c) {
  if (auto s = Prepare(c); !s) return s.error();
  c.bucket->sse_algorithm = "AES256";
  c.bucket->kms_key_id.clear();
  c.bucket->bucket_key_enabled = false;
  if (auto s = Save(c); !s) return s.error();
  return EmptyResponse(204);
}

// ---- tagging ----

Result<HttpResponse> PutBucketTagging(Call& c) {
  if (auto s = Prepare(c); !s) return s.error();
  auto tags = ParseTaggingXml(c.body, 50);
  if (!tags) return tags.error();
  c.bucket->tags = std::move(*tags);
  if (auto s = Save(c); !s) return s.error();
  return EmptyResponse(204);
}

Result<HttpResponse> GetBucketTagging(Call& c) {
  if (auto s = Prepare(c); !s) return s.error();
  if (!c.bucket->tags) {
    AwsError e = AwsError::Client("NoSuchTagSet", "The TagSet does not exist", 404);
    e.fields = {{"BucketName", c.bucket->name}};
    return e;
  }
  return XmlResponse(TaggingXml(*c.bucket->tags));
}

Result<HttpResponse> DeleteBucketTagging(Call& c) {
  if (auto s = Prepare(c); !s) return s.error();
  c.bucket->tags.reset();
  if (auto s = Save(c); !s) return s.error();
  return EmptyResponse(204);
}

// ---- versioning ----

Result<HttpResponse> PutBucketVersioning(Call& c) {
  if (auto s = Prepare(c); !s) return s.error();
  auto doc = ParseXml(c.body, "VersioningConfiguration");
  if (!doc) return doc.error();
  const std::string status = (*doc)->document_element().child("Status").text().as_string();
  if (status != "Enabled" && status != "Suspended") return MalformedXml();
  c.bucket->versioning = status;
  if (auto s = Save(c); !s) return s.error();
  return EmptyResponse();
}

Result<HttpResponse> GetBucketVersioning(Call& c) {
  if (auto s = Prepare(c); !s) return s.error();
  XmlWriter x("VersioningConfiguration");
  if (!c.bucket->versioning.empty()) x.Leaf("Status", c.bucket->versioning);
  return XmlResponse(x.Finish());
}

// ---- ownership controls and ACLs ----

Result<HttpResponse> PutBucketOwnershipControls(Call& c) {
  if (auto s = OwnerOnly(c); !s) return s.error();
  auto doc = ParseXml(c.body, "OwnershipControls");
  if (!doc) return doc.error();
  const std::string ownership = (*doc)->document_element().child("Rule").child("ObjectOwnership").text().as_string();
  if (ownership != "BucketOwnerEnforced" && ownership != "BucketOwnerPreferred" && ownership != "ObjectWriter") {
    return MalformedXml();
  }
  c.bucket->ownership = ownership;
  if (auto s = Save(c); !s) return s.error();
  return EmptyResponse();
}

Result<HttpResponse> GetBucketOwnershipControls(Call& c) {
  if (auto s = OwnerOnly(c); !s) return s.error();
  if (c.bucket->ownership.empty()) {
    AwsError e =
        AwsError::Client("OwnershipControlsNotFoundError", "The bucket ownership controls were not found", 404);
    e.fields = {{"BucketName", c.bucket->name}};
    return e;
  }
  XmlWriter x("OwnershipControls");
  x.Open("Rule").Leaf("ObjectOwnership", c.bucket->ownership).Close("Rule");
  return XmlResponse(x.Finish());
}

Result<HttpResponse> DeleteBucketOwnershipControls(Call& c) {
  if (auto s = OwnerOnly(c); !s) return s.error();
  c.bucket->ownership.clear();
  if (auto s = Save(c); !s) return s.error();
  return EmptyResponse(204);
}

}  // namespace

std::string CanonicalId(std::string_view account) {
  return auth::Sha256Hex("xacct-canonical-user-" + std::string(account));
}

std::string OwnerAclXml(std::string_view account) {
  XmlWriter x("AccessControlPolicy");
  x.Open("Owner").Leaf("ID", CanonicalId(account)).Leaf("DisplayName", account).Close("Owner");
  x.Open("AccessControlList").Open("Grant");
  x.Open("Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\"");
  x.Leaf("ID", CanonicalId(account)).Leaf("DisplayName", account).Close("Grantee");
  x.Leaf("Permission", "FULL_CONTROL").Close("Grant").Close("AccessControlList");
  return x.Finish();
}

Status CheckAclAllowed(const Bucket& b, const Request& req) {
  const std::string_view acl = req.Header("x-amz-acl");
  bool grants = false;
  for (const char* h : {"x-amz-grant-read", "x-amz-grant-write", "x-amz-grant-read-acp", "x-amz-grant-write-acp",
                        "x-amz-grant-full-control"}) {
    grants |= req.HasHeader(h);
  }
  if (b.ownership != "BucketOwnerEnforced") return Ok{};
  if (grants || (!acl.empty() && acl != "bucket-owner-full-control" && acl != "private")) {
    return AwsError::Client("AccessControlListNotSupported", "The bucket does not allow ACLs");
  }
  return Ok{};
}

namespace {

Result<HttpResponse> GetBucketAcl(Call& c) {
  if (auto s = Prepare(c); !s) return s.error();
  return XmlResponse(OwnerAclXml(c.bucket->owner));
}

// ACLs are disabled under BucketOwnerEnforced; otherwise xacct accepts and ignores them (it keeps no ACLs).
Result<HttpResponse> PutBucketAcl(Call& c) {
  if (auto s = Prepare(c); !s) return s.error();
  if (auto s = CheckAclAllowed(*c.bucket, c.req); !s) return s.error();
  if (c.bucket->ownership == "BucketOwnerEnforced" && !c.body.empty()) {
    return AwsError::Client("AccessControlListNotSupported", "The bucket does not allow ACLs");
  }
  return EmptyResponse();
}

}  // namespace

const std::vector<OperationEntry>& BucketOperations() {
  static const std::vector<OperationEntry> ops{
      {"CreateBucket", CreateBucket},
      {"HeadBucket", HeadBucket},
      {"DeleteBucket", DeleteBucket},
      {"ListBuckets", ListBuckets},
      {"GetBucketLocation", GetBucketLocation},
      {"PutBucketPolicy", PutBucketPolicy},
      {"GetBucketPolicy", GetBucketPolicy},
      {"DeleteBucketPolicy", DeleteBucketPolicy},
      {"GetBucketPolicyStatus", GetBucketPolicyStatus},
      {"PutPublicAccessBlock", PutPublicAccessBlock},
      {"GetPublicAccessBlock", GetPublicAccessBlock},
      {"DeletePublicAccessBlock", DeletePublicAccessBlock},
      {"PutBucketEncryption", PutBucketEncryption},
      {"GetBucketEncryption", GetBucketEncryption},
      {"DeleteBucketEncryption", DeleteBucketEncryption},
      {"PutBucketTagging", PutBucketTagging},
      {"GetBucketTagging", GetBucketTagging},
      {"DeleteBucketTagging", DeleteBucketTagging},
      {"PutBucketVersioning", PutBucketVersioning},
      {"GetBucketVersioning", GetBucketVersioning},
      {"PutBucketOwnershipControls", PutBucketOwnershipControls},
      {"GetBucketOwnershipControls", GetBucketOwnershipControls},
      {"DeleteBucketOwnershipControls", DeleteBucketOwnershipControls},
      {"GetBucketAcl", GetBucketAcl},
      {"PutBucketAcl", PutBucketAcl},
  };
  return ops;
}

}  // namespace xacct::services::s3

// Which (action, resource) checks each S3 operation makes: the Amazon S3 API Reference's "Permissions"
// section of each operation and the Service Authorization Reference ("Actions defined by Amazon S3").
// A request naming a versionId switches to the *Version action where S3 has one. Checks that depend on
// the request body or the object (DeleteObjects key by key, CopyObject's source, PutObject with tags,
// the s3:ListBucket check behind NoSuchKey) are made by the operations themselves with Call::Authorize.
#include "services/s3/s3_permissions.h"
#include "services/s3/s3_internal.h"

namespace xacct::services::s3 {

namespace {

const std::vector<Permission>& Table() {
  static const std::vector<Permission> kTable{
      // buckets
      {"CreateBucket", "s3:CreateBucket", Target::kBucket, ""},
      {"DeleteBucket", "s3:DeleteBucket", Target::kBucket, ""},
      {"HeadBucket", "s3:ListBucket", Target::kBucket, ""},
      {"ListBuckets", "s3:ListAllMyBuckets", Target::kNone, ""},
      {"GetBucketLocation", "s3:GetBucketLocation", Target::kBucket, ""},
      {"ListObjects", "s3:ListBucket", Target::kBucket, ""},
      {"ListObjectsV2", "s3:ListBucket", Target::kBucket, ""},
      {"ListObjectVersions", "s3:ListBucketVersions", Target::kBucket, ""},
      {"ListMultipartUploads", "s3:ListBucketMultipartUploads", Target::kBucket, ""},
      {"PutBucketPolicy", "s3:PutBucketPolicy", Target::kBucket, ""},
      {"GetBucketPolicy", "s3:GetBucketPolicy", Target::kBucket, ""},
      {"DeleteBucketPolicy", "s3:DeleteBucketPolicy", Target::kBucket, ""},
      {"GetBucketPolicyStatus", "s3:GetBucketPolicyStatus", Target::kBucket, ""},
      {"PutPublicAccessBlock", "s3:PutBucketPublicAccessBlock", Target::kBucket, ""},
      {"GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock", Target::kBucket, ""},
      {"DeletePublicAccessBlock", "s3:PutBucketPublicAccessBlock", Target::kBucket, ""},
      {"PutBucketEncryption", "s3:PutEncryptionConfiguration", Target::kBucket, ""},
      {"GetBucketEncryption", "s3:GetEncryptionConfiguration", Target::kBucket, ""},
      {"DeleteBucketEncryption", "s3:PutEncryptionConfiguration", Target::kBucket, ""},
      {"PutBucketTagging", "s3:PutBucketTagging", Target::kBucket, ""},
      {"GetBucketTagging", "s3:GetBucketTagging", Target::kBucket, ""},
      {"DeleteBucketTagging", "s3:PutBucketTagging", Target::kBucket, ""},
      {"PutBucketVersioning", "s3:PutBucketVersioning", Target::kBucket, ""},
      {"GetBucketVersioning", "s3:GetBucketVersioning", Target::kBucket, ""},
      {"PutBucketOwnershipControls", "s3:PutBucketOwnershipControls", Target::kBucket, ""},
      {"GetBucketOwnershipControls", "s3:GetBucketOwnershipControls", Target::kBucket, ""},
      {"DeleteBucketOwnershipControls", "s3:PutBucketOwnershipControls", Target::kBucket, ""},
      {"GetBucketAcl", "s3:GetBucketAcl", Target::kBucket, ""},
      {"PutBucketAcl", "s3:PutBucketAcl", Target::kBucket, ""},
      // objects
      {"PutObject", "s3:PutObject", Target::kObject, ""},
      {"GetObject", "s3:GetObject", Target::kObject, "s3:GetObjectVersion"},
      {"HeadObject", "s3:GetObject", Target::kObject, "s3:GetObjectVersion"},
      {"DeleteObject", "s3:DeleteObject", Target::kObject, "s3:DeleteObjectVersion"},
      {"CopyObject", "s3:PutObject", Target::kObject, ""},
      {"GetObjectAttributes", "s3:GetObject", Target::kObject, "s3:GetObjectVersion"},
      {"PutObjectTagging", "s3:PutObjectTagging", Target::kObject, "s3:PutObjectVersionTagging"},
      {"GetObjectTagging", "s3:GetObjectTagging", Target::kObject, "s3:GetObjectVersionTagging"},
      {"DeleteObjectTagging", "s3:DeleteObjectTagging", Target::kObject, "s3:DeleteObjectVersionTagging"},
      {"GetObjectAcl", "s3:GetObjectAcl", Target::kObject, "s3:GetObjectVersionAcl"},
      {"PutObjectAcl", "s3:PutObjectAcl", Target::kObject, "s3:PutObjectVersionAcl"},
      // multipart uploads
      {"CreateMultipartUpload", "s3:PutObject", Target::kObject, ""},
      {"UploadPart", "s3:PutObject", Target::kObject, ""},
      {"UploadPartCopy", "s3:PutObject", Target::kObject, ""},
      {"CompleteMultipartUpload", "s3:PutObject", Target::kObject, ""},
      {"AbortMultipartUpload", "s3:AbortMultipartUpload", Target::kObject, ""},
      {"ListParts", "s3:ListMultipartUploadParts", Target::kObject, ""},
  };
  return kTable;
}

}  // namespace

const Permission* PermissionOf(std::string_view operation) {
  for (const auto& p : Table()) {
    if (p.operation == operation) return &p;
  }
  return nullptr;
}

std::string_view ActionFor(const Permission& p, bool has_version_id) {
  return has_version_id && !p.version_action.empty() ? p.version_action : p.action;
}

Status AuthorizeOperation(Call& c, std::vector<std::pair<std::string, std::string>> context) {
  const Permission* p = PermissionOf(c.operation);
  if (p == nullptr) return AwsError::Server("InternalError", "no permission entry for " + c.operation);
  std::string resource = "*";
  if (p->target == Target::kBucket) resource = "arn:aws:s3:::" + c.req.bucket;
  if (p->target == Target::kObject) resource = "arn:aws:s3:::" + c.req.bucket + "/" + c.req.key;
  return c.Authorize(ActionFor(*p, c.req.OptParam("versionId").has_value()), resource, std::move(context));
}

}  // namespace xacct::services::s3

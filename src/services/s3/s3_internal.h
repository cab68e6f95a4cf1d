// What the S3 operation files share: the parsed request, the bucket record, the call being served, XML
// helpers and the authorization helper. Not part of the service's public face (s3.h).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/checksum.h"
#include "common/json.h"
#include "services/s3/s3.h"
#include "store/object_index.h"

namespace pugi {
class xml_node;
class xml_document;
}  // namespace pugi

namespace xacct::services::s3 {

inline constexpr std::string_view kXmlns = "http://s3.amazonaws.com/doc/2006-03-01/";

//! A request's addressing: bucket and key (decoded), query parameters (decoded, in order).
struct Request {
  std::string method;
  std::string bucket;
  std::string key;
  bool virtual_host = false;
  std::vector<std::pair<std::string, std::string>> query;
  const server::HttpRequest* http = nullptr;

  bool Has(std::string_view name) const;
  std::string Param(std::string_view name) const;
  std::optional<std::string> OptParam(std::string_view name) const;
  std::string_view Header(std::string_view name) const;
  bool HasHeader(std::string_view name) const;
};

//! Splits the head into bucket, key and query (path style, or virtual-hosted style from the Host header).
Result<Request> ParseRequest(const server::HttpRequest& http);
//! The S3 operation a request names (method, key or not, subresource, copy-source header), or
//! NotImplemented naming the operation or subresource xacct does not serve.
Result<std::string> ResolveOperation(const Request& r);

//! The four Block Public Access settings, in S3's order.
struct PublicAccessBlock {
  bool block_public_acls = true;
  bool ignore_public_acls = true;
  bool block_public_policy = true;
  bool restrict_public_buckets = true;
};

//! A bucket's record: global scope, kind "s3-bucket", id the bucket name (names are global across accounts).
struct Bucket {
  std::string name;
  std::string owner;  //!< account id
  std::string region;
  int64_t created_ms = 0;
  std::string versioning;  //!< "", "Enabled", "Suspended"
  std::string policy;      //!< JSON text; empty when none
  std::optional<PublicAccessBlock> public_access_block;
  std::string ownership = "BucketOwnerEnforced";  //!< empty: no ownership controls
  std::string sse_algorithm = "AES256";
  std::string kms_key_id;
  bool bucket_key_enabled = false;
  std::optional<std::vector<std::pair<std::string, std::string>>> tags;

  json::object ToJson() const;
  static Bucket FromJson(const json::object& o);
  std::string Arn() const { return "arn:aws:s3:::" + name; }
  std::string ObjectArn(std::string_view key) const { return "arn:aws:s3:::" + name + "/" + std::string(key); }
};

inline constexpr std::string_view kBucketKind = "s3-bucket";
inline constexpr std::string_view kUploadKind = "s3-upload";
inline constexpr std::string_view kPartKind = "s3-part";

Result<std::optional<Bucket>> LoadBucket(store::Database& db, std::string_view name);
Status SaveBucket(store::Transaction& tx, const Bucket& b);

//! An upload's body after it was streamed to a committed blob.
struct UploadedBody {
  std::string blob_id;  //!< empty for an empty body
  uint64_t size = 0;
  std::string md5_hex;
  //! Checksums computed over the bytes: the one the client named (header or trailer) and CRC64NVME.
  std::map<auth::ChecksumAlgorithm, std::string> checksums;
  std::optional<auth::ChecksumAlgorithm> client_algorithm;  //!< the algorithm the client sent or asked for
};

//! One S3 request being served.
struct Call {
  S3Service& s3;
  const Request& req;
  const Authenticated& who;
  authz::RequestInfo& info;
  std::string operation;
  std::optional<Bucket> bucket;  //!< loaded for every operation on a bucket
  std::string body;              //!< the body of a non-upload request
  std::optional<UploadedBody> upload;
  std::string explanation;  //!< the last authorization decision, in xacct's words
  //! Headers an error answer carries (x-amz-delete-marker on a GET of a deleted key).
  std::vector<std::pair<std::string, std::string>> error_headers;

  const identity::Principal& caller() const { return who.principal; }
  //! Authorizes (action, resource) against the caller's policies and the bucket's: across accounts both
  //! must allow. `context` adds request keys (s3:prefix, s3:ExistingObjectTag/..., ...).
  Status Authorize(std::string_view action, const std::string& resource,
                   std::vector<std::pair<std::string, std::string>> context = {});
  //! True when Authorize would allow (no error, nothing recorded as the answer).
  bool Allowed(std::string_view action, const std::string& resource);
  //! Authorize against another bucket's policy and owner (CopyObject's source).
  Status AuthorizeIn(const Bucket* in, std::string_view action, const std::string& resource,
                     std::vector<std::pair<std::string, std::string>> context = {});
  Status RequireBucket();  //!< NoSuchBucket unless `bucket` is loaded
};

//! The ACL every bucket and object answers (the owner has FULL_CONTROL), and whether a request's ACL
//! headers are allowed under the bucket's object ownership (AccessControlListNotSupported).
std::string OwnerAclXml(std::string_view account);
Status CheckAclAllowed(const Bucket& b, const Request& req);
//! The canonical user id xacct gives an account.
std::string CanonicalId(std::string_view account);

using Handler = Result<server::HttpResponse> (*)(Call&);

//! Operation files register their handlers here.
struct OperationEntry {
  std::string_view name;
  Handler handler;
};
const std::vector<OperationEntry>& BucketOperations();
const std::vector<OperationEntry>& ObjectOperations();
const std::vector<OperationEntry>& MultipartOperations();
const std::vector<OperationEntry>& ListOperations();
//! The first check of an upload (PutObject, UploadPart), made before its body is read.
Status PreauthorizeUpload(Call& c);

// ---- XML ----

//! Builds an XML document as text: elements opened and closed in order, text escaped.
class XmlWriter {
 public:
  explicit XmlWriter(std::string_view root, bool with_namespace = true);
  XmlWriter& Open(std::string_view name);
  XmlWriter& Close(std::string_view name);
  XmlWriter& Leaf(std::string_view name, std::string_view text);
  XmlWriter& Leaf(std::string_view name, uint64_t n) { return Leaf(name, std::to_string(n)); }
  XmlWriter& Bool(std::string_view name, bool b) { return Leaf(name, b ? "true" : "false"); }
  std::string Finish();

 private:
  std::string root_;
  std::string out_;
};
std::string XmlEscape(std::string_view s);

//! Parses a request body as XML; MalformedXML when it is not well-formed or its root is not `root`.
Result<std::shared_ptr<pugi::xml_document>> ParseXml(std::string_view body, std::string_view root);

// ---- responses and errors ----

server::HttpResponse XmlResponse(std::string body, int status = 200);
server::HttpResponse EmptyResponse(int status = 200);
AwsError NoSuchBucket(std::string_view bucket);
AwsError NoSuchKey(std::string_view key);
AwsError MalformedXml();
AwsError InvalidArgument(std::string message, std::string name = {}, std::string value = {});
AwsError InvalidRequest(std::string message);

// ---- time ----

int64_t NowMs();
//! "2024-01-01T00:00:00.000Z"
std::string IsoMs(int64_t ms);
//! "Mon, 01 Jan 2024 00:00:00 GMT"
std::string HttpDate(int64_t ms);

//! The object's stored metadata (the JSON `meta` of its version).
json::object MetaOf(const store::ObjectVersion& v);
//! Headers GET and HEAD answer for an object.
void AddObjectHeaders(const Call& c, const store::ObjectVersion& v, const json::object& meta, server::HttpResponse& r);
//! Base64 of raw bytes, and hex to raw bytes.
std::string Base64(std::string_view bytes);
std::string HexToBytes(std::string_view hex);
//! Decodes base64; "" when `in` is not base64.
std::string Unbase64(std::string_view in);
//! Parses a tag set "k1=v1&k2=v2" (x-amz-tagging) or an XML <Tagging>; InvalidTag on bad input.
Result<std::vector<std::pair<std::string, std::string>>> ParseTagHeader(std::string_view header);
Result<std::vector<std::pair<std::string, std::string>>> ParseTaggingXml(std::string_view body, size_t max_tags = 10);
std::string TaggingXml(const std::vector<std::pair<std::string, std::string>>& tags);

}  // namespace xacct::services::s3

// Pieces the object and multipart operations share: stored metadata, checksums, conditions, ranges,
// finding a readable version (with S3's 404-or-403 rule), writing and deleting versions.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "services/s3/s3_internal.h"

namespace xacct::services::s3 {

json::object MetaFromRequest(const Request& req);
//! Records the upload's checksums in meta["cs"] (S3 names: CRC32, CRC32C, CRC64NVME, SHA1, SHA256).
void AddChecksums(const UploadedBody& up, json::object& meta);
void AddChecksumHeaders(const json::object& meta, server::HttpResponse& r);
json::array TagsJson(const std::vector<std::pair<std::string, std::string>>& tags);
std::vector<std::pair<std::string, std::string>> TagsOf(const json::object& meta);

//! A new version id (S3's are opaque, URL-safe, 32 characters).
std::string NewVersionId();
std::optional<AwsError> InvalidObjectKey(std::string_view key);

//! Adds `v` as the key's current version (version id from the bucket's versioning state), honouring
//! If-None-Match/If-Match when `conditional`; removes released blobs after the commit.
Result<store::ObjectVersion> StoreVersion(Call& c, store::ObjectVersion v, bool conditional);
//! Headers of a write's answer: version id, SSE, the checksum the client named.
void AddWriteHeaders(const Call& c, const store::ObjectVersion& v, const json::object& meta, server::HttpResponse& r);

//! The version a request names (versionId or latest), authorized with the operation's table entry (with
//! s3:ExistingObjectTag/*); NoSuchKey (404) only for callers allowed s3:ListBucket, else AccessDenied.
Result<store::ObjectVersion> FindReadable(Call& c, std::vector<std::pair<std::string, std::string>> context = {});

struct ConditionResult {
  int status = 0;  //!< 0: proceed; 304 or 412
  std::string condition;
};
ConditionResult CheckConditions(const Request& req, const store::ObjectVersion& v, const char* if_match,
                                const char* if_none_match, const char* if_modified_since,
                                const char* if_unmodified_since);
//! A "bytes=" range as [first, last]; nullopt to serve the whole object; InvalidRange (416) when unsatisfiable.
Result<std::optional<std::pair<uint64_t, uint64_t>>> ParseRange(std::string_view header, uint64_t size);

struct DeleteOutcome {
  std::string version_id;      //!< the version removed or the delete marker's
  bool delete_marker = false;  //!< a marker was created, or the version removed was one
};
Result<DeleteOutcome> DeleteOne(Call& c, const std::string& key, const std::optional<std::string>& version_id);

struct CopySource {
  Bucket bucket;
  store::ObjectVersion version;
};
//! Reads x-amz-copy-source, authorizes s3:GetObject(Version) on it and applies the copy conditions.
Result<CopySource> LoadCopySource(Call& c, const char* if_match, const char* if_none_match,
                                  const char* if_modified_since, const char* if_unmodified_since);
//! A durable copy of a blob (empty id for an empty object), optionally of a byte range.
//! With `md5_raw`, also the MD5 of the bytes copied.
Result<std::string> CopyBlob(store::BlobStore& blobs, const std::string& blob_id, uint64_t offset = 0,
                             uint64_t length = UINT64_MAX, std::string* md5_raw = nullptr);
//! Raw MD5 of `bytes`.
std::string Md5Raw(std::string_view bytes);
std::string HexOf(std::string_view raw);

//! The multipart upload the request's uploadId names (NoSuchUpload otherwise).
Result<json::object> FindUpload(Call& c);

}  // namespace xacct::services::s3

// What another service may do with S3 objects on a caller's behalf (Athena reading a table's files and
// writing query results): the small internal client STYLE.md asks for, so that no service reaches into S3's
// internals. Every call is authorized exactly as the S3 operation it stands for (ListObjectsV2, GetObject,
// PutObject), as the caller, with the bucket's policy; the caller's RequestInfo carries aws:CalledVia.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "services/s3/s3.h"

namespace xacct::services::s3 {

//! One object's current version, with the path of its bytes (read in place, never written).
struct ObjectInfo {
  std::string bucket;
  std::string key;
  uint64_t size = 0;
  std::string etag;
  int64_t last_modified_ms = 0;
  std::string path;  //!< empty for an empty object
  std::string version_id;
};

class ObjectClient {
 public:
  explicit ObjectClient(S3Service& s3) : s3_(s3) {}

  //! Every object under `prefix` (s3:ListBucket with s3:prefix on the bucket), in key order.
  Result<std::vector<ObjectInfo>> List(const identity::Principal& caller, authz::RequestInfo& info,
                                       std::string_view bucket, std::string_view prefix,
                                       std::string* explanation = nullptr);
  //! One object (s3:GetObject on it); NoSuchKey only for a caller allowed to list, as GetObject answers.
  Result<ObjectInfo> Get(const identity::Principal& caller, authz::RequestInfo& info, std::string_view bucket,
                         std::string_view key, std::string* explanation = nullptr);
  //! Stores the file's bytes as bucket/key (s3:PutObject on it), durably, as PutObject would. With `move`
  //! the file itself becomes the object's blob (renamed into the blob store, no copy; it is gone afterwards)
  //! when it lies on the store's file system (BlobStore::temp_dir() does); it is copied otherwise.
  Result<ObjectInfo> PutFile(const identity::Principal& caller, authz::RequestInfo& info, std::string_view bucket,
                             std::string_view key, const std::filesystem::path& file, std::string_view content_type,
                             std::string* explanation = nullptr, bool move = false);
  //! Removes a version this client stored (a write a failed query leaves behind: Athena would leave it,
  //! xacct cleans up). Internal housekeeping, not an S3 call: nothing is authorized.
  Status Discard(const ObjectInfo& object);

 private:
  S3Service& s3_;
};

}  // namespace xacct::services::s3

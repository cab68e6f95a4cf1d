// The S3 object index: every version of every object, ordered the way S3 lists them (Amazon S3 API
// Reference: ListObjectsV2, ListObjects, ListObjectVersions; User Guide "Retaining multiple versions of
// objects with S3 Versioning"). Keys are byte strings compared bytewise (S3 lists keys in UTF-8 binary
// order) and are never used as file names: a version's bytes live in the blob its row names.
//
// Lives in the metadata database (its own table, created by a schema migration) so that an object's row,
// its blob reference and the bucket's other state commit in one transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "store/database.h"

namespace xacct::store {

//! One version of one object (or a delete marker).
struct ObjectVersion {
  std::string bucket;
  std::string key;             //!< bytes, any value (NUL included)
  std::string version_id;      //!< "null" for the version written while versioning was off or suspended
  int64_t seq = 0;             //!< assigned by Put: larger is newer, unique within the database
  bool latest = false;         //!< the current version of its key
  bool delete_marker = false;  //!< no bytes, no blob
  uint64_t size = 0;
  std::string etag;              //!< with its quotes, as S3 sends it
  int64_t last_modified_ms = 0;  //!< epoch milliseconds
  std::string blob_id;           //!< empty for delete markers and empty objects
  std::string meta;  //!< JSON text owned by the S3 service (content type, user metadata, checksums, tags ...)
};

//! One page of a listing.
struct ObjectListing {
  std::vector<ObjectVersion> entries;        //!< in key order (versions: key order, newest first within a key)
  std::vector<std::string> common_prefixes;  //!< in order, each once
  bool truncated = false;
  //! When truncated: the last key (or common prefix) returned — the next page starts after it.
  std::string next_marker;
  std::string next_version_id_marker;  //!< ListVersions only: the version id of the last entry returned
};

struct ListOptions {
  std::string prefix;
  std::string delimiter;  //!< empty: no grouping
  //! Start strictly after this key (ListObjects marker, V2 start-after or continuation token). When it is a
  //! common prefix returned earlier (ends with the delimiter), every key under it is skipped too.
  std::string start_after;
  //! ListVersions: with start_after, resume after this version of start_after (empty: after all its versions).
  std::string version_id_marker;
  int max_keys = 1000;  //!< entries + common prefixes per page; 0 answers an empty, untruncated page
};

//! What replacing or deleting a version released: blob ids to remove from the blob store after the commit.
struct Released {
  std::vector<std::string> blob_ids;
};

//! Reads go through the Database (each its own snapshot); writes take the caller's Transaction so that they
//! commit with the rest of an operation.
class ObjectIndex {
 public:
  //! The current version of `key` (which may be a delete marker), if any.
  static Result<std::optional<ObjectVersion>> Latest(Database& db, std::string_view bucket, std::string_view key);
  //! A given version; `version_id` "null" names the null version.
  static Result<std::optional<ObjectVersion>> Version(Database& db, std::string_view bucket, std::string_view key,
                                                      std::string_view version_id);
  //! Current versions that are not delete markers (ListObjects, ListObjectsV2).
  static Result<ObjectListing> List(Database& db, std::string_view bucket, const ListOptions& options);
  //! Every version and delete marker (ListObjectVersions).
  static Result<ObjectListing> ListVersions(Database& db, std::string_view bucket, const ListOptions& options);
  //! True when the bucket holds any version or delete marker (DeleteBucket answers BucketNotEmpty).
  static Result<bool> AnyVersion(Database& db, std::string_view bucket);

  //! Adds `v` as the new current version of its key (v.latest and v.seq are set here). An existing version
  //! with the same version_id (the "null" version) is replaced, and its blob released. Records v.blob_id in
  //! blob_refs. Returns the stored version and what was released.
  static Result<std::pair<ObjectVersion, Released>> Put(Transaction& tx, ObjectVersion v);
  //! Removes one version; when it was the latest, the next newest becomes latest. Releases its blob.
  static Result<Released> Remove(Transaction& tx, std::string_view bucket, std::string_view key,
                                 std::string_view version_id);
  //! Replaces the meta JSON of one version (tagging), leaving everything else as it is.
  static Status UpdateMeta(Transaction& tx, std::string_view bucket, std::string_view key, std::string_view version_id,
                           std::string_view meta);
  //! The same reads inside a transaction (read-modify-write).
  static Result<std::optional<ObjectVersion>> Latest(Transaction& tx, std::string_view bucket, std::string_view key);
  static Result<std::optional<ObjectVersion>> Version(Transaction& tx, std::string_view bucket, std::string_view key,
                                                      std::string_view version_id);

 private:
  struct Impl;  // the queries, run with the database's lock held (object_index.cpp)
};

}  // namespace xacct::store

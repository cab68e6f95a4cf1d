// The S3 object index over the s3_objects table (schema: migration 3 in store/database.cpp).
//
// Listing follows the Amazon S3 API Reference (ListObjectsV2, ListObjects, ListObjectVersions): keys in
// UTF-8 binary order, the keys that share prefix + "...delimiter" rolled up into one common prefix,
// max-keys counting entries and common prefixes alike. A rolled-up group is never scanned: after returning
// common prefix P the scan seeks to the first key past every key starting with P, so a page costs one
// index seek per common prefix plus one step per entry, however many keys the prefixes hold.
#include "store/object_index.h"

#include <sqlite3.h>

#include <algorithm>
#include <mutex>

namespace xacct::store {

namespace {

// blob_refs rows of object versions: kind "s3-object", id "<bucket>/<seq>" (seq is the row's key).
constexpr std::string_view kBlobRefKind = "s3-object";
std::string BlobRefId(std::string_view bucket, int64_t seq) { return std::string(bucket) + "/" + std::to_string(seq); }

// Every row query selects these columns in this order (RowOf).
#define XACCT_OBJECT_COLUMNS "seq, key, version_id, latest, delete_marker, size, etag, last_modified_ms, blob_id, meta"
constexpr const char* kLatestSql = "SELECT " XACCT_OBJECT_COLUMNS
                                   " FROM s3_objects INDEXED BY s3_objects_history"
                                   " WHERE bucket = ?1 AND key = ?2 ORDER BY seq DESC LIMIT 1";
constexpr const char* kVersionSql = "SELECT " XACCT_OBJECT_COLUMNS
                                    " FROM s3_objects INDEXED BY s3_objects_version"
                                    " WHERE bucket = ?1 AND key = ?2 AND version_id = ?3";
constexpr const char* kListSql = "SELECT " XACCT_OBJECT_COLUMNS
                                 " FROM s3_objects INDEXED BY s3_objects_current"
                                 " WHERE bucket = ?1 AND key >= ?2 AND latest = 1 AND delete_marker = 0 ORDER BY key";
constexpr const char* kVersionsSql = "SELECT " XACCT_OBJECT_COLUMNS
                                     " FROM s3_objects INDEXED BY s3_objects_history"
                                     " WHERE bucket = ?1 AND key >= ?2 ORDER BY key, seq DESC";
constexpr const char* kOlderVersionsSql = "SELECT " XACCT_OBJECT_COLUMNS
                                          " FROM s3_objects INDEXED BY s3_objects_history"
                                          " WHERE bucket = ?1 AND key = ?2 AND seq < ?3 ORDER BY seq DESC";
#undef XACCT_OBJECT_COLUMNS

ObjectVersion RowOf(const detail::Statement& q, std::string_view bucket) {
  ObjectVersion v;
  v.bucket = std::string(bucket);
  v.seq = q.Int(0);
  v.key = q.Column(1);
  v.version_id = q.Column(2);
  v.latest = q.Int(3) != 0;
  v.delete_marker = q.Int(4) != 0;
  v.size = static_cast<uint64_t>(q.Int(5));
  v.etag = q.Column(6);
  v.last_modified_ms = q.Int(7);
  v.blob_id = q.Column(8);
  v.meta = q.Column(9);
  return v;
}

// The smallest byte string greater than every string starting with `p`: `p` without its trailing 0xFF
// bytes, last byte plus one. nullopt when there is none (`p` empty or all 0xFF).
std::optional<std::string> PrefixEnd(std::string_view p) {
  std::string end(p);
  while (!end.empty() && static_cast<unsigned char>(end.back()) == 0xFF) end.pop_back();
  if (end.empty()) return std::nullopt;
  end.back() = static_cast<char>(static_cast<unsigned char>(end.back()) + 1);
  return end;
}

// The immediate successor of `s` in bytewise order: `key >= Successor(s)` is `key > s`.
std::string Successor(std::string_view s) { return std::string(s) + '\0'; }

// Builds one page of a listing from the rows of a scan in listing order.
class Pager {
 public:
  enum class Next {
    kTake,  // the row is an entry of the page: call Take with it
    kSeek,  // the row rolled up into a common prefix: continue the scan at the key Visit wrote
    kStop,  // nothing more for this page: past the prefix, or the page is full and more remains
  };

  Pager(const ListOptions& o, bool versions) : o_(o), versions_(versions) {
    out_.entries.reserve(static_cast<size_t>(std::clamp(o.max_keys, 0, 1000)));
  }

  // The common prefix `key` rolls up into, if any.
  std::optional<std::string_view> RollUp(std::string_view key) const {
    if (o_.delimiter.empty() || !key.starts_with(o_.prefix)) return std::nullopt;
    const size_t at = key.find(o_.delimiter, o_.prefix.size());
    if (at == std::string_view::npos) return std::nullopt;
    return key.substr(0, at + o_.delimiter.size());
  }

  // True when start_after is a common prefix (returned on an earlier page): its whole group is skipped.
  bool StartsAfterGroup() const {
    const auto group = RollUp(o_.start_after);
    return group && *group == o_.start_after;
  }

  // The first key the page may show, or nullopt when no key can follow start_after.
  std::optional<std::string> Start() const {
    if (o_.start_after.empty()) return o_.prefix;
    std::optional<std::string> after = StartsAfterGroup() ? PrefixEnd(o_.start_after) : Successor(o_.start_after);
    if (!after) return std::nullopt;
    return std::max(o_.prefix, *after);
  }

  Next Visit(std::string_view key, std::string* seek) {
    if (!key.starts_with(o_.prefix)) return Next::kStop;
    if (count_ >= o_.max_keys) {
      out_.truncated = true;
      return Next::kStop;
    }
    const auto group = RollUp(key);
    if (!group) return Next::kTake;
    out_.common_prefixes.emplace_back(*group);
    ++count_;
    marker_ = *group;
    version_marker_.clear();
    auto end = PrefixEnd(*group);
    if (!end) return Next::kStop;  // nothing sorts after the group
    *seek = std::move(*end);
    return Next::kSeek;
  }

  void Take(ObjectVersion v) {
    ++count_;
    marker_ = v.key;
    version_marker_ = v.version_id;
    out_.entries.push_back(std::move(v));
  }

  ObjectListing Finish() && {
    if (out_.truncated) {
      out_.next_marker = std::move(marker_);
      if (versions_) out_.next_version_id_marker = std::move(version_marker_);
    }
    return std::move(out_);
  }

 private:
  const ListOptions& o_;
  const bool versions_;
  ObjectListing out_;
  int count_ = 0;
  std::string marker_;
  std::string version_marker_;
};

}  // namespace

// The queries, each run with the database's lock held.
struct ObjectIndex::Impl {
  static Result<std::optional<ObjectVersion>> Latest(Database& db, std::string_view bucket, std::string_view key) {
    auto q = db.Prepare(kLatestSql);
    if (!q.ok()) return db.Error("prepare latest object");
    q.Bind(1, bucket);
    q.BindBlob(2, key);
    return One(db, q, bucket);
  }

  static Result<std::optional<ObjectVersion>> Version(Database& db, std::string_view bucket, std::string_view key,
                                                      std::string_view version_id) {
    auto q = db.Prepare(kVersionSql);
    if (!q.ok()) return db.Error("prepare object version");
    q.Bind(1, bucket);
    q.BindBlob(2, key);
    q.Bind(3, version_id);
    return One(db, q, bucket);
  }

  static Result<std::optional<ObjectVersion>> One(Database& db, detail::Statement& q, std::string_view bucket) {
    const int rc = q.Step();
    if (rc == SQLITE_DONE) return std::optional<ObjectVersion>();
    if (rc != SQLITE_ROW) return db.Error("read object");
    return std::optional<ObjectVersion>(RowOf(q, bucket));
  }

  // Feeds the rows of `q` to the pager until it stops (returns nullopt) or sends the scan on to a key past
  // a common prefix (returns that key).
  static Result<std::optional<std::string>> Scan(Database& db, detail::Statement& q, std::string_view bucket,
                                                 Pager& pager) {
    std::string seek;
    while (true) {
      const int rc = q.Step();
      if (rc == SQLITE_DONE) return std::optional<std::string>();
      if (rc != SQLITE_ROW) return db.Error("list objects");
      switch (pager.Visit(q.View(1), &seek)) {
        case Pager::Next::kTake:
          pager.Take(RowOf(q, bucket));
          break;
        case Pager::Next::kSeek:
          return std::optional<std::string>(std::move(seek));
        case Pager::Next::kStop:
          return std::optional<std::string>();
      }
    }
  }

  // Scans `q` (parameter 2: the lower bound of key) from `lower`, seeking past each common prefix.
  static Status ScanFrom(Database& db, detail::Statement& q, std::string_view bucket, std::string lower, Pager& pager) {
    while (true) {
      q.Reset();
      q.BindBlob(2, lower);
      auto next = Scan(db, q, bucket, pager);
      if (!next) return next.error();
      if (!*next) return Ok{};
      lower = std::move(**next);
    }
  }

  // A listing's statements read one snapshot, and take SQLite's read lock once rather than once a seek.
  class Snapshot {
   public:
    explicit Snapshot(Database& db) : db_(db), open_(db.Run("BEGIN").ok()) {}
    ~Snapshot() {
      if (open_) (void)db_.Run("COMMIT");
    }
    Snapshot(const Snapshot&) = delete;
    Snapshot& operator=(const Snapshot&) = delete;

   private:
    Database& db_;
    bool open_;
  };

  static Result<ObjectListing> List(Database& db, std::string_view bucket, const ListOptions& options) {
    Pager pager(options, /*versions=*/false);
    auto lower = pager.Start();
    if (options.max_keys <= 0 || !lower) return std::move(pager).Finish();
    std::lock_guard lock(db.mu_);
    Snapshot snapshot(db);
    auto q = db.Prepare(kListSql);
    if (!q.ok()) return db.Error("prepare list objects");
    q.Bind(1, bucket);
    if (auto s = ScanFrom(db, q, bucket, std::move(*lower), pager); !s) return s.error();
    return std::move(pager).Finish();
  }

  static Result<ObjectListing> ListVersions(Database& db, std::string_view bucket, const ListOptions& options) {
    Pager pager(options, /*versions=*/true);
    auto lower = pager.Start();
    if (options.max_keys <= 0 || !lower) return std::move(pager).Finish();
    std::lock_guard lock(db.mu_);
    Snapshot snapshot(db);
    // Resuming within a key: first its versions older than version_id_marker. (A marker version deleted
    // since the last page resumes after all of the key's versions.)
    const std::string_view after = options.start_after;
    if (!after.empty() && !options.version_id_marker.empty() && after.starts_with(options.prefix) &&
        !pager.StartsAfterGroup()) {
      auto marker = Version(db, bucket, after, options.version_id_marker);
      if (!marker) return marker.error();
      if (*marker) {
        auto q = db.Prepare(kOlderVersionsSql);
        if (!q.ok()) return db.Error("prepare list object versions");
        q.Bind(1, bucket);
        q.BindBlob(2, after);
        q.BindInt(3, (*marker)->seq);
        auto next = Scan(db, q, bucket, pager);
        if (!next) return next.error();
        if (*next) lower = std::max(*lower, **next);  // the key rolled up: skip the rest of its group
      }
    }
    auto q = db.Prepare(kVersionsSql);
    if (!q.ok()) return db.Error("prepare list object versions");
    q.Bind(1, bucket);
    if (auto s = ScanFrom(db, q, bucket, std::move(*lower), pager); !s) return s.error();
    return std::move(pager).Finish();
  }

  static Status Exec(Database& db, const char* sql, std::string_view bucket, std::string_view key, int64_t seq) {
    auto q = db.Prepare(sql);
    if (!q.ok()) return db.Error("prepare object update");
    q.Bind(1, bucket);
    q.BindBlob(2, key);
    q.BindInt(3, seq);
    if (q.Step() != SQLITE_DONE) return db.Error("update object");
    return Ok{};
  }

  static Result<std::pair<ObjectVersion, Released>> Put(Transaction& tx, ObjectVersion v) {
    Database& db = *tx.db_;
    auto latest = Latest(db, v.bucket, v.key);
    if (!latest) return latest.error();
    std::optional<ObjectVersion> same;
    if (*latest && (*latest)->version_id == v.version_id) {
      same = *latest;
    } else {
      auto found = Version(db, v.bucket, v.key, v.version_id);
      if (!found) return found.error();
      same = std::move(*found);
    }
    Released released;
    const bool keeps_blob = same && !v.blob_id.empty() && same->blob_id == v.blob_id;
    if (same) {
      if (auto s = Exec(db, "DELETE FROM s3_objects WHERE bucket = ?1 AND key = ?2 AND seq = ?3", v.bucket, v.key,
                        same->seq);
          !s)
        return s.error();
      if (!same->blob_id.empty() && !keeps_blob) {
        if (auto s = tx.RemoveBlobRef(same->blob_id); !s) return s.error();
        released.blob_ids.push_back(same->blob_id);
      }
    }
    if (*latest && (!same || same->seq != (*latest)->seq)) {
      if (auto s = Exec(db, "UPDATE s3_objects SET latest = 0 WHERE bucket = ?1 AND key = ?2 AND seq = ?3", v.bucket,
                        v.key, (*latest)->seq);
          !s)
        return s.error();
    }
    // A blob belongs to one version: two rows naming it would release it while the other still reads it.
    if (!v.blob_id.empty() && !keeps_blob) {
      auto referenced = db.BlobReferencedLocked(v.blob_id);
      if (!referenced) return referenced.error();
      if (*referenced) {
        return AwsError::Server("InternalFailure",
                                "object index: blob " + v.blob_id + " already belongs to a document");
      }
    }
    auto q = db.Prepare(
        "INSERT INTO s3_objects (bucket, key, version_id, latest, delete_marker, size, etag, last_modified_ms,"
        " blob_id, meta) VALUES (?1, ?2, ?3, 1, ?4, ?5, ?6, ?7, ?8, ?9)");
    if (!q.ok()) return db.Error("prepare put object");
    q.Bind(1, v.bucket);
    q.BindBlob(2, v.key);
    q.Bind(3, v.version_id);
    q.BindInt(4, v.delete_marker ? 1 : 0);
    q.BindInt(5, static_cast<int64_t>(v.size));
    q.Bind(6, v.etag);
    q.BindInt(7, v.last_modified_ms);
    q.Bind(8, v.blob_id);
    q.Bind(9, v.meta);
    if (q.Step() != SQLITE_DONE) return db.Error("put object");
    v.seq = sqlite3_last_insert_rowid(db.db_);
    v.latest = true;
    if (!v.blob_id.empty()) {
      if (auto s = tx.AddBlobRef(v.blob_id, Scope::Global(), kBlobRefKind, BlobRefId(v.bucket, v.seq)); !s)
        return s.error();
    }
    return std::make_pair(std::move(v), std::move(released));
  }

  static Result<Released> Remove(Transaction& tx, std::string_view bucket, std::string_view key,
                                 std::string_view version_id) {
    Database& db = *tx.db_;
    auto victim = Version(db, bucket, key, version_id);
    if (!victim) return victim.error();
    Released released;
    if (!*victim) return released;
    const ObjectVersion& v = **victim;
    if (auto s = Exec(db, "DELETE FROM s3_objects WHERE bucket = ?1 AND key = ?2 AND seq = ?3", bucket, key, v.seq); !s)
      return s.error();
    if (!v.blob_id.empty()) {
      if (auto s = tx.RemoveBlobRef(v.blob_id); !s) return s.error();
      released.blob_ids.push_back(v.blob_id);
    }
    if (v.latest) {
      auto next = Latest(db, bucket, key);
      if (!next) return next.error();
      if (*next) {
        if (auto s = Exec(db, "UPDATE s3_objects SET latest = 1 WHERE bucket = ?1 AND key = ?2 AND seq = ?3", bucket,
                          key, (*next)->seq);
            !s)
          return s.error();
      }
    }
    return released;
  }

  static Status UpdateMeta(Transaction& tx, std::string_view bucket, std::string_view key, std::string_view version_id,
                           std::string_view meta) {
    Database& db = *tx.db_;
    auto q = db.Prepare("UPDATE s3_objects SET meta = ?4 WHERE bucket = ?1 AND key = ?2 AND version_id = ?3");
    if (!q.ok()) return db.Error("prepare update object metadata");
    q.Bind(1, bucket);
    q.BindBlob(2, key);
    q.Bind(3, version_id);
    q.Bind(4, meta);
    if (q.Step() != SQLITE_DONE) return db.Error("update object metadata");
    if (sqlite3_changes(db.db_) == 0) return AwsError::Client("NoSuchKey", "The specified key does not exist.", 404);
    return Ok{};
  }

  static Result<bool> AnyVersion(Database& db, std::string_view bucket) {
    std::lock_guard lock(db.mu_);
    auto q = db.Prepare("SELECT 1 FROM s3_objects INDEXED BY s3_objects_history WHERE bucket = ?1 LIMIT 1");
    if (!q.ok()) return db.Error("prepare any object");
    q.Bind(1, bucket);
    const int rc = q.Step();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db.Error("any object");
    return rc == SQLITE_ROW;
  }
};

Result<std::optional<ObjectVersion>> ObjectIndex::Latest(Database& db, std::string_view bucket, std::string_view key) {
  std::lock_guard lock(db.mu_);
  return Impl::Latest(db, bucket, key);
}

Result<std::optional<ObjectVersion>> ObjectIndex::Version(Database& db, std::string_view bucket, std::string_view key,
                                                          std::string_view version_id) {
  std::lock_guard lock(db.mu_);
  return Impl::Version(db, bucket, key, version_id);
}

Result<ObjectListing> ObjectIndex::List(Database& db, std::string_view bucket, const ListOptions& options) {
  return Impl::List(db, bucket, options);
}

Result<ObjectListing> ObjectIndex::ListVersions(Database& db, std::string_view bucket, const ListOptions& options) {
  return Impl::ListVersions(db, bucket, options);
}

Result<bool> ObjectIndex::AnyVersion(Database& db, std::string_view bucket) { return Impl::AnyVersion(db, bucket); }

Result<std::pair<ObjectVersion, Released>> ObjectIndex::Put(Transaction& tx, ObjectVersion v) {
  return Impl::Put(tx, std::move(v));
}

Result<Released> ObjectIndex::Remove(Transaction& tx, std::string_view bucket, std::string_view key,
                                     std::string_view version_id) {
  return Impl::Remove(tx, bucket, key, version_id);
}

Status ObjectIndex::UpdateMeta(Transaction& tx, std::string_view bucket, std::string_view key,
                               std::string_view version_id, std::string_view meta) {
  return Impl::UpdateMeta(tx, bucket, key, version_id, meta);
}

Result<std::optional<ObjectVersion>> ObjectIndex::Latest(Transaction& tx, std::string_view bucket,
                                                         std::string_view key) {
  return Impl::Latest(*tx.db_, bucket, key);
}

Result<std::optional<ObjectVersion>> ObjectIndex::Version(Transaction& tx, std::string_view bucket,
                                                          std::string_view key, std::string_view version_id) {
  return Impl::Version(*tx.db_, bucket, key, version_id);
}

}  // namespace xacct::store

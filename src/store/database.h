// SQLite metadata store: one database file per data directory, WAL journal, synchronous=FULL so that
// a committed transaction is on disk before the caller acknowledges the write (DESIGN.md "Data on disk").
// Every call takes the scope it works in: an account (and region), or the global scope.
//
// Concurrent writers share commits (group commit): while one commit is being fsync'd, the writers that
// arrive queue up, and the next of them runs all the queued bodies in one SQLite transaction, each in its
// own SAVEPOINT, and commits once. Every Write still returns only after its own changes are durable.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace xacct::store {

//! How hard a commit works to survive a crash.
enum class Durability {
  //! A committed write survives power loss: SQLite synchronous=FULL, blobs and their directory fsync'd.
  kFull,
  //! A committed write survives a crash of xacct but maybe not of the machine (tests, throwaway data):
  //! synchronous=NORMAL, blobs not fsync'd. Still never half an object: blobs are renamed into place.
  kRelaxed,
};

namespace detail {

//! A statement from a Database's cache of prepared statements; reset, with its bindings cleared, when it
//! goes out of scope. Only for code holding the database's lock (Database, Transaction, ObjectIndex).
class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool ok() const { return stmt_ != nullptr; }
  void Bind(int i, std::string_view text);
  //! Binds bytes as a BLOB, which SQLite compares with memcmp (S3 keys: any byte, NUL included).
  void BindBlob(int i, std::string_view bytes);
  void BindInt(int i, int64_t value);
  int Step();
  //! Rewinds the statement, keeping its bindings (to bind some again and step anew).
  void Reset();
  //! A column's bytes (TEXT or BLOB); the view lives until the next Step or Reset.
  std::string_view View(int i) const;
  std::string Column(int i) const { return std::string(View(i)); }
  int64_t Int(int i) const;

 private:
  sqlite3_stmt* stmt_;
};

}  // namespace detail

//! Where a document lives: an account and region, an account's global resources (IAM: region empty),
//! or the global scope (access keys, S3 bucket names).
struct Scope {
  std::string account;
  std::string region;
  static Scope Global() { return Scope{"global", ""}; }
  static Scope Account(std::string account) { return Scope{std::move(account), ""}; }
  std::string Key() const { return region.empty() ? account : account + "/" + region; }
};

struct Document {
  std::string id;
  std::string body;  //!< JSON text
};

class Database;

//! The documents of a transaction in progress; see Database::Write.
class Transaction {
 public:
  Result<std::optional<std::string>> Get(const Scope& scope, std::string_view kind, std::string_view id);
  Result<std::vector<Document>> List(const Scope& scope, std::string_view kind, std::string_view id_prefix = {});
  Status Put(const Scope& scope, std::string_view kind, std::string_view id, std::string_view body);
  Status Delete(const Scope& scope, std::string_view kind, std::string_view id);
  //! Records that the document (scope, kind, id) names blob `blob_id`: from this commit on, the blob is
  //! part of the store and survives BlobStore::Sweep.
  Status AddBlobRef(std::string_view blob_id, const Scope& scope, std::string_view kind, std::string_view id);
  Status RemoveBlobRef(std::string_view blob_id);

 private:
  friend class Database;
  friend class ObjectIndex;
  explicit Transaction(Database* db) : db_(db) {}
  Database* db_;
};

//! The metadata database. Thread-safe: one connection, one writer at a time.
class Database {
 public:
  //! Opens (creating) data_dir/meta.db and brings its schema to the current version.
  static Result<std::unique_ptr<Database>> Open(const std::filesystem::path& data_dir,
                                                Durability durability = Durability::kFull);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Result<std::optional<std::string>> Get(const Scope& scope, std::string_view kind, std::string_view id);
  Result<std::vector<Document>> List(const Scope& scope, std::string_view kind, std::string_view id_prefix = {});
  //! True when a committed metadata row names the blob.
  Result<bool> BlobReferenced(std::string_view blob_id);
  //! Runs `body` in one transaction, committed (durably) when it returns Ok and rolled back otherwise.
  //! The body may run on another writer's thread, batched with other bodies (see the file comment): it
  //! must not call back into this Database except through `tx`. An exception it throws is rethrown here.
  Status Write(const std::function<Status(Transaction&)>& body);
  //! Writers waiting for the commit in progress to finish (they will share the next commit).
  size_t queued_writes() const;
  //! Counts committed writes: caches of what the store holds are valid while it stays the same.
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  //! The schema version after migrations.
  int schema_version() const { return schema_version_; }

 private:
  friend class Transaction;
  friend class ObjectIndex;
  //! One caller of Write, waiting for its body to be run and committed by the group's leader.
  struct PendingWrite {
    const std::function<Status(Transaction&)>* body;
    std::optional<Status> result;
    std::exception_ptr exception;
    bool done = false;
  };
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
  };

  Database() = default;
  Status Exec(const char* sql);
  //! The cached prepared statement for `sql` (prepared on first use); !ok() when it does not prepare.
  detail::Statement Prepare(std::string_view sql);
  //! Runs a statement without parameters from the cache (BEGIN, COMMIT, SAVEPOINT ...).
  Status Run(std::string_view sql);
  AwsError Error(std::string_view what) const;
  //! Runs the bodies of `group` in one transaction and commits it; sets each one's result.
  void CommitGroup(const std::vector<PendingWrite*>& group);
  Result<bool> BlobReferencedLocked(std::string_view blob_id);
  Result<std::optional<std::string>> GetLocked(const Scope& scope, std::string_view kind, std::string_view id);
  Result<std::vector<Document>> ListLocked(const Scope& scope, std::string_view kind, std::string_view prefix);
  Status PutLocked(const Scope& scope, std::string_view kind, std::string_view id, std::string_view body);
  Status DeleteLocked(const Scope& scope, std::string_view kind, std::string_view id);
  Status ExecBound(const char* sql, std::initializer_list<std::string_view> values);
  Status Migrate();

  sqlite3* db_ = nullptr;
  std::mutex mu_;  //!< guards the connection and the statement cache
  std::unordered_map<std::string, sqlite3_stmt*, SqlHash, std::equal_to<>> statements_;
  std::atomic<uint64_t> generation_{0};
  int schema_version_ = 0;

  mutable std::mutex write_mu_;  //!< guards the queue of writers; never held while taking mu_
  std::condition_variable write_cv_;
  std::vector<PendingWrite*> write_queue_;
  bool write_leader_ = false;  //!< a writer is running a group
};

}  // namespace xacct::store

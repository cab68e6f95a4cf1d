// SQLite metadata store: one database file per data directory, WAL journal, synchronous=FULL so that
// a committed transaction is on disk before the caller acknowledges the write (DESIGN.md "Data on disk").
// Every call takes the scope it works in: an account (and region), or the global scope.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

struct sqlite3;

namespace xacct::store {

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
  explicit Transaction(Database* db) : db_(db) {}
  Database* db_;
};

//! The metadata database. Thread-safe: one connection, one writer at a time.
class Database {
 public:
  //! Opens (creating) data_dir/meta.db and brings its schema to the current version.
  static Result<std::unique_ptr<Database>> Open(const std::filesystem::path& data_dir);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Result<std::optional<std::string>> Get(const Scope& scope, std::string_view kind, std::string_view id);
  Result<std::vector<Document>> List(const Scope& scope, std::string_view kind, std::string_view id_prefix = {});
  //! True when a committed metadata row names the blob.
  Result<bool> BlobReferenced(std::string_view blob_id);
  //! Runs `body` in one transaction, committed (durably) when it returns Ok and rolled back otherwise.
  Status Write(const std::function<Status(Transaction&)>& body);
  //! Counts committed writes: caches of what the store holds are valid while it stays the same.
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  //! The schema version after migrations.
  int schema_version() const { return schema_version_; }

 private:
  friend class Transaction;
  Database() = default;
  Status Exec(const char* sql);
  Result<std::optional<std::string>> GetLocked(const Scope& scope, std::string_view kind, std::string_view id);
  Result<std::vector<Document>> ListLocked(const Scope& scope, std::string_view kind, std::string_view prefix);
  Status PutLocked(const Scope& scope, std::string_view kind, std::string_view id, std::string_view body);
  Status DeleteLocked(const Scope& scope, std::string_view kind, std::string_view id);
  Status ExecBound(const char* sql, std::initializer_list<std::string_view> values);
  Status Migrate();

  sqlite3* db_ = nullptr;
  std::mutex mu_;
  std::atomic<uint64_t> generation_{0};
  int schema_version_ = 0;
};

}  // namespace xacct::store

#include "store/database.h"

#include <sqlite3.h>

namespace xacct::store {

namespace {

AwsError StoreError(sqlite3* db, std::string_view what) {
  return AwsError::Server("InternalFailure", "metadata store: " + std::string(what) + ": " + sqlite3_errmsg(db));
}

// Schema migrations, applied in order; the database records how many it has applied.
constexpr const char* kMigrations[] = {
    // 1: documents keyed by scope, kind and id.
    "CREATE TABLE documents (scope TEXT NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL,"
    " updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), PRIMARY KEY (scope, kind, id))"
    " WITHOUT ROWID",
    // 2: which document names which blob (object bytes in data_dir/blobs).
    "CREATE TABLE blob_refs (blob_id TEXT PRIMARY KEY, scope TEXT NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL)"
    " WITHOUT ROWID",
    // 3: the S3 object index (store/object_index.h). Keys are BLOBs so that they compare bytewise (S3's
    // UTF-8 binary order) and may hold NUL. seq is the rowid; AUTOINCREMENT never hands out a seq twice,
    // even after the newest row is deleted. Indexes:
    //   version: one probe for a given version (and no version id twice per key);
    //   history: a key's versions newest first (Latest, promoting the next newest, ListObjectVersions);
    //   current: the listable current versions in key order (ListObjects), without delete markers.
    "CREATE TABLE s3_objects (seq INTEGER PRIMARY KEY AUTOINCREMENT, bucket TEXT NOT NULL, key BLOB NOT NULL,"
    " version_id TEXT NOT NULL, latest INTEGER NOT NULL, delete_marker INTEGER NOT NULL, size INTEGER NOT NULL,"
    " etag TEXT NOT NULL, last_modified_ms INTEGER NOT NULL, blob_id TEXT NOT NULL, meta TEXT NOT NULL);"
    "CREATE UNIQUE INDEX s3_objects_version ON s3_objects (bucket, key, version_id);"
    "CREATE INDEX s3_objects_history ON s3_objects (bucket, key, seq DESC);"
    "CREATE INDEX s3_objects_current ON s3_objects (bucket, key) WHERE latest = 1 AND delete_marker = 0;",
};

}  // namespace

namespace detail {

Statement::~Statement() {
  if (stmt_ == nullptr) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

void Statement::Bind(int i, std::string_view text) {
  // An empty view may have no data pointer, which SQLite would bind as NULL rather than ''.
  sqlite3_bind_text(stmt_, i, text.empty() ? "" : text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

void Statement::BindBlob(int i, std::string_view bytes) {
  sqlite3_bind_blob(stmt_, i, bytes.empty() ? "" : bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
}

void Statement::BindInt(int i, int64_t value) { sqlite3_bind_int64(stmt_, i, value); }

int Statement::Step() { return sqlite3_step(stmt_); }

void Statement::Reset() { sqlite3_reset(stmt_); }

std::string_view Statement::View(int i) const {
  // sqlite3_column_blob returns the bytes of TEXT too, without converting them.
  const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, i));
  return p == nullptr ? std::string_view() : std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, i)));
}

int64_t Statement::Int(int i) const { return sqlite3_column_int64(stmt_, i); }

}  // namespace detail

Result<std::unique_ptr<Database>> Database::Open(const std::filesystem::path& data_dir, Durability durability) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec)
    return AwsError::Server("InternalFailure",
                            "cannot create data directory " + data_dir.string() + ": " + ec.message());
  std::unique_ptr<Database> d(new Database());
  const std::string path = (data_dir / "meta.db").string();
  // NOMUTEX: mu_ already serializes every use of the connection, so SQLite's own mutex would only add a
  // lock and unlock to every step, bind and column call.
  if (sqlite3_open_v2(path.c_str(), &d->db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    return StoreError(d->db_, "open " + path);
  }
  sqlite3_busy_timeout(d->db_, 5000);
  // WAL with synchronous=FULL: a commit is fsync'd before it returns, so acknowledged writes survive power
  // loss. NORMAL in WAL mode still survives a crash of the process, and never corrupts the database.
  const char* synchronous = durability == Durability::kFull ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL";
  // One server owns a data directory: holding SQLite's file lock for the connection's life spares every
  // read transaction its fcntl lock calls (a third of a small GET's system time).
  for (const char* pragma :
       {"PRAGMA locking_mode=EXCLUSIVE", "PRAGMA journal_mode=WAL", synchronous, "PRAGMA foreign_keys=ON"}) {
    if (auto s = d->Exec(pragma); !s) return s.error();
  }
  if (auto s = d->Migrate(); !s) return s.error();
  return d;
}

Database::~Database() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  if (db_ != nullptr) sqlite3_close_v2(db_);
}

AwsError Database::Error(std::string_view what) const { return StoreError(db_, what); }

Status Database::Exec(const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    AwsError e = AwsError::Server("InternalFailure", std::string("metadata store: ") + (message ? message : "error"));
    sqlite3_free(message);
    return e;
  }
  return Ok{};
}

detail::Statement Database::Prepare(std::string_view sql) {
  if (auto it = statements_.find(sql); it != statements_.end()) return detail::Statement(it->second);
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) !=
          SQLITE_OK ||
      stmt == nullptr) {
    sqlite3_finalize(stmt);
    return detail::Statement(nullptr);
  }
  statements_.emplace(std::string(sql), stmt);
  return detail::Statement(stmt);
}

Status Database::Run(std::string_view sql) {
  auto q = Prepare(sql);
  if (!q.ok()) return Error(sql);
  const int rc = q.Step();
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) return Error(sql);
  return Ok{};
}

Status Database::Migrate() {
  if (auto s = Exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"); !s) return s;
  int version = 0;
  {
    auto get = Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_version");
    if (!get.ok() || get.Step() != SQLITE_ROW) return Error("read schema version");
    version = static_cast<int>(get.Int(0));
  }
  const int target = static_cast<int>(std::size(kMigrations));
  if (version > target) {
    return AwsError::Server("InternalFailure", "the data directory's schema (version " + std::to_string(version) +
                                                   ") is newer than this xacct (" + std::to_string(target) + ")");
  }
  for (; version < target; ++version) {
    if (auto s = Exec("BEGIN IMMEDIATE"); !s) return s;
    auto applied = Exec(kMigrations[version]);
    if (applied) applied = Exec(("INSERT INTO schema_version VALUES (" + std::to_string(version + 1) + ")").c_str());
    if (!applied) {
      (void)Exec("ROLLBACK");
      return applied;
    }
    if (auto s = Exec("COMMIT"); !s) return s;
  }
  schema_version_ = version;
  return Ok{};
}

Result<std::optional<std::string>> Database::GetLocked(const Scope& scope, std::string_view kind, std::string_view id) {
  auto q = Prepare("SELECT body FROM documents WHERE scope = ?1 AND kind = ?2 AND id = ?3");
  if (!q.ok()) return Error("prepare get");
  q.Bind(1, scope.Key());
  q.Bind(2, kind);
  q.Bind(3, id);
  const int rc = q.Step();
  if (rc == SQLITE_DONE) return std::optional<std::string>();
  if (rc != SQLITE_ROW) return Error("get");
  return std::optional<std::string>(q.Column(0));
}

Result<std::vector<Document>> Database::ListLocked(const Scope& scope, std::string_view kind, std::string_view prefix) {
  // Prefix match by range, so that ids with LIKE's special characters need no escaping.
  auto q = Prepare("SELECT id, body FROM documents WHERE scope = ?1 AND kind = ?2 AND id >= ?3 ORDER BY id");
  if (!q.ok()) return Error("prepare list");
  q.Bind(1, scope.Key());
  q.Bind(2, kind);
  q.Bind(3, prefix);
  std::vector<Document> out;
  int rc;
  while ((rc = q.Step()) == SQLITE_ROW) {
    std::string id = q.Column(0);
    if (!std::string_view(id).starts_with(prefix)) break;
    out.push_back(Document{std::move(id), q.Column(1)});
  }
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) return Error("list");
  return out;
}

Status Database::PutLocked(const Scope& scope, std::string_view kind, std::string_view id, std::string_view body) {
  auto q = Prepare(
      "INSERT INTO documents (scope, kind, id, body) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (scope, kind, id) DO "
      "UPDATE SET body = excluded.body, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')");
  if (!q.ok()) return Error("prepare put");
  q.Bind(1, scope.Key());
  q.Bind(2, kind);
  q.Bind(3, id);
  q.Bind(4, body);
  if (q.Step() != SQLITE_DONE) return Error("put");
  return Ok{};
}

Status Database::DeleteLocked(const Scope& scope, std::string_view kind, std::string_view id) {
  auto q = Prepare("DELETE FROM documents WHERE scope = ?1 AND kind = ?2 AND id = ?3");
  if (!q.ok()) return Error("prepare delete");
  q.Bind(1, scope.Key());
  q.Bind(2, kind);
  q.Bind(3, id);
  if (q.Step() != SQLITE_DONE) return Error("delete");
  return Ok{};
}

Result<std::optional<std::string>> Database::Get(const Scope& scope, std::string_view kind, std::string_view id) {
  std::lock_guard lock(mu_);
  return GetLocked(scope, kind, id);
}

Result<std::vector<Document>> Database::List(const Scope& scope, std::string_view kind, std::string_view prefix) {
  std::lock_guard lock(mu_);
  return ListLocked(scope, kind, prefix);
}

size_t Database::queued_writes() const {
  std::lock_guard lock(write_mu_);
  return write_queue_.size();
}

Status Database::Write(const std::function<Status(Transaction&)>& body) {
  PendingWrite self{&body};
  std::vector<PendingWrite*> group;
  {
    std::unique_lock lock(write_mu_);
    write_queue_.push_back(&self);
    write_cv_.wait(lock, [&] { return self.done || !write_leader_; });
    if (!self.done) {
      // Lead the next group: every writer queued so far, this one included.
      write_leader_ = true;
      group.swap(write_queue_);
    }
  }
  if (!group.empty()) {
    {
      std::lock_guard lock(mu_);
      try {
        CommitGroup(group);
      } catch (...) {
        // Not a body's exception (those are caught per body) but the group's own (out of memory), thrown
        // before its commit: the whole group is rolled back and every writer in it gets the exception.
        if (sqlite3_get_autocommit(db_) == 0) (void)Run("ROLLBACK");
        for (PendingWrite* w : group) w->exception = std::current_exception();
      }
    }
    std::lock_guard lock(write_mu_);
    for (PendingWrite* w : group) w->done = true;
    write_leader_ = false;
    write_cv_.notify_all();
  }
  if (self.exception) std::rethrow_exception(self.exception);
  return std::move(*self.result);
}

void Database::CommitGroup(const std::vector<PendingWrite*>& group) {
  // A lone writer needs no savepoint: its body's failure rolls back the whole transaction.
  const bool savepoints = group.size() > 1;
  const auto fail = [](PendingWrite* w, const AwsError& e) {
    if (!w->exception) w->result = e;
  };
  std::vector<PendingWrite*> applied;  // bodies that succeeded in the open transaction
  // SQLite rolls the whole transaction back by itself on some errors (disk full, I/O); then the bodies
  // applied so far are lost, and the rest run in a new transaction.
  const auto lost = [&]() {
    for (PendingWrite* w : applied) fail(w, Error("transaction rolled back"));
    applied.clear();
  };
  bool open = false;
  for (PendingWrite* w : group) {
    if (open && sqlite3_get_autocommit(db_) != 0) {
      lost();
      open = false;
    }
    if (!open) {
      if (auto s = Run("BEGIN IMMEDIATE"); !s) {
        w->result = s;
        continue;
      }
      open = true;
    }
    if (savepoints) {
      if (auto s = Run("SAVEPOINT body"); !s) {
        w->result = s;
        continue;
      }
    }
    Transaction tx(this);
    try {
      w->result = (*w->body)(tx);
    } catch (...) {
      w->exception = std::current_exception();
      w->result = AwsError::Server("InternalFailure", "write body threw");
    }
    const bool ok = !w->exception && w->result->ok();
    if (sqlite3_get_autocommit(db_) != 0) {
      if (ok) fail(w, Error("transaction rolled back"));
      lost();
      open = false;
      continue;
    }
    if (!savepoints) {
      if (ok) applied.push_back(w);
      continue;
    }
    if (!ok) (void)Run("ROLLBACK TO body");
    if (auto s = Run("RELEASE body"); !s) {
      fail(w, s.error());
      lost();
      (void)Run("ROLLBACK");
      open = false;
      continue;
    }
    if (ok) applied.push_back(w);
  }
  if (!open) return;
  if (sqlite3_get_autocommit(db_) != 0) return lost();
  if (applied.empty()) {
    (void)Run("ROLLBACK");
    return;
  }
  if (auto s = Run("COMMIT"); !s) {
    (void)Run("ROLLBACK");
    for (PendingWrite* w : applied) fail(w, s.error());
    return;
  }
  generation_.fetch_add(1, std::memory_order_acq_rel);
}

Status Database::ExecBound(const char* sql, std::initializer_list<std::string_view> values) {
  auto q = Prepare(sql);
  if (!q.ok()) return Error("prepare");
  int i = 1;
  for (const auto v : values) q.Bind(i++, v);
  if (q.Step() != SQLITE_DONE) return Error("write");
  return Ok{};
}

Result<bool> Database::BlobReferencedLocked(std::string_view blob_id) {
  auto q = Prepare("SELECT 1 FROM blob_refs WHERE blob_id = ?1");
  if (!q.ok()) return Error("prepare blob ref");
  q.Bind(1, blob_id);
  const int rc = q.Step();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return Error("blob ref");
  return rc == SQLITE_ROW;
}

Result<bool> Database::BlobReferenced(std::string_view blob_id) {
  std::lock_guard lock(mu_);
  return BlobReferencedLocked(blob_id);
}

Status Transaction::AddBlobRef(std::string_view blob_id, const Scope& scope, std::string_view kind,
                               std::string_view id) {
  return db_->ExecBound("INSERT OR REPLACE INTO blob_refs (blob_id, scope, kind, id) VALUES (?1, ?2, ?3, ?4)",
                        {blob_id, scope.Key(), kind, id});
}

Status Transaction::RemoveBlobRef(std::string_view blob_id) {
  return db_->ExecBound("DELETE FROM blob_refs WHERE blob_id = ?1", {blob_id});
}

Result<std::optional<std::string>> Transaction::Get(const Scope& scope, std::string_view kind, std::string_view id) {
  return db_->GetLocked(scope, kind, id);
}
Result<std::vector<Document>> Transaction::List(const Scope& scope, std::string_view kind, std::string_view prefix) {
  return db_->ListLocked(scope, kind, prefix);
}
Status Transaction::Put(const Scope& scope, std::string_view kind, std::string_view id, std::string_view body) {
  return db_->PutLocked(scope, kind, id, body);
}
Status Transaction::Delete(const Scope& scope, std::string_view kind, std::string_view id) {
  return db_->DeleteLocked(scope, kind, id);
}

}  // namespace xacct::store

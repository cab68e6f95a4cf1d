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
};

// A prepared statement, finalized on scope exit.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) { ok_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) == SQLITE_OK; }
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  bool ok() const { return ok_; }
  void Bind(int i, std::string_view text) {
    // An empty view may have no data pointer, which SQLite would bind as NULL rather than ''.
    sqlite3_bind_text(stmt_, i, text.empty() ? "" : text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }
  int Step() { return sqlite3_step(stmt_); }
  std::string Column(int i) {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
    return p == nullptr ? std::string() : std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, i)));
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  bool ok_ = false;
};

}  // namespace

Result<std::unique_ptr<Database>> Database::Open(const std::filesystem::path& data_dir) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec)
    return AwsError::Server("InternalFailure",
                            "cannot create data directory " + data_dir.string() + ": " + ec.message());
  std::unique_ptr<Database> d(new Database());
  const std::string path = (data_dir / "meta.db").string();
  if (sqlite3_open_v2(path.c_str(), &d->db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    return StoreError(d->db_, "open " + path);
  }
  sqlite3_busy_timeout(d->db_, 5000);
  // WAL with synchronous=FULL: a commit is fsync'd before it returns, so acknowledged writes survive kill -9.
  for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON"}) {
    if (auto s = d->Exec(pragma); !s) return s.error();
  }
  if (auto s = d->Migrate(); !s) return s.error();
  return d;
}

Database::~Database() {
  if (db_ != nullptr) sqlite3_close_v2(db_);
}

Status Database::Exec(const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    AwsError e = AwsError::Server("InternalFailure", std::string("metadata store: ") + (message ? message : "error"));
    sqlite3_free(message);
    return e;
  }
  return Ok{};
}

Status Database::Migrate() {
  if (auto s = Exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"); !s) return s;
  Stmt get(db_, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
  if (!get.ok() || get.Step() != SQLITE_ROW) return StoreError(db_, "read schema version");
  int version = std::stoi(get.Column(0));
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
  Stmt q(db_, "SELECT body FROM documents WHERE scope = ?1 AND kind = ?2 AND id = ?3");
  if (!q.ok()) return StoreError(db_, "prepare get");
  q.Bind(1, scope.Key());
  q.Bind(2, kind);
  q.Bind(3, id);
  const int rc = q.Step();
  if (rc == SQLITE_DONE) return std::optional<std::string>();
  if (rc != SQLITE_ROW) return StoreError(db_, "get");
  return std::optional<std::string>(q.Column(0));
}

Result<std::vector<Document>> Database::ListLocked(const Scope& scope, std::string_view kind, std::string_view prefix) {
  // Prefix match by range, so that ids with LIKE's special characters need no escaping.
  Stmt q(db_, "SELECT id, body FROM documents WHERE scope = ?1 AND kind = ?2 AND id >= ?3 ORDER BY id");
  if (!q.ok()) return StoreError(db_, "prepare list");
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
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) return StoreError(db_, "list");
  return out;
}

Status Database::PutLocked(const Scope& scope, std::string_view kind, std::string_view id, std::string_view body) {
  Stmt q(db_,
         "INSERT INTO documents (scope, kind, id, body) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (scope, kind, id) DO "
         "UPDATE SET body = excluded.body, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')");
  if (!q.ok()) return StoreError(db_, "prepare put");
  q.Bind(1, scope.Key());
  q.Bind(2, kind);
  q.Bind(3, id);
  q.Bind(4, body);
  if (q.Step() != SQLITE_DONE) return StoreError(db_, "put");
  return Ok{};
}

Status Database::DeleteLocked(const Scope& scope, std::string_view kind, std::string_view id) {
  Stmt q(db_, "DELETE FROM documents WHERE scope = ?1 AND kind = ?2 AND id = ?3");
  if (!q.ok()) return StoreError(db_, "prepare delete");
  q.Bind(1, scope.Key());
  q.Bind(2, kind);
  q.Bind(3, id);
  if (q.Step() != SQLITE_DONE) return StoreError(db_, "delete");
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

Status Database::Write(const std::function<Status(Transaction&)>& body) {
  std::lock_guard lock(mu_);
  if (auto s = Exec("BEGIN IMMEDIATE"); !s) return s;
  Transaction tx(this);
  Status result = body(tx);
  if (!result) {
    (void)Exec("ROLLBACK");
    return result;
  }
  if (auto s = Exec("COMMIT"); !s) {
    (void)Exec("ROLLBACK");
    return s;
  }
  generation_.fetch_add(1, std::memory_order_acq_rel);
  return Ok{};
}

Status Database::ExecBound(const char* sql, std::initializer_list<std::string_view> values) {
  Stmt q(db_, sql);
  if (!q.ok()) return StoreError(db_, "prepare");
  int i = 1;
  for (const auto v : values) q.Bind(i++, v);
  if (q.Step() != SQLITE_DONE) return StoreError(db_, "write");
  return Ok{};
}

Result<bool> Database::BlobReferenced(std::string_view blob_id) {
  std::lock_guard lock(mu_);
  Stmt q(db_, "SELECT 1 FROM blob_refs WHERE blob_id = ?1");
  if (!q.ok()) return StoreError(db_, "prepare blob ref");
  q.Bind(1, blob_id);
  const int rc = q.Step();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return StoreError(db_, "blob ref");
  return rc == SQLITE_ROW;
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

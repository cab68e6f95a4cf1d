#include "store/blob_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <random>

namespace xacct::store {

namespace {

namespace fs = std::filesystem;

AwsError IoError(const std::string& what) {
  return AwsError::Server("InternalFailure", "blob store: " + what + ": " + std::strerror(errno));
}

std::string NewBlobId() {
  thread_local std::mt19937_64 rng(std::random_device{}());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (int i = 0; i < 2; ++i) {
    uint64_t word = rng();
    for (int j = 0; j < 16; ++j, word >>= 4) id += kHex[word & 15];
  }
  return id;
}

bool ValidId(std::string_view id) {
  if (id.size() != 32) return false;
  for (const char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Status SyncDirectory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return IoError("open " + dir.string());
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return IoError("fsync " + dir.string());
  return Ok{};
}

}  // namespace

BlobWriter::~BlobWriter() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) {
    std::error_code ec;
    fs::remove(temp_, ec);
  }
}

Status BlobWriter::Append(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError("write");
    }
    bytes.remove_prefix(static_cast<size_t>(n));
    size_ += static_cast<uint64_t>(n);
  }
  return Ok{};
}

Result<std::string> BlobWriter::Commit() {
  if (sync_ && ::fsync(fd_) != 0) return IoError("fsync");
  ::close(fd_);
  fd_ = -1;
  std::error_code ec;
  const bool created = fs::create_directories(final_dir_, ec);
  if (ec) return AwsError::Server("InternalFailure", "blob store: " + ec.message());
  // A new fan-out directory's own entry must be durable too, or a crash could lose it with its blobs.
  if (created && sync_) {
    if (auto s = SyncDirectory(final_dir_.parent_path()); !s) return s.error();
  }
  if (std::rename(temp_.c_str(), (final_dir_ / id_).c_str()) != 0) return IoError("rename");
  committed_ = true;
  if (sync_) {
    if (auto s = SyncDirectory(final_dir_); !s) return s.error();
  }
  return id_;
}

Result<std::unique_ptr<BlobStore>> BlobStore::Open(const fs::path& data_dir, Durability durability) {
  std::error_code ec;
  fs::create_directories(data_dir / "blobs" / "tmp", ec);
  if (ec) return AwsError::Server("InternalFailure", "blob store: cannot create " + (data_dir / "blobs").string());
  return std::unique_ptr<BlobStore>(new BlobStore(data_dir / "blobs", durability));
}

std::optional<fs::path> BlobStore::PathOf(std::string_view id) const {
  if (!ValidId(id)) return std::nullopt;
  return root_ / std::string(id.substr(0, 2)) / std::string(id);
}

Result<std::unique_ptr<BlobWriter>> BlobStore::Create() {
  const std::string id = NewBlobId();
  const fs::path temp = root_ / "tmp" / id;
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return IoError("create " + temp.string());
  return std::unique_ptr<BlobWriter>(
      new BlobWriter(temp, root_ / id.substr(0, 2), id, fd, durability_ == Durability::kFull));
}

Result<std::string> BlobStore::Adopt(const fs::path& file) {
  const bool sync = durability_ == Durability::kFull;
  if (sync) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return IoError("open " + file.string());
    const int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) return IoError("fsync " + file.string());
  }
  const std::string id = NewBlobId();
  const fs::path final_dir = root_ / id.substr(0, 2);
  std::error_code ec;
  const bool created = fs::create_directories(final_dir, ec);
  if (ec) return AwsError::Server("InternalFailure", "blob store: " + ec.message());
  if (created && sync) {
    if (auto s = SyncDirectory(root_); !s) return s.error();
  }
  if (std::rename(file.c_str(), (final_dir / id).c_str()) != 0) {
    if (errno == EXDEV) return AwsError::Server("CrossDevice", "blob store: " + file.string() + " is elsewhere");
    return IoError("rename " + file.string());
  }
  if (sync) {
    if (auto s = SyncDirectory(final_dir); !s) return s.error();
  }
  return id;
}

Result<std::string> BlobStore::Read(std::string_view id, uint64_t offset, uint64_t length) const {
  const auto path = PathOf(id);
  if (!path) return AwsError::Client("NotFound", "no blob " + std::string(id), 404);
  const int fd = ::open(path->c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return AwsError::Client("NotFound", "no blob " + std::string(id), 404);
    return IoError("open");
  }
  std::string out;
  char buf[1 << 16];
  uint64_t left = length;
  off_t at = static_cast<off_t>(offset);
  while (left > 0) {
    const ssize_t n = ::pread(fd, buf, std::min<uint64_t>(sizeof buf, left), at);
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      return IoError("read");
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
    left -= static_cast<uint64_t>(n);
    at += n;
  }
  ::close(fd);
  return out;
}

Result<uint64_t> BlobStore::Size(std::string_view id) const {
  const auto path = PathOf(id);
  std::error_code ec;
  const auto size = path ? fs::file_size(*path, ec) : 0;
  if (!path || ec) return AwsError::Client("NotFound", "no blob " + std::string(id), 404);
  return static_cast<uint64_t>(size);
}

Status BlobStore::Remove(std::string_view id) {
  const auto path = PathOf(id);
  if (!path) return AwsError::Client("NotFound", "no blob " + std::string(id), 404);
  std::error_code ec;
  fs::remove(*path, ec);
  if (ec) return AwsError::Server("InternalFailure", "blob store: " + ec.message());
  return Ok{};
}

Result<size_t> BlobStore::Sweep(const std::function<bool(std::string_view)>& referenced) {
  size_t removed = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root_ / "tmp", ec)) {
    fs::remove_all(entry.path(), ec);  // a writer's file, or a scratch directory a query left (Adopt)
    ++removed;
  }
  for (const auto& dir : fs::directory_iterator(root_, ec)) {
    if (!dir.is_directory() || dir.path().filename() == "tmp") continue;
    for (const auto& entry : fs::directory_iterator(dir.path(), ec)) {
      const std::string id = entry.path().filename().string();
      if (ValidId(id) && referenced(id)) continue;
      fs::remove(entry.path(), ec);
      ++removed;
    }
  }
  if (ec) return AwsError::Server("InternalFailure", "blob store sweep: " + ec.message());
  return removed;
}

}  // namespace xacct::store

// Object bytes as files in data_dir/blobs (DESIGN.md "Data on disk"): a blob is written to a temporary
// file, fsync'd, renamed into place and its directory fsync'd before anyone learns its id, so a crash at
// any point leaves either no blob or a whole one — never half an object. Ids are generated, never derived
// from a client's key, so hostile keys ("../") cannot reach the file system. A blob is visible to clients
// only once a metadata row names it; Sweep removes the blobs no row names (left by a crash between the
// rename and the metadata commit) and stale temporary files. With Durability::kRelaxed the fsyncs are
// skipped (a power loss may lose recent blobs) but the temp → rename order still hides half objects.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "store/database.h"

namespace xacct::store {

//! A blob being written. Append as the bytes arrive; Commit makes it durable; destroying an uncommitted
//! writer removes its temporary file.
class BlobWriter {
 public:
  ~BlobWriter();
  BlobWriter(const BlobWriter&) = delete;
  BlobWriter& operator=(const BlobWriter&) = delete;

  Status Append(std::string_view bytes);
  //! fsyncs the bytes, renames the file into place, fsyncs the directory (kFull); returns the blob id.
  Result<std::string> Commit();
  uint64_t size() const { return size_; }

 private:
  friend class BlobStore;
  BlobWriter(std::filesystem::path temp, std::filesystem::path final_dir, std::string id, int fd, bool sync)
      : temp_(std::move(temp)), final_dir_(std::move(final_dir)), id_(std::move(id)), fd_(fd), sync_(sync) {}
  std::filesystem::path temp_;
  std::filesystem::path final_dir_;
  std::string id_;
  int fd_ = -1;
  uint64_t size_ = 0;
  bool sync_ = true;
  bool committed_ = false;
};

class BlobStore {
 public:
  static Result<std::unique_ptr<BlobStore>> Open(const std::filesystem::path& data_dir,
                                                 Durability durability = Durability::kFull);

  Result<std::unique_ptr<BlobWriter>> Create();
  //! Makes a finished file a blob by renaming it into place (no copy): with kFull the file is fsync'd first
  //! and the directory after, as Commit does. The file is gone on success. Fails with "CrossDevice" (and
  //! leaves the file) when it is on another file system than the store, so the caller can copy instead.
  Result<std::string> Adopt(const std::filesystem::path& file);
  //! The store's directory for temporary files (on its file system: what is finished there can be adopted).
  std::filesystem::path temp_dir() const { return root_ / "tmp"; }
  //! Reads `length` bytes from `offset` (to the end when length is npos); NotFound for an unknown id.
  Result<std::string> Read(std::string_view id, uint64_t offset = 0, uint64_t length = UINT64_MAX) const;
  Result<uint64_t> Size(std::string_view id) const;
  Status Remove(std::string_view id);
  //! Removes every blob for which `referenced` is false, and every temporary file; returns how many.
  Result<size_t> Sweep(const std::function<bool(std::string_view id)>& referenced);

  //! The path of a blob, for an id this store made (nullopt for anything else).
  std::optional<std::filesystem::path> PathOf(std::string_view id) const;

 private:
  BlobStore(std::filesystem::path root, Durability durability) : root_(std::move(root)), durability_(durability) {}
  std::filesystem::path root_;
  Durability durability_;
};

}  // namespace xacct::store

#include "services/s3/object_client.h"

#include <openssl/evp.h>

#include <fstream>
#include <memory>

#include "services/s3/object_common.h"
#include "services/s3/s3_permissions.h"

namespace xacct::services::s3 {

namespace {

// A request as the S3 operation would have received it: no headers, the bucket and key given.
struct Internal {
  server::HttpRequest http;
  Request req;
  Authenticated who;
  Internal(const identity::Principal& caller, std::string_view method, std::string_view bucket, std::string_view key) {
    http.method = std::string(method);
    req.method = http.method;
    req.bucket = std::string(bucket);
    req.key = std::string(key);
    req.http = &http;
    who.principal = caller;
    who.method = auth::AuthMethod::kHeader;
  }
};

Result<std::optional<Bucket>> Load(S3Service& s3, std::string_view bucket) {
  auto found = s3.FindBucket(std::string(bucket));
  if (!found) return found.error();
  if (!*found) return std::optional<Bucket>();
  return std::optional<Bucket>(**found);
}

ObjectInfo InfoOf(S3Service& s3, const store::ObjectVersion& v) {
  ObjectInfo o{v.bucket, v.key, v.size, v.etag, v.last_modified_ms, {}, v.version_id};
  if (!v.blob_id.empty() && v.size > 0) {
    if (auto path = s3.blobs().PathOf(v.blob_id)) o.path = path->string();
  }
  return o;
}

}  // namespace

Result<std::vector<ObjectInfo>> ObjectClient::List(const identity::Principal& caller, authz::RequestInfo& info,
                                                   std::string_view bucket, std::string_view prefix,
                                                   std::string* explanation) {
  Internal in(caller, "GET", bucket, "");
  in.req.query = {{"list-type", "2"}, {"prefix", std::string(prefix)}};
  Call c{s3_, in.req, in.who, info, "ListObjectsV2", {}, {}, {}, {}, {}};
  auto b = Load(s3_, bucket);
  if (!b) return b.error();
  c.bucket = std::move(*b);
  if (auto s = c.RequireBucket(); !s) return s.error();
  auto allowed = AuthorizeOperation(c, {{"s3:prefix", std::string(prefix)}, {"s3:max-keys", "1000"}});
  if (explanation != nullptr) *explanation = c.explanation;
  if (!allowed) return allowed.error();
  std::vector<ObjectInfo> out;
  store::ListOptions options;
  options.prefix = std::string(prefix);
  for (;;) {
    auto page = store::ObjectIndex::List(s3_.db(), bucket, options);
    if (!page) return page.error();
    for (const auto& v : page->entries) out.push_back(InfoOf(s3_, v));
    if (!page->truncated) break;
    options.start_after = page->next_marker;
  }
  return out;
}

Result<ObjectInfo> ObjectClient::Get(const identity::Principal& caller, authz::RequestInfo& info,
                                     std::string_view bucket, std::string_view key, std::string* explanation) {
  Internal in(caller, "GET", bucket, key);
  Call c{s3_, in.req, in.who, info, "GetObject", {}, {}, {}, {}, {}};
  auto b = Load(s3_, bucket);
  if (!b) return b.error();
  c.bucket = std::move(*b);
  auto found = FindReadable(c);
  if (explanation != nullptr) *explanation = c.explanation;
  if (!found) return found.error();
  return InfoOf(s3_, *found);
}

Result<ObjectInfo> ObjectClient::PutFile(const identity::Principal& caller, authz::RequestInfo& info,
                                         std::string_view bucket, std::string_view key,
                                         const std::filesystem::path& file, std::string_view content_type,
                                         std::string* explanation, bool move) {
  Internal in(caller, "PUT", bucket, key);
  in.http.headers.emplace_back("Content-Type", std::string(content_type));
  Call c{s3_, in.req, in.who, info, "PutObject", {}, {}, {}, {}, {}};
  auto b = Load(s3_, bucket);
  if (!b) return b.error();
  c.bucket = std::move(*b);
  auto allowed = PreauthorizeUpload(c);
  if (explanation != nullptr) *explanation = c.explanation;
  if (!allowed) return allowed.error();
  // The bytes: MD5 for the ETag, CRC64NVME as S3 adds it, into a durable blob: the file itself when it may be
  // moved (renamed into place, then hashed where it lies), else a copy written as the bytes are hashed.
  auth::PayloadChecksum crc(auth::ChecksumAlgorithm::kCrc64Nvme);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md5(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  EVP_DigestInit_ex(md5.get(), EVP_md5(), nullptr);
  std::string blob_id;
  std::filesystem::path source_path = file;
  if (move) {
    auto adopted = s3_.blobs().Adopt(file);
    if (adopted) {
      blob_id = *adopted;
      source_path = *s3_.blobs().PathOf(blob_id);
    } else if (adopted.error().code != "CrossDevice") {
      return adopted.error();
    }
  }
  std::ifstream source(source_path, std::ios::binary);
  if (!source) {
    if (!blob_id.empty()) (void)s3_.blobs().Remove(blob_id);
    return AwsError::Server("InternalError", "cannot read " + source_path.string());
  }
  std::unique_ptr<store::BlobWriter> writer;
  if (blob_id.empty()) {
    auto created = s3_.blobs().Create();
    if (!created) return created.error();
    writer = std::move(*created);
  }
  std::vector<char> buffer(1 << 20);
  uint64_t size = 0;
  while (source) {
    source.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto n = static_cast<size_t>(source.gcount());
    if (n == 0) break;
    const std::string_view piece(buffer.data(), n);
    EVP_DigestUpdate(md5.get(), piece.data(), piece.size());
    crc.Update(piece);
    size += n;
    if (writer) {
      if (auto s = writer->Append(piece); !s) return s.error();
    }
  }
  if (source.bad()) {
    if (!blob_id.empty()) (void)s3_.blobs().Remove(blob_id);
    return AwsError::Server("InternalError", "cannot read " + source_path.string());
  }
  unsigned char digest[16];
  unsigned int digest_len = 0;
  EVP_DigestFinal_ex(md5.get(), digest, &digest_len);
  if (writer) {
    auto committed = writer->Commit();
    if (!committed) return committed.error();
    blob_id = *committed;
  }
  UploadedBody up;
  up.blob_id = blob_id;
  up.size = size;
  up.md5_hex = HexOf(std::string_view(reinterpret_cast<char*>(digest), digest_len));
  up.checksums[auth::ChecksumAlgorithm::kCrc64Nvme] = crc.Base64Digest();
  json::object meta = MetaFromRequest(c.req);
  AddChecksums(up, meta);
  store::ObjectVersion v;
  v.bucket = c.bucket->name;
  v.key = std::string(key);
  v.size = size;
  v.etag = "\"" + up.md5_hex + "\"";
  v.blob_id = blob_id;
  v.meta = json::serialize(meta);
  auto stored = StoreVersion(c, std::move(v), false);
  if (!stored) {
    (void)s3_.blobs().Remove(blob_id);
    return stored.error();
  }
  return InfoOf(s3_, *stored);
}

Status ObjectClient::Discard(const ObjectInfo& object) {
  store::Released released;
  auto s = s3_.db().Write([&](store::Transaction& tx) -> Status {
    auto r = store::ObjectIndex::Remove(tx, object.bucket, object.key, object.version_id);
    if (!r) return r.error();
    released = std::move(*r);
    return Ok{};
  });
  if (!s) return s;
  for (const auto& id : released.blob_ids) (void)s3_.blobs().Remove(id);
  return Ok{};
}

}  // namespace xacct::services::s3

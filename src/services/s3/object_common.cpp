#include "services/s3/object_common.h"

#include <openssl/evp.h>

#include <random>

#include "auth/sigv4.h"
#include "policy/pattern.h"
#include "services/s3/s3_names.h"
#include "services/s3/s3_permissions.h"

namespace xacct::services::s3 {

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Unquote(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '"')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '"')) s.remove_suffix(1);
  if (s.starts_with("W/")) return Unquote(s.substr(2));
  return std::string(s);
}

bool EtagMatches(std::string_view header, std::string_view etag) {
  const std::string want = Unquote(etag);
  size_t pos = 0;
  while (pos <= header.size()) {
    size_t comma = header.find(',', pos);
    if (comma == std::string_view::npos) comma = header.size();
    const std::string one = Unquote(header.substr(pos, comma - pos));
    if (one == "*" || one == want) return true;
    pos = comma + 1;
  }
  return false;
}

bool ValidVersionId(std::string_view id) {
  if (id == "null") return true;
  if (id.size() != 32) return false;
  for (const char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_') return false;
  }
  return true;
}

AwsError NoSuchVersion(std::string_view key, std::string_view version) {
  AwsError e = AwsError::Client("NoSuchVersion", "The specified version does not exist.", 404);
  e.fields = {{"Key", std::string(key)}, {"VersionId", std::string(version)}};
  return e;
}

}  // namespace

void AddChecksums(const UploadedBody& up, json::object& meta) {
  json::object cs;
  const auto algorithm = up.client_algorithm.value_or(auth::ChecksumAlgorithm::kCrc64Nvme);
  if (auto it = up.checksums.find(algorithm); it != up.checksums.end()) {
    cs[std::string(auth::ChecksumName(algorithm))] = it->second;
  }
  meta["cs"] = std::move(cs);
  meta["ctype"] = "FULL_OBJECT";
}

void AddChecksumHeaders(const json::object& meta, server::HttpResponse& r) {
  const auto* cs = meta.if_contains("cs");
  if (cs == nullptr || !cs->is_object() || cs->as_object().empty()) return;
  for (const auto& [alg, value] : cs->as_object()) {
    r.headers.emplace_back("x-amz-checksum-" + Lower(alg), std::string(JsonString(value)));
  }
  r.headers.emplace_back("x-amz-checksum-type",
                         meta.contains("ctype") ? std::string(JsonString(meta.at("ctype"))) : "FULL_OBJECT");
}

json::array TagsJson(const std::vector<std::pair<std::string, std::string>>& tags) {
  json::array a;
  for (const auto& [k, v] : tags) a.push_back(json::array{json::string(k), json::string(v)});
  return a;
}

std::vector<std::pair<std::string, std::string>> TagsOf(const json::object& meta) {
  std::vector<std::pair<std::string, std::string>> out;
  if (const auto* t = meta.if_contains("tags"); t != nullptr && t->is_array()) {
    for (const auto& kv : t->as_array()) {
      out.emplace_back(std::string(JsonString(kv.as_array()[0])), std::string(JsonString(kv.as_array()[1])));
    }
  }
  return out;
}

json::object MetaOf(const store::ObjectVersion& v) {
  if (v.meta.empty()) return {};
  auto parsed = ParseJson(v.meta);
  if (!parsed || !parsed->is_object()) return {};
  return std::move(parsed->as_object());
}

std::string NewVersionId() {
  thread_local std::mt19937_64 rng(std::random_device{}());
  static constexpr char kChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._";
  std::string id;
  for (int i = 0; i < 32; ++i) id += kChars[rng() % 64];
  return id;
}

std::optional<AwsError> InvalidObjectKey(std::string_view key) {
  if (auto s = CheckObjectKey(key); !s) return s.error();
  return std::nullopt;
}

Result<store::ObjectVersion> StoreVersion(Call& c, store::ObjectVersion v, bool conditional) {
  v.version_id = c.bucket->versioning == "Enabled" ? NewVersionId() : "null";
  v.last_modified_ms = NowMs();
  std::pair<store::ObjectVersion, store::Released> out;
  auto s = c.s3.db().Write([&](store::Transaction& tx) -> Status {
    if (conditional && (c.req.HasHeader("If-None-Match") || c.req.HasHeader("If-Match"))) {
      auto latest = store::ObjectIndex::Latest(tx, v.bucket, v.key);
      if (!latest) return latest.error();
      const bool exists = *latest && !(*latest)->delete_marker;
      if (c.req.HasHeader("If-None-Match") && exists) {
        AwsError e = AwsError::Client("PreconditionFailed",
                                      "At least one of the pre-conditions you specified did not hold", 412);
        e.fields = {{"Condition", "If-None-Match"}};
        return e;
      }
      if (c.req.HasHeader("If-Match")) {
        if (!exists) return NoSuchKey(v.key);
        if (!EtagMatches(c.req.Header("If-Match"), (*latest)->etag)) {
          AwsError e = AwsError::Client("PreconditionFailed",
                                        "At least one of the pre-conditions you specified did not hold", 412);
          e.fields = {{"Condition", "If-Match"}};
          return e;
        }
      }
    }
    auto put = store::ObjectIndex::Put(tx, std::move(v));
    if (!put) return put.error();
    out = std::move(*put);
    return Ok{};
  });
  if (!s) return s.error();
  for (const auto& id : out.second.blob_ids) (void)c.s3.blobs().Remove(id);
  return std::move(out.first);
}

void AddWriteHeaders(const Call& c, const store::ObjectVersion& v, const json::object& meta, server::HttpResponse& r) {
  if (v.version_id != "null") r.headers.emplace_back("x-amz-version-id", v.version_id);
  const std::string sse = meta.contains("sse") ? std::string(JsonString(meta.at("sse"))) : c.bucket->sse_algorithm;
  r.headers.emplace_back("x-amz-server-side-encryption", sse);
  AddChecksumHeaders(meta, r);
}

Result<store::ObjectVersion> FindReadable(Call& c, std::vector<std::pair<std::string, std::string>> context) {
  if (auto s = c.RequireBucket(); !s) return s.error();
  const auto version = c.req.OptParam("versionId");
  if (version && !ValidVersionId(*version)) {
    return InvalidArgument("Invalid version id specified", "versionId", *version);
  }
  auto found = version ? store::ObjectIndex::Version(c.s3.db(), c.bucket->name, c.req.key, *version)
                       : store::ObjectIndex::Latest(c.s3.db(), c.bucket->name, c.req.key);
  if (!found) return found.error();
  {
    std::vector<std::pair<std::string, std::string>> ctx = std::move(context);
    if (*found && !(*found)->delete_marker) {
      for (const auto& [k, v] : TagsOf(MetaOf(**found))) ctx.emplace_back("s3:ExistingObjectTag/" + k, v);
    }
    if (auto s = AuthorizeOperation(c, std::move(ctx)); !s) return s.error();
  }
  if (!*found) {
    if (version) return NoSuchVersion(c.req.key, *version);
    // 404 only for a caller who may list the bucket; anyone else learns nothing (403).
    const std::string saved = c.explanation;
    if (auto s = c.Authorize("s3:ListBucket", c.bucket->Arn()); !s) return s.error();
    c.explanation = saved;
    return NoSuchKey(c.req.key);
  }
  if ((*found)->delete_marker) {
    c.error_headers = {{"x-amz-delete-marker", "true"}, {"x-amz-version-id", (*found)->version_id}};
    if (version) {
      return AwsError::Client("MethodNotAllowed", "The specified method is not allowed against this resource.", 405);
    }
    return NoSuchKey(c.req.key);
  }
  return std::move(**found);
}

ConditionResult CheckConditions(const Request& req, const store::ObjectVersion& v, const char* if_match,
                                const char* if_none_match, const char* if_modified_since,
                                const char* if_unmodified_since) {
  const int64_t modified = v.last_modified_ms / 1000;
  auto date = [&](const char* h) -> std::optional<int64_t> {
    auto t = auth::ParseHttpDate(req.Header(h));
    if (!t) return std::nullopt;
    return t->time_since_epoch().count();
  };
  if (req.HasHeader(if_match)) {
    if (!EtagMatches(req.Header(if_match), v.etag)) return {412, if_match};
  } else if (req.HasHeader(if_unmodified_since)) {
    if (auto d = date(if_unmodified_since); d && modified > *d) return {412, if_unmodified_since};
  }
  if (req.HasHeader(if_none_match)) {
    if (EtagMatches(req.Header(if_none_match), v.etag)) return {304, if_none_match};
  } else if (req.HasHeader(if_modified_since)) {
    if (auto d = date(if_modified_since); d && modified <= *d) return {304, if_modified_since};
  }
  return {};
}

Result<std::optional<std::pair<uint64_t, uint64_t>>> ParseRange(std::string_view header, uint64_t size) {
  using Range = std::optional<std::pair<uint64_t, uint64_t>>;
  const AwsError unsatisfiable = AwsError::Client("InvalidRange", "The requested range is not satisfiable", 416);
  if (!header.starts_with("bytes=")) return Range();
  std::string_view spec = header.substr(6);
  if (spec.find(',') != std::string_view::npos) return Range();  // S3 serves one range; several: the whole object
  const auto dash = spec.find('-');
  if (dash == std::string_view::npos) return Range();
  const std::string_view a = spec.substr(0, dash), b = spec.substr(dash + 1);
  auto number = [](std::string_view s) -> std::optional<uint64_t> {
    if (s.empty() || s.size() > 19) return std::nullopt;
    uint64_t n = 0;
    for (const char ch : s) {
      if (ch < '0' || ch > '9') return std::nullopt;
      n = n * 10 + static_cast<uint64_t>(ch - '0');
    }
    return n;
  };
  if (a.empty()) {
    const auto n = number(b);
    if (!n) return Range();
    if (*n == 0 || size == 0) return unsatisfiable;
    return Range(std::pair<uint64_t, uint64_t>{*n >= size ? 0 : size - *n, size - 1});
  }
  const auto first = number(a);
  if (!first) return Range();
  const auto last = b.empty() ? std::optional<uint64_t>(UINT64_MAX) : number(b);
  if (!last || *last < *first) return Range();
  if (*first >= size) return unsatisfiable;
  return Range(std::pair<uint64_t, uint64_t>{*first, std::min(*last, size - 1)});
}

Result<DeleteOutcome> DeleteOne(Call& c, const std::string& key, const std::optional<std::string>& version_id) {
  if (version_id && !ValidVersionId(*version_id)) {
    return InvalidArgument("Invalid version id specified", "versionId", *version_id);
  }
  DeleteOutcome out;
  store::Released released;
  auto s = c.s3.db().Write([&](store::Transaction& tx) -> Status {
    if (version_id) {
      auto existing = store::ObjectIndex::Version(tx, c.bucket->name, key, *version_id);
      if (!existing) return existing.error();
      out.version_id = *version_id;
      if (!*existing) return Ok{};
      out.delete_marker = (*existing)->delete_marker;
      auto r = store::ObjectIndex::Remove(tx, c.bucket->name, key, *version_id);
      if (!r) return r.error();
      released = std::move(*r);
      return Ok{};
    }
    if (c.bucket->versioning.empty()) {
      auto r = store::ObjectIndex::Remove(tx, c.bucket->name, key, "null");
      if (!r) return r.error();
      released = std::move(*r);
      return Ok{};
    }
    store::ObjectVersion marker;
    marker.bucket = c.bucket->name;
    marker.key = key;
    marker.delete_marker = true;
    marker.version_id = c.bucket->versioning == "Enabled" ? NewVersionId() : "null";
    marker.last_modified_ms = NowMs();
    marker.meta = "{}";
    auto put = store::ObjectIndex::Put(tx, std::move(marker));
    if (!put) return put.error();
    out.version_id = put->first.version_id;
    out.delete_marker = true;
    released = std::move(put->second);
    return Ok{};
  });
  if (!s) return s.error();
  for (const auto& id : released.blob_ids) (void)c.s3.blobs().Remove(id);
  return out;
}

Result<CopySource> LoadCopySource(Call& c, const char* if_match, const char* if_none_match,
                                  const char* if_modified_since, const char* if_unmodified_since) {
  std::string source = auth::PercentDecode(c.req.Header("x-amz-copy-source"));
  std::optional<std::string> version;
  if (const auto q = source.find("?versionId="); q != std::string::npos) {
    version = source.substr(q + 11);
    source.resize(q);
  }
  if (!source.empty() && source[0] == '/') source.erase(0, 1);
  const auto slash = source.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == source.size()) {
    return InvalidArgument("Invalid copy source object key", "x-amz-copy-source",
                           std::string(c.req.Header("x-amz-copy-source")));
  }
  CopySource out;
  const std::string bucket_name = source.substr(0, slash), key = source.substr(slash + 1);
  auto bucket = LoadBucket(c.s3.db(), bucket_name);
  if (!bucket) return bucket.error();
  if (!*bucket) return NoSuchBucket(bucket_name);
  out.bucket = std::move(**bucket);
  if (version && !ValidVersionId(*version))
    return InvalidArgument("Invalid version id specified", "versionId", *version);
  auto found = version ? store::ObjectIndex::Version(c.s3.db(), bucket_name, key, *version)
                       : store::ObjectIndex::Latest(c.s3.db(), bucket_name, key);
  if (!found) return found.error();
  std::vector<std::pair<std::string, std::string>> ctx;
  if (*found && !(*found)->delete_marker) {
    for (const auto& [k, v] : TagsOf(MetaOf(**found))) ctx.emplace_back("s3:ExistingObjectTag/" + k, v);
  }
  if (auto s = c.AuthorizeIn(&out.bucket, version ? "s3:GetObjectVersion" : "s3:GetObject", out.bucket.ObjectArn(key),
                             std::move(ctx));
      !s) {
    return s.error();
  }
  if (!*found) return version ? NoSuchVersion(key, *version) : NoSuchKey(key);
  if ((*found)->delete_marker) {
    if (version) {
      return InvalidRequest(
          "The source of a copy request may not specifically refer to a delete marker by version id.");
    }
    return NoSuchKey(key);
  }
  out.version = std::move(**found);
  if (auto cond = CheckConditions(c.req, out.version, if_match, if_none_match, if_modified_since, if_unmodified_since);
      cond.status != 0) {
    AwsError e =
        AwsError::Client("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", 412);
    e.fields = {{"Condition", cond.condition}};
    return e;
  }
  return out;
}

std::string Md5Raw(std::string_view bytes) {
  unsigned char out[16];
  unsigned int n = 0;
  EVP_Digest(bytes.data(), bytes.size(), out, &n, EVP_md5(), nullptr);
  return std::string(reinterpret_cast<char*>(out), n);
}

std::string HexOf(std::string_view raw) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const unsigned char c : raw) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

Result<std::string> CopyBlob(store::BlobStore& blobs, const std::string& blob_id, uint64_t offset, uint64_t length,
                             std::string* md5_raw) {
  EVP_MD_CTX* md5 = EVP_MD_CTX_new();
  EVP_DigestInit_ex(md5, EVP_md5(), nullptr);
  struct Free {
    EVP_MD_CTX* p;
    ~Free() { EVP_MD_CTX_free(p); }
  } free_md5{md5};
  auto finish_md5 = [&] {
    if (md5_raw == nullptr) return;
    unsigned char out[16];
    unsigned int n = 0;
    EVP_DigestFinal_ex(md5, out, &n);
    *md5_raw = std::string(reinterpret_cast<char*>(out), n);
  };
  if (blob_id.empty() || length == 0) {
    finish_md5();
    auto w = blobs.Create();
    if (!w) return w.error();
    return (*w)->Commit();
  }
  auto size = blobs.Size(blob_id);
  if (!size) return size.error();
  const uint64_t end = length == UINT64_MAX ? *size : std::min(*size, offset + length);
  auto w = blobs.Create();
  if (!w) return w.error();
  constexpr uint64_t kPiece = 4 * 1024 * 1024;
  for (uint64_t at = offset; at < end; at += kPiece) {
    auto bytes = blobs.Read(blob_id, at, std::min(kPiece, end - at));
    if (!bytes) return bytes.error();
    EVP_DigestUpdate(md5, bytes->data(), bytes->size());
    if (auto s = (*w)->Append(*bytes); !s) return s.error();
  }
  finish_md5();
  return (*w)->Commit();
}

Result<json::object> FindUpload(Call& c) {
  const std::string upload_id = c.req.Param("uploadId");
  auto doc = c.s3.db().Get(store::Scope::Global(), kUploadKind, c.req.bucket + "/" + upload_id);
  if (!doc) return doc.error();
  std::optional<json::object> upload;
  if (*doc) {
    if (auto parsed = ParseJson(**doc); parsed && parsed->is_object()) upload = std::move(parsed->as_object());
  }
  if (!upload || StringField(*upload, "key") != c.req.key) {
    AwsError e = AwsError::Client("NoSuchUpload",
                                  "The specified upload does not exist. The upload ID may be invalid, or the upload "
                                  "may have been aborted or completed.",
                                  404);
    e.fields = {{"UploadId", upload_id}};
    return e;
  }
  return std::move(*upload);
}

}  // namespace xacct::services::s3

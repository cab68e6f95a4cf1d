// Object operations (Amazon S3 API Reference: PutObject, GetObject, HeadObject, DeleteObject,
// DeleteObjects, CopyObject, GetObjectAttributes, object tagging and ACLs). Conditional requests follow
// RFC 9110 as S3 applies it ("Conditional requests" in the User Guide); a missing key answers 404 only to
// a caller allowed s3:ListBucket, else 403 (GetObject "Permissions").
#include <pugixml.hpp>

#include <random>

#include "auth/sigv4.h"
#include "services/s3/object_common.h"
#include "services/s3/s3_internal.h"
#include "services/s3/s3_names.h"
#include "services/s3/s3_permissions.h"

namespace xacct::services::s3 {

namespace {

using server::HttpResponse;

// The user-settable headers an object keeps, and the meta keys they are stored under.
constexpr std::pair<const char*, const char*> kStoredHeaders[] = {{"Content-Type", "ct"},
                                                                  {"Cache-Control", "cc"},
                                                                  {"Content-Disposition", "cd"},
                                                                  {"Content-Encoding", "ce"},
                                                                  {"Content-Language", "cl"},
                                                                  {"Expires", "exp"},
                                                                  {"x-amz-website-redirect-location", "wr"}};

Result<HttpResponse> PutObject(Call& c) {
  json::object meta = MetaFromRequest(c.req);
  const UploadedBody& up = *c.upload;
  AddChecksums(up, meta);
  auto tags = ParseTagHeader(c.req.Header("x-amz-tagging"));
  if (!tags) return tags.error();
  if (!tags->empty()) meta["tags"] = TagsJson(*tags);
  store::ObjectVersion v;
  v.bucket = c.bucket->name;
  v.key = c.req.key;
  v.size = up.size;
  v.etag = "\"" + up.md5_hex + "\"";
  v.blob_id = up.blob_id;
  v.meta = json::serialize(meta);
  auto stored = StoreVersion(c, std::move(v), /*conditional=*/true);
  if (!stored) return stored.error();
  HttpResponse r = EmptyResponse();
  r.headers.emplace_back("ETag", stored->etag);
  AddWriteHeaders(c, *stored, meta, r);
  return r;
}

Result<HttpResponse> GetOrHead(Call& c, bool head) {
  auto found = FindReadable(c);
  if (!found) return found.error();
  const store::ObjectVersion& v = *found;
  const json::object meta = MetaOf(v);
  HttpResponse r = EmptyResponse();
  if (auto cond = CheckConditions(c.req, v, "If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since");
      cond.status != 0) {
    if (cond.status == 304) {
      r.status = 304;
      r.headers.emplace_back("ETag", v.etag);
      r.headers.emplace_back("Last-Modified", HttpDate(v.last_modified_ms));
      return r;
    }
    AwsError e =
        AwsError::Client("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", 412);
    e.fields = {{"Condition", cond.condition}};
    return e;
  }
  AddObjectHeaders(c, v, meta, r);
  uint64_t offset = 0, length = v.size;
  if (auto part = c.req.OptParam("partNumber")) {
    // One part of a multipart object (an object of one PUT is a single part).
    const int n = std::atoi(part->c_str());
    const auto* parts = meta.if_contains("parts");
    const size_t count = parts != nullptr && parts->is_array() ? parts->as_array().size() : 1;
    if (n < 1 || static_cast<size_t>(n) > count) {
      return AwsError::Client("InvalidPartNumber", "The requested partnumber is not satisfiable", 416);
    }
    if (parts != nullptr && parts->is_array()) {
      for (int i = 0; i < n; ++i) {
        const uint64_t size = static_cast<uint64_t>(parts->as_array()[static_cast<size_t>(i)].as_array()[1].as_int64());
        if (i + 1 < n) offset += size;
        length = size;
      }
    }
    r.status = 206;
    r.headers.emplace_back("x-amz-mp-parts-count", std::to_string(count));
    r.headers.emplace_back("Content-Range", "bytes " + std::to_string(offset) + "-" +
                                                std::to_string(offset + length - (length > 0 ? 1 : 0)) + "/" +
                                                std::to_string(v.size));
  } else if (auto range = c.req.Header("Range"); !range.empty()) {
    auto parsed = ParseRange(range, v.size);
    if (!parsed) {
      AwsError e = parsed.error();
      e.fields = {{"RangeRequested", std::string(range)}, {"ActualObjectSize", std::to_string(v.size)}};
      return e;
    }
    if (*parsed) {
      offset = (*parsed)->first;
      length = (*parsed)->second - offset + 1;
      r.status = 206;
      r.headers.emplace_back("Content-Range", "bytes " + std::to_string(offset) + "-" +
                                                  std::to_string(offset + length - 1) + "/" + std::to_string(v.size));
    }
  }
  if (r.status == 200 && c.req.Header("x-amz-checksum-mode") == "ENABLED") AddChecksumHeaders(meta, r);
  // response-* query parameters override headers of the answer (GetObject "Overriding response header values").
  for (const auto& [param, header] : std::initializer_list<std::pair<const char*, const char*>>{
           {"response-content-type", "Content-Type"},
           {"response-content-language", "Content-Language"},
           {"response-expires", "Expires"},
           {"response-cache-control", "Cache-Control"},
           {"response-content-disposition", "Content-Disposition"},
           {"response-content-encoding", "Content-Encoding"}}) {
    if (auto value = c.req.OptParam(param)) {
      std::erase_if(r.headers, [&](const auto& h) { return policy::EqualsIgnoreCase(h.first, header); });
      r.headers.emplace_back(header, *value);
    }
  }
  r.headers.emplace_back("Content-Length", std::to_string(length));
  if (head || length == 0) return r;
  std::erase_if(r.headers, [](const auto& h) { return h.first == "Content-Length"; });
  if (length <= 256 * 1024) {
    auto bytes = c.s3.blobs().Read(v.blob_id, offset, length);
    if (!bytes) return bytes.error();
    r.body = std::move(*bytes);
  } else {
    auto path = c.s3.blobs().PathOf(v.blob_id);
    if (!path) return AwsError::Server("InternalError", "the object's bytes are missing");
    r.file = server::FileBody{path->string(), offset, length};
  }
  return r;
}

Result<HttpResponse> GetObject(Call& c) { return GetOrHead(c, false); }
Result<HttpResponse> HeadObject(Call& c) { return GetOrHead(c, true); }

Result<HttpResponse> DeleteObject(Call& c) {
  if (auto s = c.RequireBucket(); !s) return s.error();
  if (auto s = AuthorizeOperation(c); !s) return s.error();
  auto out = DeleteOne(c, c.req.key, c.req.OptParam("versionId"));
  if (!out) return out.error();
  HttpResponse r = EmptyResponse(204);
  if (out->delete_marker) r.headers.emplace_back("x-amz-delete-marker", "true");
  if (!out->version_id.empty()) r.headers.emplace_back("x-amz-version-id", out->version_id);
  return r;
}

Result<HttpResponse> DeleteObjects(Call& c) {
  if (auto s = c.RequireBucket(); !s) return s.error();
  auto doc = ParseXml(c.body, "Delete");
  if (!doc) return doc.error();
  const auto root = (*doc)->document_element();
  const bool quiet = std::string_view(root.child("Quiet").text().as_string()) == "true";
  std::vector<std::pair<std::string, std::optional<std::string>>> targets;
  for (const auto& o : root.children("Object")) {
    if (!o.child("Key")) return MalformedXml();
    std::optional<std::string> version;
    if (o.child("VersionId")) version = o.child("VersionId").text().as_string();
    targets.emplace_back(o.child("Key").text().as_string(), version);
  }
  if (targets.empty() || targets.size() > 1000) return MalformedXml();
  XmlWriter x("DeleteResult");
  for (const auto& [key, version] : targets) {
    const Permission* p = PermissionOf("DeleteObject");
    auto allowed = c.Authorize(ActionFor(*p, version.has_value()), c.bucket->ObjectArn(key));
    Result<DeleteOutcome> out = allowed ? DeleteOne(c, key, version) : Result<DeleteOutcome>(allowed.error());
    if (!out) {
      x.Open("Error").Leaf("Key", key);
      if (version) x.Leaf("VersionId", *version);
      x.Leaf("Code", out.error().code).Leaf("Message", out.error().message).Close("Error");
      continue;
    }
    if (quiet) continue;
    x.Open("Deleted").Leaf("Key", key);
    if (version) x.Leaf("VersionId", *version);
    if (out->delete_marker) {
      x.Bool("DeleteMarker", true);
      if (!out->version_id.empty()) x.Leaf("DeleteMarkerVersionId", out->version_id);
    }
    x.Close("Deleted");
  }
  return XmlResponse(x.Finish());
}

Result<HttpResponse> CopyObject(Call& c) {
  if (auto s = c.RequireBucket(); !s) return s.error();
  if (auto invalid = InvalidObjectKey(c.req.key)) return *invalid;
  auto source = LoadCopySource(c, "x-amz-copy-source-if-match", "x-amz-copy-source-if-none-match",
                               "x-amz-copy-source-if-modified-since", "x-amz-copy-source-if-unmodified-since");
  if (!source) return source.error();
  const store::ObjectVersion& src = source->version;
  const std::string directive =
      c.req.HasHeader("x-amz-metadata-directive") ? std::string(c.req.Header("x-amz-metadata-directive")) : "COPY";
  if (directive != "COPY" && directive != "REPLACE") {
    return InvalidArgument("Unknown metadata directive.", "x-amz-metadata-directive", directive);
  }
  const std::string tagging_directive =
      c.req.HasHeader("x-amz-tagging-directive") ? std::string(c.req.Header("x-amz-tagging-directive")) : "COPY";
  const bool same = source->bucket.name == c.bucket->name && src.key == c.req.key;
  if (same && directive == "COPY" && !c.req.HasHeader("x-amz-storage-class") &&
      !c.req.HasHeader("x-amz-server-side-encryption") && !c.req.HasHeader("x-amz-website-redirect-location")) {
    return InvalidRequest(
        "This copy request is illegal because it is trying to copy an object to itself without changing the "
        "object's metadata, storage class, website redirect location or encryption attributes.");
  }
  if (auto s = CheckAclAllowed(*c.bucket, c.req); !s) return s.error();
  std::vector<std::pair<std::string, std::string>> ctx;
  if (auto s = AuthorizeOperation(c); !s) return s.error();
  json::object src_meta = MetaOf(src);
  json::object meta = directive == "COPY" ? src_meta : MetaFromRequest(c.req);
  for (const char* k : {"cs", "ctype", "parts"}) {
    if (directive == "REPLACE" && src_meta.contains(k)) meta[k] = src_meta[k];
  }
  meta["sse"] = c.req.HasHeader("x-amz-server-side-encryption")
                    ? std::string(c.req.Header("x-amz-server-side-encryption"))
                    : c.bucket->sse_algorithm;
  if (tagging_directive == "REPLACE") {
    auto tags = ParseTagHeader(c.req.Header("x-amz-tagging"));
    if (!tags) return tags.error();
    meta.erase("tags");
    if (!tags->empty()) {
      if (auto s = c.Authorize("s3:PutObjectTagging", c.bucket->ObjectArn(c.req.key)); !s) return s.error();
      meta["tags"] = TagsJson(*tags);
    }
  }
  auto blob = CopyBlob(c.s3.blobs(), src.blob_id);
  if (!blob) return blob.error();
  store::ObjectVersion v;
  v.bucket = c.bucket->name;
  v.key = c.req.key;
  v.size = src.size;
  v.etag = src.etag;
  v.blob_id = *blob;
  v.meta = json::serialize(meta);
  auto stored = StoreVersion(c, std::move(v), false);
  if (!stored) {
    if (!blob->empty()) (void)c.s3.blobs().Remove(*blob);
    return stored.error();
  }
  XmlWriter x("CopyObjectResult");
  x.Leaf("ETag", stored->etag).Leaf("LastModified", IsoMs(stored->last_modified_ms));
  if (const auto* cs = meta.if_contains("cs"); cs != nullptr && cs->is_object()) {
    for (const auto& [alg, value] : cs->as_object()) x.Leaf("Checksum" + std::string(alg), JsonString(value));
  }
  HttpResponse r = XmlResponse(x.Finish());
  if (src.version_id != "null") r.headers.emplace_back("x-amz-copy-source-version-id", src.version_id);
  AddWriteHeaders(c, *stored, meta, r);
  return r;
}

Result<HttpResponse> GetObjectAttributes(Call& c) {
  auto found = FindReadable(c);
  if (!found) return found.error();
  const bool versioned = c.req.OptParam("versionId").has_value();
  if (auto s = c.Authorize(versioned ? "s3:GetObjectVersionAttributes" : "s3:GetObjectAttributes",
                           c.bucket->ObjectArn(c.req.key));
      !s) {
    return s.error();
  }
  const store::ObjectVersion& v = *found;
  const json::object meta = MetaOf(v);
  std::string wanted;
  for (const auto& [k, val] : c.req.http->headers) {
    if (policy::EqualsIgnoreCase(k, "x-amz-object-attributes")) wanted += "," + val;
  }
  auto want = [&](std::string_view name) { return wanted.find(name) != std::string::npos; };
  if (wanted.empty()) {
    return InvalidArgument("Invalid attribute name specified.", "x-amz-object-attributes", "");
  }
  XmlWriter x("GetObjectAttributesResponse");
  if (want("ETag")) x.Leaf("ETag", v.etag.size() >= 2 ? v.etag.substr(1, v.etag.size() - 2) : v.etag);
  if (want("Checksum")) {
    if (const auto* cs = meta.if_contains("cs"); cs != nullptr && cs->is_object() && !cs->as_object().empty()) {
      x.Open("Checksum");
      for (const auto& [alg, value] : cs->as_object()) x.Leaf("Checksum" + std::string(alg), JsonString(value));
      x.Leaf("ChecksumType", meta.contains("ctype") ? JsonString(meta.at("ctype")) : "FULL_OBJECT");
      x.Close("Checksum");
    }
  }
  if (want("ObjectParts")) {
    if (const auto* parts = meta.if_contains("parts"); parts != nullptr && parts->is_array()) {
      x.Open("ObjectParts").Leaf("PartsCount", parts->as_array().size()).Leaf("PartNumberMarker", 0);
      x.Leaf("NextPartNumberMarker", parts->as_array().size()).Leaf("MaxParts", 1000).Bool("IsTruncated", false);
      for (const auto& part : parts->as_array()) {
        const auto& a = part.as_array();
        x.Open("Part").Leaf("PartNumber", static_cast<uint64_t>(a[0].as_int64()));
        x.Leaf("Size", static_cast<uint64_t>(a[1].as_int64()));
        if (a.size() > 3) x.Leaf("Checksum" + std::string(JsonString(a[2])), JsonString(a[3]));
        x.Close("Part");
      }
      x.Close("ObjectParts");
    }
  }
  if (want("StorageClass")) x.Leaf("StorageClass", "STANDARD");
  if (want("ObjectSize")) x.Leaf("ObjectSize", v.size);
  HttpResponse r = XmlResponse(x.Finish());
  r.headers.emplace_back("Last-Modified", HttpDate(v.last_modified_ms));
  if (v.version_id != "null") r.headers.emplace_back("x-amz-version-id", v.version_id);
  return r;
}

// ---- tagging and ACLs ----

// s3:RequestObjectTag/<key> for each tag a request sets (Service Authorization Reference, S3 condition keys).
std::vector<std::pair<std::string, std::string>> RequestTagKeys(
    const std::vector<std::pair<std::string, std::string>>& tags) {
  std::vector<std::pair<std::string, std::string>> ctx;
  for (const auto& [k, v] : tags) ctx.emplace_back("s3:RequestObjectTag/" + k, v);
  return ctx;
}

Result<HttpResponse> PutObjectTagging(Call& c) {
  auto tags = ParseTaggingXml(c.body);
  if (!tags) return tags.error();
  auto found = FindReadable(c, RequestTagKeys(*tags));
  if (!found) return found.error();
  json::object meta = MetaOf(*found);
  meta.erase("tags");
  if (!tags->empty()) meta["tags"] = TagsJson(*tags);
  auto s = c.s3.db().Write([&](store::Transaction& tx) {
    return store::ObjectIndex::UpdateMeta(tx, found->bucket, found->key, found->version_id, json::serialize(meta));
  });
  if (!s) return s.error();
  HttpResponse r = EmptyResponse();
  if (found->version_id != "null") r.headers.emplace_back("x-amz-version-id", found->version_id);
  return r;
}

Result<HttpResponse> GetObjectTagging(Call& c) {
  auto found = FindReadable(c);
  if (!found) return found.error();
  HttpResponse r = XmlResponse(TaggingXml(TagsOf(MetaOf(*found))));
  if (found->version_id != "null") r.headers.emplace_back("x-amz-version-id", found->version_id);
  return r;
}

Result<HttpResponse> DeleteObjectTagging(Call& c) {
  auto found = FindReadable(c);
  if (!found) return found.error();
  json::object meta = MetaOf(*found);
  meta.erase("tags");
  auto s = c.s3.db().Write([&](store::Transaction& tx) {
    return store::ObjectIndex::UpdateMeta(tx, found->bucket, found->key, found->version_id, json::serialize(meta));
  });
  if (!s) return s.error();
  HttpResponse r = EmptyResponse(204);
  if (found->version_id != "null") r.headers.emplace_back("x-amz-version-id", found->version_id);
  return r;
}

Result<HttpResponse> GetObjectAcl(Call& c) {
  auto found = FindReadable(c);
  if (!found) return found.error();
  return XmlResponse(OwnerAclXml(c.bucket->owner));
}

Result<HttpResponse> PutObjectAcl(Call& c) {
  auto found = FindReadable(c);
  if (!found) return found.error();
  if (auto s = CheckAclAllowed(*c.bucket, c.req); !s) return s.error();
  if (c.bucket->ownership == "BucketOwnerEnforced" && !c.body.empty()) {
    return AwsError::Client("AccessControlListNotSupported", "The bucket does not allow ACLs");
  }
  return EmptyResponse();
}

}  // namespace

json::object MetaFromRequest(const Request& req) {
  json::object meta;
  for (const auto& [header, key] : kStoredHeaders) {
    if (req.HasHeader(header)) meta[key] = std::string(req.Header(header));
  }
  if (!meta.contains("ct")) meta["ct"] = "binary/octet-stream";
  json::object user;
  for (const auto& [k, v] : req.http->headers) {
    if (k.size() > 11 && policy::EqualsIgnoreCase(std::string_view(k).substr(0, 11), "x-amz-meta-")) {
      std::string name = k.substr(11);
      for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      user[name] = v;
    }
  }
  if (!user.empty()) meta["meta"] = std::move(user);
  if (req.HasHeader("x-amz-server-side-encryption")) {
    meta["sse"] = std::string(req.Header("x-amz-server-side-encryption"));
  }
  if (req.HasHeader("x-amz-storage-class")) meta["sc"] = std::string(req.Header("x-amz-storage-class"));
  return meta;
}

void AddObjectHeaders(const Call& c, const store::ObjectVersion& v, const json::object& meta, HttpResponse& r) {
  for (const auto& [header, key] : kStoredHeaders) {
    if (const auto* value = meta.if_contains(key)) r.headers.emplace_back(header, std::string(JsonString(*value)));
  }
  r.headers.emplace_back("ETag", v.etag);
  r.headers.emplace_back("Last-Modified", HttpDate(v.last_modified_ms));
  r.headers.emplace_back("Accept-Ranges", "bytes");
  if (const auto* user = meta.if_contains("meta"); user != nullptr && user->is_object()) {
    for (const auto& [k, value] : user->as_object()) {
      r.headers.emplace_back("x-amz-meta-" + std::string(k), std::string(JsonString(value)));
    }
  }
  const std::string sse = meta.contains("sse") ? std::string(JsonString(meta.at("sse"))) : "AES256";
  r.headers.emplace_back("x-amz-server-side-encryption", sse);
  if (v.version_id != "null" || !c.bucket->versioning.empty()) r.headers.emplace_back("x-amz-version-id", v.version_id);
  if (const auto* sc = meta.if_contains("sc"); sc != nullptr && JsonString(*sc) != "STANDARD") {
    r.headers.emplace_back("x-amz-storage-class", std::string(JsonString(*sc)));
  }
  const auto tags = TagsOf(meta);
  if (!tags.empty()) r.headers.emplace_back("x-amz-tagging-count", std::to_string(tags.size()));
}

Status PreauthorizeUpload(Call& c) {
  if (auto s = c.RequireBucket(); !s) return s;
  if (auto invalid = InvalidObjectKey(c.req.key)) return *invalid;
  if (auto s = CheckAclAllowed(*c.bucket, c.req); !s) return s;
  if (c.req.HasHeader("x-amz-server-side-encryption")) {
    const std::string_view sse = c.req.Header("x-amz-server-side-encryption");
    if (sse != "AES256" && sse != "aws:kms" && sse != "aws:kms:dsse") {
      return InvalidArgument("The encryption method specified is not supported", "x-amz-server-side-encryption",
                             std::string(sse));
    }
  }
  if (c.operation == "UploadPart") {
    if (auto s = AuthorizeOperation(c); !s) return s;
    return FindUpload(c).ok() ? Status(Ok{}) : Status(FindUpload(c).error());
  }
  if (c.req.HasHeader("x-amz-tagging")) {
    auto tags = ParseTagHeader(c.req.Header("x-amz-tagging"));
    if (!tags) return tags.error();
    if (auto s = AuthorizeOperation(c, RequestTagKeys(*tags)); !s) return s;
    if (!tags->empty()) {
      return c.Authorize("s3:PutObjectTagging", c.bucket->ObjectArn(c.req.key), RequestTagKeys(*tags));
    }
    return Ok{};
  }
  return AuthorizeOperation(c);
}

const std::vector<OperationEntry>& ObjectOperations() {
  static const std::vector<OperationEntry> ops{
      {"PutObject", PutObject},
      {"GetObject", GetObject},
      {"HeadObject", HeadObject},
      {"DeleteObject", DeleteObject},
      {"DeleteObjects", DeleteObjects},
      {"CopyObject", CopyObject},
      {"GetObjectAttributes", GetObjectAttributes},
      {"PutObjectTagging", PutObjectTagging},
      {"GetObjectTagging", GetObjectTagging},
      {"DeleteObjectTagging", DeleteObjectTagging},
      {"GetObjectAcl", GetObjectAcl},
      {"PutObjectAcl", PutObjectAcl},
  };
  return ops;
}

}  // namespace xacct::services::s3

// Multipart uploads (Amazon S3 API Reference: CreateMultipartUpload, UploadPart, UploadPartCopy,
// CompleteMultipartUpload, AbortMultipartUpload, ListParts, ListMultipartUploads; User Guide "Checking
// object integrity" for full-object and composite checksums). The object's ETag is the MD5 of the parts'
// binary MD5s followed by "-N"; parts other than the last must be at least 5 MiB.
#include <pugixml.hpp>

#include <cstdio>

#include "auth/checksum.h"
#include "services/s3/object_common.h"
#include "services/s3/s3_internal.h"
#include "services/s3/s3_permissions.h"

namespace xacct::services::s3 {

namespace {

using server::HttpResponse;
constexpr uint64_t kMinPartSize = 5 * 1024 * 1024;

std::string PartId(std::string_view bucket, std::string_view upload_id, int n) {
  char num[8];
  std::snprintf(num, sizeof num, "%05d", n);
  return std::string(bucket) + "/" + std::string(upload_id) + "/" + num;
}

std::string UploadDocId(std::string_view bucket, std::string_view upload_id) {
  return std::string(bucket) + "/" + std::string(upload_id);
}

Result<int> PartNumber(const Request& req) {
  const std::string text = req.Param("partNumber");
  char* end = nullptr;
  const long n = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || n < 1 || n > 10000) {
    return InvalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", text);
  }
  return static_cast<int>(n);
}

Result<std::vector<json::object>> PartsOf(store::Database& db, std::string_view bucket, std::string_view upload_id) {
  auto docs = db.List(store::Scope::Global(), kPartKind, UploadDocId(bucket, upload_id) + "/");
  if (!docs) return docs.error();
  std::vector<json::object> out;
  for (const auto& d : *docs) {
    if (auto p = ParseJson(d.body); p && p->is_object()) out.push_back(std::move(p->as_object()));
  }
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// An upload the request names, authorized with the operation's table entry, and its parts so far.
struct OpenUpload {
  json::object upload;
  std::string id;
  std::vector<json::object> parts;
};

Result<OpenUpload> LoadUpload(Call& c) {
  if (auto s = c.RequireBucket(); !s) return s.error();
  if (auto s = AuthorizeOperation(c); !s) return s.error();
  auto upload = FindUpload(c);
  if (!upload) return upload.error();
  OpenUpload out{std::move(*upload), c.req.Param("uploadId"), {}};
  auto parts = PartsOf(c.s3.db(), c.bucket->name, out.id);
  if (!parts) return parts.error();
  out.parts = std::move(*parts);
  return out;
}

// Removes an upload's record and its parts' records in one transaction, then the parts' blobs.
Status RemoveUpload(Call& c, const std::string& upload_id, const std::vector<json::object>& parts) {
  std::vector<std::string> released;
  auto s = c.s3.db().Write([&](store::Transaction& tx) -> Status {
    for (const auto& p : parts) {
      const std::string blob = StringField(p, "blob");
      if (!blob.empty()) {
        released.push_back(blob);
        if (auto r = tx.RemoveBlobRef(blob); !r) return r;
      }
      if (auto d = tx.Delete(store::Scope::Global(), kPartKind,
                             PartId(c.bucket->name, upload_id, static_cast<int>(p.at("n").as_int64())));
          !d) {
        return d;
      }
    }
    return tx.Delete(store::Scope::Global(), kUploadKind, UploadDocId(c.bucket->name, upload_id));
  });
  if (!s) return s;
  for (const auto& b : released) (void)c.s3.blobs().Remove(b);
  return Ok{};
}

Result<HttpResponse> CreateMultipartUpload(Call& c) {
  if (auto s = c.RequireBucket(); !s) return s.error();
  if (auto invalid = InvalidObjectKey(c.req.key)) return *invalid;
  if (auto s = CheckAclAllowed(*c.bucket, c.req); !s) return s.error();
  if (auto s = AuthorizeOperation(c); !s) return s.error();
  json::object meta = MetaFromRequest(c.req);
  if (c.req.HasHeader("x-amz-tagging")) {
    auto tags = ParseTagHeader(c.req.Header("x-amz-tagging"));
    if (!tags) return tags.error();
    if (!tags->empty()) {
      if (auto s = c.Authorize("s3:PutObjectTagging", c.bucket->ObjectArn(c.req.key)); !s) return s.error();
      meta["tags"] = TagsJson(*tags);
    }
  }
  std::string algorithm(c.req.Header("x-amz-checksum-algorithm"));
  for (char& ch : algorithm) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  if (!algorithm.empty() && !auth::ChecksumFromHeaderName("x-amz-checksum-" + Lower(algorithm))) {
    return InvalidRequest(
        "Checksum algorithm provided is unsupported. Please try again with any of the valid types: "
        "[CRC32, CRC32C, CRC64NVME, SHA1, SHA256]");
  }
  std::string type(c.req.Header("x-amz-checksum-type"));
  if (type.empty()) type = algorithm == "CRC64NVME" || algorithm.empty() ? "FULL_OBJECT" : "COMPOSITE";
  if (type != "FULL_OBJECT" && type != "COMPOSITE") {
    return InvalidRequest("Value for x-amz-checksum-type header is invalid.");
  }
  if (type == "COMPOSITE" && algorithm == "CRC64NVME") {
    return InvalidRequest("The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.");
  }
  if (type == "FULL_OBJECT" && (algorithm == "SHA1" || algorithm == "SHA256")) {
    return InvalidRequest("The FULL_OBJECT checksum type cannot be used with the " + Lower(algorithm) +
                          " checksum algorithm.");
  }
  const std::string upload_id = NewVersionId() + NewVersionId();
  json::object upload{
      {"key", c.req.key},       {"uploadId", upload_id}, {"initiated", NowMs()},        {"meta", meta},
      {"algorithm", algorithm}, {"ctype", type},         {"owner", c.caller().account}, {"initiator", c.caller().arn}};
  auto s = c.s3.db().Write([&](store::Transaction& tx) {
    return tx.Put(store::Scope::Global(), kUploadKind, UploadDocId(c.bucket->name, upload_id), json::serialize(upload));
  });
  if (!s) return s.error();
  XmlWriter x("InitiateMultipartUploadResult");
  x.Leaf("Bucket", c.bucket->name).Leaf("Key", c.req.key).Leaf("UploadId", upload_id);
  HttpResponse r = XmlResponse(x.Finish());
  r.headers.emplace_back("x-amz-server-side-encryption", c.bucket->sse_algorithm);
  if (!algorithm.empty()) r.headers.emplace_back("x-amz-checksum-algorithm", algorithm);
  r.headers.emplace_back("x-amz-checksum-type", type);
  return r;
}

// Records a part's blob; a part uploaded again replaces the earlier one.
Status SavePart(Call& c, int n, const json::object& part, const std::string& blob_id) {
  const std::string id = PartId(c.bucket->name, c.req.Param("uploadId"), n);
  std::string old_blob;
  auto s = c.s3.db().Write([&](store::Transaction& tx) -> Status {
    auto old = tx.Get(store::Scope::Global(), kPartKind, id);
    if (!old) return old.error();
    if (*old) {
      if (auto p = ParseJson(**old); p && p->is_object()) old_blob = StringField(p->as_object(), "blob");
      if (!old_blob.empty()) {
        if (auto r = tx.RemoveBlobRef(old_blob); !r) return r;
      }
    }
    if (auto p = tx.Put(store::Scope::Global(), kPartKind, id, json::serialize(part)); !p) return p;
    return blob_id.empty() ? Status(Ok{}) : tx.AddBlobRef(blob_id, store::Scope::Global(), kPartKind, id);
  });
  if (!s) return s;
  if (!old_blob.empty()) (void)c.s3.blobs().Remove(old_blob);
  return Ok{};
}

Result<HttpResponse> UploadPart(Call& c) {
  auto n = PartNumber(c.req);
  if (!n) return n.error();
  auto upload = FindUpload(c);
  if (!upload) return upload.error();
  const UploadedBody& up = *c.upload;
  const std::string algorithm = StringField(*upload, "algorithm");
  json::object part{
      {"n", *n}, {"size", up.size}, {"etag", "\"" + up.md5_hex + "\""}, {"blob", up.blob_id}, {"ms", NowMs()}};
  HttpResponse r = EmptyResponse();
  r.headers.emplace_back("ETag", "\"" + up.md5_hex + "\"");
  r.headers.emplace_back("x-amz-server-side-encryption", c.bucket->sse_algorithm);
  for (const auto& [alg, value] : up.checksums) {
    const std::string name(auth::ChecksumName(alg));
    if ((up.client_algorithm && alg == *up.client_algorithm) || name == algorithm) {
      part["alg"] = name;
      part["cs"] = value;
      r.headers.emplace_back("x-amz-checksum-" + Lower(name), value);
    }
  }
  if (!algorithm.empty() && StringField(part, "alg") != algorithm) {
    return InvalidRequest(
        "Checksum Type mismatch occurred, expected checksum Type: " + Lower(algorithm) +
        ", actual checksum Type: " + (part.contains("alg") ? Lower(StringField(part, "alg")) : std::string("null")));
  }
  if (auto s = SavePart(c, *n, part, up.blob_id); !s) return s.error();
  return r;
}

Result<HttpResponse> UploadPartCopy(Call& c) {
  if (auto s = c.RequireBucket(); !s) return s.error();
  auto n = PartNumber(c.req);
  if (!n) return n.error();
  if (auto s = AuthorizeOperation(c); !s) return s.error();
  auto upload = FindUpload(c);
  if (!upload) return upload.error();
  auto source = LoadCopySource(c, "x-amz-copy-source-if-match", "x-amz-copy-source-if-none-match",
                               "x-amz-copy-source-if-modified-since", "x-amz-copy-source-if-unmodified-since");
  if (!source) return source.error();
  uint64_t offset = 0, length = source->version.size;
  if (auto range = c.req.Header("x-amz-copy-source-range"); !range.empty()) {
    auto parsed = ParseRange(range, source->version.size);
    if (!parsed || !*parsed || range.find('-') == 6) {
      return InvalidArgument(
          "The x-amz-copy-source-range value must be of the form bytes=first-last where first and "
          "last are the zero-based offsets of the first and last bytes to copy",
          "x-amz-copy-source-range", std::string(range));
    }
    offset = (*parsed)->first;
    length = (*parsed)->second - offset + 1;
  }
  std::string md5;
  auto blob = CopyBlob(c.s3.blobs(), source->version.blob_id, offset, length, &md5);
  if (!blob) return blob.error();
  const std::string etag = "\"" + HexOf(md5) + "\"";
  const int64_t now = NowMs();
  json::object part{{"n", *n}, {"size", length}, {"etag", etag}, {"blob", *blob}, {"ms", now}};
  const std::string algorithm = StringField(*upload, "algorithm");
  if (!algorithm.empty() && !blob->empty()) {
    auth::PayloadChecksum cs(*auth::ChecksumFromHeaderName("x-amz-checksum-" + Lower(algorithm)));
    for (uint64_t at = 0; at < length; at += 4 * 1024 * 1024) {
      auto bytes = c.s3.blobs().Read(*blob, at, std::min<uint64_t>(4 * 1024 * 1024, length - at));
      if (!bytes) return bytes.error();
      cs.Update(*bytes);
    }
    part["alg"] = algorithm;
    part["cs"] = cs.Base64Digest();
  }
  if (auto s = SavePart(c, *n, part, *blob); !s) {
    (void)c.s3.blobs().Remove(*blob);
    return s.error();
  }
  XmlWriter x("CopyPartResult");
  x.Leaf("ETag", etag).Leaf("LastModified", IsoMs(now));
  if (part.contains("cs")) x.Leaf("Checksum" + algorithm, StringField(part, "cs"));
  HttpResponse r = XmlResponse(x.Finish());
  if (source->version.version_id != "null") {
    r.headers.emplace_back("x-amz-copy-source-version-id", source->version.version_id);
  }
  return r;
}

AwsError InvalidPart(std::string_view upload_id, int n, std::string_view etag) {
  AwsError e = AwsError::Client("InvalidPart",
                                "One or more of the specified parts could not be found.  The part may not have been "
                                "uploaded, or the specified entity tag may not match the part's entity tag.");
  e.fields = {{"UploadId", std::string(upload_id)}, {"PartNumber", std::to_string(n)}, {"ETag", std::string(etag)}};
  return e;
}

std::string Unquoted(std::string_view s) {
  while (!s.empty() && s.front() == '"') s.remove_prefix(1);
  while (!s.empty() && s.back() == '"') s.remove_suffix(1);
  return std::string(s);
}

Result<HttpResponse> CompleteMultipartUpload(Call& c) {
  auto open = LoadUpload(c);
  if (!open) return open.error();
  const json::object* upload = &open->upload;
  const std::string& upload_id = open->id;
  const std::vector<json::object>* stored = &open->parts;
  auto doc = ParseXml(c.body, "CompleteMultipartUpload");
  if (!doc) return doc.error();
  std::vector<std::pair<int, std::string>> asked;
  for (const auto& p : (*doc)->document_element().children("Part")) {
    asked.emplace_back(p.child("PartNumber").text().as_int(), p.child("ETag").text().as_string());
  }
  if (asked.empty()) return MalformedXml();
  std::map<int64_t, const json::object*> by_number;
  for (const auto& p : *stored) by_number[p.at("n").as_int64()] = &p;
  std::vector<const json::object*> parts;
  int previous = 0;
  for (const auto& [n, etag] : asked) {
    if (n <= previous) {
      return AwsError::Client("InvalidPartOrder",
                              "The list of parts was not in ascending order. The parts list must be specified in "
                              "order by part number.");
    }
    previous = n;
    const auto it = by_number.find(n);
    if (it == by_number.end() || Unquoted(StringField(*it->second, "etag")) != Unquoted(etag)) {
      return InvalidPart(upload_id, n, etag);
    }
    parts.push_back(it->second);
  }
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    const uint64_t size = (*parts[i]).at("size").to_number<uint64_t>();
    if (size < kMinPartSize) {
      AwsError e = AwsError::Client("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size");
      e.fields = {{"ProposedSize", std::to_string(size)},
                  {"MinSizeAllowed", std::to_string(kMinPartSize)},
                  {"PartNumber", std::to_string(asked[i].first)},
                  {"ETag", StringField(*parts[i], "etag")}};
      return e;
    }
  }
  // Concatenate the parts into the object's blob, computing the checksums on the way.
  const std::string algorithm = StringField(*upload, "algorithm");
  const std::string type = StringField(*upload, "ctype");
  const auto alg = algorithm.empty() ? auth::ChecksumAlgorithm::kCrc64Nvme
                                     : *auth::ChecksumFromHeaderName("x-amz-checksum-" + Lower(algorithm));
  auth::PayloadChecksum full(alg);
  auth::PayloadChecksum composite(alg);
  std::string md5s;
  uint64_t total = 0;
  auto writer = c.s3.blobs().Create();
  if (!writer) return writer.error();
  json::array part_list;
  for (const auto* p : parts) {
    md5s += HexToBytes(Unquoted(StringField(*p, "etag")));
    const std::string blob = StringField(*p, "blob");
    const uint64_t size = p->at("size").to_number<uint64_t>();
    for (uint64_t at = 0; at < size; at += 4 * 1024 * 1024) {
      auto bytes = c.s3.blobs().Read(blob, at, std::min<uint64_t>(4 * 1024 * 1024, size - at));
      if (!bytes) return bytes.error();
      full.Update(*bytes);
      if (auto s = (*writer)->Append(*bytes); !s) return s.error();
    }
    total += size;
    json::array entry{p->at("n"), size};
    if (p->contains("cs")) {
      composite.Update(Unbase64(StringField(*p, "cs")));
      entry.emplace_back(StringField(*p, "alg"));
      entry.emplace_back(StringField(*p, "cs"));
    }
    part_list.push_back(std::move(entry));
  }
  auto blob_id = (*writer)->Commit();
  if (!blob_id) return blob_id.error();
  json::object meta = upload->at("meta").as_object();
  json::object cs;
  if (type == "COMPOSITE") {
    cs[algorithm] = composite.Base64Digest() + "-" + std::to_string(parts.size());
  } else {
    cs[std::string(auth::ChecksumName(alg))] = full.Base64Digest();
  }
  meta["cs"] = std::move(cs);
  meta["ctype"] = type.empty() ? "FULL_OBJECT" : type;
  meta["parts"] = std::move(part_list);
  store::ObjectVersion v;
  v.bucket = c.bucket->name;
  v.key = c.req.key;
  v.size = total;
  v.etag = "\"" + HexOf(Md5Raw(md5s)) + "-" + std::to_string(parts.size()) + "\"";
  v.blob_id = *blob_id;
  v.meta = json::serialize(meta);
  auto object = StoreVersion(c, std::move(v), true);
  if (!object) {
    (void)c.s3.blobs().Remove(*blob_id);
    return object.error();
  }
  // The upload and its parts go; their blobs after the commit.
  if (auto s = RemoveUpload(c, upload_id, *stored); !s) return s.error();
  XmlWriter x("CompleteMultipartUploadResult");
  x.Leaf("Location", "/" + c.bucket->name + "/" + c.req.key).Leaf("Bucket", c.bucket->name).Leaf("Key", c.req.key);
  x.Leaf("ETag", object->etag);
  for (const auto& [name, value] : meta.at("cs").as_object()) x.Leaf("Checksum" + std::string(name), JsonString(value));
  x.Leaf("ChecksumType", JsonString(meta.at("ctype")));
  HttpResponse r = XmlResponse(x.Finish());
  AddWriteHeaders(c, *object, meta, r);
  std::erase_if(r.headers, [](const auto& h) { return h.first.starts_with("x-amz-checksum"); });
  return r;
}

Result<HttpResponse> AbortMultipartUpload(Call& c) {
  auto open = LoadUpload(c);
  if (!open) return open.error();
  if (auto s = RemoveUpload(c, open->id, open->parts); !s) return s.error();
  return EmptyResponse(204);
}

void Initiator(XmlWriter& x, const json::object& upload) {
  x.Open("Initiator").Leaf("ID", StringField(upload, "initiator")).Leaf("DisplayName", StringField(upload, "owner"));
  x.Close("Initiator");
  x.Open("Owner")
      .Leaf("ID", CanonicalId(StringField(upload, "owner")))
      .Leaf("DisplayName", StringField(upload, "owner"));
  x.Close("Owner");
}

Result<HttpResponse> ListParts(Call& c) {
  auto open = LoadUpload(c);
  if (!open) return open.error();
  const json::object* upload = &open->upload;
  const std::string& upload_id = open->id;
  const std::vector<json::object>* stored = &open->parts;
  const int marker = std::atoi(c.req.Param("part-number-marker").c_str());
  int max_parts = c.req.Has("max-parts") ? std::atoi(c.req.Param("max-parts").c_str()) : 1000;
  max_parts = std::clamp(max_parts, 0, 1000);
  XmlWriter x("ListPartsResult");
  x.Leaf("Bucket", c.bucket->name).Leaf("Key", c.req.key).Leaf("UploadId", upload_id);
  x.Leaf("PartNumberMarker", static_cast<uint64_t>(marker));
  std::vector<const json::object*> page;
  bool truncated = false;
  for (const auto& p : *stored) {
    if (p.at("n").as_int64() <= marker) continue;
    if (static_cast<int>(page.size()) == max_parts) {
      truncated = true;
      break;
    }
    page.push_back(&p);
  }
  if (!page.empty()) x.Leaf("NextPartNumberMarker", static_cast<uint64_t>(page.back()->at("n").as_int64()));
  x.Leaf("MaxParts", static_cast<uint64_t>(max_parts)).Bool("IsTruncated", truncated);
  for (const auto* p : page) {
    x.Open("Part").Leaf("PartNumber", static_cast<uint64_t>(p->at("n").as_int64()));
    x.Leaf("LastModified", IsoMs(p->at("ms").as_int64())).Leaf("ETag", StringField(*p, "etag"));
    x.Leaf("Size", p->at("size").to_number<uint64_t>());
    if (p->contains("cs")) x.Leaf("Checksum" + StringField(*p, "alg"), StringField(*p, "cs"));
    x.Close("Part");
  }
  Initiator(x, *upload);
  x.Leaf("StorageClass", "STANDARD");
  if (!StringField(*upload, "algorithm").empty()) x.Leaf("ChecksumAlgorithm", StringField(*upload, "algorithm"));
  x.Leaf("ChecksumType", StringField(*upload, "ctype"));
  return XmlResponse(x.Finish());
}

Result<HttpResponse> ListMultipartUploads(Call& c) {
  if (auto s = c.RequireBucket(); !s) return s.error();
  if (auto s = AuthorizeOperation(c); !s) return s.error();
  auto docs = c.s3.db().List(store::Scope::Global(), kUploadKind, c.bucket->name + "/");
  if (!docs) return docs.error();
  std::vector<json::object> uploads;
  const std::string prefix = c.req.Param("prefix");
  for (const auto& d : *docs) {
    auto p = ParseJson(d.body);
    if (!p || !p->is_object()) continue;
    if (!StringField(p->as_object(), "key").starts_with(prefix)) continue;
    uploads.push_back(std::move(p->as_object()));
  }
  std::sort(uploads.begin(), uploads.end(), [](const json::object& a, const json::object& b) {
    const auto ka = StringField(a, "key"), kb = StringField(b, "key");
    if (ka != kb) return ka < kb;
    return a.at("initiated").as_int64() < b.at("initiated").as_int64();
  });
  const std::string key_marker = c.req.Param("key-marker");
  int max_uploads = c.req.Has("max-uploads") ? std::atoi(c.req.Param("max-uploads").c_str()) : 1000;
  max_uploads = std::clamp(max_uploads, 0, 1000);
  XmlWriter x("ListMultipartUploadsResult");
  x.Leaf("Bucket", c.bucket->name)
      .Leaf("KeyMarker", key_marker)
      .Leaf("UploadIdMarker", c.req.Param("upload-id-marker"));
  std::vector<const json::object*> page;
  bool truncated = false;
  for (const auto& u : uploads) {
    if (!key_marker.empty() && StringField(u, "key") <= key_marker) continue;
    if (static_cast<int>(page.size()) == max_uploads) {
      truncated = true;
      break;
    }
    page.push_back(&u);
  }
  if (!page.empty()) {
    x.Leaf("NextKeyMarker", StringField(*page.back(), "key"))
        .Leaf("NextUploadIdMarker", StringField(*page.back(), "uploadId"));
  }
  if (!prefix.empty()) x.Leaf("Prefix", prefix);
  x.Leaf("MaxUploads", static_cast<uint64_t>(max_uploads)).Bool("IsTruncated", truncated);
  for (const auto* u : page) {
    x.Open("Upload").Leaf("Key", StringField(*u, "key")).Leaf("UploadId", StringField(*u, "uploadId"));
    Initiator(x, *u);
    x.Leaf("StorageClass", "STANDARD").Leaf("Initiated", IsoMs(u->at("initiated").as_int64()));
    if (!StringField(*u, "algorithm").empty()) x.Leaf("ChecksumAlgorithm", StringField(*u, "algorithm"));
    x.Close("Upload");
  }
  return XmlResponse(x.Finish());
}

}  // namespace

const std::vector<OperationEntry>& MultipartOperations() {
  static const std::vector<OperationEntry> ops{
      {"CreateMultipartUpload", CreateMultipartUpload},
      {"UploadPart", UploadPart},
      {"UploadPartCopy", UploadPartCopy},
      {"CompleteMultipartUpload", CompleteMultipartUpload},
      {"AbortMultipartUpload", AbortMultipartUpload},
      {"ListParts", ListParts},
      {"ListMultipartUploads", ListMultipartUploads},
  };
  return ops;
}

}  // namespace xacct::services::s3

// Listing (Amazon S3 API Reference: ListObjects, ListObjectsV2, ListObjectVersions): key order, prefix,
// delimiter and common prefixes, markers and continuation tokens, max-keys, encoding-type=url, owners.
#include "auth/sigv4.h"
#include "services/s3/object_common.h"
#include "services/s3/s3_internal.h"
#include "services/s3/s3_permissions.h"

namespace xacct::services::s3 {

namespace {

using server::HttpResponse;

struct Common {
  store::ListOptions options;
  bool url = false;
  int max_keys = 1000;
};

Result<Common> Prepare(Call& c) {
  if (auto s = c.RequireBucket(); !s) return s.error();
  Common out;
  out.options.prefix = c.req.Param("prefix");
  out.options.delimiter = c.req.Param("delimiter");
  if (auto mk = c.req.OptParam("max-keys")) {
    char* end = nullptr;
    const long long n = std::strtoll(mk->c_str(), &end, 10);
    if (mk->empty() || *end != '\0' || n < 0 || n > 2147483647LL) {
      return InvalidArgument("Provided max-keys not an integer or within integer range", "max-keys", *mk);
    }
    out.max_keys = static_cast<int>(std::min<long long>(n, 1000));
  }
  out.options.max_keys = out.max_keys;
  if (auto enc = c.req.OptParam("encoding-type")) {
    if (*enc != "url") return InvalidArgument("Invalid Encoding Method specified in Request", "encoding-type", *enc);
    out.url = true;
  }
  std::vector<std::pair<std::string, std::string>> ctx{{"s3:prefix", out.options.prefix},
                                                       {"s3:max-keys", std::to_string(out.max_keys)}};
  if (!out.options.delimiter.empty()) ctx.emplace_back("s3:delimiter", out.options.delimiter);
  if (auto s = AuthorizeOperation(c, std::move(ctx)); !s) return s.error();
  return out;
}

std::string Enc(const Common& cm, std::string_view s) { return cm.url ? auth::UriEncode(s, false) : std::string(s); }

void Owner(XmlWriter& x, const Bucket& b) {
  x.Open("Owner").Leaf("ID", CanonicalId(b.owner)).Leaf("DisplayName", b.owner).Close("Owner");
}

void Contents(XmlWriter& x, const Common& cm, const store::ObjectVersion& v, const Bucket& b, bool owner) {
  const json::object meta = MetaOf(v);
  x.Open("Contents").Leaf("Key", Enc(cm, v.key)).Leaf("LastModified", IsoMs(v.last_modified_ms)).Leaf("ETag", v.etag);
  if (const auto* cs = meta.if_contains("cs"); cs != nullptr && cs->is_object()) {
    for (const auto& [alg, _] : cs->as_object()) x.Leaf("ChecksumAlgorithm", alg);
    if (!cs->as_object().empty())
      x.Leaf("ChecksumType", meta.contains("ctype") ? JsonString(meta.at("ctype")) : "FULL_OBJECT");
  }
  const auto* sc = meta.if_contains("sc");
  x.Leaf("Size", v.size).Leaf("StorageClass", sc != nullptr ? JsonString(*sc) : "STANDARD");
  if (owner) Owner(x, b);
  x.Close("Contents");
}

void Head(XmlWriter& x, const Call& c, const Common& cm) {
  x.Leaf("Name", c.bucket->name).Leaf("Prefix", Enc(cm, cm.options.prefix));
}

void Tail(XmlWriter& x, const Common& cm, const store::ObjectListing& page) {
  for (const auto& p : page.common_prefixes)
    x.Open("CommonPrefixes").Leaf("Prefix", Enc(cm, p)).Close("CommonPrefixes");
  if (cm.url) x.Leaf("EncodingType", "url");
}

Result<HttpResponse> ListObjects(Call& c) {
  auto cm = Prepare(c);
  if (!cm) return cm.error();
  cm->options.start_after = c.req.Param("marker");
  auto page = store::ObjectIndex::List(c.s3.db(), c.bucket->name, cm->options);
  if (!page) return page.error();
  XmlWriter x("ListBucketResult");
  Head(x, c, *cm);
  x.Leaf("Marker", Enc(*cm, cm->options.start_after));
  if (page->truncated && !cm->options.delimiter.empty()) x.Leaf("NextMarker", Enc(*cm, page->next_marker));
  x.Leaf("MaxKeys", static_cast<uint64_t>(cm->max_keys));
  if (!cm->options.delimiter.empty()) x.Leaf("Delimiter", Enc(*cm, cm->options.delimiter));
  x.Bool("IsTruncated", page->truncated);
  for (const auto& v : page->entries) Contents(x, *cm, v, *c.bucket, true);
  Tail(x, *cm, *page);
  return XmlResponse(x.Finish());
}

Result<HttpResponse> ListObjectsV2(Call& c) {
  auto cm = Prepare(c);
  if (!cm) return cm.error();
  const auto token = c.req.OptParam("continuation-token");
  const std::string start_after = c.req.Param("start-after");
  if (token) {
    if (token->empty())
      return InvalidArgument("The continuation token provided is incorrect", "continuation-token", "");
    cm->options.start_after = Unbase64(*token);
  } else {
    cm->options.start_after = start_after;
  }
  auto page = store::ObjectIndex::List(c.s3.db(), c.bucket->name, cm->options);
  if (!page) return page.error();
  XmlWriter x("ListBucketResult");
  Head(x, c, *cm);
  if (!cm->options.delimiter.empty()) x.Leaf("Delimiter", Enc(*cm, cm->options.delimiter));
  x.Leaf("MaxKeys", static_cast<uint64_t>(cm->max_keys));
  x.Leaf("KeyCount", page->entries.size() + page->common_prefixes.size());
  x.Bool("IsTruncated", page->truncated);
  if (token) x.Leaf("ContinuationToken", *token);
  if (page->truncated) x.Leaf("NextContinuationToken", Base64(page->next_marker));
  if (!start_after.empty()) x.Leaf("StartAfter", Enc(*cm, start_after));
  const bool owner = c.req.Param("fetch-owner") == "true";
  for (const auto& v : page->entries) Contents(x, *cm, v, *c.bucket, owner);
  Tail(x, *cm, *page);
  return XmlResponse(x.Finish());
}

Result<HttpResponse> ListObjectVersions(Call& c) {
  auto cm = Prepare(c);
  if (!cm) return cm.error();
  cm->options.start_after = c.req.Param("key-marker");
  cm->options.version_id_marker = c.req.Param("version-id-marker");
  if (!cm->options.version_id_marker.empty() && cm->options.start_after.empty()) {
    return InvalidArgument("A version-id marker cannot be specified without a key marker.", "version-id-marker",
                           cm->options.version_id_marker);
  }
  auto page = store::ObjectIndex::ListVersions(c.s3.db(), c.bucket->name, cm->options);
  if (!page) return page.error();
  XmlWriter x("ListVersionsResult");
  Head(x, c, *cm);
  x.Leaf("KeyMarker", Enc(*cm, cm->options.start_after)).Leaf("VersionIdMarker", cm->options.version_id_marker);
  if (page->truncated) {
    x.Leaf("NextKeyMarker", Enc(*cm, page->next_marker));
    if (!page->next_version_id_marker.empty()) x.Leaf("NextVersionIdMarker", page->next_version_id_marker);
  }
  x.Leaf("MaxKeys", static_cast<uint64_t>(cm->max_keys));
  if (!cm->options.delimiter.empty()) x.Leaf("Delimiter", Enc(*cm, cm->options.delimiter));
  x.Bool("IsTruncated", page->truncated);
  for (const auto& v : page->entries) {
    const char* tag = v.delete_marker ? "DeleteMarker" : "Version";
    x.Open(tag).Leaf("Key", Enc(*cm, v.key)).Leaf("VersionId", v.version_id).Bool("IsLatest", v.latest);
    x.Leaf("LastModified", IsoMs(v.last_modified_ms));
    if (!v.delete_marker) x.Leaf("ETag", v.etag).Leaf("Size", v.size).Leaf("StorageClass", "STANDARD");
    Owner(x, *c.bucket);
    x.Close(tag);
  }
  Tail(x, *cm, *page);
  return XmlResponse(x.Finish());
}

}  // namespace

const std::vector<OperationEntry>& ListOperations() {
  static const std::vector<OperationEntry> ops{
      {"ListObjects", ListObjects},
      {"ListObjectsV2", ListObjectsV2},
      {"ListObjectVersions", ListObjectVersions},
  };
  return ops;
}

}  // namespace xacct::services::s3

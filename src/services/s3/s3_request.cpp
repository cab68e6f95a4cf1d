// S3 request addressing and operation routing (Amazon S3 API Reference: "Virtual hosting of buckets",
// each operation's "Request Syntax"), the bucket record, XML and error helpers shared by the operations.
#include <pugixml.hpp>

#include <chrono>
#include <ctime>
#include <map>
#include <set>

#include "auth/sigv4.h"
#include "model/service_model.h"
#include "policy/pattern.h"
#include "protocol/values.h"
#include "services/s3/s3_internal.h"

namespace xacct::services::s3 {

namespace {

std::string DecodeQueryPart(std::string_view s) {
  std::string plus(s);
  for (char& c : plus) {
    if (c == '+') c = ' ';
  }
  return auth::PercentDecode(plus);
}

// Query parameters that are arguments of an operation, not subresources that select one.
const std::set<std::string, std::less<>>& Arguments() {
  static const std::set<std::string, std::less<>> kArguments{"prefix",
                                                             "delimiter",
                                                             "marker",
                                                             "max-keys",
                                                             "continuation-token",
                                                             "start-after",
                                                             "encoding-type",
                                                             "fetch-owner",
                                                             "versionId",
                                                             "partNumber",
                                                             "uploadId",
                                                             "response-content-type",
                                                             "response-content-language",
                                                             "response-expires",
                                                             "response-cache-control",
                                                             "response-content-disposition",
                                                             "response-content-encoding",
                                                             "key-marker",
                                                             "version-id-marker",
                                                             "upload-id-marker",
                                                             "max-uploads",
                                                             "max-parts",
                                                             "part-number-marker",
                                                             "x-id",
                                                             "id",
                                                             "allow-unordered",
                                                             "AWSAccessKeyId",
                                                             "Signature",
                                                             "Expires",
                                                             "select-type",
                                                             "list-type",
                                                             "bucket-region",
                                                             "continuation-token",
                                                             "max-buckets",
                                                             "mfa"};
  return kArguments;
}

struct RouteKey {
  std::string method;
  bool has_key;
  std::string subresource;
  auto operator<=>(const RouteKey&) const = default;
};

// (method, object or bucket, subresource) -> operation, from the model's request URIs. Where two
// operations share a route (GetBucketLifecycle, GetBucketLifecycleConfiguration), the newer, longer name wins.
const std::map<RouteKey, std::string>& Routes() {
  static const std::map<RouteKey, std::string> routes = [] {
    std::map<RouteKey, std::string> m;
    const auto* model = model::ServiceModel::Find("s3");
    if (model == nullptr) return m;
    for (const auto& op : model->operations()) {
      const std::string& uri = op.request_uri;
      const auto q = uri.find('?');
      const std::string path = uri.substr(0, q);
      std::string sub;
      if (q != std::string::npos) {
        sub = uri.substr(q + 1);
        sub = sub.substr(0, sub.find_first_of("&="));
      }
      const bool has_key = path.find("{Key+}") != std::string::npos;
      RouteKey k{op.http_method, has_key, sub};
      auto [it, inserted] = m.emplace(k, op.name);
      if (!inserted && op.name.size() > it->second.size()) it->second = op.name;
    }
    return m;
  }();
  return routes;
}

const std::set<std::string, std::less<>>& Subresources() {
  static const std::set<std::string, std::less<>> subs = [] {
    std::set<std::string, std::less<>> s;
    for (const auto& [k, _] : Routes()) {
      if (!k.subresource.empty()) s.insert(k.subresource);
    }
    return s;
  }();
  return subs;
}

AwsError NotImplemented(const std::string& what) {
  AwsError e = AwsError::Server("NotImplemented",
                                "A header or query you provided implies functionality that is not "
                                "implemented: " +
                                    what,
                                501);
  return e;
}

}  // namespace

bool Request::Has(std::string_view name) const {
  for (const auto& [k, v] : query) {
    if (k == name) return true;
  }
  return false;
}
std::string Request::Param(std::string_view name) const { return OptParam(name).value_or(""); }
std::optional<std::string> Request::OptParam(std::string_view name) const {
  for (const auto& [k, v] : query) {
    if (k == name) return v;
  }
  return std::nullopt;
}
std::string_view Request::Header(std::string_view name) const {
  for (const auto& [k, v] : http->headers) {
    if (policy::EqualsIgnoreCase(k, name)) return v;
  }
  return {};
}
bool Request::HasHeader(std::string_view name) const {
  for (const auto& [k, v] : http->headers) {
    if (policy::EqualsIgnoreCase(k, name)) return true;
  }
  return false;
}

Result<Request> ParseRequest(const server::HttpRequest& http) {
  Request r;
  r.method = http.method;
  r.http = &http;
  auth::HttpRequestView view{http.method, http.target, {}};
  const std::string_view raw_path = view.RawPath();
  const std::string_view raw_query = view.RawQuery();
  size_t pos = 0;
  while (pos <= raw_query.size() && !raw_query.empty()) {
    size_t amp = raw_query.find('&', pos);
    if (amp == std::string_view::npos) amp = raw_query.size();
    const std::string_view part = raw_query.substr(pos, amp - pos);
    if (!part.empty()) {
      const auto eq = part.find('=');
      r.query.emplace_back(DecodeQueryPart(part.substr(0, eq)),
                           eq == std::string_view::npos ? "" : DecodeQueryPart(part.substr(eq + 1)));
    }
    pos = amp + 1;
  }
  // Virtual-hosted style: the bucket is the Host's first labels (bucket.localhost, bucket.s3.amazonaws.com,
  // bucket.s3.REGION.amazonaws.com).
  std::string host(r.Header("Host"));
  if (const auto colon = host.rfind(':'); colon != std::string::npos && host.find(']') == std::string::npos) {
    host.resize(colon);
  }
  for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string vhost_bucket;
  if (host.ends_with(".localhost") && host.size() > 10) {
    vhost_bucket = host.substr(0, host.size() - 10);
  } else if (host.ends_with(".amazonaws.com")) {
    for (const std::string_view marker : {".s3.", ".s3-"}) {
      if (const auto at = host.find(marker); at != std::string::npos && at > 0) {
        vhost_bucket = host.substr(0, at);
        break;
      }
    }
  }
  std::string path = auth::PercentDecode(raw_path);
  if (!vhost_bucket.empty()) {
    r.virtual_host = true;
    r.bucket = vhost_bucket;
    r.key = path.size() > 1 ? path.substr(1) : "";
    return r;
  }
  if (path.empty() || path[0] != '/') path.insert(path.begin(), '/');
  const auto slash = path.find('/', 1);
  r.bucket = path.substr(1, slash == std::string::npos ? std::string::npos : slash - 1);
  if (slash != std::string::npos) r.key = path.substr(slash + 1);
  return r;
}

std::string VirtualHostBucket(const server::HttpRequest& head) {
  auto r = ParseRequest(head);
  return r && r->virtual_host ? r->bucket : std::string();
}

Result<std::string> ResolveOperation(const Request& r) {
  const std::string& m = r.method;
  if (r.bucket.empty()) {
    if (m == "GET") return std::string("ListBuckets");
    return AwsError::Client("MethodNotAllowed", "The specified method is not allowed against this resource.", 405);
  }
  std::string sub;
  for (const auto& [k, v] : r.query) {
    if (Subresources().contains(k)) {
      if (sub.empty()) sub = k;
      continue;
    }
    if (Arguments().contains(k)) continue;
    if (k.size() > 6 && policy::EqualsIgnoreCase(std::string_view(k).substr(0, 6), "x-amz-")) continue;
    return NotImplemented("the subresource or parameter '" + k + "'");
  }
  const bool has_key = !r.key.empty();
  const bool copy = r.HasHeader("x-amz-copy-source");
  if (sub.empty() || sub == "uploadId") {
    if (has_key) {
      const bool upload = r.Has("uploadId");
      if (m == "PUT" && upload && r.Has("partNumber")) return std::string(copy ? "UploadPartCopy" : "UploadPart");
      if (m == "PUT") return std::string(copy ? "CopyObject" : "PutObject");
      if (m == "GET") return std::string(upload ? "ListParts" : "GetObject");
      if (m == "HEAD") return std::string("HeadObject");
      if (m == "POST" && upload) return std::string("CompleteMultipartUpload");
      if (m == "DELETE") return std::string(upload ? "AbortMultipartUpload" : "DeleteObject");
    } else {
      if (m == "GET") return std::string(r.Param("list-type") == "2" ? "ListObjectsV2" : "ListObjects");
      if (m == "PUT") return std::string("CreateBucket");
      if (m == "DELETE") return std::string("DeleteBucket");
      if (m == "HEAD") return std::string("HeadBucket");
    }
  }
  if (auto it = Routes().find(RouteKey{m, has_key, sub}); it != Routes().end()) return it->second;
  return AwsError::Client("MethodNotAllowed", "The specified method is not allowed against this resource.", 405);
}

// ---- the bucket record ----

json::object Bucket::ToJson() const {
  json::object o{{"name", name},
                 {"owner", owner},
                 {"region", region},
                 {"created", created_ms},
                 {"versioning", versioning},
                 {"policy", policy},
                 {"ownership", ownership},
                 {"sse", sse_algorithm},
                 {"kms", kms_key_id},
                 {"bucketKey", bucket_key_enabled}};
  if (public_access_block) {
    const auto& p = *public_access_block;
    o["pab"] = json::array{p.block_public_acls, p.ignore_public_acls, p.block_public_policy, p.restrict_public_buckets};
  }
  if (tags) {
    json::array a;
    for (const auto& [k, v] : *tags) a.push_back(json::array{json::string(k), json::string(v)});
    o["tags"] = std::move(a);
  }
  return o;
}

Bucket Bucket::FromJson(const json::object& o) {
  Bucket b;
  b.name = StringField(o, "name");
  b.owner = StringField(o, "owner");
  b.region = StringField(o, "region");
  if (const auto* c = o.if_contains("created"); c != nullptr && c->is_int64()) b.created_ms = c->as_int64();
  b.versioning = StringField(o, "versioning");
  b.policy = StringField(o, "policy");
  b.ownership = StringField(o, "ownership");
  b.sse_algorithm = StringField(o, "sse");
  b.kms_key_id = StringField(o, "kms");
  if (const auto* k = o.if_contains("bucketKey"); k != nullptr && k->is_bool()) b.bucket_key_enabled = k->as_bool();
  if (const auto* p = o.if_contains("pab"); p != nullptr && p->is_array() && p->as_array().size() == 4) {
    const auto& a = p->as_array();
    b.public_access_block = PublicAccessBlock{a[0].as_bool(), a[1].as_bool(), a[2].as_bool(), a[3].as_bool()};
  }
  if (const auto* t = o.if_contains("tags"); t != nullptr && t->is_array()) {
    b.tags.emplace();
    for (const auto& kv : t->as_array()) {
      b.tags->emplace_back(std::string(JsonString(kv.as_array()[0])), std::string(JsonString(kv.as_array()[1])));
    }
  }
  return b;
}

Result<std::optional<Bucket>> LoadBucket(store::Database& db, std::string_view name) {
  auto doc = db.Get(store::Scope::Global(), kBucketKind, name);
  if (!doc) return doc.error();
  if (!*doc) return std::optional<Bucket>();
  auto parsed = ParseJson(**doc);
  if (!parsed || !parsed->is_object())
    return AwsError::Server("InternalError", "corrupt bucket record " + std::string(name));
  return std::optional<Bucket>(Bucket::FromJson(parsed->as_object()));
}

Status SaveBucket(store::Transaction& tx, const Bucket& b) {
  return tx.Put(store::Scope::Global(), kBucketKind, b.name, json::serialize(b.ToJson()));
}

// ---- XML ----

std::string XmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\r':
        out += "&#13;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

XmlWriter::XmlWriter(std::string_view root, bool with_namespace) : root_(root) {
  out_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<" + root_;
  if (with_namespace) out_ += " xmlns=\"" + std::string(kXmlns) + "\"";
  out_ += ">";
}
XmlWriter& XmlWriter::Open(std::string_view name) {
  out_ += '<';
  out_ += name;
  out_ += '>';
  return *this;
}
XmlWriter& XmlWriter::Close(std::string_view name) {
  out_ += "</";
  out_ += name;
  out_ += '>';
  return *this;
}
XmlWriter& XmlWriter::Leaf(std::string_view name, std::string_view text) {
  Open(name);
  out_ += XmlEscape(text);
  return Close(name);
}
std::string XmlWriter::Finish() {
  out_ += "</" + root_ + ">";
  return std::move(out_);
}

Result<std::shared_ptr<pugi::xml_document>> ParseXml(std::string_view body, std::string_view root) {
  auto doc = std::make_shared<pugi::xml_document>();
  const auto parsed = doc->load_buffer(body.data(), body.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed || std::string_view(doc->document_element().name()) != root) {
    AwsError e = MalformedXml();
    e.detail = parsed ? "the root element is not <" + std::string(root) + ">"
                      : std::string("XML parse error: ") + parsed.description() + " at offset " +
                            std::to_string(parsed.offset);
    return e;
  }
  return doc;
}

// ---- responses and errors ----

server::HttpResponse XmlResponse(std::string body, int status) {
  server::HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers.emplace_back("Content-Type", "application/xml");
  return r;
}

server::HttpResponse EmptyResponse(int status) {
  server::HttpResponse r;
  r.status = status;
  return r;
}

AwsError NoSuchBucket(std::string_view bucket) {
  AwsError e = AwsError::Client("NoSuchBucket", "The specified bucket does not exist", 404);
  e.fields = {{"BucketName", std::string(bucket)}};
  return e;
}
AwsError NoSuchKey(std::string_view key) {
  AwsError e = AwsError::Client("NoSuchKey", "The specified key does not exist.", 404);
  e.fields = {{"Key", std::string(key)}};
  return e;
}
AwsError MalformedXml() {
  return AwsError::Client("MalformedXML",
                          "The XML you provided was not well-formed or did not validate against our published schema");
}
AwsError InvalidArgument(std::string message, std::string name, std::string value) {
  AwsError e = AwsError::Client("InvalidArgument", std::move(message));
  if (!name.empty()) e.fields = {{"ArgumentName", std::move(name)}, {"ArgumentValue", std::move(value)}};
  return e;
}
AwsError InvalidRequest(std::string message) { return AwsError::Client("InvalidRequest", std::move(message)); }

server::HttpResponse S3ErrorResponse(const AwsError& e, std::string_view request_id, bool head_request) {
  server::HttpResponse r;
  r.status = e.http_status;
  if (head_request) return r;  // HEAD answers carry no body
  XmlWriter x("Error", false);
  x.Leaf("Code", e.code).Leaf("Message", e.message);
  for (const auto& [k, v] : e.fields) x.Leaf(k, v);
  x.Leaf("RequestId", request_id).Leaf("HostId", "xacct");
  r.body = x.Finish();
  r.headers.emplace_back("Content-Type", "application/xml");
  return r;
}

// ---- time ----

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string IsoMs(int64_t ms) {
  const std::time_t t = ms / 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return buf;
}

std::string HttpDate(int64_t ms) {
  const std::time_t t = ms / 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

std::string Base64(std::string_view bytes) { return protocol::Base64Encode(bytes); }

std::string Unbase64(std::string_view in) { return protocol::Base64Decode(in).value_or(""); }

std::string HexToBytes(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  }
  return out;
}

// ---- tags ----

namespace {
AwsError InvalidTag(std::string message) { return AwsError::Client("InvalidTag", std::move(message)); }

Status CheckTags(const std::vector<std::pair<std::string, std::string>>& tags, size_t max_tags = 10) {
  if (tags.size() > max_tags) return InvalidTag("Object tags cannot be greater than " + std::to_string(max_tags));
  std::set<std::string> seen;
  for (const auto& [k, v] : tags) {
    if (k.empty() || k.size() > 128) return InvalidTag("The TagKey you have provided is invalid");
    if (v.size() > 256) return InvalidTag("The TagValue you have provided is invalid");
    if (!seen.insert(k).second) return InvalidTag("Cannot provide multiple Tags with the same key");
  }
  return Ok{};
}
}  // namespace

Result<std::vector<std::pair<std::string, std::string>>> ParseTagHeader(std::string_view header) {
  std::vector<std::pair<std::string, std::string>> tags;
  size_t pos = 0;
  while (pos < header.size()) {
    size_t amp = header.find('&', pos);
    if (amp == std::string_view::npos) amp = header.size();
    const std::string_view part = header.substr(pos, amp - pos);
    if (!part.empty()) {
      const auto eq = part.find('=');
      tags.emplace_back(DecodeQueryPart(part.substr(0, eq)),
                        eq == std::string_view::npos ? "" : DecodeQueryPart(part.substr(eq + 1)));
    }
    pos = amp + 1;
  }
  if (auto s = CheckTags(tags); !s) return s.error();
  return tags;
}

Result<std::vector<std::pair<std::string, std::string>>> ParseTaggingXml(std::string_view body, size_t max_tags) {
  auto doc = ParseXml(body, "Tagging");
  if (!doc) return doc.error();
  std::vector<std::pair<std::string, std::string>> tags;
  const auto set = (*doc)->document_element().child("TagSet");
  if (!set) return MalformedXml();
  for (const auto& tag : set.children("Tag")) {
    if (!tag.child("Key")) return MalformedXml();
    tags.emplace_back(tag.child("Key").text().as_string(), tag.child("Value").text().as_string());
  }
  if (auto s = CheckTags(tags, max_tags); !s) return s.error();
  return tags;
}

std::string TaggingXml(const std::vector<std::pair<std::string, std::string>>& tags) {
  XmlWriter x("Tagging");
  x.Open("TagSet");
  for (const auto& [k, v] : tags) x.Open("Tag").Leaf("Key", k).Leaf("Value", v).Close("Tag");
  x.Close("TagSet");
  return x.Finish();
}

}  // namespace xacct::services::s3

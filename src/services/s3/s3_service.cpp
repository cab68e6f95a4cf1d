// The S3 request path: parse and route the head, load the bucket, authorize uploads before their body,
// stream the body (aws-chunked decoding, Content-MD5, x-amz-checksum-*, x-amz-content-sha256) into a blob,
// make it durable, then run the operation. Authorization follows the Amazon S3 User Guide "How Amazon S3
// authorizes a request" and "Blocking public access to your Amazon S3 storage": the caller's identity
// policies in its account, the bucket policy in the owner's, both across accounts.
#include <openssl/evp.h>

#include <map>

#include "auth/chunked_payload.h"
#include "policy/pattern.h"
#include "policy/policy.h"
#include "services/s3/object_common.h"
#include "services/s3/public_policy.h"
#include "services/s3/s3_internal.h"

namespace xacct::services::s3 {

namespace {

constexpr uint64_t kMaxBufferedBody = 20 * 1024 * 1024;

const std::map<std::string, Handler, std::less<>>& HandlerMap() {
  static const std::map<std::string, Handler, std::less<>> m = [] {
    std::map<std::string, Handler, std::less<>> out;
    for (const auto* list : {&BucketOperations(), &ObjectOperations(), &MultipartOperations(), &ListOperations()}) {
      for (const auto& e : *list) out.emplace(std::string(e.name), e.handler);
    }
    return out;
  }();
  return m;
}

bool IsUpload(std::string_view op) { return op == "PutObject" || op == "UploadPart"; }

class Md5 {
 public:
  Md5() : ctx_(EVP_MD_CTX_new()) { EVP_DigestInit_ex(ctx_, EVP_md5(), nullptr); }
  ~Md5() { EVP_MD_CTX_free(ctx_); }
  Md5(const Md5&) = delete;
  Md5& operator=(const Md5&) = delete;
  void Update(std::string_view b) { EVP_DigestUpdate(ctx_, b.data(), b.size()); }
  std::string Raw() {
    unsigned char out[16];
    unsigned int n = 0;
    EVP_DigestFinal_ex(ctx_, out, &n);
    return std::string(reinterpret_cast<char*>(out), n);
  }

 private:
  EVP_MD_CTX* ctx_;
};

class S3Sink : public server::StreamSink {
 public:
  S3Sink(S3Service& s3, const server::HttpRequest& head, Authenticated who, authz::RequestInfo info)
      : s3_(s3), head_(head), who_(std::move(who)), info_(std::move(info)) {
    Prepare();
  }

  void Data(std::string_view bytes) override {
    if (error_) return;
    if (decoder_) {
      decoded_.clear();
      if (auto s = decoder_->Feed(bytes, decoded_); !s) {
        error_ = auth::AuthFailureError(s.failure(), auth::Protocol::kRestXml);
        return;
      }
      Consume(decoded_);
    } else {
      if (content_sha_) content_sha_->Update(bytes);
      Consume(bytes);
    }
  }

  // A request refused before its body (an upload the caller may not make, an unknown subresource) is
  // answered at once, without 100 Continue and without reading the body.
  std::optional<server::HttpResponse> Refusal() override {
    const bool has_body = head_has_body_();
    if (!error_ || !has_body) return std::nullopt;
    return Finish();
  }

  server::HttpResponse Finish() override {
    server::HttpResponse r = Run();
    r.headers.emplace_back("x-amz-request-id", info_.request_id);
    r.headers.emplace_back("x-amz-id-2", "xacct");
    if (call_ && !call_->explanation.empty()) {
      std::string line;
      for (const char c : call_->explanation) {
        if (line.size() >= 2000) break;
        line += (c >= 32 && c < 127) ? c : ' ';
      }
      r.headers.emplace_back("x-xacct-explanation", line);
    }
    return r;
  }

 private:
  void Prepare() {
    auto parsed = ParseRequest(head_);
    if (!parsed) {
      error_ = parsed.error();
      return;
    }
    req_ = std::move(*parsed);
    auto op = ResolveOperation(*req_);
    if (!op) {
      error_ = op.error();
      return;
    }
    info_.operation = *op;
    call_.emplace(Call{s3_, *req_, who_, info_, *op, {}, {}, {}, {}, {}});
    if (!req_->bucket.empty()) {
      auto bucket = s3_.FindBucket(req_->bucket);
      if (!bucket) {
        error_ = bucket.error();
        return;
      }
      if (*bucket) call_->bucket = **bucket;
      // x-amz-expected-bucket-owner: a bucket of another account is refused as S3 does (403).
      const std::string_view expected = req_->Header("x-amz-expected-bucket-owner");
      if (call_->bucket && !expected.empty() && expected != call_->bucket->owner) {
        error_ = AwsError::Client("AccessDenied", "Access Denied", 403);
        error_->detail = "x-amz-expected-bucket-owner is " + std::string(expected) + " but account " +
                         call_->bucket->owner + " owns the bucket";
        return;
      }
    }
    // The payload: aws-chunked bodies are decoded; a declared SHA-256 is checked at the end.
    if (who_.verified) {
      const auto mode = who_.verified->payload_mode;
      if (auth::IsStreaming(mode)) {
        auth::HttpRequestView view{head_.method, head_.target, {}};
        for (const auto& [k, v] : head_.headers) view.headers.emplace_back(k, v);
        auto decoder = auth::ChunkedPayloadDecoder::Create(view, *who_.verified);
        if (!decoder) {
          error_ = auth::AuthFailureError(decoder.failure(), auth::Protocol::kRestXml);
          return;
        }
        decoder_.emplace(std::move(*decoder));
      } else if (mode == auth::PayloadMode::kDeclaredSha256) {
        content_sha_ = std::make_unique<auth::Sha256>();
      }
    }
    if (IsUpload(*op)) {
      if (auto s = PreauthorizeUpload(*call_); !s) {
        error_ = s.error();
        return;
      }
      auto writer = s3_.blobs().Create();
      if (!writer) {
        error_ = writer.error();
        return;
      }
      writer_ = std::move(*writer);
      md5_.emplace();
      // The checksum the client sends (header or trailer) or asks for, and CRC64NVME, which S3 adds anyway.
      std::optional<auth::ChecksumAlgorithm> algorithm;
      for (const auto& [k, v] : head_.headers) {
        if (auto a = auth::ChecksumFromHeaderName(k)) algorithm = a;
        if (policy::EqualsIgnoreCase(k, "x-amz-trailer")) algorithm = auth::ChecksumFromHeaderName(v);
      }
      const std::string_view asked = req_->Header("x-amz-sdk-checksum-algorithm");
      if (!algorithm && !asked.empty())
        algorithm = auth::ChecksumFromHeaderName("x-amz-checksum-" + std::string(asked));
      client_algorithm_ = algorithm;
      if (algorithm) checksums_.emplace(*algorithm, auth::PayloadChecksum(*algorithm));
      checksums_.emplace(auth::ChecksumAlgorithm::kCrc64Nvme,
                         auth::PayloadChecksum(auth::ChecksumAlgorithm::kCrc64Nvme));
    }
  }

  void Consume(std::string_view bytes) {
    if (error_ || bytes.empty()) return;
    if (writer_) {
      md5_->Update(bytes);
      for (auto& [_, c] : checksums_) c.Update(bytes);
      if (auto s = writer_->Append(bytes); !s) error_ = s.error();
      return;
    }
    if (call_ && call_->body.size() + bytes.size() > kMaxBufferedBody) {
      error_ = AwsError::Client("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size");
      return;
    }
    if (call_) call_->body.append(bytes);
  }

  bool head_has_body_() const {
    for (const auto& [k, v] : head_.headers) {
      if (policy::EqualsIgnoreCase(k, "Content-Length")) return v != "0";
      if (policy::EqualsIgnoreCase(k, "Transfer-Encoding")) return true;
    }
    return false;
  }

  server::HttpResponse Fail(const AwsError& e) {
    if (call_ && !e.detail.empty() && call_->explanation.empty()) call_->explanation = e.detail;
    server::HttpResponse r = S3ErrorResponse(e, info_.request_id, head_.method == "HEAD");
    if (call_) {
      for (const auto& h : call_->error_headers) r.headers.push_back(h);
    }
    return r;
  }

  server::HttpResponse Run() {
    if (error_) return Fail(*error_);
    if (decoder_) {
      if (auto s = decoder_->Finish(); !s) return Fail(auth::AuthFailureError(s.failure(), auth::Protocol::kRestXml));
    }
    if (content_sha_ && !policy::EqualsIgnoreCase(content_sha_->FinishHex(), req_->Header("x-amz-content-sha256"))) {
      return Fail(auth::AuthFailureError(auth::AuthFailure::Of(auth::AuthFailureKind::kContentSha256Mismatch),
                                         auth::Protocol::kRestXml));
    }
    if (writer_) {
      UploadedBody up;
      const std::string md5 = md5_->Raw();
      up.md5_hex = HexOf(md5);
      if (req_->HasHeader("Content-MD5")) {
        const std::string_view sent = req_->Header("Content-MD5");
        if (sent.size() != 24) {
          return Fail(AwsError::Client("InvalidDigest", "The Content-MD5 you specified was invalid."));
        }
        if (sent != Base64(md5)) {
          AwsError e = AwsError::Client("BadDigest", "The Content-MD5 you specified did not match what we received.");
          e.fields = {{"ExpectedDigest", std::string(sent)}, {"CalculatedDigest", Base64(md5)}};
          return Fail(e);
        }
      }
      for (auto& [alg, c] : checksums_) up.checksums[alg] = c.Base64Digest();
      up.client_algorithm = client_algorithm_;
      // A checksum sent as a header (trailers were checked by the decoder).
      for (const auto& [k, v] : head_.headers) {
        const auto alg = auth::ChecksumFromHeaderName(k);
        if (!alg) continue;
        if (v != up.checksums[*alg]) {
          return Fail(AwsError::Client("BadDigest", "The " + std::string(auth::ChecksumName(*alg)) +
                                                        " you specified did not match the calculated checksum."));
        }
      }
      up.size = writer_->size();
      auto id = writer_->Commit();
      if (!id) return Fail(id.error());
      up.blob_id = *id;
      call_->upload = std::move(up);
    }
    const auto it = HandlerMap().find(call_->operation);
    if (it == HandlerMap().end()) {
      return Fail(AwsError::Server(
          "NotImplemented",
          "xacct does not implement S3 operation " + call_->operation + " yet (see docs/coverage/s3.md)", 501));
    }
    Result<server::HttpResponse> out = AwsError::Server("InternalError", "not run");
    try {
      out = it->second(*call_);
    } catch (const std::exception& e) {
      out = AwsError::Server("InternalError", std::string("We encountered an internal error: ") + e.what());
    }
    if (!out) {
      // The metadata never named the blob: remove it now rather than at the next start.
      if (call_->upload && !call_->upload->blob_id.empty()) (void)s3_.blobs().Remove(call_->upload->blob_id);
      return Fail(out.error());
    }
    return std::move(*out);
  }

  S3Service& s3_;
  server::HttpRequest head_;
  Authenticated who_;
  authz::RequestInfo info_;
  std::optional<Request> req_;
  std::optional<Call> call_;
  std::optional<AwsError> error_;
  std::optional<auth::ChunkedPayloadDecoder> decoder_;
  std::string decoded_;
  std::unique_ptr<auth::Sha256> content_sha_;
  std::unique_ptr<store::BlobWriter> writer_;
  std::optional<Md5> md5_;
  std::map<auth::ChecksumAlgorithm, auth::PayloadChecksum> checksums_;
  std::optional<auth::ChecksumAlgorithm> client_algorithm_;
};

}  // namespace

std::unique_ptr<server::StreamSink> S3Service::Open(const server::HttpRequest& head, Authenticated who,
                                                    authz::RequestInfo info) {
  return std::make_unique<S3Sink>(*this, head, std::move(who), std::move(info));
}

Result<std::shared_ptr<const Bucket>> S3Service::FindBucket(const std::string& name) {
  // Read the generation first: a write committed after it makes the entry stale, never wrongly fresh.
  const uint64_t generation = db_.generation();
  {
    std::lock_guard lock(bucket_mu_);
    if (auto it = buckets_.find(name); it != buckets_.end() && it->second.first == generation) return it->second.second;
  }
  auto loaded = LoadBucket(db_, name);
  if (!loaded) return loaded.error();
  std::shared_ptr<const Bucket> bucket = *loaded ? std::make_shared<const Bucket>(std::move(**loaded)) : nullptr;
  std::lock_guard lock(bucket_mu_);
  if (buckets_.size() > 4096) buckets_.clear();
  buckets_[name] = {generation, bucket};
  return bucket;
}

const std::vector<std::string_view>& ImplementedOperations() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> out;
    for (const auto& [name, _] : HandlerMap()) out.push_back(name);
    return out;
  }();
  return names;
}

Status Call::RequireBucket() {
  if (!bucket) return NoSuchBucket(req.bucket);
  return Ok{};
}

bool Call::Allowed(std::string_view action, const std::string& resource) {
  const std::string saved = explanation;
  const bool ok = Authorize(action, resource).ok();
  if (ok) explanation = saved;
  return ok;
}

Status Call::Authorize(std::string_view action, const std::string& resource,
                       std::vector<std::pair<std::string, std::string>> context) {
  return AuthorizeIn(bucket ? &*bucket : nullptr, action, resource, std::move(context));
}

Status Call::AuthorizeIn(const Bucket* in, std::string_view action, const std::string& resource,
                         std::vector<std::pair<std::string, std::string>> context) {
  const Bucket* bucket = in;
  const identity::Principal& p = caller();
  authz::Check check;
  check.action = std::string(action);
  check.resource = resource;
  check.resource_account = bucket ? bucket->owner : p.account;
  std::string note;
  if (bucket && !bucket->policy.empty()) {
    auto compiled =
        s3.identities().Compile(bucket->policy, policy::PolicyKind::kResource, "the bucket policy of " + bucket->name);
    if (!compiled) return compiled.error();
    const bool restrict = bucket->public_access_block && bucket->public_access_block->restrict_public_buckets;
    if (restrict && p.account != bucket->owner && IsPublicPolicy(**compiled)) {
      // RestrictPublicBuckets: a public policy grants only to the owner account and AWS services.
      note = " (the bucket policy is public and RestrictPublicBuckets limits it to account " + bucket->owner + ")";
    } else {
      check.resource_policy = *compiled;
    }
  }
  // S3's request keys (Service Authorization Reference, "Condition keys for Amazon S3").
  check.context.emplace_back("s3:ResourceAccount", check.resource_account);
  check.context.emplace_back("s3:signatureversion", who.signature_version);
  check.context.emplace_back("s3:authType",
                             who.method == auth::AuthMethod::kPresigned ? "REST-QUERY-STRING" : "REST-HEADER");
  if (req.HasHeader("x-amz-content-sha256")) {
    check.context.emplace_back("s3:x-amz-content-sha256", std::string(req.Header("x-amz-content-sha256")));
  }
  if (req.HasHeader("x-amz-acl")) check.context.emplace_back("s3:x-amz-acl", std::string(req.Header("x-amz-acl")));
  if (req.HasHeader("x-amz-server-side-encryption")) {
    check.context.emplace_back("s3:x-amz-server-side-encryption",
                               std::string(req.Header("x-amz-server-side-encryption")));
  }
  for (auto& kv : context) check.context.push_back(std::move(kv));
  check.denied_code = "AccessDenied";
  auto s = s3.authorizer().Authorize(p, info, check, &explanation);
  if (!note.empty()) explanation += note;
  if (s) return s;
  AwsError e = s.error();
  // S3 words a denial in detail only to callers of the owner's account or organization; others read
  // "Access Denied" (Amazon S3 User Guide, "Access denied (403 Forbidden) errors").
  const auto& org = s3.identities().config().organization;
  const bool same_org = org && org->IsMember(p.account) && org->IsMember(check.resource_account);
  if (p.account != check.resource_account && !same_org) e.message = "Access Denied";
  if (e.detail.empty()) e.detail = explanation;
  return e;
}

}  // namespace xacct::services::s3

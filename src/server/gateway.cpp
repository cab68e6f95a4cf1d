#include "server/gateway.h"

#include <chrono>

#include "auth/sigv2.h"
#include "common/ids.h"
#include "model/service_model.h"
#include "protocol/form.h"
#include "protocol/json_protocol.h"
#include "protocol/query.h"
#include "services/service.h"

namespace xacct::server {

namespace {

using model::Protocol;

std::string_view HeaderOf(const HttpRequest& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (policy::EqualsIgnoreCase(k, name)) return v;
  }
  return {};
}

auth::Protocol AuthProtocol(Protocol p) {
  switch (p) {
    case Protocol::kQuery:
      return auth::Protocol::kQuery;
    case Protocol::kJson:
    case Protocol::kRestJson:
      return auth::Protocol::kJson;
    case Protocol::kRestXml:
      return auth::Protocol::kRestXml;
  }
  return auth::Protocol::kQuery;
}

// The explanation as a header value: one line, printable ASCII, bounded.
std::string HeaderSafe(std::string_view s) {
  std::string out;
  for (const char c : s) {
    if (out.size() >= 2000) break;
    out += (c >= 32 && c < 127) ? c : ' ';
  }
  return out;
}

struct Route {
  const model::ServiceModel* model = nullptr;
  std::string operation;
  std::vector<std::pair<std::string, std::string>> params;  // query protocol
};

HttpResponse ErrorResponse(const model::ServiceModel* model, const AwsError& e, const std::string& request_id) {
  HttpResponse r;
  r.status = e.http_status;
  const Protocol p = model != nullptr ? model->protocol() : Protocol::kRestXml;
  if (p == Protocol::kQuery) {
    r.body = protocol::EncodeQueryError(*model, e, request_id);
    r.headers.emplace_back("Content-Type", "text/xml");
  } else if (p == Protocol::kJson || p == Protocol::kRestJson) {
    r.body = protocol::EncodeJsonError(*model, e);
    r.headers.emplace_back(
        "Content-Type",
        "application/x-amz-json-" + std::string(model->json_version().empty() ? "1.1" : model->json_version()));
    r.headers.emplace_back("x-amzn-ErrorType", e.code);
  } else {
    HttpResponse xml = services::s3::S3ErrorResponse(e, request_id);
    r.body = std::move(xml.body);
    for (auto& h : xml.headers) r.headers.push_back(std::move(h));
  }
  if (!e.detail.empty()) r.headers.emplace_back("x-xacct-explanation", HeaderSafe(e.detail));
  return r;
}

// A request refused before its body: the body is drained as it arrives, then the error is the answer.
class ErrorSink : public StreamSink {
 public:
  ErrorSink(AwsError error, std::string request_id, bool head)
      : error_(std::move(error)), request_id_(std::move(request_id)), head_(head) {}
  void Data(std::string_view) override {}
  std::optional<HttpResponse> Refusal() override { return Finish(); }
  HttpResponse Finish() override {
    HttpResponse r = services::s3::S3ErrorResponse(error_, request_id_, head_);
    r.headers.emplace_back("x-amz-request-id", request_id_);
    if (!error_.detail.empty()) r.headers.emplace_back("x-xacct-explanation", HeaderSafe(error_.detail));
    return r;
  }

 private:
  AwsError error_;
  std::string request_id_;
  bool head_;
};

}  // namespace

std::unique_ptr<StreamSink> Gateway::Stream(const HttpRequest& head) {
  // The query and JSON protocols: X-Amz-Target, a form or JSON body, or a credential scope naming one.
  if (!HeaderOf(head, "X-Amz-Target").empty()) return nullptr;
  const std::string_view type = HeaderOf(head, "Content-Type");
  // A form body is the query protocol's only when POSTed (a PUT of one is an S3 upload, e.g. curl -d).
  if ((type.starts_with("application/x-www-form-urlencoded") && head.method == "POST") ||
      type.starts_with("application/x-amz-json")) {
    return nullptr;
  }
  auth::HttpRequestView view{head.method, head.target, {}};
  for (const auto& [k, v] : head.headers) view.headers.emplace_back(k, v);
  if (view.RawQuery().find("Action=") != std::string_view::npos) return nullptr;
  auto parsed = auth::ParseAuthorization(view);
  if (parsed && !parsed->anonymous()) {
    const auto* model = model::ServiceModel::Find(parsed->scope.service);
    if (model != nullptr && model->name() != "s3") return nullptr;
  }
  const std::string request_id = NewRequestId();
  const bool head_request = head.method == "HEAD";
  if (s3_ == nullptr) {
    return std::make_unique<ErrorSink>(AwsError::Server("NotImplemented", "xacct was started without Amazon S3", 501),
                                       request_id, head_request);
  }
  const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  services::s3::Authenticated who;
  std::optional<identity::Credential> credential;
  if (!parsed) {
    return std::make_unique<ErrorSink>(auth::AuthFailureError(parsed.failure(), auth::Protocol::kRestXml), request_id,
                                       head_request);
  }
  if (auto v2 = parsed->anonymous() ? auth::ParseSigV2Presign(view) : std::nullopt) {
    // A SigV2 presigned URL (botocore's default for S3 in the older regions).
    auto found = identities_.LookupAccessKey(v2->access_key_id);
    if (!found) return std::make_unique<ErrorSink>(found.error(), request_id, head_request);
    if (!*found) {
      return std::make_unique<ErrorSink>(
          auth::AuthFailureError(auth::AuthFailure::UnknownAccessKey(v2->access_key_id), auth::Protocol::kRestXml),
          request_id, head_request);
    }
    auto ok =
        auth::VerifySigV2Presign(view, *v2, (*found)->secret_access_key, now, services::s3::VirtualHostBucket(head));
    if (!ok) {
      return std::make_unique<ErrorSink>(auth::AuthFailureError(ok.failure(), auth::Protocol::kRestXml), request_id,
                                         head_request);
    }
    if ((*found)->session_token ? v2->security_token != *(*found)->session_token : !v2->security_token.empty()) {
      return std::make_unique<ErrorSink>(
          auth::AuthFailureError(auth::AuthFailure::Of(auth::AuthFailureKind::kInvalidToken), auth::Protocol::kRestXml),
          request_id, head_request);
    }
    who.principal = (*found)->principal;
    who.method = auth::AuthMethod::kPresigned;
    who.signature_version = "AWS";
  } else if (!parsed->anonymous()) {
    auto signed_request = Authenticate(view, *parsed, credential, auth::Protocol::kRestXml, {}, now);
    if (!signed_request) return std::make_unique<ErrorSink>(signed_request.error(), request_id, head_request);
    who.principal = signed_request->credential->principal;
    who.method = parsed->method;
    who.verified = std::move(signed_request->verified);
  }
  authz::RequestInfo info;
  info.request_id = request_id;
  info.service = "s3";
  info.region =
      parsed->anonymous() || parsed->scope.region.empty() ? identities_.config().default_region : parsed->scope.region;
  info.source_ip = head.remote_ip;
  info.secure_transport = head.secure;
  info.now = now.time_since_epoch().count();
  return s3_->Open(head, std::move(who), std::move(info));
}

Result<Gateway::Signed> Gateway::Authenticate(const auth::HttpRequestView& view, const auth::ParsedAuth& parsed,
                                              std::optional<identity::Credential>& credential, auth::Protocol protocol,
                                              std::string_view body, std::chrono::sys_seconds now) {
  auto found = identities_.LookupAccessKey(parsed.access_key_id);
  if (!found) return found.error();
  if (!*found) return auth::AuthFailureError(auth::AuthFailure::UnknownAccessKey(parsed.access_key_id), protocol);
  credential = std::move(*found);
  auto mode = auth::ClassifyPayload(view, parsed);
  if (!mode) return auth::AuthFailureError(mode.failure(), protocol);
  std::string body_hash;
  if (protocol != auth::Protocol::kRestXml) {
    body_hash = auth::Sha256Hex(body);
    if (*mode == auth::PayloadMode::kDeclaredSha256 &&
        !policy::EqualsIgnoreCase(view.Header("x-amz-content-sha256").value_or(""), body_hash)) {
      return auth::AuthFailureError(auth::AuthFailure::Of(auth::AuthFailureKind::kContentSha256Mismatch), protocol);
    }
  }
  auth::VerifyOptions options{.now = now, .body_sha256 = body_hash, .key_cache = &key_cache_};
  if (protocol == auth::Protocol::kRestXml) options.body_sha256 = auth::kEmptySha256;
  auto verified = auth::Verify(view, parsed, credential->secret_access_key, options);
  if (!verified) return auth::AuthFailureError(verified.failure(), protocol);
  if (credential->session_token) {
    if (parsed.security_token != *credential->session_token) {
      return auth::AuthFailureError(auth::AuthFailure::Of(auth::AuthFailureKind::kInvalidToken), protocol);
    }
    if (now.time_since_epoch().count() >= credential->principal.expiration) {
      return auth::AuthFailureError(auth::AuthFailure::Of(auth::AuthFailureKind::kExpiredToken), protocol);
    }
  } else if (!parsed.security_token.empty()) {
    return auth::AuthFailureError(auth::AuthFailure::Of(auth::AuthFailureKind::kInvalidToken), protocol);
  }
  return Signed{&*credential, std::move(*verified)};
}

std::string NewRequestId() { return NewUuid(); }

HttpResponse Gateway::Handle(const HttpRequest& http) {
  const std::string request_id = NewRequestId();
  HttpResponse response = Handle(http, request_id);
  response.headers.emplace_back("x-amzn-RequestId", request_id);
  return response;
}

HttpResponse Gateway::Handle(const HttpRequest& http, const std::string& request_id) {
  auth::HttpRequestView view{http.method, http.target, {}};
  for (const auto& [k, v] : http.headers) view.headers.emplace_back(k, v);
  auto parsed = auth::ParseAuthorization(view);

  // Route: X-Amz-Target (JSON protocols), else the credential scope's service, else Action, else S3.
  Route route;
  const std::string_view target = HeaderOf(http, "X-Amz-Target");
  if (!target.empty()) {
    const auto dot = target.rfind('.');
    route.model = model::ServiceModel::FindByTargetPrefix(target.substr(0, dot == std::string_view::npos ? 0 : dot));
    if (route.model != nullptr) route.operation = std::string(target.substr(dot + 1));
  }
  if (route.model == nullptr) {
    if (parsed && !parsed->anonymous()) route.model = model::ServiceModel::Find(parsed->scope.service);
    if (route.model == nullptr || route.model->protocol() == Protocol::kQuery) {
      std::string form(view.RawQuery());
      if (http.method == "POST" && HeaderOf(http, "Content-Type").starts_with("application/x-www-form-urlencoded")) {
        if (!form.empty()) form += '&';
        form += http.body;
      }
      auto params = protocol::DecodeForm(form);
      if (params) {
        for (auto& [k, v] : *params) {
          if (k == "Action") {
            route.operation = v;
          } else if (k != "Version") {
            route.params.emplace_back(std::move(k), std::move(v));
          }
        }
      }
      if (route.model == nullptr && !route.operation.empty()) {
        for (const char* service : {"sts", "iam"}) {
          const auto* m = model::ServiceModel::Find(service);
          if (m != nullptr && m->FindOperation(route.operation) != nullptr) {
            route.model = m;
            break;
          }
        }
      }
    }
  }
  if (route.model == nullptr || route.model->name() == "s3") {
    // S3 requests stream (Stream); what reaches here is a form POST: S3's browser-based upload, or a
    // query-protocol request naming no action xacct knows.
    return ErrorResponse(nullptr,
                         AwsError::Server("NotImplemented",
                                          "A header or query you provided implies functionality that is not "
                                          "implemented: S3 POST Object (browser-based uploads) or an unknown Action",
                                          501),
                         request_id);
  }
  const model::ServiceModel& model = *route.model;
  const auto auth_protocol = AuthProtocol(model.protocol());

  // Authenticate.
  if (!parsed) return ErrorResponse(&model, auth::AuthFailureError(parsed.failure(), auth_protocol), request_id);
  if (parsed->anonymous()) {
    return ErrorResponse(
        &model,
        auth::AuthFailureError(auth::AuthFailure::Of(auth::AuthFailureKind::kMissingAuthentication), auth_protocol),
        request_id);
  }
  const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  std::optional<identity::Credential> credential;
  auto signed_request = Authenticate(view, *parsed, credential, auth_protocol, http.body, now);
  if (!signed_request) return ErrorResponse(&model, signed_request.error(), request_id);
  const identity::Credential& cred = *credential;

  // Decode the input.
  const model::Operation* op = model.FindOperation(route.operation);
  if (op == nullptr) {
    if (model.protocol() == Protocol::kQuery) {
      return ErrorResponse(&model,
                           AwsError::Client("InvalidAction", "Could not find operation " + route.operation +
                                                                 " for version " + std::string(model.api_version())),
                           request_id);
    }
    return ErrorResponse(&model, AwsError::Client("UnknownOperationException", ""), request_id);
  }
  Result<json::value> input = model.protocol() == Protocol::kQuery
                                  ? protocol::DecodeQueryInput(model, *op, route.params)
                                  : protocol::DecodeJsonInput(model, *op, http.body);
  if (!input) return ErrorResponse(&model, input.error(), request_id);

  const services::Provider* provider = services::FindProvider(model.name());
  const services::Handler* handler = nullptr;
  if (provider != nullptr) {
    if (auto it = provider->handlers->find(op->name); it != provider->handlers->end()) handler = &it->second;
  }
  if (handler == nullptr) {
    return ErrorResponse(
        &model,
        AwsError::Server("NotImplemented",
                         "xacct does not implement " + std::string(model.service_id()) + " operation " + op->name +
                             " yet (see docs/coverage/" + std::string(model.name()) + ".md)",
                         501),
        request_id);
  }

  authz::RequestInfo info;
  info.request_id = request_id;
  info.service = std::string(model.name());
  info.operation = op->name;
  info.region = parsed->scope.region.empty() ? identities_.config().default_region : parsed->scope.region;
  info.source_ip = http.remote_ip;
  info.secure_transport = http.secure;
  info.now = now.time_since_epoch().count();
  services::CallContext ctx{cred.principal, info, authorizer_, identities_, {}, backends_};
  const json::object empty;
  auto output = (*handler)(ctx, input->is_object() ? input->as_object() : empty);
  if (!output) return ErrorResponse(&model, output.error(), request_id);

  HttpResponse response;
  if (model.protocol() == Protocol::kQuery) {
    response.body = protocol::EncodeQueryResponse(model, *op, *output, request_id);
    response.headers.emplace_back("Content-Type", "text/xml");
  } else {
    response.body = protocol::EncodeJsonResponse(model, *op, *output);
    response.headers.emplace_back("Content-Type", "application/x-amz-json-" + std::string(model.json_version()));
  }
  if (!ctx.explanation.empty()) response.headers.emplace_back("x-xacct-explanation", HeaderSafe(ctx.explanation));
  return response;
}

}  // namespace xacct::server

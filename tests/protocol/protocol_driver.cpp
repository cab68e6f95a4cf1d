// A command-line face of the query and JSON codecs, for tests that drive them with real clients'
// bytes (tests/protocol/roundtrip_test.py):
//   xacct_protocol_driver decode-query SERVICE OPERATION [--no-validate] < form body   -> input JSON
//   xacct_protocol_driver encode-query SERVICE OPERATION REQUEST_ID < output JSON      -> XML
//   xacct_protocol_driver decode-json SERVICE OPERATION [--no-validate] < JSON body    -> input JSON
//   xacct_protocol_driver encode-json SERVICE OPERATION < output JSON                   -> JSON body
//   xacct_protocol_driver encode-error SERVICE REQUEST_ID < {"code","message","status","sender"}
//   xacct_protocol_driver batch < one request a line                                    -> one reply a line
// A decode that fails prints {"error":{"code","message","status"}} and exits 3. In batch mode each
// line is {"cmd","service","operation","body","request_id","validate"} and each reply
// {"ok":true,"value":...} / {"ok":true,"text":...} / {"ok":false,"error":{...}}.
#include <iostream>
#include <iterator>
#include <string>

#include "common/json.h"
#include "model/service_model.h"
#include "protocol/form.h"
#include "protocol/json_protocol.h"
#include "protocol/query.h"

namespace {

using namespace xacct;

json::object ErrorJson(const AwsError& e) {
  return json::object{{"code", e.code}, {"message", e.message}, {"status", e.http_status}, {"sender", e.sender_fault}};
}

struct Request {
  std::string cmd, service, operation, body, request_id = "req-1";
  bool validate = true;
};

// Runs one request; the reply is {"ok":...} as in batch mode.
json::object Run(const Request& r) {
  const model::ServiceModel* service = model::ServiceModel::Find(r.service);
  if (service == nullptr) return {{"ok", false}, {"error", {{"code", "UnknownService"}, {"message", r.service}}}};
  if (r.cmd == "encode-error") {
    auto parsed = ParseJson(r.body);
    if (!parsed.ok() || !parsed->is_object()) return {{"ok", false}, {"error", {{"code", "BadDriverInput"}}}};
    const json::object& o = parsed->get_object();
    AwsError e;
    e.code = std::string(JsonString(o.contains("code") ? o.at("code") : json::value()));
    e.message = std::string(JsonString(o.contains("message") ? o.at("message") : json::value()));
    e.http_status = o.contains("status") ? static_cast<int>(o.at("status").to_number<int64_t>()) : 400;
    e.sender_fault = !o.contains("sender") || o.at("sender").as_bool();
    if (service->protocol() == model::Protocol::kQuery) {
      return {{"ok", true}, {"text", protocol::EncodeQueryError(*service, e, r.request_id)}};
    }
    const protocol::JsonErrorResponse response = protocol::MakeJsonErrorResponse(*service, e);
    return {{"ok", true},
            {"text", response.body},
            {"headers", {{"Content-Type", response.content_type}, {"x-amzn-ErrorType", response.error_type}}}};
  }
  const model::Operation* op = service->FindOperation(r.operation);
  if (op == nullptr) return {{"ok", false}, {"error", {{"code", "UnknownOperation"}, {"message", r.operation}}}};
  if (r.cmd == "decode-query" || r.cmd == "decode-json") {
    Result<json::value> input = json::value();
    if (r.cmd == "decode-query") {
      auto form = protocol::DecodeForm(r.body);
      if (!form.ok()) return {{"ok", false}, {"error", ErrorJson(form.error())}};
      input = r.validate ? protocol::DecodeQueryInput(*service, *op, *form) : protocol::DecodeQueryParams(*op, *form);
    } else {
      input = r.validate ? protocol::DecodeJsonInput(*service, *op, r.body) : protocol::ParseJsonInput(*op, r.body);
    }
    if (!input.ok()) return {{"ok", false}, {"error", ErrorJson(input.error())}};
    return {{"ok", true}, {"value", std::move(*input)}};
  }
  if (r.cmd == "encode-query" || r.cmd == "encode-json") {
    auto output = ParseJson(r.body);
    if (!output.ok()) return {{"ok", false}, {"error", ErrorJson(output.error())}};
    if (r.cmd == "encode-query") {
      return {{"ok", true}, {"text", protocol::EncodeQueryResponse(*service, *op, *output, r.request_id)}};
    }
    return {{"ok", true}, {"text", protocol::EncodeJsonResponse(*service, *op, *output)}};
  }
  return {{"ok", false}, {"error", {{"code", "UnknownCommand"}, {"message", r.cmd}}}};
}

int Usage() {
  std::cerr << "usage: xacct_protocol_driver decode-query|encode-query|decode-json|encode-json SERVICE OPERATION "
               "[REQUEST_ID|--no-validate] < input\n"
               "       xacct_protocol_driver encode-error SERVICE REQUEST_ID < error\n"
               "       xacct_protocol_driver batch < requests\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  if (argc < 2) return Usage();
  const std::string cmd = argv[1];
  if (cmd == "batch") {
    std::string line;
    while (std::getline(std::cin, line)) {
      auto parsed = ParseJson(line);
      json::object reply;
      if (!parsed.ok() || !parsed->is_object()) {
        reply = {{"ok", false}, {"error", {{"code", "BadDriverInput"}, {"message", line}}}};
      } else {
        const json::object& o = parsed->get_object();
        auto field = [&](const char* key) {
          return o.contains(key) ? std::string(JsonString(o.at(key))) : std::string();
        };
        Request r{field("cmd"), field("service"), field("operation"), field("body")};
        if (o.contains("request_id")) r.request_id = field("request_id");
        if (o.contains("validate")) r.validate = o.at("validate").as_bool();
        reply = Run(r);
      }
      std::cout << json::serialize(reply) << '\n' << std::flush;
    }
    return 0;
  }
  if (argc < 4 && cmd != "encode-error") return Usage();
  if (argc < 3) return Usage();
  Request r;
  r.cmd = cmd;
  r.service = argv[2];
  r.body.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  if (cmd == "encode-error") {
    if (argc > 3) r.request_id = argv[3];
  } else {
    r.operation = argv[3];
    for (int i = 4; i < argc; ++i) {
      const std::string arg = argv[i];
      if (arg == "--no-validate") {
        r.validate = false;
      } else {
        r.request_id = arg;
      }
    }
  }
  const json::object reply = Run(r);
  if (!reply.at("ok").as_bool()) {
    std::cout << json::serialize(json::object{{"error", reply.at("error")}}) << '\n';
    return 3;
  }
  if (reply.contains("value")) {
    std::cout << PrettyJson(reply.at("value"), 2) << '\n';
  } else {
    std::cout << JsonString(reply.at("text"));
  }
  return 0;
}

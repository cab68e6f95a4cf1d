// Fuzz target: any bytes as an HTTP request head and body, through the SigV4 parser, the canonicalizer,
// Verify, the error table and the aws-chunked decoder. None of them may crash, leak or read out of bounds.
// Input: byte 0 picks options; then "METHOD TARGET\n", "Name: value\n" lines up to an empty line, and the
// rest is an aws-chunked body fed to the decoder in pieces whose sizes byte 0 also picks.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "auth/chunked_payload.h"
#include "auth/sigv4.h"

namespace {

using namespace xacct::auth;

std::string_view NextLine(std::string_view& rest) {
  const size_t nl = rest.find('\n');
  const std::string_view line = rest.substr(0, nl);
  rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
  return line.ends_with('\r') ? line.substr(0, line.size() - 1) : line;
}

void Errors(const AuthFailure& f) {
  for (Protocol p : {Protocol::kRestXml, Protocol::kQuery, Protocol::kJson}) (void)AuthFailureError(f, p);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t options = data[0];
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);

  HttpRequestView request;
  const std::string_view first = NextLine(rest);
  const size_t space = first.find(' ');
  request.method = first.substr(0, space);
  request.target = space == std::string_view::npos ? std::string_view() : first.substr(space + 1);
  while (!rest.empty()) {
    const std::string_view line = NextLine(rest);
    if (line.empty()) break;
    const size_t colon = line.find(':');
    request.headers.emplace_back(line.substr(0, colon),
                                 colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1));
  }
  const std::string_view body = rest;

  (void)CanonicalUri(request.RawPath(), options & 1);
  (void)CanonicalQueryString(request.RawQuery(), options & 2);
  for (const auto& [name, value] : request.headers) {
    (void)ParseAmzDate(value);
    (void)ParseHttpDate(value);
  }

  const AuthResult<ParsedAuth> auth = ParseAuthorization(request);
  if (!auth.ok()) {
    Errors(auth.failure());
  } else if (!auth->anonymous()) {
    (void)CanonicalHeaders(request, auth->signed_headers);
    (void)CanonicalRequest(request, *auth, kEmptySha256);
    if (auto mode = ClassifyPayload(request, *auth); !mode.ok()) Errors(mode.failure());
    const Timestamp now = (options & 4) ? auth->request_time : Timestamp{};
    const auto verified = Verify(request, *auth, "secret", VerifyOptions{.now = now, .expected_service = "s3"});
    if (!verified.ok()) Errors(verified.failure());
  }

  // The decoder with a fixed signing context, in the mode byte 0 picks.
  static const PayloadMode kModes[] = {PayloadMode::kStreamingSigned, PayloadMode::kStreamingSignedTrailer,
                                       PayloadMode::kStreamingUnsignedTrailer};
  VerifiedRequest context;
  context.payload_mode = kModes[(options >> 3) % 3];
  context.signing_key = DeriveSigningKey("secret", CredentialScope{"20240101", "us-east-1", "s3"});
  context.amz_date = "20240101T000000Z";
  context.scope = "20240101/us-east-1/s3/aws4_request";
  context.seed_signature = std::string(64, '0');
  const std::optional<std::uint64_t> length =
      (options & 0x40) ? std::optional<std::uint64_t>(body.size() / 2) : std::nullopt;
  ChunkedPayloadDecoder decoder(context, length, {.max_line = 256, .max_trailer_bytes = 1024});
  const size_t piece = 1 + (options >> 5) * 13;
  std::string out;
  for (size_t at = 0; at < body.size(); at += piece) {
    const AuthStatus s = decoder.Feed(body.substr(at, piece), out);
    if (!s.ok()) {
      Errors(s.failure());
      break;
    }
    if (out.size() > 1 << 16) out.clear();
  }
  if (AuthStatus s = decoder.Finish(); !s.ok()) Errors(s.failure());
  return 0;
}

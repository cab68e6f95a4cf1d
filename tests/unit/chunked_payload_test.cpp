// aws-chunked framing and signatures (Amazon S3 API Reference, "Transferring Payload in Multiple Chunks"
// and "Including Trailing Headers"): what the decoder accepts, and how each kind of damage is reported.
// Streams signed by botocore and by the S3 document's example are in sigv4_vectors_test.cpp.
#include "auth/chunked_payload.h"

#include <gtest/gtest.h>

namespace xacct::auth {
namespace {

VerifiedRequest Context(PayloadMode mode) {
  VerifiedRequest v;
  v.payload_mode = mode;
  v.signing_key = DeriveSigningKey("secret", CredentialScope{"20240101", "us-east-1", "s3"});
  v.amz_date = "20240101T000000Z";
  v.scope = "20240101/us-east-1/s3/aws4_request";
  v.seed_signature = std::string(64, 'a');
  return v;
}

struct Trailer {
  std::string name, value;
};

// Encodes `chunks` (the last one should be empty) in `context`'s mode, signing as the document says.
std::string Encode(const VerifiedRequest& context, const std::vector<std::string>& chunks,
                   const std::vector<Trailer>& trailers = {}) {
  const bool sign = context.payload_mode != PayloadMode::kStreamingUnsignedTrailer;
  std::string previous = context.seed_signature;
  std::string out;
  char size[32];
  for (const std::string& chunk : chunks) {
    std::snprintf(size, sizeof size, "%zx", chunk.size());
    out += size;
    if (sign) {
      previous = HmacSha256Hex(context.signing_key, "AWS4-HMAC-SHA256-PAYLOAD\n" + context.amz_date + "\n" +
                                                        context.scope + "\n" + previous + "\n" +
                                                        std::string(kEmptySha256) + "\n" + Sha256Hex(chunk));
      out += ";chunk-signature=" + previous;
    }
    out += "\r\n";
    if (!chunk.empty()) out += chunk + "\r\n";
  }
  std::string canonical;
  for (const auto& t : trailers) {
    out += t.name + ":" + t.value + "\r\n";
    canonical += t.name + ":" + t.value + "\n";
  }
  if (context.payload_mode == PayloadMode::kStreamingSignedTrailer) {
    out += "x-amz-trailer-signature:" +
           HmacSha256Hex(context.signing_key, "AWS4-HMAC-SHA256-TRAILER\n" + context.amz_date + "\n" + context.scope +
                                                  "\n" + previous + "\n" + Sha256Hex(canonical)) +
           "\r\n";
  }
  return out + "\r\n";
}

struct Outcome {
  bool ok;
  std::string payload;
  AuthFailure failure;
};

Outcome DecodeAll(const VerifiedRequest& context, std::string_view wire, std::optional<std::uint64_t> length = {},
                  size_t piece = 3, ChunkedPayloadDecoder::Limits limits = {}) {
  ChunkedPayloadDecoder decoder(context, length, limits);
  Outcome out{true, {}, {}};
  for (size_t at = 0; at < wire.size(); at += piece) {
    const AuthStatus s = decoder.Feed(wire.substr(at, piece), out.payload);
    if (!s.ok()) return {false, out.payload, s.failure()};
  }
  const AuthStatus s = decoder.Finish();
  if (!s.ok()) return {false, out.payload, s.failure()};
  return out;
}

TEST(ChunkedPayloadTest, DecodesEachModeWithItsTrailers) {
  for (PayloadMode mode :
       {PayloadMode::kStreamingSigned, PayloadMode::kStreamingSignedTrailer, PayloadMode::kStreamingUnsignedTrailer}) {
    const VerifiedRequest c = Context(mode);
    const std::vector<Trailer> trailers = mode == PayloadMode::kStreamingSigned
                                              ? std::vector<Trailer>{}
                                              : std::vector<Trailer>{{"x-amz-checksum-crc32", "AAAAAA=="}};
    const std::string wire = Encode(c, {"hello ", "world", ""}, trailers);
    ChunkedPayloadDecoder decoder(c, 11, {});
    std::string payload;
    ASSERT_TRUE(decoder.Feed(wire, payload).ok());
    ASSERT_TRUE(decoder.Finish().ok());
    EXPECT_TRUE(decoder.done());
    EXPECT_EQ(payload, "hello world");
    EXPECT_EQ(decoder.trailers().size(), trailers.size());
  }
}

TEST(ChunkedPayloadTest, TrailerSignatureCoversTrailersSortedByName) {
  const VerifiedRequest c = Context(PayloadMode::kStreamingSignedTrailer);
  // Signed over the sorted lines; sent in another order.
  std::string wire = Encode(c, {"x", ""}, {{"x-amz-checksum-crc32", "A"}, {"x-amz-meta-z", "B"}});
  const size_t a = wire.find("x-amz-checksum-crc32:A\r\n");
  const std::string first = "x-amz-checksum-crc32:A\r\n";
  wire.erase(a, first.size());
  wire.insert(wire.find("x-amz-trailer-signature"), first);
  const Outcome o = DecodeAll(c, wire);
  EXPECT_TRUE(o.ok) << o.failure.detail;
}

struct DamageCase {
  const char* name;
  PayloadMode mode;
  std::string wire;
  AuthFailureKind kind;
  const char* detail_has;
};

TEST(ChunkedPayloadTest, DamageIsReportedAsAwsWould) {
  const VerifiedRequest s = Context(PayloadMode::kStreamingSigned);
  const VerifiedRequest st = Context(PayloadMode::kStreamingSignedTrailer);
  const VerifiedRequest u = Context(PayloadMode::kStreamingUnsignedTrailer);
  const std::string good = Encode(s, {"hello", ""});
  std::string flipped = good;
  flipped[flipped.find("hello")] = 'j';
  std::string bare_lf = good;
  bare_lf.erase(bare_lf.find("\r\n"), 1);
  std::string upper = good;
  for (size_t i = upper.find('=') + 1; i < upper.find("\r\n"); ++i)
    upper[i] = static_cast<char>(std::toupper(upper[i]));
  const std::string signed_trailer = Encode(st, {"x", ""}, {{"x-amz-checksum-crc32", "A"}});
  std::string forged_trailer = signed_trailer;
  forged_trailer.replace(forged_trailer.find(":A\r\n"), 2, ":B");

  const std::vector<DamageCase> cases = {
      {"a payload byte changed", PayloadMode::kStreamingSigned, flipped, AuthFailureKind::kSignatureDoesNotMatch,
       "chunk 0 signature"},
      {"no chunk-signature", PayloadMode::kStreamingSigned, "5\r\nhello\r\n0\r\n\r\n",
       AuthFailureKind::kSignatureDoesNotMatch, "no valid chunk-signature"},
      {"upper-case signature", PayloadMode::kStreamingSigned, upper, AuthFailureKind::kSignatureDoesNotMatch,
       "no valid chunk-signature"},
      {"size not hexadecimal", PayloadMode::kStreamingUnsignedTrailer, "5g\r\nhello\r\n0\r\n\r\n",
       AuthFailureKind::kIncompleteBody, "not hexadecimal"},
      {"line ending in a bare LF", PayloadMode::kStreamingSigned, bare_lf, AuthFailureKind::kIncompleteBody, "bare LF"},
      {"data not followed by CRLF", PayloadMode::kStreamingUnsignedTrailer, "5\r\nhelloXX0\r\n\r\n",
       AuthFailureKind::kIncompleteBody, "not followed by CRLF"},
      {"bytes after the end", PayloadMode::kStreamingSigned, good + "extra", AuthFailureKind::kIncompleteBody,
       "follow the end"},
      {"no final chunk", PayloadMode::kStreamingUnsignedTrailer, "5\r\nhello\r\n", AuthFailureKind::kIncompleteBody,
       "before the final 0-size chunk"},
      {"cut inside the data", PayloadMode::kStreamingUnsignedTrailer, "5\r\nhel", AuthFailureKind::kIncompleteBody,
       "before the final"},
      {"trailer after a signed payload without trailer", PayloadMode::kStreamingSigned,
       good.substr(0, good.size() - 2) + "x-amz-checksum-crc32:A\r\n\r\n", AuthFailureKind::kIncompleteBody,
       "has no trailers"},
      {"trailer without a colon", PayloadMode::kStreamingUnsignedTrailer, "0\r\nnocolon\r\n\r\n",
       AuthFailureKind::kIncompleteBody, "no 'name:'"},
      {"trailer signature in an unsigned trailer", PayloadMode::kStreamingUnsignedTrailer,
       "0\r\nx-amz-trailer-signature:ab\r\n\r\n", AuthFailureKind::kIncompleteBody, "unsigned-trailer"},
      {"forged trailer", PayloadMode::kStreamingSignedTrailer, forged_trailer, AuthFailureKind::kSignatureDoesNotMatch,
       "x-amz-trailer-signature does not match"},
      {"trailer signature missing", PayloadMode::kStreamingSignedTrailer,
       signed_trailer.substr(0, signed_trailer.find("x-amz-trailer-signature")) + "\r\n",
       AuthFailureKind::kSignatureDoesNotMatch, "no x-amz-trailer-signature"},
      {"chunk header too long", PayloadMode::kStreamingUnsignedTrailer, std::string(5000, '1'),
       AuthFailureKind::kIncompleteBody, "longer than 4096"},
  };
  for (const auto& c : cases) {
    const VerifiedRequest& context = c.mode == PayloadMode::kStreamingSigned          ? s
                                     : c.mode == PayloadMode::kStreamingSignedTrailer ? st
                                                                                      : u;
    for (size_t piece : {size_t{1}, size_t{4}, c.wire.size()}) {
      const Outcome o = DecodeAll(context, c.wire, std::nullopt, piece);
      ASSERT_FALSE(o.ok) << c.name;
      EXPECT_EQ(o.failure.kind, c.kind) << c.name;
      EXPECT_NE(o.failure.detail.find(c.detail_has), std::string::npos) << c.name << ": " << o.failure.detail;
    }
  }
}

TEST(ChunkedPayloadTest, DecodedLengthMustBeTheDeclaredOne) {
  const VerifiedRequest c = Context(PayloadMode::kStreamingSigned);
  const std::string wire = Encode(c, {"hello", " world", ""});
  EXPECT_TRUE(DecodeAll(c, wire, 11).ok);
  const Outcome shorter = DecodeAll(c, wire, 12);
  ASSERT_FALSE(shorter.ok);
  EXPECT_EQ(shorter.failure.fields, (std::vector<std::pair<std::string, std::string>>{{"NumberBytesExpected", "12"},
                                                                                      {"NumberBytesProvided", "11"}}));
  const Outcome longer = DecodeAll(c, wire, 4);
  ASSERT_FALSE(longer.ok);
  EXPECT_EQ(longer.failure.kind, AuthFailureKind::kIncompleteBody);
  EXPECT_TRUE(longer.payload.empty());  // refused at the chunk header, before any byte of it was handed out
  EXPECT_EQ(AuthFailureError(longer.failure, Protocol::kRestXml).message,
            "You did not provide the number of bytes specified by the Content-Length HTTP header");
}

TEST(ChunkedPayloadTest, AFailureSticks) {
  const VerifiedRequest c = Context(PayloadMode::kStreamingUnsignedTrailer);
  ChunkedPayloadDecoder decoder(c, std::nullopt, {});
  std::string out;
  ASSERT_FALSE(decoder.Feed("zz\r\n", out).ok());
  const AuthStatus again = decoder.Feed("0\r\n\r\n", out);
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.failure().detail.find("not hexadecimal"), std::string::npos);
  EXPECT_FALSE(decoder.Finish().ok());
}

TEST(ChunkedPayloadTest, TrailerSectionIsBounded) {
  const VerifiedRequest c = Context(PayloadMode::kStreamingUnsignedTrailer);
  std::string wire = "0\r\n";
  for (int i = 0; i < 10; ++i) wire += "x-amz-meta-" + std::to_string(i) + ":" + std::string(100, 'v') + "\r\n";
  wire += "\r\n";
  EXPECT_TRUE(DecodeAll(c, wire).ok);
  const Outcome o = DecodeAll(c, wire, std::nullopt, 3, {.max_line = 4096, .max_trailer_bytes = 500});
  ASSERT_FALSE(o.ok);
  EXPECT_NE(o.failure.detail.find("trailers are too large"), std::string::npos);
}

TEST(ChunkedPayloadTest, CreateReadsTheDeclaredLength) {
  VerifiedRequest c = Context(PayloadMode::kStreamingUnsignedTrailer);
  const HttpRequestView ok{"PUT", "/b/k", {{"X-Amz-Decoded-Content-Length", "5"}}};
  auto d = ChunkedPayloadDecoder::Create(ok, c);
  ASSERT_TRUE(d.ok());
  std::string out;
  EXPECT_TRUE(d->Feed("5\r\nhello\r\n0\r\n\r\n", out).ok());
  EXPECT_TRUE(d->Finish().ok());
  const HttpRequestView bad{"PUT", "/b/k", {{"X-Amz-Decoded-Content-Length", "five"}}};
  EXPECT_FALSE(ChunkedPayloadDecoder::Create(bad, c).ok());
}

}  // namespace
}  // namespace xacct::auth

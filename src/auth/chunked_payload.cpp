// aws-chunked decoding and chunk/trailer signature checks; the format and the strings to sign are in
// chunked_payload.h, from the Amazon S3 API Reference "Signature Calculations for the Authorization
// Header: Transferring Payload in Multiple Chunks (Chunked Upload)" and its trailing-headers variant.
#include "auth/chunked_payload.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <stdexcept>

#include "auth/sigv4_internal.h"

namespace xacct::auth {
namespace {

constexpr std::string_view kSignatureMismatch =
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access "
    "Key and signing method. Consult the service documentation for details.";
constexpr std::string_view kTerminated = "The request body terminated unexpectedly";
constexpr std::string_view kWrongLength =
    "You did not provide the number of bytes specified by the Content-Length HTTP header";

AuthFailure BodyFailure(std::string_view message, std::string detail) {
  AuthFailure f = AuthFailure::Of(AuthFailureKind::kIncompleteBody, std::move(detail));
  f.message = std::string(message);
  return f;
}

AuthFailure LengthFailure(std::uint64_t expected, std::uint64_t provided) {
  AuthFailure f = BodyFailure(kWrongLength, "x-amz-decoded-content-length is " + std::to_string(expected) +
                                                " but the chunks carry " + std::to_string(provided) + " bytes");
  f.fields = {{"NumberBytesExpected", std::to_string(expected)}, {"NumberBytesProvided", std::to_string(provided)}};
  return f;
}

}  // namespace

AuthResult<ChunkedPayloadDecoder> ChunkedPayloadDecoder::Create(const HttpRequestView& request,
                                                                const VerifiedRequest& verified, Limits limits) {
  if (!IsStreaming(verified.payload_mode)) {
    throw std::invalid_argument("ChunkedPayloadDecoder needs a streaming payload mode");
  }
  std::optional<std::uint64_t> length;
  if (auto header = request.Header("x-amz-decoded-content-length")) {
    const std::string_view v = internal::Trim(*header);
    std::uint64_t n = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (v.empty() || ec != std::errc() || end != v.data() + v.size()) {
      return BodyFailure(kWrongLength, "x-amz-decoded-content-length is not a number: '" + std::string(v) + "'");
    }
    length = n;
  }
  ChunkedPayloadDecoder decoder(verified, length, limits);
  // A checksum trailer named by x-amz-trailer is checked against the decoded bytes at the end.
  if (auto trailer = request.Header("x-amz-trailer")) {
    if (auto algorithm = ChecksumFromHeaderName(*trailer)) {
      decoder.checksum_.emplace(*algorithm);
      decoder.checksum_trailer_ = std::string(internal::Trim(*trailer));
      for (char& c : decoder.checksum_trailer_) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return decoder;
}

ChunkedPayloadDecoder::ChunkedPayloadDecoder(const VerifiedRequest& verified,
                                             std::optional<std::uint64_t> decoded_length, Limits limits)
    : mode_(verified.payload_mode),
      key_(verified.signing_key),
      amz_date_(verified.amz_date),
      scope_(verified.scope),
      previous_signature_(verified.seed_signature),
      expected_length_(decoded_length),
      limits_(limits),
      chunk_hash_(std::make_unique<Sha256>()) {}

bool ChunkedPayloadDecoder::signed_chunks() const {
  return mode_ == PayloadMode::kStreamingSigned || mode_ == PayloadMode::kStreamingSignedTrailer;
}

AuthStatus ChunkedPayloadDecoder::Fail(AuthFailure failure) {
  state_ = State::kFailed;
  failure_ = failure;
  return failure;
}

AuthStatus ChunkedPayloadDecoder::Framing(const std::string& detail) {
  return Fail(BodyFailure(kTerminated, "aws-chunked framing: " + detail));
}

AuthResult<bool> ChunkedPayloadDecoder::TakeLine(std::string_view& input, size_t limit) {
  const size_t newline = input.find('\n');
  const size_t take = newline == std::string_view::npos ? input.size() : newline + 1;
  if (line_.size() + take > limit) {
    return Framing("a line is longer than " + std::to_string(limit) + " bytes").failure();
  }
  line_.append(input.substr(0, take));
  input.remove_prefix(take);
  if (newline == std::string_view::npos) return false;
  if (line_.size() < 2 || line_[line_.size() - 2] != '\r') {
    return Framing("a line ends in a bare LF").failure();
  }
  line_.resize(line_.size() - 2);
  return true;
}

AuthStatus ChunkedPayloadDecoder::CheckChunkSignature(std::string_view data_hash) {
  std::string sts = "AWS4-HMAC-SHA256-PAYLOAD\n";
  sts += amz_date_;
  sts += '\n';
  sts += scope_;
  sts += '\n';
  sts += previous_signature_;
  sts += '\n';
  sts += kEmptySha256;
  sts += '\n';
  sts += data_hash;
  std::string expected = HmacSha256Hex(key_, sts);
  if (!ConstantTimeEquals(expected, chunk_signature_)) {
    AuthFailure f = AuthFailure::Of(AuthFailureKind::kSignatureDoesNotMatch,
                                    "chunk " + std::to_string(chunk_index_) + " signature does not match");
    f.message = std::string(kSignatureMismatch);
    f.string_to_sign = sts;
    f.fields = {{"StringToSign", sts}, {"SignatureProvided", chunk_signature_}};
    return Fail(std::move(f));
  }
  previous_signature_ = std::move(expected);
  ++chunk_index_;
  return Ok{};
}

AuthStatus ChunkedPayloadDecoder::OnChunkHeader(std::string_view line) {
  const size_t semicolon = line.find(';');
  const std::string_view size_text = line.substr(0, semicolon);
  const std::string_view extension =
      semicolon == std::string_view::npos ? std::string_view() : line.substr(semicolon + 1);
  std::uint64_t size = 0;
  if (size_text.empty() || size_text.size() > 16 || !internal::IsHex(size_text)) {
    return Framing("chunk size '" + std::string(size_text.substr(0, 32)) + "' is not hexadecimal");
  }
  std::from_chars(size_text.data(), size_text.data() + size_text.size(), size, 16);

  if (signed_chunks()) {
    constexpr std::string_view kPrefix = "chunk-signature=";
    if (!extension.starts_with(kPrefix) || extension.size() != kPrefix.size() + 64 ||
        !internal::IsLowerHex(extension.substr(kPrefix.size()))) {
      AuthFailure f = AuthFailure::Of(AuthFailureKind::kSignatureDoesNotMatch,
                                      "chunk " + std::to_string(chunk_index_) + " has no valid chunk-signature");
      f.message = std::string(kSignatureMismatch);
      return Fail(std::move(f));
    }
    chunk_signature_ = std::string(extension.substr(kPrefix.size()));
  }
  if (expected_length_ && size > *expected_length_ - std::min(decoded_, *expected_length_)) {
    return Fail(LengthFailure(*expected_length_, decoded_ + size));
  }
  if (size == 0) {
    if (signed_chunks()) {
      if (AuthStatus s = CheckChunkSignature(kEmptySha256); !s.ok()) return s;
    }
    state_ = State::kTrailer;
    return Ok{};
  }
  remaining_ = size;
  end_bytes_ = 0;
  state_ = State::kData;
  return Ok{};
}

AuthStatus ChunkedPayloadDecoder::OnTrailerLine(std::string_view line) {
  if (mode_ == PayloadMode::kStreamingSigned) {
    return Framing("STREAMING-AWS4-HMAC-SHA256-PAYLOAD has no trailers, but a line follows the final chunk");
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return Framing("a trailer line has no 'name:'");
  std::string name = internal::AsciiLower(internal::Trim(line.substr(0, colon)));
  std::string value(internal::Trim(line.substr(colon + 1)));
  if (name == "x-amz-trailer-signature") {
    if (mode_ != PayloadMode::kStreamingSignedTrailer) {
      return Framing("x-amz-trailer-signature in an unsigned-trailer payload");
    }
    trailer_signature_ = std::move(value);
    return Ok{};
  }
  if (!trailer_signature_.empty()) return Framing("a trailer follows x-amz-trailer-signature");
  trailers_.emplace_back(std::move(name), std::move(value));
  return Ok{};
}

AuthStatus ChunkedPayloadDecoder::CheckTrailerSignature() {
  std::vector<std::pair<std::string, std::string>> sorted = trailers_;
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string canonical;
  for (const auto& [name, value] : sorted) canonical += name + ":" + value + "\n";
  std::string sts = "AWS4-HMAC-SHA256-TRAILER\n";
  sts += amz_date_;
  sts += '\n';
  sts += scope_;
  sts += '\n';
  sts += previous_signature_;
  sts += '\n';
  sts += Sha256Hex(canonical);
  const std::string expected = HmacSha256Hex(key_, sts);
  if (trailer_signature_.empty() || !ConstantTimeEquals(expected, trailer_signature_)) {
    AuthFailure f = AuthFailure::Of(AuthFailureKind::kSignatureDoesNotMatch,
                                    trailer_signature_.empty() ? "the trailer has no x-amz-trailer-signature"
                                                               : "x-amz-trailer-signature does not match");
    f.message = std::string(kSignatureMismatch);
    f.string_to_sign = sts;
    f.fields = {{"StringToSign", sts}, {"SignatureProvided", trailer_signature_}};
    return Fail(std::move(f));
  }
  return Ok{};
}

AuthStatus ChunkedPayloadDecoder::Feed(std::string_view input, std::string& out) {
  while (!input.empty()) {
    switch (state_) {
      case State::kFailed:
        return *failure_;
      case State::kDone:
        return Framing("bytes follow the end of the aws-chunked body");
      case State::kHeader: {
        const AuthResult<bool> complete = TakeLine(input, limits_.max_line);
        if (!complete.ok()) return complete.failure();
        if (!*complete) break;
        const std::string line = std::move(line_);
        line_.clear();
        if (AuthStatus s = OnChunkHeader(line); !s.ok()) return s;
        break;
      }
      case State::kData: {
        const size_t take = static_cast<size_t>(std::min<std::uint64_t>(remaining_, input.size()));
        const std::string_view data = input.substr(0, take);
        out.append(data);
        if (checksum_) checksum_->Update(data);
        chunk_hash_->Update(data);
        decoded_ += take;
        remaining_ -= take;
        input.remove_prefix(take);
        if (remaining_ == 0) state_ = State::kDataEnd;
        break;
      }
      case State::kDataEnd: {
        const char want = end_bytes_ == 0 ? '\r' : '\n';
        if (input.front() != want) return Framing("chunk data is not followed by CRLF");
        input.remove_prefix(1);
        if (++end_bytes_ < 2) break;
        const std::string hash = chunk_hash_->FinishHex();
        if (signed_chunks()) {
          if (AuthStatus s = CheckChunkSignature(hash); !s.ok()) return s;
        } else {
          ++chunk_index_;
        }
        state_ = State::kHeader;
        break;
      }
      case State::kTrailer: {
        const AuthResult<bool> complete = TakeLine(input, limits_.max_line);
        if (!complete.ok()) return complete.failure();
        if (!*complete) {
          if (trailer_bytes_ + line_.size() > limits_.max_trailer_bytes) return Framing("trailers are too large");
          break;
        }
        const std::string line = std::move(line_);
        line_.clear();
        trailer_bytes_ += line.size() + 2;
        if (trailer_bytes_ > limits_.max_trailer_bytes) return Framing("trailers are too large");
        if (!line.empty()) {
          if (AuthStatus s = OnTrailerLine(line); !s.ok()) return s;
          break;
        }
        if (mode_ == PayloadMode::kStreamingSignedTrailer) {
          if (AuthStatus s = CheckTrailerSignature(); !s.ok()) return s;
        }
        state_ = State::kDone;
        break;
      }
    }
  }
  return state_ == State::kFailed ? AuthStatus(*failure_) : AuthStatus(Ok{});
}

AuthStatus ChunkedPayloadDecoder::Finish() {
  if (state_ == State::kFailed) return *failure_;
  if (state_ != State::kDone) {
    if (expected_length_ && decoded_ < *expected_length_) return Fail(LengthFailure(*expected_length_, decoded_));
    return Fail(BodyFailure(kTerminated, "the body ends before the final 0-size chunk and its trailer section"));
  }
  if (expected_length_ && decoded_ != *expected_length_) return Fail(LengthFailure(*expected_length_, decoded_));
  if (checksum_) {
    const std::string_view name = ChecksumName(checksum_->algorithm());
    const auto sent =
        std::find_if(trailers_.begin(), trailers_.end(), [&](const auto& t) { return t.first == checksum_trailer_; });
    if (sent == trailers_.end()) {
      return Fail(BodyFailure(kTerminated, "x-amz-trailer announced " + checksum_trailer_ + ", which did not arrive"));
    }
    const std::string computed = checksum_->Base64Digest();
    if (sent->second != computed) {
      AuthFailure f = AuthFailure::Of(AuthFailureKind::kBadDigest,
                                      checksum_trailer_ + " was " + sent->second + "; the payload's is " + computed);
      f.message = f.s3_message = "The " + std::string(name) + " you specified did not match the calculated checksum.";
      return Fail(std::move(f));
    }
  }
  return Ok{};
}

}  // namespace xacct::auth

// Decoding aws-chunked request bodies and checking their chunk and trailer signatures. Follows the Amazon
// S3 API Reference "Signature Calculations for the Authorization Header: Transferring Payload in Multiple
// Chunks (Chunked Upload) (AWS Signature Version 4)" and "... Including Trailing Headers (Chunked Upload)":
//
//   chunk    = hex(size) [";chunk-signature=" sig] CRLF data CRLF        (the last chunk has size 0)
//   trailers = *(name ":" value CRLF) ["x-amz-trailer-signature:" sig CRLF] CRLF
//   chunk string to sign   = "AWS4-HMAC-SHA256-PAYLOAD" \n date \n scope \n previous-sig \n hash("") \n hash(data)
//   trailer string to sign = "AWS4-HMAC-SHA256-TRAILER" \n date \n scope \n previous-sig \n hash(trailers)
//
// where the first previous signature is the request's (the seed) and the trailers are hashed as
// "name:value\n" lines sorted by name, as the AWS SDKs sign them.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/checksum.h"
#include "auth/sigv4.h"

namespace xacct::auth {

//! Turns an aws-chunked body back into the object's bytes as it arrives, a piece at a time: it holds at
//! most one framing line, never the body. Bytes of a chunk are handed out before that chunk's signature
//! (which follows its data) is checked, so the caller must not commit anything until Finish() succeeds.
class ChunkedPayloadDecoder {
 public:
  //! Bounds on what the decoder buffers.
  struct Limits {
    size_t max_line = 4096;            //!< one chunk header or trailer line
    size_t max_trailer_bytes = 16384;  //!< all trailer lines together
  };

  //! A decoder for a request Verify accepted with a streaming payload mode; reads
  //! x-amz-decoded-content-length (optional: without it the decoded length is not checked).
  static AuthResult<ChunkedPayloadDecoder> Create(const HttpRequestView& request, const VerifiedRequest& verified,
                                                  Limits limits);
  static AuthResult<ChunkedPayloadDecoder> Create(const HttpRequestView& request, const VerifiedRequest& verified) {
    return Create(request, verified, Limits{});
  }

  ChunkedPayloadDecoder(const VerifiedRequest& verified, std::optional<std::uint64_t> decoded_length, Limits limits);

  //! Decodes the next piece of the body, appending the payload bytes it carries to `out`. After a failure
  //! every later call returns the same failure.
  AuthStatus Feed(std::string_view input, std::string& out);
  //! Ends the body: fails unless the final chunk (and trailers) arrived whole and the decoded length is the
  //! declared one.
  AuthStatus Finish();

  //! True once the final chunk and the trailer section have been read.
  bool done() const { return state_ == State::kDone; }
  //! Payload bytes decoded so far.
  std::uint64_t decoded_bytes() const { return decoded_; }
  //! The trailing headers (names lower-case, values trimmed), without x-amz-trailer-signature.
  const std::vector<std::pair<std::string, std::string>>& trailers() const { return trailers_; }

 private:
  enum class State { kHeader, kData, kDataEnd, kTrailer, kDone, kFailed };

  AuthStatus Fail(AuthFailure failure);
  AuthStatus Framing(const std::string& detail);
  // Appends input up to and including '\n' to line_; true when the line is complete.
  AuthResult<bool> TakeLine(std::string_view& input, size_t limit);
  AuthStatus OnChunkHeader(std::string_view line);
  AuthStatus OnTrailerLine(std::string_view line);
  AuthStatus CheckChunkSignature(std::string_view data_hash);
  AuthStatus CheckTrailerSignature();
  bool signed_chunks() const;

  PayloadMode mode_;
  SigningKey key_;
  std::string amz_date_;
  std::string scope_;
  std::string previous_signature_;
  std::optional<std::uint64_t> expected_length_;
  Limits limits_;

  State state_ = State::kHeader;
  std::string line_;
  std::uint64_t remaining_ = 0;  // data bytes left in the current chunk
  int end_bytes_ = 0;            // bytes of the CRLF after chunk data seen so far
  std::string chunk_signature_;  // the current chunk's, as sent
  std::unique_ptr<Sha256> chunk_hash_;
  std::uint64_t chunk_index_ = 0;
  std::uint64_t decoded_ = 0;
  size_t trailer_bytes_ = 0;
  std::vector<std::pair<std::string, std::string>> trailers_;
  std::string trailer_signature_;
  std::optional<AuthFailure> failure_;
  //! The checksum x-amz-trailer announced, computed over the decoded payload and checked by Finish().
  std::optional<PayloadChecksum> checksum_;
  std::string checksum_trailer_;
};

}  // namespace xacct::auth

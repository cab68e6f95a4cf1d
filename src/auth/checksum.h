// The flexible checksums S3 accepts for a payload (Amazon S3 User Guide, "Checking object integrity"):
// CRC32, CRC32C, CRC64NVME, SHA-1 and SHA-256, each sent base64-encoded in x-amz-checksum-<algorithm>, as a
// header or as a trailer of an aws-chunked body named by x-amz-trailer. CRC32 and CRC32C come from ISA-L,
// the SHAs from OpenSSL, CRC64NVME (ISA-L 2.30 lacks it) from a table here.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace xacct::auth {

enum class ChecksumAlgorithm : uint8_t { kCrc32, kCrc32c, kCrc64Nvme, kSha1, kSha256 };

//! The algorithm a header name stands for ("x-amz-checksum-crc32", case-insensitive), if any.
std::optional<ChecksumAlgorithm> ChecksumFromHeaderName(std::string_view name);
//! "CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256": how S3 names the algorithm in its messages.
std::string_view ChecksumName(ChecksumAlgorithm algorithm);

//! A checksum computed as the payload streams past.
class PayloadChecksum {
 public:
  explicit PayloadChecksum(ChecksumAlgorithm algorithm);
  ~PayloadChecksum();
  //! Copies carry the state so far and go on independently.
  PayloadChecksum(const PayloadChecksum& other);
  PayloadChecksum& operator=(const PayloadChecksum& other);

  void Update(std::string_view bytes);
  //! The digest, base64-encoded as S3 sends it (big-endian for the CRCs).
  std::string Base64Digest();
  ChecksumAlgorithm algorithm() const { return algorithm_; }

 private:
  ChecksumAlgorithm algorithm_;
  uint64_t crc_ = 0;
  void* md_ = nullptr;  // EVP_MD_CTX* for the SHAs
};

}  // namespace xacct::auth

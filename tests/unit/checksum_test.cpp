// The flexible checksums, on the catalogue check input "123456789" (CRC RevEng catalogue values) and
// fed in pieces: the digests S3 expects in x-amz-checksum-*, base64 of the big-endian value.
#include "auth/checksum.h"

#include <gtest/gtest.h>

namespace xacct::auth {
namespace {

struct ChecksumCase {
  ChecksumAlgorithm algorithm;
  const char* header;
  const char* base64;
};

TEST(ChecksumTest, CheckValuesInAnyPieces) {
  const ChecksumCase cases[] = {
      {ChecksumAlgorithm::kCrc32, "x-amz-checksum-crc32", "y/Q5Jg=="},              // 0xCBF43926
      {ChecksumAlgorithm::kCrc32c, "X-Amz-Checksum-CRC32C", "4waSgw=="},            // 0xE3069283
      {ChecksumAlgorithm::kCrc64Nvme, "x-amz-checksum-crc64nvme", "rosUhgp5mIg="},  // 0xAE8B14860A799888
      {ChecksumAlgorithm::kSha1, "x-amz-checksum-sha1", "98O8HYCOBHMq32eZZczDTKeuNEE="},
      {ChecksumAlgorithm::kSha256, "x-amz-checksum-sha256", "FeKw08M4keuw8e9gnsQZQgwg4yDOlMZfvIwzEkSOsiU="},
  };
  for (const auto& c : cases) {
    ASSERT_EQ(ChecksumFromHeaderName(c.header), c.algorithm) << c.header;
    for (size_t split : {0, 1, 4, 9}) {
      PayloadChecksum sum(c.algorithm);
      sum.Update(std::string_view("123456789").substr(0, split));
      PayloadChecksum copy = sum;  // a copy goes on from the same state
      copy.Update(std::string_view("123456789").substr(split));
      EXPECT_EQ(copy.Base64Digest(), c.base64) << c.header << " split " << split;
    }
  }
  EXPECT_FALSE(ChecksumFromHeaderName("x-amz-checksum-md5").has_value());
}

}  // namespace
}  // namespace xacct::auth

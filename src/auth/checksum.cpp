#include "auth/checksum.h"

#include <isa-l/crc.h>
#include <openssl/evp.h>

#include <array>
#include <cstring>
#include <utility>

#include "auth/sigv4_internal.h"

namespace xacct::auth {

namespace {

// CRC-64/NVME: reflected, polynomial 0xAD93D23594C93659 (reversed 0x9A6C9329AC4BC9B5), init and final
// XOR all ones; check value for "123456789" is 0xAE8B14860A799888.
constexpr std::array<uint64_t, 256> MakeCrc64NvmeTable() {
  std::array<uint64_t, 256> table{};
  for (uint64_t i = 0; i < 256; ++i) {
    uint64_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) != 0 ? (c >> 1) ^ 0x9A6C9329AC4BC9B5ULL : c >> 1;
    table[i] = c;
  }
  return table;
}
// Slicing-by-8: table k maps a byte to its CRC contribution k bytes further on, so eight bytes are folded
// per step (about eight times the speed of the byte-at-a-time loop).
constexpr std::array<std::array<uint64_t, 256>, 8> MakeCrc64NvmeSlices() {
  std::array<std::array<uint64_t, 256>, 8> t{};
  t[0] = MakeCrc64NvmeTable();
  for (size_t k = 1; k < 8; ++k) {
    for (size_t i = 0; i < 256; ++i) t[k][i] = (t[k - 1][i] >> 8) ^ t[0][t[k - 1][i] & 0xFF];
  }
  return t;
}
constexpr auto kCrc64Nvme = MakeCrc64NvmeSlices();

uint64_t Crc64NvmeUpdate(uint64_t crc, const unsigned char* p, size_t n) {
  while (n >= 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);  // little-endian, as the reflected CRC consumes bytes
    crc ^= word;
    crc = kCrc64Nvme[7][crc & 0xFF] ^ kCrc64Nvme[6][(crc >> 8) & 0xFF] ^ kCrc64Nvme[5][(crc >> 16) & 0xFF] ^
          kCrc64Nvme[4][(crc >> 24) & 0xFF] ^ kCrc64Nvme[3][(crc >> 32) & 0xFF] ^ kCrc64Nvme[2][(crc >> 40) & 0xFF] ^
          kCrc64Nvme[1][(crc >> 48) & 0xFF] ^ kCrc64Nvme[0][crc >> 56];
    p += 8;
    n -= 8;
  }
  for (; n > 0; --n, ++p) crc = kCrc64Nvme[0][(crc ^ *p) & 0xFF] ^ (crc >> 8);
  return crc;
}

}  // namespace

std::optional<ChecksumAlgorithm> ChecksumFromHeaderName(std::string_view name) {
  constexpr std::pair<std::string_view, ChecksumAlgorithm> kNames[] = {
      {"x-amz-checksum-crc32", ChecksumAlgorithm::kCrc32},
      {"x-amz-checksum-crc32c", ChecksumAlgorithm::kCrc32c},
      {"x-amz-checksum-crc64nvme", ChecksumAlgorithm::kCrc64Nvme},
      {"x-amz-checksum-sha1", ChecksumAlgorithm::kSha1},
      {"x-amz-checksum-sha256", ChecksumAlgorithm::kSha256}};
  const std::string_view trimmed = internal::Trim(name);
  for (const auto& [n, a] : kNames) {
    if (internal::EqualsIgnoreCase(trimmed, n)) return a;
  }
  return std::nullopt;
}

std::string_view ChecksumName(ChecksumAlgorithm algorithm) {
  switch (algorithm) {
    case ChecksumAlgorithm::kCrc32:
      return "CRC32";
    case ChecksumAlgorithm::kCrc32c:
      return "CRC32C";
    case ChecksumAlgorithm::kCrc64Nvme:
      return "CRC64NVME";
    case ChecksumAlgorithm::kSha1:
      return "SHA1";
    case ChecksumAlgorithm::kSha256:
      return "SHA256";
  }
  return "CRC32";
}

PayloadChecksum::PayloadChecksum(ChecksumAlgorithm algorithm) : algorithm_(algorithm) {
  if (algorithm == ChecksumAlgorithm::kSha1 || algorithm == ChecksumAlgorithm::kSha256) {
    auto* ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, algorithm == ChecksumAlgorithm::kSha1 ? EVP_sha1() : EVP_sha256(), nullptr);
    md_ = ctx;
  } else if (algorithm == ChecksumAlgorithm::kCrc32c || algorithm == ChecksumAlgorithm::kCrc64Nvme) {
    crc_ = algorithm == ChecksumAlgorithm::kCrc32c ? 0xFFFFFFFFULL : ~0ULL;
  }
}

PayloadChecksum::PayloadChecksum(const PayloadChecksum& other) : algorithm_(other.algorithm_), crc_(other.crc_) {
  if (other.md_ != nullptr) {
    auto* ctx = EVP_MD_CTX_new();
    EVP_MD_CTX_copy_ex(ctx, static_cast<const EVP_MD_CTX*>(other.md_));
    md_ = ctx;
  }
}

PayloadChecksum& PayloadChecksum::operator=(const PayloadChecksum& other) {
  if (this == &other) return *this;
  PayloadChecksum copy(other);
  std::swap(algorithm_, copy.algorithm_);
  std::swap(crc_, copy.crc_);
  std::swap(md_, copy.md_);
  return *this;
}

PayloadChecksum::~PayloadChecksum() {
  if (md_ != nullptr) EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(md_));
}

void PayloadChecksum::Update(std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  switch (algorithm_) {
    case ChecksumAlgorithm::kCrc32:
      crc_ = crc32_gzip_refl(static_cast<uint32_t>(crc_), p, bytes.size());
      break;
    case ChecksumAlgorithm::kCrc32c:
      crc_ = crc32_iscsi(const_cast<unsigned char*>(p), static_cast<int>(bytes.size()), static_cast<unsigned>(crc_));
      break;
    case ChecksumAlgorithm::kCrc64Nvme:
      crc_ = Crc64NvmeUpdate(crc_, p, bytes.size());
      break;
    case ChecksumAlgorithm::kSha1:
    case ChecksumAlgorithm::kSha256:
      EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(md_), p, bytes.size());
      break;
  }
}

std::string PayloadChecksum::Base64Digest() {
  unsigned char out[EVP_MAX_MD_SIZE];
  switch (algorithm_) {
    case ChecksumAlgorithm::kCrc32:
    case ChecksumAlgorithm::kCrc32c: {
      const uint32_t v =
          algorithm_ == ChecksumAlgorithm::kCrc32 ? static_cast<uint32_t>(crc_) : ~static_cast<uint32_t>(crc_);
      for (int i = 0; i < 4; ++i) out[i] = static_cast<unsigned char>(v >> (24 - 8 * i));
      return internal::Base64(out, 4);
    }
    case ChecksumAlgorithm::kCrc64Nvme: {
      const uint64_t v = ~crc_;
      for (int i = 0; i < 8; ++i) out[i] = static_cast<unsigned char>(v >> (56 - 8 * i));
      return internal::Base64(out, 8);
    }
    case ChecksumAlgorithm::kSha1:
    case ChecksumAlgorithm::kSha256: {
      unsigned int n = 0;
      EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(md_), out, &n);
      return internal::Base64(out, n);
    }
  }
  return {};
}

}  // namespace xacct::auth

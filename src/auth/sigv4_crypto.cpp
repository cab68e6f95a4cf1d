// SHA-256, HMAC-SHA256 and the SigV4 signing-key chain (AWS General Reference, "Calculate the signature
// for AWS Signature Version 4": kDate = HMAC("AWS4" + secret, date), kRegion, kService, kSigning), on
// OpenSSL 3.
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

#include "auth/sigv4.h"
#include "auth/sigv4_internal.h"

namespace xacct::auth {
namespace {

using Digest = std::array<unsigned char, 32>;

Digest Hmac(const unsigned char* key, size_t key_size, std::string_view data) {
  Digest out{};
  unsigned int out_size = 0;
  if (HMAC(EVP_sha256(), key, static_cast<int>(key_size), reinterpret_cast<const unsigned char*>(data.data()),
           data.size(), out.data(), &out_size) == nullptr ||
      out_size != out.size()) {
    throw std::runtime_error("HMAC-SHA256 failed");
  }
  return out;
}

}  // namespace

std::string Sha256Hex(std::string_view data) {
  Digest out{};
  unsigned int out_size = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &out_size, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  return internal::HexLower(out.data(), out.size());
}

std::string HmacSha256Hex(const SigningKey& key, std::string_view data) {
  const Digest d = Hmac(key.data(), key.size(), data);
  return internal::HexLower(d.data(), d.size());
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return a.empty() || CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

SigningKey DeriveSigningKey(std::string_view secret_key, const CredentialScope& scope) {
  const std::string k_secret = "AWS4" + std::string(secret_key);
  const Digest k_date = Hmac(reinterpret_cast<const unsigned char*>(k_secret.data()), k_secret.size(), scope.date);
  const Digest k_region = Hmac(k_date.data(), k_date.size(), scope.region);
  const Digest k_service = Hmac(k_region.data(), k_region.size(), scope.service);
  return Hmac(k_service.data(), k_service.size(), "aws4_request");
}

SigningKey SigningKeyCache::Get(std::string_view secret_key, const CredentialScope& scope) {
  // The index holds a digest of the secret, so the cache never keeps a secret in the clear.
  std::string index = Sha256Hex(secret_key);
  index += '/';
  index += scope.ToString();
  {
    std::lock_guard lock(mutex_);
    if (auto it = keys_.find(index); it != keys_.end()) return it->second;
  }
  const SigningKey key = DeriveSigningKey(secret_key, scope);
  std::lock_guard lock(mutex_);
  // Keys change daily; dropping everything when full is simpler than LRU and costs one derivation each.
  if (keys_.size() >= capacity_) keys_.clear();
  keys_.emplace(std::move(index), key);
  return key;
}

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  if (ctx_ == nullptr || EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), EVP_sha256(), nullptr) != 1) {
    EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_));
    throw std::runtime_error("SHA-256 init failed");
  }
}

Sha256::~Sha256() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }

void Sha256::Update(std::string_view data) {
  if (data.empty()) return;
  if (EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), data.data(), data.size()) != 1) {
    throw std::runtime_error("SHA-256 update failed");
  }
}

std::string Sha256::FinishHex() {
  Digest out{};
  unsigned int out_size = 0;
  auto* ctx = static_cast<EVP_MD_CTX*>(ctx_);
  if (EVP_DigestFinal_ex(ctx, out.data(), &out_size) != 1 || EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 final failed");
  }
  return internal::HexLower(out.data(), out.size());
}

namespace internal {
std::string Base64(const unsigned char* data, size_t size) {
  std::string out(4 * ((size + 2) / 3), '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
  out.resize(static_cast<size_t>(written));
  return out;
}
}  // namespace internal

}  // namespace xacct::auth

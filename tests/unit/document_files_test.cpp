// tests/policy/invalid/documents.json: documents AWS rejects must be rejected (MalformedPolicyDocument);
// tests/policy/invalid/valid-documents.json: unusual but valid documents must be accepted.
// Each entry's "why" says what AWS does and where that was found.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "common/json.h"
#include "policy/parser.h"

namespace xacct::policy {
namespace {

json::array Load(const std::string& name) {
  std::ifstream in(std::string(XACCT_SOURCE_DIR) + "/tests/policy/invalid/" + name);
  std::stringstream s;
  s << in.rdbuf();
  auto v = ParseJson(s.str());
  EXPECT_TRUE(v.ok()) << name;
  return v.ok() && v->is_array() ? v->as_array() : json::array{};
}

PolicyKind Kind(std::string_view k) {
  if (k == "resource") return PolicyKind::kResource;
  if (k == "trust") return PolicyKind::kTrust;
  if (k == "scp") return PolicyKind::kScp;
  return PolicyKind::kIdentity;
}

Result<Policy> ParseEntry(const json::object& entry) {
  const ParseOptions options{.kind = Kind(JsonString(entry.at("kind")))};
  const json::value& doc = entry.at("document");
  return doc.is_string() ? ParsePolicy(JsonString(doc), options) : ParsePolicyDocument(doc, options);
}

TEST(DocumentFilesTest, InvalidDocumentsAreRejected) {
  const json::array entries = Load("documents.json");
  ASSERT_GT(entries.size(), 30U);
  for (const auto& e : entries) {
    const auto& entry = e.as_object();
    auto p = ParseEntry(entry);
    EXPECT_FALSE(p.ok()) << JsonString(entry.at("name")) << ": " << JsonString(entry.at("why"));
    if (!p.ok()) {
      EXPECT_EQ(p.error().code, "MalformedPolicyDocument") << JsonString(entry.at("name"));
    }
  }
}

TEST(DocumentFilesTest, UnusualValidDocumentsAreAccepted) {
  const json::array entries = Load("valid-documents.json");
  ASSERT_GT(entries.size(), 10U);
  for (const auto& e : entries) {
    const auto& entry = e.as_object();
    auto p = ParseEntry(entry);
    EXPECT_TRUE(p.ok()) << JsonString(entry.at("name")) << ": "
                        << (p.ok() ? "" : p.error().message + " " + p.error().detail);
  }
}

}  // namespace
}  // namespace xacct::policy

// application/x-www-form-urlencoded decoding, as the AWS query protocol's clients encode bodies
// (botocore: urlencode with quote_via=quote; the AWS CLI and SDKs percent-encode all but unreserved).
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "protocol/form.h"

namespace {

using xacct::protocol::DecodeForm;
using xacct::protocol::EncodeFormComponent;
using Pairs = std::vector<std::pair<std::string, std::string>>;

struct Case {
  const char* name;
  std::string text;
  Pairs expected;
};

const std::vector<Case>& Cases() {
  static const std::vector<Case> cases = {
      {"pairs keep their order",
       "Action=GetUser&Version=2010-05-08&UserName=alice",
       {{"Action", "GetUser"}, {"Version", "2010-05-08"}, {"UserName", "alice"}}},
      {"plus is a space", "Description=a+b", {{"Description", "a b"}}},
      {"percent escapes decode in names and values",
       "Tags.member.1.Key=cost%20center&A%2EB=%2B%26%3D",
       {{"Tags.member.1.Key", "cost center"}, {"A.B", "+&="}}},
      {"lower-case hex", "P=%7b%22a%22%7d", {{"P", "{\"a\"}"}}},
      {"UTF-8 bytes pass through", "Name=caf%C3%A9", {{"Name", "caf\xC3\xA9"}}},
      {"an empty value", "Marker=", {{"Marker", ""}}},
      {"a name without '='", "Flag", {{"Flag", ""}}},
      {"only the first '=' splits", "Policy=a=b", {{"Policy", "a=b"}}},
      {"empty pieces are skipped", "&a=1&&b=2&", {{"a", "1"}, {"b", "2"}}},
      {"an empty body", "", {}},
      {"repeated names stay repeated", "a=1&a=2", {{"a", "1"}, {"a", "2"}}},
  };
  return cases;
}

TEST(FormTest, DecodesPairs) {
  for (const Case& c : Cases()) {
    auto pairs = DecodeForm(c.text);
    ASSERT_TRUE(pairs.ok()) << c.name;
    EXPECT_EQ(*pairs, c.expected) << c.name;
  }
}

TEST(FormTest, MalformedEscapesAreMalformedQueryString) {
  for (const char* text : {"a=%", "a=%4", "a=%G1", "%zz=1", "a=1&b=%%"}) {
    auto pairs = DecodeForm(text);
    ASSERT_FALSE(pairs.ok()) << text;
    EXPECT_EQ(pairs.error().code, "MalformedQueryString") << text;
    EXPECT_EQ(pairs.error().http_status, 400) << text;
  }
}

TEST(FormTest, EncodingRoundTrips) {
  const std::string value = "a b+c&d=e/\xC3\xA9~_.-";
  EXPECT_EQ(EncodeFormComponent(value), "a%20b%2Bc%26d%3De%2F%C3%A9~_.-");
  auto pairs = DecodeForm("k=" + EncodeFormComponent(value));
  ASSERT_TRUE(pairs.ok());
  EXPECT_EQ(pairs->at(0).second, value);
}

}  // namespace

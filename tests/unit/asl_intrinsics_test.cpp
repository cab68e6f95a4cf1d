// The intrinsic functions. Source unless noted: Developer Guide "Intrinsic functions" (its examples and
// "Input validation" lists); escapes from its "Reserved characters in intrinsic functions". A path argument
// that matches nothing fails with States.Runtime and the Cause AWS writes ("The function '...' had the
// following error: The JsonPath argument for the field '$.x' could not be found in the input '...'").
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "asl/intrinsics.h"

namespace xacct::asl {
namespace {

json::value J(std::string_view text) { return json::parse(text); }

const json::value& Context() {
  static const json::value kContext = J(R"({"Execution":{"Id":"arn:x","Input":{"k":"v"}},"State":{"Name":"P"}})");
  return kContext;
}

TEST(AslIntrinsics, RecognizesCalls) {
  EXPECT_TRUE(IsIntrinsicCall("States.Format('x')"));
  EXPECT_TRUE(IsIntrinsicCall("  States.UUID ()"));
  EXPECT_TRUE(IsIntrinsicCall("States.Nope(1)"));  // looks like a call; validation rejects the name
  EXPECT_FALSE(IsIntrinsicCall("$.a"));
  EXPECT_FALSE(IsIntrinsicCall("States.Format"));
  EXPECT_FALSE(IsIntrinsicCall("States.(1)"));
  EXPECT_FALSE(IsIntrinsicCall("Format('x')"));
}

struct Case {
  const char* expr;
  const char* input;
  const char* expected;
};

void ExpectResults(const Case* begin, const Case* end) {
  for (const Case* c = begin; c != end; ++c) {
    EXPECT_TRUE(ValidateIntrinsic(c->expr).ok()) << c->expr << ": " << ValidateIntrinsic(c->expr).error().message;
    auto r = EvaluateIntrinsic(c->expr, J(c->input), Context());
    ASSERT_TRUE(r.ok()) << c->expr << ": " << r.error().message;
    EXPECT_EQ(*r, J(c->expected)) << c->expr << " gave " << json::serialize(*r);
  }
}

TEST(AslIntrinsics, EvaluatesEachFunction) {
  const Case cases[] = {
      // States.Format: one `{}` per remaining argument; strings unquoted, other values as JSON text.
      {"States.Format('Hello, my name is {}.', $.name)", R"({"name":"Arnav"})", R"("Hello, my name is Arnav.")"},
      {"States.Format($.template, $.name)", R"({"name":"Arnav","template":"Hello, my name is {}."})",
       R"("Hello, my name is Arnav.")"},
      {"States.Format('{} {} {} {} {}', 1, 2.5, true, null, $.o)", R"({"o":{"a":[1]}})",
       R"("1 2.5 true null {\"a\":[1]}")"},
      {"States.Format('{}', $.d)", R"({"d":1.0})", R"("1.0")"},
      {"States.Format('no placeholders')", "{}", R"("no placeholders")"},
      // Reserved characters: \' \{ \} \\ stand for ' { } \ and an escaped brace is no placeholder.
      {R"(States.Format('it\'s \{\} {} \\', 'x'))", "{}", R"("it's {} x \\")"},
      {"States.Format('{},{}', 'a,b', ' (c) ')", "{}", R"("a,b, (c) ")"},
      // States.StringToJson / JsonToString.
      {"States.StringToJson($.escapedJsonString)", R"({"escapedJsonString":"{\"foo\": \"bar\"}"})", R"({"foo":"bar"})"},
      {"States.StringToJson('[1, 2]')", "{}", "[1,2]"},
      {"States.JsonToString($.unescapedJson)", R"({"unescapedJson":{"foo":"bar","n":[1,2.0]}})",
       R"("{\"foo\":\"bar\",\"n\":[1,2.0]}")"},
      {"States.JsonToString($)", R"({"other":1})", R"("{\"other\":1}")"},
      // States.Array.
      {"States.Array($.Id)", R"({"Id":123456})", "[123456]"},
      {"States.Array()", "{}", "[]"},
      {"States.Array('a', 1, true, null, States.Array(2))", "{}", R"(["a",1,true,null,[2]])"},
      // States.ArrayPartition: chunks of the given size, the last one possibly shorter.
      {"States.ArrayPartition($.inputArray,4)", R"({"inputArray":[1,2,3,4,5,6,7,8,9]})", "[[1,2,3,4],[5,6,7,8],[9]]"},
      {"States.ArrayPartition($.a, 5)", R"({"a":[1,2]})", "[[1,2]]"},
      {"States.ArrayPartition($.a, 1)", R"({"a":[]})", "[]"},
      // States.ArrayContains: deep equality.
      {"States.ArrayContains($.inputArray, $.lookingFor)", R"({"inputArray":[1,2,3,4,5,6,7,8,9],"lookingFor":5})",
       "true"},
      {"States.ArrayContains($.a, $.o)", R"({"a":[{"x":[1]}],"o":{"x":[1]}})", "true"},
      {"States.ArrayContains($.a, 'x')", R"({"a":[1]})", "false"},
      // States.ArrayRange: first, last (inclusive when the step lands on it), step.
      {"States.ArrayRange(1, 9, 2)", "{}", "[1,3,5,7,9]"},
      {"States.ArrayRange(0, 10, 3)", "{}", "[0,3,6,9]"},
      {"States.ArrayRange(5, 1, -2)", "{}", "[5,3,1]"},
      {"States.ArrayRange(1, 0, 1)", "{}", "[]"},
      {"States.ArrayRange(7, 7, 1)", "{}", "[7]"},
      // States.ArrayGetItem / ArrayLength / ArrayUnique.
      {"States.ArrayGetItem($.inputArray, $.index)", R"({"inputArray":[1,2,3,4,5,6,7,8,9],"index":5})", "6"},
      {"States.ArrayLength($.inputArray)", R"({"inputArray":[1,2,3,4,5,6,7,8,9]})", "9"},
      {"States.ArrayUnique($.inputArray)", R"({"inputArray":[1,2,3,3,3,3,3,3,4]})", "[1,2,3,4]"},
      {"States.ArrayUnique($.a)", R"({"a":[null,null,{"a":1},{"a":1},{"a":2},"x","x",[],[]]})",
       R"([null,{"a":1},{"a":2},"x",[]])"},
      // Base64.
      {"States.Base64Encode($.input)", R"({"input":"Data to encode"})", R"("RGF0YSB0byBlbmNvZGU=")"},
      {"States.Base64Decode($.base64)", R"({"base64":"RGF0YSB0byBlbmNvZGU="})", R"("Data to encode")"},
      {"States.Base64Decode('RGF0YSB0byBlbmNvZGU')", "{}", R"("Data to encode")"},
      {"States.Base64Encode('')", "{}", R"("")"},
      // States.Hash: hex digest of the data's text.
      {"States.Hash($.Data, $.Algorithm)", R"({"Data":"input data","Algorithm":"SHA-1"})",
       R"("aaff4a450a104cd177d28d18d74485e8cae074b7")"},
      {"States.Hash('input data', 'MD5')", "{}", R"("812f45842bc6d66ee14572ce20db8e86")"},
      {"States.Hash('input data', 'SHA-256')", "{}",
       R"("b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3")"},
      {"States.Hash('input data', 'SHA-384')", "{}",
       R"("d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562")"},
      {"States.Hash('input data', 'SHA-512')", "{}",
       R"("6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4")"},
      // States.JsonMerge: shallow; the second object's keys win.
      {"States.JsonMerge($.json1, $.json2, false)",
       R"({"json1":{"a":{"a1":1,"a2":2},"b":2},"json2":{"a":{"a3":1,"a4":2},"c":3}})",
       R"({"a":{"a3":1,"a4":2},"b":2,"c":3})"},
      // States.MathAdd: integers; a non-integer is rounded to the nearest integer.
      {"States.MathAdd($.value1, $.step)", R"({"value1":111,"step":-1})", "110"},
      {"States.MathAdd(2147483647, 1)", "{}", "2147483648"},
      {"States.MathAdd(1.5, 2.4)", "{}", "4"},
      // States.StringSplit: any of the delimiter's characters splits; empty pieces are dropped.
      {"States.StringSplit($.inputString, $.splitter)", R"({"inputString":"1,2,3,4,5","splitter":","})",
       R"(["1","2","3","4","5"])"},
      {"States.StringSplit($.inputString, $.splitter)", R"({"inputString":"This.is+a,test=string","splitter":".+,="})",
       R"(["This","is","a","test","string"])"},
      {"States.StringSplit('a,,b,', ',')", "{}", R"(["a","b"])"},
      {"States.StringSplit('', ',')", "{}", "[]"},
      // Context paths and nesting (the guide's nine-function example, whose template has one `{}` per argument
      // here: the guide's own text has three placeholders for two arguments, which fails).
      {"States.Format('{}/{}', $$.Execution.Id, $$.State.Name)", "{}", R"("arn:x/P")"},
      {"States.JsonToString($$.Execution.Input)", "{}", R"("{\"k\":\"v\"}")"},
      {"States.Format('{}.{}', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit("
       "$.ImageRecipe.Arn, '/'), 2), '.'), 0), States.ArrayGetItem(States.StringSplit(States.ArrayGetItem("
       "States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1))",
       R"({"ImageRecipe":{"Arn":"arn:aws:imagebuilder:us-east-1:111122223333:image-recipe/x/1.2.3"}})", R"("1.2")"},
      // Path arguments that are not reference paths give the list of matches.
      {"States.ArrayLength($.items[*].id)", R"({"items":[{"id":1},{"id":2},{}]})", "2"},
      {"States.ArrayLength($.items[*].nope)", R"({"items":[1,2]})", "0"},
      {"States.Array($.n)", R"({"n":null})", "[null]"},
  };
  ExpectResults(std::begin(cases), std::end(cases));
}

// MathRandom: start inclusive, end exclusive; with a seed the number is reproducible (java.util.Random, so
// seed 0 over [0,100) is 60 and seed 42 over [0,10) is 0, as in Java).
TEST(AslIntrinsics, MathRandomIsInRangeAndSeedable) {
  for (int i = 0; i < 50; ++i) {
    auto r = EvaluateIntrinsic("States.MathRandom($.start, $.end)", J(R"({"start":1,"end":5})"), Context());
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_TRUE(r->is_int64());
    EXPECT_GE(r->get_int64(), 1);
    EXPECT_LT(r->get_int64(), 5);
  }
  EXPECT_EQ(*EvaluateIntrinsic("States.MathRandom(0, 100, 0)", {}, Context()), json::value(60));
  EXPECT_EQ(*EvaluateIntrinsic("States.MathRandom(0, 10, 42)", {}, Context()), json::value(0));
  EXPECT_EQ(*EvaluateIntrinsic("States.MathRandom(10, 110, 0)", {}, Context()), json::value(70));
  auto a = EvaluateIntrinsic("States.MathRandom(0, 1000000, 7)", {}, Context());
  auto b = EvaluateIntrinsic("States.MathRandom(0, 1000000, 7)", {}, Context());
  EXPECT_EQ(*a, *b);
}

TEST(AslIntrinsics, UuidIsVersion4AndUnique) {
  const std::regex v4("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) {
    auto r = EvaluateIntrinsic("States.UUID()", {}, Context());
    ASSERT_TRUE(r.ok() && r->is_string());
    std::string s(r->get_string());
    EXPECT_TRUE(std::regex_match(s, v4)) << s;
    seen.insert(s);
  }
  EXPECT_EQ(seen.size(), 20U);
}

struct Failure {
  const char* expr;
  const char* input;
  const char* code;
  const char* cause;  // after "The function '<expr>' had the following error: "
};

TEST(AslIntrinsics, RefusesBadArguments) {
  const std::string long_text(10001, 'a');
  const std::string long_input = R"({"s":")" + long_text + R"("})";
  const Failure cases[] = {
      // A path argument must find something (AWS: States.Runtime); a `$$` path is named against the context.
      {"States.Format('{}', $.nope)", R"({"other":1})", "States.Runtime",
       R"(The JsonPath argument for the field '$.nope' could not be found in the input '{"other":1}')"},
      {"States.Format('{} {}', $.other, $.a.b)", R"({"other":1})", "States.Runtime",
       R"(The JsonPath argument for the field '$.a.b' could not be found in the input '{"other":1}')"},
      {"States.Format('{}', States.Format('{}', $.nope))", R"({"other":1})", "States.Runtime",
       R"(The JsonPath argument for the field '$.nope' could not be found in the input '{"other":1}')"},
      {"States.Format('{}', $.items[5])", R"({"items":[1,2]})", "States.Runtime",
       R"(The JsonPath argument for the field '$.items[5]' could not be found in the input '{"items":[1,2]}')"},
      {"States.Format('{}', $$.Nope.Deep)", R"({"other":1})", "States.Runtime",
       R"(The JsonPath argument for the field '$.Nope.Deep' could not be found in the input '{"other":1}')"},
      {"States.Format('{}', $.other[0])", R"({"other":1})", "States.Runtime",
       "Filter: [0] can only be applied to arrays. Current context is: 1"},
      // Value rules (States.IntrinsicFailure).
      {"States.Format('{} {}', 1)", "{}", "States.IntrinsicFailure",
       "The number of arguments (1) does not match the number of '{}' placeholders (2)"},
      {"States.Format('{}', 1, 2)", "{}", "States.IntrinsicFailure",
       "The number of arguments (2) does not match the number of '{}' placeholders (1)"},
      {"States.Format($.t)", R"({"t":1})", "States.IntrinsicFailure",
       "The first argument of States.Format must be a string"},
      {"States.StringToJson('{x')", "{}", "States.IntrinsicFailure", nullptr},
      {"States.StringToJson(1)", "{}", "States.IntrinsicFailure",
       "The argument of States.StringToJson must be a string"},
      {"States.ArrayPartition($.a, 0)", R"({"a":[1]})", "States.IntrinsicFailure",
       "The chunk size of States.ArrayPartition must be a positive, non-zero integer"},
      {"States.ArrayPartition($.a, -1)", R"({"a":[1]})", "States.IntrinsicFailure",
       "The chunk size of States.ArrayPartition must be a positive, non-zero integer"},
      {"States.ArrayPartition($.a, 1.5)", R"({"a":[1]})", "States.IntrinsicFailure",
       "The chunk size of States.ArrayPartition must be a positive, non-zero integer"},
      {"States.ArrayPartition($.a, 2)", R"({"a":{}})", "States.IntrinsicFailure",
       "The first argument of States.ArrayPartition must be an array"},
      {"States.ArrayContains('x', 1)", "{}", "States.IntrinsicFailure",
       "The first argument of States.ArrayContains must be an array"},
      {"States.ArrayRange(1, 1001, 1)", "{}", "States.IntrinsicFailure",
       "States.ArrayRange cannot create an array of more than 1000 elements"},
      {"States.ArrayRange(1, 5, 0)", "{}", "States.IntrinsicFailure", "The step of States.ArrayRange must not be 0"},
      {"States.ArrayRange(1, 5.5, 1)", "{}", "States.IntrinsicFailure",
       "The arguments of States.ArrayRange must be integers"},
      {"States.ArrayGetItem($.a, 3)", R"({"a":[1,2,3]})", "States.IntrinsicFailure",
       "The index 3 is out of bounds for an array of length 3"},
      {"States.ArrayGetItem($.a, -1)", R"({"a":[1]})", "States.IntrinsicFailure",
       "The index of States.ArrayGetItem must be a non-negative integer"},
      {"States.ArrayLength('x')", "{}", "States.IntrinsicFailure",
       "The argument of States.ArrayLength must be an array"},
      {"States.ArrayUnique(1)", "{}", "States.IntrinsicFailure", "The argument of States.ArrayUnique must be an array"},
      {"States.Base64Encode($.s)", long_input.c_str(), "States.IntrinsicFailure",
       "The argument of States.Base64Encode must not be longer than 10000 characters"},
      {"States.Base64Decode($.s)", long_input.c_str(), "States.IntrinsicFailure",
       "The argument of States.Base64Decode must not be longer than 10000 characters"},
      {"States.Base64Decode('not base64!')", "{}", "States.IntrinsicFailure",
       "The argument of States.Base64Decode is not valid base64"},
      {"States.Base64Encode(1)", "{}", "States.IntrinsicFailure",
       "The argument of States.Base64Encode must be a string"},
      {"States.Hash('x', 'sha-256')", "{}", "States.IntrinsicFailure",
       "The algorithm of States.Hash must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512"},
      {"States.JsonMerge($.a, $.b, true)", R"({"a":{},"b":{}})", "States.IntrinsicFailure",
       "States.JsonMerge does not support deep merge; set the third argument to false"},
      {"States.JsonMerge($.a, 1, false)", R"({"a":{}})", "States.IntrinsicFailure",
       "The first two arguments of States.JsonMerge must be objects"},
      {"States.JsonMerge($.a, $.a, 'no')", R"({"a":{}})", "States.IntrinsicFailure",
       "The third argument of States.JsonMerge must be a boolean"},
      {"States.MathAdd('1', 2)", "{}", "States.IntrinsicFailure", "The arguments of States.MathAdd must be numbers"},
      {"States.MathAdd(2147483648, 1)", "{}", "States.IntrinsicFailure",
       "The arguments of States.MathAdd must be between -2147483648 and 2147483647"},
      {"States.MathRandom(5, 5)", "{}", "States.IntrinsicFailure",
       "The end of States.MathRandom must be greater than its start"},
      {"States.StringSplit(1, ',')", "{}", "States.IntrinsicFailure",
       "The arguments of States.StringSplit must be strings"},
  };
  for (const auto& c : cases) {
    auto r = EvaluateIntrinsic(c.expr, J(c.input), Context());
    ASSERT_FALSE(r.ok()) << c.expr << " gave " << json::serialize(*r);
    EXPECT_EQ(r.error().code, c.code) << c.expr;
    const std::string prefix = "The function '" + std::string(c.expr) + "' had the following error: ";
    if (c.cause != nullptr) {
      EXPECT_EQ(r.error().message, prefix + c.cause) << c.expr;
    } else {
      EXPECT_EQ(r.error().message.rfind(prefix, 0), 0U) << r.error().message;
    }
  }
}

// Definition-time checks: syntax, known names, argument counts, at most 10 functions in one field.
TEST(AslIntrinsics, ValidationChecksSyntaxNamesAndArgumentCounts) {
  const char* valid[] = {
      "States.UUID()",
      "States.Format('{}', $.a[?(@.x == 'a,b)')])",
      "States.Format('{}', $.a[0,1])",
      "States.Format('{}', $['a,b'])",
      "States.Array( 1 , -2.5e3 , 'x' , $ , $$ )",
      "States.MathRandom(1, 2)",
      "States.MathRandom(1, 2, 3)",
  };
  auto nested = [](int n) {
    std::string s = "States.Array()";
    for (int i = 1; i < n; ++i) s = "States.Array(" + s + ")";
    return s;
  };
  EXPECT_TRUE(ValidateIntrinsic(nested(10)).ok());
  EXPECT_EQ(ValidateIntrinsic(nested(11)).error().message,
            "Invalid intrinsic function call '" + nested(11) + "': more than 10 intrinsic functions in one field");
  for (const char* expr : valid)
    EXPECT_TRUE(ValidateIntrinsic(expr).ok()) << expr << ": " << ValidateIntrinsic(expr).error().message;
  struct Bad {
    const char* expr;
    const char* reason;
  };
  const Bad invalid[] = {
      {"States.Nope(1)", "unknown intrinsic function 'States.Nope'"},
      {"States.format('x')", "unknown intrinsic function 'States.format'"},
      {"States.UUID(1)", "States.UUID takes 0 argument(s), not 1"},
      {"States.Format()", "States.Format takes at least 1 argument(s), not 0"},
      {"States.ArrayRange(1, 2)", "States.ArrayRange takes 3 argument(s), not 2"},
      {"States.MathRandom(1)", "States.MathRandom takes 2 or 3 argument(s), not 1"},
      {"States.JsonToString('x')", "the argument of States.JsonToString must be a path"},
      {"States.Format('a\\b')", "invalid escape sequence '\\b' in a string literal"},
      {"States.Format('abc)", "unterminated string literal"},
      {"States.Format('x') + 1", "unexpected text after the closing ')'"},
      {"States.Format('x', foo)", "invalid argument 'foo'"},
      {"States.Array(1 2)", "expected ',' or ')' in the arguments of States.Array"},
      {"States.Array(1,)", "invalid argument ''"},
      {"States.Array($.a b)", "Invalid JSONPath '$.a b': unexpected character ' ' in a property name at position 3"},
  };
  for (const auto& c : invalid) {
    auto s = ValidateIntrinsic(c.expr);
    ASSERT_FALSE(s.ok()) << c.expr;
    EXPECT_EQ(s.error().code, "SCHEMA_VALIDATION_FAILED");
    EXPECT_EQ(s.error().message, "Invalid intrinsic function call '" + std::string(c.expr) + "': " + c.reason);
  }
}

}  // namespace
}  // namespace xacct::asl

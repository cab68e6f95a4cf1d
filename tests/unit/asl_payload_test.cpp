// Payload templates and input/output processing. Sources: ASL specification "Input and Output Processing" and
// "Payload Template"; Developer Guide "InputPath, Parameters and ResultSelector", "ResultPath", "OutputPath".
// Causes as AWS writes them: "The JsonPath argument for the field '$.a' could not be found in the input '{}'".
#include <gtest/gtest.h>

#include "asl/payload.h"

namespace xacct::asl {
namespace {

json::value J(std::string_view text) { return json::parse(text); }

const json::value& Context() {
  static const json::value kContext = J(R"({"Execution":{"Id":"arn:x"},"Map":{"Item":{"Index":2,"Value":"v"}}})");
  return kContext;
}

// "Payload Template": a key ending in ".$" takes the value of its path or intrinsic, without the suffix; other
// values are copied; objects and arrays are processed recursively.
TEST(AslPayload, ApplyTemplateResolvesDotDollarFieldsAtAnyDepth) {
  struct Case {
    const char* tmpl;
    const char* input;
    const char* expected;
  };
  const Case cases[] = {
      {R"({"flagged":true,"parts":{"first.$":"$.vals[0]","last3.$":"$.vals[-3:]"}})",
       R"({"flagged":7,"vals":[0,10,20,30,40,50]})", R"({"flagged":true,"parts":{"first":0,"last3":[30,40,50]}})"},
      {R"({"comment":"x","MyDetails":{"size.$":"$.product.details.size","exists.$":"$.product.availability"}})",
       R"({"product":{"details":{"size":"small"},"availability":"in stock"}})",
       R"({"comment":"x","MyDetails":{"size":"small","exists":"in stock"}})"},
      {R"({"list":[{"a.$":"$.a"},"$.a",1,[{"b.$":"$.b"}]]})", R"({"a":1,"b":2})",
       R"({"list":[{"a":1},"$.a",1,[{"b":2}]]})"},
      {R"({"all.$":"$","ctx.$":"$$.Execution.Id","idx.$":"$$.Map.Item.Index"})", R"({"k":1})",
       R"({"all":{"k":1},"ctx":"arn:x","idx":2})"},
      {R"J({"msg.$":"States.Format('{}-{}', $.a, $$.Map.Item.Value)"})J", R"({"a":1})", R"({"msg":"1-v"})"},
      {R"({"ids.$":"$.items[*].id"})", R"({"items":[{"id":1},{"id":2}]})", R"({"ids":[1,2]})"},
      {R"({"none.$":"$.items[?(@.id > 5)]"})", R"({"items":[{"id":1}]})", R"({"none":[]})"},
      // An index past the end of an array reads as null (AWS, Jackson).
      {R"({"idx.$":"$.items[5]"})", R"({"items":[1,2]})", R"({"idx":null})"},
      {R"({"n.$":"$.n"})", R"({"n":null})", R"({"n":null})"},
      {R"("scalar")", "{}", R"("scalar")"},
      {"[]", "{}", "[]"},
  };
  for (const auto& c : cases) {
    auto r = ApplyTemplate(J(c.tmpl), J(c.input), Context());
    ASSERT_TRUE(r.ok()) << c.tmpl << ": " << r.error().message;
    EXPECT_EQ(*r, J(c.expected)) << c.tmpl << " gave " << json::serialize(*r);
  }
}

TEST(AslPayload, ApplyTemplateFailsWhenAPathMatchesNothing) {
  struct Case {
    const char* tmpl;
    const char* input;
    const char* code;
    const char* message;
  };
  const Case cases[] = {
      {R"({"a.$":"$.missing"})", R"({"other":1})", "States.Runtime",
       R"(The JsonPath argument for the field '$.missing' could not be found in the input '{"other":1}')"},
      {R"({"deep":[{"a.$":"$.x.y"}]})", R"({"x":{}})", "States.Runtime",
       R"(The JsonPath argument for the field '$.x.y' could not be found in the input '{"x":{}}')"},
      // A `$$` path is named against the context object, which is the input it searched.
      {R"({"a.$":"$$.Nope"})", "{}", "States.Runtime",
       R"(The JsonPath argument for the field '$.Nope' could not be found in the input '{"Execution":{"Id":"arn:x"},"Map":{"Item":{"Index":2,"Value":"v"}}}')"},
      {R"J({"a.$":"States.ArrayGetItem($.l, 4)"})J", R"({"l":[1.5]})", "States.IntrinsicFailure",
       "The function 'States.ArrayGetItem($.l, 4)' had the following error: The index 4 is out of bounds for an "
       "array of length 1"},
  };
  for (const auto& c : cases) {
    auto r = ApplyTemplate(J(c.tmpl), J(c.input), Context());
    ASSERT_FALSE(r.ok()) << c.tmpl;
    EXPECT_EQ(r.error().code, c.code) << c.tmpl;
    EXPECT_EQ(r.error().message, c.message) << c.tmpl;
  }
}

// Definition validation: every ".$" value must be a valid path or intrinsic call; the message is AWS's, the
// location (fields[0]) names the template and the nested keys.
TEST(AslPayload, ValidateTemplateChecksEveryDotDollarValue) {
  const char* valid[] = {
      R"J({"a":1,"b.$":"$.x","c":{"d.$":"$$.Execution.Id"},"e":[{"f.$":"States.UUID()"}],"g":"$.notapath"})J",
      R"({"x.$":"$.items[?(@.a > 1)].b"})",
      R"({".$":"literal key, not a path field"})",
      "[1, 2]",
  };
  for (const char* t : valid) {
    EXPECT_TRUE(ValidateTemplate(J(t), "/States/P/Parameters").ok()) << t;
  }
  struct Case {
    const char* tmpl;
    const char* field;
    const char* location;
  };
  const Case invalid[] = {
      {R"J({"outputPath.$":"States.format('test-{}.json', $.Comment)"})J", "outputPath.$", "/States/P/Parameters"},
      {R"({"a.$":"not a path"})", "a.$", "/States/P/Parameters"},
      {R"({"a.$":1})", "a.$", "/States/P/Parameters"},
      {R"({"a.$":"$.x["})", "a.$", "/States/P/Parameters"},
      {R"({"n":{"m":[0,{"b.$":"States.Array(1"}]}})", "b.$", "/States/P/Parameters/n/m/1"},
      {R"J({"a.$":"States.ArrayRange(1)"})J", "a.$", "/States/P/Parameters"},
  };
  for (const auto& c : invalid) {
    auto s = ValidateTemplate(J(c.tmpl), "/States/P/Parameters");
    ASSERT_FALSE(s.ok()) << c.tmpl;
    EXPECT_EQ(s.error().code, "SCHEMA_VALIDATION_FAILED");
    EXPECT_EQ(s.error().message, "The value for the field '" + std::string(c.field) +
                                     "' must be a valid JSONPath or a valid intrinsic function call");
    ASSERT_EQ(s.error().fields.size(), 1U);
    EXPECT_EQ(s.error().fields[0], std::make_pair(std::string("location"), std::string(c.location)));
    EXPECT_FALSE(s.error().detail.empty());
  }
}

// "InputPath and OutputPath": absent means `$`; null means an empty object `{}`.
TEST(AslPayload, ApplyPathHandlesAbsentNullAndPaths) {
  const json::value input = J(R"({"a":{"b":[1,2]}})");
  const json::value null_path;
  const json::value ref = J(R"("$.a.b")");
  const json::value any = J(R"("$.a.b[*]")");
  EXPECT_EQ(*ApplyPath(nullptr, input), input);
  EXPECT_EQ(*ApplyPath(&null_path, input), J("{}"));
  EXPECT_EQ(*ApplyPath(&ref, input), J("[1,2]"));
  EXPECT_EQ(*ApplyPath(&any, input), J("[1,2]"));
  const json::value missing = J(R"("$.a.c")");
  auto r = ApplyPath(&missing, input);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "States.Runtime");
  EXPECT_EQ(r.error().message, "Invalid path '$.a.c' : No results for path: $['a']['c']");
}

// "ResultPath": absent replaces the input with the result; null discards the result; a path places it.
TEST(AslPayload, ApplyResultPathPlacesDiscardsOrReplaces) {
  struct Case {
    const char* path;  // nullptr: the field is absent
    const char* input;
    const char* result;
    const char* expected;
  };
  const Case cases[] = {
      {nullptr, R"({"a":1})", R"("r")", R"("r")"},
      {"null", R"({"a":1})", R"("r")", R"({"a":1})"},
      {R"("$")", R"({"a":1})", R"({"r":2})", R"({"r":2})"},
      {R"("$.taskresult")", R"({"a":1})", R"("r")", R"({"a":1,"taskresult":"r"})"},
      {R"("$.a.b.c")", R"({"a":{"x":0}})", "[1]", R"({"a":{"x":0,"b":{"c":[1]}}})"},
      {R"("$.a")", R"({"a":{"old":true}})", "2", R"({"a":2})"},
  };
  for (const auto& c : cases) {
    json::value path = c.path ? J(c.path) : json::value();
    auto r = ApplyResultPath(c.path ? &path : nullptr, J(c.input), J(c.result));
    ASSERT_TRUE(r.ok()) << (c.path ? c.path : "absent") << ": " << r.error().message;
    EXPECT_EQ(*r, J(c.expected)) << (c.path ? c.path : "absent");
  }
  const json::value path = J(R"("$.a.b")");
  auto r = ApplyResultPath(&path, J(R"({"a":"text"})"), json::value(1));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "States.ReferencePathConflict");
  EXPECT_EQ(r.error().message, R"(Unable to apply step "b" to input "text")");
}

}  // namespace
}  // namespace xacct::asl

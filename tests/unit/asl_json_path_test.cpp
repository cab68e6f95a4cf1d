// JSONPath as Step Functions evaluates it. Sources: ASL specification "Paths" and "Reference Paths"
// (states-language.net); Developer Guide "Using JSONPath paths" and "ResultPath". Miss messages follow Jayway
// JsonPath, whose exceptions AWS puts in the Cause ("Invalid path '$.a' : No results for path: $['a']").
#include <gtest/gtest.h>

#include "asl/json_path.h"

namespace xacct::asl {
namespace {

json::value J(std::string_view text) { return json::parse(text); }

// Spec "Paths": `$` / `$$` roots; "Reference Paths": only `.name`, `['name']` and `[n]` steps.
TEST(AslJsonPath, ParseClassifiesReferenceAndContextPaths) {
  struct Case {
    const char* text;
    bool reference;
    bool context;
  };
  const Case cases[] = {
      {"$", true, false},
      {"$.a.b", true, false},
      {"$['a b'].c[0]", true, false},
      {"$[\"a\"][-1]", true, false},
      {"$.my-key.x_y", true, false},
      {"$$", true, true},
      {"$$.Execution.Id", true, true},
      {"$$.Map.Item.Value", true, true},
      {"$.a[*]", false, false},
      {"$.a.*", false, false},
      {"$..name", false, false},
      {"$.a[1:3]", false, false},
      {"$.a[:2]", false, false},
      {"$.a[-2:]", false, false},
      {"$.a[0,2]", false, false},
      {"$['a','b']", false, false},
      {"$.a[?(@.x > 1)]", false, false},
      {"$.a[?(@.x == 'y' && @.z)]", false, false},
  };
  for (const auto& c : cases) {
    auto p = JsonPath::Parse(c.text);
    ASSERT_TRUE(p.ok()) << c.text << ": " << p.error().message;
    EXPECT_EQ(p->text(), c.text);
    EXPECT_EQ(p->IsReferencePath(), c.reference) << c.text;
    EXPECT_EQ(p->IsContextPath(), c.context) << c.text;
  }
}

TEST(AslJsonPath, ParseRejectsMalformedPaths) {
  const char* cases[] = {"",     "a.b",           ".a",
                         "$.",   "$.a.",          "$[",
                         "$[0",  "$['a]",         "$.a b",
                         "$[x]", "$.a[?(@.x >)]", "$.a[?@.x]",
                         "$..",  "$.a(",          "$.a[?(@.x =~ /[/)]"};
  for (const char* text : cases) {
    auto p = JsonPath::Parse(text);
    ASSERT_FALSE(p.ok()) << text;
    EXPECT_EQ(p.error().code, "InvalidPath") << text;
  }
}

constexpr const char* kStore = R"({
  "store": {
    "book": [
      {"category": "reference", "author": "Nigel Rees", "price": 8.95},
      {"category": "fiction", "author": "Evelyn Waugh", "price": 12.99},
      {"category": "fiction", "author": "Herman Melville", "isbn": "0-553-21311-3", "price": 8.99}
    ],
    "bicycle": {"color": "red", "price": 19.95}
  },
  "n": null,
  "items": [1, 2, 3, 4, 5]
})";

// Developer Guide "Using JSONPath paths": a reference path yields the node; any other path the list of matches.
TEST(AslJsonPath, SelectReturnsTheNodeOrTheListOfMatches) {
  struct Case {
    const char* path;
    const char* expected;
  };
  const Case cases[] = {
      {"$", nullptr},
      {"$.store.bicycle.color", R"("red")"},
      {"$['store']['bicycle']['price']", "19.95"},
      {"$.store.book[0].author", R"("Nigel Rees")"},
      {"$.store.book[-1].price", "8.99"},
      {"$.n", "null"},
      // Jackson reads an index past the end of an array as null (AWS: the field is null, no failure).
      {"$.items[9]", "null"},
      {"$.store.book[*].author", R"(["Nigel Rees","Evelyn Waugh","Herman Melville"])"},
      {"$.store.bicycle.*", R"(["red",19.95])"},
      {"$..price", R"([8.95,12.99,8.99,19.95])"},
      {"$..book[0].category", R"(["reference"])"},
      {"$.items[1:3]", "[2,3]"},
      {"$.items[:2]", "[1,2]"},
      {"$.items[-2:]", "[4,5]"},
      {"$.items[3:99]", "[4,5]"},
      {"$.items[0,4,7]", "[1,5]"},
      {"$.store.bicycle['color','price','size']", R"(["red",19.95])"},
      {"$.store.book[?(@.price < 10)].author", R"(["Nigel Rees","Herman Melville"])"},
      {"$.store.book[?(@.isbn)].author", R"(["Herman Melville"])"},
      {"$.store.book[?(!@.isbn)].author", R"(["Nigel Rees","Evelyn Waugh"])"},
      {"$.store.book[?(@.category == 'fiction' && @.price > 10)].price", "[12.99]"},
      {"$.store.book[?(@.category != 'fiction' || @.price >= 12.99)].price", "[8.95,12.99]"},
      {"$.store.book[?(@.author =~ /.*Waugh/)].price", "[12.99]"},
      {"$.store.book[?(@.author =~ /nigel.*/i)].price", "[8.95]"},
      {"$.store.book[?(@.price > $.store.bicycle.price)]", "[]"},
      {"$.items[?(@ > 3)]", "[4,5]"},
      {"$.missing[*]", "[]"},
      {"$.items[*].nope", "[]"},
  };
  const json::value input = J(kStore);
  for (const auto& c : cases) {
    auto p = JsonPath::Parse(c.path);
    ASSERT_TRUE(p.ok()) << c.path << ": " << p.error().message;
    auto r = p->Select(input);
    ASSERT_TRUE(r.ok()) << c.path << ": " << r.error().message;
    EXPECT_EQ(*r, c.expected ? J(c.expected) : input) << c.path;
  }
}

// A reference path that matches nothing fails the state with States.Runtime and Jayway's explanation.
TEST(AslJsonPath, SelectMissOnAReferencePathIsAStatesRuntimeError) {
  struct Case {
    const char* input;
    const char* path;
    const char* message;
  };
  const Case cases[] = {
      {"{}", "$.a", "Invalid path '$.a' : No results for path: $['a']"},
      {R"({"a":{}})", "$.a.b.c", "Invalid path '$.a.b.c' : Missing property in path $['a']['b']"},
      {R"({"a":1})", "$.a[0]",
       "Invalid path '$.a[0]' : Filter: [0] can only be applied to arrays. Current context is: 1"},
      {R"({"a":"x"})", "$.a[2]",
       "Invalid path '$.a[2]' : Filter: [2] can only be applied to arrays. Current context is: x"},
      {R"({"a":null})", "$.a[0]", "Invalid path '$.a[0]' : The path $['a'] is null"},
      {R"({"a":1})", "$.a.b",
       "Invalid path '$.a.b' : Expected to find an object with property ['b'] in path $['a'] but found "
       "'java.lang.Integer'. This is not a json object according to the JsonProvider: "
       "'com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider'."},
      {R"({"a":[1]})", "$.a[3].x",
       "Invalid path '$.a[3].x' : Expected to find an object with property ['x'] in path $['a'][3] but found "
       "'null'. This is not a json object according to the JsonProvider: "
       "'com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider'."},
  };
  for (const auto& c : cases) {
    auto r = JsonPath::Parse(c.path)->Select(J(c.input));
    ASSERT_FALSE(r.ok()) << c.path;
    EXPECT_EQ(r.error().code, "States.Runtime");
    EXPECT_EQ(r.error().message, c.message);
  }
}

// Developer Guide "ResultPath": the result is stored at the path; missing objects on the way are created,
// `$` replaces the input whole.
TEST(AslJsonPath, PlaceStoresTheValueCreatingIntermediateObjects) {
  struct Case {
    const char* input;
    const char* path;
    const char* value;
    const char* expected;
  };
  const Case cases[] = {
      {R"({"a":1})", "$", R"("r")", R"("r")"},
      {R"({"a":1})", "$.b", R"({"x":1})", R"({"a":1,"b":{"x":1}})"},
      {R"({"a":1})", "$.a", "2", R"({"a":2})"},
      {"{}", "$.a.b.c", "true", R"({"a":{"b":{"c":true}}})"},
      {R"({"a":{"k":0}})", "$.a.b", "1", R"({"a":{"k":0,"b":1}})"},
      {R"({"a":[{"x":1},{"x":2}]})", "$.a[1].y", "3", R"({"a":[{"x":1},{"x":2,"y":3}]})"},
      {R"({"a":[0,1]})", "$.a[-1]", "9", R"({"a":[0,9]})"},
      {R"({"a":1})", "$['b c']", "null", R"({"a":1,"b c":null})"},
  };
  for (const auto& c : cases) {
    json::value target = J(c.input);
    auto s = JsonPath::Parse(c.path)->Place(target, J(c.value));
    ASSERT_TRUE(s.ok()) << c.path << ": " << s.error().message;
    EXPECT_EQ(target, J(c.expected)) << c.path;
  }
}

// A step that cannot be applied: AWS fails with States.ReferencePathConflict,
// 'Unable to apply step "x" to input ...'.
TEST(AslJsonPath, PlaceFailsWhereAStepIsNotAnObject) {
  struct Case {
    const char* input;
    const char* path;
    const char* code;
    const char* message;
  };
  const Case cases[] = {
      {R"("text")", "$.a", "States.ReferencePathConflict", R"(Unable to apply step "a" to input "text")"},
      {R"({"a":1})", "$.a.b", "States.ReferencePathConflict", R"(Unable to apply step "b" to input 1)"},
      {R"({"a":[1]})", "$.a[3]", "States.ReferencePathConflict", R"(Unable to apply step "3" to input [1])"},
      {R"({"a":{}})", "$.a[0]", "States.ReferencePathConflict", R"(Unable to apply step "0" to input {})"},
      {R"({"a":[1]})", "$.a[*]", "States.Runtime", "Invalid path '$.a[*]' : a ResultPath must be a reference path"},
  };
  for (const auto& c : cases) {
    json::value target = J(c.input);
    auto s = JsonPath::Parse(c.path)->Place(target, json::value(1));
    ASSERT_FALSE(s.ok()) << c.path;
    EXPECT_EQ(s.error().code, c.code) << c.path;
    EXPECT_EQ(s.error().message, c.message) << c.path;
  }
}

TEST(AslJsonPath, ParsedPathIsReusableAndCheapToCopy) {
  auto p = JsonPath::Parse("$.a.b");
  ASSERT_TRUE(p.ok());
  JsonPath copy = *p;
  for (int i = 0; i < 3; ++i) {
    auto r = copy.Select(J(R"({"a":{"b":[)" + std::to_string(i) + "]}}"));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(*r, J("[" + std::to_string(i) + "]"));
  }
}

}  // namespace
}  // namespace xacct::asl

// Fuzz target: DynamoDB's expression library (services/dynamodb/expressions.h). The input is
//   <kind letter><expression>\n<optional JSON: {"ExpressionAttributeNames": {...},
//                                               "ExpressionAttributeValues": {...}, "Item": {...}}>
// with C (or F) a condition, U an update, P a projection, K a key condition; N instead gives number strings, one
// a line. Parsing must never crash, hang or leak; what parses is evaluated or applied against a fixed item, the
// fuzzed item and no item. Invariants checked: an update that applies leaves a valid item; number arithmetic is
// exact ((a + b) - b = a) and commutative; the key encoding orders numbers, strings and binaries as
// CompareValues does.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "services/dynamodb/expressions.h"

namespace {

using namespace xacct;
using namespace xacct::services::dynamodb;

constexpr std::string_view kFixedItem = R"({
  "pk": {"S": "user#1"}, "sk": {"N": "42"}, "name": {"S": "Ada"}, "age": {"N": "36"},
  "tags": {"SS": ["a", "b"]}, "scores": {"NS": ["1", "2.5"]}, "blob": {"B": "AAEC"}, "bins": {"BS": ["AA==", "AQ=="]},
  "list": {"L": [{"S": "x"}, {"N": "1"}, {"M": {"k": {"S": "v"}}}, {"L": [{"NULL": true}]}]},
  "map": {"M": {"a": {"N": "1"}, "b": {"L": [{"BOOL": true}]}, "c": {"M": {"d": {"SS": ["x"]}}}}},
  "flag": {"BOOL": false}, "nothing": {"NULL": true}})";
constexpr std::string_view kFixedNames = R"({"#n": "name", "#pk": "pk", "#sk": "sk", "#a": "age", "#m": "map",
  "#l": "list", "#t": "tags", "#s": "scores"})";
constexpr std::string_view kFixedValues = R"({":s": {"S": "Ada"}, ":p": {"S": "user"}, ":n": {"N": "1"},
  ":z": {"N": "-3.5"}, ":big": {"N": "9.9999999999999999999999999999999999999E+125"}, ":tiny": {"N": "1E-130"},
  ":b": {"B": "AQ=="}, ":ss": {"SS": ["a", "c"]}, ":ns": {"NS": ["3", "1"]}, ":bs": {"BS": ["Ag==", "AA=="]},
  ":l": {"L": [{"S": "y"}]}, ":m": {"M": {"k": {"N": "2"}}}, ":t": {"BOOL": true}, ":null": {"NULL": true},
  ":type": {"S": "SS"}})";

json::object Object(std::string_view text) {
  auto v = ParseJson(text);
  return v.ok() && v->is_object() ? v->as_object() : json::object();
}

// The fixed members, with the fuzzed ones (when `fuzzed` is an object) added or replacing them.
json::object Merged(std::string_view fixed, const json::value* fuzzed) {
  json::object out = Object(fixed);
  if (fuzzed && fuzzed->is_object()) {
    for (const auto& [k, v] : fuzzed->as_object()) out[k] = v;
  }
  return out;
}

void Check(bool condition) {
  if (!condition) std::abort();
}

// Items to run a parsed expression against: the fixed one, the fuzzed one when it is valid, and none.
std::vector<Item> Items(const json::value* fuzzed) {
  std::vector<Item> items = {Object(kFixedItem), Item()};
  Check(NormalizeItem(items[0]).ok());
  if (fuzzed && fuzzed->is_object()) {
    Item item = fuzzed->as_object();
    if (NormalizeItem(item).ok()) items.push_back(std::move(item));
  }
  return items;
}

int Sign(int c) { return c < 0 ? -1 : (c > 0 ? 1 : 0); }

json::value Number(std::string_view text) { return json::value{{"N", text}}; }

void FuzzNumbers(std::string_view text) {
  std::vector<json::value> values;
  size_t start = 0;
  while (start <= text.size() && values.size() < 4) {
    const size_t end = std::min(text.find('\n', start), text.size());
    json::value v = Number(text.substr(start, end - start));
    if (NormalizeValue(v).ok()) {
      // Canonical numbers are fixed points of normalization.
      json::value again = v;
      Check(NormalizeValue(again).ok() && again == v);
      values.push_back(std::move(v));
    }
    start = end + 1;
  }
  for (const json::value& a : values) {
    for (const json::value& b : values) {
      const std::string_view x = JsonString(a.as_object().at("N")), y = JsonString(b.as_object().at("N"));
      const auto c = CompareValues(a, b);
      Check(c.has_value());
      Check(Sign(EncodeKeyValue(a).compare(EncodeKeyValue(b))) == *c);
      Check(ValuesEqual(a, b) == (*c == 0));
      auto sum = AddNumbers(x, y), reversed = AddNumbers(y, x);
      Check(sum.ok() == reversed.ok());
      if (!sum.ok()) continue;
      Check(*sum == *reversed);
      auto back = SubtractNumbers(*sum, y);
      if (back.ok()) Check(ValuesEqual(Number(*back), a));
    }
  }
}

// Strings and binaries of the fuzzed item's top level: their key encodings order them as CompareValues does.
void FuzzKeyEncoding(const Item& item) {
  std::vector<const json::value*> keys;
  for (const auto& [name, v] : item) {
    const std::string_view type = TypeOf(v);
    if (type == "S" || type == "N" || type == "B") keys.push_back(&v);
  }
  for (const json::value* a : keys) {
    for (const json::value* b : keys) {
      const auto c = CompareValues(*a, *b);
      if (c) Check(Sign(EncodeKeyValue(*a).compare(EncodeKeyValue(*b))) == *c);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  char kind = static_cast<char>(data[0]);
  if (kind != 'C' && kind != 'F' && kind != 'U' && kind != 'P' && kind != 'K' && kind != 'N') {
    kind = "CUPKN"[data[0] % 5];
  }
  if (kind == 'N') {
    FuzzNumbers(input);
    return 0;
  }
  const size_t newline = input.find('\n');
  const std::string_view text = input.substr(0, newline);
  json::value document;
  if (newline != std::string_view::npos) {
    if (auto parsed = ParseJson(input.substr(newline + 1)); parsed.ok()) document = std::move(*parsed);
  }
  const json::object* doc = document.if_object();
  const json::object names = Merged(kFixedNames, doc ? doc->if_contains("ExpressionAttributeNames") : nullptr);
  const json::object values = Merged(kFixedValues, doc ? doc->if_contains("ExpressionAttributeValues") : nullptr);
  ExpressionInputs inputs(&names, &values);
  std::vector<Item> items = Items(doc ? doc->if_contains("Item") : nullptr);
  if (items.size() > 2) FuzzKeyEncoding(items.back());

  switch (kind) {
    case 'C':
    case 'F': {
      auto condition = Condition::Parse(text, kind == 'C' ? "ConditionExpression" : "FilterExpression", inputs);
      if (!condition.ok()) break;
      for (const Item& item : items) (void)condition->Evaluate(item);
      break;
    }
    case 'U': {
      auto update = Update::Parse(text, inputs);
      if (!update.ok()) break;
      (void)update->TouchedTopLevel();
      for (Item& item : items) {
        if (!update->Apply(item).ok()) continue;
        // What an update writes is a valid item again, already in canonical form.
        Item again = item;
        Check(NormalizeItem(again).ok());
        Check(again == item);
        (void)ItemSize(item);
      }
      break;
    }
    case 'P': {
      auto projection = Projection::Parse(text, inputs);
      if (!projection.ok()) break;
      for (const Item& item : items) {
        Item projected = projection->Apply(item);
        Check(NormalizeItem(projected).ok());
      }
      break;
    }
    default: {  // 'K'
      for (std::string_view range_key : {"sk", ""}) {
        ExpressionInputs key_inputs(&names, &values);
        auto key = KeyCondition::Parse(text, key_inputs, "pk", range_key);
        if (!key.ok()) continue;
        for (const Item& item : items) {
          if (const json::value* sk = item.if_contains("sk")) (void)key->RangeMatches(*sk);
        }
      }
      break;
    }
  }
  (void)inputs.CheckAllUsed();
  return 0;
}

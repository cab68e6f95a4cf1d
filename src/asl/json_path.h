// JSONPath as the Amazon States Language uses it ("Paths" and "Reference Paths" in the ASL specification;
// Step Functions Developer Guide, "Using JSONPath paths"): `$` is the effective input, `$$` the context
// object. A reference path names one node (`.name`, `['name']`, `[n]`); a path may also use `*`, `..`,
// slices `[a:b]`, unions `[a,b]` and filters `[?(@.x > 1)]`, and then selects a list.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/json.h"
#include "common/result.h"

namespace xacct::asl {

class JsonPath {
 public:
  //! Parses `text` ("$", "$.a.b[0]", "$$.Execution.Id", ...). The error's message says what is wrong in
  //! words a definition author can act on; its code is "InvalidPath".
  static Result<JsonPath> Parse(std::string_view text);

  const std::string& text() const;
  //! Starts with `$$`: selects from the context object instead of the input.
  bool IsContextPath() const;
  //! Names at most one node: no wildcard, recursive descent, slice, union or filter.
  bool IsReferencePath() const;

  //! The node(s) this path selects from `root`: one value for a reference path, an array of the matches for
  //! any other path (possibly empty). For a reference path that matches nothing the error's code is
  //! "States.Runtime" and its message reads like AWS's: "Invalid path '$.a' : No results for path: $['a']".
  Result<json::value> Select(const json::value& root) const;

  //! ResultPath semantics: stores `value` in `target` at this reference path, creating missing objects on
  //! the way; `$` replaces `target` whole. Fails ("States.Runtime") when a step is not an object, or
  //! for a path that is not a reference path.
  Status Place(json::value& target, json::value value) const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace xacct::asl

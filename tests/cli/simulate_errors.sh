#!/usr/bin/env bash
# `xacct iam simulate` on bad input: a malformed case or policy gets an error entry naming it and the
# other cases are still decided (exit 0); input that is not a JSON array fails as a whole (exit 2).
set -euo pipefail
xacct=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/cases.json" <<'JSON'
[
 {"name": "good", "request": {"principal": "arn:aws:iam::111111111111:user/alice", "action": "s3:GetObject",
  "resource": "arn:aws:s3:::b/k", "resourceAccount": "111111111111", "context": {}},
  "identityPolicies": [{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}}],
  "resourcePolicy": null, "permissionBoundary": null, "sessionPolicy": null, "scps": [], "rcps": []},
 {"name": "bad-policy", "request": {"principal": "arn:aws:iam::111111111111:user/alice", "action": "s3:GetObject",
  "resource": "arn:aws:s3:::b/k", "resourceAccount": "111111111111", "context": {}},
  "identityPolicies": [{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:Get*"}}],
  "resourcePolicy": null, "scps": [], "rcps": []},
 {"name": "bad-operator", "request": {"principal": null, "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k",
  "resourceAccount": "111111111111", "context": {}}, "identityPolicies": [],
  "resourcePolicy": {"Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*",
   "Condition": {"StringEqualz": {"aws:SourceIp": "x"}}}}, "scps": [], "rcps": []},
 {"name": "no-request"},
 42
]
JSON
"$xacct" iam simulate "$work/cases.json" > "$work/out.json"
python3 - "$work/out.json" <<'PY'
import json, sys
out = {c.get("name", "?") if isinstance(c, dict) and "name" in c else "?": c for c in json.load(open(sys.argv[1]))}
assert out["good"]["decision"] == "Allowed", out["good"]
assert "explanation" in out["good"]
assert "decision" not in out["bad-policy"]
assert "identityPolicies[0]" in out["bad-policy"]["error"], out["bad-policy"]["error"]
assert "Policy statement must contain resources." in out["bad-policy"]["error"]
assert "resourcePolicy" in out["bad-operator"]["error"] and "StringEqualz" in out["bad-operator"]["error"]
assert "request" in out["no-request"]["error"]
assert "a case must be a JSON object" in out["?"]["error"]
print("error entries as expected")
PY
echo '{"not": "an array"}' > "$work/object.json"
set +e
"$xacct" iam simulate "$work/object.json" > /dev/null 2> "$work/err"; code=$?
"$xacct" iam simulate "$work/missing.json" > /dev/null 2>> "$work/err"; code2=$?
echo '[{"name": "x"' | "$xacct" iam simulate - > /dev/null 2>> "$work/err"; code3=$?
set -e
[ "$code" = 2 ] && [ "$code2" = 2 ] && [ "$code3" = 2 ] || { echo "expected exit 2, got $code $code2 $code3"; cat "$work/err"; exit 1; }
grep -q 'JSON array' "$work/err"
echo "unreadable input fails with exit 2"

#!/usr/bin/env python3
"""Helpers for bench/s3_bench.sh: seed a bucket with boto3, and sign one S3 request with botocore for wrk.

  s3_bench_sign.py seed --port P --bucket B KEY=FILE...
      creates bucket B (path-style, LocationConstraint ap-northeast-1) and uploads each FILE as KEY.
  s3_bench_sign.py sign --port P --method GET|PUT --path /B/KEY [--body FILE] [--rotate N --threads T] [--unsigned]
      prints a wrk Lua script replaying one SigV4-signed request (S3SigV4Auth: host, x-amz-date and
      x-amz-content-sha256 = the body's hex SHA-256, e3b0... for an empty GET body). For PUT the script reads
      the body from FILE when wrk starts. A signature stays valid for 15 minutes, so wrk may replay it.
      With --rotate N: N requests for the keys KEY-00..KEY-NN, signed once each, which wrk's T threads share
      out and send in turn (distinct keys in flight).

Credentials: the default account "source" (override with XACCT_BENCH_KEY / XACCT_BENCH_SECRET).
"""
import argparse
import os
import sys

import botocore.auth
import botocore.awsrequest
import botocore.credentials

REGION = "ap-northeast-1"
KEY = os.environ.get("XACCT_BENCH_KEY", "AKIASOURCE0000000001")
SECRET = os.environ.get("XACCT_BENCH_SECRET", "xacct/source/root/secret/key/00000000001")


def lua_string(s):
    return '"' + "".join(c if c.isprintable() and c not in '"\\' else "\\%03d" % ord(c) for c in s) + '"'


def seed(args):
    import boto3
    from botocore.config import Config

    s3 = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{args.port}", region_name=REGION,
                      aws_access_key_id=KEY, aws_secret_access_key=SECRET,
                      config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
    s3.create_bucket(Bucket=args.bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    for item in args.objects:
        key, path = item.split("=", 1)
        with open(path, "rb") as f:
            body = f.read()
        s3.put_object(Bucket=args.bucket, Key=key, Body=body)
        got = s3.get_object(Bucket=args.bucket, Key=key)["Body"].read()
        if got != body:
            sys.exit(f"s3_bench_sign: {key}: read back {len(got)} bytes that differ from the {len(body)} written")


def signed_headers(args, method, path, body):
    host = f"127.0.0.1:{args.port}"
    request = botocore.awsrequest.AWSRequest(method=method, url=f"http://{host}{path}", data=body,
                                             headers={"Host": host})  # spelt as wrk spells it, or wrk adds a second
    if not args.unsigned:
        # Over plain HTTP, S3SigV4Auth signs the payload: x-amz-content-sha256 is the body's hex SHA-256.
        botocore.auth.S3SigV4Auth(botocore.credentials.Credentials(KEY, SECRET), "s3", REGION).add_auth(request)
    return request.headers.items()


def lua_table(headers):
    return "{" + ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in headers) + "}"


def sign(args):
    body = b""
    if args.body:
        with open(args.body, "rb") as f:
            body = f.read()
    how = "unsigned" if args.unsigned else "signed by botocore's S3SigV4Auth (valid for 15 minutes)"
    print(f"-- {args.method} {args.path}" + (f" ({args.rotate} keys)" if args.rotate > 1 else "") + f", {how}")
    print(f"wrk.method = {lua_string(args.method)}")
    if args.body:
        print(f"local f = assert(io.open({lua_string(os.path.abspath(args.body))}, \"rb\"))")
        print("wrk.body = f:read(\"*a\")")
        print("f:close()")
    if args.rotate <= 1:
        # One request, replayed as is: wrk formats it once.
        print(f"wrk.path = {lua_string(args.path)}")
        for name, value in signed_headers(args, args.method, args.path, body):
            print(f"wrk.headers[{lua_string(name)}] = {lua_string(value)}")
        return
    # Several keys, each signed once; wrk thread t takes the keys i with i % threads == t, in turn, so that no
    # two requests in flight write the same key (moto fails concurrent overwrites of one key with a 500).
    print("local signed = {")
    for i in range(args.rotate):
        path = f"{args.path}-{i:02d}"
        print(f"  {{{lua_string(path)}, {lua_table(signed_headers(args, args.method, path, body))}}},")
    print("}")
    print(f"""local threads, counter = {args.threads}, 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end
function init(args)
  requests, n = {{}}, 0
  for i, r in ipairs(signed) do
    if (i - 1) % threads == id % threads then
      requests[#requests + 1] = wrk.format(nil, r[1], r[2])
    end
  end
end
function request()
  n = n % #requests + 1
  return requests[n]
end""")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("seed")
    p.add_argument("--port", required=True)
    p.add_argument("--bucket", required=True)
    p.add_argument("objects", nargs="*", metavar="KEY=FILE")
    p.set_defaults(run=seed)
    p = sub.add_parser("sign")
    p.add_argument("--port", required=True)
    p.add_argument("--method", required=True, choices=["GET", "PUT"])
    p.add_argument("--path", required=True)
    p.add_argument("--body")
    p.add_argument("--rotate", type=int, default=1, help="sign N keys PATH-00.., taken in turn (default 1: PATH)")
    p.add_argument("--threads", type=int, default=2, help="wrk's -t, to share the keys out (with --rotate)")
    p.add_argument("--unsigned", action="store_true", help="no SigV4 (for the static file server)")
    p.set_defaults(run=sign)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()

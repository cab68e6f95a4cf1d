#!/usr/bin/env python3
"""Helpers for bench/dynamodb_bench.sh: load a table with boto3, and sign DynamoDB requests with botocore for wrk.

  dynamodb_bench_sign.py seed --port P
      creates table "bench" (pk S hash, sk N range, on demand), waits for it to be ACTIVE, writes
      PARTITIONS x ITEMS items (pk p00.., sk 0.., n = 0, data = 100 characters) with BatchWriteItem and checks
      that a Query of p00 reads back ITEMS items.
  dynamodb_bench_sign.py sign --port P --op get|put|query|update [--rotate N] [--threads T]
      prints a wrk Lua script that replays N SigV4-signed requests (botocore's SigV4Auth for "dynamodb": the
      JSON body's SHA-256 is part of the signature, so each distinct body is signed on its own; a signature
      stays valid for 15 minutes, so wrk may replay it). wrk thread t takes the requests i with
      i % T == t, in turn, so that no two writes of one key are in flight.
        get     GetItem of existing keys, spread over the partitions
        put     PutItem of new keys (pk "w", sk 0..N-1), each with a 100-character string
        query   Query of one whole partition (pk = :p), rotating over the partitions
        update  UpdateItem "ADD n :one" with ConditionExpression "attribute_exists(pk)" on keys (p00, 0..N-1)
  dynamodb_bench_sign.py count --port P --rotate N
      prints the sum of n over the keys (p00, 0..N-1) that `update` increments.

Credentials: the default account "source" (override with XACCT_BENCH_KEY / XACCT_BENCH_SECRET).
"""
import argparse
import json
import os
import sys

import botocore.auth
import botocore.awsrequest
import botocore.credentials

REGION = "ap-northeast-1"
KEY = os.environ.get("XACCT_BENCH_KEY", "AKIASOURCE0000000001")
SECRET = os.environ.get("XACCT_BENCH_SECRET", "xacct/source/root/secret/key/00000000001")
TABLE = "bench"
PARTITIONS, ITEMS = 10, 100
DATA = "x" * 100


def lua_string(s):
    return '"' + "".join(c if c.isprintable() and c not in '"\\' else "\\%03d" % ord(c) for c in s) + '"'


def client(port):
    import boto3
    from botocore.config import Config

    return boto3.client("dynamodb", endpoint_url=f"http://127.0.0.1:{port}", region_name=REGION,
                        aws_access_key_id=KEY, aws_secret_access_key=SECRET,
                        config=Config(retries={"max_attempts": 1}))


def seed(args):
    ddb = client(args.port)
    ddb.create_table(TableName=TABLE, BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                           {"AttributeName": "sk", "AttributeType": "N"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                {"AttributeName": "sk", "KeyType": "RANGE"}])
    ddb.get_waiter("table_exists").wait(TableName=TABLE, WaiterConfig={"Delay": 0.1, "MaxAttempts": 100})
    requests = [{"PutRequest": {"Item": {"pk": {"S": f"p{p:02d}"}, "sk": {"N": str(s)}, "n": {"N": "0"},
                                         "data": {"S": DATA}}}}
                for p in range(PARTITIONS) for s in range(ITEMS)]
    for i in range(0, len(requests), 25):
        batch = {TABLE: requests[i:i + 25]}
        while batch:
            batch = ddb.batch_write_item(RequestItems=batch).get("UnprocessedItems")
    got = ddb.query(TableName=TABLE, KeyConditionExpression="pk = :p",
                    ExpressionAttributeValues={":p": {"S": "p00"}})["Count"]
    if got != ITEMS:
        sys.exit(f"dynamodb_bench_sign: a Query of p00 read {got} items, not {ITEMS}")


def body(op, i):
    if op == "get":
        # Keys spread over the partitions and sort keys: (p{i%10}, 7i mod 100).
        return "GetItem", {"TableName": TABLE,
                           "Key": {"pk": {"S": f"p{i % PARTITIONS:02d}"}, "sk": {"N": str(7 * i % ITEMS)}}}
    if op == "put":
        return "PutItem", {"TableName": TABLE,
                           "Item": {"pk": {"S": "w"}, "sk": {"N": str(i)}, "n": {"N": "0"}, "data": {"S": DATA}}}
    if op == "query":
        return "Query", {"TableName": TABLE, "KeyConditionExpression": "pk = :p",
                         "ExpressionAttributeValues": {":p": {"S": f"p{i % PARTITIONS:02d}"}}}
    if op == "update":
        return "UpdateItem", {"TableName": TABLE, "Key": {"pk": {"S": "p00"}, "sk": {"N": str(i)}},
                              "UpdateExpression": "ADD n :one", "ConditionExpression": "attribute_exists(pk)",
                              "ExpressionAttributeValues": {":one": {"N": "1"}}}
    raise ValueError(op)


def signed(port, op, i):
    target, payload = body(op, i)
    data = json.dumps(payload, separators=(",", ":"))
    host = f"127.0.0.1:{port}"
    request = botocore.awsrequest.AWSRequest(
        method="POST", url=f"http://{host}/", data=data.encode(),
        headers={"Host": host,  # spelt as wrk spells it, or wrk adds a second
                 "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": f"DynamoDB_20120810.{target}"})
    botocore.auth.SigV4Auth(botocore.credentials.Credentials(KEY, SECRET), "dynamodb", REGION).add_auth(request)
    return request.headers.items(), data


def sign(args):
    print(f"-- {args.op}: {args.rotate} requests, signed by botocore's SigV4Auth (valid for 15 minutes)")
    print("local signed = {")
    for i in range(args.rotate):
        headers, data = signed(args.port, args.op, i)
        table = "{" + ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in headers) + "}"
        print(f"  {{{table}, {lua_string(data)}}},")
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
      requests[#requests + 1] = wrk.format("POST", "/", r[1], r[2])
    end
  end
end
function request()
  n = n % #requests + 1
  return requests[n]
end""")


def count(args):
    ddb = client(args.port)
    total = 0
    for i in range(args.rotate):
        item = ddb.get_item(TableName=TABLE, Key={"pk": {"S": "p00"}, "sk": {"N": str(i)}})["Item"]
        total += int(item["n"]["N"])
    print(total)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("seed")
    p.add_argument("--port", required=True)
    p.set_defaults(run=seed)
    p = sub.add_parser("sign")
    p.add_argument("--port", required=True)
    p.add_argument("--op", required=True, choices=["get", "put", "query", "update"])
    p.add_argument("--rotate", type=int, default=16, help="N distinct requests, taken in turn (default 16)")
    p.add_argument("--threads", type=int, default=2, help="wrk's -t, to share the requests out")
    p.set_defaults(run=sign)
    p = sub.add_parser("count")
    p.add_argument("--port", required=True)
    p.add_argument("--rotate", type=int, default=16)
    p.set_defaults(run=count)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()

"""Athena's SQL dialect on xacct, as sqllogictest-style files (tests/sql/athena/*.test), run through the real
server with boto3: each file's objects are put in S3, then its statements run with StartQueryExecution and their
results are compared with GetQueryResults.

File format (records separated by blank lines; '#' starts a comment line):
  bucket NAME                      creates a bucket
  object s3://BUCKET/KEY [gzip]    the following lines (up to a blank line) are the object's text; `\\t` is a tab
  parquet s3://BUCKET/KEY          the following SELECT (DuckDB SQL) is written as a Parquet object
  statement ok                     the following SQL succeeds
  statement error TEXT             the following SQL fails; StateChangeReason contains TEXT
  query [TYPE ...]                 the following SQL, a line `----`, then the expected rows (no header row),
                                   cells separated by tabs, NULL for a null; TYPEs are Athena's column types
"""
import glob
import gzip
import os
import subprocess
import tempfile
import time
import unittest

from harness import REGION, XACCT, ServerTest

CASES = os.path.join(os.path.dirname(__file__), "..", "sql", "athena")


def records(path):
    """(line number, [lines]) of each record of a .test file."""
    out, current, start = [], [], 0
    with open(path) as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if line.startswith("#") and not current:
                continue
            if not line.strip():
                if current:
                    out.append((start, current))
                current = []
                continue
            if not current:
                start = number
            current.append(line)
    if current:
        out.append((start, current))
    return out


class AthenaDialectTest(ServerTest):
    def setUp(self):
        self.s3 = self.server.root("s3", "source")
        self.athena = self.server.root("athena", "source")
        if not getattr(type(self), "results_bucket", None):
            self.s3.create_bucket(Bucket="dialect-results", CreateBucketConfiguration={"LocationConstraint": REGION})
            type(self).results_bucket = "dialect-results"

    def run_sql(self, sql):
        qid = self.athena.start_query_execution(
            QueryString=sql, ResultConfiguration={"OutputLocation": "s3://dialect-results/"})["QueryExecutionId"]
        for _ in range(3000):
            execution = self.athena.get_query_execution(QueryExecutionId=qid)["QueryExecution"]
            if execution["Status"]["State"] in ("SUCCEEDED", "FAILED", "CANCELLED"):
                return qid, execution
            time.sleep(0.01)
        self.fail(f"query did not finish: {sql}")

    def results(self, qid):
        pages = self.athena.get_paginator("get_query_results").paginate(QueryExecutionId=qid)
        rows, types = [], None
        for page in pages:
            result = page["ResultSet"]
            types = types or [c["Type"] for c in result["ResultSetMetadata"]["ColumnInfo"]]
            rows += [["NULL" if "VarCharValue" not in c else c["VarCharValue"] for c in r["Data"]]
                     for r in result["Rows"]]
        return types, rows[1:]  # the first row is the header

    def put_object(self, uri, body):
        bucket, key = uri[len("s3://"):].split("/", 1)
        self.s3.put_object(Bucket=bucket, Key=key, Body=body)

    def run_file(self, path):
        name = os.path.basename(path)
        for line, lines in records(path):
            head, body = lines[0].split(), lines[1:]
            where = f"{name}:{line}"
            if head[0] == "bucket":
                self.s3.create_bucket(Bucket=head[1], CreateBucketConfiguration={"LocationConstraint": REGION})
            elif head[0] == "object":
                text = ("\n".join(body) + "\n").replace("\\t", "\t").encode()
                self.put_object(head[1], gzip.compress(text) if "gzip" in head[2:] else text)
            elif head[0] == "parquet":
                with tempfile.TemporaryDirectory() as d:
                    target = os.path.join(d, "f.parquet")
                    sql = "COPY (" + " ".join(body) + f") TO '{target}' (FORMAT parquet)"
                    out = subprocess.run([XACCT, "duckdb", sql], capture_output=True, text=True)
                    self.assertEqual(out.returncode, 0, f"{where}: {out.stderr}")
                    with open(target, "rb") as f:
                        self.put_object(head[1], f.read())
            elif head[0] == "statement":
                sql = "\n".join(body)
                _, execution = self.run_sql(sql)
                status = execution["Status"]
                if head[1] == "ok":
                    self.assertEqual(status["State"], "SUCCEEDED", f"{where}: {sql}\n{status}")
                else:
                    expected = lines[0].split(None, 2)[2]
                    self.assertEqual(status["State"], "FAILED", f"{where}: {sql} did not fail")
                    self.assertIn(expected, status.get("StateChangeReason", ""), where)
            elif head[0] == "query":
                split = body.index("----")
                sql, expected = "\n".join(body[:split]), [r.split("\t") for r in body[split + 1:]]
                qid, execution = self.run_sql(sql)
                self.assertEqual(execution["Status"]["State"], "SUCCEEDED",
                                 f"{where}: {sql}\n{execution['Status']}")
                types, rows = self.results(qid)
                if head[1:]:
                    self.assertEqual(types, head[1:], where)
                self.assertEqual(rows, expected, f"{where}: {sql}")
            else:
                self.fail(f"{where}: unknown record {head[0]}")

    def test_every_file(self):
        files = sorted(glob.glob(os.path.join(CASES, "*.test")))
        self.assertTrue(files, "no .test files")
        for path in files:
            with self.subTest(file=os.path.basename(path)):
                self.run_file(path)


if __name__ == "__main__":
    unittest.main()

#!/usr/bin/env python3
"""Athena on DuckDB (issue 6, section 5): xacct end to end against raw DuckDB on the same files, side by side.

  (a) ~1 GiB of deterministic CSV (FILES x MIB MiB; id bigint, product string, amount int, price double,
      date string, region string) is generated with the bundled DuckDB, uploaded with boto3 (multipart) to a
      fresh `xacct serve` (default durability; its data dir in this run's temp dir), and declared through
      Athena DDL: `src` (TEXTFILE, ','), `text_target` (TEXTFILE, ',': written gzip, Athena's default) and
      `parquet_target` (STORED AS PARQUET).
  (b) StartQueryExecution -> SUCCEEDED as a client sees it (get_query_execution every ~5 ms) for
        INSERT INTO text_target SELECT * FROM src
        INSERT INTO parquet_target SELECT * FROM src
        SELECT product, count(*), sum(amount), avg(price) FROM src GROUP BY product
      each against raw DuckDB (`xacct duckdb`, the same library and thread count) doing the same on the
      local copies of the files: a COPY ... TO (csv gzip / parquet with the codec xacct's file has) or the
      SELECT. Raw runs once as a user would write it (typed read_csv) and once with xacct's own scan SQL
      (VARCHAR columns + TRY_CAST, the table_scan.cpp view), to split engine-level from plumbing costs.
      REPS repetitions, interleaved; medians. The targets' objects are deleted between repetitions.
  (c) a query over seed 000's 10-row sales.csv: start -> SUCCEEDED over SMALL runs (polling every ~1 ms),
      median and p90, with the server's Statistics.TotalExecutionTimeInMillis.

Everything runs on 127.0.0.1; the temp dir (2-3 GiB at its peak) is removed at the end.
Usage: bench/athena_bench.py [--build build] [--files 8] [--mib 128] [--reps 3] [--small 50] [--only SELECT] [--tmp DIR]
"""
import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

import boto3
import botocore.config

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SALES = "/work/shared/scenarios/seed000/source/sample-data/sales.csv"
REGION = "ap-northeast-1"
ACCOUNT = ("111111111111", "AKIASOURCE0000000001", "xacct/source/root/secret/key/00000000001")  # "source" root
BUCKET, RESULTS = "bench-data", "bench-results"
COLUMNS = [("id", "bigint", "BIGINT"), ("product", "string", "VARCHAR"), ("amount", "int", "INTEGER"),
           ("price", "double", "DOUBLE"), ("date", "string", "VARCHAR"), ("region", "string", "VARCHAR")]
GROUP_BY = "SELECT product, count(*), sum(amount), avg(price) FROM {src} GROUP BY product"


def q(s):
    return "'" + s.replace("'", "''") + "'"


class Bench:
    def __init__(self, args):
        self.args = args
        self.xacct = os.path.abspath(os.path.join(args.build, "xacct"))
        self.tmp = tempfile.mkdtemp(prefix="xacct-athena-bench-", dir=args.tmp)
        self.csv_dir = os.path.join(self.tmp, "csv")
        self.out_dir = os.path.join(self.tmp, "raw-out")
        os.makedirs(self.csv_dir)
        os.makedirs(self.out_dir)
        self.proc = None

    # ---- helpers -------------------------------------------------------------------------------------------
    def duck(self, sql):
        """One statement on the bundled DuckDB (`xacct duckdb`); returns (seconds, stdout)."""
        t0 = time.perf_counter()
        out = subprocess.run([self.xacct, "duckdb", sql], capture_output=True, text=True)
        dt = time.perf_counter() - t0
        if out.returncode != 0:
            raise RuntimeError(f"xacct duckdb failed: {out.stderr}\n{sql[:500]}")
        return dt, out.stdout

    def start_server(self):
        data = os.path.join(self.tmp, "data")
        self.log = open(os.path.join(self.tmp, "serve.out"), "w+")
        self.proc = subprocess.Popen([self.xacct, "serve", "--port", "0", "--data-dir", data],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(400):
            self.log.seek(0)
            text = self.log.read()
            if "ready on http://" in text:
                port = int(text.split("ready on http://")[1].split(" ")[0].rsplit(":", 1)[1])
                break
            if self.proc.poll() is not None:
                raise RuntimeError("xacct serve exited: " + text)
            time.sleep(0.025)
        else:
            raise RuntimeError("xacct serve did not start")
        session = boto3.session.Session(aws_access_key_id=ACCOUNT[1], aws_secret_access_key=ACCOUNT[2],
                                        region_name=REGION)
        cfg = botocore.config.Config(retries={"max_attempts": 1}, max_pool_connections=4)
        endpoint = f"http://127.0.0.1:{port}"
        self.s3 = session.client("s3", endpoint_url=endpoint, config=cfg)
        self.athena = session.client("athena", endpoint_url=endpoint, config=cfg)

    def stop_server(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def query(self, sql, poll=None):
        """StartQueryExecution -> a final state; returns (client seconds, execution)."""
        poll = self.args.poll if poll is None else poll
        t0 = time.perf_counter()
        qid = self.athena.start_query_execution(
            QueryString=sql, QueryExecutionContext={"Database": "bench"},
            ResultConfiguration={"OutputLocation": f"s3://{RESULTS}/"})["QueryExecutionId"]
        while True:
            ex = self.athena.get_query_execution(QueryExecutionId=qid)["QueryExecution"]
            if ex["Status"]["State"] in ("SUCCEEDED", "FAILED", "CANCELLED"):
                dt = time.perf_counter() - t0
                break
            time.sleep(poll)
        if ex["Status"]["State"] != "SUCCEEDED":
            raise RuntimeError(f"{sql}: {ex['Status']}")
        return dt, ex

    def clear(self, prefix):
        keys = []
        for page in self.s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix):
            keys += [{"Key": o["Key"]} for o in page.get("Contents", [])]
        for i in range(0, len(keys), 1000):
            self.s3.delete_objects(Bucket=BUCKET, Delete={"Objects": keys[i:i + 1000]})

    def sizes(self, prefix):
        total = 0
        for page in self.s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix):
            total += sum(o["Size"] for o in page.get("Contents", []))
        return total

    # ---- (a) data ------------------------------------------------------------------------------------------
    def generate(self):
        rows = self.args.mib * 1024 * 1024 // 58  # ~58 bytes a row
        t0 = time.perf_counter()
        self.files = []
        for f in range(self.args.files):
            path = os.path.join(self.csv_dir, f"part-{f:02d}.csv")
            lo, hi = f * rows, (f + 1) * rows
            self.duck(
                f"COPY (SELECT i AS id, 'product_' || lpad(((i * 2654435761) % 50)::VARCHAR, 2, '0') AS product, "
                f"((i * 40503) % 10000)::INTEGER AS amount, ((i * 7919) % 1000000) / 100.0 AS price, "
                f"strftime(DATE '2024-01-01' + ((i * 31) % 366)::INTEGER, '%Y-%m-%d') AS date, "
                f"['ap-northeast-1', 'us-east-1', 'eu-west-1', 'us-west-2', 'ap-southeast-2'][1 + i % 5] AS region "
                f"FROM range({lo}, {hi}) t(i)) TO {q(path)} (FORMAT csv, HEADER false, DELIMITER ',')")
            self.files.append(path)
        self.bytes = sum(os.path.getsize(p) for p in self.files)
        self.rows = rows * self.args.files
        print(f"generated {self.args.files} files, {self.bytes / 2**20:.0f} MiB, {self.rows:,} rows "
              f"in {time.perf_counter() - t0:.1f} s", flush=True)

    def upload(self):
        for b in (BUCKET, RESULTS):
            self.s3.create_bucket(Bucket=b, CreateBucketConfiguration={"LocationConstraint": REGION})
        t0 = time.perf_counter()
        for p in self.files:
            self.s3.upload_file(p, BUCKET, "src/" + os.path.basename(p))
        dt = time.perf_counter() - t0
        print(f"uploaded with boto3 upload_file (multipart) in {dt:.1f} s ({self.bytes / 2**20 / dt:.0f} MiB/s)",
              flush=True)
        cols = ",\n  ".join(f"`{n}` {h}" for n, h, _ in COLUMNS)
        ddl = [
            "CREATE DATABASE IF NOT EXISTS bench",
            f"CREATE EXTERNAL TABLE bench.src (\n  {cols}\n) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' "
            f"STORED AS TEXTFILE LOCATION 's3://{BUCKET}/src/'",
            f"CREATE EXTERNAL TABLE bench.text_target (\n  {cols}\n) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' "
            f"STORED AS TEXTFILE LOCATION 's3://{BUCKET}/text_target/'",
            f"CREATE EXTERNAL TABLE bench.parquet_target (\n  {cols}\n) STORED AS PARQUET "
            f"LOCATION 's3://{BUCKET}/parquet_target/'",
            "CREATE EXTERNAL TABLE bench.sales (id int, product string, amount int, `date` string) "
            f"ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' STORED AS TEXTFILE LOCATION 's3://{BUCKET}/sales/' "
            "TBLPROPERTIES ('skip.header.line.count' = '1')",
        ]
        for sql in ddl:
            self.query(sql)
        self.s3.upload_file(SALES, BUCKET, "sales/sales.csv")

    # ---- raw DuckDB statements -----------------------------------------------------------------------------
    def raw_sources(self):
        files = "[" + ", ".join(q(p) for p in self.files) + "]"
        typed = "{" + ", ".join(f"{q(n)}: {q(d)}" for n, _, d in COLUMNS) + "}"
        natural = f"read_csv({files}, columns={typed}, header=false, delim=',', auto_detect=false)"
        # What sql::ScanSql makes of `src` (table_scan.cpp), with the local paths.
        raw = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(COLUMNS))) + "}"
        proj = ", ".join(f"c{i} AS \"{n}\"" if d == "VARCHAR" else f"TRY_CAST(c{i} AS {d}) AS \"{n}\""
                         for i, (n, _, d) in enumerate(COLUMNS))
        xacct_like = (f"(SELECT {proj} FROM read_csv({files}, columns={raw}, header=false, auto_detect=false, "
                      f"null_padding=true, strict_mode=false, compression='none', delim=',', quote='', escape='', "
                      f"nullstr='\\N'))")
        return {"typed read_csv": natural, "xacct's scan SQL": xacct_like}

    def raw_statements(self, source, codec, tag):
        gz = os.path.join(self.out_dir, f"{tag}.csv.gz")
        pq = os.path.join(self.out_dir, f"{tag}.parquet")
        return {
            "INSERT text (gzip)": (f"COPY (SELECT * FROM {source}) TO {q(gz)} "
                                   f"(FORMAT csv, DELIMITER ',', COMPRESSION gzip, HEADER false)", gz),
            "INSERT parquet": (f"COPY (SELECT * FROM {source}) TO {q(pq)} (FORMAT parquet, COMPRESSION {codec})", pq),
            "SELECT GROUP BY": (GROUP_BY.format(src=source), None),
        }

    # ---- (b) ------------------------------------------------------------------------------------------------
    def big(self):
        xsql = {
            "INSERT text (gzip)": ("INSERT INTO text_target SELECT * FROM src", "text_target/"),
            "INSERT parquet": ("INSERT INTO parquet_target SELECT * FROM src", "parquet_target/"),
            "SELECT GROUP BY": (GROUP_BY.format(src="src"), None),
        }
        # Warm-up: loads libduckdb in the server, reads the files once into the page cache on both sides.
        self.query("SELECT count(*) FROM src")
        self.duck(f"SELECT count(*) FROM {self.raw_sources()['typed read_csv']}")
        # The parquet codec xacct writes (checked on its file, not assumed).
        self.query(xsql["INSERT parquet"][0])
        key = self.s3.list_objects_v2(Bucket=BUCKET, Prefix="parquet_target/")["Contents"][0]["Key"]
        sample = os.path.join(self.out_dir, "xacct-sample.parquet")
        self.s3.download_file(BUCKET, key, sample)
        _, codec = self.duck(f"SELECT DISTINCT compression FROM parquet_metadata({q(sample)})")
        codec = codec.strip().splitlines()[-1].strip().lower()
        os.remove(sample)
        self.clear("parquet_target/")
        print(f"xacct's parquet files are {codec}-compressed: the raw COPY uses COMPRESSION {codec}", flush=True)
        startup = statistics.median(self.duck("SELECT 1")[0] for _ in range(9))
        self.startup = startup
        print(f"`xacct duckdb` process start-up (median of 9 runs of SELECT 1): {startup * 1000:.0f} ms; "
              "it is subtracted from the raw times", flush=True)

        sources = self.raw_sources()
        self.results = {}  # (label, side) -> [seconds]
        self.outputs = {}
        for label, (sql, prefix) in xsql.items():
            if self.args.only and self.args.only not in label:
                continue
            print(f"\n{label}:", flush=True)
            for rep in range(self.args.reps):
                dt, ex = self.query(sql)
                st = ex.get("Statistics", {})
                self.results.setdefault((label, "xacct"), []).append(dt)
                self.results.setdefault((label, "xacct engine"), []).append(
                    st.get("EngineExecutionTimeInMillis", 0) / 1000)
                self.results.setdefault((label, "xacct total"), []).append(
                    st.get("TotalExecutionTimeInMillis", 0) / 1000)
                line = (f"  rep {rep + 1}: xacct {dt:7.2f} s (server total {st.get('TotalExecutionTimeInMillis')} ms, "
                        f"engine {st.get('EngineExecutionTimeInMillis')} ms)")
                if prefix:
                    self.outputs[(label, "xacct")] = self.sizes(prefix)
                    self.clear(prefix)
                for side, source in sources.items():
                    raw_sql, out = self.raw_statements(source, codec, side.split()[0])[label]
                    rdt, _ = self.duck(raw_sql)
                    rdt = max(rdt - startup, 1e-6)
                    self.results.setdefault((label, side), []).append(rdt)
                    if out:
                        self.outputs[(label, side)] = os.path.getsize(out)
                        os.remove(out)
                    line += f" | raw ({side}) {rdt:7.2f} s"
                print(line, flush=True)

    # ---- (c) ------------------------------------------------------------------------------------------------
    def small(self):
        sql = "SELECT * FROM sales"
        for _ in range(3):
            self.query(sql, poll=0.001)  # warm-up
        # One get_query_execution round trip, for scale (the client's own cost per poll).
        qid = self.athena.start_query_execution(
            QueryString="SELECT 1", ResultConfiguration={"OutputLocation": f"s3://{RESULTS}/"})["QueryExecutionId"]
        rtts = []
        for _ in range(20):
            t1 = time.perf_counter()
            self.athena.get_query_execution(QueryExecutionId=qid)
            rtts.append(time.perf_counter() - t1)
        self.rtt = statistics.median(rtts)
        client, server, engine = [], [], []
        for _ in range(self.args.small):
            dt, ex = self.query(sql, poll=0.001)
            client.append(dt)
            server.append(ex["Statistics"].get("TotalExecutionTimeInMillis", 0))
            engine.append(ex["Statistics"].get("EngineExecutionTimeInMillis", 0))
        self.small_stats = (client, server, engine)

    # ---- report ---------------------------------------------------------------------------------------------
    def report(self):
        med = lambda xs: statistics.median(xs)
        print(f"\nmachine: {os.cpu_count()} cores ({cpu_model()}); data {self.bytes / 2**20:.0f} MiB in "
              f"{self.args.files} files, {self.rows:,} rows; {self.args.reps} repetitions, medians; raw = "
              f"`xacct duckdb` wall time minus its {self.startup * 1000:.0f} ms start-up")
        print("\n| statement | xacct start→SUCCEEDED | server total / engine | raw DuckDB (typed read_csv) | "
              "ratio | raw DuckDB (xacct's scan SQL) | ratio | output bytes xacct / raw |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for label in ("INSERT text (gzip)", "INSERT parquet", "SELECT GROUP BY"):
            if (label, "xacct") not in self.results:
                continue
            x = med(self.results[(label, "xacct")])
            total = med(self.results[(label, "xacct total")])
            eng = med(self.results[(label, "xacct engine")])
            r1 = med(self.results[(label, "typed read_csv")])
            r2 = med(self.results[(label, "xacct's scan SQL")])
            outs = ""
            if (label, "xacct") in self.outputs:
                outs = (f"{self.outputs[(label, 'xacct')] / 2**20:.0f} / "
                        f"{self.outputs[(label, 'typed read_csv')] / 2**20:.0f} MiB")
            print(f"| {label} | {x:.2f} s | {total:.2f} / {eng:.2f} s | {r1:.2f} s | **{x / r1:.2f}×** | "
                  f"{r2:.2f} s | {x / r2:.2f}× | {outs} |")
        print("\nper-repetition seconds:")
        for (label, side), xs in self.results.items():
            print(f"  {label:20s} {side:18s} " + " ".join(f"{v:.2f}" for v in xs))
        client, server, engine = self.small_stats
        cs = sorted(client)
        p90 = cs[min(len(cs) - 1, int(round(0.9 * len(cs))) - 1)]
        print(f"\n10-row table (seed 000 sales.csv), `SELECT * FROM sales`, {len(client)} runs, polling every ~1 ms "
              f"(one get_query_execution round trip: {self.rtt * 1000:.1f} ms):")
        print(f"  client start→SUCCEEDED: median {med(client) * 1000:.1f} ms, p90 {p90 * 1000:.1f} ms, "
              f"min {cs[0] * 1000:.1f} ms, max {cs[-1] * 1000:.1f} ms (target ≤ 20 ms)")
        ss = sorted(server)
        print(f"  server TotalExecutionTimeInMillis: median {med(server):.0f} ms, "
              f"p90 {ss[min(len(ss) - 1, int(round(0.9 * len(ss))) - 1)]} ms; "
              f"EngineExecutionTimeInMillis median {med(engine):.0f} ms")

    def cleanup(self):
        self.stop_server()
        shutil.rmtree(self.tmp, ignore_errors=True)


def cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return "?"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build", default=os.path.join(ROOT, "build"), help="build dir with xacct (default build)")
    p.add_argument("--files", type=int, default=8)
    p.add_argument("--mib", type=int, default=128, help="MiB per CSV file")
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--small", type=int, default=50, help="runs of the 10-row query")
    p.add_argument("--poll", type=float, default=0.005, help="seconds between polls for (a)/(b) (default 0.005)")
    p.add_argument("--only", default=None, help="run only the statements whose label contains this (e.g. SELECT)")
    p.add_argument("--tmp", default=None, help="parent of the temp dir (default: the system's)")
    args = p.parse_args()
    b = Bench(args)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        print(f"temp dir {b.tmp} (free: {shutil.disk_usage(b.tmp).free / 2**30:.0f} GiB); "
              f"xacct {b.xacct} (default durability, data dir under the temp dir)", flush=True)
        b.generate()
        b.start_server()
        b.upload()
        b.big()
        b.small()
        b.report()
    finally:
        b.cleanup()


if __name__ == "__main__":
    main()

"""Amazon S3 through every AWS CLI generation on this machine (the image's v1, which signs with botocore 1.43
and sends CRC32 checksums; Debian's v2.9, which sends Content-MD5): the `aws s3` commands (AWS CLI Command
Reference, "s3": mb, ls, cp, sync, rm, rb, presign) and a few `aws s3api` ones, checked with boto3.

Runs against the real `xacct serve`, or against XACCT_S3_ENDPOINT (see test_s3_api)."""
import filecmp
import json
import math
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from harness import cli_commands
from s3_util import S3Test, error_of, run_cli

MiB = 1024 * 1024


class S3CliTest(S3Test):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clis = cli_commands()
        cls.tmp = tempfile.mkdtemp(prefix="xacct-s3-cli-")
        cls.addClassCleanup(shutil.rmtree, cls.tmp, ignore_errors=True)

    def setUp(self):
        self.assertTrue(self.clis, "no AWS CLI on this machine")

    def each_cli(self, body, *extra):
        """Runs body(command, version, *extra_i) for every CLI generation at once (each CLI run spends about a
        second starting up), then reports each generation's failure as its own subtest."""
        runs = [(command, version, *[e[i] for e in extra]) for i, (command, version) in enumerate(self.clis)]
        with ThreadPoolExecutor(len(runs)) as pool:
            futures = [pool.submit(body, *run) for run in runs]
        for run, future in zip(runs, futures):
            with self.subTest(version=run[1], extra=run[2:] or None):
                error = future.exception()
                if error is not None:
                    raise error

    def aws(self, command, *args, ok=True, cwd=None):
        code, out, err = run_cli(self.server, command, list(args), cwd=cwd)
        if ok:
            self.assertEqual(code, 0, f"{command} {' '.join(args)}: {err}")
        else:
            self.assertNotEqual(code, 0, f"{command} {' '.join(args)} was expected to fail: {out}")
        return out, err

    def workdir(self, version):
        path = os.path.join(self.tmp, f"{version.replace('/', '-')}-{uuid.uuid4().hex[:8]}")
        os.makedirs(path)
        return path

    @staticmethod
    def bucket_name(version):
        return f"cli-{version.split('/')[1].split('.')[0]}-{uuid.uuid4().hex[:12]}"

    def keys(self, bucket, prefix=""):
        out = self.s3().list_objects_v2(Bucket=bucket, Prefix=prefix)
        return sorted(o["Key"] for o in out.get("Contents", []))

    def test_mb_ls_cp_rm_rb(self):
        def run(command, version):
            bucket, work = self.bucket_name(version), self.workdir(version)
            out, _ = self.aws(command, "s3", "mb", f"s3://{bucket}")
            self.assertIn(f"make_bucket: {bucket}", out)
            self.assertEqual(self.s3().get_bucket_location(Bucket=bucket)["LocationConstraint"], "ap-northeast-1")
            out, _ = self.aws(command, "s3", "ls")
            self.assertIn(bucket, [line.split()[-1] for line in out.splitlines()])

            local = os.path.join(work, "report.csv")
            with open(local, "wb") as f:
                f.write(b"id,value\n" + b"1,2\n" * 1000)
            out, _ = self.aws(command, "s3", "cp", "report.csv", f"s3://{bucket}/reports/2024/report.csv", cwd=work)
            self.assertIn(f"upload: ./report.csv to s3://{bucket}/reports/2024/report.csv", out)
            out, _ = self.aws(command, "s3", "ls", f"s3://{bucket}/reports/2024/")
            [line] = out.splitlines()
            self.assertEqual(line.split()[-2:], [str(os.path.getsize(local)), "report.csv"])
            out, _ = self.aws(command, "s3", "ls", f"s3://{bucket}/")
            self.assertEqual([line.split() for line in out.splitlines()], [["PRE", "reports/"]])

            down = os.path.join(work, "down.csv")
            self.aws(command, "s3", "cp", f"s3://{bucket}/reports/2024/report.csv", down)
            self.assertTrue(filecmp.cmp(local, down, shallow=False))

            out, _ = self.aws(command, "s3", "rm", f"s3://{bucket}/reports/2024/report.csv")
            self.assertIn(f"delete: s3://{bucket}/reports/2024/report.csv", out)
            self.assertEqual(self.keys(bucket), [])
            out, _ = self.aws(command, "s3", "rb", f"s3://{bucket}")
            self.assertIn(f"remove_bucket: {bucket}", out)
            code, status, _ = error_of(self.s3().head_bucket, Bucket=bucket)
            self.assertEqual((code, status), ("404", 404))

        self.each_cli(run)

    def test_sync_rm_recursive_and_rb_force(self):
        tree = {"a.txt": b"alpha", "sub/b.txt": b"bravo" * 100, "sub/deeper/c.bin": os.urandom(3000),
                "with space/d é.txt": b"delta"}

        def run(command, version):
            bucket, work = self.bucket_name(version), self.workdir(version)
            self.s3().create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "ap-northeast-1"})
            src = os.path.join(work, "tree")
            hour_ago = time.time() - 3600  # older than any LastModified, so a second sync has nothing to do
            for name, data in tree.items():
                path = os.path.join(src, name)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "wb") as f:
                    f.write(data)
                os.utime(path, (hour_ago, hour_ago))

            out, _ = self.aws(command, "s3", "sync", src, f"s3://{bucket}/site")
            self.assertEqual(sorted(line.split(" to ")[-1] for line in out.splitlines() if "upload:" in line),
                             sorted(f"s3://{bucket}/site/{name}" for name in tree))
            self.assertEqual(self.keys(bucket), sorted(f"site/{name}" for name in tree))
            for name, data in tree.items():
                self.assertEqual(self.s3().get_object(Bucket=bucket, Key=f"site/{name}")["Body"].read(), data)

            out, _ = self.aws(command, "s3", "sync", src, f"s3://{bucket}/site")
            self.assertNotIn("upload:", out)

            with open(os.path.join(src, "sub", "b.txt"), "wb") as f:
                f.write(b"changed")
            out, _ = self.aws(command, "s3", "sync", src, f"s3://{bucket}/site")
            self.assertEqual([line.split(" to ")[-1] for line in out.splitlines() if "upload:" in line],
                             [f"s3://{bucket}/site/sub/b.txt"])

            down = os.path.join(work, "down")
            self.aws(command, "s3", "sync", f"s3://{bucket}/site", down)
            comparison = filecmp.dircmp(src, down)
            self.assertEqual(self.differences(comparison), [])

            out, _ = self.aws(command, "s3", "rm", "--recursive", f"s3://{bucket}/site/sub/")
            self.assertEqual(sorted(line.split("delete: ")[-1] for line in out.splitlines() if "delete:" in line),
                             [f"s3://{bucket}/site/sub/b.txt", f"s3://{bucket}/site/sub/deeper/c.bin"])
            self.assertEqual(self.keys(bucket), ["site/a.txt", "site/with space/d é.txt"])

            _, err = self.aws(command, "s3", "rb", f"s3://{bucket}", ok=False)
            self.assertIn("BucketNotEmpty", err)
            out, _ = self.aws(command, "s3", "rb", "--force", f"s3://{bucket}")
            self.assertIn(f"remove_bucket: {bucket}", out)
            code, status, _ = error_of(self.s3().head_bucket, Bucket=bucket)
            self.assertEqual((code, status), ("404", 404))

        self.each_cli(run)

    def differences(self, comparison):
        """Files that differ or exist on one side only, in a filecmp.dircmp and its subdirectories."""
        found = comparison.left_only + comparison.right_only + comparison.funny_files
        _, mismatch, errors = filecmp.cmpfiles(comparison.left, comparison.right, comparison.common_files,
                                               shallow=False)
        found += mismatch + errors
        for sub in comparison.subdirs.values():
            found += self.differences(sub)
        return found

    def test_large_file_round_trip(self):
        """A multipart upload by the CLI (8 MiB parts by default) and a download in ranged GETs: 100 MiB with
        the first CLI generation, 20 MiB with the other (to keep the run short)."""
        def run(command, version, size):
            bucket, work = self.bucket_name(version), self.workdir(version)
            self.s3().create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "ap-northeast-1"})
            local, down = os.path.join(work, "big.bin"), os.path.join(work, "big.down")
            with open(local, "wb") as f:
                block = os.urandom(MiB)
                for i in range(size // MiB):
                    piece = block[:-4] + i.to_bytes(4, "big")  # no two MiB alike
                    f.write(piece)
            self.aws(command, "s3", "cp", local, f"s3://{bucket}/big.bin")
            head = self.s3().head_object(Bucket=bucket, Key="big.bin")
            self.assertEqual(head["ContentLength"], size)
            self.assertTrue(head["ETag"].endswith(f'-{math.ceil(size / (8 * MiB))}"'), head["ETag"])
            self.aws(command, "s3", "cp", f"s3://{bucket}/big.bin", down)
            self.assertEqual(os.path.getsize(down), size)
            self.assertTrue(filecmp.cmp(local, down, shallow=False), "the download differs from the upload")
            os.remove(local)
            os.remove(down)

        self.each_cli(run, [100 * MiB, 20 * MiB])

    def test_s3api_policy_versioning_and_tagging(self):
        def run(command, version):
            bucket = self.bucket_name(version)
            self.s3().create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "ap-northeast-1"})
            document = {"Version": "2012-10-17", "Statement": [{
                "Sid": "TargetReads", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::222222222222:root"},
                "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"}]}
            self.aws(command, "s3api", "put-bucket-policy", "--bucket", bucket, "--policy", json.dumps(document))
            out, _ = self.aws(command, "s3api", "get-bucket-policy", "--bucket", bucket)
            self.assertEqual(json.loads(json.loads(out)["Policy"]), document)

            self.aws(command, "s3api", "put-bucket-versioning", "--bucket", bucket,
                     "--versioning-configuration", "Status=Enabled")
            self.assertEqual(self.s3().get_bucket_versioning(Bucket=bucket)["Status"], "Enabled")

            self.s3().put_object(Bucket=bucket, Key="tagged.txt", Body=b"x")
            self.aws(command, "s3api", "put-object-tagging", "--bucket", bucket, "--key", "tagged.txt",
                     "--tagging", "TagSet=[{Key=env,Value=prod},{Key=owner,Value=data team}]")
            tags = self.s3().get_object_tagging(Bucket=bucket, Key="tagged.txt")["TagSet"]
            self.assertEqual(sorted((t["Key"], t["Value"]) for t in tags), [("env", "prod"), ("owner", "data team")])

        self.each_cli(run)

    def test_presign_fetched_with_curl(self):
        """`aws s3 presign`: CLI v1 signs the URL with SigV2 query parameters in ap-northeast-1 (botocore's
        default for presigned S3 URLs in regions that accept SigV2), CLI v2 with SigV4."""
        bucket = self.new_bucket()
        body = os.urandom(5000)
        self.s3().put_object(Bucket=bucket, Key="dir/shared file.bin", Body=body)

        def run(command, version):
            work = self.workdir(version)
            out, _ = self.aws(command, "s3", "presign", f"s3://{bucket}/dir/shared file.bin", "--expires-in", "300")
            url = out.strip()
            self.assertTrue(url.startswith(self.server.endpoint), url)
            target = os.path.join(work, "fetched")
            status = subprocess.run(["curl", "-sS", "-o", target, "-w", "%{http_code}", url],
                                    capture_output=True, text=True, timeout=60)
            self.assertEqual(status.stdout, "200", status.stderr)
            with open(target, "rb") as f:
                self.assertTrue(f.read() == body, "the presigned download differs")
            tampered = url.replace("Signature=", "Signature=AAAA", 1)
            status = subprocess.run(["curl", "-sS", "-o", target, "-w", "%{http_code}", tampered],
                                    capture_output=True, text=True, timeout=60)
            self.assertEqual(status.stdout, "403")
            with open(target, "rb") as f:
                self.assertIn(b"<Code>SignatureDoesNotMatch</Code>", f.read())

        self.each_cli(run)



if __name__ == "__main__":
    import unittest
    unittest.main()

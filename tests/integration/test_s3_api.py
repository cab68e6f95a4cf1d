"""Amazon S3 through boto3, as a specification of real S3's behaviour: buckets and their defaults, objects,
checksums, listing, odd keys, versioning, tagging, bucket policies and Block Public Access, multipart uploads,
presigned URLs, virtual-hosted addressing, and the errors S3 answers with. Each class names the S3 API
Reference pages it follows (https://docs.aws.amazon.com/AmazonS3/latest/API/API_<Operation>.html).

Runs against the real `xacct serve`; with XACCT_S3_ENDPOINT=http://127.0.0.1:PORT it runs against that
endpoint instead (e.g. `moto_server -p PORT`, to check the suite itself), skipping only what needs xacct."""
import datetime
import hashlib
import io
import json
import os
import socket
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager
from unittest import mock

from harness import REGION
from s3_util import (S3Test, b64, checksum, crc64nvme, fetch, md5_b64, multipart_etag, needs_xacct, send, signed,
                     signed_chunks)

MiB = 1024 * 1024


def etag_of(data):
    return f'"{hashlib.md5(data).hexdigest()}"'


def policy(statements):
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


class BucketTest(S3Test):
    """CreateBucket, HeadBucket, ListBuckets, GetBucketLocation, DeleteBucket; bucket naming rules (User Guide,
    "General purpose bucket naming rules")."""

    def test_create_bucket_with_a_location_constraint(self):
        s3 = self.s3()
        name = f"created-{uuid.uuid4().hex[:12]}"
        out = s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
        self.assertEqual(out["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(s3.get_bucket_location(Bucket=name)["LocationConstraint"], REGION)
        head = s3.head_bucket(Bucket=name)
        self.assertEqual(head["BucketRegion"], REGION)

    def test_location_constraint_must_match_the_region_of_the_endpoint(self):
        s3 = self.s3()
        for config in [None, {"LocationConstraint": "eu-west-1"}]:
            with self.subTest(config=config):
                kwargs = {"CreateBucketConfiguration": config} if config else {}
                self.assertError(s3.create_bucket, "IllegalLocationConstraintException", 400,
                                 Bucket=f"misplaced-{uuid.uuid4().hex[:12]}", **kwargs)

    def test_recreating_your_own_bucket_outside_us_east_1_is_a_conflict(self):
        name = self.new_bucket()
        self.assertError(self.s3().create_bucket, "BucketAlreadyOwnedByYou", 409, Bucket=name,
                         CreateBucketConfiguration={"LocationConstraint": REGION})

    @needs_xacct("several accounts")
    def test_a_name_taken_by_another_account(self):
        name = self.new_bucket()
        self.assertError(self.s3("target").create_bucket, "BucketAlreadyExists", 409, Bucket=name,
                         CreateBucketConfiguration={"LocationConstraint": REGION})

    def test_invalid_bucket_names(self):
        s3 = self.s3()
        for name in ["ab", "a" * 64, "UpperCase", "under_score", "-leading-hyphen", "trailing-hyphen-",
                     "two..dots", "192.168.5.4", "xn--prefixed", "sthree-prefixed", "suffixed-s3alias"]:
            with self.subTest(name=name):
                self.assertError(s3.create_bucket, "InvalidBucketName", 400, Bucket=name,
                                 CreateBucketConfiguration={"LocationConstraint": REGION})

    def test_names_at_the_limits_are_valid(self):
        s3 = self.s3()
        for name in [f"a{uuid.uuid4().hex[:2]}", "b" * 30 + uuid.uuid4().hex + "c", f"dotted.{uuid.uuid4().hex}"]:
            with self.subTest(name=name):
                s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
                s3.head_bucket(Bucket=name)

    def test_head_bucket_that_does_not_exist(self):
        self.assertError(self.s3().head_bucket, "404", 404, Bucket=f"missing-{uuid.uuid4().hex}")

    @needs_xacct("several accounts")
    def test_head_bucket_of_another_account_without_a_policy(self):
        name = self.new_bucket()
        self.assertError(self.s3("target").head_bucket, "403", 403, Bucket=name)

    def test_list_buckets_shows_a_new_bucket(self):
        name = self.new_bucket()
        out = self.s3().list_buckets()
        self.assertIn(name, [b["Name"] for b in out["Buckets"]])
        self.assertTrue(out["Owner"]["ID"])
        self.assertIsInstance(next(b for b in out["Buckets"] if b["Name"] == name)["CreationDate"],
                              datetime.datetime)

    @needs_xacct("several accounts")
    def test_list_buckets_shows_only_the_callers_buckets(self):
        mine, theirs = self.new_bucket(), self.new_bucket(account="target")
        source_names = [b["Name"] for b in self.s3().list_buckets()["Buckets"]]
        target_names = [b["Name"] for b in self.s3("target").list_buckets()["Buckets"]]
        self.assertIn(mine, source_names)
        self.assertNotIn(theirs, source_names)
        self.assertIn(theirs, target_names)
        self.assertNotIn(mine, target_names)

    def test_delete_bucket_only_when_empty(self):
        s3, name = self.s3(), self.new_bucket()
        s3.put_object(Bucket=name, Key="k", Body=b"x")
        self.assertError(s3.delete_bucket, "BucketNotEmpty", 409, Bucket=name)
        s3.delete_object(Bucket=name, Key="k")
        self.assertEqual(s3.delete_bucket(Bucket=name)["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertError(s3.head_bucket, "404", 404, Bucket=name)
        self.assertError(s3.delete_bucket, "NoSuchBucket", 404, Bucket=name)
        self.assertNotIn(name, [b["Name"] for b in s3.list_buckets()["Buckets"]])


class BucketDefaultsTest(S3Test):
    """What a new bucket has without asking (since 2023): Block Public Access on, Object Ownership
    BucketOwnerEnforced (ACLs disabled), SSE-S3 default encryption. GetPublicAccessBlock,
    GetBucketOwnershipControls, GetBucketEncryption, GetBucketAcl, PutObject (x-amz-acl); User Guide,
    "Controlling ownership of objects and disabling ACLs"."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = cls.new_bucket()

    @needs_xacct("Block Public Access on by default")
    def test_public_access_block_is_on(self):
        config = self.s3().get_public_access_block(Bucket=self.bucket)["PublicAccessBlockConfiguration"]
        self.assertEqual(config, {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
                                  "RestrictPublicBuckets": True})

    @needs_xacct("BucketOwnerEnforced by default")
    def test_ownership_is_bucket_owner_enforced(self):
        rules = self.s3().get_bucket_ownership_controls(Bucket=self.bucket)["OwnershipControls"]["Rules"]
        self.assertEqual(rules, [{"ObjectOwnership": "BucketOwnerEnforced"}])

    @needs_xacct("SSE-S3 by default")
    def test_default_encryption_is_sse_s3(self):
        rules = self.s3().get_bucket_encryption(Bucket=self.bucket)["ServerSideEncryptionConfiguration"]["Rules"]
        self.assertEqual(rules[0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"], "AES256")

    @needs_xacct("SSE-S3 by default")
    def test_objects_are_encrypted_with_sse_s3(self):
        s3 = self.s3()
        self.assertEqual(s3.put_object(Bucket=self.bucket, Key="enc", Body=b"x")["ServerSideEncryption"], "AES256")
        self.assertEqual(s3.head_object(Bucket=self.bucket, Key="enc")["ServerSideEncryption"], "AES256")
        self.assertEqual(s3.get_object(Bucket=self.bucket, Key="enc")["ServerSideEncryption"], "AES256")

    @needs_xacct("BucketOwnerEnforced by default")
    def test_acls_other_than_bucket_owner_full_control_are_refused(self):
        s3 = self.s3()
        for acl in ["public-read", "public-read-write", "authenticated-read"]:
            with self.subTest(acl=acl):
                self.assertError(s3.put_object, "AccessControlListNotSupported", 400, Bucket=self.bucket,
                                 Key="acl", Body=b"x", ACL=acl)
        s3.put_object(Bucket=self.bucket, Key="acl", Body=b"x", ACL="bucket-owner-full-control")
        self.assertEqual(s3.get_object(Bucket=self.bucket, Key="acl")["Body"].read(), b"x")

    def test_the_bucket_acl_can_still_be_read(self):
        acl = self.s3().get_bucket_acl(Bucket=self.bucket)
        owner = acl["Owner"]["ID"]
        self.assertTrue(owner)
        self.assertIn({"Grantee": {"ID": owner, "Type": "CanonicalUser"}, "Permission": "FULL_CONTROL"},
                      [{"Grantee": {k: v for k, v in g["Grantee"].items() if k in ("ID", "Type")},
                        "Permission": g["Permission"]} for g in acl["Grants"]])


class ObjectTest(S3Test):
    """PutObject, GetObject, HeadObject, DeleteObject: bodies, metadata, ranges (RFC 9110 byte ranges),
    conditional requests, response header overrides, Content-MD5, and their errors."""

    BODY = b"0123456789abcdefghijklmnopqrstuvwxyz"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = cls.new_bucket()
        cls.s3().put_object(Bucket=cls.bucket, Key="alphabet", Body=cls.BODY)

    def test_put_get_head_delete(self):
        s3, body = self.s3(), os.urandom(3000)
        put = s3.put_object(Bucket=self.bucket, Key="dir/object.bin", Body=body)
        self.assertEqual(put["ETag"], etag_of(body))
        got = s3.get_object(Bucket=self.bucket, Key="dir/object.bin")
        self.assertEqual(got["Body"].read(), body)
        self.assertEqual((got["ETag"], got["ContentLength"]), (etag_of(body), len(body)))
        self.assertIsInstance(got["LastModified"], datetime.datetime)
        self.assertEqual(got["AcceptRanges"], "bytes")
        head = s3.head_object(Bucket=self.bucket, Key="dir/object.bin")
        self.assertEqual((head["ETag"], head["ContentLength"]), (etag_of(body), len(body)))
        self.assertEqual(s3.delete_object(Bucket=self.bucket, Key="dir/object.bin")["ResponseMetadata"]
                         ["HTTPStatusCode"], 204)
        self.assertError(s3.get_object, "NoSuchKey", 404, Bucket=self.bucket, Key="dir/object.bin")
        self.assertError(s3.head_object, "404", 404, Bucket=self.bucket, Key="dir/object.bin")
        # Deleting what is not there succeeds too.
        self.assertEqual(s3.delete_object(Bucket=self.bucket, Key="dir/object.bin")["ResponseMetadata"]
                         ["HTTPStatusCode"], 204)

    def test_an_empty_object(self):
        s3 = self.s3()
        self.assertEqual(s3.put_object(Bucket=self.bucket, Key="empty", Body=b"")["ETag"],
                         '"d41d8cd98f00b204e9800998ecf8427e"')
        got = s3.get_object(Bucket=self.bucket, Key="empty")
        self.assertEqual((got["Body"].read(), got["ContentLength"]), (b"", 0))

    def test_overwrite_replaces_the_object(self):
        s3 = self.s3()
        s3.put_object(Bucket=self.bucket, Key="over", Body=b"first", Metadata={"old": "1"})
        s3.put_object(Bucket=self.bucket, Key="over", Body=b"second")
        got = s3.get_object(Bucket=self.bucket, Key="over")
        self.assertEqual((got["Body"].read(), got["Metadata"]), (b"second", {}))

    def test_user_metadata_and_standard_headers_round_trip(self):
        s3 = self.s3()
        s3.put_object(Bucket=self.bucket, Key="meta", Body=b"{}", Metadata={"color": "blue", "Mixed-Case": "Value"},
                      ContentType="application/json; charset=utf-8", CacheControl="max-age=60",
                      ContentDisposition='attachment; filename="m.json"', ContentLanguage="ja",
                      ContentEncoding="identity")
        for out in [s3.head_object(Bucket=self.bucket, Key="meta"), s3.get_object(Bucket=self.bucket, Key="meta")]:
            # S3 keeps metadata names in lower case.
            self.assertEqual(out["Metadata"], {"color": "blue", "mixed-case": "Value"})
            self.assertEqual(out["ContentType"], "application/json; charset=utf-8")
            self.assertEqual(out["CacheControl"], "max-age=60")
            self.assertEqual(out["ContentDisposition"], 'attachment; filename="m.json"')
            self.assertEqual(out["ContentLanguage"], "ja")

    def test_content_type_defaults_to_binary_octet_stream(self):
        s3 = self.s3()
        s3.put_object(Bucket=self.bucket, Key="untyped", Body=b"x")
        self.assertEqual(s3.head_object(Bucket=self.bucket, Key="untyped")["ContentType"], "binary/octet-stream")

    def test_ranges(self):
        s3, body, n = self.s3(), self.BODY, len(self.BODY)
        for header, start, end in [("bytes=0-9", 0, 9), ("bytes=-5", n - 5, n - 1), ("bytes=10-", 10, n - 1),
                                   ("bytes=30-1000", 30, n - 1), ("bytes=5-5", 5, 5)]:
            with self.subTest(range=header):
                got = s3.get_object(Bucket=self.bucket, Key="alphabet", Range=header)
                self.assertEqual(got["ResponseMetadata"]["HTTPStatusCode"], 206)
                self.assertEqual(got["Body"].read(), body[start:end + 1])
                self.assertEqual(got["ContentRange"], f"bytes {start}-{end}/{n}")
                self.assertEqual(got["ContentLength"], end - start + 1)

    def test_unsatisfiable_range(self):
        for header in [f"bytes={len(self.BODY)}-", "bytes=100-200"]:
            with self.subTest(range=header):
                response = self.assertError(self.s3().get_object, "InvalidRange", 416, Bucket=self.bucket,
                                            Key="alphabet", Range=header)
                self.assertEqual(response["Error"].get("ActualObjectSize"), str(len(self.BODY)))

    def test_conditional_get(self):
        s3 = self.s3()
        head = s3.head_object(Bucket=self.bucket, Key="alphabet")
        etag, modified = head["ETag"], head["LastModified"]
        before, after = modified - datetime.timedelta(days=1), modified + datetime.timedelta(days=1)
        other = '"00000000000000000000000000000000"'
        cases = [  # (conditions, expected status) following GetObject's "Conditional requests" rules
            ({"IfMatch": etag}, 200), ({"IfMatch": other}, 412),
            ({"IfNoneMatch": etag}, 304), ({"IfNoneMatch": other}, 200),
            ({"IfModifiedSince": before}, 200), ({"IfModifiedSince": after}, 304),
            ({"IfUnmodifiedSince": after}, 200), ({"IfUnmodifiedSince": before}, 412),
            # If-Match true wins over If-Unmodified-Since false; If-None-Match false wins over If-Modified-Since.
            ({"IfMatch": etag, "IfUnmodifiedSince": before}, 200),
            ({"IfNoneMatch": etag, "IfModifiedSince": before}, 304),
        ]
        for conditions, status in cases:
            with self.subTest(conditions=conditions):
                if status == 200:
                    self.assertEqual(s3.get_object(Bucket=self.bucket, Key="alphabet", **conditions)["Body"].read(),
                                     self.BODY)
                    s3.head_object(Bucket=self.bucket, Key="alphabet", **conditions)
                else:
                    code = "PreconditionFailed" if status == 412 else "304"
                    response = self.assertError(s3.get_object, code, status, Bucket=self.bucket, Key="alphabet",
                                                **conditions)
                    if status == 304:
                        self.assertEqual(response["ResponseMetadata"]["HTTPHeaders"].get("etag"), etag)
                    self.assertError(s3.head_object, str(status), status, Bucket=self.bucket, Key="alphabet",
                                     **conditions)

    def test_conditional_put_if_none_match(self):
        s3, key = self.s3(), f"once-{uuid.uuid4().hex}"
        s3.put_object(Bucket=self.bucket, Key=key, Body=b"first", IfNoneMatch="*")
        self.assertError(s3.put_object, "PreconditionFailed", 412, Bucket=self.bucket, Key=key, Body=b"second",
                         IfNoneMatch="*")
        self.assertEqual(s3.get_object(Bucket=self.bucket, Key=key)["Body"].read(), b"first")

    def test_response_header_overrides(self):
        got = self.s3().get_object(Bucket=self.bucket, Key="alphabet", ResponseContentType="text/csv",
                                   ResponseContentDisposition='attachment; filename="a.csv"',
                                   ResponseCacheControl="no-cache", ResponseContentLanguage="fr")
        self.assertEqual(got["ContentType"], "text/csv")
        self.assertEqual(got["ContentDisposition"], 'attachment; filename="a.csv"')
        self.assertEqual(got["CacheControl"], "no-cache")
        self.assertEqual(got["ContentLanguage"], "fr")
        self.assertEqual(got["Body"].read(), self.BODY)

    def test_missing_key_and_missing_bucket(self):
        s3, missing = self.s3(), f"missing-{uuid.uuid4().hex}"
        response = self.assertError(s3.get_object, "NoSuchKey", 404, Bucket=self.bucket, Key="no/such/key")
        self.assertEqual(response["Error"].get("Key"), "no/such/key")
        self.assertError(s3.get_object, "NoSuchBucket", 404, Bucket=missing, Key="k")
        self.assertError(s3.put_object, "NoSuchBucket", 404, Bucket=missing, Key="k", Body=b"x")
        self.assertError(s3.list_objects_v2, "NoSuchBucket", 404, Bucket=missing)
        self.assertError(s3.delete_object, "NoSuchBucket", 404, Bucket=missing, Key="k")

    def test_content_md5(self):
        s3, body = self.s3(), b"checked body"
        s3.put_object(Bucket=self.bucket, Key="md5", Body=body, ContentMD5=md5_b64(body))
        for value, code in [(md5_b64(b"another body"), "BadDigest"), ("not base64!", "InvalidDigest"),
                            (b64(b"short"), "InvalidDigest")]:
            with self.subTest(content_md5=value):
                self.assertError(s3.put_object, code, 400, Bucket=self.bucket, Key="md5-bad", Body=body,
                                 ContentMD5=value)
        self.assertError(s3.head_object, "404", 404, Bucket=self.bucket, Key="md5-bad")


class ChecksumTest(S3Test):
    """Additional checksums: PutObject with x-amz-checksum-* (or x-amz-sdk-checksum-algorithm), returned by
    GetObject/HeadObject with x-amz-checksum-mode: ENABLED; CRC64NVME added when the upload had none (User Guide,
    "Checking object integrity")."""
    ALGORITHMS = ["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"]
    BODY = b"The quick brown fox jumps over the lazy dog" * 50

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = cls.new_bucket()

    def assert_checksum_returned(self, key, algorithm, value):
        s3 = self.s3()
        for out in [s3.head_object(Bucket=self.bucket, Key=key, ChecksumMode="ENABLED"),
                    s3.get_object(Bucket=self.bucket, Key=key, ChecksumMode="ENABLED")]:
            self.assertEqual(out.get(f"Checksum{algorithm}"), value, out.get("ResponseMetadata", {}).get("HTTPHeaders"))
            self.assertEqual(out.get("ChecksumType"), "FULL_OBJECT")
            if "Body" in out:
                self.assertEqual(out["Body"].read(), self.BODY)

    def test_checksum_values_sent_by_the_client(self):
        s3 = self.s3()
        for algorithm in self.ALGORITHMS:
            with self.subTest(algorithm=algorithm):
                value, key = checksum(algorithm, self.BODY), f"sent-{algorithm}"
                put = s3.put_object(Bucket=self.bucket, Key=key, Body=self.BODY, **{f"Checksum{algorithm}": value})
                self.assertEqual(put.get(f"Checksum{algorithm}"), value)
                self.assert_checksum_returned(key, algorithm, value)

    def test_checksums_computed_by_the_sdk(self):
        s3 = self.s3()
        for algorithm in ["CRC32", "SHA1", "SHA256"]:  # the ones botocore computes without awscrt
            with self.subTest(algorithm=algorithm):
                key = f"sdk-{algorithm}"
                s3.put_object(Bucket=self.bucket, Key=key, Body=self.BODY, ChecksumAlgorithm=algorithm)
                self.assert_checksum_returned(key, algorithm, checksum(algorithm, self.BODY))

    def test_checksum_is_not_returned_without_checksum_mode(self):
        s3 = self.s3()
        s3.put_object(Bucket=self.bucket, Key="quiet", Body=self.BODY, ChecksumSHA256=checksum("SHA256", self.BODY))
        self.assertNotIn("ChecksumSHA256", s3.head_object(Bucket=self.bucket, Key="quiet"))

    def test_a_wrong_checksum_is_refused(self):
        s3 = self.s3()
        for algorithm in self.ALGORITHMS:
            with self.subTest(algorithm=algorithm):
                self.assertError(s3.put_object, "BadDigest", 400, Bucket=self.bucket, Key="wrong", Body=self.BODY,
                                 **{f"Checksum{algorithm}": checksum(algorithm, b"something else")})
        self.assertError(s3.head_object, "404", 404, Bucket=self.bucket, Key="wrong")

    def test_an_upload_without_a_checksum_gets_crc64nvme(self):
        s3 = self.s3(request_checksum_calculation="when_required")
        s3.put_object(Bucket=self.bucket, Key="plain", Body=self.BODY)
        self.assert_checksum_returned("plain", "CRC64NVME", b64(crc64nvme(self.BODY).to_bytes(8, "big")))

    def test_the_sdks_default_crc32_is_kept(self):
        self.s3().put_object(Bucket=self.bucket, Key="default", Body=self.BODY)  # boto3 1.36+ sends CRC32
        self.assert_checksum_returned("default", "CRC32", checksum("CRC32", self.BODY))


class DeleteCopyAttributesTest(S3Test):
    """DeleteObjects, CopyObject, GetObjectAttributes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = cls.new_bucket()
        cls.other = cls.new_bucket()

    def test_delete_objects_reports_missing_keys_as_deleted(self):
        s3 = self.s3()
        for key in ["d/1", "d/2"]:
            s3.put_object(Bucket=self.bucket, Key=key, Body=b"x")
        out = s3.delete_objects(Bucket=self.bucket, Delete={"Objects": [{"Key": "d/1"}, {"Key": "d/2"},
                                                                         {"Key": "d/missing"}]})
        self.assertEqual(sorted(d["Key"] for d in out["Deleted"]), ["d/1", "d/2", "d/missing"])
        self.assertEqual(out.get("Errors", []), [])
        self.assertEqual(s3.list_objects_v2(Bucket=self.bucket, Prefix="d/")["KeyCount"], 0)

    def test_delete_objects_quietly(self):
        s3 = self.s3()
        s3.put_object(Bucket=self.bucket, Key="q/1", Body=b"x")
        out = s3.delete_objects(Bucket=self.bucket, Delete={"Objects": [{"Key": "q/1"}, {"Key": "q/2"}],
                                                            "Quiet": True})
        self.assertEqual(out.get("Deleted", []), [])
        self.assertEqual(out.get("Errors", []), [])
        self.assertError(s3.head_object, "404", 404, Bucket=self.bucket, Key="q/1")

    def test_copy_within_and_across_buckets_keeps_metadata(self):
        s3, body = self.s3(), os.urandom(1000)
        s3.put_object(Bucket=self.bucket, Key="src", Body=body, ContentType="image/png", Metadata={"a": "1"})
        for bucket in [self.bucket, self.other]:
            with self.subTest(bucket=bucket):
                out = s3.copy_object(Bucket=bucket, Key="copied", CopySource={"Bucket": self.bucket, "Key": "src"})
                self.assertEqual(out["CopyObjectResult"]["ETag"], etag_of(body))
                self.assertIsInstance(out["CopyObjectResult"]["LastModified"], datetime.datetime)
                got = s3.get_object(Bucket=bucket, Key="copied")
                self.assertEqual(got["Body"].read(), body)
                self.assertEqual((got["ContentType"], got["Metadata"]), ("image/png", {"a": "1"}))

    def test_copy_with_replaced_metadata(self):
        s3 = self.s3()
        s3.put_object(Bucket=self.bucket, Key="src2", Body=b"abc", ContentType="text/plain", Metadata={"a": "1"})
        s3.copy_object(Bucket=self.bucket, Key="replaced", CopySource=f"{self.bucket}/src2",
                       MetadataDirective="REPLACE", ContentType="application/json", Metadata={"b": "2"})
        got = s3.head_object(Bucket=self.bucket, Key="replaced")
        self.assertEqual((got["ContentType"], got["Metadata"]), ("application/json", {"b": "2"}))
        # COPY (the default) ignores metadata given with the request.
        s3.copy_object(Bucket=self.bucket, Key="kept", CopySource=f"{self.bucket}/src2", Metadata={"c": "3"})
        self.assertEqual(s3.head_object(Bucket=self.bucket, Key="kept")["Metadata"], {"a": "1"})

    def test_copy_preconditions(self):
        s3 = self.s3()
        etag = s3.put_object(Bucket=self.bucket, Key="src3", Body=b"abc")["ETag"]
        source = {"Bucket": self.bucket, "Key": "src3"}
        for conditions in [{"CopySourceIfMatch": '"00000000000000000000000000000000"'},
                           {"CopySourceIfNoneMatch": etag},
                           {"CopySourceIfUnmodifiedSince": datetime.datetime(2000, 1, 1)}]:
            with self.subTest(conditions=conditions):
                self.assertError(s3.copy_object, "PreconditionFailed", 412, Bucket=self.bucket, Key="cond",
                                 CopySource=source, **conditions)
        s3.copy_object(Bucket=self.bucket, Key="cond", CopySource=source, CopySourceIfMatch=etag)
        self.assertEqual(s3.get_object(Bucket=self.bucket, Key="cond")["Body"].read(), b"abc")

    def test_copy_onto_itself_needs_a_change(self):
        s3 = self.s3()
        s3.put_object(Bucket=self.bucket, Key="self", Body=b"abc", Metadata={"v": "1"})
        self.assertError(s3.copy_object, "InvalidRequest", 400, Bucket=self.bucket, Key="self",
                         CopySource={"Bucket": self.bucket, "Key": "self"})
        s3.copy_object(Bucket=self.bucket, Key="self", CopySource={"Bucket": self.bucket, "Key": "self"},
                       MetadataDirective="REPLACE", Metadata={"v": "2"})
        got = s3.get_object(Bucket=self.bucket, Key="self")
        self.assertEqual((got["Body"].read(), got["Metadata"]), (b"abc", {"v": "2"}))

    def test_copy_of_a_missing_source(self):
        self.assertError(self.s3().copy_object, "NoSuchKey", 404, Bucket=self.bucket, Key="to",
                         CopySource={"Bucket": self.bucket, "Key": "no-such-source"})

    def test_get_object_attributes(self):
        s3, body = self.s3(), b"attributes" * 100
        s3.put_object(Bucket=self.bucket, Key="attrs", Body=body, ChecksumSHA256=checksum("SHA256", body))
        out = s3.get_object_attributes(Bucket=self.bucket, Key="attrs",
                                       ObjectAttributes=["ETag", "ObjectSize", "StorageClass", "Checksum",
                                                         "ObjectParts"])
        self.assertEqual(out["ETag"], hashlib.md5(body).hexdigest())  # unquoted, unlike the ETag header
        self.assertEqual(out["ObjectSize"], len(body))
        self.assertEqual(out["StorageClass"], "STANDARD")
        self.assertEqual(out["Checksum"]["ChecksumSHA256"], checksum("SHA256", body))
        self.assertNotIn("ObjectParts", out)  # not a multipart object
        self.assertIsInstance(out["LastModified"], datetime.datetime)
        only_size = s3.get_object_attributes(Bucket=self.bucket, Key="attrs", ObjectAttributes=["ObjectSize"])
        self.assertNotIn("ETag", only_size)
        self.assertError(s3.get_object_attributes, "NoSuchKey", 404, Bucket=self.bucket, Key="none",
                         ObjectAttributes=["ETag"])


class ListObjectsTest(S3Test):
    """ListObjectsV2 and ListObjects (v1): prefixes, delimiters, paging, StartAfter, EncodingType, FetchOwner."""
    KEYS = ["docs/guide.pdf", "docs/readme.txt", "photos/2023/feb/b.jpg", "photos/2023/jan/a.jpg",
            "photos/2024/c.jpg", "top.txt"]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s3 = cls.s3()
        cls.bucket, cls.many = cls.new_bucket(), cls.new_bucket()
        for key in cls.KEYS:
            s3.put_object(Bucket=cls.bucket, Key=key, Body=key.encode())
        cls.many_keys = [f"k{i:02d}" for i in range(25)]
        for key in cls.many_keys:
            s3.put_object(Bucket=cls.many, Key=key, Body=b"")

    def test_list_everything_in_order(self):
        out = self.s3().list_objects_v2(Bucket=self.bucket)
        self.assertEqual([o["Key"] for o in out["Contents"]], self.KEYS)
        self.assertEqual((out["KeyCount"], out["IsTruncated"], out["Name"], out["MaxKeys"]),
                         (6, False, self.bucket, 1000))
        first = out["Contents"][0]
        self.assertEqual((first["Size"], first["ETag"], first["StorageClass"]),
                         (len(self.KEYS[0]), etag_of(self.KEYS[0].encode()), "STANDARD"))
        self.assertNotIn("Owner", first)

    def test_prefix_and_delimiter(self):
        s3 = self.s3()
        cases = [  # (arguments, keys, common prefixes)
            ({"Prefix": "photos/"}, self.KEYS[2:5], []),
            ({"Delimiter": "/"}, ["top.txt"], ["docs/", "photos/"]),
            ({"Prefix": "photos/", "Delimiter": "/"}, [], ["photos/2023/", "photos/2024/"]),
            ({"Prefix": "photos/2023/", "Delimiter": "/"}, [], ["photos/2023/feb/", "photos/2023/jan/"]),
            ({"Prefix": "docs/r"}, ["docs/readme.txt"], []),
            ({"Prefix": "nothing/"}, [], []),
            ({"Delimiter": "."}, [], ["docs/guide.", "docs/readme.", "photos/2023/feb/b.", "photos/2023/jan/a.",
                                       "photos/2024/c.", "top."]),
        ]
        for args, keys, prefixes in cases:
            with self.subTest(args=args):
                out = s3.list_objects_v2(Bucket=self.bucket, **args)
                self.assertEqual([o["Key"] for o in out.get("Contents", [])], keys)
                self.assertEqual([p["Prefix"] for p in out.get("CommonPrefixes", [])], prefixes)
                self.assertEqual(out["KeyCount"], len(keys) + len(prefixes))

    def test_paging_with_continuation_tokens(self):
        s3, seen, pages, token = self.s3(), [], [], None
        while True:
            out = s3.list_objects_v2(Bucket=self.many, MaxKeys=10, **({"ContinuationToken": token} if token else {}))
            pages.append((out["KeyCount"], out["IsTruncated"]))
            seen += [o["Key"] for o in out.get("Contents", [])]
            if not out["IsTruncated"]:
                self.assertNotIn("NextContinuationToken", out)
                break
            token = out["NextContinuationToken"]
            self.assertTrue(token)
        self.assertEqual(pages, [(10, True), (10, True), (5, False)])
        self.assertEqual(seen, self.many_keys)

    def test_start_after(self):
        out = self.s3().list_objects_v2(Bucket=self.many, StartAfter="k12", MaxKeys=5)
        self.assertEqual([o["Key"] for o in out["Contents"]], ["k13", "k14", "k15", "k16", "k17"])
        self.assertEqual(out["StartAfter"], "k12")
        out = self.s3().list_objects_v2(Bucket=self.many, StartAfter="k125")  # need not be a key
        self.assertEqual(out["Contents"][0]["Key"], "k13")

    def test_fetch_owner(self):
        out = self.s3().list_objects_v2(Bucket=self.bucket, FetchOwner=True)
        self.assertTrue(out["Contents"][0]["Owner"]["ID"])

    def test_encoding_type_url(self):
        s3, bucket = self.s3(), self.new_bucket()
        keys = ["plain", "with space/ü.txt", "a+b", "100%.csv", "日本/x"]
        for key in keys:
            s3.put_object(Bucket=bucket, Key=key, Body=b"")
        out = s3.list_objects_v2(Bucket=bucket, EncodingType="url", Delimiter="/")
        self.assertEqual(out["EncodingType"], "url")
        # botocore decodes only when it chose the encoding itself; here the raw, encoded values come back.
        listed = [o["Key"] for o in out["Contents"]] + [p["Prefix"] for p in out["CommonPrefixes"]]
        for value in listed:
            self.assertTrue(value.isascii() and " " not in value, value)
        self.assertIn("a%2Bb", listed)
        self.assertIn("100%25.csv", listed)
        self.assertEqual(sorted(urllib.parse.unquote_plus(v) for v in listed),
                         sorted(["plain", "with space/", "a+b", "100%.csv", "日本/"]))
        # Without EncodingType, botocore asks for url encoding and decodes it: keys come back exactly.
        self.assertEqual(sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]), sorted(keys))

    def test_v1_marker_paging_without_a_delimiter(self):
        s3 = self.s3()
        out = s3.list_objects(Bucket=self.many, MaxKeys=10)
        self.assertEqual([o["Key"] for o in out["Contents"]], self.many_keys[:10])
        self.assertTrue(out["IsTruncated"])
        self.assertNotIn("NextMarker", out)  # only returned with a delimiter; continue from the last key
        out = s3.list_objects(Bucket=self.many, Marker=self.many_keys[9], MaxKeys=100)
        self.assertEqual((out["Marker"], out["IsTruncated"]), (self.many_keys[9], False))
        self.assertEqual([o["Key"] for o in out["Contents"]], self.many_keys[10:])

    def test_v1_next_marker_with_a_delimiter(self):
        s3 = self.s3()
        out = s3.list_objects(Bucket=self.bucket, Delimiter="/", MaxKeys=1)
        self.assertEqual([p["Prefix"] for p in out["CommonPrefixes"]], ["docs/"])
        self.assertEqual((out["IsTruncated"], out["NextMarker"]), (True, "docs/"))
        # A common prefix as the marker skips everything under it.
        out = s3.list_objects(Bucket=self.bucket, Delimiter="/", Marker="docs/", MaxKeys=1)
        self.assertEqual([p["Prefix"] for p in out["CommonPrefixes"]], ["photos/"])
        self.assertEqual((out["IsTruncated"], out["NextMarker"]), (True, "photos/"))
        out = s3.list_objects(Bucket=self.bucket, Delimiter="/", Marker="photos/", MaxKeys=1)
        self.assertEqual([o["Key"] for o in out["Contents"]], ["top.txt"])
        self.assertEqual(out.get("CommonPrefixes", []), [])
        self.assertFalse(out["IsTruncated"])

    def test_max_keys_zero(self):
        out = self.s3().list_objects_v2(Bucket=self.bucket, MaxKeys=0)
        self.assertEqual((out["KeyCount"], out.get("Contents", [])), (0, []))


class KeyNamesTest(S3Test):
    """Object keys are any UTF-8 string up to 1024 bytes (User Guide, "Naming Amazon S3 objects"): they come
    back exactly as sent, and a key is never a path on the server's disk."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = cls.new_bucket()

    def test_unusual_keys_round_trip(self):
        s3, bucket = self.s3(), self.new_bucket()
        keys = ["../x", "./y", "a/../../b", "a\\b", "a//b", "trailing/", "/leading", "日本語/ファイル.txt",
                "émoji 🎉", "with space", "a+b=c&d", "%2F%41", "?query#frag", "semi;colon", "tab\there",
                "~tilde*star'quote\"", "k" * 1024, "あ" * 341]
        for key in keys:
            with self.subTest(key=key[:40]):
                body = key.encode()
                s3.put_object(Bucket=bucket, Key=key, Body=body)
                self.assertEqual(s3.get_object(Bucket=bucket, Key=key)["Body"].read(), body)
                self.assertEqual(s3.head_object(Bucket=bucket, Key=key)["ContentLength"], len(body))
        listed = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
        self.assertEqual(listed, sorted(keys, key=lambda k: k.encode()))  # UTF-8 byte order

    def test_key_length_limit(self):
        s3 = self.s3()
        for key in ["k" * 1025, "あ" * 342]:  # 1025 and 1026 bytes
            with self.subTest(length=len(key.encode())):
                self.assertError(s3.put_object, "KeyTooLongError", 400, Bucket=self.bucket, Key=key, Body=b"x")

    @needs_xacct("the server's data directory")
    def test_keys_never_escape_the_data_directory(self):
        s3, marker = self.s3(), f"xacct-escape-{uuid.uuid4().hex}"
        keys = [f"../../etc/{marker}", "../" * 16 + f"tmp/{marker}", f"a/../../../{marker}", f"..\\..\\{marker}",
                f"/../{marker}"]
        for key in keys:
            s3.put_object(Bucket=self.bucket, Key=key, Body=b"escaped?")
            self.assertEqual(s3.get_object(Bucket=self.bucket, Key=key)["Body"].read(), b"escaped?")
        data_dir = os.path.realpath(self.server.data_dir)
        found = []
        for dirpath, _, files in os.walk(self.server.dir):  # the server's whole temporary directory
            found += [os.path.join(dirpath, f) for f in files if marker in f]
        for directory in [os.path.dirname(self.server.dir), "/etc", "/tmp", "/"]:  # where ../ keys would land
            found += [os.path.join(directory, f) for f in os.listdir(directory) if marker in f]
        outside = [f for f in map(os.path.realpath, found) if not f.startswith(data_dir + os.sep)]
        self.assertEqual(outside, [])


class OwnerAndListingDetailsTest(S3Test):
    """x-amz-expected-bucket-owner (User Guide, "Verifying bucket ownership with bucket owner condition"),
    ListBuckets' prefix/max-buckets paging, and storage classes in listings (API Reference, ListObjectsV2)."""

    def test_expected_bucket_owner_mismatch_is_refused(self):
        s3, bucket = self.s3(), self.new_bucket()
        s3.put_object(Bucket=bucket, Key="k", Body=b"v", ExpectedBucketOwner="111111111111")
        self.assertError(s3.get_object, "AccessDenied", 403, Bucket=bucket, Key="k",
                         ExpectedBucketOwner="222222222222")

    def test_list_buckets_pages_with_max_buckets_and_prefix(self):
        s3 = self.s3()
        names = sorted(self.new_bucket(prefix="paged") for _ in range(3))
        first = s3.list_buckets(Prefix="paged-", MaxBuckets=2)
        self.assertEqual([b["Name"] for b in first["Buckets"]], names[:2])
        rest = s3.list_buckets(Prefix="paged-", MaxBuckets=2, ContinuationToken=first["ContinuationToken"])
        self.assertEqual([b["Name"] for b in rest["Buckets"]], names[2:])
        self.assertNotIn("ContinuationToken", rest)

    def test_storage_class_is_kept_and_listed(self):
        s3, bucket = self.s3(), self.new_bucket()
        s3.put_object(Bucket=bucket, Key="cold", Body=b"v", StorageClass="STANDARD_IA")
        self.assertEqual(s3.head_object(Bucket=bucket, Key="cold")["StorageClass"], "STANDARD_IA")
        self.assertEqual(s3.list_objects_v2(Bucket=bucket)["Contents"][0]["StorageClass"], "STANDARD_IA")


class VersioningTest(S3Test):
    """PutBucketVersioning, GetBucketVersioning, ListObjectVersions, GetObject/DeleteObject with versionId
    (User Guide, "Retaining multiple versions of objects with S3 Versioning")."""

    def test_a_new_bucket_is_unversioned(self):
        out = self.s3().get_bucket_versioning(Bucket=self.new_bucket())
        self.assertNotIn("Status", out)

    def test_versions_and_delete_markers(self):
        s3, bucket = self.s3(), self.new_bucket()
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        self.assertEqual(s3.get_bucket_versioning(Bucket=bucket)["Status"], "Enabled")
        v1 = s3.put_object(Bucket=bucket, Key="doc", Body=b"one")["VersionId"]
        v2 = s3.put_object(Bucket=bucket, Key="doc", Body=b"two")["VersionId"]
        self.assertNotEqual(v1, v2)
        self.assertNotIn("null", (v1, v2))
        got = s3.get_object(Bucket=bucket, Key="doc", VersionId=v1)
        self.assertEqual((got["Body"].read(), got["VersionId"]), (b"one", v1))
        got = s3.get_object(Bucket=bucket, Key="doc")
        self.assertEqual((got["Body"].read(), got["VersionId"]), (b"two", v2))
        self.assertEqual(s3.head_object(Bucket=bucket, Key="doc", VersionId=v1)["ContentLength"], 3)

        deleted = s3.delete_object(Bucket=bucket, Key="doc")
        self.assertTrue(deleted["DeleteMarker"])
        marker = deleted["VersionId"]
        self.assertNotIn(marker, (v1, v2))
        response = self.assertError(s3.get_object, "NoSuchKey", 404, Bucket=bucket, Key="doc")
        self.assertEqual(response["ResponseMetadata"]["HTTPHeaders"].get("x-amz-delete-marker"), "true")
        response = self.assertError(s3.head_object, "404", 404, Bucket=bucket, Key="doc")
        self.assertEqual(response["ResponseMetadata"]["HTTPHeaders"].get("x-amz-delete-marker"), "true")
        self.assertError(s3.get_object, "MethodNotAllowed", 405, Bucket=bucket, Key="doc", VersionId=marker)
        self.assertEqual(s3.get_object(Bucket=bucket, Key="doc", VersionId=v1)["Body"].read(), b"one")
        self.assertEqual(s3.list_objects_v2(Bucket=bucket)["KeyCount"], 0)

        listing = s3.list_object_versions(Bucket=bucket)
        self.assertEqual([(v["VersionId"], v["IsLatest"], v["Size"]) for v in listing["Versions"]],
                         [(v2, False, 3), (v1, False, 3)])  # newest first
        self.assertEqual([(m["Key"], m["VersionId"], m["IsLatest"]) for m in listing["DeleteMarkers"]],
                         [("doc", marker, True)])

        # Deleting the delete marker brings the object back; deleting a version removes it for good.
        out = s3.delete_object(Bucket=bucket, Key="doc", VersionId=marker)
        self.assertEqual((out.get("DeleteMarker"), out["VersionId"]), (True, marker))
        self.assertEqual(s3.get_object(Bucket=bucket, Key="doc")["Body"].read(), b"two")
        s3.delete_object(Bucket=bucket, Key="doc", VersionId=v1)
        listing = s3.list_object_versions(Bucket=bucket)
        self.assertEqual([(v["VersionId"], v["IsLatest"]) for v in listing["Versions"]], [(v2, True)])
        self.assertNotIn("DeleteMarkers", listing)
        self.assertError(s3.get_object, "NoSuchVersion", 404, Bucket=bucket, Key="doc", VersionId=v1)

    def test_suspended_versioning_writes_the_null_version(self):
        s3, bucket = self.s3(), self.new_bucket()
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        kept = s3.put_object(Bucket=bucket, Key="doc", Body=b"versioned")["VersionId"]
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Suspended"})
        self.assertEqual(s3.get_bucket_versioning(Bucket=bucket)["Status"], "Suspended")
        s3.put_object(Bucket=bucket, Key="doc", Body=b"null one")
        s3.put_object(Bucket=bucket, Key="doc", Body=b"null two")  # overwrites the null version
        head = s3.head_object(Bucket=bucket, Key="doc", VersionId="null")
        self.assertEqual(head["ContentLength"], len(b"null two"))
        listing = s3.list_object_versions(Bucket=bucket)["Versions"]
        self.assertEqual([(v["VersionId"], v["IsLatest"]) for v in listing], [("null", True), (kept, False)])


class TaggingTest(S3Test):
    """PutObjectTagging, GetObjectTagging, DeleteObjectTagging, PutObject x-amz-tagging, GetObject
    x-amz-tagging-count; PutBucketTagging, GetBucketTagging, DeleteBucketTagging."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = cls.new_bucket()

    def tags(self, key):
        return sorted((t["Key"], t["Value"]) for t in
                      self.s3().get_object_tagging(Bucket=self.bucket, Key=key)["TagSet"])

    def test_object_tagging(self):
        s3 = self.s3()
        s3.put_object(Bucket=self.bucket, Key="tagged", Body=b"x")
        self.assertEqual(self.tags("tagged"), [])
        s3.put_object_tagging(Bucket=self.bucket, Key="tagged", Tagging={"TagSet": [
            {"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "data eng"}]})
        self.assertEqual(self.tags("tagged"), [("env", "prod"), ("team", "data eng")])
        self.assertEqual(s3.get_object(Bucket=self.bucket, Key="tagged")["TagCount"], 2)
        self.assertEqual(s3.delete_object_tagging(Bucket=self.bucket, Key="tagged")["ResponseMetadata"]
                         ["HTTPStatusCode"], 204)
        self.assertEqual(self.tags("tagged"), [])
        self.assertNotIn("TagCount", s3.get_object(Bucket=self.bucket, Key="tagged"))

    def test_tags_given_with_put_object(self):
        s3 = self.s3()
        s3.put_object(Bucket=self.bucket, Key="with-header", Body=b"x", Tagging="a=1&b=two%20words")
        self.assertEqual(self.tags("with-header"), [("a", "1"), ("b", "two words")])
        self.assertEqual(s3.head_object(Bucket=self.bucket, Key="with-header").get("TagCount"), 2)

    def test_invalid_object_tags(self):
        s3 = self.s3()
        s3.put_object(Bucket=self.bucket, Key="bad-tags", Body=b"x")
        self.assertError(s3.put_object_tagging, "InvalidTag", 400, Bucket=self.bucket, Key="bad-tags",
                         Tagging={"TagSet": [{"Key": "k", "Value": "1"}, {"Key": "k", "Value": "2"}]})
        self.assertError(s3.put_object_tagging, "NoSuchKey", 404, Bucket=self.bucket, Key="missing",
                         Tagging={"TagSet": [{"Key": "k", "Value": "1"}]})

    def test_bucket_tagging(self):
        s3, bucket = self.s3(), self.new_bucket()
        self.assertError(s3.get_bucket_tagging, "NoSuchTagSet", 404, Bucket=bucket)
        s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": [{"Key": "cost-center", "Value": "42"}]})
        self.assertEqual(s3.get_bucket_tagging(Bucket=bucket)["TagSet"], [{"Key": "cost-center", "Value": "42"}])
        self.assertEqual(s3.delete_bucket_tagging(Bucket=bucket)["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertError(s3.get_bucket_tagging, "NoSuchTagSet", 404, Bucket=bucket)


class BucketPolicyTest(S3Test):
    """PutBucketPolicy, GetBucketPolicy, DeleteBucketPolicy, GetBucketPolicyStatus; PutPublicAccessBlock,
    GetPublicAccessBlock, DeletePublicAccessBlock (User Guide, "Blocking public access to your Amazon S3
    storage": BlockPublicPolicy makes PutBucketPolicy refuse a public policy)."""

    def grant(self, bucket, principal, action="s3:GetObject"):
        return policy([{"Sid": "Read", "Effect": "Allow", "Principal": principal, "Action": action,
                        "Resource": f"arn:aws:s3:::{bucket}/*"}])

    def test_policy_round_trip(self):
        s3, bucket = self.s3(), self.new_bucket()
        self.assertError(s3.get_bucket_policy, "NoSuchBucketPolicy", 404, Bucket=bucket)
        self.assertError(s3.get_bucket_policy_status, "NoSuchBucketPolicy", 404, Bucket=bucket)
        document = self.grant(bucket, {"AWS": "arn:aws:iam::222222222222:root"})
        self.assertEqual(s3.put_bucket_policy(Bucket=bucket, Policy=document)["ResponseMetadata"]
                         ["HTTPStatusCode"], 204)
        self.assertEqual(json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"]), json.loads(document))
        self.assertFalse(s3.get_bucket_policy_status(Bucket=bucket)["PolicyStatus"]["IsPublic"])
        self.assertEqual(s3.delete_bucket_policy(Bucket=bucket)["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertError(s3.get_bucket_policy, "NoSuchBucketPolicy", 404, Bucket=bucket)

    def test_malformed_policies(self):
        s3, bucket = self.s3(), self.new_bucket()
        statement = {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::222222222222:root"},
                     "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"}
        cases = {
            "not JSON": "{not json",
            "no Statement": json.dumps({"Version": "2012-10-17"}),
            "unknown action": policy([dict(statement, Action="s3:NotAnAction")]),
            "another bucket": policy([dict(statement, Resource="arn:aws:s3:::some-other-bucket/*")]),
            "no Effect": policy([{k: v for k, v in statement.items() if k != "Effect"}]),
        }
        for name, document in cases.items():
            with self.subTest(name):
                self.assertError(s3.put_bucket_policy, "MalformedPolicy", 400, Bucket=bucket, Policy=document)
        self.assertError(s3.get_bucket_policy, "NoSuchBucketPolicy", 404, Bucket=bucket)

    def test_public_access_block_round_trip(self):
        s3, bucket = self.s3(), self.new_bucket()
        config = {"BlockPublicAcls": True, "IgnorePublicAcls": False, "BlockPublicPolicy": True,
                  "RestrictPublicBuckets": False}
        s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration=config)
        self.assertEqual(s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"], config)
        self.assertEqual(s3.delete_public_access_block(Bucket=bucket)["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertError(s3.get_public_access_block, "NoSuchPublicAccessBlockConfiguration", 404, Bucket=bucket)

    def test_block_public_policy_refuses_a_public_policy(self):
        s3, bucket = self.s3(), self.new_bucket()
        public = self.grant(bucket, "*")
        s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True})
        self.assertError(s3.put_bucket_policy, "AccessDenied", 403, Bucket=bucket, Policy=public)
        self.assertError(s3.get_bucket_policy, "NoSuchBucketPolicy", 404, Bucket=bucket)
        s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": False,
            "RestrictPublicBuckets": False})
        s3.put_bucket_policy(Bucket=bucket, Policy=public)
        self.assertTrue(s3.get_bucket_policy_status(Bucket=bucket)["PolicyStatus"]["IsPublic"])

    @needs_xacct("Block Public Access on by default")
    def test_a_new_bucket_refuses_a_public_policy(self):
        bucket = self.new_bucket()
        self.assertError(self.s3().put_bucket_policy, "AccessDenied", 403, Bucket=bucket,
                         Policy=self.grant(bucket, "*"))

    @needs_xacct("authorization across accounts")
    def test_a_bucket_policy_grants_another_account(self):
        s3, bucket = self.s3(), self.new_bucket()
        s3.put_object(Bucket=bucket, Key="shared", Body=b"for target")
        for account in ["target", "outsider"]:
            self.assertError(self.s3(account).get_object, "AccessDenied", 403, Bucket=bucket, Key="shared")
        s3.put_bucket_policy(Bucket=bucket, Policy=self.grant(bucket, {"AWS": "arn:aws:iam::222222222222:root"}))
        self.assertEqual(self.s3("target").get_object(Bucket=bucket, Key="shared")["Body"].read(), b"for target")
        self.assertError(self.s3("outsider").get_object, "AccessDenied", 403, Bucket=bucket, Key="shared")
        self.assertError(self.s3("target").put_object, "AccessDenied", 403, Bucket=bucket, Key="shared", Body=b"no")
        self.assertError(self.s3("target").list_objects_v2, "AccessDenied", 403, Bucket=bucket)


class MultipartTest(S3Test):
    """CreateMultipartUpload, UploadPart, UploadPartCopy, ListParts, ListMultipartUploads,
    CompleteMultipartUpload, AbortMultipartUpload (User Guide, "Multipart upload limits": parts other than the
    last are at least 5 MiB)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = cls.new_bucket()

    def upload(self, key, parts):
        s3 = self.s3()
        upload_id = s3.create_multipart_upload(Bucket=self.bucket, Key=key)["UploadId"]
        etags = [s3.upload_part(Bucket=self.bucket, Key=key, UploadId=upload_id, PartNumber=n, Body=p)["ETag"]
                 for n, p in enumerate(parts, 1)]
        return upload_id, [{"PartNumber": n, "ETag": e} for n, e in enumerate(etags, 1)]

    def test_a_complete_multipart_upload(self):
        s3, key = self.s3(), "multi/object"
        parts = [os.urandom(5 * MiB), os.urandom(MiB + 7)]
        upload_id, completed = self.upload(key, parts)
        self.assertEqual([p["ETag"] for p in completed], [etag_of(p) for p in parts])
        listed = s3.list_parts(Bucket=self.bucket, Key=key, UploadId=upload_id)
        self.assertEqual([(p["PartNumber"], p["ETag"], p["Size"]) for p in listed["Parts"]],
                         [(n, etag_of(p), len(p)) for n, p in enumerate(parts, 1)])
        uploads = s3.list_multipart_uploads(Bucket=self.bucket).get("Uploads", [])
        self.assertIn((key, upload_id), [(u["Key"], u["UploadId"]) for u in uploads])
        self.assertError(s3.head_object, "404", 404, Bucket=self.bucket, Key=key)  # not visible until completed

        out = s3.complete_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id,
                                           MultipartUpload={"Parts": completed})
        self.assertEqual(out["ETag"], multipart_etag(parts))
        self.assertEqual((out["Bucket"], out["Key"]), (self.bucket, key))
        got = s3.get_object(Bucket=self.bucket, Key=key)
        self.assertEqual(got["ETag"], multipart_etag(parts))
        self.assertEqual(got["ContentLength"], sum(map(len, parts)))
        self.assertTrue(got["Body"].read() == b"".join(parts), "the object is not the parts in order")
        uploads = s3.list_multipart_uploads(Bucket=self.bucket).get("Uploads", [])
        self.assertNotIn(upload_id, [u["UploadId"] for u in uploads])
        attributes = s3.get_object_attributes(Bucket=self.bucket, Key=key, ObjectAttributes=["ObjectParts", "ETag"])
        self.assertEqual(attributes["ObjectParts"]["TotalPartsCount"], 2)
        self.assertEqual(attributes["ETag"], multipart_etag(parts).strip('"'))
        part = s3.get_object(Bucket=self.bucket, Key=key, PartNumber=2)
        self.assertEqual((part["ContentLength"], part["PartsCount"]), (len(parts[1]), 2))
        self.assertTrue(part["Body"].read() == parts[1])

    def test_parts_other_than_the_last_must_be_5_mib(self):
        s3 = self.s3()
        upload_id, completed = self.upload("small", [b"a" * 1024, b"b" * 1024])
        self.assertError(s3.complete_multipart_upload, "EntityTooSmall", 400, Bucket=self.bucket, Key="small",
                         UploadId=upload_id, MultipartUpload={"Parts": completed})
        # A single small part is fine: it is the last.
        upload_id, completed = self.upload("single", [b"only part"])
        out = s3.complete_multipart_upload(Bucket=self.bucket, Key="single", UploadId=upload_id,
                                           MultipartUpload={"Parts": completed})
        self.assertEqual(out["ETag"], multipart_etag([b"only part"]))

    def test_invalid_parts_and_order(self):
        s3 = self.s3()
        parts = [os.urandom(5 * MiB), os.urandom(5 * MiB), b"tail"]
        upload_id, completed = self.upload("invalid", parts)
        first, second, tail = completed
        cases = [
            ("InvalidPart", [first, second, {"PartNumber": 3, "ETag": etag_of(b"not the tail")}]),
            ("InvalidPart", [first, second, {"PartNumber": 4, "ETag": tail["ETag"]}]),
            ("InvalidPartOrder", [second, first, tail]),
        ]
        for code, listed in cases:
            with self.subTest(code=code, parts=listed):
                self.assertError(s3.complete_multipart_upload, code, 400, Bucket=self.bucket, Key="invalid",
                                 UploadId=upload_id, MultipartUpload={"Parts": listed})
        # The upload is still open and completes with the right list.
        s3.complete_multipart_upload(Bucket=self.bucket, Key="invalid", UploadId=upload_id,
                                     MultipartUpload={"Parts": completed})
        self.assertEqual(s3.head_object(Bucket=self.bucket, Key="invalid")["ContentLength"], 10 * MiB + 4)

    def test_abort(self):
        s3 = self.s3()
        upload_id, completed = self.upload("aborted", [b"part"])
        self.assertEqual(s3.abort_multipart_upload(Bucket=self.bucket, Key="aborted", UploadId=upload_id)
                         ["ResponseMetadata"]["HTTPStatusCode"], 204)
        for call, kwargs in [(s3.list_parts, {}), (s3.upload_part, {"PartNumber": 2, "Body": b"x"}),
                             (s3.complete_multipart_upload, {"MultipartUpload": {"Parts": completed}})]:
            with self.subTest(call=call.__name__):
                self.assertError(call, "NoSuchUpload", 404, Bucket=self.bucket, Key="aborted", UploadId=upload_id,
                                 **kwargs)
        self.assertError(s3.head_object, "404", 404, Bucket=self.bucket, Key="aborted")

    def test_upload_part_copy(self):
        s3, source = self.s3(), os.urandom(5 * MiB + 100)
        s3.put_object(Bucket=self.bucket, Key="copy-source", Body=source)
        upload_id = s3.create_multipart_upload(Bucket=self.bucket, Key="copy-target")["UploadId"]
        parts = []
        for number, (start, end) in enumerate([(0, 5 * MiB - 1), (5 * MiB, len(source) - 1)], 1):
            out = s3.upload_part_copy(Bucket=self.bucket, Key="copy-target", UploadId=upload_id, PartNumber=number,
                                      CopySource={"Bucket": self.bucket, "Key": "copy-source"},
                                      CopySourceRange=f"bytes={start}-{end}")
            self.assertEqual(out["CopyPartResult"]["ETag"], etag_of(source[start:end + 1]))
            parts.append({"PartNumber": number, "ETag": out["CopyPartResult"]["ETag"]})
        s3.complete_multipart_upload(Bucket=self.bucket, Key="copy-target", UploadId=upload_id,
                                     MultipartUpload={"Parts": parts})
        self.assertTrue(s3.get_object(Bucket=self.bucket, Key="copy-target")["Body"].read() == source)


class ChunkedUploadTest(S3Test):
    """Bodies in aws-chunked encoding (API Reference, "Signature Calculations for the Authorization Header:
    Transferring Payload in Multiple Chunks" and "... Including Trailing Headers"): what boto3 sends over HTTPS
    (STREAMING-UNSIGNED-PAYLOAD-TRAILER inside HTTP chunked framing, the CRC32 in a trailer), and chunks signed
    one by one (STREAMING-AWS4-HMAC-SHA256-PAYLOAD, as the Java SDK v1 sends)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = cls.new_bucket()

    def test_boto3s_https_request_shape(self):
        # botocore puts checksums in a trailer only over TLS; pretending the endpoint is https gives the same
        # request over plain HTTP: Transfer-Encoding: chunked, Content-Encoding: aws-chunked,
        # X-Amz-Trailer: x-amz-checksum-<algorithm>, X-Amz-Decoded-Content-Length, no Content-Length.
        as_https = lambda url: urllib.parse.urlparse(url.replace("http://", "https://", 1))  # noqa: E731
        body = os.urandom(200_000)
        with mock.patch("botocore.httpchecksum.urlparse", as_https):
            s3 = self.s3()
            for algorithm in ["CRC32", "SHA256"]:
                with self.subTest(algorithm=algorithm):
                    key = f"trailer-{algorithm}"
                    put = s3.put_object(Bucket=self.bucket, Key=key, Body=io.BytesIO(body), ChecksumAlgorithm=algorithm)
                    self.assertEqual(put[f"Checksum{algorithm}"], checksum(algorithm, body))
                    got = s3.get_object(Bucket=self.bucket, Key=key, ChecksumMode="ENABLED")
                    self.assertTrue(got["Body"].read() == body)
                    self.assertEqual(got[f"Checksum{algorithm}"], checksum(algorithm, body))
            upload_id = s3.create_multipart_upload(Bucket=self.bucket, Key="trailer-parts")["UploadId"]
            part = s3.upload_part(Bucket=self.bucket, Key="trailer-parts", UploadId=upload_id, PartNumber=1,
                                  Body=body)
            s3.complete_multipart_upload(Bucket=self.bucket, Key="trailer-parts", UploadId=upload_id,
                                         MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"],
                                                                     "ChecksumCRC32": part["ChecksumCRC32"]}]})
        self.assertTrue(self.s3().get_object(Bucket=self.bucket, Key="trailer-parts")["Body"].read() == body)

    def unsigned_trailer_request(self, key, data, trailer_value):
        body = (f"{len(data):x}\r\n".encode() + data + b"\r\n0\r\n"
                + f"x-amz-checksum-crc32:{trailer_value}\r\n\r\n".encode())
        request = signed(self.server.endpoint, "PUT", f"/{self.bucket}/{key}", body=body, content_sha256=
                         "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
                         headers={"Content-Type": "application/octet-stream", "Content-Encoding": "aws-chunked",
                                  "X-Amz-Trailer": "x-amz-checksum-crc32",
                                  "X-Amz-Decoded-Content-Length": str(len(data))})
        return send(request)

    def test_a_wrong_trailing_checksum_is_refused(self):
        data = b"trailing checksum" * 100
        status, _, reply = self.unsigned_trailer_request("trailer-ok", data, checksum("CRC32", data))
        self.assertEqual(status, 200, reply)
        self.assertEqual(self.s3().get_object(Bucket=self.bucket, Key="trailer-ok")["Body"].read(), data)
        status, _, reply = self.unsigned_trailer_request("trailer-bad", data, checksum("CRC32", b"other"))
        self.assertEqual(status, 400, reply)
        self.assertIn(b"<Code>BadDigest</Code>", reply)
        self.assertError(self.s3().head_object, "404", 404, Bucket=self.bucket, Key="trailer-bad")

    def test_chunks_signed_one_by_one(self):
        data = os.urandom(150_000)
        status, _, reply = send(signed_chunks(self.server.endpoint, f"/{self.bucket}/signed-chunks", data,
                                              chunk_size=65536))
        self.assertEqual(status, 200, reply)
        self.assertTrue(self.s3().get_object(Bucket=self.bucket, Key="signed-chunks")["Body"].read() == data)
        status, _, reply = send(signed_chunks(self.server.endpoint, f"/{self.bucket}/tampered-chunks", data,
                                              chunk_size=65536, tamper=True))
        self.assertEqual(status, 403, reply)
        self.assertIn(b"<Code>SignatureDoesNotMatch</Code>", reply)
        self.assertError(self.s3().head_object, "404", 404, Bucket=self.bucket, Key="tampered-chunks")


class RequestStylesTest(S3Test):
    """Presigned URLs (Authenticating Requests: Query Parameters), virtual-hosted-style addressing (User Guide,
    "Virtual hosting of buckets"), and raw requests: malformed XML bodies (MalformedXML) and query
    subresources xacct does not implement (NotImplemented, 501)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = cls.new_bucket()
        cls.s3().put_object(Bucket=cls.bucket, Key="shared/file.txt", Body=b"presigned content")

    def check_presigned_get(self, s3, signature_parameter):
        url = s3.generate_presigned_url("get_object", Params={"Bucket": self.bucket, "Key": "shared/file.txt"},
                                        ExpiresIn=300)
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
        self.assertIn(signature_parameter, query)
        status, _, body = fetch(urllib.request.Request(url))
        self.assertEqual((status, body), (200, b"presigned content"))
        signature = query[signature_parameter][0]
        tampered = url.replace(urllib.parse.quote(signature, safe=""),
                               urllib.parse.quote(signature[:-2] + ("AA" if signature[-2:] != "AA" else "BB"), safe=""))
        self.assertNotEqual(tampered, url)
        status, _, body = fetch(urllib.request.Request(tampered))
        self.assertEqual(status, 403)
        self.assertIn(b"<Code>SignatureDoesNotMatch</Code>", body)

    def test_presigned_get_with_sigv4(self):
        self.check_presigned_get(self.s3(signature_version="s3v4"), "X-Amz-Signature")

    def test_presigned_get_with_the_sdks_default_signature(self):
        # boto3 (and AWS CLI v1's `aws s3 presign`) still presign with SigV2 query parameters (AWSAccessKeyId,
        # Expires, Signature) in regions where S3 accepts SigV2, ap-northeast-1 among them.
        self.check_presigned_get(self.s3(), "Signature")

    def test_presigned_put(self):
        s3 = self.s3(signature_version="s3v4")
        for content_type in ["text/plain", "application/x-www-form-urlencoded"]:  # the second as curl -d sends
            with self.subTest(content_type=content_type):
                key = f"uploaded/{content_type}"
                url = s3.generate_presigned_url("put_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=300)
                status, _, body = fetch(urllib.request.Request(url, data=b"put=through&a=URL", method="PUT",
                                                               headers={"Content-Type": content_type}))
                self.assertEqual(status, 200, body)
                got = s3.get_object(Bucket=self.bucket, Key=key)
                self.assertEqual((got["Body"].read(), got["ContentType"]), (b"put=through&a=URL", content_type))

    def test_virtual_hosted_style(self):
        endpoint = f"http://localhost:{self.server.port}"
        with subdomains_of_localhost():
            s3 = self.s3(style="virtual", endpoint=endpoint)
            bucket = f"virtual-{uuid.uuid4().hex[:12]}"
            s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
            put = s3.put_object(Bucket=bucket, Key="dir/v.txt", Body=b"virtual")
            self.assertEqual(put["ResponseMetadata"]["HTTPStatusCode"], 200)
            self.assertEqual(s3.get_object(Bucket=bucket, Key="dir/v.txt")["Body"].read(), b"virtual")
            self.assertEqual([o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]], ["dir/v.txt"])
        # The same bucket seen path-style.
        self.assertEqual(self.s3().get_object(Bucket=bucket, Key="dir/v.txt")["Body"].read(), b"virtual")

    def test_virtual_hosted_style_from_the_host_header(self):
        host = f"{self.bucket}.localhost:{self.server.port}"
        status, _, body = send(signed(self.server.endpoint, "GET", "/shared/file.txt", host=host))
        self.assertEqual((status, body), (200, b"presigned content"))

    def test_malformed_xml(self):
        cases = [("PUT", "?tagging", b"<Tagging><TagSet><Tag><Key>a</Key>"),
                 ("PUT", "?tagging", b"not xml at all"),
                 ("POST", "?delete", b"<Delete><Object><Key>a</Key></Object>"),
                 ("POST", "?delete", b"<Delete></Delete>")]
        for method, query, body in cases:
            with self.subTest(query=query, body=body):
                headers = {"Content-MD5": md5_b64(body), "Content-Type": "application/xml"}
                status, _, reply = send(signed(self.server.endpoint, method, f"/{self.bucket}{query}", body=body,
                                               headers=headers))
                self.assertEqual(status, 400, reply)
                self.assertIn(b"<Code>MalformedXML</Code>", reply)

    @needs_xacct("xacct answers NotImplemented for a query subresource it does not implement")
    def test_unknown_subresource_is_not_implemented(self):
        status, _, reply = send(signed(self.server.endpoint, "GET", f"/{self.bucket}?notarealsubresource"))
        self.assertEqual(status, 501, reply)
        self.assertIn(b"<Code>NotImplemented</Code>", reply)


@contextmanager
def subdomains_of_localhost():
    """*.localhost names the loopback (RFC 6761); where the system resolver does not know it, resolve
    it in this process so that boto3's requests still carry Host: <bucket>.localhost:<port>."""
    try:
        socket.getaddrinfo("probe.localhost", 80)
        yield
        return
    except socket.gaierror:
        pass
    real = socket.getaddrinfo

    def resolve(host, *args, **kwargs):
        if isinstance(host, str) and host.endswith(".localhost"):
            host = "127.0.0.1"
        return real(host, *args, **kwargs)

    with mock.patch("socket.getaddrinfo", resolve):
        yield


if __name__ == "__main__":
    import unittest
    unittest.main()

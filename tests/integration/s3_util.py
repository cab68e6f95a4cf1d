"""Shared pieces of the S3 suites: a server (the real `xacct serve`, or the endpoint in XACCT_S3_ENDPOINT, e.g.
moto_server, to check the suites themselves), boto3 S3 clients, raw SigV4-signed requests, and the checksums
S3 speaks that Python's standard library lacks (CRC32C, CRC64NVME)."""
import base64
import hashlib
import hmac
import os
import subprocess
import unittest
import urllib.error
import urllib.parse
import urllib.request
import uuid
import zlib

import boto3
import botocore.auth
import botocore.awsrequest
import botocore.config
import botocore.credentials
import botocore.exceptions

from harness import ACCOUNTS, REGION, Server

EXTERNAL = os.environ.get("XACCT_S3_ENDPOINT", "").rstrip("/")


def needs_xacct(reason):
    """Skips a test only when the suite runs against an external endpoint (moto), never against xacct."""
    return unittest.skipIf(EXTERNAL, f"needs xacct: {reason}")


class ExternalServer(Server):
    """Stands in for `xacct serve` when XACCT_S3_ENDPOINT names another S3 endpoint."""

    def __init__(self, endpoint):  # pylint: disable=super-init-not-called
        self.endpoint = endpoint
        self.port = urllib.parse.urlsplit(endpoint).port
        self.dir = self.data_dir = self.proc = None

    def start(self):
        return self

    def stop(self, sig=None):
        return 0

    def cleanup(self):
        pass


class S3Test(unittest.TestCase):
    """A test class with one server (or the external endpoint) for all its tests."""

    @classmethod
    def setUpClass(cls):
        cls.server = ExternalServer(EXTERNAL) if EXTERNAL else Server().start()
        # A class cleanup, not tearDownClass: it also runs when a subclass's setUpClass fails after this.
        cls.addClassCleanup(cls.stop_server)

    @classmethod
    def stop_server(cls):
        code = cls.server.stop()
        cls.server.cleanup()
        assert code == 0, f"xacct serve exited with {code} on SIGTERM"

    @classmethod
    def s3(cls, account="source", style="path", endpoint=None, **config):
        _, key, secret = ACCOUNTS[account]
        return boto3.session.Session(aws_access_key_id=key, aws_secret_access_key=secret, region_name=REGION).client(
            "s3", endpoint_url=endpoint or cls.server.endpoint,
            config=botocore.config.Config(retries={"max_attempts": 1}, s3={"addressing_style": style}, **config))

    @classmethod
    def new_bucket(cls, prefix="bucket", account="source"):
        """Creates a bucket with a fresh name (an external endpoint may outlive many runs)."""
        name = f"{prefix}-{uuid.uuid4().hex[:12]}"
        cls.s3(account).create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
        return name

    def assertError(self, call, code, status, **kwargs):
        """Runs call(**kwargs), which must fail with this S3 error code and HTTP status; returns the response."""
        try:
            call(**kwargs)
        except botocore.exceptions.ClientError as e:
            self.assertEqual((e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]),
                             (code, status), e.response["Error"])
            return e.response
        self.fail(f"{getattr(call, '__name__', call)} was expected to fail with {code} ({status})")


def error_of(call, **kwargs):
    try:
        call(**kwargs)
    except botocore.exceptions.ClientError as e:
        return e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"], e.response
    raise AssertionError("the call was expected to fail")


class _FixedPayloadAuth(botocore.auth.S3SigV4Auth):
    """SigV4 with a given x-amz-content-sha256 (STREAMING-... for aws-chunked bodies)."""

    def __init__(self, credentials, content_sha256):
        super().__init__(credentials, "s3", REGION)
        self.content_sha256 = content_sha256

    def payload(self, request):
        return self.content_sha256 or super().payload(request)


def signed(endpoint, method, path, account="source", body=b"", headers=None, host=None, content_sha256=None):
    """A raw S3 request signed with SigV4 by botocore's own signer (x-amz-content-sha256 is the body's hash
    unless content_sha256 is given)."""
    _, key, secret = ACCOUNTS[account]
    request = botocore.awsrequest.AWSRequest(method=method, url=endpoint + path, data=body,
                                             headers=dict(headers or {}))
    if host:
        request.headers["Host"] = host
    _FixedPayloadAuth(botocore.credentials.Credentials(key, secret), content_sha256).add_auth(request)
    return request


def signed_chunks(endpoint, path, data, chunk_size=65536, account="source", tamper=False):
    """A PUT whose body is aws-chunked with every chunk signed (STREAMING-AWS4-HMAC-SHA256-PAYLOAD): each
    chunk's signature chains from the previous one, starting from the request's own signature. tamper
    flips a byte of the second chunk after signing."""
    _, key, secret = ACCOUNTS[account]
    sizes = [min(chunk_size, len(data) - i) for i in range(0, len(data), chunk_size)] + [0]
    encoded_length = sum(len(f"{n:x};chunk-signature=") + 64 + 2 + n + 2 for n in sizes)
    request = signed(endpoint, "PUT", path, account, headers={
        "Content-Type": "application/octet-stream", "Content-Encoding": "aws-chunked",
        "X-Amz-Decoded-Content-Length": str(len(data)),
        "Content-Length": str(encoded_length)}, content_sha256="STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
    amz_date = request.headers["X-Amz-Date"]
    scope = f"{amz_date[:8]}/{REGION}/s3/aws4_request"
    signing_key = f"AWS4{secret}".encode()
    for part in [amz_date[:8], REGION, "s3", "aws4_request"]:
        signing_key = hmac.new(signing_key, part.encode(), hashlib.sha256).digest()
    previous = request.headers["Authorization"].rsplit("Signature=", 1)[1]
    body, offset = b"", 0
    for n in sizes:
        chunk = data[offset:offset + n]
        offset += n
        to_sign = "\n".join(["AWS4-HMAC-SHA256-PAYLOAD", amz_date, scope, previous, hashlib.sha256(b"").hexdigest(),
                             hashlib.sha256(chunk).hexdigest()])
        previous = hmac.new(signing_key, to_sign.encode(), hashlib.sha256).hexdigest()
        if tamper and body and n:
            chunk = bytes([chunk[0] ^ 1]) + chunk[1:]
        body += f"{n:x};chunk-signature={previous}\r\n".encode() + chunk + b"\r\n"
    assert len(body) == encoded_length
    request.data = body
    return request


def send(request):
    """Sends a botocore AWSRequest with urllib; returns (status, headers, body bytes) for any status."""
    prepared = request.prepare()
    body = prepared.body.encode() if isinstance(prepared.body, str) else prepared.body
    raw = urllib.request.Request(prepared.url, data=body or None, headers=dict(prepared.headers),
                                 method=prepared.method)
    return fetch(raw)


def fetch(request, timeout=60):
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def b64(data):
    return base64.b64encode(data).decode()


def md5_b64(data):
    return b64(hashlib.md5(data).digest())


def _table(poly):
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ poly if c & 1 else c >> 1
        table.append(c)
    return table


_CRC32C = _table(0x82F63B78)
_CRC64NVME = _table(0x9A6C9329AC4BC9B5)


def _reflected_crc(data, table, mask):
    crc = mask
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ mask


def crc32c(data):
    return _reflected_crc(data, _CRC32C, 0xFFFFFFFF)


def crc64nvme(data):
    return _reflected_crc(data, _CRC64NVME, 0xFFFFFFFFFFFFFFFF)


def checksum(algorithm, data):
    """The value S3 returns in x-amz-checksum-<algorithm>: base64 of the big-endian digest."""
    if algorithm == "CRC32":
        return b64((zlib.crc32(data) & 0xFFFFFFFF).to_bytes(4, "big"))
    if algorithm == "CRC32C":
        return b64(crc32c(data).to_bytes(4, "big"))
    if algorithm == "CRC64NVME":
        return b64(crc64nvme(data).to_bytes(8, "big"))
    if algorithm == "SHA1":
        return b64(hashlib.sha1(data).digest())
    if algorithm == "SHA256":
        return b64(hashlib.sha256(data).digest())
    raise ValueError(algorithm)


def multipart_etag(parts):
    """S3's ETag of a completed multipart upload: md5 of the concatenated binary md5s of the parts, then -N."""
    digests = b"".join(hashlib.md5(p).digest() for p in parts)
    return f'"{hashlib.md5(digests).hexdigest()}-{len(parts)}"'


def run_cli(server, command, args, account="source", cwd=None, timeout=300):
    """An AWS CLI run against the server, like harness.Server.cli but with a working directory and a longer
    time limit (large copies)."""
    _, key, secret = ACCOUNTS[account]
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({"AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": secret, "AWS_DEFAULT_REGION": REGION,
                "AWS_MAX_ATTEMPTS": "1", "AWS_PAGER": "", "AWS_CONFIG_FILE": "/dev/null",
                "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"})
    out = subprocess.run([command, "--endpoint-url", server.endpoint, "--output", "json", *args],
                         capture_output=True, text=True, env=env, timeout=timeout, cwd=cwd)
    return out.returncode, out.stdout, out.stderr

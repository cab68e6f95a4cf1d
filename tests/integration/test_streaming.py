"""Request bodies that stream (S3 uploads) never sit in memory (issue "The server"): a signed 256 MiB PUT —
four times the limit for bodies read whole — passes through a server whose resident memory stays small,
lands as an object of that size, and is answered once it has all arrived. (256 MiB keeps the sanitizer
build's run short; the release build streams 1 GiB the same way in about a second.)"""
import socket
import unittest

import botocore.auth
import botocore.awsrequest
import botocore.config
import botocore.credentials

from harness import ACCOUNTS, REGION, ServerTest


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0


class StreamingBodyTest(ServerTest):
    def test_a_large_upload_streams_through(self):
        s3 = self.server.root("s3", "source")
        s3.create_bucket(Bucket="stream-bucket", CreateBucketConfiguration={"LocationConstraint": REGION})
        size = 256 * 1024 ** 2
        piece = b"\0" * (1 << 20)
        url = f"http://127.0.0.1:{self.server.port}/stream-bucket/big-object"
        request = botocore.awsrequest.AWSRequest(method="PUT", url=url, headers={
            "Content-Type": "application/octet-stream", "Content-Length": str(size),
            "x-amz-content-sha256": "UNSIGNED-PAYLOAD"})
        request.context["client_config"] = botocore.config.Config(s3={"payload_signing_enabled": False})
        _, key, secret = ACCOUNTS["source"]
        botocore.auth.S3SigV4Auth(botocore.credentials.Credentials(key, secret), "s3", REGION).add_auth(request)
        head = f"PUT /stream-bucket/big-object HTTP/1.1\r\nHost: 127.0.0.1:{self.server.port}\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in request.headers.items() if k.lower() != "host") + "\r\n"
        baseline = rss_mb(self.server.proc.pid)
        peak = baseline
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=120) as s:
            s.sendall(head.encode())
            for i in range(size // len(piece)):
                s.sendall(piece)
                if i % 16 == 0:
                    peak = max(peak, rss_mb(self.server.proc.pid))
            reply = b""
            while b"\r\n\r\n" not in reply or (b" 200 " not in reply[:20] and b"</Error>" not in reply):
                chunk = s.recv(65536)
                if not chunk:
                    break
                reply += chunk
        text = reply.decode(errors="replace")
        self.assertIn("200", text.split("\r\n")[0], text)
        self.assertIn('ETag: "', text)
        self.assertEqual(s3.head_object(Bucket="stream-bucket", Key="big-object")["ContentLength"], size)
        # Holding the body would take 256 MiB; streaming it takes a 64 KiB buffer.
        self.assertLess(peak - baseline, 64,
                        f"the server's RSS grew from {baseline:.0f} to {peak:.0f} MB while {size >> 20} MiB streamed")

    def test_query_protocol_bodies_are_still_limited(self):
        head = (b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                b"Transfer-Encoding: chunked\r\n\r\n")
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=60) as s:
            s.sendall(head)
            piece = b"a" * (1 << 20)
            chunk = f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
            for _ in range(65):  # 65 MiB, past the 64 MiB limit for bodies read whole
                s.sendall(chunk)
            reply = s.recv(65536)
        self.assertTrue(reply.startswith(b"HTTP/1.1 400"), reply[:200])
        self.assertIn(b"<Code>EntityTooLarge</Code>", reply)


if __name__ == "__main__":
    unittest.main()

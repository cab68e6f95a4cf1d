"""The HTTP layer as clients see it, over raw sockets against the real `xacct serve`.

Expect: 100-continue (RFC 9110, section 10.1.1): botocore and the AWS CLI send it on S3 uploads and hold
the body back for about a second waiting for "100 Continue"; the server sends it once the request's head
has been routed, and only when it will read the body. A request refused before its body gets its final
answer instead.

HEAD (RFC 9110, section 9.3.2): the answer carries the Content-Length a GET would have and no body, so
the connection stays usable for the next request.

The requests are anonymous, to a bucket whose policy lets anyone write (Block Public Access lifted for it);
these tests pin down the framing. An anonymous upload to a bucket that does not exist is refused before its
body, so it gets no 100 Continue."""
import json
import socket
import unittest

from harness import REGION, ServerTest


def open_bucket(server):
    """A bucket anyone may write and read: the fixture anonymous raw-socket requests need."""
    s3 = server.root("s3", "source")
    s3.create_bucket(Bucket="bucket", CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_public_access_block(Bucket="bucket", PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": False,
        "RestrictPublicBuckets": False})
    s3.put_bucket_policy(Bucket="bucket", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": ["s3:PutObject", "s3:GetObject"],
         "Resource": "arn:aws:s3:::bucket/*"}]}))
    s3.put_object(Bucket="bucket", Key="key", Body=b"0123456789" * 100)

CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"


class Connection:
    """One keep-alive connection with a parser just large enough for the answers here."""

    def __init__(self, port, timeout=10):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.pending = b""

    def close(self):
        self.sock.close()

    def send(self, data):
        self.sock.sendall(data)

    def read_head(self, timeout=10):
        """The next response head: (status, {lower-case name: value}, raw bytes)."""
        self.sock.settimeout(timeout)
        while b"\r\n\r\n" not in self.pending:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("connection closed before a response head: " + repr(self.pending[:200]))
            self.pending += chunk
        raw, self.pending = self.pending.split(b"\r\n\r\n", 1)
        lines = raw.decode().split("\r\n")
        headers = {}
        for line in lines[1:]:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
        return int(lines[0].split(" ")[1]), headers, raw + b"\r\n\r\n"

    def read_body(self, length):
        while len(self.pending) < length:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("connection closed inside a body")
            self.pending += chunk
        body, self.pending = self.pending[:length], self.pending[length:]
        return body

    def read_response(self, head_request=False):
        status, headers, _ = self.read_head()
        body = b"" if head_request else self.read_body(int(headers.get("content-length", "0")))
        return status, headers, body

    def nothing_more_arrives(self, wait=0.3):
        if self.pending:
            return False
        self.sock.settimeout(wait)
        try:
            self.pending = self.sock.recv(65536)
        except socket.timeout:
            return True
        return False  # bytes, or the connection closed


def put_head(path, length, expect=True, content_type="application/octet-stream"):
    head = f"PUT {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\nContent-Length: {length}\r\n"
    if expect:
        head += "Expect: 100-continue\r\n"
    return (head + "\r\n").encode()


class ExpectContinueTest(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        open_bucket(cls.server)

    def test_an_anonymous_upload_to_a_missing_bucket_is_refused_without_100_continue(self):
        c = Connection(self.server.port)
        c.send(put_head("/no-such-bucket/object", 1 << 20))
        status, _, body = c.read_response()
        self.assertEqual(status, 404)
        self.assertIn(b"<Code>NoSuchBucket</Code>", body)
        c.close()

    def connect(self):
        c = Connection(self.server.port)
        self.addCleanup(c.close)
        return c

    def assert_still_usable(self, c):
        c.send(b"HEAD /bucket/key HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        status, headers, _ = c.read_response(head_request=True)
        self.assertNotEqual(status, 100)
        self.assertNotEqual(headers.get("connection", "").lower(), "close")

    def test_an_upload_that_expects_100_continue_gets_it_before_sending_the_body(self):
        size = 1 << 20
        c = self.connect()
        c.send(put_head("/bucket/object", size))
        _, _, raw = c.read_head(timeout=0.5)  # botocore waits about a second before sending the body anyway
        self.assertEqual(raw, CONTINUE)
        c.send(b"x" * size)
        status, headers, _ = c.read_response()
        self.assertNotEqual(status, 100)
        self.assertEqual(headers.get("x-xacct-body-bytes", str(size)), str(size))  # the body was read as a body
        self.assert_still_usable(c)

    def test_every_upload_on_a_connection_gets_its_own_100_continue(self):
        c = self.connect()
        for i in range(3):
            c.send(put_head(f"/bucket/object-{i}", 10))
            self.assertEqual(c.read_head(timeout=0.5)[2], CONTINUE)
            c.send(b"0123456789")
            self.assertNotEqual(c.read_response()[0], 100)

    def test_no_100_continue_when_it_is_not_expected(self):
        cases = [
            ("no Expect header", put_head("/bucket/object", 10, expect=False) + b"0123456789"),
            ("no body to send", put_head("/bucket/object", 0)),
            ("a GET", b"GET /bucket/object HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\n\r\n"),
        ]
        for name, request in cases:
            with self.subTest(name):
                c = self.connect()
                c.send(request)
                status, _, _ = c.read_response()
                self.assertNotEqual(status, 100)
                self.assertTrue(c.nothing_more_arrives())
                self.assert_still_usable(c)

    def test_a_request_refused_before_its_body_gets_the_final_answer_instead(self):
        # 100 MiB is past the 64 MiB limit for bodies read whole (the query protocol's).
        c = self.connect()
        c.send(put_head("/", 100 << 20, content_type="application/x-www-form-urlencoded").replace(b"PUT", b"POST", 1))
        status, headers, body = c.read_response()
        self.assertEqual(status, 400)
        self.assertIn(b"<Code>EntityTooLarge</Code>", body)
        self.assertEqual(headers.get("connection", "").lower(), "close")


class HeadTest(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        open_bucket(cls.server)

    def test_head_answers_carry_a_content_length_and_no_body_on_a_kept_alive_connection(self):
        c = Connection(self.server.port)
        self.addCleanup(c.close)
        for _ in range(2):
            c.send(b"HEAD /bucket/key HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            status, headers, _ = c.read_head()
            self.assertNotEqual(status, 100)
            self.assertIn("content-length", headers)
            self.assertNotEqual(headers.get("connection", "").lower(), "close")
            self.assertTrue(c.nothing_more_arrives(), "no body bytes follow a HEAD answer")
        # A GET on the same connection still gets its body.
        c.send(b"GET /bucket/key HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        status, headers, body = c.read_response()
        self.assertEqual(len(body), int(headers["content-length"]))
        self.assertTrue(c.nothing_more_arrives())


if __name__ == "__main__":
    unittest.main()

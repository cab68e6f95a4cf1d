"""Bad input gets a clear, AWS-shaped error and the server keeps serving: malformed HTTP, oversized headers
and bodies, bodies that are not what the protocol expects, hostile values."""
import json
import socket
import unittest

import botocore.auth
import botocore.awsrequest
import botocore.credentials
import botocore.exceptions

from harness import ACCOUNTS, ServerTest
from test_signing import send, signed_request


def raw(port, data, read=65536):
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(data)
        chunks = []
        try:
            while True:
                chunk = s.recv(read)
                if not chunk:
                    break
                chunks.append(chunk)
        except socket.timeout:
            pass
        return b"".join(chunks).decode(errors="replace")


class BadInputTest(ServerTest):
    def assert_still_serving(self):
        self.assertEqual(self.server.root("sts", "source").get_caller_identity()["Account"], "111111111111")

    def test_malformed_http(self):
        reply = raw(self.server.port, b"THIS IS NOT HTTP\r\n\r\n")
        self.assertIn("400", reply.split("\r\n")[0])
        self.assertIn("<Code>BadRequest</Code>", reply)
        self.assert_still_serving()

    def test_oversized_header_section(self):
        reply = raw(self.server.port, b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 70000 + b"\r\n\r\n")
        self.assertIn("400", reply.split("\r\n")[0])
        self.assertIn("<Code>RequestHeaderSectionTooLarge</Code>", reply)
        self.assert_still_serving()

    def test_oversized_body_is_refused_before_it_is_read(self):
        head = (f"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {5 * 1024 ** 3}\r\n\r\n").encode()
        reply = raw(self.server.port, head + b"Action=GetCallerIdentity")
        self.assertIn("400", reply.split("\r\n")[0])
        self.assertIn("<Code>EntityTooLarge</Code>", reply)
        self.assert_still_serving()

    def organizations_request(self, operation, body):
        """A JSON 1.1 request to Organizations, signed by botocore as the management account's root."""
        _, key, secret = ACCOUNTS["management"]
        request = botocore.awsrequest.AWSRequest(
            method="POST", url=self.server.endpoint + "/", data=body,
            headers={"Content-Type": "application/x-amz-json-1.1",
                     "X-Amz-Target": "AWSOrganizationsV20161128." + operation})
        botocore.auth.SigV4Auth(botocore.credentials.Credentials(key, secret), "organizations",
                                "us-east-1").add_auth(request)
        return send(request)

    def test_json_body_that_is_not_json(self):
        status, body = self.organizations_request("DescribeOrganization", "{not json")
        self.assertEqual(status, 400)
        self.assertEqual(json.loads(body)["__type"].split("#")[-1], "SerializationException")
        self.assert_still_serving()

    def test_unknown_json_target(self):
        status, body = self.organizations_request("NoSuchOperation", "{}")
        self.assertEqual(status, 400)
        self.assertIn("UnknownOperationException", body)

    def test_hostile_names_are_validated_not_stored(self):
        iam = self.server.root("iam", "source")
        for name in ["../../etc/passwd", "a" * 200, "bad name", ""]:
            with self.assertRaises((botocore.exceptions.ClientError, botocore.exceptions.ParamValidationError)):
                iam.create_user(UserName=name)
        names = [u["UserName"] for u in iam.list_users()["Users"]]
        self.assertNotIn("../../etc/passwd", names)

    def test_missing_required_parameter(self):
        _, key, secret = ACCOUNTS["source"]
        status, body = send(signed_request(self.server.endpoint, key, secret,
                                           body="Action=AssumeRole&Version=2011-06-15&RoleSessionName=xx"))
        self.assertEqual(status, 400)
        self.assertIn("roleArn", body)

    def test_unsigned_request(self):
        import urllib.request, urllib.error
        try:
            urllib.request.urlopen(urllib.request.Request(
                self.server.endpoint + "/", data=b"Action=GetCallerIdentity&Version=2011-06-15",
                headers={"Content-Type": "application/x-www-form-urlencoded"}), timeout=30)
            self.fail("an unsigned request was served")
        except urllib.error.HTTPError as e:
            self.assertIn(e.code, (400, 403))
            self.assertIn("MissingAuthenticationToken", e.read().decode())


if __name__ == "__main__":
    unittest.main()

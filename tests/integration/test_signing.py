"""SigV4 as AWS enforces it, with raw requests signed by botocore's own signer: a tampered signature, a
skewed clock, an expired presigned URL, an expired session token (STS API Reference; IAM User Guide,
"Signature Version 4 signing process")."""
import datetime
import json
import sqlite3
import time
import unittest
import urllib.error
import urllib.request
from unittest import mock

import botocore.auth
import botocore.awsrequest
import botocore.credentials

from harness import ACCOUNTS, REGION, ServerTest, allow, trust_policy


def fixed_clock(when):
    """Makes botocore sign as if it were `when` (old and new botocore read the clock differently)."""
    if hasattr(botocore.auth, "get_current_datetime"):
        return mock.patch("botocore.auth.get_current_datetime", return_value=when)

    class Frozen(datetime.datetime):
        @classmethod
        def utcnow(cls):
            return when

    return mock.patch("botocore.auth.datetime.datetime", Frozen)


def signed_request(endpoint, key, secret, token=None, body="Action=GetCallerIdentity&Version=2011-06-15", when=None):
    request = botocore.awsrequest.AWSRequest(method="POST", url=endpoint + "/", data=body,
                                             headers={"Content-Type": "application/x-www-form-urlencoded"})
    signer = botocore.auth.SigV4Auth(botocore.credentials.Credentials(key, secret, token), "sts", REGION)
    if when is None:
        signer.add_auth(request)
    else:
        with fixed_clock(when):
            signer.add_auth(request)
    return request


def send(request):
    prepared = request.prepare()
    raw = urllib.request.Request(prepared.url, data=prepared.body.encode() if isinstance(prepared.body, str)
                                 else prepared.body, headers=dict(prepared.headers), method=prepared.method)
    try:
        with urllib.request.urlopen(raw, timeout=30) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


class SigningTest(ServerTest):
    def test_a_correct_raw_request_passes(self):
        _, key, secret = ACCOUNTS["source"]
        status, body = send(signed_request(self.server.endpoint, key, secret))
        self.assertEqual(status, 200, body)
        self.assertIn("<Arn>arn:aws:iam::111111111111:root</Arn>", body)

    def test_tampered_signature(self):
        _, key, secret = ACCOUNTS["source"]
        request = signed_request(self.server.endpoint, key, secret)
        auth = request.headers["Authorization"]
        last = auth[-1]
        request.headers.replace_header("Authorization", auth[:-1] + ("0" if last != "0" else "1"))
        status, body = send(request)
        self.assertEqual(status, 403)
        self.assertIn("<Code>SignatureDoesNotMatch</Code>", body)

    def test_tampered_body(self):
        _, key, secret = ACCOUNTS["source"]
        request = signed_request(self.server.endpoint, key, secret)
        request.data = "Action=GetCallerIdentity&Version=2011-06-15&x=1"
        status, body = send(request)
        self.assertEqual(status, 403)
        self.assertIn("SignatureDoesNotMatch", body)

    def test_skewed_clock(self):
        _, key, secret = ACCOUNTS["source"]
        past = datetime.datetime.utcnow() - datetime.timedelta(minutes=20)
        status, body = send(signed_request(self.server.endpoint, key, secret, when=past))
        self.assertEqual(status, 403)
        self.assertIn("<Code>SignatureDoesNotMatch</Code>", body)
        self.assertIn("Signature expired", body)

    def test_expired_presigned_url(self):
        _, key, secret = ACCOUNTS["source"]
        sts = self.server.root("sts", "source")
        url = sts.generate_presigned_url("get_caller_identity", ExpiresIn=1, HttpMethod="GET")
        with urllib.request.urlopen(url, timeout=30) as r:
            self.assertEqual(r.status, 200)
        time.sleep(2.2)
        try:
            urllib.request.urlopen(url, timeout=30)
            self.fail("an expired presigned URL was accepted")
        except urllib.error.HTTPError as e:
            self.assertEqual(e.code, 403)
            self.assertIn("expired", e.read().decode().lower())

    def test_expired_session_token(self):
        iam = self.server.root("iam", "target")
        iam.create_role(RoleName="short", AssumeRolePolicyDocument=trust_policy({"AWS": "222222222222"}))
        iam.create_user(UserName="assumer")
        iam.put_user_policy(UserName="assumer", PolicyName="p", PolicyDocument=allow("sts:AssumeRole"))
        k = iam.create_access_key(UserName="assumer")["AccessKey"]
        c = self.server.client("sts", k["AccessKeyId"], k["SecretAccessKey"]).assume_role(
            RoleArn="arn:aws:iam::222222222222:role/short", RoleSessionName="ss", DurationSeconds=900)["Credentials"]
        as_session = self.server.client("sts", c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])
        self.assertIn("assumed-role/short/ss", as_session.get_caller_identity()["Arn"])
        # Fifteen minutes pass: with the server stopped, the test moves the session's expiry into the past in
        # the real store; the restarted server reads the session back from it.
        self.server.stop()
        db = sqlite3.connect(self.server.data_dir + "/meta.db")
        row = db.execute("SELECT body FROM documents WHERE kind = 'sts-session' AND id = ?", (c["AccessKeyId"],)).fetchone()
        session = json.loads(row[0])
        session["Expiration"] = int(time.time()) - 1
        db.execute("UPDATE documents SET body = ? WHERE kind = 'sts-session' AND id = ?",
                   (json.dumps(session), c["AccessKeyId"]))
        db.commit()
        db.close()
        self.server.start()
        as_session = self.server.client("sts", c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])
        try:
            as_session.get_caller_identity()
            self.fail("an expired session was accepted")
        except botocore.exceptions.ClientError as e:
            self.assertEqual(e.response["Error"]["Code"], "ExpiredToken")
            self.assertEqual(e.response["ResponseMetadata"]["HTTPStatusCode"], 403)


class OversizedAndMalformedTest(ServerTest):
    def test_malformed_form_body_gets_an_aws_error(self):
        _, key, secret = ACCOUNTS["source"]
        status, body = send(signed_request(self.server.endpoint, key, secret, body="Action=GetCallerIdentity&%zz"))
        self.assertIn(status, (400, 403))
        self.assertIn("<Code>", body)

    def test_unknown_action(self):
        _, key, secret = ACCOUNTS["source"]
        status, body = send(signed_request(self.server.endpoint, key, secret, body="Action=NoSuchThing&Version=2011-06-15"))
        self.assertEqual(status, 400)
        self.assertIn("<Code>InvalidAction</Code>", body)


if __name__ == "__main__":
    unittest.main()

"""Seed 003's resource-based cross-account access to S3, as AWS authorizes it.

Amazon S3 User Guide, "How Amazon S3 authorizes a request for an object operation" and "Bucket owner
granting cross-account bucket permissions": across accounts both the caller's identity policy (its
account) and the bucket policy (the owner's account) must allow; within the owner's account either
suffices; an explicit Deny anywhere wins. The bucket policy is the one CDK synthesized for seed 003
(AccountPrincipal('222222222222') and OrganizationPrincipal('o-exampleorgid') on the bucket's objects).
"""
import json
import os
import subprocess
import time
import unittest

import botocore.exceptions

from harness import ACCOUNTS, XACCT, ServerTest, allow

SEED = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "scenarios", "seed003", "synthesized",
                    "seed003-source.template.json")
BUCKET = "seed003-source-bucket"
OPEN_BUCKET = "seed003-no-policy"


def resolve(value, bucket):
    """The template's Fn::Join / Fn::GetAtt for the bucket's ARN, resolved as CloudFormation would."""
    if isinstance(value, dict) and "Fn::Join" in value:
        sep, parts = value["Fn::Join"]
        return sep.join(resolve(p, bucket) for p in parts)
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        return f"arn:aws:s3:::{bucket}"
    if isinstance(value, list):
        return [resolve(v, bucket) for v in value]
    if isinstance(value, dict):
        return {k: resolve(v, bucket) for k, v in value.items()}
    return value


def seed_policy(bucket):
    with open(SEED) as f:
        template = json.load(f)
    policy = next(r for r in template["Resources"].values() if r["Type"] == "AWS::S3::BucketPolicy")
    return resolve(policy["Properties"]["PolicyDocument"], bucket)


class Seed003BucketPolicyTest(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s3 = cls.server.root("s3", "source")
        for name in (BUCKET, OPEN_BUCKET):
            s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "ap-northeast-1"})
            for key in ("data/sales.csv", "data/secret.csv"):
                s3.put_object(Bucket=name, Key=key, Body=b"id,amount\n1,10\n")
        policy = seed_policy(BUCKET)
        # A Deny in the bucket policy beats every allow.
        policy["Statement"].append({"Sid": "DenySecret", "Effect": "Deny", "Principal": {"AWS": "*"},
                                    "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{BUCKET}/data/secret.csv",
                                    "Condition": {"StringNotEquals": {"aws:PrincipalAccount": "111111111111"}}})
        s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(policy))
        # Principals of the target account: one with an identity grant, one without, one with s3:* on *.
        iam = cls.server.root("iam", "target")
        cls.users = {}
        for name, document in (("reader", allow(["s3:GetObject"], f"arn:aws:s3:::{BUCKET}/*")),
                               ("nogrant", None),
                               ("everything", allow("s3:*", "*"))):
            iam.create_user(UserName=name)
            if document:
                iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=document)
            key = iam.create_access_key(UserName=name)["AccessKey"]
            cls.users[name] = cls.server.client("s3", key["AccessKeyId"], key["SecretAccessKey"])
        source_iam = cls.server.root("iam", "source")
        source_iam.create_user(UserName="lister")
        source_iam.put_user_policy(UserName="lister", PolicyName="p", PolicyDocument=allow(
            ["s3:GetObject", "s3:ListBucket"], [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"]))
        key = source_iam.create_access_key(UserName="lister")["AccessKey"]
        cls.users["lister"] = cls.server.client("s3", key["AccessKeyId"], key["SecretAccessKey"])

    def denied(self, client, bucket, key):
        with self.assertRaises(botocore.exceptions.ClientError) as e:
            client.get_object(Bucket=bucket, Key=key)
        return e.exception.response

    def explain(self, response):
        request_id = response["ResponseMetadata"]["HTTPHeaders"]["x-amz-request-id"]
        for _ in range(30):  # the audit log is flushed every second
            out = subprocess.run([XACCT, "explain", request_id, "--data-dir", self.server.data_dir],
                                 capture_output=True, text=True, timeout=30)
            if out.returncode == 0:
                break
            time.sleep(0.2)
        self.assertEqual(out.returncode, 0, out.stderr)
        return out.stdout

    def test_seed_policy_is_not_public_so_block_public_policy_accepts_it(self):
        status = self.server.root("s3", "source").get_bucket_policy_status(Bucket=BUCKET)
        self.assertFalse(status["PolicyStatus"]["IsPublic"])

    def test_target_principal_with_an_identity_grant_reads(self):
        body = self.users["reader"].get_object(Bucket=BUCKET, Key="data/sales.csv")["Body"].read()
        self.assertEqual(body, b"id,amount\n1,10\n")

    def test_target_account_root_reads_through_the_account_principal(self):
        self.server.root("s3", "target").get_object(Bucket=BUCKET, Key="data/sales.csv")

    def test_organization_member_reads_through_the_org_statement(self):
        # The management account is in o-exampleorgid but not named by AccountPrincipal.
        self.server.root("s3", "management").get_object(Bucket=BUCKET, Key="data/sales.csv")

    def test_target_principal_without_identity_grant_is_denied_on_its_own_side(self):
        response = self.denied(self.users["nogrant"], BUCKET, "data/sales.csv")
        self.assertEqual(response["Error"]["Code"], "AccessDenied")
        self.assertEqual(response["ResponseMetadata"]["HTTPStatusCode"], 403)
        self.assertIn("no identity-based policy", response["Error"]["Message"])
        explanation = self.explain(response)
        self.assertIn("identity", explanation)
        self.assertIn("arn:aws:iam::222222222222:user/nogrant", explanation)

    def test_grant_of_everything_in_own_account_does_not_open_another_accounts_bucket(self):
        response = self.denied(self.users["everything"], OPEN_BUCKET, "data/sales.csv")
        self.assertEqual(response["Error"]["Code"], "AccessDenied")
        explanation = self.explain(response)
        self.assertIn("111111111111", explanation)
        self.assertIn("resource", explanation.lower())

    def test_outsider_outside_the_organization_is_denied_with_a_bare_message(self):
        response = self.denied(self.server.root("s3", "outsider"), BUCKET, "data/sales.csv")
        self.assertEqual(response["Error"]["Code"], "AccessDenied")
        self.assertEqual(response["Error"]["Message"], "Access Denied")
        self.assertIn("333333333333", self.explain(response))

    def test_deny_in_the_bucket_policy_beats_every_allow(self):
        for client in (self.users["reader"], self.users["everything"], self.server.root("s3", "target")):
            response = self.denied(client, BUCKET, "data/secret.csv")
            self.assertEqual(response["Error"]["Code"], "AccessDenied")
            self.assertIn("DenySecret", self.explain(response))
        # The owner's own account is excepted by the Deny's condition.
        self.server.root("s3", "source").get_object(Bucket=BUCKET, Key="data/secret.csv")

    def test_missing_key_is_404_only_for_a_caller_allowed_to_list(self):
        # The seed's policy grants s3:List* on the objects, not the bucket, so the target reader may not list.
        response = self.denied(self.users["reader"], BUCKET, "data/missing.csv")
        self.assertEqual(response["ResponseMetadata"]["HTTPStatusCode"], 403)
        response = self.denied(self.users["lister"], BUCKET, "data/missing.csv")
        self.assertEqual(response["Error"]["Code"], "NoSuchKey")
        self.assertEqual(response["ResponseMetadata"]["HTTPStatusCode"], 404)

    def test_cross_account_caller_cannot_write_with_only_a_read_policy(self):
        with self.assertRaises(botocore.exceptions.ClientError) as e:
            self.users["everything"].put_object(Bucket=BUCKET, Key="data/new.csv", Body=b"x")
        self.assertEqual(e.exception.response["Error"]["Code"], "AccessDenied")

    def test_bucket_policy_of_another_account_cannot_be_read_or_replaced(self):
        target = self.server.root("s3", "target")
        with self.assertRaises(botocore.exceptions.ClientError) as e:
            target.get_bucket_policy(Bucket=BUCKET)
        self.assertEqual(e.exception.response["Error"]["Code"], "AccessDenied")


class ObjectTagConditionsTest(ServerTest):
    """s3:RequestObjectTag/<key> and s3:ExistingObjectTag/<key> (Amazon S3 User Guide, "Tagging and access
    control policies")."""

    def test_tag_conditions_decide_writes_and_reads(self):
        s3 = self.server.root("s3", "source")
        s3.create_bucket(Bucket="tagged", CreateBucketConfiguration={"LocationConstraint": "ap-northeast-1"})
        s3.put_object(Bucket="tagged", Key="public", Body=b"p", Tagging="class=public")
        s3.put_object(Bucket="tagged", Key="secret", Body=b"s", Tagging="class=secret")
        iam = self.server.root("iam", "source")
        iam.create_user(UserName="tagger")
        iam.put_user_policy(UserName="tagger", PolicyName="p", PolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["s3:PutObject", "s3:PutObjectTagging"],
                 "Resource": "arn:aws:s3:::tagged/*",
                 "Condition": {"StringEquals": {"s3:RequestObjectTag/team": "data"}}},
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::tagged/*",
                 "Condition": {"StringEquals": {"s3:ExistingObjectTag/class": "public"}}}]}))
        key = iam.create_access_key(UserName="tagger")["AccessKey"]
        user = self.server.client("s3", key["AccessKeyId"], key["SecretAccessKey"])
        user.put_object(Bucket="tagged", Key="new", Body=b"n", Tagging="team=data")
        for call in (lambda: user.put_object(Bucket="tagged", Key="new2", Body=b"n", Tagging="team=web"),
                     lambda: user.put_object(Bucket="tagged", Key="new3", Body=b"n"),
                     lambda: user.get_object(Bucket="tagged", Key="secret")):
            with self.assertRaises(botocore.exceptions.ClientError) as e:
                call()
            self.assertEqual(e.exception.response["Error"]["Code"], "AccessDenied")
        self.assertEqual(user.get_object(Bucket="tagged", Key="public")["Body"].read(), b"p")


class BlockPublicAccessTest(ServerTest):
    """User Guide, "Blocking public access to your Amazon S3 storage"."""

    def test_public_policy_is_refused_then_restricted_to_the_owner(self):
        s3 = self.server.root("s3", "source")
        s3.create_bucket(Bucket="bpa-bucket", CreateBucketConfiguration={"LocationConstraint": "ap-northeast-1"})
        s3.put_object(Bucket="bpa-bucket", Key="k", Body=b"v")
        public = json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bpa-bucket/*"}]})
        with self.assertRaises(botocore.exceptions.ClientError) as e:
            s3.put_bucket_policy(Bucket="bpa-bucket", Policy=public)
        self.assertEqual(e.exception.response["Error"]["Code"], "AccessDenied")
        self.assertIn("BlockPublicPolicy", e.exception.response["Error"]["Message"])
        # Allow public policies but keep RestrictPublicBuckets: other accounts still get nothing from it.
        s3.put_public_access_block(Bucket="bpa-bucket", PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": False,
            "RestrictPublicBuckets": True})
        s3.put_bucket_policy(Bucket="bpa-bucket", Policy=public)
        self.assertTrue(s3.get_bucket_policy_status(Bucket="bpa-bucket")["PolicyStatus"]["IsPublic"])
        outsider = self.server.root("s3", "outsider")
        with self.assertRaises(botocore.exceptions.ClientError) as e:
            outsider.get_object(Bucket="bpa-bucket", Key="k")
        self.assertEqual(e.exception.response["Error"]["Code"], "AccessDenied")
        # Without RestrictPublicBuckets the public grant reaches every account (its identity side is root).
        s3.put_public_access_block(Bucket="bpa-bucket", PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": False,
            "RestrictPublicBuckets": False})
        self.assertEqual(outsider.get_object(Bucket="bpa-bucket", Key="k")["Body"].read(), b"v")

    def test_policy_naming_a_user_that_does_not_exist_is_malformed(self):
        s3 = self.server.root("s3", "source")
        s3.create_bucket(Bucket="bad-principal", CreateBucketConfiguration={"LocationConstraint": "ap-northeast-1"})
        policy = json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::222222222222:user/nobody"},
             "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bad-principal/*"}]})
        with self.assertRaises(botocore.exceptions.ClientError) as e:
            s3.put_bucket_policy(Bucket="bad-principal", Policy=policy)
        self.assertEqual(e.exception.response["Error"]["Code"], "MalformedPolicy")
        self.assertEqual(e.exception.response["Error"]["Message"], "Invalid principal in policy")


if __name__ == "__main__":
    unittest.main()

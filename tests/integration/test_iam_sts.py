"""IAM and STS through real clients: roles and policies, a cross-account AssumeRole, calls as the session,
and the ways a request is refused (IAM User Guide, STS API Reference)."""
import json
import unittest

import botocore.exceptions

from harness import ACCOUNTS, ServerTest, allow, cli_commands, trust_policy


def error_of(call):
    try:
        call()
    except botocore.exceptions.ClientError as e:
        return e.response["Error"]["Code"], e.response["Error"]["Message"], e.response
    raise AssertionError("the call was expected to fail")


class CallerIdentityTest(ServerTest):
    def test_root_credentials_of_each_account(self):
        for name, (account, _, _) in ACCOUNTS.items():
            ident = self.server.root("sts", name).get_caller_identity()
            self.assertEqual(ident["Account"], account)
            self.assertEqual(ident["Arn"], f"arn:aws:iam::{account}:root")

    def test_every_cli_generation(self):
        clis = cli_commands()
        self.assertTrue(clis, "no AWS CLI on this machine")
        _, key, secret = ACCOUNTS["target"]
        for command, version in clis:
            code, out, err = self.server.cli(command, ["sts", "get-caller-identity"], key, secret)
            self.assertEqual(code, 0, f"{version}: {err}")
            self.assertEqual(json.loads(out)["Arn"], "arn:aws:iam::222222222222:root", version)

    def test_unknown_access_key(self):
        client = self.server.client("sts", "AKIANOSUCHKEY0000001", "whatever")
        code, message, resp = error_of(client.get_caller_identity)
        self.assertEqual(code, "InvalidClientTokenId")
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 403)

    def test_wrong_secret(self):
        _, key, _ = ACCOUNTS["source"]
        code, message, resp = error_of(self.server.client("sts", key, "not-the-secret").get_caller_identity)
        self.assertEqual(code, "SignatureDoesNotMatch")
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 403)

    def test_wrong_secret_on_the_cli(self):
        _, key, _ = ACCOUNTS["source"]
        for command, version in cli_commands():
            code, out, err = self.server.cli(command, ["sts", "get-caller-identity"], key, "not-the-secret")
            self.assertNotEqual(code, 0, version)
            self.assertIn("SignatureDoesNotMatch", err, version)


class CrossAccountRoleTest(ServerTest):
    """The seed 003 pattern: a role in the source account that the target account may assume."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        source_iam = s.root("iam", "source")
        source_iam.create_role(RoleName="cross-account-role",
                               AssumeRolePolicyDocument=trust_policy({"AWS": "arn:aws:iam::222222222222:root"}))
        source_iam.put_role_policy(RoleName="cross-account-role", PolicyName="dynamodb",
                                   PolicyDocument=allow(["dynamodb:DescribeTable", "dynamodb:GetItem"],
                                                        "arn:aws:dynamodb:ap-northeast-1:111111111111:table/*"))
        source_iam.create_role(RoleName="partner-role",
                               AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{
                                   "Effect": "Allow", "Principal": {"AWS": "222222222222"},
                                   "Action": "sts:AssumeRole",
                                   "Condition": {"StringEquals": {"sts:ExternalId": "seed-003"}}}]}))
        source_iam.create_role(RoleName="private-role",
                               AssumeRolePolicyDocument=trust_policy({"AWS": "arn:aws:iam::333333333333:root"}))
        target_iam = s.root("iam", "target")
        # A user that may assume the source role, and one that may not assume anything.
        for user, policy in [("lambda-runner", allow("sts:AssumeRole",
                                                     "arn:aws:iam::111111111111:role/*")),
                             ("no-permission", allow("s3:ListAllMyBuckets"))]:
            target_iam.create_user(UserName=user)
            target_iam.put_user_policy(UserName=user, PolicyName="p", PolicyDocument=policy)
        cls.keys = {}
        for user in ["lambda-runner", "no-permission"]:
            key = target_iam.create_access_key(UserName=user)["AccessKey"]
            cls.keys[user] = (key["AccessKeyId"], key["SecretAccessKey"])

    def user_client(self, user, service="sts"):
        return self.server.client(service, *self.keys[user])

    def test_assume_role_across_accounts_and_call_as_the_session(self):
        sts = self.user_client("lambda-runner")
        out = sts.assume_role(RoleArn="arn:aws:iam::111111111111:role/cross-account-role", RoleSessionName="job-1")
        session_arn = "arn:aws:sts::111111111111:assumed-role/cross-account-role/job-1"
        self.assertEqual(out["AssumedRoleUser"]["Arn"], session_arn)
        self.assertTrue(out["Credentials"]["AccessKeyId"].startswith("ASIA"))
        c = out["Credentials"]
        as_session = self.server.client("sts", c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])
        ident = as_session.get_caller_identity()
        self.assertEqual(ident["Arn"], session_arn)
        self.assertEqual(ident["Account"], "111111111111")
        self.assertTrue(ident["UserId"].endswith(":job-1"))
        # And with both CLI generations.
        for command, version in cli_commands():
            code, stdout, err = self.server.cli(command, ["sts", "get-caller-identity"], c["AccessKeyId"],
                                                c["SecretAccessKey"], c["SessionToken"])
            self.assertEqual(code, 0, f"{version}: {err}")
            self.assertEqual(json.loads(stdout)["Arn"], session_arn, version)

    def test_session_without_its_token_is_refused(self):
        out = self.user_client("lambda-runner").assume_role(
            RoleArn="arn:aws:iam::111111111111:role/cross-account-role", RoleSessionName="no-token")
        c = out["Credentials"]
        code, _, resp = error_of(self.server.client("sts", c["AccessKeyId"], c["SecretAccessKey"]).get_caller_identity)
        self.assertEqual(code, "InvalidClientTokenId")
        code, _, _ = error_of(self.server.client("sts", c["AccessKeyId"], c["SecretAccessKey"],
                                                 c["SessionToken"][:-4] + "AAAA").get_caller_identity)
        self.assertEqual(code, "InvalidClientTokenId")

    def test_cross_account_assume_role_needs_the_callers_identity_permission(self):
        code, message, resp = error_of(lambda: self.user_client("no-permission").assume_role(
            RoleArn="arn:aws:iam::111111111111:role/cross-account-role", RoleSessionName="xx"))
        self.assertEqual(code, "AccessDenied")
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 403)
        self.assertIn("arn:aws:iam::222222222222:user/no-permission is not authorized to perform: sts:AssumeRole",
                      message)
        self.assertIn("because no identity-based policy allows the sts:AssumeRole action", message)
        explanation = resp["ResponseMetadata"]["HTTPHeaders"].get("x-xacct-explanation", "")
        self.assertIn("cross-account", explanation)

    def test_trust_policy_not_naming_the_caller(self):
        code, message, _ = error_of(lambda: self.user_client("lambda-runner").assume_role(
            RoleArn="arn:aws:iam::111111111111:role/private-role", RoleSessionName="xx"))
        self.assertEqual(code, "AccessDenied")
        self.assertIn("sts:AssumeRole on resource: arn:aws:iam::111111111111:role/private-role", message)

    def test_external_id(self):
        sts = self.user_client("lambda-runner")
        code, _, _ = error_of(lambda: sts.assume_role(
            RoleArn="arn:aws:iam::111111111111:role/partner-role", RoleSessionName="xx"))
        self.assertEqual(code, "AccessDenied")
        code, _, _ = error_of(lambda: sts.assume_role(
            RoleArn="arn:aws:iam::111111111111:role/partner-role", RoleSessionName="xx", ExternalId="wrong"))
        self.assertEqual(code, "AccessDenied")
        out = sts.assume_role(RoleArn="arn:aws:iam::111111111111:role/partner-role", RoleSessionName="xx",
                              ExternalId="seed-003")
        self.assertEqual(out["AssumedRoleUser"]["Arn"], "arn:aws:sts::111111111111:assumed-role/partner-role/xx")

    def test_duration_beyond_the_roles_maximum(self):
        code, message, _ = error_of(lambda: self.user_client("lambda-runner").assume_role(
            RoleArn="arn:aws:iam::111111111111:role/cross-account-role", RoleSessionName="xx", DurationSeconds=7200))
        self.assertEqual(code, "ValidationError")
        self.assertIn("MaxSessionDuration", message)

    def test_session_policy_caps_the_session(self):
        sts = self.user_client("lambda-runner")
        c = sts.assume_role(RoleArn="arn:aws:iam::111111111111:role/cross-account-role", RoleSessionName="capped",
                            Policy=allow("dynamodb:GetItem"))["Credentials"]
        iam = self.server.client("iam", c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])
        code, message, _ = error_of(lambda: iam.list_roles())
        self.assertEqual(code, "AccessDenied")

    def test_role_chaining_is_limited_to_an_hour(self):
        c = self.user_client("lambda-runner").assume_role(
            RoleArn="arn:aws:iam::111111111111:role/cross-account-role", RoleSessionName="first")["Credentials"]
        source_iam = self.server.root("iam", "source")
        source_iam.create_role(RoleName="chained", MaxSessionDuration=7200, AssumeRolePolicyDocument=trust_policy(
            {"AWS": "arn:aws:iam::111111111111:role/cross-account-role"}))
        source_iam.put_role_policy(RoleName="cross-account-role", PolicyName="chain",
                                   PolicyDocument=allow("sts:AssumeRole", "arn:aws:iam::111111111111:role/chained"))
        as_session = self.server.client("sts", c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])
        code, message, _ = error_of(lambda: as_session.assume_role(
            RoleArn="arn:aws:iam::111111111111:role/chained", RoleSessionName="second", DurationSeconds=7200))
        self.assertEqual(code, "ValidationError")
        self.assertIn("role chaining", message)
        out = as_session.assume_role(RoleArn="arn:aws:iam::111111111111:role/chained", RoleSessionName="second")
        self.assertEqual(out["AssumedRoleUser"]["Arn"], "arn:aws:sts::111111111111:assumed-role/chained/second")


class IamTest(ServerTest):
    def test_role_lifecycle_and_policy_documents_round_trip(self):
        iam = self.server.root("iam", "target")
        doc = allow("s3:GetObject", "arn:aws:s3:::bucket/*")
        role = iam.create_role(RoleName="r1", Path="/service/", AssumeRolePolicyDocument=trust_policy(
            {"Service": "states.amazonaws.com"}), Tags=[{"Key": "team", "Value": "data"}])["Role"]
        self.assertEqual(role["Arn"], "arn:aws:iam::222222222222:role/service/r1")
        self.assertTrue(role["RoleId"].startswith("AROA"))
        got = iam.get_role(RoleName="r1")["Role"]
        self.assertEqual(got["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["Service"], "states.amazonaws.com")
        iam.put_role_policy(RoleName="r1", PolicyName="read", PolicyDocument=doc)
        self.assertEqual(iam.get_role_policy(RoleName="r1", PolicyName="read")["PolicyDocument"], json.loads(doc))
        self.assertEqual(iam.list_role_policies(RoleName="r1")["PolicyNames"], ["read"])
        policy = iam.create_policy(PolicyName="managed", PolicyDocument=doc)["Policy"]
        iam.attach_role_policy(RoleName="r1", PolicyArn=policy["Arn"])
        iam.create_policy_version(PolicyArn=policy["Arn"], PolicyDocument=allow("s3:*"), SetAsDefault=True)
        self.assertEqual(iam.get_policy(PolicyArn=policy["Arn"])["Policy"]["DefaultVersionId"], "v2")
        self.assertEqual([p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName="r1")["AttachedPolicies"]],
                         [policy["Arn"]])
        details = iam.get_account_authorization_details()
        self.assertEqual([r["RoleName"] for r in details["RoleDetailList"]], ["r1"])
        code, _, _ = error_of(lambda: iam.delete_role(RoleName="r1"))
        self.assertEqual(code, "DeleteConflict")
        iam.detach_role_policy(RoleName="r1", PolicyArn=policy["Arn"])
        iam.delete_role_policy(RoleName="r1", PolicyName="read")
        iam.delete_role(RoleName="r1")
        code, message, resp = error_of(lambda: iam.get_role(RoleName="r1"))
        self.assertEqual(code, "NoSuchEntity")
        self.assertEqual(message, "The role with name r1 cannot be found.")
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 404)

    def test_malformed_policy_documents_are_refused_with_iams_words(self):
        iam = self.server.root("iam", "target")
        iam.create_user(UserName="u-malformed")
        cases = [
            ("{not json", "Syntax errors in policy."),
            (json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*"}]}),
             "Policy statement must contain resources."),
            (json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
                                                                 "Action": "s3:*", "Resource": "*"}]}),
             "Policy document should not specify a principal."),
        ]
        for doc, message in cases:
            code, got, _ = error_of(lambda: iam.put_user_policy(UserName="u-malformed", PolicyName="p",
                                                                PolicyDocument=doc))
            self.assertEqual(code, "MalformedPolicyDocument", doc)
            self.assertEqual(got, message, doc)

    def test_duplicate_and_missing_entities(self):
        iam = self.server.root("iam", "target")
        iam.create_user(UserName="dup")
        code, message, resp = error_of(lambda: iam.create_user(UserName="dup"))
        self.assertEqual((code, resp["ResponseMetadata"]["HTTPStatusCode"]), ("EntityAlreadyExists", 409))
        code, message, _ = error_of(lambda: iam.get_user(UserName="nobody"))
        self.assertEqual(message, "The user with name nobody cannot be found.")

    def test_users_identity_policy_decides_its_iam_calls(self):
        iam = self.server.root("iam", "source")
        iam.create_user(UserName="reader")
        iam.put_user_policy(UserName="reader", PolicyName="p", PolicyDocument=allow(["iam:Get*", "iam:List*"]))
        key = iam.create_access_key(UserName="reader")["AccessKey"]
        reader = self.server.client("iam", key["AccessKeyId"], key["SecretAccessKey"])
        self.assertEqual(reader.get_user()["User"]["Arn"], "arn:aws:iam::111111111111:user/reader")
        code, message, resp = error_of(lambda: reader.create_user(UserName="nope"))
        self.assertEqual(code, "AccessDenied")
        self.assertEqual(message, "User: arn:aws:iam::111111111111:user/reader is not authorized to perform: "
                                  "iam:CreateUser on resource: arn:aws:iam::111111111111:user/nope because no "
                                  "identity-based policy allows the iam:CreateUser action")

    def test_tags_at_creation_need_tag_permission_and_meet_request_tag_conditions(self):
        iam = self.server.root("iam", "source")
        iam.create_user(UserName="creator")
        iam.put_user_policy(UserName="creator", PolicyName="p", PolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "iam:CreateRole", "Resource": "*"},
                {"Effect": "Allow", "Action": "iam:TagRole", "Resource": "*",
                 "Condition": {"StringEquals": {"aws:RequestTag/team": "data"}}}]}))
        k = iam.create_access_key(UserName="creator")["AccessKey"]
        creator = self.server.client("iam", k["AccessKeyId"], k["SecretAccessKey"])
        trust = trust_policy({"Service": "states.amazonaws.com"})
        creator.create_role(RoleName="untagged", AssumeRolePolicyDocument=trust)
        creator.create_role(RoleName="data", AssumeRolePolicyDocument=trust, Tags=[{"Key": "team", "Value": "data"}])
        code, message, _ = error_of(lambda: creator.create_role(RoleName="web", AssumeRolePolicyDocument=trust,
                                                                Tags=[{"Key": "team", "Value": "web"}]))
        self.assertEqual(code, "AccessDenied")
        self.assertIn("iam:TagRole", message)

    def test_unimplemented_operation_is_named(self):
        iam = self.server.root("iam", "target")
        code, message, resp = error_of(lambda: iam.create_saml_provider(
            SAMLMetadataDocument="x" * 1000, Name="saml"))
        self.assertEqual(code, "NotImplemented")
        self.assertIn("CreateSAMLProvider", message)


class SessionTokenTest(ServerTest):
    def test_get_session_token_stands_for_the_user(self):
        iam = self.server.root("iam", "target")
        iam.create_user(UserName="dev")
        iam.put_user_policy(UserName="dev", PolicyName="p", PolicyDocument=allow(["sts:GetSessionToken", "iam:GetUser"]))
        k = iam.create_access_key(UserName="dev")["AccessKey"]
        c = self.server.client("sts", k["AccessKeyId"], k["SecretAccessKey"]).get_session_token(
            DurationSeconds=900)["Credentials"]
        self.assertTrue(c["AccessKeyId"].startswith("ASIA"))
        as_token = self.server.client("sts", c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])
        self.assertEqual(as_token.get_caller_identity()["Arn"], "arn:aws:iam::222222222222:user/dev")
        iam_as_token = self.server.client("iam", c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])
        self.assertEqual(iam_as_token.get_user()["User"]["UserName"], "dev")
        code, _, _ = error_of(lambda: iam_as_token.list_users())
        self.assertEqual(code, "AccessDenied")
        code, _, _ = error_of(lambda: as_token.get_session_token())
        self.assertEqual(code, "AccessDenied")


class ExplainDenialsTest(ServerTest):
    extra_args = ("--explain-denials",)

    def test_explanation_in_the_message(self):
        iam = self.server.root("iam", "source")
        iam.create_user(UserName="plain")
        k = iam.create_access_key(UserName="plain")["AccessKey"]
        code, message, _ = error_of(lambda: self.server.client("iam", k["AccessKeyId"], k["SecretAccessKey"]).list_roles())
        self.assertEqual(code, "AccessDenied")
        self.assertIn("because no identity-based policy allows the iam:ListRoles action (xacct: implicitly denied", message)


SCP_CONFIG = open(__file__.replace("test_iam_sts.py", "scp_config.yaml")).read()


class ServiceControlPolicyTest(ServerTest):
    config_text = SCP_CONFIG

    def test_scp_denies_the_action_in_a_member_account(self):
        code, message, resp = error_of(lambda: self.server.root("iam", "target").create_user(UserName="x"))
        self.assertEqual(code, "AccessDenied")
        self.assertIn("with an explicit deny in a service control policy", message)
        # The management account is not subject to SCPs.
        self.server.root("iam", "management").create_user(UserName="x")


if __name__ == "__main__":
    unittest.main()

"""AWS Organizations (JSON 1.1) through boto3 and the CLI: the configured organization, and an SCP created,
attached and detached through the API taking effect on the next request (Organizations API Reference)."""
import json
import unittest

import botocore.exceptions

from harness import ACCOUNTS, ServerTest, cli_commands


class OrganizationsTest(ServerTest):
    def test_describe_and_list(self):
        org = self.server.root("organizations", "management")
        o = org.describe_organization()["Organization"]
        self.assertEqual(o["Id"], "o-exampleorgid")
        self.assertEqual(o["MasterAccountId"], "999999999999")
        ids = sorted(a["Id"] for a in org.list_accounts()["Accounts"])
        self.assertEqual(ids, ["111111111111", "222222222222", "999999999999"])
        root = org.list_roots()["Roots"][0]
        self.assertEqual(root["Id"], "r-exam")
        ous = org.list_organizational_units_for_parent(ParentId="r-exam")["OrganizationalUnits"]
        self.assertEqual([u["Id"] for u in ous], ["ou-exam-members1"])
        members = org.list_accounts_for_parent(ParentId="ou-exam-members1")["Accounts"]
        self.assertEqual(sorted(a["Id"] for a in members), ["111111111111", "222222222222"])
        # A member may describe its organization; an outsider is not in one.
        self.assertEqual(self.server.root("organizations", "source").describe_organization()["Organization"]["Id"],
                         "o-exampleorgid")
        try:
            self.server.root("organizations", "outsider").describe_organization()
            self.fail("the outsider is not in an organization")
        except botocore.exceptions.ClientError as e:
            self.assertEqual(e.response["Error"]["Code"], "AWSOrganizationsNotInUseException")

    def test_members_cannot_manage_the_organization(self):
        try:
            self.server.root("organizations", "source").list_accounts()
            self.fail("a member account listed the organization's accounts")
        except botocore.exceptions.ClientError as e:
            self.assertEqual(e.response["Error"]["Code"], "AccessDeniedException")

    def test_scp_created_and_attached_through_the_api(self):
        org = self.server.root("organizations", "management")
        policy = org.create_policy(Name="NoRoles", Type="SERVICE_CONTROL_POLICY", Description="no roles",
                                   Content=json.dumps({"Version": "2012-10-17", "Statement": [
                                       {"Effect": "Deny", "Action": "iam:CreateRole", "Resource": "*"}]}))["Policy"]
        pid = policy["PolicySummary"]["Id"]
        self.assertIn(pid, [p["Id"] for p in org.list_policies(Filter="SERVICE_CONTROL_POLICY")["Policies"]])
        trust = json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
        iam = self.server.root("iam", "source")
        iam.create_role(RoleName="before", AssumeRolePolicyDocument=trust)
        org.attach_policy(PolicyId=pid, TargetId="111111111111")
        try:
            iam.create_role(RoleName="after", AssumeRolePolicyDocument=trust)
            self.fail("the SCP did not apply")
        except botocore.exceptions.ClientError as e:
            self.assertEqual(e.response["Error"]["Code"], "AccessDenied")
            self.assertIn("with an explicit deny in a service control policy", e.response["Error"]["Message"])
        # The other member is not affected; detaching lifts the deny.
        self.server.root("iam", "target").create_role(RoleName="after", AssumeRolePolicyDocument=trust)
        org.detach_policy(PolicyId=pid, TargetId="111111111111")
        iam.create_role(RoleName="after", AssumeRolePolicyDocument=trust)

    def test_malformed_scp(self):
        org = self.server.root("organizations", "management")
        try:
            org.create_policy(Name="Bad", Type="SERVICE_CONTROL_POLICY", Description="", Content="{not json")
            self.fail("a malformed policy was accepted")
        except botocore.exceptions.ClientError as e:
            self.assertEqual(e.response["Error"]["Code"], "MalformedPolicyDocumentException")

    def test_cli_generations(self):
        _, key, secret = ACCOUNTS["management"]
        for command, version in cli_commands():
            code, out, err = self.server.cli(command, ["organizations", "describe-organization"], key, secret)
            self.assertEqual(code, 0, f"{version}: {err}")
            self.assertEqual(json.loads(out)["Organization"]["Id"], "o-exampleorgid", version)


if __name__ == "__main__":
    unittest.main()

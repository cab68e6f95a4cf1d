"""`xacct accounts --aws-config` prints a credentials-file block that the AWS CLI uses as printed
(issue "The server": `aws --profile target --endpoint-url ... sts get-caller-identity` after pasting it)."""
import json
import os
import subprocess
import tempfile
import unittest

from harness import XACCT, ServerTest, cli_commands


class AccountsCliTest(ServerTest):
    def test_pasted_profiles_work_with_every_cli(self):
        block = subprocess.run([XACCT, "accounts", "--aws-config"], capture_output=True, text=True, check=True).stdout
        self.assertIn("[target]", block)
        with tempfile.TemporaryDirectory() as home:
            credentials = os.path.join(home, "credentials")
            with open(credentials, "w") as f:
                f.write(block)
            env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
            env.update({"HOME": home, "AWS_SHARED_CREDENTIALS_FILE": credentials,
                        "AWS_CONFIG_FILE": os.path.join(home, "config"), "AWS_PAGER": ""})
            for command, version in cli_commands():
                for profile, account in [("target", "222222222222"), ("source", "111111111111")]:
                    out = subprocess.run([command, "--profile", profile, "--endpoint-url", self.server.endpoint,
                                          "--output", "json", "sts", "get-caller-identity"],
                                         capture_output=True, text=True, env=env, timeout=60)
                    self.assertEqual(out.returncode, 0, f"{version}: {out.stderr}")
                    self.assertEqual(json.loads(out.stdout)["Account"], account, version)

    def test_accounts_table(self):
        out = subprocess.run([XACCT, "accounts"], capture_output=True, text=True, check=True).stdout
        self.assertIn("999999999999  management", out)
        self.assertIn("o-exampleorgid (management)", out)
        self.assertIn("o-exampleorgid/r-exam/ou-exam-members1/", out)
        outsider = [line for line in out.splitlines() if line.startswith("333333333333")][0]
        self.assertTrue(outsider.rstrip().endswith("-"), outsider)

    def test_explain_prints_a_denied_requests_decision(self):
        import botocore.exceptions
        iam = self.server.root("iam", "source")
        iam.create_user(UserName="explained")
        iam.put_user_policy(UserName="explained", PolicyName="p", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:Get*", "Resource": "*"}]}))
        key = iam.create_access_key(UserName="explained")["AccessKey"]
        client = self.server.client("iam", key["AccessKeyId"], key["SecretAccessKey"])
        try:
            client.delete_user(UserName="explained")
            self.fail("expected AccessDenied")
        except botocore.exceptions.ClientError as e:
            request_id = e.response["ResponseMetadata"]["RequestId"]
        # The audit log is flushed every second.
        for _ in range(30):
            out = subprocess.run([XACCT, "explain", request_id, "--data-dir", self.server.data_dir],
                                 capture_output=True, text=True)
            if out.returncode == 0:
                break
            import time
            time.sleep(0.2)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("iam:DeleteUser", out.stdout)
        self.assertIn("ImplicitlyDenied", out.stdout)
        self.assertIn("no identity-based policy of arn:aws:iam::111111111111:user/explained allows", out.stdout)


if __name__ == "__main__":
    unittest.main()

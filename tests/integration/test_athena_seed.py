"""Seed 000 end to end (../shared/scenarios/seed000): the source account's bucket, data, catalog policy and DDL;
the target account's role, bucket, workgroup and registered data catalog from the CDK-synthesized template;
then the seed's INSERT run with the AWS CLI as the target role, through the registered catalog and through the
quoted catalog ARN. The denials seed 000 describes: no catalog policy, no bucket policy, and the assume-role
variant whose SELECT works but whose INSERT cannot write to the target account."""
import json
import os
import subprocess
import time
import unittest

from harness import ACCOUNTS, REGION, XACCT, ServerTest, cli_commands

SEED = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "scenarios", "seed000")
SOURCE, TARGET = ACCOUNTS["source"][0], ACCOUNTS["target"][0]
SOURCE_BUCKET = "cm-kasama-cross-account-dev-data"
TARGET_BUCKET = "cm-kasama-cross-account-dev-target-data"
WORKGROUP = "cm-kasama-cross-account-dev-target-workgroup"
ROLE = "cm-kasama-cross-account-dev-sfn-execution-role"
SOURCE_DB, TARGET_DB = "cm_kasama_cross_account_db", "cm_kasama_cross_account_target_db"


def seed_text(path):
    with open(os.path.join(SEED, path)) as f:
        return f.read()


def statements(path, **placeholders):
    """The seed file's statements, verbatim but for its <PLACEHOLDERS>, comments dropped."""
    text = seed_text(path)
    for name, value in placeholders.items():
        text = text.replace(f"<{name}>", value)
    body = "\n".join(line for line in text.splitlines() if not line.strip().startswith("--"))
    return [s.strip() + ";" for s in body.split(";") if s.strip()]


def template():
    with open(os.path.join(SEED, "synthesized", "cm-kasama-cross-account-stack.template.json")) as f:
        return json.load(f)["Resources"]


def resolve(value):
    """The template's intrinsic functions, for the few this stack uses."""
    if isinstance(value, dict):
        if "Fn::GetAtt" in value and value["Fn::GetAtt"][0].startswith("TargetDataBucket"):
            return f"arn:aws:s3:::{TARGET_BUCKET}"
        if "Fn::Join" in value:
            sep, parts = value["Fn::Join"]
            return sep.join(resolve(p) for p in parts)
        if "Ref" in value and value["Ref"] == "AWS::Partition":
            return "aws"
        return {k: resolve(v) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v) for v in value]
    return value


def bucket_policy_from_s3_yml():
    """source/s3.yml's DataBucketPolicy, its !Sub and !GetAtt resolved."""
    role = f"arn:aws:iam::{TARGET}:role/{ROLE}"
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "AllowTargetAccountRead", "Effect": "Allow", "Principal": {"AWS": role},
        "Action": ["s3:GetObject", "s3:ListBucket"],
        "Resource": [f"arn:aws:s3:::{SOURCE_BUCKET}", f"arn:aws:s3:::{SOURCE_BUCKET}/*"]}]})


def catalog_policy():
    return (seed_text("source/glue-resource-policy.json")
            .replace("<TARGET_ACCOUNT_ID>", TARGET).replace("<SOURCE_ACCOUNT_ID>", SOURCE))


def insert_query(catalog):
    return (seed_text("target/insert-query.sql")
            .replace("${TARGET_DATABASE}", TARGET_DB).replace("${SOURCE_CATALOG}", catalog))


class Seed000Test(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        server = cls.server
        resources = template()
        # The target account's role comes first: the source's policies name it, and AWS refuses a policy whose
        # principal does not exist. It is also assumable by its account, to stand in for Step Functions.
        iam = server.root("iam", "target")
        role = resources["StepFunctionsExecutionRole5B21F5A6"]["Properties"]
        trust = role["AssumeRolePolicyDocument"]
        trust["Statement"].append({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{TARGET}:root"},
                                   "Action": "sts:AssumeRole"})
        iam.create_role(RoleName=ROLE, AssumeRolePolicyDocument=json.dumps(trust))
        policy = resources["StepFunctionsExecutionRoleDefaultPolicyD10BF6E3"]["Properties"]
        iam.put_role_policy(RoleName=ROLE, PolicyName=policy["PolicyName"],
                            PolicyDocument=json.dumps(resolve(policy["PolicyDocument"])))
        # Source account: bucket, bucket policy, data, catalog policy, DDL.
        s3 = server.root("s3", "source")
        s3.create_bucket(Bucket=SOURCE_BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        s3.put_bucket_policy(Bucket=SOURCE_BUCKET, Policy=bucket_policy_from_s3_yml())
        with open(os.path.join(SEED, "source", "sample-data", "sales.csv"), "rb") as f:
            s3.put_object(Bucket=SOURCE_BUCKET, Key="data/sales.csv", Body=f.read())
        s3.create_bucket(Bucket="source-athena-results", CreateBucketConfiguration={"LocationConstraint": REGION})
        server.root("glue", "source").put_resource_policy(PolicyInJson=catalog_policy())
        source_athena = server.root("athena", "source")
        for sql in statements("source/create-database-and-table.sql", SOURCE_BUCKET_NAME=SOURCE_BUCKET):
            cls.must_succeed(source_athena, sql, ResultConfiguration={"OutputLocation": "s3://source-athena-results/"})
        # Target account: bucket, workgroup (managed query results), registered data catalog, DDL.
        server.root("s3", "target").create_bucket(
            Bucket=TARGET_BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        athena = server.root("athena", "target")
        wg = resources["TargetAthenaWorkgroup"]["Properties"]
        athena.create_work_group(Name=wg["Name"], Description=wg["Description"],
                                 Configuration=wg["WorkGroupConfiguration"])
        catalog = resources["SourceDataCatalog"]["Properties"]
        athena.create_data_catalog(Name=catalog["Name"], Type=catalog["Type"], Description=catalog["Description"],
                                   Parameters=catalog["Parameters"])
        for sql in statements("target/create-database-and-table.sql", TARGET_BUCKET_NAME=TARGET_BUCKET):
            cls.must_succeed(athena, sql, WorkGroup=WORKGROUP)
        # A pipeline user stands in for the Step Functions service: it may assume roles (roots may not).
        iam.create_user(UserName="pipeline")
        iam.put_user_policy(UserName="pipeline", PolicyName="assume", PolicyDocument=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}))
        key = iam.create_access_key(UserName="pipeline")["AccessKey"]
        cls.pipeline_sts = server.client("sts", key["AccessKeyId"], key["SecretAccessKey"])
        creds = cls.wait_for_assume(f"arn:aws:iam::{TARGET}:role/{ROLE}", "sfn")
        cls.role_creds = (creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])

    @classmethod
    def wait_for_assume(cls, role_arn, session):
        return cls.pipeline_sts.assume_role(RoleArn=role_arn, RoleSessionName=session)["Credentials"]

    @classmethod
    def wait(cls, athena, qid):
        for _ in range(600):
            execution = athena.get_query_execution(QueryExecutionId=qid)["QueryExecution"]
            if execution["Status"]["State"] in ("SUCCEEDED", "FAILED", "CANCELLED"):
                return execution
            time.sleep(0.02)
        raise AssertionError(f"query {qid} did not finish")

    @classmethod
    def must_succeed(cls, athena, sql, **extra):
        qid = athena.start_query_execution(QueryString=sql, **extra)["QueryExecutionId"]
        execution = cls.wait(athena, qid)
        assert execution["Status"]["State"] == "SUCCEEDED", (sql, execution["Status"])
        return qid

    def role_client(self, service):
        return self.server.client(service, *self.role_creds)

    def run_as_role(self, sql):
        """Starts `sql` as the target role in the stack's workgroup; (start response, final execution)."""
        athena = self.role_client("athena")
        started = athena.start_query_execution(QueryString=sql, WorkGroup=WORKGROUP)
        return started, self.wait(athena, started["QueryExecutionId"])

    def rows(self, athena, qid):
        results = athena.get_query_results(QueryExecutionId=qid)["ResultSet"]
        types = [c["Type"] for c in results["ResultSetMetadata"]["ColumnInfo"]]
        return types, [[c.get("VarCharValue") for c in r["Data"]] for r in results["Rows"]]

    def target_rows(self):
        athena = self.server.root("athena", "target")
        qid = self.must_succeed(athena, f"SELECT * FROM {TARGET_DB}.sales_copy ORDER BY id", WorkGroup=WORKGROUP)
        return self.rows(athena, qid)

    def explain(self, request_id, until):
        """`xacct explain` of a request, once the server's audit log (flushed every second) shows `until`."""
        for _ in range(30):
            out = subprocess.run([XACCT, "explain", request_id, "--data-dir", self.server.data_dir],
                                 capture_output=True, text=True)
            if until in out.stdout:
                break
            time.sleep(0.1)
        return out.stdout + out.stderr

    def cli_insert(self, command, sql):
        code, out, err = self.server.cli(command, ["athena", "start-query-execution", "--query-string", sql,
                                                   "--work-group", WORKGROUP], *self.role_creds)
        self.assertEqual(code, 0, err)
        qid = json.loads(out)["QueryExecutionId"]
        for _ in range(300):
            code, out, err = self.server.cli(command, ["athena", "get-query-execution", "--query-execution-id", qid],
                                             *self.role_creds)
            self.assertEqual(code, 0, err)
            status = json.loads(out)["QueryExecution"]["Status"]
            if status["State"] in ("SUCCEEDED", "FAILED", "CANCELLED"):
                break
            time.sleep(0.05)
        self.assertEqual(status["State"], "SUCCEEDED", status)
        code, out, err = self.server.cli(command, ["athena", "get-query-results", "--query-execution-id", qid],
                                         *self.role_creds)
        self.assertEqual(code, 0, err)
        return json.loads(out)

    def test_1_insert_through_the_registered_catalog_then_the_catalog_arn_with_the_cli(self):
        clis = cli_commands()
        self.assertTrue(clis, "no AWS CLI on this machine")
        self.cli_insert(clis[0][0], insert_query("source_catalog"))
        types, rows = self.target_rows()
        self.assertEqual(types, ["integer", "varchar", "integer", "varchar"])
        with open(os.path.join(SEED, "source", "sample-data", "sales.csv")) as f:
            expected = [line.strip().split(",") for line in f if line.strip()]
        self.assertEqual(rows[0], expected[0])  # the header row: the column names
        self.assertEqual(rows[1:], expected[1:])
        # The quoted catalog ARN reaches the same catalog without a registered data catalog.
        arn_form = insert_query(f'"glue:arn:aws:glue:{REGION}:{SOURCE}:catalog"')
        self.cli_insert(clis[-1][0], arn_form)
        _, rows = self.target_rows()
        self.assertEqual(len(rows) - 1, 20)
        self.assertEqual(sorted(rows[1:]), sorted(expected[1:] * 2))
        # The files landed under the target table's location, gzip-compressed text, as Athena writes them.
        listed = self.server.root("s3", "target").list_objects_v2(Bucket=TARGET_BUCKET, Prefix="sales_copy/")
        keys = [o["Key"] for o in listed.get("Contents", [])]
        self.assertEqual(len(keys), 2, keys)
        self.assertTrue(all(k.endswith(".gz") for k in keys), keys)

    def test_2_without_the_catalog_policy_the_insert_fails_on_glue_get_table(self):
        glue = self.server.root("glue", "source")
        glue.delete_resource_policy()
        try:
            started, execution = self.run_as_role(insert_query("source_catalog"))
        finally:
            glue.put_resource_policy(PolicyInJson=catalog_policy())
        self.assertEqual(execution["Status"]["State"], "FAILED")
        reason = execution["Status"]["StateChangeReason"]
        self.assertIn("glue:GetTable", reason)
        self.assertIn(f"arn:aws:glue:{REGION}:{SOURCE}:catalog", reason)
        self.assertIn("AccessDeniedException", reason)
        explanation = self.explain(started["ResponseMetadata"]["RequestId"], "ImplicitlyDenied")
        self.assertIn(f"glue:GetTable on arn:aws:glue:{REGION}:{SOURCE}:catalog: ImplicitlyDenied", explanation)

    def test_3_without_the_bucket_policy_the_insert_fails_on_the_s3_path(self):
        s3 = self.server.root("s3", "source")
        s3.delete_bucket_policy(Bucket=SOURCE_BUCKET)
        try:
            started, execution = self.run_as_role(insert_query("source_catalog"))
        finally:
            s3.put_bucket_policy(Bucket=SOURCE_BUCKET, Policy=bucket_policy_from_s3_yml())
        self.assertEqual(execution["Status"]["State"], "FAILED")
        self.assertIn(f"Permission denied on S3 path: s3://{SOURCE_BUCKET}/data/",
                      execution["Status"]["StateChangeReason"])
        explanation = self.explain(started["ResponseMetadata"]["RequestId"], "ImplicitlyDenied")
        self.assertIn(f"s3:ListBucket on arn:aws:s3:::{SOURCE_BUCKET}: ImplicitlyDenied", explanation)
        self.assertIn("has no resource policy", explanation)
        # Nothing was written to the target.
        _, rows = self.target_rows()
        self.assertEqual(len(rows) - 1, self.rows_before_denials)

    def test_4_assume_role_variant_selects_but_cannot_insert_into_the_target_account(self):
        iam = self.server.root("iam", "source")
        iam.create_role(RoleName="source-reader", AssumeRolePolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                    "Principal": {"AWS": f"arn:aws:iam::{TARGET}:user/pipeline"}}]}))
        iam.put_role_policy(RoleName="source-reader", PolicyName="read", PolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["athena:*"], "Resource": "*"},
                {"Effect": "Allow", "Action": ["glue:GetDatabase", "glue:GetTable", "glue:GetPartitions"],
                 "Resource": "*"},
                {"Effect": "Allow", "Action": ["s3:*"], "Resource": "*"}]}))
        creds = self.wait_for_assume(f"arn:aws:iam::{SOURCE}:role/source-reader", "reader")
        athena = self.server.client("athena", creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
        results = {"ResultConfiguration": {"OutputLocation": "s3://source-athena-results/reader/"}}
        qid = athena.start_query_execution(QueryString=f"SELECT count(*) FROM {SOURCE_DB}.sales", **results)
        execution = self.wait(athena, qid["QueryExecutionId"])
        self.assertEqual(execution["Status"]["State"], "SUCCEEDED", execution["Status"])
        self.assertEqual(self.rows(athena, qid["QueryExecutionId"])[1][1], ["10"])
        insert = (f'INSERT INTO "glue:arn:aws:glue:{REGION}:{TARGET}:catalog".{TARGET_DB}.sales_copy '
                  f"SELECT * FROM {SOURCE_DB}.sales")
        qid = athena.start_query_execution(QueryString=insert, **results)["QueryExecutionId"]
        execution = self.wait(athena, qid)
        self.assertEqual(execution["Status"]["State"], "FAILED")
        reason = execution["Status"]["StateChangeReason"]
        self.assertIn("glue:GetTable", reason)
        self.assertIn(f"arn:aws:glue:{REGION}:{TARGET}:catalog", reason)

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()

    def setUp(self):
        _, rows = self.target_rows()
        type(self).rows_before_denials = len(rows) - 1


if __name__ == "__main__":
    unittest.main()

"""Seed 000's pipeline end to end (../shared/scenarios/seed000): its state machine exactly as CDK synthesizes it
(the one Task is arn:aws:states:::athena:startQueryExecution.sync running the cross-account INSERT), created and
started with both AWS CLI generations, running as its execution role (trusting states.amazonaws.com only, as
synthesized). With the source account's catalog policy the execution SUCCEEDS and the 10 rows land in
sales_copy; without it the execution FAILS, its cause naming glue:GetTable and the source catalog; a role whose
trust policy does not name states.amazonaws.com is refused at CreateStateMachine."""
import json
import os
import time
import unittest

import test_athena_seed as seed
from harness import ACCOUNTS, REGION, ServerTest, cli_commands

SOURCE, TARGET = seed.SOURCE, seed.TARGET
ROLE_ARN = f"arn:aws:iam::{TARGET}:role/{seed.ROLE}"
UNTRUSTED = ("Neither the global service principal states.amazonaws.com, nor the regional one is authorized to "
             "assume the provided role.")


def state_machine():
    """The synthesized AWS::StepFunctions::StateMachine: its name and its DefinitionString, Fn::Join resolved."""
    props = seed.template()["AthenaInsertStateMachine56546CD3"]["Properties"]
    return props["StateMachineName"], seed.resolve(props["DefinitionString"])


def set_up_seed(server):
    """Seed 000's two accounts on `server` (a harness.Server) as the tests need them: the target's execution
    role, the source's bucket, data, bucket and catalog policies and DDL, the target's bucket, workgroup, data
    catalog and DDL. The state machine itself is not created. (Also used by bench/states_seed_bench.py.)"""
    resources = seed.template()
    # The target's execution role exactly as synthesized: only states.amazonaws.com may assume it.
    iam = server.root("iam", "target")
    role = resources["StepFunctionsExecutionRole5B21F5A6"]["Properties"]
    iam.create_role(RoleName=seed.ROLE, AssumeRolePolicyDocument=json.dumps(role["AssumeRolePolicyDocument"]))
    policy = resources["StepFunctionsExecutionRoleDefaultPolicyD10BF6E3"]["Properties"]
    iam.put_role_policy(RoleName=seed.ROLE, PolicyName=policy["PolicyName"],
                        PolicyDocument=json.dumps(seed.resolve(policy["PolicyDocument"])))
    # Source account: bucket, bucket policy, data, catalog policy, DDL (as test_athena_seed sets them up).
    s3 = server.root("s3", "source")
    s3.create_bucket(Bucket=seed.SOURCE_BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_bucket_policy(Bucket=seed.SOURCE_BUCKET, Policy=seed.bucket_policy_from_s3_yml())
    with open(os.path.join(seed.SEED, "source", "sample-data", "sales.csv"), "rb") as f:
        s3.put_object(Bucket=seed.SOURCE_BUCKET, Key="data/sales.csv", Body=f.read())
    s3.create_bucket(Bucket="source-athena-results", CreateBucketConfiguration={"LocationConstraint": REGION})
    server.root("glue", "source").put_resource_policy(PolicyInJson=seed.catalog_policy())
    source_athena = server.root("athena", "source")
    for sql in seed.statements("source/create-database-and-table.sql", SOURCE_BUCKET_NAME=seed.SOURCE_BUCKET):
        seed.Seed000Test.must_succeed(source_athena, sql,
                                      ResultConfiguration={"OutputLocation": "s3://source-athena-results/"})
    # Target account: bucket, workgroup, registered data catalog, DDL.
    server.root("s3", "target").create_bucket(
        Bucket=seed.TARGET_BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    athena = server.root("athena", "target")
    wg = resources["TargetAthenaWorkgroup"]["Properties"]
    athena.create_work_group(Name=wg["Name"], Description=wg["Description"],
                             Configuration=wg["WorkGroupConfiguration"])
    catalog = resources["SourceDataCatalog"]["Properties"]
    athena.create_data_catalog(Name=catalog["Name"], Type=catalog["Type"], Description=catalog["Description"],
                               Parameters=catalog["Parameters"])
    for sql in seed.statements("target/create-database-and-table.sql", TARGET_BUCKET_NAME=seed.TARGET_BUCKET):
        seed.Seed000Test.must_succeed(athena, sql, WorkGroup=seed.WORKGROUP)


def sales_copy_rows(server):
    """count(*) of the target's sales_copy, through Athena as the target's root."""
    athena = server.root("athena", "target")
    qid = seed.Seed000Test.must_succeed(athena, f"SELECT count(*) FROM {seed.TARGET_DB}.sales_copy",
                                        WorkGroup=seed.WORKGROUP)
    rows = athena.get_query_results(QueryExecutionId=qid)["ResultSet"]["Rows"]
    return int(rows[1]["Data"][0]["VarCharValue"])


class Seed000StepFunctionsTest(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        set_up_seed(cls.server)
        cls.name, cls.definition = state_machine()
        cls.sfn = cls.server.root("stepfunctions", "target")
        cls.clis = cli_commands()

    def cli(self, command, *args):
        _, key, secret = ACCOUNTS["target"]
        code, out, err = self.server.cli(command, ["stepfunctions", *args], key, secret)
        self.assertEqual(code, 0, err)
        return json.loads(out) if out.strip() else {}

    def run_pipeline(self, command):
        arn = f"arn:aws:states:{REGION}:{TARGET}:stateMachine:{self.name}"
        started = self.cli(command, "start-execution", "--state-machine-arn", arn)
        for _ in range(1500):
            described = self.cli(command, "describe-execution", "--execution-arn", started["executionArn"])
            if described["status"] != "RUNNING":
                return described
            time.sleep(0.02)
        raise AssertionError("the pipeline did not finish")

    def sales_copy_rows(self):
        return sales_copy_rows(self.server)

    def test_1_with_the_catalog_policy_the_pipeline_succeeds_and_copies_the_ten_rows(self):
        self.assertTrue(self.clis, "no AWS CLI on this machine")
        created = self.cli(self.clis[0][0], "create-state-machine", "--name", self.name, "--definition",
                           self.definition, "--role-arn", ROLE_ARN)
        self.assertTrue(created["stateMachineArn"].endswith(f":stateMachine:{self.name}"))
        for generation, (command, _) in enumerate(self.clis, start=1):
            done = self.run_pipeline(command)
            self.assertEqual(done["status"], "SUCCEEDED", done)
            # The task's output is GetQueryExecution's response for the INSERT, as the role polled it.
            query = json.loads(done["output"])["QueryExecution"]
            self.assertEqual((query["Status"]["State"], query["WorkGroup"]), ("SUCCEEDED", seed.WORKGROUP))
            self.assertIsInstance(query["Status"]["SubmissionDateTime"], int)  # epoch milliseconds
            self.assertEqual(self.sales_copy_rows(), 10 * generation)
        history = self.sfn.get_execution_history(executionArn=done["executionArn"])["events"]
        self.assertEqual([e["type"] for e in history], [
            "ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskSucceeded",
            "TaskStateExited", "ExecutionSucceeded"])
        scheduled = history[2]["taskScheduledEventDetails"]
        self.assertEqual((scheduled["resourceType"], scheduled["resource"]), ("athena", "startQueryExecution.sync"))
        # Step Functions assumed the role (as states.amazonaws.com, for this state machine), and the role's
        # session made the Athena calls: every decision is in the audit log (flushed every second).
        session = f"arn:aws:sts::{TARGET}:assumed-role/{seed.ROLE}/"
        wanted = {("states.amazonaws.com", "sts:AssumeRole"), (session, "athena:StartQueryExecution"),
                  (session, "athena:GetQueryExecution"), (session, "glue:GetTable")}
        for _ in range(40):
            with open(os.path.join(self.server.data_dir, "audit.log")) as f:
                records = [json.loads(line) for line in f if line.endswith("}\n")]  # whole lines only
            seen = {(r["principal"] if not r["principal"].startswith(session) else session, r["action"])
                    for r in records if r["decision"] == "Allowed"}
            if wanted <= seen:
                break
            time.sleep(0.1)
        self.assertLessEqual(wanted, seen)

    def test_2_without_the_catalog_policy_the_pipeline_fails_on_glue_get_table(self):
        glue = self.server.root("glue", "source")
        glue.delete_resource_policy()
        try:
            done = self.run_pipeline(self.clis[-1][0])
        finally:
            glue.put_resource_policy(PolicyInJson=seed.catalog_policy())
        self.assertEqual((done["status"], done["error"]), ("FAILED", "States.TaskFailed"))
        self.assertIn("glue:GetTable", done["cause"])
        self.assertIn(f"arn:aws:glue:{REGION}:{SOURCE}:catalog", done["cause"])
        self.assertEqual(json.loads(done["cause"])["QueryExecution"]["Status"]["State"], "FAILED")

    def test_3_a_role_that_does_not_trust_states_is_refused(self):
        iam = self.server.root("iam", "target")
        iam.create_role(RoleName="not-states", AssumeRolePolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                    "Principal": {"AWS": f"arn:aws:iam::{TARGET}:root"}}]}))
        _, key, secret = ACCOUNTS["target"]
        for command, _ in self.clis:
            code, _, err = self.server.cli(command, ["stepfunctions", "create-state-machine", "--name", "refused",
                                                     "--definition", self.definition, "--role-arn",
                                                     f"arn:aws:iam::{TARGET}:role/not-states"], key, secret)
            self.assertNotEqual(code, 0)
            self.assertIn("AccessDeniedException", err)
            self.assertIn(UNTRUSTED, err)


if __name__ == "__main__":
    unittest.main()

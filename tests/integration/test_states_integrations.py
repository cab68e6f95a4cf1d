"""Step Functions task integrations beyond Athena, through the real `xacct serve` and boto3 (Developer Guide:
"Discover service integration patterns" (Wait for a Callback with Task Token), "Call DynamoDB APIs with Step
Functions", "Learning to use AWS service SDK integrations"; API Reference: SendTaskSuccess, SendTaskFailure,
SendTaskHeartbeat): callbacks and heartbeats, the optimized DynamoDB tasks and the DynamoDB and S3 SDK tasks,
each called as the execution role, and a .sync task that continues its job after a restart."""
import json
import threading
import time
import unittest

import botocore.exceptions

from harness import ACCOUNTS, Server, ServerTest, allow, trust_policy
from test_states_api import ROLE, STATES, TARGET, ECHO, history, machine, task, wait_done

SOURCE = ACCOUNTS["source"][0]


def callback_machine(heartbeat=None):
    """Starts the child ECHO machine handing it the task token, then waits for someone to answer it."""
    state = {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.waitForTaskToken",
             "Parameters": {"StateMachineArn.$": "$.child", "Input": {"token.$": "$$.Task.Token"}}, "End": True}
    if heartbeat:
        state["HeartbeatSeconds"] = heartbeat
    return machine({"Ask": state})


class IntegrationsTest(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        iam = cls.server.root("iam", "target")
        iam.create_role(RoleName="sfn-exec", AssumeRolePolicyDocument=trust_policy(STATES))
        iam.put_role_policy(RoleName="sfn-exec", PolicyName="all", PolicyDocument=allow("*"))
        iam.create_user(UserName="worker")
        iam.put_user_policy(UserName="worker", PolicyName="look", PolicyDocument=allow(
            ["states:ListExecutions", "states:DescribeExecution"]))
        key = iam.create_access_key(UserName="worker")["AccessKey"]
        cls.worker = cls.server.client("stepfunctions", key["AccessKeyId"], key["SecretAccessKey"])
        cls.iam = iam
        cls.sfn = cls.server.root("stepfunctions", "target")
        cls.child = cls.sfn.create_state_machine(name="child", definition=ECHO, roleArn=ROLE)["stateMachineArn"]

    def create(self, name, definition, role=ROLE):
        return self.sfn.create_state_machine(name=name, definition=definition, roleArn=role)["stateMachineArn"]

    def start(self, arn, payload=None):
        return self.sfn.start_execution(stateMachineArn=arn, input=json.dumps(payload or {}))["executionArn"]

    def token_of_next_child(self, seen, timeout=10):
        """The task token the waiting task handed to a child execution not in `seen`."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            for e in self.sfn.list_executions(stateMachineArn=self.child)["executions"]:
                if e["executionArn"] not in seen:
                    seen.add(e["executionArn"])
                    d = self.sfn.describe_execution(executionArn=e["executionArn"])
                    return json.loads(d["input"])["token"]
            time.sleep(0.02)
        raise AssertionError("no child execution started")

    def error_of(self, call, **kw):
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            call(**kw)
        return cm.exception.response["Error"]


class CallbackTest(IntegrationsTest):
    seen = set()

    def test_send_task_success_ends_the_wait_with_its_output(self):
        arn = self.start(self.create("cb-success", callback_machine()), {"child": self.child})
        token = self.token_of_next_child(self.seen)
        time.sleep(0.1)
        self.assertEqual(self.sfn.describe_execution(executionArn=arn)["status"], "RUNNING")
        self.sfn.send_task_success(taskToken=token, output=json.dumps({"approved": True}))
        done = wait_done(self.sfn, arn)
        self.assertEqual((done["status"], json.loads(done["output"])), ("SUCCEEDED", {"approved": True}))
        # A token answers once.
        err = self.error_of(self.sfn.send_task_success, taskToken=token, output="{}")
        self.assertEqual(err["Code"], "TaskTimedOut")
        self.assertIn("Provided task does not exist anymore", err["Message"])
        types = [e["type"] for e in history(self.sfn, arn)]
        self.assertEqual(types[types.index("TaskScheduled"):],
                         ["TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskSucceeded", "TaskStateExited",
                          "ExecutionSucceeded"])

    def test_send_task_failure_fails_the_task_with_its_error_and_cause(self):
        flow = json.loads(callback_machine())
        flow["States"]["Ask"]["Catch"] = [{"ErrorEquals": ["Review.Rejected"], "ResultPath": "$.why",
                                           "Next": "Rejected"}]
        del flow["States"]["Ask"]["End"]
        flow["States"]["Ask"]["Next"] = "Approved"
        flow["States"]["Approved"] = {"Type": "Succeed"}
        flow["States"]["Rejected"] = {"Type": "Fail", "Error": "Rejected", "CausePath": "$.why.Cause"}
        arn = self.start(self.create("cb-failure", json.dumps(flow)), {"child": self.child})
        token = self.token_of_next_child(self.seen)
        self.sfn.send_task_failure(taskToken=token, error="Review.Rejected", cause="too expensive")
        done = wait_done(self.sfn, arn)
        self.assertEqual((done["status"], done["error"], done["cause"]), ("FAILED", "Rejected", "too expensive"))

    def test_no_heartbeat_within_heartbeat_seconds_is_a_heartbeat_timeout(self):
        arn = self.start(self.create("cb-silent", callback_machine(heartbeat=1)), {"child": self.child})
        self.token_of_next_child(self.seen)
        done = wait_done(self.sfn, arn)
        self.assertEqual((done["status"], done["error"]), ("FAILED", "States.HeartbeatTimeout"))
        self.assertIn("TaskTimedOut", [e["type"] for e in history(self.sfn, arn)])

    def test_heartbeats_keep_a_task_waiting_past_heartbeat_seconds(self):
        arn = self.start(self.create("cb-beating", callback_machine(heartbeat=1)), {"child": self.child})
        token = self.token_of_next_child(self.seen)
        for _ in range(5):  # 2 s of waiting, a heartbeat every 0.4 s
            time.sleep(0.4)
            self.sfn.send_task_heartbeat(taskToken=token)
        self.assertEqual(self.sfn.describe_execution(executionArn=arn)["status"], "RUNNING")
        self.sfn.send_task_success(taskToken=token, output='"done"')
        done = wait_done(self.sfn, arn)
        self.assertEqual((done["status"], done["output"]), ("SUCCEEDED", '"done"'))

    def test_stop_execution_ends_a_waiting_task(self):
        arn = self.start(self.create("cb-stopped", callback_machine()), {"child": self.child})
        token = self.token_of_next_child(self.seen)
        self.sfn.stop_execution(executionArn=arn, error="Operator", cause="no longer needed")
        done = wait_done(self.sfn, arn)
        self.assertEqual((done["status"], done["error"]), ("ABORTED", "Operator"))
        self.assertEqual(self.error_of(self.sfn.send_task_success, taskToken=token, output="{}")["Code"],
                         "TaskTimedOut")

    def test_bad_tokens_outputs_and_callers_are_refused(self):
        err = self.error_of(self.sfn.send_task_success, taskToken="AQB" + "x" * 100, output="{}")
        self.assertEqual(err["Code"], "InvalidToken")
        arn = self.start(self.create("cb-refusals", callback_machine()), {"child": self.child})
        token = self.token_of_next_child(self.seen)
        self.assertEqual(self.error_of(self.sfn.send_task_success, taskToken=token, output="{not json")["Code"],
                         "InvalidOutput")
        # A worker whose policy does not allow states:SendTaskSuccess on the machine.
        err = self.error_of(self.worker.send_task_success, taskToken=token, output="{}")
        self.assertEqual(err["Code"], "AccessDeniedException")
        self.assertIn("states:SendTaskSuccess", err["Message"])
        self.assertEqual(self.sfn.describe_execution(executionArn=arn)["status"], "RUNNING")
        self.sfn.send_task_success(taskToken=token, output="{}")
        self.assertEqual(wait_done(self.sfn, arn)["status"], "SUCCEEDED")

    def test_optimized_integrations_without_a_callback_pattern_fail_naming_the_resource(self):
        resource = "arn:aws:states:::athena:startQueryExecution.waitForTaskToken"
        done = wait_done(self.sfn, self.start(self.create("cb-athena", task(resource, {"QueryString": "SELECT 1"}))))
        self.assertEqual((done["status"], done["error"]), ("FAILED", "States.TaskFailed"))
        self.assertIn(resource, done["cause"])


class S3SdkTest(IntegrationsTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server.root("s3", "target").create_bucket(
            Bucket="sfn-objects", CreateBucketConfiguration={"LocationConstraint": "ap-northeast-1"})

    def test_put_get_head_list_and_delete_an_object(self):
        sdk = "arn:aws:states:::aws-sdk:s3:"
        flow = machine({
            "Put": {"Type": "Task", "Resource": sdk + "putObject", "ResultPath": "$.put", "Next": "Get",
                    "Parameters": {"Bucket": "sfn-objects", "Key": "reports/a.json", "Body.$": "$.report"}},
            "Get": {"Type": "Task", "Resource": sdk + "getObject", "ResultPath": "$.got", "Next": "List",
                    "Parameters": {"Bucket": "sfn-objects", "Key": "reports/a.json"},
                    "ResultSelector": {"report.$": "States.StringToJson($.Body)", "size.$": "$.ContentLength",
                                       "etag.$": "$.ETag"}},
            "List": {"Type": "Task", "Resource": sdk + "listObjectsV2", "ResultPath": "$.listed", "Next": "Delete",
                     "Parameters": {"Bucket": "sfn-objects", "Prefix": "reports/"}},
            "Delete": {"Type": "Task", "Resource": sdk + "deleteObject", "ResultPath": "$.deleted", "Next": "Head",
                       "Parameters": {"Bucket": "sfn-objects", "Key": "reports/a.json"}},
            "Head": {"Type": "Task", "Resource": sdk + "headObject", "End": True,
                     "Parameters": {"Bucket": "sfn-objects", "Key": "reports/a.json"},
                     "Catch": [{"ErrorEquals": ["S3.NoSuchKeyException"], "ResultPath": "$.gone",
                                "Next": "Gone"}]},
            "Gone": {"Type": "Pass", "End": True}})
        done = wait_done(self.sfn, self.start(self.create("s3-sdk", flow), {"report": {"rows": 10}}))
        self.assertEqual(done["status"], "SUCCEEDED", done)
        out = json.loads(done["output"])
        body = json.dumps({"rows": 10}, separators=(",", ":"))
        self.assertEqual(out["got"]["report"], {"rows": 10})
        self.assertEqual(out["got"]["size"], len(body))
        self.assertEqual(out["got"]["etag"], out["put"]["ETag"])
        self.assertEqual([c["Key"] for c in out["listed"]["Contents"]], ["reports/a.json"])
        self.assertEqual(out["listed"]["KeyCount"], 1)
        self.assertEqual(out["gone"]["Error"], "S3.NoSuchKeyException")
        s3 = self.server.root("s3", "target")
        self.assertNotIn("Contents", s3.list_objects_v2(Bucket="sfn-objects", Prefix="reports/"))

    def test_the_role_needs_the_s3_permission_of_the_operation(self):
        self.iam.create_role(RoleName="s3-reader", AssumeRolePolicyDocument=trust_policy(STATES))
        self.iam.put_role_policy(RoleName="s3-reader", PolicyName="read", PolicyDocument=allow("s3:GetObject"))
        flow = task("arn:aws:states:::aws-sdk:s3:putObject", {"Bucket": "sfn-objects", "Key": "x", "Body": "y"})
        arn = self.create("s3-denied", flow, role=f"arn:aws:iam::{TARGET}:role/s3-reader")
        done = wait_done(self.sfn, self.start(arn))
        self.assertEqual((done["status"], done["error"]), ("FAILED", "S3.AccessDeniedException"))
        self.assertIn("(Service: S3, Status Code: 403", done["cause"])

    def run_steps(self, name, steps):
        """Runs the steps (state name, S3 action, Parameters) in order, each result at $.NAME; a failed step's
        error and cause are its result, so that one execution shows every step."""
        sdk = "arn:aws:states:::aws-sdk:s3:"
        states = {}
        for i, (state, action, params) in enumerate(steps):
            nxt = steps[i + 1][0] if i + 1 < len(steps) else "Done"
            states[state] = {"Type": "Task", "Resource": sdk + action, "Parameters": params, "ResultPath": "$." + state,
                             "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$." + state, "Next": nxt}],
                             "Next": nxt}
        states["Done"] = {"Type": "Pass", "End": True}
        done = wait_done(self.sfn, self.start(self.create(name, machine(states))))
        self.assertEqual(done["status"], "SUCCEEDED", done)
        return json.loads(done["output"])

    def test_every_implemented_s3_operation_is_an_sdk_action(self):
        bucket = "sfn-made"
        policy = json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{bucket}/*"}]})
        csv = "x,y\n1,2\n"
        out = self.run_steps("s3-sdk-operations", [
            ("create", "createBucket", {"Bucket": bucket,
                                        "CreateBucketConfiguration": {"LocationConstraint": "ap-northeast-1"}}),
            ("headBucket", "headBucket", {"Bucket": bucket}),
            ("tagBucket", "putBucketTagging", {"Bucket": bucket,
                                               "Tagging": {"TagSet": [{"Key": "team", "Value": "data"}]}}),
            ("bucketTags", "getBucketTagging", {"Bucket": bucket}),
            ("put", "putObject", {"Bucket": bucket, "Key": "in/a b.csv", "Body": csv, "ContentType": "text/csv",
                                  "Metadata": {"owner": "etl"}, "Tagging": "stage=raw"}),
            ("head", "headObject", {"Bucket": bucket, "Key": "in/a b.csv"}),
            ("copy", "copyObject", {"Bucket": bucket, "Key": "out/b.csv", "CopySource": f"{bucket}/in/a b.csv"}),
            ("list", "listObjectsV2", {"Bucket": bucket, "Delimiter": "/"}),
            ("listIn", "listObjectsV2", {"Bucket": bucket, "Prefix": "in/", "MaxKeys": 5}),
            ("objectTags", "getObjectTagging", {"Bucket": bucket, "Key": "in/a b.csv"}),
            ("putPolicy", "putBucketPolicy", {"Bucket": bucket, "Policy": policy}),
            ("policy", "getBucketPolicy", {"Bucket": bucket}),
            ("location", "getBucketLocation", {"Bucket": bucket}),
            ("buckets", "listBuckets", {}),
            ("get", "getObject", {"Bucket": bucket, "Key": "out/b.csv"}),
            ("deleteIn", "deleteObject", {"Bucket": bucket, "Key": "in/a b.csv"}),
            ("deleteOut", "deleteObject", {"Bucket": bucket, "Key": "out/b.csv"}),
            ("deleteBucket", "deleteBucket", {"Bucket": bucket}),
        ])
        cases = [
            ("create", "Location", "/sfn-made"),
            ("headBucket", "BucketRegion", "ap-northeast-1"),
            ("bucketTags", "TagSet", [{"Key": "team", "Value": "data"}]),
            ("head", "ContentType", "text/csv"),
            ("head", "Metadata", {"owner": "etl"}),
            ("head", "ContentLength", len(csv)),
            ("copy", "CopyObjectResult", {"ETag": out["put"]["ETag"],
                                          "LastModified": out["copy"]["CopyObjectResult"]["LastModified"]}),
            ("list", "CommonPrefixes", [{"Prefix": "in/"}, {"Prefix": "out/"}]),
            ("list", "KeyCount", 2),
            ("list", "IsTruncated", False),
            ("listIn", "MaxKeys", 5),
            ("objectTags", "TagSet", [{"Key": "stage", "Value": "raw"}]),
            ("location", "LocationConstraint", "ap-northeast-1"),
            ("get", "Body", csv),
            ("get", "ContentType", "text/csv"),
            ("get", "Metadata", {"owner": "etl"}),
        ]
        for step, member, expected in cases:
            with self.subTest(step=step, member=member):
                self.assertEqual(out[step].get(member), expected, out[step])
        self.assertEqual([c["Key"] for c in out["listIn"]["Contents"]], ["in/a b.csv"])
        self.assertRegex(out["listIn"]["Contents"][0]["LastModified"], r"^\d{4}-\d\d-\d\dT.*Z$")
        self.assertEqual(json.loads(out["policy"]["Policy"]), json.loads(policy))
        self.assertIn(bucket, [b["Name"] for b in out["buckets"]["Buckets"]])
        for step in ("tagBucket", "putPolicy", "deleteIn", "deleteOut", "deleteBucket"):
            self.assertNotIn("Error", out[step], step)
        s3 = self.server.root("s3", "target")
        self.assertNotIn(bucket, [b["Name"] for b in s3.list_buckets()["Buckets"]])

    def test_s3_errors_are_the_java_sdk_exceptions(self):
        # HEAD answers have no body: the Java SDK v2 (which Step Functions uses) names a 404 by the error the
        # operation declares (HeadObject: NoSuchKey, HeadBucket: NoSuchBucket).
        out = self.run_steps("s3-sdk-errors", [
            ("getMissing", "getObject", {"Bucket": "sfn-objects", "Key": "missing"}),
            ("headMissing", "headObject", {"Bucket": "sfn-objects", "Key": "missing"}),
            ("noBucket", "headBucket", {"Bucket": "sfn-no-such-bucket"}),
            ("listNoBucket", "listObjectsV2", {"Bucket": "sfn-no-such-bucket"}),
            ("noKey", "getObject", {"Bucket": "sfn-objects"}),
            ("notServed", "getBucketCors", {"Bucket": "sfn-objects"}),
        ])
        cases = [
            ("getMissing", "S3.NoSuchKeyException", "The specified key does not exist. (Service: S3, Status Code: 404"),
            ("headMissing", "S3.NoSuchKeyException", "(Service: S3, Status Code: 404"),
            ("noBucket", "S3.NoSuchBucketException", "(Service: S3, Status Code: 404"),
            ("listNoBucket", "S3.NoSuchBucketException", "The specified bucket does not exist"),
            ("noKey", "S3.ValidationErrorException", "Missing required parameter: Key"),
            ("notServed", "States.TaskFailed", "arn:aws:states:::aws-sdk:s3:getBucketCors"),
        ]
        for step, error, cause in cases:
            with self.subTest(step=step):
                self.assertEqual(out[step]["Error"], error, out[step])
                self.assertIn(cause, out[step]["Cause"])


class DynamoDbTaskTest(IntegrationsTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        schema = {"KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                  "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                  "BillingMode": "PAY_PER_REQUEST"}
        cls.ddb = cls.server.root("dynamodb", "target")
        cls.ddb.create_table(TableName="orders", **schema)
        cls.ddb.create_table(TableName="approvals", **schema)
        cls.source_ddb = cls.server.root("dynamodb", "source")
        cls.shared = cls.source_ddb.create_table(TableName="shared", **schema)["TableDescription"]["TableArn"]

    def test_optimized_item_tasks_put_get_update_and_delete(self):
        ddb = "arn:aws:states:::dynamodb:"
        key = {"pk": {"S.$": "$.id"}}
        flow = machine({
            "Put": {"Type": "Task", "Resource": ddb + "putItem", "ResultPath": "$.put", "Next": "PutAgain",
                    "Parameters": {"TableName": "orders", "Item": {"pk": {"S.$": "$.id"}, "qty": {"N": "1"}}}},
            "PutAgain": {"Type": "Task", "Resource": ddb + "putItem", "ResultPath": "$.again", "Next": "Update",
                         "Parameters": {"TableName": "orders", "Item": {"pk": {"S.$": "$.id"}},
                                        "ConditionExpression": "attribute_not_exists(pk)"},
                         "Catch": [{"ErrorEquals": ["DynamoDB.ConditionalCheckFailedException"],
                                    "ResultPath": "$.again", "Next": "Update"}]},
            "Update": {"Type": "Task", "Resource": ddb + "updateItem", "ResultPath": "$.updated", "Next": "Get",
                       "Parameters": {"TableName": "orders", "Key": key, "UpdateExpression": "ADD qty :n",
                                      "ExpressionAttributeValues": {":n": {"N": "2"}}, "ReturnValues": "ALL_NEW"}},
            "Get": {"Type": "Task", "Resource": ddb + "getItem", "ResultPath": "$.got", "Next": "Delete",
                    "Parameters": {"TableName": "orders", "Key": key}},
            "Delete": {"Type": "Task", "Resource": ddb + "deleteItem", "ResultPath": "$.deleted", "End": True,
                       "Parameters": {"TableName": "orders", "Key": key, "ReturnValues": "ALL_OLD"}}})
        done = wait_done(self.sfn, self.start(self.create("ddb-items", flow), {"id": "order-1"}))
        self.assertEqual(done["status"], "SUCCEEDED", done)
        out = json.loads(done["output"])
        self.assertEqual(out["put"]["SdkHttpMetadata"]["HttpStatusCode"], 200)
        self.assertIn("RequestId", out["put"]["SdkResponseMetadata"])
        self.assertEqual(out["again"]["Error"], "DynamoDB.ConditionalCheckFailedException")
        self.assertIn("(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException;",
                      out["again"]["Cause"])
        self.assertEqual(out["updated"]["Attributes"], {"pk": {"S": "order-1"}, "qty": {"N": "3"}})
        self.assertEqual(out["got"]["Item"], {"pk": {"S": "order-1"}, "qty": {"N": "3"}})
        self.assertEqual(out["deleted"]["Attributes"]["qty"], {"N": "3"})
        self.assertNotIn("Item", self.ddb.get_item(TableName="orders", Key={"pk": {"S": "order-1"}}))

    def test_sdk_tasks_name_errors_dynamodb_in_mixed_case(self):
        flow = task("arn:aws:states:::aws-sdk:dynamodb:query", {
            "TableName": "missing", "KeyConditionExpression": "pk = :p",
            "ExpressionAttributeValues": {":p": {"S": "x"}}})
        done = wait_done(self.sfn, self.start(self.create("ddb-sdk-missing", flow)))
        self.assertEqual((done["status"], done["error"]), ("FAILED", "DynamoDb.ResourceNotFoundException"))
        self.ddb.put_item(TableName="orders", Item={"pk": {"S": "q"}, "v": {"S": "queried"}})
        flow = task("arn:aws:states:::aws-sdk:dynamodb:query", {
            "TableName": "orders", "KeyConditionExpression": "pk = :p",
            "ExpressionAttributeValues": {":p": {"S": "q"}}})
        done = wait_done(self.sfn, self.start(self.create("ddb-sdk-query", flow)))
        self.assertEqual(done["status"], "SUCCEEDED", done)
        out = json.loads(done["output"])
        self.assertEqual((out["Count"], out["Items"][0]["v"]), (1, {"S": "queried"}))

    def test_another_accounts_table_needs_its_resource_policy(self):
        flow = task("arn:aws:states:::dynamodb:putItem", {"TableName": self.shared, "Item": {"pk": {"S": "from-sfn"}}})
        arn = self.create("ddb-cross-account", flow)
        done = wait_done(self.sfn, self.start(arn))
        self.assertEqual((done["status"], done["error"]), ("FAILED", "DynamoDB.AccessDeniedException"))
        self.assertIn("dynamodb:PutItem", done["cause"])
        self.assertIn("no resource-based policy allows", done["cause"])
        self.source_ddb.put_resource_policy(ResourceArn=self.shared, Policy=json.dumps({
            "Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "dynamodb:PutItem",
                "Resource": self.shared}]}))
        done = wait_done(self.sfn, self.start(arn))
        self.assertEqual(done["status"], "SUCCEEDED", done)
        item = self.source_ddb.get_item(TableName="shared", Key={"pk": {"S": "from-sfn"}})["Item"]
        self.assertEqual(item, {"pk": {"S": "from-sfn"}})

    def test_a_callback_through_a_table_the_worker_reads(self):
        """The classic pattern: the task writes its token to a table and waits; a worker finds it there."""
        flow = task("arn:aws:states:::aws-sdk:dynamodb:putItem.waitForTaskToken", {
            "TableName": "approvals",
            "Item": {"pk": {"S.$": "$.request"}, "token": {"S.$": "$$.Task.Token"}}})
        arn = self.start(self.create("ddb-callback", flow), {"request": "r-7"})
        deadline = time.time() + 10
        item = {}
        while "Item" not in item and time.time() < deadline:
            item = self.ddb.get_item(TableName="approvals", Key={"pk": {"S": "r-7"}})
            time.sleep(0.02)
        self.sfn.send_task_success(taskToken=item["Item"]["token"]["S"], output='{"approved": "yes"}')
        done = wait_done(self.sfn, arn)
        self.assertEqual((done["status"], json.loads(done["output"])), ("SUCCEEDED", {"approved": "yes"}))


class ResumeSyncTest(unittest.TestCase):
    """A .sync task whose job was submitted before the server stopped waits for that job after the restart
    rather than submitting another one (an Athena INSERT would otherwise insert twice)."""

    def setUp(self):
        self.server = Server().start()
        iam = self.server.root("iam", "target")
        iam.create_role(RoleName="sfn-exec", AssumeRolePolicyDocument=trust_policy(STATES))
        iam.put_role_policy(RoleName="sfn-exec", PolicyName="all", PolicyDocument=allow("*"))
        self.sfn = self.server.root("stepfunctions", "target")

    def tearDown(self):
        self.server.stop()
        self.server.cleanup()

    def test_a_sync_task_waits_for_the_child_it_started_before_the_restart(self):
        child = self.sfn.create_state_machine(name="slow-child", roleArn=ROLE, definition=machine({
            "Nap": {"Type": "Wait", "Seconds": 2, "Next": "Done"},
            "Done": {"Type": "Pass", "Result": {"child": "done"}, "End": True}}))["stateMachineArn"]
        parent = self.sfn.create_state_machine(name="parent", roleArn=ROLE, definition=task(
            "arn:aws:states:::states:startExecution.sync:2", {"StateMachineArn": child}))["stateMachineArn"]
        arn = self.sfn.start_execution(stateMachineArn=parent)["executionArn"]
        deadline = time.time() + 10
        while not self.sfn.list_executions(stateMachineArn=child)["executions"] and time.time() < deadline:
            time.sleep(0.02)
        time.sleep(0.2)
        self.server.restart()
        self.sfn = self.server.root("stepfunctions", "target")
        done = wait_done(self.sfn, arn, timeout=30)
        self.assertEqual(done["status"], "SUCCEEDED", done)
        self.assertEqual(json.loads(done["output"])["Output"], {"child": "done"})
        self.assertEqual(len(self.sfn.list_executions(stateMachineArn=child)["executions"]), 1)
        types = [e["type"] for e in history(self.sfn, arn)]
        self.assertEqual(types.count("TaskSubmitted"), 1)
        self.assertEqual(types[-1], "ExecutionSucceeded")

    def test_a_callback_task_waits_for_its_token_across_a_restart(self):
        """The token a worker holds still answers the task after the server restarted, and the request that
        handed it out is not sent again."""
        child = self.sfn.create_state_machine(name="approver", roleArn=ROLE, definition=ECHO)["stateMachineArn"]
        parent = self.sfn.create_state_machine(name="asker", roleArn=ROLE, definition=callback_machine())
        arn = self.sfn.start_execution(stateMachineArn=parent["stateMachineArn"],
                                       input=json.dumps({"child": child}))["executionArn"]
        deadline = time.time() + 10
        children = []
        while not children and time.time() < deadline:
            children = self.sfn.list_executions(stateMachineArn=child)["executions"]
            time.sleep(0.02)
        token = json.loads(self.sfn.describe_execution(executionArn=children[0]["executionArn"])["input"])["token"]
        time.sleep(0.2)
        self.server.restart()
        self.sfn = self.server.root("stepfunctions", "target")
        self.sfn.send_task_success(taskToken=token, output='{"approved": "after the restart"}')
        done = wait_done(self.sfn, arn, timeout=30)
        self.assertEqual((done["status"], json.loads(done["output"])),
                         ("SUCCEEDED", {"approved": "after the restart"}))
        self.assertEqual(len(self.sfn.list_executions(stateMachineArn=child)["executions"]), 1)
        self.assertEqual(self.error_of(self.sfn.send_task_success, taskToken=token, output="{}")["Code"],
                         "TaskTimedOut")

    def error_of(self, call, **kw):
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            call(**kw)
        return cm.exception.response["Error"]


if __name__ == "__main__":
    unittest.main()

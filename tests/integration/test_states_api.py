"""Step Functions through the real `xacct serve`, boto3 and both AWS CLI generations (AWS Step Functions API
Reference; Developer Guide "Service integration patterns", "Handling errors", "Avoid reaching the history
quota"): state machines, versions and aliases, executions and their history, what EXPRESS machines do not
serve, the role checks of CreateStateMachine, executions as the role's session, the task integrations, and
executions that outlive a restart of the server."""
import json
import os
import sqlite3
import subprocess
import time
import unittest

import boto3
import botocore.config
import botocore.exceptions

from harness import ACCOUNTS, REGION, Server, ServerTest, allow, cli_commands, trust_policy

TARGET = ACCOUNTS["target"][0]
ROLE = f"arn:aws:iam::{TARGET}:role/sfn-exec"
STATES = {"Service": "states.amazonaws.com"}
UNTRUSTED = ("Neither the global service principal states.amazonaws.com, nor the regional one is authorized to "
             "assume the provided role.")


def machine(states, start=None):
    return json.dumps({"StartAt": start or next(iter(states)), "States": states})


PASS_CHOICE_WAIT = machine({
    "Init": {"Type": "Pass", "Result": {"n": 1}, "Next": "Decide"},
    "Decide": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "Pause"}],
               "Default": "Broken"},
    "Pause": {"Type": "Wait", "Seconds": 0, "Next": "Done"},
    "Broken": {"Type": "Fail", "Error": "Broken", "Cause": "n is not 1"},
    "Done": {"Type": "Succeed"}})
FAIL = machine({"Boom": {"Type": "Fail", "Error": "Custom.Error", "Cause": "it broke"}})
HOUR = machine({"Sleep": {"Type": "Wait", "Seconds": 3600, "End": True}})
ECHO = machine({"Echo": {"Type": "Pass", "End": True}})


def task(resource, parameters=None, **extra):
    state = {"Type": "Task", "Resource": resource, "End": True, **extra}
    if parameters is not None:
        state["Parameters"] = parameters
    return machine({"Call": state})


def wait_done(sfn, arn, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        d = sfn.describe_execution(executionArn=arn)
        if d["status"] != "RUNNING":
            return d
        time.sleep(0.02)
    raise AssertionError(f"{arn} still RUNNING")


def history(sfn, arn, **kw):
    return sfn.get_execution_history(executionArn=arn, maxResults=1000, **kw)["events"]


class StatesTest(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        iam = cls.server.root("iam", "target")
        iam.create_role(RoleName="sfn-exec", AssumeRolePolicyDocument=trust_policy(STATES))
        iam.put_role_policy(RoleName="sfn-exec", PolicyName="all", PolicyDocument=allow("*"))
        iam.create_role(RoleName="not-for-states", AssumeRolePolicyDocument=trust_policy({"AWS": TARGET}))
        iam.create_role(RoleName="regional",
                        AssumeRolePolicyDocument=trust_policy({"Service": f"states.{REGION}.amazonaws.com"}))
        iam.create_role(RoleName="guarded", AssumeRolePolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": STATES, "Action": "sts:AssumeRole",
                "Condition": {"ArnLike": {"aws:SourceArn": f"arn:aws:states:{REGION}:{TARGET}:stateMachine:guarded-*"},
                              "StringEquals": {"aws:SourceAccount": TARGET}}}]}))
        # A developer who may use Step Functions but pass no role.
        iam.create_user(UserName="dev")
        iam.put_user_policy(UserName="dev", PolicyName="states", PolicyDocument=allow("states:*"))
        key = iam.create_access_key(UserName="dev")["AccessKey"]
        cls.dev = (key["AccessKeyId"], key["SecretAccessKey"])
        cls.sfn = cls.server.root("stepfunctions", "target")
        cls.iam = iam

    def sync_client(self, key_id=None, secret=None):
        """botocore prefixes the host of StartSyncExecution and TestState with "sync-", which a loopback
        endpoint cannot take: this client does not."""
        if key_id is None:
            _, key_id, secret = ACCOUNTS["target"]
        return boto3.session.Session(aws_access_key_id=key_id, aws_secret_access_key=secret,
                                     region_name=REGION).client(
            "stepfunctions", endpoint_url=self.server.endpoint,
            config=botocore.config.Config(inject_host_prefix=False, retries={"max_attempts": 1}))

    def create(self, name, definition, role=ROLE, **kw):
        return self.sfn.create_state_machine(name=name, definition=definition, roleArn=role, **kw)["stateMachineArn"]

    def run_to_end(self, arn, payload="{}", name=None, timeout=30):
        kw = {"name": name} if name else {}
        started = self.sfn.start_execution(stateMachineArn=arn, input=payload, **kw)
        return wait_done(self.sfn, started["executionArn"], timeout)

    def error_of(self, call, **kw):
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            call(**kw)
        return cm.exception.response["Error"]


class StateMachineApiTest(StatesTest):
    def test_create_describe_update_list_delete(self):
        arn = self.create("crud", ECHO, loggingConfiguration={"level": "OFF", "includeExecutionData": False},
                          tags=[{"key": "team", "value": "data"}])
        self.assertEqual(arn, f"arn:aws:states:{REGION}:{TARGET}:stateMachine:crud")
        d = self.sfn.describe_state_machine(stateMachineArn=arn)
        self.assertEqual((d["name"], d["status"], d["type"], d["roleArn"]), ("crud", "ACTIVE", "STANDARD", ROLE))
        self.assertEqual(json.loads(d["definition"]), json.loads(ECHO))
        self.assertEqual(d["tracingConfiguration"], {"enabled": False})
        updated = self.sfn.update_state_machine(stateMachineArn=arn, definition=PASS_CHOICE_WAIT)
        self.assertNotEqual(updated["revisionId"], d["revisionId"])
        self.assertEqual(self.sfn.describe_state_machine(stateMachineArn=arn)["definition"], PASS_CHOICE_WAIT)
        self.assertEqual(self.sfn.list_tags_for_resource(resourceArn=arn)["tags"], [{"key": "team", "value": "data"}])
        self.sfn.tag_resource(resourceArn=arn, tags=[{"key": "stage", "value": "dev"}])
        self.sfn.untag_resource(resourceArn=arn, tagKeys=["team"])
        self.assertEqual(self.sfn.list_tags_for_resource(resourceArn=arn)["tags"], [{"key": "stage", "value": "dev"}])
        for name in ("crud-b", "crud-c"):
            self.create(name, ECHO)
        page = self.sfn.list_state_machines(maxResults=2)
        rest = self.sfn.list_state_machines(maxResults=1000, nextToken=page["nextToken"])
        names = [m["name"] for m in page["stateMachines"] + rest["stateMachines"]]
        self.assertTrue({"crud", "crud-b", "crud-c"} <= set(names))
        self.assertEqual(len(names), len(set(names)))
        self.sfn.delete_state_machine(stateMachineArn=arn)
        e = self.error_of(self.sfn.describe_state_machine, stateMachineArn=arn)
        self.assertEqual(e, {"Code": "StateMachineDoesNotExist", "Message": f"State Machine Does Not Exist: '{arn}'"})

    def test_create_is_idempotent_for_the_same_request_only(self):
        arn = self.create("twice", ECHO)
        first = self.sfn.describe_state_machine(stateMachineArn=arn)["creationDate"]
        again = self.sfn.create_state_machine(name="twice", definition=ECHO, roleArn=ROLE)
        self.assertEqual((again["stateMachineArn"], again["creationDate"]), (arn, first))
        e = self.error_of(self.sfn.create_state_machine, name="twice", definition=FAIL, roleArn=ROLE)
        self.assertEqual(e, {"Code": "StateMachineAlreadyExists", "Message": f"State Machine Already Exists: '{arn}'"})

    def test_invalid_definitions_and_names(self):
        bad = machine({"A": {"Type": "Pass", "Next": "Nowhere"}})
        e = self.error_of(self.sfn.create_state_machine, name="bad", definition=bad, roleArn=ROLE)
        self.assertEqual(e["Code"], "InvalidDefinition")
        self.assertTrue(e["Message"].startswith("Invalid State Machine Definition: '"), e["Message"])
        self.assertIn("Nowhere", e["Message"])
        e = self.error_of(self.sfn.create_state_machine, name="has space", definition=ECHO, roleArn=ROLE)
        self.assertEqual(e, {"Code": "InvalidName", "Message": "Invalid Name: 'has space'"})
        result = self.sfn.validate_state_machine_definition(definition=bad)
        self.assertEqual(result["result"], "FAIL")
        self.assertEqual(result["diagnostics"][0]["severity"], "ERROR")
        self.assertEqual(self.sfn.validate_state_machine_definition(definition=ECHO)["result"], "OK")
        e = self.error_of(self.sfn.describe_state_machine, stateMachineArn="not-an-arn")
        self.assertEqual(e["Code"], "InvalidArn")

    def test_create_needs_pass_role(self):
        dev = self.server.client("stepfunctions", *self.dev)
        e = self.error_of(dev.create_state_machine, name="dev-machine", definition=ECHO, roleArn=ROLE)
        self.assertEqual(e["Code"], "AccessDeniedException")
        self.assertIn(f"is not authorized to perform: iam:PassRole on resource: {ROLE}", e["Message"])
        self.iam.put_user_policy(UserName="dev", PolicyName="pass", PolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": ROLE,
                                                    "Condition": {"StringEquals": {
                                                        "iam:PassedToService": "states.amazonaws.com"}}}]}))
        try:
            self.assertIn("dev-machine", dev.create_state_machine(name="dev-machine", definition=ECHO,
                                                                  roleArn=ROLE)["stateMachineArn"])
        finally:
            self.iam.delete_user_policy(UserName="dev", PolicyName="pass")

    def test_a_role_states_cannot_assume_is_refused(self):
        for role in ("not-for-states", "no-such-role"):
            e = self.error_of(self.sfn.create_state_machine, name="untrusted", definition=ECHO,
                              roleArn=f"arn:aws:iam::{TARGET}:role/{role}")
            self.assertEqual(e, {"Code": "AccessDeniedException", "Message": UNTRUSTED})
        # The regional service principal is enough; a confused-deputy condition sees the state machine's ARN.
        self.create("regional-ok", ECHO, role=f"arn:aws:iam::{TARGET}:role/regional")
        self.create("guarded-ok", ECHO, role=f"arn:aws:iam::{TARGET}:role/guarded")
        e = self.error_of(self.sfn.create_state_machine, name="unguarded", definition=ECHO,
                          roleArn=f"arn:aws:iam::{TARGET}:role/guarded")
        self.assertEqual(e["Message"], UNTRUSTED)
        arn = self.create("guarded-update", ECHO)
        e = self.error_of(self.sfn.update_state_machine, stateMachineArn=arn,
                          roleArn=f"arn:aws:iam::{TARGET}:role/not-for-states")
        self.assertEqual(e["Message"], UNTRUSTED)

    def test_versions_and_aliases(self):
        arn = self.create("versioned", ECHO, publish=True, versionDescription="first")
        v1 = f"{arn}:1"
        self.assertEqual(self.sfn.describe_state_machine(stateMachineArn=v1)["description"], "first")
        v2 = self.sfn.update_state_machine(stateMachineArn=arn, definition=PASS_CHOICE_WAIT,
                                           publish=True)["stateMachineVersionArn"]
        self.assertEqual(v2, f"{arn}:2")
        self.assertEqual(self.sfn.publish_state_machine_version(stateMachineArn=arn)["stateMachineVersionArn"], v2)
        listed = self.sfn.list_state_machine_versions(stateMachineArn=arn)["stateMachineVersions"]
        self.assertEqual([v["stateMachineVersionArn"] for v in listed], [v2, v1])
        alias = self.sfn.create_state_machine_alias(
            name="prod", routingConfiguration=[{"stateMachineVersionArn": v1, "weight": 100}])["stateMachineAliasArn"]
        self.assertEqual(alias, f"{arn}:prod")
        done = self.run_to_end(alias, '{"via": "alias"}')
        self.assertEqual((done["stateMachineAliasArn"], done["stateMachineVersionArn"]), (alias, v1))
        self.assertEqual(json.loads(done["output"]), {"via": "alias"})  # version 1 is the Pass
        done = self.run_to_end(v2)
        self.assertEqual(json.loads(done["output"]), {"n": 1})
        by_alias = self.sfn.list_executions(stateMachineArn=alias)["executions"]
        self.assertEqual([x["stateMachineAliasArn"] for x in by_alias], [alias])
        e = self.error_of(self.sfn.delete_state_machine_version, stateMachineVersionArn=v1)
        self.assertEqual(e["Code"], "ConflictException")
        self.sfn.update_state_machine_alias(stateMachineAliasArn=alias,
                                            routingConfiguration=[{"stateMachineVersionArn": v2, "weight": 100}])
        described = self.sfn.describe_state_machine_alias(stateMachineAliasArn=alias)
        self.assertEqual(described["routingConfiguration"], [{"stateMachineVersionArn": v2, "weight": 100}])
        self.sfn.delete_state_machine_version(stateMachineVersionArn=v1)
        self.assertEqual(len(self.sfn.list_state_machine_aliases(stateMachineArn=arn)["stateMachineAliases"]), 1)
        self.sfn.delete_state_machine_alias(stateMachineAliasArn=alias)
        self.assertEqual(self.sfn.list_state_machine_aliases(stateMachineArn=arn)["stateMachineAliases"], [])


class ExecutionTest(StatesTest):
    def test_pass_choice_wait_succeed_and_its_history(self):
        arn = self.create("flow", PASS_CHOICE_WAIT)
        done = self.run_to_end(arn, '{"x": 1}')
        self.assertEqual((done["status"], json.loads(done["output"])), ("SUCCEEDED", {"n": 1}))
        events = history(self.sfn, done["executionArn"])
        self.assertEqual([e["type"] for e in events], [
            "ExecutionStarted", "PassStateEntered", "PassStateExited", "ChoiceStateEntered", "ChoiceStateExited",
            "WaitStateEntered", "WaitStateExited", "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded"])
        self.assertEqual([e["id"] for e in events], list(range(1, 11)))
        self.assertEqual(events[0]["executionStartedEventDetails"]["roleArn"], ROLE)
        self.assertEqual(events[1]["stateEnteredEventDetails"]["name"], "Init")
        newest = self.sfn.get_execution_history(executionArn=done["executionArn"], reverseOrder=True, maxResults=3)
        self.assertEqual([e["id"] for e in newest["events"]], [10, 9, 8])
        following = self.sfn.get_execution_history(executionArn=done["executionArn"], reverseOrder=True,
                                                   maxResults=3, nextToken=newest["nextToken"])
        self.assertEqual([e["id"] for e in following["events"]], [7, 6, 5])
        bare = history(self.sfn, done["executionArn"], includeExecutionData=False)
        self.assertNotIn("input", bare[0]["executionStartedEventDetails"])
        machine_for = self.sfn.describe_state_machine_for_execution(executionArn=done["executionArn"])
        self.assertEqual(machine_for["definition"], PASS_CHOICE_WAIT)

    def test_fail_state_fails_the_execution(self):
        done = self.run_to_end(self.create("fails", FAIL))
        self.assertEqual((done["status"], done["error"], done["cause"]), ("FAILED", "Custom.Error", "it broke"))
        last = history(self.sfn, done["executionArn"])[-1]
        self.assertEqual(last["type"], "ExecutionFailed")
        self.assertEqual(last["executionFailedEventDetails"], {"error": "Custom.Error", "cause": "it broke"})

    def test_stop_execution_aborts_it(self):
        arn = self.create("sleeper", HOUR)
        started = self.sfn.start_execution(stateMachineArn=arn, name="nap")
        self.assertEqual(self.sfn.describe_execution(executionArn=started["executionArn"])["status"], "RUNNING")
        self.sfn.stop_execution(executionArn=started["executionArn"], error="Operator", cause="enough")
        d = self.sfn.describe_execution(executionArn=started["executionArn"])
        self.assertEqual((d["status"], d["error"], d["cause"]), ("ABORTED", "Operator", "enough"))
        last = history(self.sfn, started["executionArn"])[-1]
        self.assertEqual(last["type"], "ExecutionAborted")
        self.assertEqual(last["executionAbortedEventDetails"], {"error": "Operator", "cause": "enough"})

    def test_start_execution_names_inputs_and_idempotency(self):
        arn = self.create("names", HOUR)
        first = self.sfn.start_execution(stateMachineArn=arn, name="once", input='{"a": 1}')
        again = self.sfn.start_execution(stateMachineArn=arn, name="once", input='{"a": 1}')
        self.assertEqual((again["executionArn"], again["startDate"]), (first["executionArn"], first["startDate"]))
        e = self.error_of(self.sfn.start_execution, stateMachineArn=arn, name="once", input='{"a": 2}')
        self.assertEqual(e, {"Code": "ExecutionAlreadyExists",
                             "Message": f"Execution Already Exists: '{first['executionArn']}'"})
        self.sfn.stop_execution(executionArn=first["executionArn"])
        e = self.error_of(self.sfn.start_execution, stateMachineArn=arn, name="once", input='{"a": 1}')
        self.assertEqual(e["Code"], "ExecutionAlreadyExists")  # closed: the name stays taken for 90 days
        e = self.error_of(self.sfn.start_execution, stateMachineArn=arn, input="{not json")
        self.assertEqual(e["Code"], "InvalidExecutionInput")
        # Longer than 256 KiB: the model's length constraint, checked before the service sees it.
        e = self.error_of(self.sfn.start_execution, stateMachineArn=arn, input=json.dumps({"x": "y" * 262144}))
        self.assertEqual(e["Code"], "ValidationException")
        # Within the model's 262,144 characters but more than 256 KiB of UTF-8: the service's own limit.
        wide = json.dumps({"x": "\u00e9" * 140000}, ensure_ascii=False)
        e = self.error_of(self.sfn.start_execution, stateMachineArn=arn, input=wide)
        self.assertEqual(e["Code"], "InvalidExecutionInput")
        e = self.error_of(self.sfn.start_execution, stateMachineArn=arn + "-missing")
        self.assertEqual(e["Code"], "StateMachineDoesNotExist")

    def test_list_executions_newest_first_with_filters_and_pages(self):
        arn = self.create("many", ECHO)
        names = [f"run-{i}" for i in range(5)]
        for name in names:
            self.run_to_end(arn, name=name)
        running = self.create("many-running", HOUR)
        self.sfn.start_execution(stateMachineArn=running, name="sleeping")
        page = self.sfn.list_executions(stateMachineArn=arn, maxResults=2)
        rest = self.sfn.list_executions(stateMachineArn=arn, nextToken=page["nextToken"])
        listed = [x["name"] for x in page["executions"] + rest["executions"]]
        self.assertEqual(listed, list(reversed(names)))
        self.assertEqual(self.sfn.list_executions(stateMachineArn=arn, statusFilter="FAILED")["executions"], [])
        self.assertEqual([x["name"] for x in self.sfn.list_executions(stateMachineArn=running,
                                                                      statusFilter="RUNNING")["executions"]],
                         ["sleeping"])

    def test_express_machines_are_not_described_listed_or_historied(self):
        arn = self.create("fast", ECHO, type="EXPRESS")
        started = self.sfn.start_execution(stateMachineArn=arn, input='{"k": "v"}')
        self.assertIn(f":express:fast:", started["executionArn"])
        e = self.error_of(self.sfn.describe_execution, executionArn=started["executionArn"])
        self.assertEqual(e, {"Code": "InvalidArn", "Message": "Invalid Arn: 'Resource type not valid in this "
                                                               "context: express'"})
        e = self.error_of(self.sfn.get_execution_history, executionArn=started["executionArn"])
        self.assertEqual(e["Code"], "InvalidArn")
        e = self.error_of(self.sfn.list_executions, stateMachineArn=arn)
        self.assertEqual(e["Code"], "StateMachineTypeNotSupported")
        sync = self.sync_client()
        result = sync.start_sync_execution(stateMachineArn=arn, input='{"k": "v"}')
        self.assertEqual((result["status"], json.loads(result["output"])), ("SUCCEEDED", {"k": "v"}))
        failed = sync.start_sync_execution(stateMachineArn=self.create("fast-fail", FAIL, type="EXPRESS"))
        self.assertEqual((failed["status"], failed["error"], failed["cause"]), ("FAILED", "Custom.Error", "it broke"))
        e = self.error_of(sync.start_sync_execution, stateMachineArn=self.create("slow", ECHO))
        self.assertEqual(e["Code"], "StateMachineTypeNotSupported")
        e = self.error_of(self.sfn.create_state_machine, name="fast-sync", type="EXPRESS", roleArn=ROLE,
                          definition=task("arn:aws:states:::athena:startQueryExecution.sync", {"QueryString": "x"}))
        self.assertEqual(e["Code"], "InvalidDefinition")

    def test_a_role_that_became_untrusted_fails_the_execution(self):
        self.iam.create_role(RoleName="fickle", AssumeRolePolicyDocument=trust_policy(STATES))
        arn = self.create("fickle", ECHO, role=f"arn:aws:iam::{TARGET}:role/fickle")
        self.iam.update_assume_role_policy(RoleName="fickle", PolicyDocument=trust_policy({"AWS": TARGET}))
        done = self.run_to_end(arn)
        self.assertEqual(done["status"], "FAILED")
        self.assertIn(UNTRUSTED, done["cause"])
        self.assertIn(f"arn:aws:iam::{TARGET}:role/fickle", done["cause"])
        self.assertEqual([e["type"] for e in history(self.sfn, done["executionArn"])],
                         ["ExecutionStarted", "ExecutionFailed"])

    def test_history_quota_of_25000_events_fails_the_execution(self):
        loop = machine({"Spin": {"Type": "Pass", "Next": "Again"},
                        "Again": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "IsPresent": True,
                                                                 "Next": "End"}], "Default": "Spin"},
                        "End": {"Type": "Succeed"}})
        done = self.run_to_end(self.create("spinner", loop), timeout=120)
        self.assertEqual(done["status"], "FAILED")
        last = self.sfn.get_execution_history(executionArn=done["executionArn"], reverseOrder=True, maxResults=1)
        self.assertEqual((last["events"][0]["id"], last["events"][0]["type"]), (25000, "ExecutionFailed"))

    def test_redrive_restarts_at_the_failed_state(self):
        glue = self.server.root("glue", "target")
        flaky = machine({
            "Before": {"Type": "Pass", "Result": {"db": "redrive_db"}, "Next": "Lookup"},
            "Lookup": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:glue:getDatabase",
                       "Parameters": {"Name.$": "$.db"}, "End": True}})
        done = self.run_to_end(self.create("flaky", flaky))
        self.assertEqual((done["status"], done["error"]), ("FAILED", "Glue.EntityNotFoundException"))
        glue.create_database(DatabaseInput={"Name": "redrive_db"})
        self.sfn.redrive_execution(executionArn=done["executionArn"])
        again = wait_done(self.sfn, done["executionArn"])
        self.assertEqual((again["status"], again["redriveCount"]), ("SUCCEEDED", 1))
        self.assertEqual(json.loads(again["output"])["Database"]["Name"], "redrive_db")
        types = [e["type"] for e in history(self.sfn, done["executionArn"])]
        self.assertEqual(types.count("ExecutionRedriven"), 1)
        self.assertEqual(types.count("PassStateEntered"), 1)  # the Pass before the failed state is not run again
        e = self.error_of(self.sfn.redrive_execution, executionArn=done["executionArn"])
        self.assertEqual(e["Code"], "ExecutionNotRedrivable")

    def test_test_state_runs_one_state(self):
        state = json.dumps({"Type": "Pass", "Parameters": {"b.$": "$.a"}, "Next": "Later"})
        result = self.sync_client().test_state(definition=state, roleArn=ROLE, input='{"a": 7}',
                                               inspectionLevel="DEBUG")
        self.assertEqual((result["status"], json.loads(result["output"]), result["nextState"]),
                         ("SUCCEEDED", {"b": 7}, "Later"))
        self.assertIn("afterParameters", result["inspectionData"])
        dev = self.sync_client(*self.dev)
        e = self.error_of(dev.test_state, definition=state, roleArn=ROLE)
        self.assertIn("iam:PassRole", e["Message"])


class IntegrationTest(StatesTest):
    def test_aws_sdk_calls_run_as_the_role_session(self):
        done = self.run_to_end(self.create("whoami", task("arn:aws:states:::aws-sdk:sts:getCallerIdentity", {})))
        self.assertEqual(done["status"], "SUCCEEDED", done)
        identity = json.loads(done["output"])
        self.assertTrue(identity["Arn"].startswith(f"arn:aws:sts::{TARGET}:assumed-role/sfn-exec/"), identity)
        self.assertEqual(identity["Account"], TARGET)
        events = history(self.sfn, done["executionArn"])
        self.assertIn("TaskSucceeded", [e["type"] for e in events])
        got = self.run_to_end(self.create("getrole", task("arn:aws:states:::aws-sdk:iam:getRole",
                                                          {"RoleName": "sfn-exec"})))
        self.assertEqual(json.loads(got["output"])["Role"]["Arn"], ROLE)

    def test_aws_sdk_errors_are_named_after_the_service_and_can_be_caught(self):
        lookup = machine({"Lookup": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:glue:getDatabase",
                                     "Parameters": {"Name": "nope"}, "End": True,
                                     "Catch": [{"ErrorEquals": ["Glue.EntityNotFoundException"], "Next": "Caught"}]},
                          "Caught": {"Type": "Pass", "End": True}})
        done = self.run_to_end(self.create("catcher", lookup))
        self.assertEqual(done["status"], "SUCCEEDED")
        self.assertEqual(json.loads(done["output"])["Error"], "Glue.EntityNotFoundException")

    def test_a_denied_call_fails_with_the_access_denied_of_its_service(self):
        self.iam.create_role(RoleName="narrow", AssumeRolePolicyDocument=trust_policy(STATES))
        self.iam.put_role_policy(RoleName="narrow", PolicyName="sts", PolicyDocument=allow("sts:GetCallerIdentity"))
        done = self.run_to_end(self.create("narrow", task("arn:aws:states:::aws-sdk:glue:getDatabases", {}),
                                           role=f"arn:aws:iam::{TARGET}:role/narrow"))
        self.assertEqual((done["status"], done["error"]), ("FAILED", "Glue.AccessDeniedException"))
        self.assertIn("glue:GetDatabases", done["cause"])
        self.assertIn("assumed-role/narrow/", done["cause"])

    def test_resources_xacct_does_not_serve_fail_the_task_naming_them(self):
        for name, resource in (("ddb", "arn:aws:states:::dynamodb:scan"),
                               ("lambda", f"arn:aws:lambda:{REGION}:{TARGET}:function:f"),
                               ("sns", "arn:aws:states:::sns:publish")):
            done = self.run_to_end(self.create(f"unserved-{name}", task(resource, {})))
            self.assertEqual((done["status"], done["error"]), ("FAILED", "States.TaskFailed"))
            self.assertIn(resource, done["cause"])
            if name == "ddb":
                self.assertIn("DynamoDB", done["cause"])

    def test_athena_sync_then_get_query_results(self):
        self.server.root("athena", "target").create_work_group(Name="sfn-wg", Configuration={
            "ManagedQueryResultsConfiguration": {"Enabled": True}})
        flow = machine({
            "Query": {"Type": "Task", "Resource": "arn:aws:states:::athena:startQueryExecution.sync",
                      "Parameters": {"QueryString": "SELECT 41 + 1 AS answer", "WorkGroup": "sfn-wg"},
                      "Next": "Results"},
            "Results": {"Type": "Task", "Resource": "arn:aws:states:::athena:getQueryResults",
                        "Parameters": {"QueryExecutionId.$": "$.QueryExecution.QueryExecutionId"}, "End": True}})
        done = self.run_to_end(self.create("athena-flow", flow))
        self.assertEqual(done["status"], "SUCCEEDED", done)
        rows = json.loads(done["output"])["ResultSet"]["Rows"]
        self.assertEqual(rows[1]["Data"][0]["VarCharValue"], "42")
        types = [e["type"] for e in history(self.sfn, done["executionArn"])]
        self.assertEqual(types.count("TaskSubmitted"), 1)

    def test_an_athena_api_error_is_named_after_athena_with_the_sdk_cause(self):
        # The primary workgroup has no output location: StartQueryExecution itself fails.
        done = self.run_to_end(self.create("athena-bad", task("arn:aws:states:::athena:startQueryExecution",
                                                              {"QueryString": "SELECT 1"})))
        self.assertEqual((done["status"], done["error"]), ("FAILED", "Athena.InvalidRequestException"))
        self.assertRegex(done["cause"], r"\(Service: AmazonAthena; Status Code: 400; Error Code: "
                                        r"InvalidRequestException; Request ID: [0-9a-f-]{36}; Proxy: null\)$")

    def test_start_execution_of_a_child_request_response_sync_and_sync2(self):
        child = self.create("child", ECHO)
        for pattern, as_json in (("", None), (".sync", False), (".sync:2", True)):
            parent = self.create(f"parent{pattern.replace('.', '-').replace(':', '-')}", task(
                f"arn:aws:states:::states:startExecution{pattern}",
                {"StateMachineArn": child, "Input": {"from": "parent"}}))
            done = self.run_to_end(parent)
            self.assertEqual(done["status"], "SUCCEEDED", done)
            out = json.loads(done["output"])
            self.assertTrue(out["ExecutionArn"].startswith(f"arn:aws:states:{REGION}:{TARGET}:execution:child:"))
            if as_json is None:
                self.assertIn("StartDate", out)
            elif as_json:
                self.assertEqual(out["Output"], {"from": "parent"})
            else:
                self.assertEqual(json.loads(out["Output"]), {"from": "parent"})

    def test_sync_child_needs_the_managed_rule_permissions(self):
        child = self.create("child2", ECHO)
        self.iam.create_role(RoleName="no-events", AssumeRolePolicyDocument=trust_policy(STATES))
        self.iam.put_role_policy(RoleName="no-events", PolicyName="states", PolicyDocument=allow("states:*"))
        done = self.run_to_end(self.create("no-events", task("arn:aws:states:::states:startExecution.sync",
                                                             {"StateMachineArn": child}),
                                           role=f"arn:aws:iam::{TARGET}:role/no-events"))
        self.assertEqual(done["status"], "FAILED")
        self.assertIn("managed-rule", done["cause"])


class CliTest(StatesTest):
    def test_both_cli_generations(self):
        clis = cli_commands()
        self.assertTrue(clis, "no AWS CLI on this machine")
        _, key, secret = ACCOUNTS["target"]
        for command, version in clis:
            name = "cli-" + version.split("/")[1].replace(".", "-")
            code, out, err = self.server.cli(command, ["stepfunctions", "create-state-machine", "--name", name,
                                                       "--definition", PASS_CHOICE_WAIT, "--role-arn", ROLE],
                                             key, secret)
            self.assertEqual(code, 0, err)
            arn = json.loads(out)["stateMachineArn"]
            code, out, err = self.server.cli(command, ["stepfunctions", "start-execution", "--state-machine-arn",
                                                       arn, "--input", '{"cli": true}'], key, secret)
            self.assertEqual(code, 0, err)
            execution = json.loads(out)["executionArn"]
            wait_done(self.sfn, execution)
            code, out, err = self.server.cli(command, ["stepfunctions", "describe-execution", "--execution-arn",
                                                       execution], key, secret)
            self.assertEqual((code, json.loads(out)["status"]), (0, "SUCCEEDED"), err)
            code, out, err = self.server.cli(command, ["stepfunctions", "get-execution-history", "--execution-arn",
                                                       execution], key, secret)
            self.assertEqual(len(json.loads(out)["events"]), 10, err)
            code, out, err = self.server.cli(command, ["stepfunctions", "list-executions", "--state-machine-arn",
                                                       arn], key, secret)
            self.assertEqual([x["executionArn"] for x in json.loads(out)["executions"]], [execution])
            code, out, err = self.server.cli(command, ["stepfunctions", "describe-state-machine",
                                                       "--state-machine-arn", arn + "-nope"], key, secret)
            self.assertNotEqual(code, 0)
            self.assertIn("StateMachineDoesNotExist", err)

    def test_start_sync_execution_with_cli_v1(self):
        # botocore prefixes StartSyncExecution's host with "sync-"; the image's CLI v1 can be told not to.
        v1 = [c for c, v in cli_commands() if v.startswith("aws-cli/1.")]
        self.assertTrue(v1, "no AWS CLI v1 on this machine")
        arn = self.create("cli-express", ECHO, type="EXPRESS")
        _, key, secret = ACCOUNTS["target"]
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update({"AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": secret, "AWS_DEFAULT_REGION": REGION,
                    "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
                    "AWS_DISABLE_HOST_PREFIX_INJECTION": "true"})
        out = subprocess.run([v1[0], "--endpoint-url", self.server.endpoint, "--output", "json", "stepfunctions",
                              "start-sync-execution", "--state-machine-arn", arn, "--input", '{"s": 1}'],
                             capture_output=True, text=True, env=env, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(json.loads(json.loads(out.stdout)["output"]), {"s": 1})


class WaitingExecutionsTest(StatesTest):
    def test_waiting_executions_do_not_hold_up_the_ones_behind_them(self):
        """70 executions that each wait 2 s end together: a waiting execution frees its place in the pool of 32
        (which would otherwise take three rounds, 6 s)."""
        arn = self.create("nap", machine({"Nap": {"Type": "Wait", "Seconds": 2, "End": True}}))
        began = time.time()
        arns = [self.sfn.start_execution(stateMachineArn=arn)["executionArn"] for _ in range(70)]
        for execution in arns:
            self.assertEqual(wait_done(self.sfn, execution)["status"], "SUCCEEDED")
        self.assertLess(time.time() - began, 5.0)


class RestartTest(unittest.TestCase):
    """Executions outlive the server: a clean stop leaves them RUNNING, the next start resumes each at its last
    checkpoint, or fails it visibly when it cannot."""

    def setUp(self):
        self.server = Server().start()
        iam = self.server.root("iam", "target")
        iam.create_role(RoleName="sfn-exec", AssumeRolePolicyDocument=trust_policy(STATES))
        self.sfn = self.server.root("stepfunctions", "target")

    def tearDown(self):
        self.server.stop()
        self.server.cleanup()

    def test_a_waiting_execution_resumes_after_a_restart(self):
        arn = self.sfn.create_state_machine(name="patient", roleArn=ROLE, definition=machine({
            "First": {"Type": "Pass", "Result": {"step": 1}, "Next": "Nap"},
            "Nap": {"Type": "Wait", "Seconds": 2, "Next": "Last"},
            "Last": {"Type": "Pass", "End": True}}))["stateMachineArn"]
        started = self.sfn.start_execution(stateMachineArn=arn, name="across")
        time.sleep(0.3)
        self.server.restart()
        self.sfn = self.server.root("stepfunctions", "target")
        done = wait_done(self.sfn, started["executionArn"], timeout=30)
        self.assertEqual((done["status"], json.loads(done["output"])), ("SUCCEEDED", {"step": 1}))
        events = history(self.sfn, started["executionArn"])
        self.assertEqual([e["id"] for e in events], list(range(1, len(events) + 1)))
        types = [e["type"] for e in events]
        self.assertEqual(types.count("ExecutionStarted"), 1)
        self.assertEqual(types.count("PassStateEntered"), 2)  # First before the restart, Last after it
        self.assertEqual(types[-1], "ExecutionSucceeded")

    def test_an_execution_that_cannot_resume_fails_with_the_reason(self):
        arn = self.sfn.create_state_machine(name="doomed", roleArn=ROLE, definition=HOUR)["stateMachineArn"]
        started = self.sfn.start_execution(stateMachineArn=arn, name="stuck")
        time.sleep(0.3)
        self.assertEqual(self.server.stop(), 0)
        # The stored definition no longer validates (as if written by a version of xacct that allowed it).
        db = sqlite3.connect(os.path.join(self.server.data_dir, "meta.db"))
        where = "kind = 'states-execution' AND id = 'doomed/stuck'"
        record = json.loads(db.execute(f"SELECT body FROM documents WHERE {where}").fetchone()[0])
        record["xDefinition"] = '{"StartAt": "Gone", "States": {}}'
        db.execute(f"UPDATE documents SET body = ? WHERE {where}", (json.dumps(record),))
        db.commit()
        db.close()
        self.server.start()
        self.sfn = self.server.root("stepfunctions", "target")
        done = wait_done(self.sfn, started["executionArn"])
        self.assertEqual((done["status"], done["error"]), ("FAILED", "States.Runtime"))
        self.assertIn("could not resume", done["cause"])
        self.assertEqual(history(self.sfn, started["executionArn"])[-1]["type"], "ExecutionFailed")


if __name__ == "__main__":
    unittest.main()

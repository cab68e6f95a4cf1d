"""Athena query execution (Amazon Athena API Reference: StartQueryExecution, StopQueryExecution,
GetQueryExecution, GetQueryResults; Amazon Athena User Guide, "Work with query results", "Managed query
results", "Use parameterized queries", "Athena error catalog").

A query starts QUEUED and the background pool runs it as its caller: RUNNING, then SUCCEEDED with Athena's
result files (<id>.csv or <id>.txt and a .metadata) written to the output location as the caller, or kept by
xacct for a workgroup with managed query results; FAILED with AthenaError; CANCELLED by StopQueryExecution.
Messages marked "measured" are the ones real Athena answers."""
import json
import os
import time
import unittest

import botocore.exceptions

from harness import ACCOUNTS, REGION, ServerTest, allow, cli_commands

SEED = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "scenarios", "seed000")
TARGET = ACCOUNTS["target"][0]
NO_OUTPUT_LOCATION = (  # measured, the double space included
    "No output location provided. You did not provide an output location for  your query results. Either specify "
    "an S3 bucket location or enable Athena managed query results in your workgroup settings.")
SLOW_QUERY = "SELECT sum(hash(range)) FROM range(150000000)"  # a couple of seconds on DuckDB


def statements(path, **placeholders):
    """The seed file's statements, verbatim but for its <PLACEHOLDERS>, comments dropped."""
    with open(os.path.join(SEED, path)) as f:
        text = f.read()
    for name, value in placeholders.items():
        text = text.replace(f"<{name}>", value)
    body = "\n".join(line for line in text.splitlines() if not line.strip().startswith("--"))
    return [s.strip() + ";" for s in body.split(";") if s.strip()]


def results_bucket(account):
    return f"{account}-athena-results"


class AthenaQueryTest(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for account in ACCOUNTS:
            cls.server.root("s3", account).create_bucket(
                Bucket=results_bucket(account), CreateBucketConfiguration={"LocationConstraint": REGION})
        cls.server.root("athena", "target").create_work_group(
            Name="managed", Configuration={"ManagedQueryResultsConfiguration": {"Enabled": True}})

    def output(self, account, prefix="results/"):
        return {"ResultConfiguration": {"OutputLocation": f"s3://{results_bucket(account)}/{prefix}"}}

    def wait(self, athena, qid, states=("SUCCEEDED", "FAILED", "CANCELLED")):
        for _ in range(400):
            execution = athena.get_query_execution(QueryExecutionId=qid)["QueryExecution"]
            if execution["Status"]["State"] in states:
                return execution
            time.sleep(0.01)
        self.fail(f"query {qid} never reached {states}: {execution['Status']}")

    def run_query(self, athena, sql, account="target", **extra):
        if "WorkGroup" not in extra and "ResultConfiguration" not in extra:
            extra.update(self.output(account))
        qid = athena.start_query_execution(QueryString=sql, **extra)["QueryExecutionId"]
        return qid, self.wait(athena, qid)

    def rows(self, athena, qid, **extra):
        results = athena.get_query_results(QueryExecutionId=qid, **extra)["ResultSet"]
        return [[cell.get("VarCharValue") for cell in row["Data"]] for row in results["Rows"]]

    def assertError(self, code, fn, *args, message=None, **kwargs):
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            fn(*args, **kwargs)
        self.assertEqual(cm.exception.response["Error"]["Code"], code, cm.exception.response)
        if message is not None:
            self.assertEqual(cm.exception.response["Error"]["Message"], message)
        return cm.exception

    def user(self, account, name, policy):
        iam = self.server.root("iam", account)
        iam.create_user(UserName=name)
        iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=policy)
        key = iam.create_access_key(UserName=name)["AccessKey"]
        return lambda service: self.server.client(service, key["AccessKeyId"], key["SecretAccessKey"])

    # --- statements ---

    def test_seed_ddl_lands_in_glue_as_athena_stores_it(self):
        athena, glue = self.server.root("athena", "source"), self.server.root("glue", "source")
        for sql in statements("source/create-database-and-table.sql", SOURCE_BUCKET_NAME="source-bucket"):
            _, execution = self.run_query(athena, sql, account="source")
            self.assertEqual(execution["Status"]["State"], "SUCCEEDED", execution["Status"])
            self.assertEqual(execution["StatementType"], "DDL")
        table = glue.get_table(DatabaseName="cm_kasama_cross_account_db", Name="sales")["Table"]
        self.assertEqual(table["TableType"], "EXTERNAL_TABLE")
        self.assertEqual(table["Parameters"]["skip.header.line.count"], "1")
        sd = table["StorageDescriptor"]
        self.assertEqual(sd["Location"], "s3://source-bucket/data/")
        self.assertEqual(sd["SerdeInfo"]["Parameters"]["field.delim"], ",")
        self.assertEqual([c["Name"] for c in sd["Columns"]], ["id", "product", "amount", "date"])
        # IF NOT EXISTS makes running the DDL again a success.
        for sql in statements("source/create-database-and-table.sql", SOURCE_BUCKET_NAME="source-bucket"):
            self.assertEqual(self.run_query(athena, sql, account="source")[1]["Status"]["State"], "SUCCEEDED")

    def test_select_without_tables_returns_a_header_row_and_athena_types(self):
        athena = self.server.root("athena", "target")
        qid, execution = self.run_query(
            athena, "SELECT 1 AS one, date_format(date_parse('2024-01-02', '%Y-%m-%d'), '%Y/%m/%d') AS d")
        self.assertEqual(execution["Status"]["State"], "SUCCEEDED", execution["Status"])
        results = athena.get_query_results(QueryExecutionId=qid)
        rows = [[cell.get("VarCharValue") for cell in row["Data"]] for row in results["ResultSet"]["Rows"]]
        self.assertEqual(rows, [["one", "d"], ["1", "2024/01/02"]])
        self.assertEqual([c["Type"] for c in results["ResultSet"]["ResultSetMetadata"]["ColumnInfo"]],
                         ["integer", "varchar"])
        self.assertEqual(results["UpdateCount"], 0)

    def test_a_ddl_syntax_error_fails_in_hives_words_with_athenas_error_type(self):
        _, execution = self.run_query(self.server.root("athena", "source"), "CREATE EXTRNAL TABLE x (a int)",
                                      account="source")
        self.assertEqual(execution["Status"]["State"], "FAILED")
        self.assertIn("FAILED: ParseException line 1:7", execution["Status"]["StateChangeReason"])
        error = execution["Status"]["AthenaError"]
        self.assertEqual((error["ErrorCategory"], error["ErrorType"], error["Retryable"]), (2, 1006, False))
        self.assertEqual(error["ErrorMessage"], execution["Status"]["StateChangeReason"])

    def test_ddl_in_another_accounts_catalog_needs_its_catalog_policy(self):
        athena = self.server.root("athena", "target")
        athena.create_data_catalog(Name="source_catalog", Type="GLUE", Parameters={"catalog-id": "111111111111"})
        _, execution = self.run_query(athena, "CREATE DATABASE intruder_db",
                                      QueryExecutionContext={"Catalog": "source_catalog"}, **self.output("target"))
        self.assertEqual(execution["Status"]["State"], "FAILED")
        self.assertIn("glue:CreateDatabase", execution["Status"]["StateChangeReason"])
        self.assertEqual(execution["Status"]["AthenaError"]["ErrorType"], 1500)  # Permission error

    def test_executions_are_listed_newest_first_and_fetched_in_batches(self):
        athena = self.server.root("athena", "outsider")
        first, _ = self.run_query(athena, "SELECT 1", account="outsider")
        time.sleep(0.01)  # submission times are in milliseconds
        second, _ = self.run_query(athena, "SELECT 2", account="outsider")
        ids = athena.list_query_executions()["QueryExecutionIds"]
        self.assertEqual(ids[:2], [second, first])
        batch = athena.batch_get_query_execution(QueryExecutionIds=[first, "00000000-0000-4000-8000-000000000000"])
        self.assertEqual([q["QueryExecutionId"] for q in batch["QueryExecutions"]], [first])
        self.assertEqual([u["QueryExecutionId"] for u in batch["UnprocessedQueryExecutionIds"]],
                         ["00000000-0000-4000-8000-000000000000"])

    # --- the pool: QUEUED, RUNNING, CANCELLED ---

    def test_a_small_query_is_done_within_milliseconds(self):
        athena = self.server.root("athena", "target")
        athena.get_query_results(QueryExecutionId=self.run_query(athena, "SELECT 1", WorkGroup="managed")[0])
        # The best of a few runs, so that a busy machine does not decide; sanitizer builds are slower.
        limit_ms = 100 if "asan" in os.environ.get("XACCT_BIN", "") else 20
        runs = [self.run_query(athena, "SELECT * FROM range(10)", WorkGroup="managed")[1] for _ in range(5)]
        for execution in runs:
            self.assertEqual(execution["Status"]["State"], "SUCCEEDED", execution["Status"])
        best = min(e["Statistics"]["TotalExecutionTimeInMillis"] for e in runs)
        self.assertLess(best, limit_ms, [e["Statistics"] for e in runs])
        execution = runs[0]
        stats = execution["Statistics"]
        for key in ("EngineExecutionTimeInMillis", "QueryQueueTimeInMillis", "ServicePreProcessingTimeInMillis",
                    "QueryPlanningTimeInMillis", "ServiceProcessingTimeInMillis", "DataScannedInBytes"):
            self.assertIn(key, stats)
        self.assertEqual(stats["ResultReuseInformation"], {"ReusedPreviousResult": False})
        self.assertEqual(execution["SubstatementType"], "SELECT")

    def test_queries_wait_queued_for_a_worker_and_stop_as_athena_stops_them(self):
        athena = self.server.root("athena", "outsider")
        out = self.output("outsider")
        # Two workers (the default): the third slow query waits QUEUED.
        ids = [athena.start_query_execution(QueryString=SLOW_QUERY, **out)["QueryExecutionId"] for _ in range(3)]
        self.wait(athena, ids[0], states=("RUNNING",))
        queued = athena.get_query_execution(QueryExecutionId=ids[2])["QueryExecution"]["Status"]
        self.assertEqual(queued["State"], "QUEUED")
        self.assertNotIn("CompletionDateTime", queued)
        for qid in ids:
            athena.stop_query_execution(QueryExecutionId=qid)
            status = athena.get_query_execution(QueryExecutionId=qid)["QueryExecution"]["Status"]
            self.assertEqual(status["State"], "CANCELLED")
            self.assertEqual(status["StateChangeReason"], "Query cancelled by user")  # measured
        # Stopping a finished query changes nothing.
        athena.stop_query_execution(QueryExecutionId=ids[0])
        self.assertEqual(self.wait(athena, ids[0])["Status"]["State"], "CANCELLED")
        e = self.assertError("InvalidRequestException", athena.get_query_results, QueryExecutionId=ids[2],
                             message="Could not find results")
        self.assertEqual(e.response["AthenaErrorCode"], "RESULT_NOT_FOUND")
        done, _ = self.run_query(athena, "SELECT 1", account="outsider")
        athena.stop_query_execution(QueryExecutionId=done)
        self.assertEqual(athena.get_query_execution(QueryExecutionId=done)["QueryExecution"]["Status"]["State"],
                         "SUCCEEDED")

    def test_stopping_a_running_query_interrupts_the_engine(self):
        athena = self.server.root("athena", "target")
        endless = "SELECT sum(hash(range)) FROM range(3000000000)"  # about 40 s if left alone
        ids = [athena.start_query_execution(QueryString=endless, WorkGroup="managed")["QueryExecutionId"]
               for _ in range(2)]  # both workers
        for qid in ids:
            self.wait(athena, qid, states=("RUNNING",))
            athena.stop_query_execution(QueryExecutionId=qid)
            self.assertEqual(athena.get_query_execution(QueryExecutionId=qid)["QueryExecution"]["Status"]["State"],
                             "CANCELLED")
        # The workers are free again at once: a query after them does not wait for the stopped ones.
        started = time.monotonic()
        _, execution = self.run_query(athena, "SELECT 1", WorkGroup="managed")
        self.assertEqual(execution["Status"]["State"], "SUCCEEDED", execution["Status"])
        self.assertLess(time.monotonic() - started, 2.0)

    def test_stop_needs_athena_stop_query_execution_on_the_workgroup(self):
        athena = self.server.root("athena", "target")
        qid, _ = self.run_query(athena, "SELECT 1")
        viewer = self.user("target", "viewer", allow(["athena:GetQueryExecution"]))("athena")
        e = self.assertError("AccessDeniedException", viewer.stop_query_execution, QueryExecutionId=qid)
        self.assertIn("athena:StopQueryExecution", e.response["Error"]["Message"])

    # --- idempotency and parameters ---

    def test_a_client_request_token_names_one_query(self):
        athena = self.server.root("athena", "target")
        token = "a" * 32
        first = athena.start_query_execution(QueryString="SELECT 7", ClientRequestToken=token,
                                             **self.output("target"))["QueryExecutionId"]
        again = athena.start_query_execution(QueryString="SELECT 7", ClientRequestToken=token,
                                             **self.output("target"))["QueryExecutionId"]
        self.assertEqual(first, again)
        e = self.assertError("InvalidRequestException", athena.start_query_execution, QueryString="SELECT 8",
                             ClientRequestToken=token, **self.output("target"),
                             message="Idempotent parameters do not match")  # measured
        self.assertEqual(e.response["AthenaErrorCode"], "IDEMPOTENT_PARAMETER_MISMATCH")
        self.assertEqual(self.rows(athena, self.wait(athena, first)["QueryExecutionId"]), [["_col0"], ["7"]])

    def test_execution_parameters_fill_the_placeholders(self):
        athena = self.server.root("athena", "target")
        qid, execution = self.run_query(athena, "SELECT ? AS n, ? AS s, '?' AS q",
                                        ExecutionParameters=["41 + 1", "'x'"], **self.output("target"))
        self.assertEqual(execution["Status"]["State"], "SUCCEEDED", execution["Status"])
        self.assertEqual(execution["ExecutionParameters"], ["41 + 1", "'x'"])
        self.assertEqual(self.rows(athena, qid), [["n", "s", "q"], ["42", "x", "?"]])
        _, failed = self.run_query(athena, "SELECT ? AS n")
        self.assertEqual(failed["Status"]["State"], "FAILED")
        error = failed["Status"]["AthenaError"]
        self.assertEqual(error["ErrorMessage"], "Incorrect number of parameters: expected 1 but found 0")
        self.assertEqual((error["ErrorCategory"], error["ErrorType"]), (2, 1006))

    def test_prepare_execute_and_deallocate_are_statements(self):
        athena = self.server.root("athena", "target")
        _, execution = self.run_query(athena, "PREPARE plus_one FROM SELECT ? + 1 AS n")
        self.assertEqual(execution["Status"]["State"], "SUCCEEDED", execution["Status"])
        stored = athena.get_prepared_statement(StatementName="plus_one", WorkGroup="primary")["PreparedStatement"]
        self.assertEqual(stored["QueryStatement"], "SELECT ? + 1 AS n")
        qid, execution = self.run_query(athena, "EXECUTE plus_one USING 41")
        self.assertEqual(execution["Status"]["State"], "SUCCEEDED", execution["Status"])
        self.assertEqual(self.rows(athena, qid), [["n"], ["42"]])
        qid, _ = self.run_query(athena, "EXECUTE plus_one", ExecutionParameters=["1"], **self.output("target"))
        self.assertEqual(self.rows(athena, qid), [["n"], ["2"]])
        self.assertEqual(self.run_query(athena, "DEALLOCATE PREPARE plus_one")[1]["Status"]["State"], "SUCCEEDED")
        self.assertError("ResourceNotFoundException", athena.get_prepared_statement, StatementName="plus_one",
                         WorkGroup="primary")

    def test_prepare_needs_create_prepared_statement(self):
        client = self.user("target", "runner", json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["athena:StartQueryExecution", "athena:GetQueryExecution", "s3:*"],
             "Resource": "*"}]}))
        athena = client("athena")
        _, execution = self.run_query(athena, "PREPARE p FROM SELECT 1")
        self.assertEqual(execution["Status"]["State"], "FAILED")
        self.assertIn("athena:CreatePreparedStatement", execution["Status"]["StateChangeReason"])

    # --- result files ---

    def test_result_files_are_athenas_csv_and_a_metadata_file(self):
        athena, s3 = self.server.root("athena", "target"), self.server.root("s3", "target")
        qid, execution = self.run_query(
            athena, "SELECT 1 AS i, 'it''s \"q\"' AS s, CAST(NULL AS VARCHAR) AS n, '' AS e, 'a\nb' AS nl",
            **self.output("target", "csv/"))
        self.assertEqual(execution["Status"]["State"], "SUCCEEDED", execution["Status"])
        location = f"s3://{results_bucket('target')}/csv/{qid}.csv"
        self.assertEqual(execution["ResultConfiguration"]["OutputLocation"], location)
        body = s3.get_object(Bucket=results_bucket("target"), Key=f"csv/{qid}.csv")["Body"].read()
        self.assertEqual(body, b'"i","s","n","e","nl"\n"1","it\'s ""q""",,"","a\nb"\n')
        metadata = json.loads(s3.get_object(Bucket=results_bucket("target"), Key=f"csv/{qid}.csv.metadata")
                              ["Body"].read())
        self.assertEqual(metadata["Format"], "xacct-athena-result-metadata/1")
        self.assertEqual([c["Name"] for c in metadata["ColumnInfo"]], ["i", "s", "n", "e", "nl"])
        self.assertEqual(metadata["RowCount"], 1)
        # GetQueryResults reads the file back: NULL has no VarCharValue, an empty string has "".
        self.assertEqual(self.rows(athena, qid), [["i", "s", "n", "e", "nl"], ["1", 'it\'s "q"', None, "", "a\nb"]])

    def test_ddl_writes_an_empty_txt(self):
        athena, s3 = self.server.root("athena", "target"), self.server.root("s3", "target")
        qid, execution = self.run_query(athena, "CREATE DATABASE IF NOT EXISTS txt_db")
        self.assertEqual(execution["Status"]["State"], "SUCCEEDED", execution["Status"])
        self.assertTrue(execution["ResultConfiguration"]["OutputLocation"].endswith(f"/{qid}.txt"))
        self.assertEqual(s3.get_object(Bucket=results_bucket("target"), Key=f"results/{qid}.txt")["Body"].read(), b"")
        s3.head_object(Bucket=results_bucket("target"), Key=f"results/{qid}.txt.metadata")
        results = athena.get_query_results(QueryExecutionId=qid)
        self.assertEqual(results["ResultSet"]["Rows"], [])
        self.assertNotIn("UpdateCount", results)

    def test_results_page_by_max_results_with_the_header_only_on_the_first_page(self):
        athena = self.server.root("athena", "target")
        qid, _ = self.run_query(athena, "SELECT * FROM range(2500) ORDER BY 1")
        pages, token = [], None
        while True:
            page = athena.get_query_results(QueryExecutionId=qid, **({"NextToken": token} if token else {}))
            pages.append([[c.get("VarCharValue") for c in r["Data"]] for r in page["ResultSet"]["Rows"]])
            token = page.get("NextToken")
            if not token:
                break
        self.assertEqual([len(p) for p in pages], [1000, 1000, 501])  # the header counts on the first page
        self.assertEqual(pages[0][0], ["range"])
        self.assertEqual([int(r[0]) for p in pages for r in p[1 if p is pages[0] else 0:]], list(range(2500)))
        small = athena.get_query_results(QueryExecutionId=qid, MaxResults=2)
        self.assertEqual(len(small["ResultSet"]["Rows"]), 2)
        self.assertEqual(self.rows(athena, qid, MaxResults=2, NextToken=small["NextToken"]), [["1"], ["2"]])
        self.assertError("InvalidRequestException", athena.get_query_results, QueryExecutionId=qid,
                         NextToken="nonsense", message="Malformed nextPageToken nonsense")  # measured

    def test_results_of_a_failed_query_are_athenas_error(self):
        athena = self.server.root("athena", "target")
        qid, execution = self.run_query(athena, "SELECT * FROM somedb.sometable")
        self.assertEqual(execution["Status"]["State"], "FAILED")
        e = self.assertError("InvalidRequestException", athena.get_query_results, QueryExecutionId=qid,
                             message="Query did not finish successfully. Final query state: FAILED")  # measured
        self.assertEqual(e.response["AthenaErrorCode"], "INVALID_QUERY_EXECUTION_STATE")

    def test_a_query_without_an_output_location_is_refused(self):
        athena = self.server.root("athena", "target")
        e = self.assertError("InvalidRequestException", athena.start_query_execution, QueryString="SELECT 1",
                             message=NO_OUTPUT_LOCATION)
        self.assertEqual(e.response["AthenaErrorCode"], "INVALID_INPUT")
        self.assertError("InvalidRequestException", athena.start_query_execution, QueryString="SELECT 1",
                         ResultConfiguration={"OutputLocation": "https://example.com/x/"},
                         message="outputLocation is not a valid S3 path.")  # measured

    def test_an_enforced_workgroup_location_wins_over_the_request(self):
        athena = self.server.root("athena", "target")
        athena.create_work_group(Name="enforced", Configuration={
            "EnforceWorkGroupConfiguration": True,
            "ResultConfiguration": {"OutputLocation": f"s3://{results_bucket('target')}/enforced"}})
        qid, execution = self.run_query(athena, "SELECT 1", WorkGroup="enforced", **self.output("target", "mine/"))
        self.assertEqual(execution["ResultConfiguration"]["OutputLocation"],
                         f"s3://{results_bucket('target')}/enforced/{qid}.csv")

    def test_writing_results_needs_s3_put_object_as_the_caller(self):
        client = self.user("target", "no-put", json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["athena:*", "s3:GetObject", "s3:ListBucket"], "Resource": "*"}]}))
        athena = client("athena")
        qid, execution = self.run_query(athena, "SELECT 1")
        self.assertEqual(execution["Status"]["State"], "FAILED")
        location = f"s3://{results_bucket('target')}/results/{qid}.csv"
        self.assertEqual(execution["Status"]["StateChangeReason"],
                         f"Access denied when writing output to url: {location} . Please ensure you are allowed to "
                         "access the S3 bucket. If you are encrypting query results with KMS key, please ensure you "
                         "are allowed to access your KMS key")
        error = execution["Status"]["AthenaError"]
        self.assertEqual((error["ErrorCategory"], error["ErrorType"]), (2, 1501))  # Amazon S3 permission error

    def test_reading_results_needs_s3_get_object_as_the_caller(self):
        client = self.user("target", "no-get", json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["athena:*", "s3:PutObject"], "Resource": "*"}]}))
        athena = client("athena")
        qid, execution = self.run_query(athena, "SELECT 1")
        self.assertEqual(execution["Status"]["State"], "SUCCEEDED", execution["Status"])
        e = self.assertError("InvalidRequestException", athena.get_query_results, QueryExecutionId=qid)
        self.assertIn("Access denied when reading output from url", e.response["Error"]["Message"])

    def test_managed_results_need_no_s3_location_nor_permission(self):
        client = self.user("target", "athena-only", allow(["athena:*"]))
        athena = client("athena")
        qid, execution = self.run_query(athena, "SELECT 'managed' AS kind", WorkGroup="managed")
        self.assertEqual(execution["Status"]["State"], "SUCCEEDED", execution["Status"])
        self.assertEqual(execution["ManagedQueryResultsConfiguration"]["Enabled"], True)
        self.assertNotIn("OutputLocation", execution.get("ResultConfiguration", {}))
        self.assertEqual(self.rows(athena, qid), [["kind"], ["managed"]])
        workgroup = self.server.root("athena", "target").get_work_group(WorkGroup="managed")["WorkGroup"]
        self.assertEqual(workgroup["Configuration"]["ManagedQueryResultsConfiguration"], {"Enabled": True})

    def test_managed_results_and_an_output_location_exclude_each_other(self):
        self.assertError("InvalidRequestException", self.server.root("athena", "target").create_work_group,
                         Name="both", Configuration={
                             "ManagedQueryResultsConfiguration": {"Enabled": True},
                             "ResultConfiguration": {"OutputLocation": f"s3://{results_bucket('target')}/x/"}})

    def test_the_seed_target_workgroup_runs_queries_with_managed_results(self):
        with open(os.path.join(SEED, "synthesized", "cm-kasama-cross-account-stack.template.json")) as f:
            props = json.load(f)["Resources"]["TargetAthenaWorkgroup"]["Properties"]
        athena = self.server.root("athena", "target")
        athena.create_work_group(Name=props["Name"], Description=props["Description"],
                                 Configuration=props["WorkGroupConfiguration"])
        qid, execution = self.run_query(athena, "SELECT 1 AS x", WorkGroup=props["Name"],
                                        **self.output("target", "ignored/"))
        self.assertEqual(execution["Status"]["State"], "SUCCEEDED", execution["Status"])
        self.assertEqual(self.rows(athena, qid), [["x"], ["1"]])

    # --- real CLIs ---

    def test_both_cli_generations_start_and_read_a_query(self):
        _, key, secret = ACCOUNTS["target"]
        for cli, version in cli_commands():
            with self.subTest(cli=version):
                code, out, err = self.server.cli(cli, ["athena", "start-query-execution", "--query-string",
                                                       "SELECT 42 AS answer", "--result-configuration",
                                                       f"OutputLocation=s3://{results_bucket('target')}/cli/"],
                                                 key, secret)
                self.assertEqual(code, 0, err)
                qid = json.loads(out)["QueryExecutionId"]
                self.wait(self.server.root("athena", "target"), qid)
                code, out, err = self.server.cli(cli, ["athena", "get-query-results", "--query-execution-id", qid],
                                                 key, secret)
                self.assertEqual(code, 0, err)
                self.assertIn('"VarCharValue": "42"', out)


if __name__ == "__main__":
    unittest.main()

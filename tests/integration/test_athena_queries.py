"""Athena query execution, first slice (Amazon Athena API Reference: StartQueryExecution, GetQueryExecution,
GetQueryResults): seed 000's DDL runs through Athena into Glue as the caller; a SELECT that reads no table runs
on the engine with Trino functions; a query xacct cannot run yet ends FAILED saying so."""
import json
import os
import time
import unittest

from harness import ACCOUNTS, ServerTest, cli_commands

SEED = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "scenarios", "seed000")


def statements(path, **placeholders):
    """The seed file's statements, verbatim but for its <PLACEHOLDERS>, comments dropped."""
    with open(os.path.join(SEED, path)) as f:
        text = f.read()
    for name, value in placeholders.items():
        text = text.replace(f"<{name}>", value)
    body = "\n".join(line for line in text.splitlines() if not line.strip().startswith("--"))
    return [s.strip() + ";" for s in body.split(";") if s.strip()]


class AthenaQueryTest(ServerTest):
    def run_query(self, athena, sql, **extra):
        qid = athena.start_query_execution(QueryString=sql, **extra)["QueryExecutionId"]
        for _ in range(100):
            execution = athena.get_query_execution(QueryExecutionId=qid)["QueryExecution"]
            if execution["Status"]["State"] in ("SUCCEEDED", "FAILED", "CANCELLED"):
                return qid, execution
            time.sleep(0.05)
        self.fail(f"query {qid} did not finish")

    def test_seed_ddl_lands_in_glue_as_athena_stores_it(self):
        athena, glue = self.server.root("athena", "source"), self.server.root("glue", "source")
        for sql in statements("source/create-database-and-table.sql", SOURCE_BUCKET_NAME="source-bucket"):
            _, execution = self.run_query(athena, sql)
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
            self.assertEqual(self.run_query(athena, sql)[1]["Status"]["State"], "SUCCEEDED")

    def test_select_without_tables_returns_a_header_row_and_athena_types(self):
        athena = self.server.root("athena", "target")
        qid, execution = self.run_query(
            athena, "SELECT 1 AS one, date_format(date_parse('2024-01-02', '%Y-%m-%d'), '%Y/%m/%d') AS d")
        self.assertEqual(execution["Status"]["State"], "SUCCEEDED", execution["Status"])
        results = athena.get_query_results(QueryExecutionId=qid)["ResultSet"]
        rows = [[cell.get("VarCharValue") for cell in row["Data"]] for row in results["Rows"]]
        self.assertEqual(rows, [["one", "d"], ["1", "2024/01/02"]])
        self.assertEqual([c["Type"] for c in results["ResultSetMetadata"]["ColumnInfo"]], ["integer", "varchar"])

    def test_a_ddl_syntax_error_fails_in_hives_words(self):
        _, execution = self.run_query(self.server.root("athena", "source"), "CREATE EXTRNAL TABLE x (a int)")
        self.assertEqual(execution["Status"]["State"], "FAILED")
        self.assertIn("FAILED: ParseException line 1:7", execution["Status"]["StateChangeReason"])

    def test_ddl_in_another_accounts_catalog_needs_its_catalog_policy(self):
        athena = self.server.root("athena", "target")
        athena.create_data_catalog(Name="source_catalog", Type="GLUE", Parameters={"catalog-id": "111111111111"})
        _, execution = self.run_query(athena, "CREATE DATABASE intruder_db",
                                      QueryExecutionContext={"Catalog": "source_catalog"})
        self.assertEqual(execution["Status"]["State"], "FAILED")
        self.assertIn("glue:CreateDatabase", execution["Status"]["StateChangeReason"])

    def test_reading_a_table_is_refused_until_supported(self):
        _, execution = self.run_query(self.server.root("athena", "source"), "SELECT * FROM somedb.sometable")
        self.assertEqual(execution["Status"]["State"], "FAILED")
        self.assertIn("NOT_SUPPORTED", execution["Status"]["StateChangeReason"])

    def test_executions_are_listed_newest_first_and_fetched_in_batches(self):
        athena = self.server.root("athena", "outsider")
        first, _ = self.run_query(athena, "SELECT 1")
        time.sleep(0.01)  # submission times are in milliseconds
        second, _ = self.run_query(athena, "SELECT 2")
        ids = athena.list_query_executions()["QueryExecutionIds"]
        self.assertEqual(ids[:2], [second, first])
        batch = athena.batch_get_query_execution(QueryExecutionIds=[first, "00000000-0000-4000-8000-000000000000"])
        self.assertEqual([q["QueryExecutionId"] for q in batch["QueryExecutions"]], [first])
        self.assertEqual([u["QueryExecutionId"] for u in batch["UnprocessedQueryExecutionIds"]],
                         ["00000000-0000-4000-8000-000000000000"])

    def test_both_cli_generations_start_and_read_a_query(self):
        _, key, secret = ACCOUNTS["target"]
        for cli, version in cli_commands():
            with self.subTest(cli=version):
                code, out, err = self.server.cli(cli, ["athena", "start-query-execution", "--query-string",
                                                       "SELECT 42 AS answer"], key, secret)
                self.assertEqual(code, 0, err)
                qid = json.loads(out)["QueryExecutionId"]
                code, out, err = self.server.cli(cli, ["athena", "get-query-results", "--query-execution-id", qid],
                                                 key, secret)
                self.assertEqual(code, 0, err)
                self.assertIn('"VarCharValue": "42"', out)


if __name__ == "__main__":
    unittest.main()

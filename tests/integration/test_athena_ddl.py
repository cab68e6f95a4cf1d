"""Athena's DDL against the Glue Data Catalog (Amazon Athena User Guide, "DDL statements"): ALTER TABLE ADD/DROP
PARTITION, SET LOCATION, SET TBLPROPERTIES, MSCK REPAIR TABLE, SHOW ..., DESCRIBE, DROP DATABASE ... CASCADE, each
checked in its output (GetQueryResults), in the Glue state it leaves, and in Hive's words when it fails, as Athena
shows them in StateChangeReason. A role of another account without a grant in the catalog's policy is refused with
Glue's own AccessDeniedException text.

A DDL result row is one line of Hive's text output: its cells joined by a tab (real Athena returns the whole line
as one Datum; xacct may split it into one value per column, and the joined line is the same either way)."""
import json
import time
import unittest

from harness import ACCOUNTS, REGION, ServerTest, allow, trust_policy

SOURCE, TARGET = ACCOUNTS["source"][0], ACCOUNTS["target"][0]
BUCKET = "ddl-data"
DB = "ddl_db"


def pad(text):
    """Hive's DESCRIBE / SHOW COLUMNS field: left-aligned in 20 characters."""
    return text.ljust(20)


class AthenaDdlTest(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s3 = cls.server.root("s3", "source")
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        cls.athena = cls.server.root("athena", "source")
        cls.glue = cls.server.root("glue", "source")
        cls.s3 = s3
        s3.create_bucket(Bucket="ddl-results-source", CreateBucketConfiguration={"LocationConstraint": REGION})
        cls.server.root("s3", "target").create_bucket(
            Bucket="ddl-results-target", CreateBucketConfiguration={"LocationConstraint": REGION})
        cls.ok(cls.athena, f"CREATE DATABASE {DB}")

    @classmethod
    def run_query(cls, athena, sql, results="ddl-results-source", **extra):
        extra.setdefault("QueryExecutionContext", {"Database": DB})
        extra.setdefault("ResultConfiguration", {"OutputLocation": f"s3://{results}/"})
        qid = athena.start_query_execution(QueryString=sql, **extra)["QueryExecutionId"]
        for _ in range(500):
            execution = athena.get_query_execution(QueryExecutionId=qid)["QueryExecution"]
            if execution["Status"]["State"] in ("SUCCEEDED", "FAILED", "CANCELLED"):
                return qid, execution
            time.sleep(0.02)
        raise AssertionError(f"query {qid} did not finish")

    @classmethod
    def ok(cls, athena, sql, **extra):
        qid, execution = cls.run_query(athena, sql, **extra)
        assert execution["Status"]["State"] == "SUCCEEDED", (sql, execution["Status"])
        return qid, execution

    def reason(self, sql, athena=None, **extra):
        if athena is not None:
            extra["results"] = "ddl-results-target"
        _, execution = self.run_query(athena or self.athena, sql, **extra)
        self.assertEqual(execution["Status"]["State"], "FAILED", sql)
        return execution["Status"]["StateChangeReason"]

    def lines(self, qid, athena=None):
        """The result's lines (cells joined by a tab) and its columns as (name, type)."""
        results = (athena or self.athena).get_query_results(QueryExecutionId=qid)["ResultSet"]
        columns = [(c["Name"], c["Type"]) for c in results["ResultSetMetadata"]["ColumnInfo"]]
        return ["\t".join(c.get("VarCharValue", "") for c in row["Data"]) for row in results["Rows"]], columns

    def output(self, sql):
        qid, execution = self.ok(self.athena, sql)
        lines, columns = self.lines(qid)
        return lines, columns, (execution["StatementType"], execution.get("SubstatementType"))

    def create_events(self, name):
        """A table partitioned by (dt string, hr int) at s3://ddl-data/<name>/."""
        self.ok(self.athena, f"""CREATE EXTERNAL TABLE {name} (id int COMMENT 'the id', body string)
            PARTITIONED BY (dt string, hr int)
            ROW FORMAT DELIMITED FIELDS TERMINATED BY ','
            STORED AS TEXTFILE LOCATION 's3://{BUCKET}/{name}/' TBLPROPERTIES ('classification'='csv')""")

    def partitions(self, table, db=DB):
        found = self.glue.get_partitions(DatabaseName=db, TableName=table)["Partitions"]
        return sorted((p["Values"], p["StorageDescriptor"]["Location"]) for p in found)

    def test_add_partition_copies_the_table_storage_and_types_the_values(self):
        self.create_events("adds")
        _, _, types = self.output("ALTER TABLE adds ADD PARTITION (dt='2024-01-01', hr=05)")
        self.assertEqual(types, ("DDL", "ALTER_TABLE_ADD_PARTITION"))
        self.ok(self.athena, "ALTER TABLE ddl_db.adds ADD PARTITION (hr=6, dt='2024-01-01') "
                             "PARTITION (dt='2024-01-02', hr=0) LOCATION 's3://ddl-data/elsewhere/'")
        self.assertEqual(self.partitions("adds"), [
            (["2024-01-01", "5"], "s3://ddl-data/adds/dt=2024-01-01/hr=5/"),
            (["2024-01-01", "6"], "s3://ddl-data/adds/dt=2024-01-01/hr=6/"),
            (["2024-01-02", "0"], "s3://ddl-data/elsewhere/")])
        part = self.glue.get_partition(DatabaseName=DB, TableName="adds", PartitionValues=["2024-01-01", "5"])
        sd = part["Partition"]["StorageDescriptor"]
        self.assertEqual(sd["InputFormat"], "org.apache.hadoop.mapred.TextInputFormat")
        self.assertEqual(sd["SerdeInfo"]["Parameters"]["field.delim"], ",")
        self.assertEqual([c["Name"] for c in sd["Columns"]], ["id", "body"])
        lines, columns, types = self.output("SHOW PARTITIONS adds")
        self.assertEqual(lines, ["dt=2024-01-01/hr=5", "dt=2024-01-01/hr=6", "dt=2024-01-02/hr=0"])
        self.assertEqual((columns, types), ([("partition", "string")], ("UTILITY", "SHOW_PARTITIONS")))
        # An existing partition fails without IF NOT EXISTS and is forgiven with it.
        self.assertEqual(self.reason("ALTER TABLE adds ADD PARTITION (dt='2024-01-01', hr=5)"),
                         "FAILED: Execution Error, return code 1 from org.apache.hadoop.hive.ql.exec.DDLTask. "
                         "AlreadyExistsException(message:Partition already exists.)")
        self.ok(self.athena, "ALTER TABLE adds ADD IF NOT EXISTS PARTITION (dt='2024-01-01', hr=5)")

    def test_partition_specs_are_checked_against_the_keys_in_hives_words(self):
        self.create_events("specs")
        self.ok(self.athena, "CREATE EXTERNAL TABLE flat (a int) LOCATION 's3://ddl-data/flat/'")
        cases = [
            ("ALTER TABLE specs ADD PARTITION (dt='x', hour=1)",
             "FAILED: ValidationFailureSemanticException Partition spec {dt=x, hour=1} contains non-partition columns"),
            ("ALTER TABLE specs ADD PARTITION (dt='x')",
             "FAILED: ValidationFailureSemanticException partition spec {dt=x} doesn't contain all (2) partition "
             "columns"),
            ("ALTER TABLE specs ADD PARTITION (dt='x', hr='noon')",
             "FAILED: SemanticException [Error 10248]: Cannot add partition column hr of type string as it cannot be "
             "converted to type int"),
            ("ALTER TABLE flat ADD PARTITION (a=1)",
             "FAILED: SemanticException table is not partitioned but partition spec exists: {a=1}"),
            ("ALTER TABLE nosuch ADD PARTITION (dt='x', hr=1)",
             "FAILED: SemanticException [Error 10001]: Table not found ddl_db.nosuch"),
            ("ALTER TABLE nodb.specs ADD PARTITION (dt='x', hr=1)",
             "FAILED: SemanticException [Error 10072]: Database does not exist: nodb"),
            ("ALTER TABLE specs DROP PARTITION (dt='1999', hr=1)",
             "FAILED: SemanticException [Error 10006]: Partition not found {dt=1999, hr=1}"),
        ]
        for sql, expected in cases:
            with self.subTest(sql=sql):
                self.assertEqual(self.reason(sql), expected)
        self.assertEqual(self.partitions("specs"), [])

    def test_drop_partition_removes_every_partition_a_spec_matches(self):
        self.create_events("drops")
        self.ok(self.athena, "ALTER TABLE drops ADD PARTITION (dt='a', hr=1) PARTITION (dt='a', hr=2) "
                             "PARTITION (dt='b', hr=1)")
        _, _, types = self.output("ALTER TABLE drops DROP PARTITION (dt='b', hr=1)")
        self.assertEqual(types, ("DDL", "ALTER_TABLE_DROP_PARTITION"))
        self.assertEqual([v for v, _ in self.partitions("drops")], [["a", "1"], ["a", "2"]])
        self.ok(self.athena, "ALTER TABLE drops DROP IF EXISTS PARTITION (dt='zzz', hr=1), PARTITION (dt='a')")
        self.assertEqual(self.partitions("drops"), [])

    def test_set_location_and_tblproperties_update_the_table_and_its_partition(self):
        self.create_events("moves")
        self.ok(self.athena, "ALTER TABLE moves ADD PARTITION (dt='a', hr=1)")
        _, _, types = self.output("ALTER TABLE moves SET LOCATION 's3://ddl-data/moved/'")
        self.assertEqual(types, ("DDL", "ALTER_TABLE_SET_LOCATION"))
        self.ok(self.athena, "ALTER TABLE moves PARTITION (dt='a', hr=1) SET LOCATION 's3://ddl-data/p/'")
        table = self.glue.get_table(DatabaseName=DB, Name="moves")["Table"]
        self.assertEqual(table["StorageDescriptor"]["Location"], "s3://ddl-data/moved/")
        self.assertEqual(self.partitions("moves"), [(["a", "1"], "s3://ddl-data/p/")])
        self.assertIn("Partition not found {dt=b, hr=1}",
                      self.reason("ALTER TABLE moves PARTITION (dt='b', hr=1) SET LOCATION 's3://ddl-data/q/'"))
        _, _, types = self.output("ALTER TABLE moves SET TBLPROPERTIES ('owner_team'='data', 'classification'='tsv')")
        self.assertEqual(types, ("DDL", "ALTER_TABLE_SET_TBLPROPERTIES"))
        params = self.glue.get_table(DatabaseName=DB, Name="moves")["Table"]["Parameters"]
        self.assertEqual(params, {"EXTERNAL": "TRUE", "classification": "tsv", "owner_team": "data"})
        lines, columns, types = self.output("SHOW TBLPROPERTIES moves")
        self.assertEqual(lines, ["EXTERNAL\tTRUE", "classification\ttsv", "owner_team\tdata"])
        self.assertEqual(types, ("UTILITY", "SHOW_TABLE_PROPERTIES"))
        self.assertEqual(columns, [("prpt_name", "string"), ("prpt_value", "string")])
        self.assertEqual(self.output("SHOW TBLPROPERTIES moves('owner_team')")[0], ["data"])
        self.assertEqual(self.output("SHOW TBLPROPERTIES moves('nope')")[0],
                         ["Table ddl_db.moves does not have property: nope"])

    def test_msck_repair_adds_the_hive_style_directories_the_catalog_lacks(self):
        self.ok(self.athena, f"CREATE EXTERNAL TABLE logs (line string) PARTITIONED BY (year string, month string) "
                             f"LOCATION 's3://{BUCKET}/logs'")
        for key in ["logs/year=2024/month=01/a.csv", "logs/year=2024/month=02/b.csv", "logs/year=2024/month=02/c.csv",
                    "logs/year=2024/month=03%3A00/d.csv",
                    # Not partitions: keys out of order, too shallow, another case, no key=value, outside the table.
                    "logs/month=04/year=2024/e.csv", "logs/year=2024/f.csv", "logs/Year=2025/month=01/g.csv",
                    "logs/misc/h.csv", "logs_old/year=2020/month=01/i.csv"]:
            self.s3.put_object(Bucket=BUCKET, Key=key, Body=b"x\n")
        self.ok(self.athena, "ALTER TABLE logs ADD PARTITION (year='2023', month='12')")  # nothing in S3 under it
        lines, columns, types = self.output("MSCK REPAIR TABLE logs")
        self.assertEqual(types, ("DDL", "MSCK_REPAIR_TABLE"))
        self.assertEqual(lines, [
            "Partitions not in metastore:\tlogs:year=2024/month=01\tlogs:year=2024/month=02"
            "\tlogs:year=2024/month=03%3A00",
            "Partitions missing from filesystem:\tlogs:year=2023/month=12",
            "Repair: Added partition to metastore logs:year=2024/month=01",
            "Repair: Added partition to metastore logs:year=2024/month=02",
            "Repair: Added partition to metastore logs:year=2024/month=03%3A00"])
        self.assertEqual(self.partitions("logs"), [
            (["2023", "12"], "s3://ddl-data/logs/year=2023/month=12/"),
            (["2024", "01"], "s3://ddl-data/logs/year=2024/month=01/"),
            (["2024", "02"], "s3://ddl-data/logs/year=2024/month=02/"),
            (["2024", "03:00"], "s3://ddl-data/logs/year=2024/month=03%3A00/")])
        # Repaired, nothing is left to add.
        self.assertEqual(self.output(f"MSCK REPAIR TABLE {DB}.logs")[0],
                         ["Partitions missing from filesystem:\tddl_db.logs:year=2023/month=12"])
        # An unpartitioned table has nothing to repair.
        self.ok(self.athena, "CREATE EXTERNAL TABLE plain (a int) LOCATION 's3://ddl-data/plain/'")
        self.assertEqual(self.output("MSCK REPAIR TABLE plain")[0], [])

    def test_describe_show_columns_and_show_create_table_print_hives_text(self):
        self.create_events("described")
        lines, columns, types = self.output("DESCRIBE described")
        self.assertEqual(types, ("UTILITY", "DESCRIBE_TABLE"))
        self.assertEqual(columns, [("col_name", "string"), ("data_type", "string"), ("comment", "string")])
        row = lambda *fields: "\t".join(pad(f) for f in fields)  # noqa: E731
        self.assertEqual(lines, [
            row("id", "int", "the id"), row("body", "string", ""), row("dt", "string", ""), row("hr", "int", ""),
            "\t \t ", "# Partition Information\t \t ", row("# col_name", "data_type", "comment"), "\t \t ",
            row("dt", "string", ""), row("hr", "int", "")])
        self.assertEqual(self.output("DESCRIBE described hr")[0], [row("hr", "int", "")])
        formatted = self.output("DESCRIBE FORMATTED described")[0]
        self.assertIn(row("Location:", "s3://ddl-data/described/") + "\t ", formatted)
        self.assertIn(row("Table Type:", "EXTERNAL_TABLE") + "\t ", formatted)
        lines, columns, types = self.output("SHOW COLUMNS IN described")
        self.assertEqual(lines, [pad("id"), pad("body"), pad("dt"), pad("hr")])
        self.assertEqual((columns, types), ([("field", "string")], ("UTILITY", "SHOW_COLUMNS")))
        lines, columns, types = self.output("SHOW CREATE TABLE described")
        self.assertEqual((columns, types), ([("createtab_stmt", "string")], ("UTILITY", "SHOW_CREATE_TABLE")))
        self.assertEqual(lines, [
            "CREATE EXTERNAL TABLE `described`(",
            "  `id` int COMMENT 'the id', ",
            "  `body` string)",
            "PARTITIONED BY ( ",
            "  `dt` string, ",
            "  `hr` int)",
            "ROW FORMAT DELIMITED ",
            "  FIELDS TERMINATED BY ',' ",
            "STORED AS INPUTFORMAT ",
            "  'org.apache.hadoop.mapred.TextInputFormat' ",
            "OUTPUTFORMAT ",
            "  'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'",
            "LOCATION",
            "  's3://ddl-data/described'",
            "TBLPROPERTIES (",
            "  'classification'='csv')"])
        self.assertEqual(self.reason("DESCRIBE described nope"),
                         "FAILED: Execution Error, return code 1 from org.apache.hadoop.hive.ql.exec.DDLTask. "
                         "cannot find field nope from [0:id, 1:body, 2:dt, 3:hr]")
        self.assertEqual(self.reason("DESCRIBE nosuch"), "FAILED: SemanticException [Error 10001]: Table not found nosuch")
        self.assertEqual(self.reason("DESCRIBE described PARTITION (dt='a', hr=1)"),
                         "FAILED: SemanticException [Error 10006]: Partition not found {dt=a, hr=1}")

    def test_show_databases_and_tables_list_sorted_names_matching_the_pattern(self):
        self.ok(self.athena, "CREATE DATABASE ddl_show")
        for name in ["gamma_log", "alpha", "beta"]:
            self.ok(self.athena, f"CREATE EXTERNAL TABLE ddl_show.{name} (a int) LOCATION 's3://ddl-data/{name}/'")
        lines, columns, types = self.output("SHOW TABLES IN ddl_show")
        self.assertEqual(lines, ["alpha", "beta", "gamma_log"])
        self.assertEqual((columns, types), ([("tab_name", "string")], ("UTILITY", "SHOW_TABLES")))
        self.assertEqual(self.output("SHOW TABLES IN ddl_show 'a*|GAMMA*'")[0], ["alpha", "gamma_log"])
        lines, columns, types = self.output("SHOW DATABASES LIKE 'ddl_*'")
        self.assertEqual(lines, ["ddl_db", "ddl_show"])
        self.assertEqual((columns, types), ([("database_name", "string")], ("UTILITY", "SHOW_DATABASES")))
        self.assertEqual(self.output("SHOW SCHEMAS LIKE 'ddl_s*'")[0], ["ddl_show"])
        self.assertEqual(self.reason("SHOW TABLES IN nodb"),
                         "FAILED: SemanticException [Error 10072]: Database does not exist: nodb")

    def test_create_and_drop_report_athenas_types_and_hives_errors(self):
        _, _, types = self.output("CREATE DATABASE ddl_life")
        self.assertEqual(types, ("DDL", "CREATE_DATABASE"))
        _, _, types = self.output("CREATE EXTERNAL TABLE ddl_life.t (a int) LOCATION 's3://ddl-data/life/'")
        self.assertEqual(types, ("DDL", "CREATE_TABLE"))
        self.s3.put_object(Bucket=BUCKET, Key="life/data.csv", Body=b"1\n")
        cases = [
            ("CREATE DATABASE ddl_life", "FAILED: Execution Error, return code 1 from "
             "org.apache.hadoop.hive.ql.exec.DDLTask. Database ddl_life already exists"),
            ("CREATE EXTERNAL TABLE ddl_life.t (a int) LOCATION 's3://ddl-data/life/'",
             "FAILED: Execution Error, return code 1 from org.apache.hadoop.hive.ql.exec.DDLTask. "
             "AlreadyExistsException(message:Table t already exist)"),
            ("DROP TABLE ddl_life.nope", "FAILED: SemanticException [Error 10001]: Table not found ddl_life.nope"),
            ("DROP TABLE IF EXISTS nodb.t", "FAILED: SemanticException [Error 10072]: Database does not exist: nodb"),
            ("DROP DATABASE nodb", "FAILED: SemanticException [Error 10072]: Database does not exist: nodb"),
            ("DROP DATABASE ddl_life", "FAILED: Execution Error, return code 1 from "
             "org.apache.hadoop.hive.ql.exec.DDLTask. InvalidOperationException(message:Database ddl_life is not "
             "empty. One or more tables exist.)"),
        ]
        for sql, expected in cases:
            with self.subTest(sql=sql):
                self.assertEqual(self.reason(sql), expected)
        self.ok(self.athena, "DROP TABLE IF EXISTS ddl_life.nope")
        self.ok(self.athena, "DROP DATABASE IF EXISTS nodb")
        self.ok(self.athena, "CREATE EXTERNAL TABLE ddl_life.u (a int) LOCATION 's3://ddl-data/life2/'")
        _, _, types = self.output("DROP TABLE ddl_life.u")
        self.assertEqual(types, ("DDL", "DROP_TABLE"))
        _, _, types = self.output("DROP DATABASE ddl_life CASCADE")
        self.assertEqual(types, ("DDL", "DROP_DATABASE"))
        with self.assertRaises(self.glue.exceptions.EntityNotFoundException):
            self.glue.get_database(Name="ddl_life")
        # Dropping leaves the data in S3.
        self.assertEqual(self.s3.get_object(Bucket=BUCKET, Key="life/data.csv")["Body"].read(), b"1\n")

    def test_another_accounts_role_needs_the_catalog_policy_to_add_a_partition(self):
        self.ok(self.athena, "CREATE DATABASE shared_db")
        self.ok(self.athena, "CREATE EXTERNAL TABLE shared_db.events (a int) PARTITIONED BY (dt string) "
                             "LOCATION 's3://ddl-data/shared/'")
        iam = self.server.root("iam", "target")
        iam.create_role(RoleName="ddl-analyst", AssumeRolePolicyDocument=trust_policy({"AWS": f"arn:aws:iam::{TARGET}:root"}))
        iam.put_role_policy(RoleName="ddl-analyst", PolicyName="all",
                            PolicyDocument=allow(["athena:*", "glue:*", "s3:*"]))
        iam.create_user(UserName="ddl-pipeline")
        iam.put_user_policy(UserName="ddl-pipeline", PolicyName="assume", PolicyDocument=allow("sts:AssumeRole"))
        key = iam.create_access_key(UserName="ddl-pipeline")["AccessKey"]
        sts = self.server.client("sts", key["AccessKeyId"], key["SecretAccessKey"])
        creds = sts.assume_role(RoleArn=f"arn:aws:iam::{TARGET}:role/ddl-analyst", RoleSessionName="ddl")["Credentials"]
        athena = self.server.client("athena", creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
        athena.create_data_catalog(Name="ddl_source", Type="GLUE", Parameters={"catalog-id": SOURCE})
        sql = "ALTER TABLE ddl_source.shared_db.events ADD PARTITION (dt='2024-01-01')"
        reason = self.reason(sql, athena=athena)
        self.assertIn(f"User: arn:aws:sts::{TARGET}:assumed-role/ddl-analyst/ddl is not authorized to perform: glue:",
                      reason)
        self.assertIn(f"arn:aws:glue:{REGION}:{SOURCE}:", reason)
        self.assertIn("because no resource-based policy allows", reason)
        self.assertFalse(reason.startswith("FAILED:"), reason)  # Glue's text, not rewritten in Hive's words
        self.assertEqual(self.partitions("events", db="shared_db"), [])
        # The owner's catalog policy grants the role what the statement needs; the same statement then succeeds,
        # through the registered catalog and through the quoted catalog ARN.
        self.glue.put_resource_policy(PolicyInJson=json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{TARGET}:role/ddl-analyst"},
            "Action": ["glue:GetTable", "glue:BatchCreatePartition"],
            "Resource": [f"arn:aws:glue:{REGION}:{SOURCE}:catalog", f"arn:aws:glue:{REGION}:{SOURCE}:database/shared_db",
                         f"arn:aws:glue:{REGION}:{SOURCE}:table/shared_db/events"]}]}))
        self.ok(athena, sql, results="ddl-results-target")
        self.ok(athena, f"ALTER TABLE `glue:arn:aws:glue:{REGION}:{SOURCE}:catalog`.shared_db.events "
                        f"ADD PARTITION (dt='2024-01-02')", results="ddl-results-target")
        self.assertEqual([v for v, _ in self.partitions("events", db="shared_db")], [["2024-01-01"], ["2024-01-02"]])


if __name__ == "__main__":
    unittest.main()

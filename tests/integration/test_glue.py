"""The AWS Glue Data Catalog as the AWS Glue API Reference and Developer Guide describe it.

- Databases, tables (with versions) and partitions: CRUD, Glue's entity errors (EntityNotFoundException,
  AlreadyExistsException, InvalidInputException), names lower-cased on create.
- GetTables `Expression` (a Hive-style name pattern: `*` any run, `|` alternatives) and GetPartitions
  `Expression` (a SQL predicate over the partition keys), NextToken/MaxResults pagination.
- The catalog resource policy (PutResourcePolicy with PolicyHashCondition / PolicyExistsCondition).
- Authorization ("Specifying AWS Glue resource ARNs"): an operation on a table needs its catalog, database
  and table ARNs allowed; across accounts the owner's catalog policy must allow too (seed 000's policy).
"""
import json
import os
import unittest

import botocore.exceptions

from harness import ACCOUNTS, ServerTest, allow, cli_commands, trust_policy

SOURCE, TARGET = ACCOUNTS["source"][0], ACCOUNTS["target"][0]
REGION = "ap-northeast-1"
SEED_POLICY = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "scenarios", "seed000", "source",
                           "glue-resource-policy.json")
SEED_ROLE = "cm-kasama-cross-account-dev-sfn-execution-role"
SEED_DB = "cm_kasama_cross_account_db"

# The seed's sales table (source/create-database-and-table.sql) as Athena registers it in Glue.
SALES_TABLE = {
    "Name": "Sales",
    "TableType": "EXTERNAL_TABLE",
    "Parameters": {"skip.header.line.count": "1", "classification": "csv", "EXTERNAL": "TRUE"},
    "StorageDescriptor": {
        "Columns": [{"Name": "id", "Type": "int", "Comment": "Sales ID"},
                    {"Name": "product", "Type": "string", "Comment": "Product name"},
                    {"Name": "amount", "Type": "int", "Comment": "Sales amount"},
                    {"Name": "date", "Type": "string", "Comment": "Sales date"}],
        "Location": "s3://source-bucket/data/",
        "InputFormat": "org.apache.hadoop.mapred.TextInputFormat",
        "OutputFormat": "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
        "SerdeInfo": {"SerializationLibrary": "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
                      "Parameters": {"field.delim": ","}},
    },
}


def partitioned_table(name, keys=(("year", "int"), ("region", "string"))):
    return {"Name": name, "TableType": "EXTERNAL_TABLE",
            "StorageDescriptor": {"Columns": [{"Name": "v", "Type": "string"}], "Location": f"s3://b/{name}/"},
            "PartitionKeys": [{"Name": k, "Type": t} for k, t in keys]}


def seed_policy(principals=None, drop_table_arn=False):
    """Seed 000's catalog policy with its placeholders replaced; optionally other principals."""
    with open(SEED_POLICY) as f:
        text = f.read().replace("<TARGET_ACCOUNT_ID>", TARGET).replace("<SOURCE_ACCOUNT_ID>", SOURCE)
    policy = json.loads(text)
    statement = policy["Statement"][0]
    if principals is not None:
        statement["Principal"] = {"AWS": principals}
    if drop_table_arn:
        statement["Resource"] = [r for r in statement["Resource"] if ":table/" not in r]
    return json.dumps(policy)


class GlueTest(ServerTest):
    def error(self, call, code, **kwargs):
        with self.assertRaises(botocore.exceptions.ClientError) as e:
            call(**kwargs)
        self.assertEqual(e.exception.response["Error"]["Code"], code, e.exception.response["Error"])
        return e.exception.response["Error"]["Message"]


class CatalogCrudTest(GlueTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.glue = cls.server.root("glue", "source")

    def test_database_lifecycle(self):
        g = self.glue
        g.create_database(DatabaseInput={"Name": "Lifecycle_DB", "Description": "d", "LocationUri": "s3://b/data/",
                                         "Parameters": {"owner": "team"}})
        db = g.get_database(Name="LIFECYCLE_db")["Database"]
        self.assertEqual(db["Name"], "lifecycle_db")  # Glue lower-cases names
        self.assertEqual(db["LocationUri"], "s3://b/data/")
        self.assertEqual(db["Parameters"], {"owner": "team"})
        self.assertEqual(db["CatalogId"], SOURCE)
        self.assertIn("CreateTime", db)
        self.assertEqual(self.error(g.create_database, "AlreadyExistsException", DatabaseInput={"Name": "lifecycle_db"}),
                         "Database already exists.")
        g.update_database(Name="lifecycle_db", DatabaseInput={"Name": "lifecycle_db", "Parameters": {"k": "v"}})
        db2 = g.get_database(Name="lifecycle_db")["Database"]
        self.assertEqual(db2["Parameters"], {"k": "v"})
        self.assertNotIn("LocationUri", db2)  # UpdateDatabase replaces the definition
        self.assertEqual(db2["CreateTime"], db["CreateTime"])
        self.assertIn("lifecycle_db", [d["Name"] for d in g.get_databases()["DatabaseList"]])
        g.delete_database(Name="lifecycle_db")
        self.assertEqual(self.error(g.get_database, "EntityNotFoundException", Name="lifecycle_db"),
                         "Database lifecycle_db not found.")
        self.error(g.delete_database, "EntityNotFoundException", Name="lifecycle_db")
        self.error(g.update_database, "EntityNotFoundException", Name="lifecycle_db",
                   DatabaseInput={"Name": "lifecycle_db"})

    def test_table_lifecycle_and_versions(self):
        g = self.glue
        self.assertEqual(self.error(g.create_table, "EntityNotFoundException", DatabaseName="nodb",
                                    TableInput=SALES_TABLE), "Database nodb not found.")
        g.create_database(DatabaseInput={"Name": "tables_db"})
        g.create_table(DatabaseName="tables_db", TableInput=SALES_TABLE)
        t = g.get_table(DatabaseName="tables_db", Name="SALES")["Table"]
        self.assertEqual((t["Name"], t["DatabaseName"], t["TableType"], t["VersionId"]),
                         ("sales", "tables_db", "EXTERNAL_TABLE", "0"))
        self.assertEqual(t["StorageDescriptor"], SALES_TABLE["StorageDescriptor"])
        self.assertEqual(t["Parameters"]["classification"], "csv")
        self.assertEqual(t["PartitionKeys"], [])
        self.assertEqual(t["CreatedBy"], f"arn:aws:iam::{SOURCE}:root")
        self.assertEqual(self.error(g.create_table, "AlreadyExistsException", DatabaseName="tables_db",
                                    TableInput=SALES_TABLE), "Table already exists.")
        self.assertEqual(self.error(g.get_table, "EntityNotFoundException", DatabaseName="tables_db", Name="nope"),
                         "Table nope not found.")
        updated = dict(SALES_TABLE, Parameters={"classification": "parquet"})
        g.update_table(DatabaseName="tables_db", TableInput=updated, VersionId="0")
        t = g.get_table(DatabaseName="tables_db", Name="sales")["Table"]
        self.assertEqual((t["VersionId"], t["Parameters"]), ("1", {"classification": "parquet"}))
        self.error(g.update_table, "ConcurrentModificationException", DatabaseName="tables_db", TableInput=updated,
                   VersionId="0")
        g.update_table(DatabaseName="tables_db", TableInput=updated, SkipArchive=True)
        versions = g.get_table_versions(DatabaseName="tables_db", TableName="sales")["TableVersions"]
        self.assertEqual([v["VersionId"] for v in versions], ["1", "0"])  # newest first
        self.assertEqual(versions[1]["Table"]["Parameters"]["classification"], "csv")
        g.delete_table(DatabaseName="tables_db", Name="sales")
        self.error(g.delete_table, "EntityNotFoundException", DatabaseName="tables_db", Name="sales")
        g.create_table(DatabaseName="tables_db", TableInput=dict(SALES_TABLE, Name="a"))
        out = g.batch_delete_table(DatabaseName="tables_db", TablesToDelete=["a", "missing"])
        self.assertEqual([(e["TableName"], e["ErrorDetail"]["ErrorCode"]) for e in out["Errors"]],
                         [("missing", "EntityNotFoundException")])
        self.assertEqual(g.get_tables(DatabaseName="tables_db")["TableList"], [])

    def test_get_tables_expression_is_a_name_pattern(self):
        g = self.glue
        g.create_database(DatabaseInput={"Name": "pattern_db"})
        for name in ("sales_2023", "sales_2024", "orders", "customers"):
            g.create_table(DatabaseName="pattern_db", TableInput=dict(SALES_TABLE, Name=name))
        cases = [
            ("sales*", ["sales_2023", "sales_2024"]),
            ("sales_202[34]", ["sales_2023", "sales_2024"]),
            ("orders|customers", ["customers", "orders"]),
            ("*s", ["customers", "orders"]),
            ("sales", []),  # the whole name must match
            ("SALES_2023", ["sales_2023"]),
            (".*", ["customers", "orders", "sales_2023", "sales_2024"]),
        ]
        for expression, expected in cases:
            with self.subTest(expression=expression):
                tables = g.get_tables(DatabaseName="pattern_db", Expression=expression)["TableList"]
                self.assertEqual(sorted(t["Name"] for t in tables), expected)
        self.error(g.get_tables, "InvalidInputException", DatabaseName="pattern_db", Expression="sales(")
        self.error(g.get_tables, "EntityNotFoundException", DatabaseName="nodb")

    def test_pagination_with_next_token_and_max_results(self):
        g = self.glue
        g.create_database(DatabaseInput={"Name": "paging_db"})
        names = [f"t{i}" for i in range(5)]
        for name in names:
            g.create_table(DatabaseName="paging_db", TableInput=dict(SALES_TABLE, Name=name))
        pages, token = [], None
        while True:
            kwargs = {"NextToken": token} if token else {}
            out = g.get_tables(DatabaseName="paging_db", MaxResults=2, **kwargs)
            pages.append([t["Name"] for t in out["TableList"]])
            token = out.get("NextToken")
            if not token:
                break
        self.assertEqual(pages, [["t0", "t1"], ["t2", "t3"], ["t4"]])
        listed = [t["Name"] for p in g.get_paginator("get_tables").paginate(
            DatabaseName="paging_db", PaginationConfig={"PageSize": 3}) for t in p["TableList"]]
        self.assertEqual(listed, names)
        self.error(g.get_tables, "InvalidInputException", DatabaseName="paging_db", NextToken="bogus")

        g.create_table(DatabaseName="paging_db", TableInput=partitioned_table("parts", (("day", "string"),)))
        g.batch_create_partition(DatabaseName="paging_db", TableName="parts",
                                 PartitionInputList=[{"Values": [f"2024-01-0{d}"]} for d in range(1, 8)])
        got = [p["Values"][0] for page in g.get_paginator("get_partitions").paginate(
            DatabaseName="paging_db", TableName="parts", PaginationConfig={"PageSize": 3}) for p in page["Partitions"]]
        self.assertEqual(sorted(got), [f"2024-01-0{d}" for d in range(1, 8)])

    def test_partition_lifecycle(self):
        g = self.glue
        g.create_database(DatabaseInput={"Name": "parts_db"})
        g.create_table(DatabaseName="parts_db", TableInput=partitioned_table("events"))
        sd = {"Columns": [{"Name": "v", "Type": "string"}], "Location": "s3://b/events/year=2024/region=eu/"}
        g.create_partition(DatabaseName="parts_db", TableName="events",
                           PartitionInput={"Values": ["2024", "eu"], "StorageDescriptor": sd})
        p = g.get_partition(DatabaseName="parts_db", TableName="events", PartitionValues=["2024", "eu"])["Partition"]
        self.assertEqual((p["Values"], p["DatabaseName"], p["TableName"], p["StorageDescriptor"]),
                         (["2024", "eu"], "parts_db", "events", sd))
        self.assertEqual(self.error(g.create_partition, "AlreadyExistsException", DatabaseName="parts_db",
                                    TableName="events", PartitionInput={"Values": ["2024", "eu"]}),
                         "Partition already exists.")
        self.error(g.create_partition, "InvalidInputException", DatabaseName="parts_db", TableName="events",
                   PartitionInput={"Values": ["2024"]})
        self.error(g.create_partition, "EntityNotFoundException", DatabaseName="parts_db", TableName="nope",
                   PartitionInput={"Values": ["2024", "eu"]})
        self.assertEqual(self.error(g.get_partition, "EntityNotFoundException", DatabaseName="parts_db",
                                    TableName="events", PartitionValues=["2024", "us"]), "Cannot find partition.")
        out = g.batch_create_partition(DatabaseName="parts_db", TableName="events", PartitionInputList=[
            {"Values": ["2024", "us"]}, {"Values": ["2024", "eu"]}, {"Values": ["2023", "eu"]}])
        self.assertEqual([(e["PartitionValues"], e["ErrorDetail"]["ErrorCode"]) for e in out["Errors"]],
                         [(["2024", "eu"], "AlreadyExistsException")])
        got = g.batch_get_partition(DatabaseName="parts_db", TableName="events", PartitionsToGet=[
            {"Values": ["2024", "us"]}, {"Values": ["1999", "xx"]}])["Partitions"]
        self.assertEqual([p["Values"] for p in got], [["2024", "us"]])
        g.update_partition(DatabaseName="parts_db", TableName="events", PartitionValueList=["2024", "us"],
                           PartitionInput={"Values": ["2024", "us"], "Parameters": {"rows": "10"}})
        p = g.get_partition(DatabaseName="parts_db", TableName="events", PartitionValues=["2024", "us"])["Partition"]
        self.assertEqual(p["Parameters"], {"rows": "10"})
        g.update_partition(DatabaseName="parts_db", TableName="events", PartitionValueList=["2023", "eu"],
                           PartitionInput={"Values": ["2022", "eu"]})
        self.error(g.get_partition, "EntityNotFoundException", DatabaseName="parts_db", TableName="events",
                   PartitionValues=["2023", "eu"])
        g.delete_partition(DatabaseName="parts_db", TableName="events", PartitionValues=["2022", "eu"])
        self.error(g.delete_partition, "EntityNotFoundException", DatabaseName="parts_db", TableName="events",
                   PartitionValues=["2022", "eu"])
        out = g.batch_delete_partition(DatabaseName="parts_db", TableName="events", PartitionsToDelete=[
            {"Values": ["2024", "us"]}, {"Values": ["1999", "xx"]}])
        self.assertEqual([e["PartitionValues"] for e in out["Errors"]], [["1999", "xx"]])
        # Deleting a table deletes its partitions: a new table of the same name starts empty.
        g.delete_table(DatabaseName="parts_db", Name="events")
        g.create_table(DatabaseName="parts_db", TableInput=partitioned_table("events"))
        self.assertEqual(g.get_partitions(DatabaseName="parts_db", TableName="events")["Partitions"], [])
        # Deleting a database deletes its tables.
        g.delete_database(Name="parts_db")
        g.create_database(DatabaseInput={"Name": "parts_db"})
        self.assertEqual(g.get_tables(DatabaseName="parts_db")["TableList"], [])

    def test_get_partitions_expression_is_a_predicate_on_partition_keys(self):
        g = self.glue
        g.create_database(DatabaseInput={"Name": "expr_db"})
        g.create_table(DatabaseName="expr_db", TableInput=partitioned_table(
            "logs", (("year", "int"), ("region", "string"), ("day", "date"))))
        rows = [("2022", "eu", "2022-12-31"), ("2023", "eu", "2023-06-01"), ("2023", "us", "2023-06-02"),
                ("2024", "ap", "2024-01-01"), ("10", "us", "2010-01-01")]
        g.batch_create_partition(DatabaseName="expr_db", TableName="logs",
                                 PartitionInputList=[{"Values": list(r)} for r in rows])
        cases = [
            ("year = 2023", ["2023/eu", "2023/us"]),
            ("year > 2022", ["2023/eu", "2023/us", "2024/ap"]),
            ("year < 2022", ["10/us"]),  # int keys compare as numbers, not text
            ("year <> 2023 AND region = 'eu'", ["2022/eu"]),
            ("year != 2023 and region = 'eu'", ["2022/eu"]),
            ("region = 'us' OR year >= 2024", ["10/us", "2023/us", "2024/ap"]),
            ("NOT (region = 'eu')", ["10/us", "2023/us", "2024/ap"]),
            ("region IN ('ap', 'us') AND year BETWEEN 2000 AND 2023", ["2023/us"]),
            ("region NOT IN ('eu')", ["10/us", "2023/us", "2024/ap"]),
            ("day BETWEEN '2023-01-01' AND '2023-12-31'", ["2023/eu", "2023/us"]),
            ("day >= '2024-01-01'", ["2024/ap"]),
            ("region LIKE 'e%'", ["2022/eu", "2023/eu"]),
            ("region LIKE '_s'", ["10/us", "2023/us"]),
            ("(year = 2022 OR year = 2024) AND NOT region = 'ap'", ["2022/eu"]),
            ("year = '2023' AND region = 'us'", ["2023/us"]),
        ]
        for expression, expected in cases:
            with self.subTest(expression=expression):
                parts = g.get_partitions(DatabaseName="expr_db", TableName="logs", Expression=expression)["Partitions"]
                self.assertEqual(sorted("/".join(p["Values"][:2]) for p in parts), sorted(expected))
        for bad in ("nosuchkey = 1", "year = ", "year = 'unterminated", "(year = 1", "year ~ 1"):
            with self.subTest(bad=bad):
                self.error(g.get_partitions, "InvalidInputException", DatabaseName="expr_db", TableName="logs",
                           Expression=bad)


class ResourcePolicyTest(GlueTest):
    def test_put_get_delete_with_hash_and_exists_conditions(self):
        g = self.server.root("glue", "outsider")
        self.error(g.get_resource_policy, "EntityNotFoundException")
        self.assertEqual(g.get_resource_policies()["GetResourcePoliciesResponseList"], [])
        first = json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": TARGET}, "Action": "glue:GetTable",
             "Resource": f"arn:aws:glue:{REGION}:333333333333:*"}]})
        self.error(g.put_resource_policy, "ConditionCheckFailureException", PolicyInJson=first,
                   PolicyExistsCondition="MUST_EXIST")
        h1 = g.put_resource_policy(PolicyInJson=first, PolicyExistsCondition="NOT_EXIST")["PolicyHash"]
        got = g.get_resource_policy()
        self.assertEqual((got["PolicyInJson"], got["PolicyHash"]), (first, h1))
        self.assertIn("CreateTime", got)
        self.assertIn("UpdateTime", got)
        self.error(g.put_resource_policy, "ConditionCheckFailureException", PolicyInJson=first,
                   PolicyExistsCondition="NOT_EXIST")
        second = first.replace("glue:GetTable", "glue:GetDatabase")
        self.error(g.put_resource_policy, "ConditionCheckFailureException", PolicyInJson=second,
                   PolicyHashCondition="stale-hash")
        h2 = g.put_resource_policy(PolicyInJson=second, PolicyHashCondition=h1, PolicyExistsCondition="MUST_EXIST",
                                   EnableHybrid="TRUE")["PolicyHash"]
        self.assertNotEqual(h1, h2)
        self.assertEqual(g.get_resource_policy()["PolicyHash"], h2)
        listed = g.get_resource_policies()["GetResourcePoliciesResponseList"]
        self.assertEqual([p["PolicyHash"] for p in listed], [h2])
        for bad in ("not json", '{"Version": "2012-10-17", "Statement": []}',
                    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "glue:*", "Resource": "*"}]}'):
            with self.subTest(bad=bad):
                self.error(g.put_resource_policy, "InvalidInputException", PolicyInJson=bad)
        self.error(g.put_resource_policy, "InvalidInputException", PolicyInJson=second,
                   ResourceArn=f"arn:aws:glue:{REGION}:333333333333:database/db")
        self.error(g.delete_resource_policy, "ConditionCheckFailureException", PolicyHashCondition=h1)
        g.delete_resource_policy(PolicyHashCondition=h2)
        self.error(g.delete_resource_policy, "EntityNotFoundException")
        self.error(g.get_resource_policy, "EntityNotFoundException")


class Seed000CrossAccountCatalogTest(GlueTest):
    """Seed 000: the target account reads the source account's catalog through its catalog policy."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        g = cls.source = cls.server.root("glue", "source")
        g.create_database(DatabaseInput={"Name": SEED_DB, "Description": "Database for cross-account access testing",
                                         "LocationUri": "s3://source-bucket/data/"})
        g.create_table(DatabaseName=SEED_DB, TableInput=SALES_TABLE)
        g.create_table(DatabaseName=SEED_DB, TableInput=partitioned_table("daily", (("dt", "string"),)))
        g.create_partition(DatabaseName=SEED_DB, TableName="daily", PartitionInput={"Values": ["2024-01-01"]})
        iam = cls.server.root("iam", "target")
        cls.target = {"root": cls.server.root("glue", "target")}
        for name, document in (("analyst", allow(["glue:GetDatabase", "glue:GetTable", "glue:GetPartitions"])),
                               ("nogrant", None)):
            iam.create_user(UserName=name)
            if document:
                iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=document)
            key = iam.create_access_key(UserName=name)["AccessKey"]
            cls.target[name] = cls.server.client("glue", key["AccessKeyId"], key["SecretAccessKey"])
        iam.create_role(RoleName=SEED_ROLE, AssumeRolePolicyDocument=trust_policy({"AWS": f"arn:aws:iam::{TARGET}:root"}))
        iam.put_role_policy(RoleName=SEED_ROLE, PolicyName="glue", PolicyDocument=allow("glue:*"))
        iam.create_user(UserName="deployer")  # roots may not assume roles
        iam.put_user_policy(UserName="deployer", PolicyName="p", PolicyDocument=allow("sts:AssumeRole"))
        key = iam.create_access_key(UserName="deployer")["AccessKey"]
        creds = cls.server.client("sts", key["AccessKeyId"], key["SecretAccessKey"]).assume_role(
            RoleArn=f"arn:aws:iam::{TARGET}:role/{SEED_ROLE}", RoleSessionName="sfn")["Credentials"]
        cls.target["role"] = cls.server.client("glue", creds["AccessKeyId"], creds["SecretAccessKey"],
                                               creds["SessionToken"])

    def put_policy(self, text):
        self.source.put_resource_policy(PolicyInJson=text)

    def reads(self, client):
        client.get_database(CatalogId=SOURCE, Name=SEED_DB)
        t = client.get_table(CatalogId=SOURCE, DatabaseName=SEED_DB, Name="sales")["Table"]
        self.assertEqual(t["CatalogId"], SOURCE)
        parts = client.get_partitions(CatalogId=SOURCE, DatabaseName=SEED_DB, TableName="daily")["Partitions"]
        self.assertEqual([p["Values"] for p in parts], [["2024-01-01"]])

    def denied(self, client, action="GetTable"):
        call = {"GetTable": lambda: client.get_table(CatalogId=SOURCE, DatabaseName=SEED_DB, Name="sales"),
                "GetDatabase": lambda: client.get_database(CatalogId=SOURCE, Name=SEED_DB)}[action]
        with self.assertRaises(botocore.exceptions.ClientError) as e:
            call()
        err = e.exception.response["Error"]
        self.assertEqual(err["Code"], "AccessDeniedException")
        self.assertEqual(e.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)
        return err["Message"]

    def test_seed_policy_as_written_lets_the_execution_role_read(self):
        self.put_policy(seed_policy())
        self.reads(self.target["role"])

    def test_seed_policy_as_written_does_not_name_the_target_root(self):
        self.put_policy(seed_policy())
        message = self.denied(self.target["root"])
        self.assertEqual(message, f"User: arn:aws:iam::{TARGET}:root is not authorized to perform: glue:GetTable on "
                                  f"resource: arn:aws:glue:{REGION}:{SOURCE}:catalog because no resource-based "
                                  f"policy allows the glue:GetTable action")

    def test_account_principal_lets_root_and_granted_users_read(self):
        self.put_policy(seed_policy([f"arn:aws:iam::{TARGET}:role/{SEED_ROLE}", f"arn:aws:iam::{TARGET}:root"]))
        self.reads(self.target["root"])
        self.reads(self.target["analyst"])
        self.reads(self.target["role"])

    def test_target_user_without_identity_grant_is_denied(self):
        self.put_policy(seed_policy([f"arn:aws:iam::{TARGET}:root"]))
        message = self.denied(self.target["nogrant"])
        self.assertIn(f"User: arn:aws:iam::{TARGET}:user/nogrant is not authorized to perform: glue:GetTable",
                      message)
        self.assertIn("because no identity-based policy allows the glue:GetTable action", message)

    def test_without_the_catalog_policy_the_target_root_is_denied(self):
        self.source.put_resource_policy(PolicyInJson=seed_policy([f"arn:aws:iam::{TARGET}:root"]))
        self.source.delete_resource_policy()
        self.denied(self.target["root"])
        self.denied(self.target["root"], "GetDatabase")

    def test_policy_must_allow_the_table_arn_too(self):
        self.put_policy(seed_policy([f"arn:aws:iam::{TARGET}:root"], drop_table_arn=True))
        self.target["root"].get_database(CatalogId=SOURCE, Name=SEED_DB)  # catalog + database suffice
        message = self.denied(self.target["root"])
        self.assertIn(f"on resource: arn:aws:glue:{REGION}:{SOURCE}:table/{SEED_DB}/sales", message)

    def test_actions_the_policy_does_not_list_are_denied(self):
        self.put_policy(seed_policy([f"arn:aws:iam::{TARGET}:root"]))
        self.error(self.target["root"].get_tables, "AccessDeniedException", CatalogId=SOURCE, DatabaseName=SEED_DB)
        self.error(self.target["root"].delete_table, "AccessDeniedException", CatalogId=SOURCE,
                   DatabaseName=SEED_DB, Name="sales")

    def test_the_owner_reads_its_own_catalog_without_naming_itself(self):
        self.put_policy(seed_policy())
        self.reads(self.source)

    def test_an_explicit_deny_in_the_catalog_policy_binds_the_owner_too(self):
        policy = json.loads(seed_policy())
        policy["Statement"].append({"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "glue:GetTable",
                                    "Resource": f"arn:aws:glue:{REGION}:{SOURCE}:table/{SEED_DB}/sales"})
        self.put_policy(json.dumps(policy))
        self.error(self.source.get_table, "AccessDeniedException", DatabaseName=SEED_DB, Name="sales")
        self.put_policy(seed_policy())


class GlueCliTest(ServerTest):
    """Both AWS CLI generations drive the catalog end to end."""

    def test_cli_catalog_round_trip(self):
        clis = cli_commands()
        self.assertTrue(clis, "no AWS CLI found")
        _, key, secret = ACCOUNTS["source"]
        for n, (command, version) in enumerate(clis):
            with self.subTest(cli=version):
                db = f"cli_db_{n}"

                def run(*args):
                    code, out, err = self.server.cli(command, ["glue", *args], key, secret)
                    self.assertEqual(code, 0, f"{version} {args}: {err}")
                    return json.loads(out) if out.strip() else {}

                run("create-database", "--database-input", json.dumps({"Name": db, "LocationUri": "s3://b/"}))
                self.assertEqual(run("get-database", "--name", db)["Database"]["Name"], db)
                run("create-table", "--database-name", db, "--table-input", json.dumps(partitioned_table("events")))
                run("create-table", "--database-name", db, "--table-input", json.dumps(SALES_TABLE))
                tables = run("get-tables", "--database-name", db, "--expression", "sal*")["TableList"]
                self.assertEqual([t["Name"] for t in tables], ["sales"])
                run("batch-create-partition", "--database-name", db, "--table-name", "events",
                    "--partition-input-list", json.dumps([{"Values": ["2023", "eu"]}, {"Values": ["2024", "us"]}]))
                parts = run("get-partitions", "--database-name", db, "--table-name", "events",
                            "--expression", "year >= 2024")["Partitions"]
                self.assertEqual([p["Values"] for p in parts], [["2024", "us"]])
                code, _, err = self.server.cli(command, ["glue", "get-table", "--database-name", db, "--name", "x"],
                                               key, secret)
                self.assertNotEqual(code, 0)
                self.assertIn("EntityNotFoundException", err)
                policy = seed_policy()
                h = run("put-resource-policy", "--policy-in-json", policy)["PolicyHash"]
                self.assertEqual(run("get-resource-policy")["PolicyHash"], h)
                run("delete-resource-policy", "--policy-hash-condition", h)
                run("delete-database", "--name", db)


if __name__ == "__main__":
    unittest.main()

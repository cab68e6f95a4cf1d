"""Amazon Athena's control plane (JSON 1.1) through boto3 and both AWS CLI generations: workgroups (the
built-in `primary` included), data catalogs (`AwsDataCatalog` and registered GLUE catalogs naming another
account's catalog by `catalog-id`), named queries, prepared statements, tags, and `athena:<Operation>`
authorized on the workgroup or data catalog ARN (Amazon Athena API Reference; Service Authorization
Reference, "Actions, resources, and condition keys for Amazon Athena")."""
import json
import unittest

import boto3
import botocore.config
import botocore.exceptions

from harness import ACCOUNTS, REGION, ServerTest, allow, cli_commands

TARGET = ACCOUNTS["target"][0]


class AthenaControlTest(ServerTest):
    def setUp(self):
        self.athena = self.server.root("athena", "target")

    def assertError(self, code, fn, *args, message=None, **kwargs):
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            fn(*args, **kwargs)
        self.assertEqual(cm.exception.response["Error"]["Code"], code)
        if message is not None:
            self.assertEqual(cm.exception.response["Error"]["Message"], message)
        return cm.exception

    # --- workgroups ---

    def test_primary_workgroup_exists_in_every_account_and_cannot_be_deleted(self):
        for account in ("source", "target", "outsider"):
            athena = self.server.root("athena", account)
            names = [w["Name"] for w in athena.list_work_groups()["WorkGroups"]]
            self.assertIn("primary", names)
            w = athena.get_work_group(WorkGroup="primary")["WorkGroup"]
            self.assertEqual((w["Name"], w["State"]), ("primary", "ENABLED"))
            self.assertEqual(w["Configuration"]["EngineVersion"]["SelectedEngineVersion"], "AUTO")
        self.assertError("InvalidRequestException", self.athena.delete_work_group, WorkGroup="primary")
        self.assertError("InvalidRequestException", self.athena.create_work_group, Name="primary")

    def test_workgroup_lifecycle(self):
        a = self.athena
        a.create_work_group(Name="etl", Description="nightly", Configuration={
            "ResultConfiguration": {"OutputLocation": "s3://results/etl/"},
            "EnforceWorkGroupConfiguration": True,
            "EngineVersion": {"SelectedEngineVersion": "Athena engine version 3"}})
        w = a.get_work_group(WorkGroup="etl")["WorkGroup"]
        self.assertEqual(w["Description"], "nightly")
        self.assertEqual(w["Configuration"]["ResultConfiguration"]["OutputLocation"], "s3://results/etl/")
        self.assertTrue(w["Configuration"]["EnforceWorkGroupConfiguration"])
        self.assertEqual(w["Configuration"]["EngineVersion"],
                         {"SelectedEngineVersion": "Athena engine version 3",
                          "EffectiveEngineVersion": "Athena engine version 3"})
        summaries = {s["Name"]: s for s in a.list_work_groups()["WorkGroups"]}
        self.assertEqual(summaries["etl"]["State"], "ENABLED")
        self.assertIn("EngineVersion", summaries["etl"])
        self.assertError("InvalidRequestException", a.create_work_group, Name="etl")

        a.update_work_group(WorkGroup="etl", State="DISABLED", ConfigurationUpdates={
            "EnforceWorkGroupConfiguration": False,
            "EngineVersion": {"SelectedEngineVersion": "AUTO"},
            "ResultConfigurationUpdates": {"RemoveOutputLocation": True}})
        w = a.get_work_group(WorkGroup="etl")["WorkGroup"]
        self.assertEqual(w["State"], "DISABLED")
        self.assertFalse(w["Configuration"]["EnforceWorkGroupConfiguration"])
        self.assertNotIn("OutputLocation", w["Configuration"].get("ResultConfiguration", {}))
        self.assertEqual(w["Configuration"]["EngineVersion"]["EffectiveEngineVersion"], "Athena engine version 3")

        a.delete_work_group(WorkGroup="etl")
        self.assertError("InvalidRequestException", a.get_work_group, WorkGroup="etl",
                         message="WorkGroup etl is not found.")
        # Workgroups are per account and region.
        self.assertError("InvalidRequestException", self.server.root("athena", "source").get_work_group,
                         WorkGroup="etl")

    def test_primary_can_be_updated(self):
        self.athena.update_work_group(WorkGroup="primary", ConfigurationUpdates={
            "ResultConfigurationUpdates": {"OutputLocation": "s3://primary-results/"}})
        w = self.athena.get_work_group(WorkGroup="primary")["WorkGroup"]
        self.assertEqual(w["Configuration"]["ResultConfiguration"]["OutputLocation"], "s3://primary-results/")
        self.assertEqual([n["Name"] for n in self.athena.list_work_groups()["WorkGroups"]].count("primary"), 1)
        self.athena.update_work_group(WorkGroup="primary", ConfigurationUpdates={
            "ResultConfigurationUpdates": {"RemoveOutputLocation": True}})

    def test_deleting_a_workgroup_that_holds_queries_needs_recursive_delete(self):
        a = self.athena
        a.create_work_group(Name="busy")
        qid = a.create_named_query(Name="q", Database="db", QueryString="SELECT 1", WorkGroup="busy")["NamedQueryId"]
        e = self.assertError("InvalidRequestException", a.delete_work_group, WorkGroup="busy")
        self.assertIn("is not empty", e.response["Error"]["Message"])
        a.delete_work_group(WorkGroup="busy", RecursiveDeleteOption=True)
        self.assertError("InvalidRequestException", a.get_named_query, NamedQueryId=qid)

    def test_bytes_scanned_cutoff_below_the_minimum_is_rejected_by_the_server(self):
        _, key, secret = ACCOUNTS["target"]
        unchecked = boto3.session.Session(aws_access_key_id=key, aws_secret_access_key=secret,
                                          region_name=REGION).client(
            "athena", endpoint_url=self.server.endpoint,
            config=botocore.config.Config(parameter_validation=False, retries={"max_attempts": 1}))
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            unchecked.create_work_group(Name="tiny", Configuration={"BytesScannedCutoffPerQuery": 10})
        self.assertIn("bytesScannedCutoffPerQuery", cm.exception.response["Error"]["Message"])

    # --- data catalogs ---

    def test_default_catalog_is_listed_and_cannot_be_changed(self):
        listed = self.athena.list_data_catalogs()["DataCatalogsSummary"]
        self.assertEqual((listed[0]["CatalogName"], listed[0]["Type"]), ("AwsDataCatalog", "GLUE"))
        # As in AWS, GetDataCatalog does not describe the built-in catalog.
        self.assertError("InvalidRequestException", self.athena.get_data_catalog, Name="AwsDataCatalog",
                         message="DataCatalog AwsDataCatalog was not found.")
        self.assertError("InvalidRequestException", self.athena.delete_data_catalog, Name="AwsDataCatalog")
        self.assertError("InvalidRequestException", self.athena.create_data_catalog, Name="AwsDataCatalog",
                         Type="GLUE", Parameters={"catalog-id": TARGET})

    def test_glue_catalog_names_another_accounts_catalog(self):
        a = self.athena
        source = ACCOUNTS["source"][0]
        a.create_data_catalog(Name="source_catalog", Type="GLUE", Description="source account",
                              Parameters={"catalog-id": source})
        c = a.get_data_catalog(Name="source_catalog")["DataCatalog"]
        self.assertEqual((c["Name"], c["Type"], c["Parameters"]), ("source_catalog", "GLUE", {"catalog-id": source}))
        self.assertEqual(c["Description"], "source account")
        self.assertIn("source_catalog", [s["CatalogName"] for s in a.list_data_catalogs()["DataCatalogsSummary"]])
        self.assertError("InvalidRequestException", a.create_data_catalog, Name="source_catalog", Type="GLUE",
                         Parameters={"catalog-id": source})
        a.update_data_catalog(Name="source_catalog", Type="GLUE", Parameters={"catalog-id": TARGET})
        self.assertEqual(a.get_data_catalog(Name="source_catalog")["DataCatalog"]["Parameters"],
                         {"catalog-id": TARGET})
        a.delete_data_catalog(Name="source_catalog")
        self.assertError("InvalidRequestException", a.get_data_catalog, Name="source_catalog",
                         message="DataCatalog source_catalog was not found.")

    def test_glue_catalog_needs_a_catalog_id(self):
        self.assertError("InvalidRequestException", self.athena.create_data_catalog, Name="nocat", Type="GLUE")

    # --- named queries ---

    def test_named_query_lifecycle(self):
        a = self.athena
        qid = a.create_named_query(Name="daily", Database="sales", QueryString="SELECT 1",
                                   Description="d")["NamedQueryId"]
        self.assertRegex(qid, r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
        q = a.get_named_query(NamedQueryId=qid)["NamedQuery"]
        self.assertEqual((q["Name"], q["Database"], q["QueryString"], q["WorkGroup"]),
                         ("daily", "sales", "SELECT 1", "primary"))
        self.assertIn(qid, a.list_named_queries()["NamedQueryIds"])
        a.update_named_query(NamedQueryId=qid, Name="daily2", QueryString="SELECT 2")
        batch = a.batch_get_named_query(NamedQueryIds=[qid, "00000000-0000-4000-8000-000000000000"])
        self.assertEqual([n["Name"] for n in batch["NamedQueries"]], ["daily2"])
        self.assertEqual([u["NamedQueryId"] for u in batch["UnprocessedNamedQueryIds"]],
                         ["00000000-0000-4000-8000-000000000000"])
        a.delete_named_query(NamedQueryId=qid)
        self.assertError("InvalidRequestException", a.get_named_query, NamedQueryId=qid)

    def test_named_query_client_request_token_is_idempotent(self):
        kwargs = dict(Name="n", Database="db", QueryString="SELECT 1", ClientRequestToken="t" * 32)
        self.assertEqual(self.athena.create_named_query(**kwargs)["NamedQueryId"],
                         self.athena.create_named_query(**kwargs)["NamedQueryId"])

    def test_named_query_in_unknown_workgroup(self):
        self.assertError("InvalidRequestException", self.athena.create_named_query, Name="n", Database="db",
                         QueryString="SELECT 1", WorkGroup="nowhere", message="WorkGroup nowhere is not found.")

    # --- prepared statements ---

    def test_prepared_statement_lifecycle(self):
        a = self.athena
        a.create_work_group(Name="ps")
        a.create_prepared_statement(StatementName="by_id", WorkGroup="ps",
                                    QueryStatement="SELECT * FROM t WHERE id = ?", Description="lookup")
        s = a.get_prepared_statement(StatementName="by_id", WorkGroup="ps")["PreparedStatement"]
        self.assertEqual((s["StatementName"], s["WorkGroupName"], s["QueryStatement"]),
                         ("by_id", "ps", "SELECT * FROM t WHERE id = ?"))
        self.assertIn("LastModifiedTime", s)
        self.assertError("InvalidRequestException", a.create_prepared_statement, StatementName="by_id",
                         WorkGroup="ps", QueryStatement="SELECT 1")
        self.assertEqual([p["StatementName"] for p in a.list_prepared_statements(WorkGroup="ps")["PreparedStatements"]],
                         ["by_id"])
        a.update_prepared_statement(StatementName="by_id", WorkGroup="ps", QueryStatement="SELECT 2")
        batch = a.batch_get_prepared_statement(PreparedStatementNames=["by_id", "missing"], WorkGroup="ps")
        self.assertEqual([p["QueryStatement"] for p in batch["PreparedStatements"]], ["SELECT 2"])
        self.assertEqual(batch["UnprocessedPreparedStatementNames"][0]["ErrorCode"], "STATEMENT_NOT_FOUND")
        # The same name in another workgroup is another statement.
        self.assertError("ResourceNotFoundException", a.get_prepared_statement, StatementName="by_id",
                         WorkGroup="primary")
        a.delete_prepared_statement(StatementName="by_id", WorkGroup="ps")
        self.assertError("ResourceNotFoundException", a.get_prepared_statement, StatementName="by_id", WorkGroup="ps")
        self.assertError("ResourceNotFoundException", a.delete_prepared_statement, StatementName="by_id",
                         WorkGroup="ps")

    # --- tags ---

    def test_tags_on_workgroups_and_catalogs(self):
        a = self.athena
        a.create_work_group(Name="tagged", Tags=[{"Key": "team", "Value": "data"}])
        arn = f"arn:aws:athena:{REGION}:{TARGET}:workgroup/tagged"
        self.assertEqual(a.list_tags_for_resource(ResourceARN=arn)["Tags"], [{"Key": "team", "Value": "data"}])
        a.tag_resource(ResourceARN=arn, Tags=[{"Key": "team", "Value": "ml"}, {"Key": "env", "Value": "dev"}])
        self.assertEqual(sorted((t["Key"], t["Value"]) for t in a.list_tags_for_resource(ResourceARN=arn)["Tags"]),
                         [("env", "dev"), ("team", "ml")])
        a.untag_resource(ResourceARN=arn, TagKeys=["team"])
        self.assertEqual(a.list_tags_for_resource(ResourceARN=arn)["Tags"], [{"Key": "env", "Value": "dev"}])
        a.create_data_catalog(Name="tagcat", Type="GLUE", Parameters={"catalog-id": TARGET},
                              Tags=[{"Key": "k", "Value": "v"}])
        cat = f"arn:aws:athena:{REGION}:{TARGET}:datacatalog/tagcat"
        self.assertEqual(a.list_tags_for_resource(ResourceARN=cat)["Tags"], [{"Key": "k", "Value": "v"}])
        self.assertError("ResourceNotFoundException", a.list_tags_for_resource,
                         ResourceARN=f"arn:aws:athena:{REGION}:{TARGET}:workgroup/none")

    # --- authorization ---

    def test_operations_are_authorized_on_the_workgroup_and_catalog_arns(self):
        iam = self.server.root("iam", "target")
        self.athena.create_work_group(Name="allowed")
        self.athena.create_work_group(Name="other")
        iam.create_user(UserName="analyst")
        iam.put_user_policy(UserName="analyst", PolicyName="p", PolicyDocument=allow(
            ["athena:GetWorkGroup", "athena:CreateNamedQuery", "athena:GetDataCatalog"],
            [f"arn:aws:athena:{REGION}:{TARGET}:workgroup/allowed",
             f"arn:aws:athena:{REGION}:{TARGET}:datacatalog/visible"]))
        key = iam.create_access_key(UserName="analyst")["AccessKey"]
        analyst = self.server.client("athena", key["AccessKeyId"], key["SecretAccessKey"])
        self.assertEqual(analyst.get_work_group(WorkGroup="allowed")["WorkGroup"]["Name"], "allowed")
        e = self.assertError("AccessDeniedException", analyst.get_work_group, WorkGroup="other")
        self.assertEqual(e.response["ResponseMetadata"]["HTTPStatusCode"], 400)
        self.assertIn("athena:GetWorkGroup", e.response["Error"]["Message"])
        self.assertError("AccessDeniedException", analyst.list_work_groups)
        analyst.create_named_query(Name="n", Database="db", QueryString="SELECT 1", WorkGroup="allowed")
        self.assertError("AccessDeniedException", analyst.create_named_query, Name="n", Database="db",
                         QueryString="SELECT 1", WorkGroup="other")
        # A denied caller does not learn whether the catalog exists.
        self.assertError("AccessDeniedException", analyst.get_data_catalog, Name="hidden")
        self.assertError("InvalidRequestException", analyst.get_data_catalog, Name="visible")

    # --- both CLI generations ---

    def test_cli_generations_manage_workgroups_and_catalogs(self):
        _, key, secret = ACCOUNTS["source"]
        commands = cli_commands()
        self.assertTrue(commands, "no AWS CLI found")
        for i, (command, version) in enumerate(commands):
            with self.subTest(cli=version):
                wg = f"cli-wg-{i}"
                code, _, err = self.server.cli(command, [
                    "athena", "create-work-group", "--name", wg, "--configuration",
                    json.dumps({"ResultConfiguration": {"OutputLocation": "s3://cli-results/"}})], key, secret)
                self.assertEqual(code, 0, err)
                code, out, err = self.server.cli(command, ["athena", "get-work-group", "--work-group", wg],
                                                 key, secret)
                self.assertEqual(code, 0, err)
                self.assertEqual(json.loads(out)["WorkGroup"]["Configuration"]["ResultConfiguration"]
                                 ["OutputLocation"], "s3://cli-results/")
                code, out, err = self.server.cli(command, ["athena", "list-work-groups"], key, secret)
                self.assertEqual(code, 0, err)
                self.assertIn(wg, [w["Name"] for w in json.loads(out)["WorkGroups"]])
                cat = f"cli_cat_{i}"
                code, _, err = self.server.cli(command, [
                    "athena", "create-data-catalog", "--name", cat, "--type", "GLUE",
                    "--parameters", f"catalog-id={TARGET}"], key, secret)
                self.assertEqual(code, 0, err)
                code, out, err = self.server.cli(command, ["athena", "get-data-catalog", "--name", cat], key, secret)
                self.assertEqual(code, 0, err)
                self.assertEqual(json.loads(out)["DataCatalog"]["Parameters"], {"catalog-id": TARGET})
                code, _, err = self.server.cli(command, ["athena", "delete-work-group", "--work-group", "primary"],
                                               key, secret)
                self.assertNotEqual(code, 0)
                self.assertIn("InvalidRequestException", err)


if __name__ == "__main__":
    unittest.main()

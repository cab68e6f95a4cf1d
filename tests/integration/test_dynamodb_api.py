"""Amazon DynamoDB through the real `xacct serve`, boto3 and both AWS CLI generations (Amazon DynamoDB API
Reference; Developer Guide "Using expressions", "Paginating table query results", "Using resource-based
policies for DynamoDB", "Using IAM policy conditions for fine-grained access control").

- Tables: CreateTable's key schema checks, DescribeTable, ListTables pages, UpdateTable, deletion protection,
  tags, time to live, DeleteTable (and that a table created again does not see the old items).
- Items: PutItem/GetItem/UpdateItem/DeleteItem with conditions, ReturnValues per operation,
  ReturnValuesOnConditionCheckFailure, ConsumedCapacity, DynamoDB's validation messages word for word.
- Query (sort key order, ScanIndexForward, Limit pages, filters, COUNT, indexes) and Scan (pages, segments).
- BatchGetItem, BatchWriteItem, TransactWriteItems (all or nothing), TransactGetItems.
- Authorization: identity policies in one account (dynamodb:LeadingKeys included), and across accounts a
  table's resource policy plus the caller's identity policy, both required.
The messages asserted here are DynamoDB's as recorded by peers that compare against it (moto's test suite,
DynamoDB Local) or quoted in AWS's documentation and re:Post; each docs/dynamodb.md entry says which.
"""
import json
import unittest

import boto3
import botocore.config
import botocore.exceptions

from harness import ACCOUNTS, REGION, ServerTest, allow, cli_commands, trust_policy

SOURCE, TARGET = ACCOUNTS["source"][0], ACCOUNTS["target"][0]
INVALID = "One or more parameter values were invalid: "


def table_arn(name, account=SOURCE):
    return f"arn:aws:dynamodb:{REGION}:{account}:table/{name}"


def nested(wraps, leaf=None):
    """An attribute value of `wraps` maps, one inside the other, around a string."""
    value = leaf or {"S": "leaf"}
    for _ in range(wraps):
        value = {"M": {"a": value}}
    return value


def create(ddb, name, range_key=True, **extra):
    attrs = [{"AttributeName": "pk", "AttributeType": "S"}]
    keys = [{"AttributeName": "pk", "KeyType": "HASH"}]
    if range_key:
        attrs.append({"AttributeName": "sk", "AttributeType": "N"})
        keys.append({"AttributeName": "sk", "KeyType": "RANGE"})
    attrs += extra.pop("more_attributes", [])
    return ddb.create_table(TableName=name, AttributeDefinitions=attrs, KeySchema=keys,
                            BillingMode="PAY_PER_REQUEST", **extra)["TableDescription"]


class DynamoTest(ServerTest):
    def error(self, call, code, **kwargs):
        with self.assertRaises(botocore.exceptions.ClientError) as e:
            call(**kwargs)
        self.assertEqual(e.exception.response["Error"]["Code"], code, e.exception.response["Error"])
        return e.exception

    def message(self, call, code, **kwargs):
        return self.error(call, code, **kwargs).response["Error"]["Message"]


class TableTest(DynamoTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ddb = cls.server.root("dynamodb", "source")

    def test_table_lifecycle(self):
        d = self.ddb
        gsi = {"IndexName": "by_owner", "KeySchema": [{"AttributeName": "owner", "KeyType": "HASH"}],
               "Projection": {"ProjectionType": "KEYS_ONLY"}}
        lsi = {"IndexName": "by_size", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                     {"AttributeName": "size", "KeyType": "RANGE"}],
               "Projection": {"ProjectionType": "ALL"}}
        t = create(d, "lifecycle", GlobalSecondaryIndexes=[gsi], LocalSecondaryIndexes=[lsi],
                   more_attributes=[{"AttributeName": "owner", "AttributeType": "S"},
                                    {"AttributeName": "size", "AttributeType": "N"}],
                   Tags=[{"Key": "team", "Value": "data"}], TableClass="STANDARD_INFREQUENT_ACCESS",
                   StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})
        self.assertEqual((t["TableStatus"], t["TableArn"], t["ItemCount"]), ("ACTIVE", table_arn("lifecycle"), 0))
        self.assertEqual(t["BillingModeSummary"]["BillingMode"], "PAY_PER_REQUEST")
        self.assertEqual(t["GlobalSecondaryIndexes"][0]["IndexArn"], table_arn("lifecycle") + "/index/by_owner")
        self.assertEqual(t["GlobalSecondaryIndexes"][0]["IndexStatus"], "ACTIVE")
        self.assertEqual(t["LocalSecondaryIndexes"][0]["KeySchema"], lsi["KeySchema"])
        self.assertTrue(t["LatestStreamArn"].startswith(table_arn("lifecycle") + "/stream/"))
        self.assertEqual(t["TableClassSummary"]["TableClass"], "STANDARD_INFREQUENT_ACCESS")
        self.assertFalse(t["DeletionProtectionEnabled"])
        d.get_waiter("table_exists").wait(TableName="lifecycle")
        d.put_item(TableName="lifecycle", Item={"pk": {"S": "a"}, "sk": {"N": "1"}, "owner": {"S": "x"}})
        described = d.describe_table(TableName="lifecycle")["Table"]
        self.assertEqual((described["ItemCount"], described["GlobalSecondaryIndexes"][0]["ItemCount"]), (1, 1))
        self.assertEqual(d.list_tags_of_resource(ResourceArn=table_arn("lifecycle"))["Tags"],
                         [{"Key": "team", "Value": "data"}])
        self.assertEqual(self.message(create, "ResourceInUseException", ddb=d, name="lifecycle"),
                         "Table already exists: lifecycle")
        d.delete_table(TableName="lifecycle")
        self.assertEqual(self.message(d.describe_table, "ResourceNotFoundException", TableName="lifecycle"),
                         "Requested resource not found: Table: lifecycle not found")
        self.assertEqual(self.message(d.get_item, "ResourceNotFoundException", TableName="lifecycle",
                                      Key={"pk": {"S": "a"}, "sk": {"N": "1"}}), "Requested resource not found")
        create(d, "lifecycle")  # the same name again starts empty
        self.assertEqual(d.scan(TableName="lifecycle")["Items"], [])

    def test_create_table_checks_the_key_schema(self):
        s = [{"AttributeName": "pk", "AttributeType": "S"}]
        hash_key = [{"AttributeName": "pk", "KeyType": "HASH"}]
        cases = [
            ("unused definition", dict(AttributeDefinitions=s + [{"AttributeName": "x", "AttributeType": "S"}],
                                       KeySchema=hash_key, BillingMode="PAY_PER_REQUEST"),
             INVALID + "Number of attributes in KeySchema does not exactly match number of attributes defined in "
                       "AttributeDefinitions"),
            ("undefined key", dict(AttributeDefinitions=[{"AttributeName": "x", "AttributeType": "S"}],
                                   KeySchema=hash_key, BillingMode="PAY_PER_REQUEST"),
             INVALID + "Some index key attributes are not defined in AttributeDefinitions. Keys: [pk], "
                       "AttributeDefinitions: [x]"),
            ("range first", dict(AttributeDefinitions=s, KeySchema=[{"AttributeName": "pk", "KeyType": "RANGE"}],
                                 BillingMode="PAY_PER_REQUEST"),
             "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"),
            ("provisioned without throughput", dict(AttributeDefinitions=s, KeySchema=hash_key),
             INVALID + "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is "
                       "PROVISIONED"),
            ("on demand with throughput", dict(AttributeDefinitions=s, KeySchema=hash_key, BillingMode="PAY_PER_REQUEST",
                                               ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}),
             INVALID + "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is "
                       "PAY_PER_REQUEST"),
            ("LSI without range key", dict(AttributeDefinitions=s, KeySchema=hash_key, BillingMode="PAY_PER_REQUEST",
                                           LocalSecondaryIndexes=[{"IndexName": "idx", "KeySchema": hash_key,
                                                                   "Projection": {"ProjectionType": "ALL"}}]),
             INVALID + "Table KeySchema does not have a range key, which is required when specifying a "
                       "LocalSecondaryIndex"),
        ]
        for name, kwargs, expected in cases:
            with self.subTest(name):
                self.assertEqual(self.message(self.ddb.create_table, "ValidationException", TableName="bad", **kwargs),
                                 expected)

    def test_list_tables_pages(self):
        for n in ("list_a", "list_b", "list_c"):
            create(self.ddb, n, range_key=False)
        page = self.ddb.list_tables(ExclusiveStartTableName="list_", Limit=2)
        self.assertEqual((page["TableNames"], page["LastEvaluatedTableName"]), (["list_a", "list_b"], "list_b"))
        page = self.ddb.list_tables(ExclusiveStartTableName="list_b", Limit=2)
        self.assertEqual(page["TableNames"][0], "list_c")
        names = [n for p in self.ddb.get_paginator("list_tables").paginate(PaginationConfig={"PageSize": 1})
                 for n in p["TableNames"]]
        self.assertEqual(names, sorted(names))
        self.assertTrue({"list_a", "list_b", "list_c"} <= set(names))

    def test_update_table_and_deletion_protection(self):
        d = self.ddb
        d.create_table(TableName="guarded", AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                       KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                       ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
                       DeletionProtectionEnabled=True)
        self.assertEqual(self.message(d.delete_table, "ValidationException", TableName="guarded"),
                         "Resource cannot be deleted as it is currently protected against deletion. Disable deletion "
                         "protection first.")
        t = d.update_table(TableName="guarded", ProvisionedThroughput={"ReadCapacityUnits": 10,
                                                                       "WriteCapacityUnits": 5})["TableDescription"]
        self.assertEqual(t["ProvisionedThroughput"]["ReadCapacityUnits"], 10)
        self.assertIn("LastIncreaseDateTime", t["ProvisionedThroughput"])
        self.assertIn("The provisioned throughput for the table will not change.",
                      self.message(d.update_table, "ValidationException", TableName="guarded",
                                   ProvisionedThroughput={"ReadCapacityUnits": 10, "WriteCapacityUnits": 5}))
        t = d.update_table(TableName="guarded", BillingMode="PAY_PER_REQUEST",
                           DeletionProtectionEnabled=False)["TableDescription"]
        self.assertEqual(t["BillingModeSummary"]["BillingMode"], "PAY_PER_REQUEST")
        self.assertFalse(d.describe_table(TableName="guarded")["Table"]["DeletionProtectionEnabled"])
        d.delete_table(TableName="guarded")

    def test_tags_and_time_to_live(self):
        d = self.ddb
        create(d, "tagged", range_key=False)
        arn = table_arn("tagged")
        d.tag_resource(ResourceArn=arn, Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
        d.tag_resource(ResourceArn=arn, Tags=[{"Key": "a", "Value": "3"}])
        d.untag_resource(ResourceArn=arn, TagKeys=["b"])
        self.assertEqual(d.list_tags_of_resource(ResourceArn=arn)["Tags"], [{"Key": "a", "Value": "3"}])
        self.assertEqual(self.message(d.list_tags_of_resource, "ResourceNotFoundException",
                                      ResourceArn=table_arn("nope")),
                         f"Requested resource not found: ResourcArn: {table_arn('nope')} not found")
        self.assertEqual(d.describe_time_to_live(TableName="tagged")["TimeToLiveDescription"],
                         {"TimeToLiveStatus": "DISABLED"})
        d.update_time_to_live(TableName="tagged", TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"})
        self.assertEqual(d.describe_time_to_live(TableName="tagged")["TimeToLiveDescription"],
                         {"TimeToLiveStatus": "ENABLED", "AttributeName": "exp"})
        self.assertEqual(self.message(d.update_time_to_live, "ValidationException", TableName="tagged",
                                      TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"}),
                         "TimeToLive is already enabled")

    def test_tables_are_scoped_by_account_and_region(self):
        # The same name in another region, or in another account, is another table.
        west = self.server.client("dynamodb", *ACCOUNTS["source"][1:], region="us-west-2")
        other = self.server.root("dynamodb", "target")
        create(self.ddb, "scoped", range_key=False)
        create(west, "scoped")
        self.ddb.put_item(TableName="scoped", Item={"pk": {"S": "here"}})
        self.assertEqual(west.scan(TableName="scoped")["Items"], [])
        self.assertEqual(len(west.describe_table(TableName="scoped")["Table"]["KeySchema"]), 2)
        self.assertNotIn("scoped", other.list_tables()["TableNames"])
        self.assertEqual(self.message(other.describe_table, "ResourceNotFoundException", TableName="scoped"),
                         "Requested resource not found: Table: scoped not found")
        # A table ARN of another region names nothing this endpoint holds, and creates nothing there.
        west_arn = f"arn:aws:dynamodb:us-west-2:{SOURCE}:table/scoped"
        self.error(self.ddb.describe_table, "ResourceNotFoundException", TableName=west_arn)
        self.assertEqual(self.message(create, "ValidationException", ddb=self.ddb,
                                      name=f"arn:aws:dynamodb:us-west-2:{SOURCE}:table/elsewhere"),
                         f"Invalid TableArn: the ARN's region us-west-2 is not the region of this request, {REGION}")
        self.assertNotIn("elsewhere", west.list_tables()["TableNames"])
        self.assertEqual(create(self.ddb, table_arn("by_arn"), range_key=False)["TableArn"], table_arn("by_arn"))
        # Malformed ARNs are refused as such.
        for bad in ("arn:aws:dynamodb:::table/", "arn:foo", table_arn("scoped") + "/index/x",
                    f"arn:aws:s3:{REGION}:{SOURCE}:table/scoped"):
            with self.subTest(bad):
                self.assertEqual(self.message(self.ddb.describe_table, "ValidationException", TableName=bad),
                                 "Invalid TableArn: Invalid ResourceArn provided as input " + bad)

    def test_describe_table_answers_every_field_a_client_reads(self):
        # API Reference, TableDescription (an on-demand table: throughput 0 with NumberOfDecreasesToday).
        create(self.ddb, "described", range_key=False)
        self.ddb.put_item(TableName="described", Item={"pk": {"S": "a"}, "v": {"S": "12345"}})
        t = self.ddb.describe_table(TableName="described")["Table"]
        self.assertEqual((t["TableName"], t["TableArn"], t["TableStatus"]), ("described", table_arn("described"),
                                                                             "ACTIVE"))
        self.assertRegex(t["TableId"], r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
        self.assertEqual(t["KeySchema"], [{"AttributeName": "pk", "KeyType": "HASH"}])
        self.assertEqual(t["AttributeDefinitions"], [{"AttributeName": "pk", "AttributeType": "S"}])
        self.assertEqual(t["BillingModeSummary"]["BillingMode"], "PAY_PER_REQUEST")
        self.assertIn("LastUpdateToPayPerRequestDateTime", t["BillingModeSummary"])
        self.assertEqual(t["ProvisionedThroughput"], {"NumberOfDecreasesToday": 0, "ReadCapacityUnits": 0,
                                                      "WriteCapacityUnits": 0})
        self.assertEqual(t["CreationDateTime"].tzinfo is not None, True)
        self.assertEqual((t["ItemCount"], t["TableSizeBytes"]), (1, len("pk") + 1 + len("v") + 5))

    def test_errors_carry_dynamodbs_type(self):
        # botocore reads the code after '#'; the body keeps DynamoDB's namespaces.
        create(self.ddb, "typed", range_key=False)
        bodies = []
        self.ddb.meta.events.register("after-call.dynamodb.*",
                                      lambda http_response, **kw: bodies.append(json.loads(http_response.content)))
        try:
            self.error(self.ddb.describe_table, "ResourceNotFoundException", TableName="missing")
            self.error(self.ddb.put_item, "ValidationException", TableName="typed", Item={"pk": {"S": "x"}},
                       ReturnValues="ALL_NEW")
        finally:
            self.ddb.meta.events.unregister("after-call.dynamodb.*")
        self.assertEqual(bodies[0], {"__type": "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",
                                     "message": "Requested resource not found: Table: missing not found"})
        self.assertEqual(bodies[1]["__type"], "com.amazon.coral.validate#ValidationException")


class ItemTest(DynamoTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ddb = cls.server.root("dynamodb", "source")
        create(cls.ddb, "items")
        cls.ddb.create_table(TableName="simple", AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                             KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")

    def test_put_get_delete_round_trip_with_every_type(self):
        d = self.ddb
        item = {"id": {"S": "all"}, "n": {"N": "1.50"}, "b": {"B": b"\x00\xffbytes"}, "t": {"BOOL": True},
                "z": {"NULL": True}, "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2"]}, "bs": {"BS": [b"x", b"y"]},
                "l": {"L": [{"S": "x"}, {"N": "2"}]}, "m": {"M": {"k": {"B": b"\x01"}}}}
        self.assertNotIn("Attributes", d.put_item(TableName="simple", Item=item))
        got = d.get_item(TableName="simple", Key={"id": {"S": "all"}}, ConsistentRead=True)["Item"]
        self.assertEqual(got["n"], {"N": "1.5"})  # numbers come back canonical
        self.assertEqual(got["b"], {"B": b"\x00\xffbytes"})
        self.assertEqual(got["m"], item["m"])
        self.assertEqual(sorted(got["bs"]["BS"]), [b"x", b"y"])
        out = d.delete_item(TableName="simple", Key={"id": {"S": "all"}}, ReturnValues="ALL_OLD")
        self.assertEqual(out["Attributes"]["b"], {"B": b"\x00\xffbytes"})
        self.assertNotIn("Item", d.get_item(TableName="simple", Key={"id": {"S": "all"}}))

    def test_conditional_writes(self):
        d = self.ddb
        key = {"id": {"S": "cond"}}
        d.put_item(TableName="simple", Item={**key, "v": {"N": "1"}}, ConditionExpression="attribute_not_exists(id)")
        e = self.error(d.put_item, "ConditionalCheckFailedException", TableName="simple",
                       Item={**key, "v": {"N": "2"}}, ConditionExpression="attribute_not_exists(id)",
                       ReturnValuesOnConditionCheckFailure="ALL_OLD")
        self.assertEqual(e.response["Error"]["Message"], "The conditional request failed")
        self.assertEqual(e.response["Item"], {**key, "v": {"N": "1"}})
        e = self.error(d.delete_item, "ConditionalCheckFailedException", TableName="simple", Key=key,
                       ConditionExpression="v = :two", ExpressionAttributeValues={":two": {"N": "2"}})
        self.assertNotIn("Item", e.response)
        d.update_item(TableName="simple", Key=key, UpdateExpression="SET v = v + :one",
                      ConditionExpression="#v = :one", ExpressionAttributeNames={"#v": "v"},
                      ExpressionAttributeValues={":one": {"N": "1"}})
        self.assertEqual(d.get_item(TableName="simple", Key=key)["Item"]["v"], {"N": "2"})

    def test_return_values_per_operation(self):
        d = self.ddb
        key = {"id": {"S": "rv"}}
        d.put_item(TableName="simple", Item={**key, "a": {"N": "1"}, "b": {"S": "keep"}})
        cases = [
            ("ALL_OLD", {**key, "a": {"N": "1"}, "b": {"S": "keep"}}),
            ("UPDATED_OLD", {"a": {"N": "2"}, "c": {"S": "new"}}),  # c existed after the first update
            ("UPDATED_NEW", {"a": {"N": "4"}, "c": {"S": "new"}}),
            ("ALL_NEW", {**key, "a": {"N": "5"}, "b": {"S": "keep"}, "c": {"S": "new"}}),
        ]
        for return_values, expected in cases:
            with self.subTest(return_values):
                out = d.update_item(TableName="simple", Key=key, UpdateExpression="ADD a :one SET c = :c",
                                    ExpressionAttributeValues={":one": {"N": "1"}, ":c": {"S": "new"}},
                                    ReturnValues=return_values)
                self.assertEqual(out["Attributes"], expected)
        self.assertNotIn("Attributes", d.update_item(TableName="simple", Key=key, UpdateExpression="REMOVE c",
                                                     ReturnValues="NONE"))
        for call, kwargs in ((d.put_item, {"Item": key}), (d.delete_item, {"Key": key})):
            for bad in ("ALL_NEW", "UPDATED_OLD"):
                with self.subTest(call=call.__name__, return_values=bad):
                    self.assertEqual(self.message(call, "ValidationException", TableName="simple",
                                                  ReturnValues=bad, **kwargs), "Return values set to invalid value")

    def test_key_and_item_validation_messages(self):
        d = self.ddb
        cases = [
            (d.put_item, {"Item": {"pk": {"S": "a"}}}, INVALID + "Missing the key sk in the item"),
            (d.put_item, {"Item": {"pk": {"N": "1"}, "sk": {"N": "1"}}},
             INVALID + "Type mismatch for key pk expected: S actual: N"),
            (d.put_item, {"Item": {"pk": {"S": ""}, "sk": {"N": "1"}}},
             "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an "
             "empty string value. Key: pk"),
            (d.get_item, {"Key": {"pk": {"S": "a"}}}, "The provided key element does not match the schema"),
            (d.get_item, {"Key": {"pk": {"S": "a"}, "sk": {"S": "1"}}},
             "The provided key element does not match the schema"),
            (d.get_item, {"Key": {"pk": {"S": "a"}, "sk": {"N": "1"}, "x": {"S": "1"}}},
             "The provided key element does not match the schema"),
            (d.update_item, {"Key": {"pk": {"S": "a"}, "sk": {"N": "1"}}, "UpdateExpression": "SET pk = :v",
                             "ExpressionAttributeValues": {":v": {"S": "b"}}},
             INVALID + "Cannot update attribute pk. This attribute is part of the key"),
            (d.put_item, {"Item": {"pk": {"S": "a"}, "sk": {"N": "1"}, "big": {"S": "x" * (400 * 1024)}}},
             "Item size has exceeded the maximum allowed size"),
            (d.put_item, {"Item": {"pk": {"S": "a"}, "sk": {"N": "1"}}, "Expected": {"pk": {"Exists": False}}},
             "xacct does not support the legacy parameter Expected; use ConditionExpression instead "
             "(see docs/dynamodb.md)"),
            (d.get_item, {"Key": {"pk": {"S": "a"}, "sk": {"N": "1"}}, "ProjectionExpression": "pk",
                          "AttributesToGet": ["pk"]},
             "Can not use both expression and non-expression parameters in the same request: Non-expression "
             "parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}"),
            (d.put_item, {"Item": {"pk": {"S": "a"}, "sk": {"N": "1"}}, "ExpressionAttributeValues": {":v": {"S": "x"}}},
             "ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null"),
        ]
        for call, kwargs, expected in cases:
            with self.subTest(call=call.__name__, expected=expected):
                self.assertEqual(self.message(call, "ValidationException", TableName="items", **kwargs), expected)

    def test_nested_documents_up_to_32_levels(self):
        # DynamoDB nests documents 32 levels deep (31 maps around a scalar) and refuses deeper items with
        # "Nesting Levels have exceeded supported limits". An update can build the depth one path at a time;
        # the stored item must read back whole (it once came back empty, and a segmented Scan failed).
        d = self.ddb
        key = {"id": {"S": "deep"}}
        d.put_item(TableName="simple", Item={**key, "doc": nested(13)})
        d.update_item(TableName="simple", Key=key, UpdateExpression="SET doc" + ".a" * 13 + " = :v",
                      ExpressionAttributeValues={":v": nested(13)})
        d.update_item(TableName="simple", Key=key, UpdateExpression="SET doc" + ".a" * 18 + " = :v",
                      ExpressionAttributeValues={":v": nested(13)})
        self.assertEqual(d.get_item(TableName="simple", Key=key)["Item"], {**key, "doc": nested(31)})
        scanned = d.scan(TableName="simple", Segment=0, TotalSegments=1)["Items"]
        self.assertIn({**key, "doc": nested(31)}, scanned)
        self.assertEqual(self.message(d.update_item, "ValidationException", TableName="simple", Key=key,
                                      UpdateExpression="SET doc" + ".a" * 19 + " = :v",
                                      ExpressionAttributeValues={":v": nested(13)}),
                         "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels "
                         "beyond supported limit")
        self.assertEqual(d.get_item(TableName="simple", Key=key)["Item"]["doc"], nested(31))
        # A request may carry the whole depth at once (64 JSON levels on the wire), and no more.
        d.put_item(TableName="simple", Item={"id": {"S": "deep-put"}, "doc": nested(31)})
        self.assertEqual(d.get_item(TableName="simple", Key={"id": {"S": "deep-put"}})["Item"]["doc"], nested(31))
        self.assertEqual(self.message(d.put_item, "ValidationException", TableName="simple",
                                      Item={"id": {"S": "deeper"}, "doc": nested(32)}),
                         "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels "
                         "beyond supported limit")

    def test_malformed_attribute_values_are_refused(self):
        # What botocore lets through when its own checks are off: DynamoDB's (and the JSON protocol's) answers.
        _, key_id, secret = ACCOUNTS["source"]
        d = boto3.session.Session(aws_access_key_id=key_id, aws_secret_access_key=secret, region_name=REGION).client(
            "dynamodb", endpoint_url=self.server.endpoint,
            config=botocore.config.Config(parameter_validation=False, retries={"max_attempts": 1}))
        key = {"id": {"S": "bad"}}
        cases = [
            ({"x": {"S": 5}}, "SerializationException", "NUMBER_VALUE cannot be converted to String"),
            ({"x": {"N": "abc"}}, "ValidationException", "The parameter cannot be converted to a numeric value: abc"),
            ({"x": {"S": "a", "N": "1"}}, "ValidationException",
             "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported "
             "datatypes"),
            ({"x": {}}, "ValidationException",
             "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"),
            ({"x": {"BOOL": "true"}}, "SerializationException", "STRING_VALUE cannot be converted to Boolean"),
        ]
        for extra, code, expected in cases:
            with self.subTest(extra=extra):
                self.assertEqual(self.message(d.put_item, code, TableName="simple", Item={**key, **extra}), expected)
        self.assertNotIn("Item", self.ddb.get_item(TableName="simple", Key=key))

    def test_projection_attributes_to_get_and_consumed_capacity(self):
        d = self.ddb
        d.put_item(TableName="items", Item={"pk": {"S": "p"}, "sk": {"N": "1"}, "a": {"M": {"x": {"N": "1"},
                                                                                        "y": {"N": "2"}}},
                                            "b": {"S": "b"}})
        key = {"pk": {"S": "p"}, "sk": {"N": "1"}}
        got = d.get_item(TableName="items", Key=key, ProjectionExpression="#a.x, b", ExpressionAttributeNames={"#a": "a"})
        self.assertEqual(got["Item"], {"a": {"M": {"x": {"N": "1"}}}, "b": {"S": "b"}})
        self.assertEqual(d.get_item(TableName="items", Key=key, AttributesToGet=["b"])["Item"], {"b": {"S": "b"}})
        out = d.get_item(TableName="items", Key=key, ReturnConsumedCapacity="TOTAL")
        self.assertEqual(out["ConsumedCapacity"], {"TableName": "items", "CapacityUnits": 0.5})
        out = d.put_item(TableName="items", Item=key, ReturnConsumedCapacity="INDEXES")
        self.assertEqual(out["ConsumedCapacity"], {"TableName": "items", "CapacityUnits": 1.0,
                                                   "Table": {"CapacityUnits": 1.0}})


class QueryScanTest(DynamoTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        d = cls.ddb = cls.server.root("dynamodb", "source")
        create(d, "events", more_attributes=[{"AttributeName": "kind", "AttributeType": "S"}],
               GlobalSecondaryIndexes=[{"IndexName": "by_kind", "KeySchema": [{"AttributeName": "kind",
                                                                               "KeyType": "HASH"},
                                                                              {"AttributeName": "sk",
                                                                               "KeyType": "RANGE"}],
                                        "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["v"]}}])
        for user in ("u1", "u2"):
            for n in (10, 2, 33, 4, 5):  # numeric order, not text order
                item = {"pk": {"S": user}, "sk": {"N": str(n)}, "v": {"N": str(n * 10)}, "extra": {"S": "e"}}
                if n % 2:
                    item["kind"] = {"S": "odd"}
                d.put_item(TableName="events", Item=item)

    def query(self, **kw):
        return self.ddb.query(TableName="events", KeyConditionExpression="pk = :u",
                              ExpressionAttributeValues={":u": {"S": "u1"}, **kw.pop("values", {})}, **kw)

    def test_query_returns_the_partition_in_sort_key_order(self):
        self.assertEqual([i["sk"]["N"] for i in self.query()["Items"]], ["2", "4", "5", "10", "33"])
        self.assertEqual([i["sk"]["N"] for i in self.query(ScanIndexForward=False)["Items"]],
                         ["33", "10", "5", "4", "2"])
        out = self.ddb.query(TableName="events", KeyConditionExpression="pk = :u AND sk BETWEEN :lo AND :hi",
                             ExpressionAttributeValues={":u": {"S": "u1"}, ":lo": {"N": "4"}, ":hi": {"N": "10"}})
        self.assertEqual([i["sk"]["N"] for i in out["Items"]], ["4", "5", "10"])

    def test_query_pages_with_limit_and_filter(self):
        pages, start = [], None
        while True:
            kw = {"ExclusiveStartKey": start} if start else {}
            out = self.query(Limit=2, FilterExpression="v > :min", values={":min": {"N": "45"}}, **kw)
            pages.append(([i["sk"]["N"] for i in out["Items"]], out["ScannedCount"]))
            start = out.get("LastEvaluatedKey")
            if not start:
                break
        # Limit counts the items read before the filter; a page may come back empty.
        self.assertEqual(pages, [([], 2), (["5", "10"], 2), (["33"], 1)])
        backwards = [i["sk"]["N"] for p in self.ddb.get_paginator("query").paginate(
            TableName="events", KeyConditionExpression="pk = :u", ExpressionAttributeValues={":u": {"S": "u2"}},
            ScanIndexForward=False, PaginationConfig={"PageSize": 2}) for i in p["Items"]]
        self.assertEqual(backwards, ["33", "10", "5", "4", "2"])

    def test_select_count_and_index_queries(self):
        out = self.query(Select="COUNT")
        self.assertEqual((out["Count"], out["ScannedCount"], "Items" in out), (5, 5, False))
        out = self.ddb.query(TableName="events", IndexName="by_kind", KeyConditionExpression="kind = :k",
                             ExpressionAttributeValues={":k": {"S": "odd"}})
        self.assertEqual([(i["pk"]["S"], i["sk"]["N"]) for i in out["Items"]],
                         [("u1", "5"), ("u2", "5"), ("u1", "33"), ("u2", "33")])
        self.assertNotIn("extra", out["Items"][0])  # INCLUDE projects the keys and v only
        self.assertEqual(set(out["Items"][0]), {"pk", "sk", "kind", "v"})
        self.assertEqual(self.message(self.ddb.query, "ValidationException", TableName="events", IndexName="nope",
                                      KeyConditionExpression="pk = :u", ExpressionAttributeValues={":u": {"S": "x"}}),
                         "The table does not have the specified index: nope")
        self.assertEqual(self.message(self.ddb.query, "ValidationException", TableName="events"),
                         "Either the KeyConditions or KeyConditionExpression parameter must be specified in the "
                         "request.")

    def test_scan_pages_and_segments(self):
        seen, start, pages = [], None, 0
        while True:
            kw = {"ExclusiveStartKey": start} if start else {}
            out = self.ddb.scan(TableName="events", Limit=3, **kw)
            seen += [(i["pk"]["S"], i["sk"]["N"]) for i in out["Items"]]
            pages += 1
            start = out.get("LastEvaluatedKey")
            if not start:
                break
        self.assertEqual(len(seen), 10)
        self.assertEqual(len(set(seen)), 10)
        segments = [self.ddb.scan(TableName="events", Segment=s, TotalSegments=3)["Items"] for s in range(3)]
        self.assertEqual(sum(len(s) for s in segments), 10)
        self.assertEqual(self.message(self.ddb.scan, "ValidationException", TableName="events", Segment=3,
                                      TotalSegments=3),
                         "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 3 "
                         "is not less than TotalSegments: 3")
        out = self.ddb.scan(TableName="events", FilterExpression="attribute_exists(kind)", Select="COUNT")
        self.assertEqual((out["Count"], out["ScannedCount"]), (4, 10))


class BatchTransactTest(DynamoTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ddb = cls.server.root("dynamodb", "source")
        create(cls.ddb, "batch", range_key=False)
        create(cls.ddb, "ledger", range_key=False)

    def test_batch_write_then_batch_get(self):
        d = self.ddb
        out = d.batch_write_item(RequestItems={
            "batch": [{"PutRequest": {"Item": {"pk": {"S": f"k{i}"}, "v": {"N": str(i)}}}} for i in range(5)],
            "ledger": [{"PutRequest": {"Item": {"pk": {"S": "l"}}}}]})
        self.assertEqual(out["UnprocessedItems"], {})
        d.batch_write_item(RequestItems={"batch": [{"DeleteRequest": {"Key": {"pk": {"S": "k0"}}}}]})
        out = d.batch_get_item(RequestItems={"batch": {"Keys": [{"pk": {"S": f"k{i}"}} for i in range(3)],
                                                       "ProjectionExpression": "v"},
                                             "ledger": {"Keys": [{"pk": {"S": "l"}}]}})
        self.assertEqual(sorted(i["v"]["N"] for i in out["Responses"]["batch"]), ["1", "2"])
        self.assertEqual(out["Responses"]["ledger"], [{"pk": {"S": "l"}}])
        self.assertEqual(out["UnprocessedKeys"], {})
        cases = [
            (d.batch_get_item, {"RequestItems": {"batch": {"Keys": [{"pk": {"S": "a"}}, {"pk": {"S": "a"}}]}}},
             "Provided list of item keys contains duplicates"),
            (d.batch_get_item, {"RequestItems": {"batch": {"Keys": [{"pk": {"S": str(i)}} for i in range(60)]},
                                                 "ledger": {"Keys": [{"pk": {"S": str(i)}} for i in range(60)]}}},
             "Too many items requested for the BatchGetItem call"),
            (d.batch_write_item, {"RequestItems": {"batch": [{"PutRequest": {"Item": {"pk": {"S": str(i)}}}}
                                                             for i in range(20)],
                                                   "ledger": [{"PutRequest": {"Item": {"pk": {"S": str(i)}}}}
                                                              for i in range(20)]}},
             "Too many items requested for the BatchWriteItem call"),
        ]
        for call, kwargs, expected in cases:
            with self.subTest(expected):
                self.assertEqual(self.message(call, "ValidationException", **kwargs), expected)

    def test_transact_write_is_all_or_nothing(self):
        d = self.ddb
        d.put_item(TableName="ledger", Item={"pk": {"S": "acct"}, "balance": {"N": "10"}})
        debit = {"Update": {"TableName": "ledger", "Key": {"pk": {"S": "acct"}},
                            "UpdateExpression": "SET balance = balance - :amt", "ConditionExpression": "balance >= :amt",
                            "ExpressionAttributeValues": {":amt": {"N": "7"}},
                            "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}}
        d.transact_write_items(TransactItems=[debit, {"Put": {"TableName": "batch",
                                                              "Item": {"pk": {"S": "receipt1"}}}}])
        e = self.error(d.transact_write_items, "TransactionCanceledException",
                       TransactItems=[{"Put": {"TableName": "batch", "Item": {"pk": {"S": "receipt2"}}}}, debit])
        self.assertEqual(e.response["Error"]["Message"], "Transaction cancelled, please refer cancellation reasons for "
                                                         "specific reasons [None, ConditionalCheckFailed]")
        reasons = e.response["CancellationReasons"]
        self.assertEqual(reasons[0], {"Code": "None"})
        self.assertEqual(reasons[1]["Code"], "ConditionalCheckFailed")
        self.assertEqual(reasons[1]["Item"], {"pk": {"S": "acct"}, "balance": {"N": "3"}})
        self.assertNotIn("Item", d.get_item(TableName="batch", Key={"pk": {"S": "receipt2"}}))  # rolled back
        self.assertEqual(self.message(d.transact_write_items, "ValidationException", TransactItems=[
            {"Put": {"TableName": "batch", "Item": {"pk": {"S": "x"}}}},
            {"Delete": {"TableName": "batch", "Key": {"pk": {"S": "x"}}}}]),
            "Transaction request cannot include multiple operations on one item")
        out = d.transact_get_items(TransactItems=[{"Get": {"TableName": "ledger", "Key": {"pk": {"S": "acct"}}}},
                                                  {"Get": {"TableName": "batch", "Key": {"pk": {"S": "none"}}}}])
        self.assertEqual(out["Responses"], [{"Item": {"pk": {"S": "acct"}, "balance": {"N": "3"}}}, {}])


class AuthorizationTest(DynamoTest):
    """Identity policies in the table's account; across accounts the table's resource policy and the caller's
    identity policy must both allow."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.owner = cls.server.root("dynamodb", "source")
        create(cls.owner, "shared", range_key=False)
        cls.owner.put_item(TableName="shared", Item={"pk": {"S": "alice"}, "v": {"S": "a"}})
        cls.owner.put_item(TableName="shared", Item={"pk": {"S": "bob"}, "v": {"S": "b"}})
        cls.users = {}
        for account, name, document in [
            ("source", "reader", allow(["dynamodb:GetItem", "dynamodb:Query"], table_arn("shared"))),
            ("source", "alice", json.dumps({"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem"], "Resource": table_arn("shared"),
                "Condition": {"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["${aws:username}"]}}}]})),
            ("source", "blocked", json.dumps({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"},
                {"Effect": "Deny", "Action": "dynamodb:DeleteItem", "Resource": table_arn("shared")}]})),
            ("target", "partner", allow(["dynamodb:GetItem", "dynamodb:ListTagsOfResource",
                                         "dynamodb:GetResourcePolicy"], table_arn("shared"))),
            ("target", "nogrant", None),
        ]:
            iam = cls.server.root("iam", account)
            iam.create_user(UserName=name)
            if document:
                iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=document)
            key = iam.create_access_key(UserName=name)["AccessKey"]
            cls.users[name] = (key["AccessKeyId"], key["SecretAccessKey"])
            setattr(cls, name, cls.server.client("dynamodb", key["AccessKeyId"], key["SecretAccessKey"]))

    def denied(self, call, **kwargs):
        e = self.error(call, "AccessDeniedException", **kwargs)
        self.assertEqual(e.response["ResponseMetadata"]["HTTPStatusCode"], 400)
        return e.response["Error"]["Message"]

    def test_identity_policy_allows_named_actions_on_the_table(self):
        self.assertEqual(self.reader.get_item(TableName="shared", Key={"pk": {"S": "bob"}})["Item"]["v"], {"S": "b"})
        message = self.denied(self.reader.put_item, TableName="shared", Item={"pk": {"S": "x"}})
        self.assertEqual(message, f"User: arn:aws:iam::{SOURCE}:user/reader is not authorized to perform: "
                                  f"dynamodb:PutItem on resource: {table_arn('shared')} because no identity-based "
                                  f"policy allows the dynamodb:PutItem action")
        self.denied(self.reader.get_item, TableName="other", Key={"pk": {"S": "x"}})  # before ResourceNotFound

    def test_explicit_deny_wins(self):
        self.assertIn("Item", self.blocked.get_item(TableName="shared", Key={"pk": {"S": "bob"}}))
        message = self.denied(self.blocked.delete_item, TableName="shared", Key={"pk": {"S": "bob"}})
        self.assertIn("with an explicit deny in an identity-based policy", message)

    def test_leading_keys_limit_a_user_to_their_partition(self):
        self.alice.put_item(TableName="shared", Item={"pk": {"S": "alice"}, "v": {"S": "mine"}})
        self.assertEqual(self.alice.get_item(TableName="shared", Key={"pk": {"S": "alice"}})["Item"]["v"],
                         {"S": "mine"})
        message = self.denied(self.alice.get_item, TableName="shared", Key={"pk": {"S": "bob"}})
        self.assertIn("dynamodb:GetItem", message)

    def test_a_denied_caller_learns_nothing_of_the_table(self):
        # AWS authorizes before it looks at the table: a caller who may not query gets AccessDenied whether
        # the table exists or not, and whatever the request's mistakes that only the table's schema reveals.
        for table in ("shared", "missing"):
            for kwargs in ({"IndexName": "nope"}, {"ExpressionAttributeValues": {":u": {"S": "x"}, ":unused": {"S": "y"}}},
                           {"FilterExpression": "v = :nope"}):
                with self.subTest(table=table, kwargs=kwargs):
                    kwargs = {"KeyConditionExpression": "pk = :u", "ExpressionAttributeValues": {":u": {"S": "x"}},
                              **kwargs}
                    self.denied(self.alice.query, TableName=table, **kwargs)
            with self.subTest(table=table, operation="scan"):
                self.denied(self.alice.scan, TableName=table, IndexName="nope")
                # Checks that need no table answer the same either way.
                self.assertIn("is not less than TotalSegments", self.message(
                    self.alice.scan, "ValidationException", TableName=table, Segment=2, TotalSegments=2))
        # A caller who may query sees the validation error.
        self.assertEqual(self.message(self.blocked.query, "ValidationException", TableName="shared", IndexName="nope",
                                      KeyConditionExpression="pk = :u", ExpressionAttributeValues={":u": {"S": "x"}}),
                         "The table does not have the specified index: nope")

    def test_an_assumed_role_of_the_tables_account_describes_puts_and_gets(self):
        # seed003: a role in the table's account, trusted by another account, allowed DescribeTable, GetItem
        # and PutItem on the table's ARN; the other account's principal assumes it and names the table.
        iam = self.server.root("iam", "source")
        iam.create_role(RoleName="cross-account-role",
                        AssumeRolePolicyDocument=trust_policy({"AWS": f"arn:aws:iam::{TARGET}:root"}))
        iam.put_role_policy(RoleName="cross-account-role", PolicyName="ddb", PolicyDocument=allow(
            ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem"], table_arn("shared")))
        target_iam = self.server.root("iam", "target")
        target_iam.create_user(UserName="assumer")
        target_iam.put_user_policy(UserName="assumer", PolicyName="p", PolicyDocument=allow(
            "sts:AssumeRole", f"arn:aws:iam::{SOURCE}:role/cross-account-role"))
        key = target_iam.create_access_key(UserName="assumer")["AccessKey"]
        sts = self.server.client("sts", key["AccessKeyId"], key["SecretAccessKey"])
        creds = sts.assume_role(RoleArn=f"arn:aws:iam::{SOURCE}:role/cross-account-role",
                                RoleSessionName="seed003")["Credentials"]
        ddb = self.server.client("dynamodb", creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
        t = ddb.describe_table(TableName="shared")["Table"]
        self.assertEqual((t["TableArn"], t["TableStatus"], t["KeySchema"]),
                         (table_arn("shared"), "ACTIVE", [{"AttributeName": "pk", "KeyType": "HASH"}]))
        ddb.put_item(TableName="shared", Item={"pk": {"S": "from-target-lambda"}})
        self.assertEqual(ddb.get_item(TableName="shared", Key={"pk": {"S": "from-target-lambda"}})["Item"],
                         {"pk": {"S": "from-target-lambda"}})
        message = self.denied(ddb.delete_item, TableName="shared", Key={"pk": {"S": "from-target-lambda"}})
        self.assertEqual(message, f"User: arn:aws:sts::{SOURCE}:assumed-role/cross-account-role/seed003 is not "
                                  f"authorized to perform: dynamodb:DeleteItem on resource: {table_arn('shared')} "
                                  f"because no identity-based policy allows the dynamodb:DeleteItem action")
        self.denied(ddb.describe_table, TableName="missing")

    def test_cross_account_needs_the_resource_policy_and_the_identity_policy(self):
        arn = table_arn("shared")
        # Without a resource policy, the partner's own allow does not reach another account's table.
        message = self.denied(self.partner.list_tags_of_resource, ResourceArn=arn)
        self.assertEqual(message, f"User: arn:aws:iam::{TARGET}:user/partner is not authorized to perform: "
                                  f"dynamodb:ListTagsOfResource on resource: {arn} because no resource-based policy "
                                  f"allows the dynamodb:ListTagsOfResource action")
        policy = {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{TARGET}:root"},
            "Action": ["dynamodb:GetItem", "dynamodb:ListTagsOfResource", "dynamodb:GetResourcePolicy"],
            "Resource": arn}]}
        revision = self.owner.put_resource_policy(ResourceArn=arn, Policy=json.dumps(policy))["RevisionId"]
        got = self.owner.get_resource_policy(ResourceArn=arn)
        self.assertEqual((json.loads(got["Policy"]), got["RevisionId"]), (policy, revision))
        # Both sides allow: the partner reads.
        self.assertEqual(self.partner.list_tags_of_resource(ResourceArn=arn)["Tags"], [])
        self.assertEqual(json.loads(self.partner.get_resource_policy(ResourceArn=arn)["Policy"]), policy)
        # Only the resource policy allows: a user of that account without an identity grant is refused.
        message = self.denied(self.nogrant.list_tags_of_resource, ResourceArn=arn)
        self.assertEqual(message, f"User: arn:aws:iam::{TARGET}:user/nogrant is not authorized to perform: "
                                  f"dynamodb:ListTagsOfResource on resource: {arn} because no identity-based policy "
                                  f"allows the dynamodb:ListTagsOfResource action")
        # Items of another account's table are named by the table's ARN.
        item = self.partner.get_item(TableName=arn, Key={"pk": {"S": "bob"}})["Item"]
        self.assertEqual(item["v"], {"S": "b"})
        self.denied(self.nogrant.get_item, TableName=arn, Key={"pk": {"S": "bob"}})
        self.denied(self.partner.put_item, TableName=arn, Item={"pk": {"S": "x"}})
        self.assertEqual(self.message(self.owner.delete_resource_policy, "PolicyNotFoundException",
                                      ResourceArn=arn, ExpectedRevisionId="1"),
                         f"Resource-based policy not found for the provided ResourceArn: {arn}")
        self.owner.delete_resource_policy(ResourceArn=arn)
        self.denied(self.partner.list_tags_of_resource, ResourceArn=arn)


class CliTest(DynamoTest):
    """Both AWS CLI generations put, get and query items."""

    def test_cli_put_get_query(self):
        clis = cli_commands()
        self.assertTrue(clis, "no AWS CLI found")
        _, key, secret = ACCOUNTS["source"]
        for n, (command, version) in enumerate(clis):
            with self.subTest(cli=version):
                table = f"cli_{n}"

                def run(*args):
                    code, out, err = self.server.cli(command, ["dynamodb", *args], key, secret)
                    self.assertEqual(code, 0, err)
                    return json.loads(out) if out.strip() else {}

                run("create-table", "--table-name", table, "--billing-mode", "PAY_PER_REQUEST",
                    "--attribute-definitions", "AttributeName=pk,AttributeType=S", "AttributeName=sk,AttributeType=N",
                    "--key-schema", "AttributeName=pk,KeyType=HASH", "AttributeName=sk,KeyType=RANGE")
                for sk in ("2", "1"):
                    run("put-item", "--table-name", table, "--item",
                        json.dumps({"pk": {"S": "p"}, "sk": {"N": sk}, "b": {"B": "AAE="}}))
                got = run("get-item", "--table-name", table, "--key", json.dumps({"pk": {"S": "p"}, "sk": {"N": "1"}}))
                # CLI v2 reads blob arguments as base64 (cli_binary_format base64); v1 sends the text's bytes.
                expected = "AAE=" if version.startswith("aws-cli/2.") else "QUFFPQ=="
                self.assertEqual(got["Item"]["b"], {"B": expected})
                out = run("query", "--table-name", table, "--key-condition-expression", "pk = :p",
                          "--expression-attribute-values", json.dumps({":p": {"S": "p"}}))
                self.assertEqual([i["sk"]["N"] for i in out["Items"]], ["1", "2"])
                code, _, err = self.server.cli(command, ["dynamodb", "describe-table", "--table-name", "missing"],
                                               key, secret)
                self.assertNotEqual(code, 0)
                self.assertIn("ResourceNotFoundException", err)


if __name__ == "__main__":
    unittest.main()

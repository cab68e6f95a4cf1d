#!/usr/bin/env python3
"""Real clients against xacct's query and JSON codecs.

A botocore client (the one on PATH behind AWS CLI v1 and boto3, Debian's python3-botocore, or the copy
inside Debian's AWS CLI v2 with --client awscli-v2) calls every operation of IAM, STS, CloudFormation,
Organizations, Glue, Athena, Step Functions and DynamoDB with generated parameters. A before-send
hook stands in for the network: it hands the request bytes the client produced to
xacct_protocol_driver, checks that the decoded input equals what the client was given, encodes a
generated output (or an error) with the driver, and returns it to the client, whose own parser must
read back the same data (lists, maps, nested structures, timestamps, booleans, blobs) or raise
ClientError with the right code, message and status. Scenario cases at the end pin the validation
answers a real client shows.

xacct embeds Debian's (older) botocore models while the clients may carry newer ones: members that
xacct's model lacks are sent but not compared.

Usage: roundtrip_test.py --driver PATH --models BOTOCORE_DATA_DIR [--client botocore|awscli-v2]
"""

import argparse
import base64
import datetime
import glob
import json
import os
import random
import subprocess
import sys
import zlib

SERVICES = ["iam", "sts", "cloudformation", "organizations", "glue", "athena", "stepfunctions", "dynamodb"]
UTC = datetime.timezone.utc
# Characters that stress form encoding, XML escaping and JSON escaping alike.
TRICKY = "a&b<c>\"'x y+z=%/\u00e9\u65e5\t;"
MAX_DEPTH = 5


class Driver:
    """xacct_protocol_driver in batch mode: one JSON request a line, one JSON reply a line."""

    def __init__(self, path):
        self.proc = subprocess.Popen([path, "batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def run(self, **request):
        line = json.dumps(request, ensure_ascii=False).encode("utf-8", "surrogateescape") + b"\n"
        self.proc.stdin.write(line)
        self.proc.stdin.flush()
        reply = self.proc.stdout.readline()
        if not reply:
            raise RuntimeError("the driver exited")
        return json.loads(reply.decode("utf-8", "surrogateescape"))

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


class RawBody:
    def __init__(self, data):
        self.data = data

    def stream(self, **kwargs):
        yield self.data


def epoch(value):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.timestamp()
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value)
    try:
        return float(text)
    except ValueError:
        pass
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    return datetime.datetime.fromisoformat(text).timestamp()


def as_bytes(value):
    if isinstance(value, bytes):
        return value
    return value.encode("utf-8", "surrogateescape")


class Generator:
    """Values for a shape that botocore's own parameter validation accepts."""

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.counter = 0

    def value(self, shape, depth=0, for_output=False):
        kind = shape.type_name
        if kind == "structure":
            if getattr(shape, "is_document_type", False):
                return {"doc": [1, "two"]}
            return self.structure(shape, depth, for_output)
        if kind == "list":
            count = self.count(shape, 2)
            if depth >= MAX_DEPTH:
                count = shape.metadata.get("min", 0)
            return [self.value(shape.member, depth + 1, for_output) for _ in range(count)]
        if kind == "map":
            count = 0 if depth >= MAX_DEPTH else self.count(shape, 2)
            out = {}
            for i in range(count):
                key = self.string(shape.key, suffix=str(i))
                out[key] = self.value(shape.value, depth + 1, for_output)
            return out
        if kind == "string":
            if shape.name == "policyDocumentType":
                self.counter += 1
                return json.dumps({"Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::b/{self.counter}%2F*",
                     "Condition": {"StringEquals": {"aws:PrincipalTag/team": "a+b &c"}}}]})
            return self.string(shape)
        if kind in ("integer", "long"):
            low = shape.metadata.get("min", 0 if kind == "integer" else 2**40)
            high = shape.metadata.get("max", low + 1000)
            return int(min(max(low, 7 if kind == "integer" else 2**40 + 3), high))
        if kind == "boolean":
            self.counter += 1
            return self.counter % 2 == 0
        if kind in ("double", "float"):
            low = shape.metadata.get("min", 0.0)
            high = shape.metadata.get("max", low + 100.0)
            return float(min(max(low, 0.25), high))
        if kind == "timestamp":
            self.counter += 1
            stamp = datetime.datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC) + datetime.timedelta(seconds=self.counter * 61)
            return stamp
        if kind == "blob":
            return b"blob-\x01-ascii" if for_output else b"\x00\xffbytes\x10"
        raise ValueError(f"no generator for {kind}")

    def count(self, shape, wanted):
        low = shape.metadata.get("min", 0)
        high = shape.metadata.get("max", wanted)
        return max(low, min(wanted, high))

    def string(self, shape, suffix=""):
        enum = shape.metadata.get("enum")
        if enum:
            self.counter += 1
            return enum[self.counter % len(enum)]
        low = max(shape.metadata.get("min", 1), 1)
        high = shape.metadata.get("max", 64)
        self.counter += 1
        text = f"{TRICKY}{self.counter}{suffix}"
        while len(text) < low:
            text += "x"
        return text[:max(high, 1)]

    def structure(self, shape, depth, for_output):
        out = {}
        required = set(shape.required_members)
        members = list(shape.members.items())
        if shape.metadata.get("union"):
            members = members[:1]
        for name, member in members:
            if member.serialization.get("location") or member.type_name == "structure" and member.metadata.get("eventstream"):
                continue
            if getattr(member, "serialization", {}).get("streaming"):
                continue
            if depth >= MAX_DEPTH and name not in required:
                continue
            out[name] = self.value(member, depth + 1, for_output)
        return out


class Mismatches:
    def __init__(self):
        self.items = []

    def add(self, path, expected, actual):
        self.items.append(f"{path}: expected {expected!r}, got {actual!r}")


def compare(xshape, expected, actual, path, out, policies=False):
    """Compares a value the client held with what came through xacct, per xacct's model. With
    `policies`, IAM policy documents are expected as botocore hands them out: decoded to a dict."""
    if xshape is None:
        return
    kind = xshape.type_name
    if policies and kind == "string" and xshape.name == "policyDocumentType":
        expected = json.loads(expected)
    if kind == "structure":
        if getattr(xshape, "is_document_type", False):
            if expected != actual:
                out.add(path, expected, actual)
            return
        if not isinstance(actual, dict):
            out.add(path, expected, actual)
            return
        for name, value in expected.items():
            member = xshape.members.get(name)
            if member is None:
                continue  # not in xacct's (older) model
            if name not in actual:
                out.add(f"{path}.{name}", value, "<missing>")
                continue
            compare(member, value, actual[name], f"{path}.{name}", out, policies)
        for name in actual:
            if name != "ResponseMetadata" and name not in expected:
                out.add(f"{path}.{name}", "<absent>", actual[name])
    elif kind == "list":
        if not isinstance(actual, list) or len(actual) != len(expected):
            out.add(path, expected, actual)
            return
        for i, (e, a) in enumerate(zip(expected, actual)):
            compare(xshape.member, e, a, f"{path}[{i}]", out, policies)
    elif kind == "map":
        if not isinstance(actual, dict) or set(actual) != set(expected):
            out.add(path, expected, actual)
            return
        for key, value in expected.items():
            compare(xshape.value, value, actual[key], f"{path}[{key!r}]", out, policies)
    elif kind == "timestamp":
        try:
            same = abs(epoch(expected) - epoch(actual)) < 0.0005
        except (TypeError, ValueError):
            same = False
        if not same:
            out.add(path, expected, actual)
    elif kind == "blob":
        if as_bytes(expected) != as_bytes(actual):
            out.add(path, expected, actual)
    elif kind in ("double", "float"):
        if not isinstance(actual, (int, float)) or abs(float(expected) - float(actual)) > 1e-9:
            out.add(path, expected, actual)
    elif expected != actual or type(expected) is not type(actual):
        out.add(path, expected, actual)


def to_driver_json(value):
    """A Python output value as the JSON the codecs take: timestamps ISO 8601 or epoch, blobs raw."""
    if isinstance(value, dict):
        return {k: to_driver_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_driver_json(v) for v in value]
    if isinstance(value, datetime.datetime):
        seconds = value.timestamp()
        return seconds if int(seconds) % 2 else value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, bytes):
        return value.decode("ascii")
    return value


class Harness:
    def __init__(self, botocore, driver, models_dir, client_name):
        self.botocore = botocore
        self.driver = driver
        self.models_dir = models_dir
        self.client_name = client_name
        self.failures = []
        self.checks = 0
        self.pending = None  # what the before-send hook is to answer

    def xacct_model(self, service_dir):
        paths = sorted(glob.glob(os.path.join(self.models_dir, service_dir, "*", "service-2.json")))
        with open(paths[-1], encoding="utf-8") as f:
            return self.botocore.model.ServiceModel(json.load(f), service_name=service_dir)

    def client(self, service):
        from botocore.config import Config

        session = self.botocore.session.Session()
        # One attempt: a 5xx answer must reach the test, not a retry. The option's name and meaning
        # differ between botocore generations (AWS CLI v2's copy counts attempts in max_attempts).
        retries = {"max_attempts": 1} if self.client_name.startswith("awscli-v2") else {"total_max_attempts": 1}
        config = Config(retries=retries, parameter_validation=True)
        client = session.create_client(
            service, region_name="us-east-1", endpoint_url="http://xacct.invalid:1",
            aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret", config=config)
        client.meta.events.register("before-send", self.before_send)
        return client

    def before_send(self, request, **kwargs):
        pending = self.pending
        body = request.body
        if body is None:
            body = b""
        if hasattr(body, "read"):
            body = body.read()
        if isinstance(body, bytes):
            body = body.decode("utf-8", "surrogateescape")
        pending["sent_body"] = body
        pending["decoded"] = self.driver.run(cmd=pending["decode_cmd"], service=pending["endpoint"],
                                             operation=pending["operation"], body=body,
                                             validate=pending.get("validate", False))
        request_id = "rt-" + pending["operation"]
        query = pending["decode_cmd"] == "decode-query"
        headers = {"x-amzn-RequestId": request_id,
                   "Content-Type": "text/xml" if query else pending["content_type"]}
        error = pending.get("error")
        if error is None and pending.get("respond_with_decode_error") and not pending["decoded"]["ok"]:
            error = pending["decoded"]["error"]
        if error is not None:
            reply = self.driver.run(cmd="encode-error", service=pending["endpoint"], request_id=request_id,
                                    body=json.dumps(error))
            headers.update(reply.get("headers", {}))
            status = error.get("status", 400)
        else:
            reply = self.driver.run(cmd="encode-query" if query else "encode-json", service=pending["endpoint"],
                                    operation=pending["operation"], request_id=request_id,
                                    body=json.dumps(to_driver_json(pending["output"]), ensure_ascii=False))
            status = 200
        if not reply["ok"]:
            raise RuntimeError(f"driver could not encode: {reply}")
        return self.botocore.awsrequest.AWSResponse(request.url, status, headers,
                                                    RawBody(reply["text"].encode("utf-8", "surrogateescape")))

    def fail(self, where, message):
        self.failures.append(f"[{self.client_name}] {where}: {message}")

    def call(self, client, operation, params, **pending):
        model = client.meta.service_model
        self.pending = dict(pending, operation=operation, endpoint=model.endpoint_prefix,
                            decode_cmd="decode-query" if model.protocol == "query" else "decode-json",
                            content_type="application/x-amz-json-" + model.metadata.get("jsonVersion", "1.0"))
        method = getattr(client, self.botocore.xform_name(operation))
        try:
            return method(**params), self.pending
        except self.botocore.exceptions.ClientError as e:
            return e, self.pending

    def roundtrip_service(self, service_dir):
        client = self.client(service_dir)
        cmodel = client.meta.service_model
        xmodel = self.xacct_model(service_dir)
        xops = set(xmodel.operation_names)
        for operation in cmodel.operation_names:
            if operation not in xops:
                continue
            cop = cmodel.operation_model(operation)
            xop = xmodel.operation_model(operation)
            if cop.has_streaming_input or cop.has_streaming_output or cop.has_event_stream_output:
                continue
            gen = Generator(zlib.crc32(f"{service_dir}.{operation}".encode()))
            params = gen.value(cop.input_shape) if cop.input_shape is not None else {}
            output = gen.value(cop.output_shape, for_output=True) if cop.output_shape is not None else {}
            where = f"{service_dir}.{operation}"
            result, pending = self.call(client, operation, params, output=output)
            self.checks += 1
            decoded = pending.get("decoded")
            if decoded is None:
                self.fail(where, "the client sent nothing")
                continue
            if not decoded["ok"]:
                self.fail(where, f"decode failed: {decoded['error']} for body {pending['sent_body'][:300]!r}")
                continue
            mismatches = Mismatches()
            if xop.input_shape is not None:
                compare(xop.input_shape, params, decoded["value"], "input", mismatches)
            if isinstance(result, Exception):
                self.fail(where, f"the client rejected the response: {result}")
                continue
            if xop.output_shape is not None:
                compare(xop.output_shape, output, result, "output", mismatches, policies=service_dir == "iam")
            for item in mismatches.items:
                self.fail(where, item)

    def errors(self, service_dir):
        """Every error a few operations declare comes back as ClientError with its code and status."""
        client = self.client(service_dir)
        cmodel = client.meta.service_model
        xmodel = self.xacct_model(service_dir)
        seen = set()
        for operation in sorted(set(cmodel.operation_names) & set(xmodel.operation_names)):
            cop = cmodel.operation_model(operation)
            if cop.has_streaming_input or cop.has_event_stream_output:
                continue
            for shape in xmodel.operation_model(operation).error_shapes:
                code = shape.error_code or shape.name
                if code in seen:
                    continue
                seen.add(code)
                status = shape.metadata.get("error", {}).get("httpStatusCode", 500 if shape.metadata.get("fault") else 400)
                sender = status < 500
                message = f"{code} <&> 'message' \u00e9"
                gen = Generator(zlib.crc32(operation.encode()))
                params = gen.value(cop.input_shape) if cop.input_shape is not None else {}
                result, _ = self.call(client, operation, params,
                                      error={"code": code, "message": message, "status": status, "sender": sender})
                self.checks += 1
                where = f"{service_dir}.{operation} error {code}"
                if not isinstance(result, self.botocore.exceptions.ClientError):
                    self.fail(where, f"no ClientError: {result!r}")
                    continue
                err = result.response.get("Error", {})
                meta = result.response.get("ResponseMetadata", {})
                if err.get("Code") != code or err.get("Message") != message:
                    self.fail(where, f"parsed as {err}")
                if meta.get("HTTPStatusCode") != status:
                    self.fail(where, f"status {meta.get('HTTPStatusCode')}, expected {status}")
                if meta.get("RequestId") != "rt-" + operation:
                    self.fail(where, f"request id {meta.get('RequestId')}")
                if cmodel.protocol == "query" and err.get("Type") != ("Sender" if sender else "Receiver"):
                    self.fail(where, f"type {err.get('Type')}")

    def scenarios(self):
        """Validation answers as a client shows them: the request passes the client's own checks and
        xacct rejects it with AWS's code and wording."""
        cases = [
            ("iam", "CreateRole", {"RoleName": "my role", "AssumeRolePolicyDocument": "{}"}, "ValidationError",
             "1 validation error detected: Value 'my role' at 'roleName' failed to satisfy constraint: Member must "
             "satisfy regular expression pattern: [\\w+=,.@-]+"),
            ("iam", "CreateRole", {"RoleName": "r", "AssumeRolePolicyDocument": "{}", "MaxSessionDuration": 1000000},
             "ValidationError",
             "1 validation error detected: Value at 'maxSessionDuration' failed to satisfy constraint: Member must "
             "have value less than or equal to 43200"),
            ("sts", "AssumeRole", {"RoleArn": "arn:aws:iam::123456789012:role/demo", "RoleSessionName": "bad name"},
             "ValidationError",
             "1 validation error detected: Value 'bad name' at 'roleSessionName' failed to satisfy constraint: Member "
             "must satisfy regular expression pattern: [\\w+=,.@-]*"),
            ("organizations", "DescribeAccount", {"AccountId": "12345"}, "ValidationException",
             "1 validation error detected: Value '12345' at 'accountId' failed to satisfy constraint: Member must "
             "satisfy regular expression pattern: ^\\d{12}$"),
            ("dynamodb", "Query", {"TableName": "Music", "Select": "EVERYTHING"}, "ValidationException",
             "1 validation error detected: Value 'EVERYTHING' at 'select' failed to satisfy constraint: Member must "
             "satisfy enum value set: [ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES, COUNT, SPECIFIC_ATTRIBUTES]"),
        ]
        for service_dir, operation, params, code, message in cases:
            client = self.client(service_dir)
            result, pending = self.call(client, operation, params, validate=True, respond_with_decode_error=True,
                                        output={})
            self.checks += 1
            where = f"scenario {service_dir}.{operation} {params}"
            if isinstance(result, self.botocore.exceptions.ParamValidationError):
                self.fail(where, f"the client refused it: {result}")
            elif not isinstance(result, self.botocore.exceptions.ClientError):
                self.fail(where, f"accepted: {pending.get('decoded')}")
            else:
                err = result.response["Error"]
                if err.get("Code") != code or err.get("Message") != message:
                    self.fail(where, f"parsed as {err}")
                if result.response["ResponseMetadata"]["HTTPStatusCode"] != 400:
                    self.fail(where, "status is not 400")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--driver", required=True)
    parser.add_argument("--models", required=True)
    parser.add_argument("--client", choices=["botocore", "awscli-v2"], default="botocore")
    args = parser.parse_args()
    if args.client == "awscli-v2":
        import awscli  # noqa: F401  (makes "botocore" the copy inside AWS CLI v2)
    import botocore
    import botocore.awsrequest
    import botocore.exceptions
    import botocore.model
    import botocore.session
    from botocore import xform_name  # noqa: F401

    botocore.xform_name = botocore.xform_name
    label = f"{args.client} {botocore.__version__}"
    driver = Driver(args.driver)
    harness = Harness(botocore, driver, args.models, label)
    try:
        for service in SERVICES:
            harness.roundtrip_service(service)
            harness.errors(service)
        harness.scenarios()
    finally:
        driver.close()
    for failure in harness.failures:
        print(failure)
    print(f"{label}: {harness.checks} exchanges, {len(harness.failures)} failures")
    return 1 if harness.failures or harness.checks < 500 else 0


if __name__ == "__main__":
    sys.exit(main())

"""Starts the real `xacct serve` on a free loopback port with a temporary data directory, and gives tests
real clients: boto3 sessions and AWS CLI runs (every CLI generation found on this machine)."""
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

import boto3
import botocore.config

XACCT = os.environ.get("XACCT_BIN", os.path.join(os.path.dirname(__file__), "..", "..", "build", "xacct"))
REGION = "ap-northeast-1"
ACCOUNTS = {
    "management": ("999999999999", "AKIAMANAGEMENT000001", "xacct/management/root/secret/key/000000001"),
    "source": ("111111111111", "AKIASOURCE0000000001", "xacct/source/root/secret/key/00000000001"),
    "target": ("222222222222", "AKIATARGET0000000001", "xacct/target/root/secret/key/00000000001"),
    "outsider": ("333333333333", "AKIAOUTSIDER00000001", "xacct/outsider/root/secret/key/0000000001"),
}


def cli_commands():
    """Every AWS CLI generation on this machine: the image's v1 (`aws` on PATH) and Debian's v2."""
    found, versions = [], set()
    for candidate in [shutil.which("aws"), "/usr/bin/aws"]:
        if not candidate or not os.path.exists(candidate):
            continue
        out = subprocess.run([candidate, "--version"], capture_output=True, text=True)
        version = (out.stdout + out.stderr).split(" ")[0]
        if version and version not in versions:
            versions.add(version)
            found.append((candidate, version))
    return found


class Server:
    def __init__(self, config_text=None, extra_args=()):
        self.dir = tempfile.mkdtemp(prefix="xacct-test-")
        self.data_dir = os.path.join(self.dir, "data")
        self.args = [XACCT, "serve", "--port", "0", "--data-dir", self.data_dir, *extra_args]
        if config_text is not None:
            path = os.path.join(self.dir, "config.yaml")
            with open(path, "w") as f:
                f.write(config_text)
            self.args += ["--config", path]
        self.proc = None
        self.port = None

    def start(self):
        # Under AddressSanitizer, freed memory waits in a quarantine (256 MB by default) that would count
        # towards the resident size the streaming test measures; a small one keeps that test meaningful.
        env = dict(os.environ)
        env.setdefault("ASAN_OPTIONS", "quarantine_size_mb=16")
        self.proc = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        line = self.proc.stdout.readline()
        if "ready on http://" not in line:
            raise RuntimeError("xacct serve did not start: " + line + self.proc.stderr.read())
        self.port = int(line.split("ready on http://")[1].split(" ")[0].rsplit(":", 1)[1])
        self.endpoint = f"http://127.0.0.1:{self.port}"
        return self

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc:
            self.proc.stdout.close()
            self.proc.stderr.close()
        return self.proc.returncode if self.proc else None

    def restart(self):
        """Stops the server cleanly and starts it again on the same data directory (a new port)."""
        code = self.stop()
        assert code == 0, f"xacct serve exited with {code} on SIGTERM"
        return self.start()

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def client(self, service, key_id, secret, token=None, region=REGION):
        return boto3.session.Session(
            aws_access_key_id=key_id, aws_secret_access_key=secret, aws_session_token=token, region_name=region
        ).client(service, endpoint_url=self.endpoint,
                 config=botocore.config.Config(retries={"max_attempts": 1}))

    def root(self, service, account_name):
        _, key, secret = ACCOUNTS[account_name]
        return self.client(service, key, secret)

    def cli(self, command, args, key_id, secret, token=None):
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update({"AWS_ACCESS_KEY_ID": key_id, "AWS_SECRET_ACCESS_KEY": secret, "AWS_DEFAULT_REGION": REGION,
                    "AWS_MAX_ATTEMPTS": "1", "AWS_PAGER": "", "AWS_CONFIG_FILE": "/dev/null",
                    "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"})
        if token:
            env["AWS_SESSION_TOKEN"] = token
        out = subprocess.run([command, "--endpoint-url", self.endpoint, "--output", "json", *args],
                             capture_output=True, text=True, env=env, timeout=60)
        return out.returncode, out.stdout, out.stderr


class ServerTest(unittest.TestCase):
    """A test class with one server for all its tests."""
    config_text = None
    extra_args = ()

    @classmethod
    def setUpClass(cls):
        cls.server = Server(cls.config_text, cls.extra_args).start()

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        cls.server.cleanup()
        assert code == 0, f"xacct serve exited with {code} on SIGTERM"


def trust_policy(principal):
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}]})


def allow(actions, resources="*"):
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": actions, "Resource": resources}]})

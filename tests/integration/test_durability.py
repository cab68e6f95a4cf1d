"""An acknowledged write survives kill -9 (DESIGN.md "Data on disk"): a burst of IAM writes (and of S3
PUTs), the server killed in the middle, a restart on the same data directory, and every acknowledged user
and object is there; no object is visible with part of its bytes, and no unnamed blob is left behind."""
import hashlib
import os
import signal
import threading
import time
import unittest

import botocore.exceptions

from harness import Server


def writes_until_killed(server, service, write, prefixes):
    """One writer thread per prefix calls write(client, name) with names prefix-0, prefix-1, ... while the
    server runs; the server is killed with -9 in the middle. Returns the names whose write was acknowledged."""
    acknowledged = []
    stop = threading.Event()

    def writer(prefix):
        client = server.root(service, "source")
        i = 0
        while not stop.is_set():
            name = f"{prefix}-{i}"
            try:
                write(client, name)
            except Exception:  # the server died mid-request: not acknowledged
                return
            acknowledged.append(name)
            i += 1

    threads = [threading.Thread(target=writer, args=(p,)) for p in prefixes]
    for t in threads:
        t.start()
    time.sleep(1.5)
    server.proc.send_signal(signal.SIGKILL)
    server.proc.wait()
    stop.set()
    for t in threads:
        t.join()
    return acknowledged


def restart_on_same_data(server):
    """A new server on the killed one's data directory."""
    restarted = Server()
    restarted.cleanup()  # the restart reuses the first server's data directory
    restarted.dir, restarted.data_dir, restarted.args = server.dir, server.data_dir, list(server.args)
    return restarted.start()


class KillNineTest(unittest.TestCase):
    def test_acknowledged_iam_writes_survive_kill_9(self):
        server = Server().start()
        try:
            acknowledged = writes_until_killed(server, "iam", lambda iam, name: iam.create_user(UserName=name),
                                               ("a", "b"))
            self.assertGreater(len(acknowledged), 10, "too few writes before the kill to mean anything")

            restarted = restart_on_same_data(server)
            try:
                iam = restarted.root("iam", "source")
                names = set()
                for page in iam.get_paginator("list_users").paginate():
                    names.update(u["UserName"] for u in page["Users"])
                missing = [n for n in acknowledged if n not in names]
                self.assertEqual(missing, [], f"{len(missing)} acknowledged writes lost of {len(acknowledged)}")
            finally:
                self.assertEqual(restarted.stop(), 0)
        finally:
            if server.proc.poll() is None:
                server.proc.kill()
            server.cleanup()


def body_of(key):
    """Each object's bytes follow from its key, so a torn object cannot pass for a whole one."""
    seed = hashlib.sha256(key.encode()).digest()
    return seed * (4096 + (seed[0] * 97))


class S3KillNineTest(unittest.TestCase):
    def test_acknowledged_puts_survive_kill_9_and_no_partial_object_is_visible(self):
        server = Server().start()
        try:
            s3 = server.root("s3", "source")
            s3.create_bucket(Bucket="storm", CreateBucketConfiguration={"LocationConstraint": "ap-northeast-1"})
            acknowledged = writes_until_killed(
                server, "s3", lambda client, key: client.put_object(Bucket="storm", Key=key, Body=body_of(key)),
                ("a", "b", "c"))
            self.assertGreater(len(acknowledged), 10, "too few writes before the kill to mean anything")

            restarted = restart_on_same_data(server)
            try:
                s3 = restarted.root("s3", "source")
                keys = []
                for page in s3.get_paginator("list_objects_v2").paginate(Bucket="storm"):
                    keys.extend(o["Key"] for o in page.get("Contents", []))
                missing = [k for k in acknowledged if k not in keys]
                self.assertEqual(missing, [], f"{len(missing)} acknowledged PUTs lost of {len(acknowledged)}")
                for key in keys:  # acknowledged or not, whatever is listed is whole
                    self.assertEqual(s3.get_object(Bucket="storm", Key=key)["Body"].read(), body_of(key), key)
                blobs = [n for _, _, files in os.walk(os.path.join(server.data_dir, "blobs")) for n in files]
                self.assertEqual(len(blobs), len(keys), "blobs no object names were left after the restart")
            finally:
                self.assertEqual(restarted.stop(), 0)
        finally:
            if server.proc.poll() is None:
                server.proc.kill()
            server.cleanup()


if __name__ == "__main__":
    unittest.main()

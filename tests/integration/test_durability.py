"""An acknowledged write survives kill -9 (DESIGN.md "Data on disk"): a burst of IAM writes, the server
killed in the middle, a restart on the same data directory, and every acknowledged user is there."""
import signal
import threading
import time
import unittest

import botocore.exceptions

from harness import Server


class KillNineTest(unittest.TestCase):
    def test_acknowledged_iam_writes_survive_kill_9(self):
        server = Server().start()
        try:
            acknowledged = []
            stop = threading.Event()

            def burst(prefix):
                iam = server.root("iam", "source")
                i = 0
                while not stop.is_set():
                    name = f"{prefix}-{i}"
                    try:
                        iam.create_user(UserName=name)
                    except Exception:  # the server died mid-request: not acknowledged
                        return
                    acknowledged.append(name)
                    i += 1

            threads = [threading.Thread(target=burst, args=(p,)) for p in ("a", "b")]
            for t in threads:
                t.start()
            time.sleep(1.5)
            server.proc.send_signal(signal.SIGKILL)
            server.proc.wait()
            stop.set()
            for t in threads:
                t.join()
            self.assertGreater(len(acknowledged), 10, "too few writes before the kill to mean anything")

            restarted = Server()
            restarted.cleanup()  # the restart reuses the first server's data directory
            restarted.dir, restarted.data_dir, restarted.args = server.dir, server.data_dir, list(server.args)
            restarted.start()
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


if __name__ == "__main__":
    unittest.main()

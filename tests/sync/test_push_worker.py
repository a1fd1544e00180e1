"""The push as the terminal UI will run it: outbox_push on a worker thread
with its own store connection (tests/sync/outbox-worker.c). Through a slow
link (a fault proxy delaying every chunk) the push takes a while, and
sales rung up meanwhile by `pos sell` commit at their usual speed: no
write lock is held while a request is on the network. A push stops at the
head it started from; the next one takes the rest. Setting the cancel
flag ends a push stuck on a blackhole at once.

Usage: python3 test_push_worker.py POS_CENTRAL POS DUMP_BATCH WORKER MODULE
"""

import json
import os
import subprocess
import sys
import time

import faultproxy
import pushharness as h

WORKER = MODULE = None


class PushWorker(h.PushTestCase):

    def worker(self, db, url, tf, cancel_ms=None, env=None):
        e = dict(self.env)
        e.update({"POS_SYNC_URL": url, "POS_SYNC_TOKEN_FILE": tf,
                  "POS_SYNC_MODULE": MODULE})
        e.update(env or {})
        argv = [WORKER, db] + ([str(cancel_ms)] if cancel_ms is not None
                               else [])
        return subprocess.Popen(argv, env=e, cwd=self.tmp,
                                stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)

    def test_sales_go_on_during_a_slow_background_push(self):
        tf = self.token_file(self.init_central()["DMS01"])
        win = self.make_window("w1", "DMS01", 1, close=False)
        for _ in range(6):
            self.sell(win)
        start = self.window_head(win)["entries"]
        srv = self.serve()
        proxy = faultproxy.FaultProxy((srv.host, srv.port))
        self.addCleanup(proxy.close)
        # Slow enough that the push outlasts the five sales, which take
        # longer on a slow build: the delay scales with them.
        proxy.set("delay", h.scaled(0.05))
        p = self.worker(win, proxy.url, tf, env={"POS_SYNC_BATCH": "1"})
        slowest = 0.0
        for _ in range(5):
            t0 = time.monotonic()
            self.sell(win)
            slowest = max(slowest, time.monotonic() - t0)
        running = p.poll() is None
        out, err = p.communicate(timeout=h.scaled(60))
        self.assertEqual(p.returncode, 0, err)
        self.assertTrue(running, "the push ended before the sales")
        self.assertLess(slowest, h.scaled(1.0))
        j = json.loads(out)
        self.assertTrue(j["ok"])
        self.assertGreaterEqual(j["acked_through"], start)
        self.assertEqual(j["unsynced"], start + 5 - j["acked_through"])
        self.note("5 sales during a background push of %d one-entry "
                  "batches: slowest %.0f ms" % (j["sent"], slowest * 1000))
        proxy.set("pass")
        self.sync_ok(win, proxy.url, tf)
        self.assert_central_equals_window(win, "DMS01", 1)

    def test_cancel_ends_a_stuck_push(self):
        tf = self.token_file(self.init_central()["DMS01"])
        win = self.make_window("w1", "DMS01", 1, close=False)
        srv = self.serve()
        proxy = faultproxy.FaultProxy((srv.host, srv.port))
        self.addCleanup(proxy.close)
        proxy.set("blackhole")
        t0 = time.monotonic()
        p = self.worker(win, proxy.url, tf, cancel_ms=300)
        out, err = p.communicate(timeout=h.scaled(30))
        dt = time.monotonic() - t0
        self.assertEqual(p.returncode, 1, err)
        self.assertIn("canceled", json.loads(out)["error"])
        self.assertLess(dt, 0.3 + h.scaled(2.7))
        self.note("blackholed push canceled after 300 ms: ended in %.2fs"
                  % dt)

    def test_the_background_push_sends_the_windows_own_rows(self):
        tf = self.token_file(self.init_central()["DMS01"])
        win = self.make_window("w1", "DMS01", 1, day=False)
        self.pos(win, ["producer", "add", "UMM-AHMAD", "أم أحمد"])
        srv = self.serve()
        p = self.worker(win, self.url(srv), tf)
        out, err = p.communicate(timeout=h.scaled(60))
        self.assertEqual(p.returncode, 0, err)
        j = json.loads(out)
        self.assertEqual((j["ok"], j["local"]["sent"]), (True, True), j)
        pl = self.central(["producer", "list"], json_out=True)
        self.assertIn(("UMM-AHMAD", "DMS01", 1),
                      [(x["code"], x["branch"], x["terminal"])
                       for x in pl["local"]])
        self.note("a background push (worker thread) sends the window's "
                  "own producers after the journal")


if __name__ == "__main__":
    if len(sys.argv) < 6:
        sys.stderr.write(__doc__.strip().splitlines()[-1] + "\n")
        sys.exit(2)
    WORKER, MODULE = (os.path.abspath(a) for a in sys.argv[4:6])
    del sys.argv[4:6]
    h.main()

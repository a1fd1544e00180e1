"""Network faults between the window and pos-central, through a fault proxy
(tests/sync/faultproxy.py): a delay past the deadline, a request cut after
N bytes, an answer cut after N bytes (the server has committed, the client
never hears it), a reset, a reset mid-answer and a blackhole. For each,
`pos sync` fails cleanly (exit 1, a reason, bounded time) and succeeds once
the fault is cleared; afterwards the central store equals the window
(entry count, chain head, verify) and no entry is stored twice.

Then pos-central is killed by PID (SIGKILL) in the middle of a push twenty
times, restarted on the same store on a new port each time, with sales in
between; in the end central == window exactly."""

import os
import random
import signal
import subprocess
import time

import faultproxy
import pushharness as h
from testtime import scaled, wait_until

DEADLINE = "3"   # POS_SYNC_DEADLINE for the fault runs, seconds
# The pushes that must succeed get a deadline scaled for slow builds: on a
# sanitizer build and a busy machine one request can take seconds.
HEAL_DEADLINE = str(round(scaled(10)))


class PushFaults(h.PushTestCase):

    def setUp(self):
        super().setUp()
        self.tok = self.init_central(("DMS01",))["DMS01"]
        self.tf = self.token_file(self.tok)
        self.win = self.make_window("w1", "DMS01", 1, close=False)

    def test_each_fault_fails_cleanly_then_heals(self):
        srv = self.serve()
        proxy = faultproxy.FaultProxy((srv.host, srv.port))
        self.addCleanup(proxy.close)
        env = {"POS_SYNC_DEADLINE": DEADLINE, "POS_SYNC_BATCH": "4"}
        heal = dict(env, POS_SYNC_DEADLINE=HEAL_DEADLINE)
        faults = [("delay", 5), ("drop_up", 40), ("drop_up", 400),
                  ("drop_down", 20), ("drop_down", 200), ("reset", 0),
                  ("reset_down", 100), ("blackhole", 0)]
        for mode, arg in faults:
            for _ in range(3):
                self.sell(self.win, ["P1", "P2*0.5"])
            proxy.set(mode, arg)
            rc, j, err, dt = self.sync(self.win, proxy.url, self.tf, env=env)
            self.assertEqual(rc, 1, "%s %s: %s %s" % (mode, arg, j, err))
            self.assertFalse(j["ok"])
            self.assertTrue(j["error"], j)
            self.assertIn("pos: sync: ", err)
            # The deadline, and some slack for starting pos.
            self.assertLess(dt, float(DEADLINE) + scaled(3), (mode, arg, dt))
            st = self.status(self.win)
            self.assertIsNotNone(st["last_error"])
            self.assertGreater(st["unsynced"], 0)
            self.note("%s %s: exit 1 in %.1fs: %s" % (mode, arg, dt,
                                                     j["error"][:90]))
            proxy.set("pass")
            j = self.sync_ok(self.win, proxy.url, self.tf, env=heal)
            self.assert_central_equals_window(self.win, "DMS01", 1)
            st = self.status(self.win)
            self.assertIsNone(st["last_error"])
            self.assertEqual(st["unsynced"], 0)
        self.note("every fault healed; central == window, no entry twice")

    def test_default_deadline_bounds_a_blackhole(self):
        srv = self.serve()
        proxy = faultproxy.FaultProxy((srv.host, srv.port))
        self.addCleanup(proxy.close)
        proxy.set("blackhole")
        rc, j, err, dt = self.sync(self.win, proxy.url, self.tf)
        self.assertEqual(rc, 1, err)
        self.assertLess(dt, 10.0 + scaled(2))    # OUTBOX_DEADLINE_MS
        self.assertIn("timed out", j["error"])
        self.note("blackhole with the default deadline: exit 1 in %.1fs" % dt)

    def test_kill_central_mid_batch_twenty_times(self):
        # The proxy slows each request a little (15 ms a chunk) so that a
        # push of a few one-entry batches takes long enough to be cut. The
        # kill comes a random 30-150 ms after the push has connected (not
        # after pos was started: that alone can take longer on a sanitizer
        # build, and every kill would then land before the push).
        rng = random.Random(4)
        proxy = None
        env = {"POS_SYNC_DEADLINE": "1", "POS_SYNC_BATCH": "1"}
        cut = partial = 0
        # Only a push moves acked_through: each round starts where the
        # previous one's status left it.
        before = self.status(self.win)["acked_through"]
        for i in range(20):
            for _ in range(4):
                self.sell(self.win, ["P1"])
            srv = self.serve()
            if proxy is None:
                proxy = faultproxy.FaultProxy((srv.host, srv.port))
                self.addCleanup(proxy.close)
                proxy.set("delay", 0.015)
            proxy.retarget((srv.host, srv.port))
            connections = proxy.connections
            e = dict(self.env)
            e.update(env)
            e.update({"POS_SYNC_URL": proxy.url,
                      "POS_SYNC_TOKEN_FILE": self.tf})
            p = subprocess.Popen([h.h.POS, "--db", self.win, "--json",
                                  "sync"], env=e, cwd=self.tmp,
                                 stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE)
            wait_until(lambda: proxy.connections > connections or
                       p.poll() is not None, 30, interval=0.005)
            time.sleep(rng.uniform(0.03, 0.15))
            os.kill(srv.proc.pid, signal.SIGKILL)
            srv.proc.wait(scaled(10))
            out, err = p.communicate(timeout=scaled(30))
            self.assertIn(p.returncode, (0, 1), err)
            st = self.status(self.win)
            if p.returncode == 1:
                cut += 1
                self.assertIn(b"pos: sync: ", err)
                if before < st["acked_through"] < st["head_seq"]:
                    partial += 1
            else:
                self.assertEqual(st["unsynced"], 0)
            before = st["acked_through"]
            # Killed on purpose: its cleanup must not expect exit 0.
            srv.stop = lambda: 0
        srv = self.serve()
        self.sync_ok(self.win, self.url(srv), self.tf)
        v = self.assert_central_equals_window(self.win, "DMS01", 1)
        self.assertEqual(self.counts()[0], v["entries"])
        self.assertEqual(self.counts()[0], self.counts()[3])
        self.assertGreater(cut, 0)
        self.note("20 SIGKILLs of pos-central: %d pushes cut, %d of them "
                  "after some batches were acked; central == window: %d "
                  "entries, head %s" % (cut, partial, v["entries"],
                                        v["head"][:16]))


if __name__ == "__main__":
    h.main()

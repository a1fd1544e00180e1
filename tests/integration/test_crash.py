"""kill -9 at random moments while `pos sell` runs: nothing reported done
is lost, nothing is half-written.

A driver starts `pos --json sell` over and over and sends SIGKILL to most
of them after a random delay, from before the store opens to after the
commit. Afterwards: every sale whose command printed its JSON and exited 0
is in the journal with the same receipt and uuid; every sale in the
journal has its lines and payments; seq and receipt numbers are gapless;
`pos verify` is ok; the producers' report sums to the day's net. After
every kill, `pos show --last` prints the last sale committed (the one a
killed run may have saved without showing it), as the journal has it.

POS_CRASH_ROUNDS sets the number of kills (100 by default; the long run,
ctest -L long, uses 1000).
"""
import json
import os
import random
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import posharness  # noqa: E402
from posharness import PosTestCase, receipt  # noqa: E402


class Crash(PosTestCase):

    def test_sales_survive_kill_9_at_random_moments(self):
        rounds = int(os.environ.get("POS_CRASH_ROUNDS", "100"))
        self.init_store()
        self.add_users()
        self.ok(["producer", "add", "F1", "أسرة الحلبي"])
        self.ok(["producer", "add", "F2", "Zaki"])
        self.ok(["product", "add", "A", "مربى", "1500", "--producer", "F1"])
        self.ok(["product", "add", "B", "زيت", "40000", "--unit", "kg",
                 "--producer", "F1"])
        self.ok(["product", "add", "C", "Bowl", "25000", "--producer", "F2"])
        self.ok(["day", "open", "--user", "ali", "--float", "0"])
        rng = random.Random(int(os.environ.get("POS_CRASH_SEED", "20261201")))
        argv = [posharness.POS, "--db", self.db, "--json", "sell",
                "--no-print", "--user", "ali", "A*2", "B*0.250", "C",
                "--discount", "7"]
        done = {}
        killed = unseen = 0
        last = None
        t0 = time.monotonic()
        while killed < rounds:
            p = subprocess.Popen(argv, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, env=self.env)
            # Most runs die somewhere between exec and exit (about 5-15 ms).
            if rng.random() < 0.85:
                time.sleep(rng.uniform(0, 0.015))
                try:
                    p.send_signal(signal.SIGKILL)
                except ProcessLookupError:
                    pass
            out, err = p.communicate(timeout=posharness.scaled(30))
            if p.returncode == -signal.SIGKILL:
                killed += 1
                want = self.journal_last_sale()
                if want is None:
                    self.fails(["show", "--last"], 2, "nothing")
                    got = None
                else:
                    shown = self.j(["show", "--last"])
                    got = (shown["receipt"], shown["uuid"])
                self.assertEqual(got, want, "show --last after kill %d"
                                 % killed)
                if got != last:
                    unseen += 1     # committed, never confirmed
                last = got
                continue
            self.assertEqual(p.returncode, 0, err.decode())
            s = json.loads(out)
            done[s["receipt"]] = s["uuid"]
            last = (s["receipt"], s["uuid"])
        took = time.monotonic() - t0
        self.note("%d runs killed, %d reported done, in %.1f s"
                  % (killed, len(done), took))
        self.note("after each kill show --last was the journal's last sale; "
                  "%d killed runs had committed a sale they never showed"
                  % unseen)

        v = self.j(["verify"])
        self.assertTrue(v["ok"], v)
        n = v["entries"]
        rows = self.sqlite("SELECT seq, receipt, uuid, kind, total FROM journal"
                           " ORDER BY seq")[1].split("\n")
        rows = [r.split("|") for r in rows if r]
        self.assertEqual(len(rows), n)
        self.assertEqual([int(r[0]) for r in rows], list(range(1, n + 1)),
                         "seq is gapless")
        self.assertEqual([r[1] for r in rows],
                         [receipt(i) for i in range(1, n + 1)],
                         "receipt numbers are gapless")
        stored = {r[1]: r[2] for r in rows}
        for rc, uu in done.items():
            self.assertEqual(stored.get(rc), uu, "reported sale %s lost" % rc)
        self.note("every one of the %d sales reported done is in the "
                  "journal, seq and receipts gapless, verify ok" % len(done))
        partial = self.sqlite(
            "SELECT j.seq FROM journal j WHERE j.kind = 'sale' AND ("
            " (SELECT count(*) FROM journal_lines l WHERE l.seq = j.seq) != 3"
            " OR (SELECT count(*) FROM journal_payments p WHERE p.seq = j.seq)"
            " != 1 OR j.total != (SELECT sum(net) FROM journal_lines l"
            "  WHERE l.seq = j.seq))")[1].strip()
        self.assertEqual(partial, "", "sales without all their lines")
        self.note("no sale is missing a line or its payment")
        ic = self.sqlite("PRAGMA integrity_check")[1].strip()
        self.assertEqual(ic, "ok")
        x = self.j(["report", "x"])
        prod = self.j(["report", "producers"])
        self.assertEqual(x["sales_count"], n - 1)
        self.assertEqual(sum(int(p["net"]) for p in prod["producers"]),
                         int(x["net"]))
        self.assertEqual(int(x["net"]), (n - 1) * (3000 + 10000 + 25000 - 7))
        self.note("producers' nets sum to the day's net, %s" % x["net"])


    def journal_last_sale(self):
        """(receipt, uuid) of the newest sale, read by sqlite3, or None."""
        row = self.sqlite("SELECT receipt, uuid FROM journal WHERE kind ="
                          " 'sale' ORDER BY seq DESC LIMIT 1")[1].strip()
        return tuple(row.split("|")) if row else None


if __name__ == "__main__":
    posharness.main()

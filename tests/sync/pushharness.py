"""Helpers for the push-client tests: the real `pos sync` (libcurl, through
the dlopen()ed network module) against the real pos-central on loopback.

Builds on centralharness: the same temporary directory, environment,
window stores and server start/stop by PID. The window is pointed at the
server with POS_SYNC_URL and POS_SYNC_TOKEN_FILE (the [sync] keys through
the environment layer), so one store can be pushed to any server.

Usage: python3 test_x.py POS_CENTRAL POS DUMP_BATCH [unittest options]
"""

import json
import os
import socket
import time

import centralharness as h
from testtime import scaled, wait_until  # noqa: F401 (for the tests too)

KEYS = ("sold", "refunded", "net", "paid_out", "balance", "owed")


class PushTestCase(h.CentralTestCase):

    def token_file(self, token, name=None):
        path = os.path.join(self.tmp, name or ("token-%s" % token[:8]))
        with open(path, "w") as f:
            f.write("  %s\n" % token)   # trimmed by the client
        return path

    def sync(self, db, url, token_file, args=(), env=None, timeout=60):
        """pos --json sync ARGS: (rc, parsed JSON or None, stderr, seconds)."""
        e = {"POS_SYNC_URL": url, "POS_SYNC_TOKEN_FILE": token_file}
        e.update(env or {})
        t0 = time.monotonic()
        rc, out, err = self.run_prog([h.POS, "--db", db, "--json", "sync"] +
                                     list(args), env=e, timeout=timeout)
        dt = time.monotonic() - t0
        try:
            j = json.loads(out)
        except ValueError:
            j = None
        return rc, j, err, dt

    def sync_ok(self, db, url, token_file, env=None):
        rc, j, err, dt = self.sync(db, url, token_file, env=env)
        self.assertEqual(rc, 0, "pos sync: exit %d\n%s\n%s" % (rc, j, err))
        self.assertTrue(j["ok"], j)
        self.assertEqual(j["unsynced"], 0, j)
        return j

    def status(self, db, env=None):
        return self.pos(db, ["sync", "--status"], env=env, json_out=True)

    def sell(self, db, items=("P1",), env=None):
        return self.pos(db, ["sell", "--user", "ali", "--no-print"] +
                        list(items), env=env, json_out=True)

    @staticmethod
    def dead_url():
        """A loopback URL nobody listens on (bound, then closed)."""
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        return "http://127.0.0.1:%d" % port

    def url(self, srv):
        return "http://%s" % srv.addr

    def central_chain(self, branch, terminal):
        """(entries, head, distinct uuids) of one chain in the central store."""
        where = "branch = '%s' AND terminal = %d" % (branch, int(terminal))
        n, uuids = self.sql("SELECT count(*), count(DISTINCT uuid) FROM"
                            " entries WHERE " + where)[0]
        row = self.sql("SELECT hash FROM entries WHERE " + where +
                       " ORDER BY seq DESC LIMIT 1")
        return int(n), (row[0][0] if row else "0" * 64), int(uuids)

    def assert_central_equals_window(self, db, branch, terminal):
        v = self.window_head(db)
        self.assertTrue(v["ok"], v)
        n, head, uuids = self.central_chain(branch, terminal)
        self.assertEqual((n, head, uuids), (v["entries"], v["head"],
                                             v["entries"]))
        cv = self.central(["verify"], json_out=True)
        self.assertTrue(cv["ok"], cv)
        return v

    def window_producers(self, dbs, date=None):
        want = {}
        for w in dbs:
            r = self.pos(w, ["report", "producers"] +
                         (["--date", date] if date else []), json_out=True)
            for p in r["producers"]:
                acc = want.setdefault(p["code"], dict.fromkeys(KEYS, 0))
                for k in KEYS:
                    acc[k] += int(p[k])
        return want

    def central_producers(self, args=()):
        cr = self.central(["report", "producers"] + list(args),
                          json_out=True)
        return {p["code"]: {k: int(p[k]) for k in KEYS}
                for p in cr["producers"]}


def main():
    h.main()

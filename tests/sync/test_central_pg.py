"""Several pos-central servers on one PostgreSQL database (issue "The
central store on PostgreSQL"): 6 windows x 2 terminals push their chains
concurrently, each batch to a randomly chosen server (some to both at
once, so two servers store the same chain at the same moment); then the
central store equals the windows (entries, per-producer nets, chain heads)
and `verify` is ok. Faults: PostgreSQL stopped mid-push and started again
(/healthz says 503 meanwhile); one of the two servers killed with SIGKILL
mid-batch ten times. Afterwards nothing is lost and nothing is stored
twice. And `migrate` from a SQLite store of 3 branches: reports equal
before and after, a second run copies nothing.

The windows' chains are made here, sealed with the reference hash of
sync/ledger/CANONICAL.md (test_central_checks.seal), so that a chain can be
long enough to be cut mid-batch; the real window's push client runs on
PostgreSQL in every test_push_*_pg.
"""

import http.client
import json
import os
import random
import signal
import threading
import time
import unittest
import uuid

import centralharness as h
import pgcluster
from test_central_checks import GENESIS, seal
from testtime import scaled, wait_until

BRANCHES = ["B%02d" % i for i in range(1, 7)]
TERMINALS = (1, 2)
PRODUCERS = [("F%02d" % i, "منتج %d" % i) for i in range(1, 6)]


def make_chain(bi, branch, terminal, n, rnd):
    """day_open and n - 1 sales of one terminal, sealed in order."""
    def base(seq, kind):
        return {
            "v": 1,
            "uuid": "%08d-0000-4000-8000-%012d" % (bi, terminal * 10**6
                                                   + seq),
            "seq": seq, "kind": kind,
            "receipt": "%s-%d-%06d" % (branch, terminal, seq),
            "branch": branch, "terminal": terminal,
            "created_at": h.DAY1 + "T08:%02d:%02dZ" % (seq // 60 % 60,
                                                      seq % 60),
            "business_date": h.DAY1,
            "user": "رنا", "currency": "SYP", "decimals": 0,
            "ref_uuid": None, "ref_receipt": None, "producer_code": None,
            "producer_name": None, "amount": 0, "reason": None, "total": 0,
            "discount": 0, "paid": 0, "change": 0, "lines": [],
            "payments": []}
    out, prev = [], GENESIS
    e = base(1, "day_open")
    e["amount"] = 10000
    e = seal(e, prev)
    out.append(e)
    prev = e["hash"]
    for seq in range(2, n + 1):
        e = base(seq, "sale")
        lines, total = [], 0
        for k in range(rnd.randint(1, 3)):
            code, name = PRODUCERS[rnd.randrange(len(PRODUCERS))]
            qty = rnd.randint(1, 4) * 1000
            price = rnd.randint(1, 30) * 100
            t = qty // 1000 * price
            lines.append({"product_code": "P%d" % k, "product_name": "خبز",
                          "producer_code": code, "producer_name": name,
                          "unit": "piece", "qty": qty, "unit_price": price,
                          "total": t, "discount": 0, "net": t})
            total += t
        e.update(total=total, paid=total, change=0, lines=lines,
                 payments=[{"method": "cash", "tendered": total,
                            "amount": total}])
        e = seal(e, prev)
        out.append(e)
        prev = e["hash"]
    return out


class Pusher(threading.Thread):
    """One window: its chain sent in batches of 1..6 entries, each to a
    server chosen at random (with both=True a third of them to both at
    once), retried until accepted whatever fails meanwhile."""

    def __init__(self, tc, token, chain, servers, both=False, deadline=120):
        super().__init__(daemon=True)
        self.tc, self.token, self.chain = tc, token, chain
        self.servers = servers          # a list; may change meanwhile
        self.both = both
        self.rnd = random.Random(chain[0]["uuid"])
        self.deadline = time.monotonic() + scaled(deadline)
        self.accepted = {}              # uuid -> times answered accepted
        self.failures = 0               # 5xx and broken connections
        self.replayed = 0               # batches answered twice alike
        self.error = None
        self.pos = 0

    def post(self, srv, body, key):
        conn = http.client.HTTPConnection(srv.host, srv.port,
                                          timeout=scaled(30))
        try:
            conn.request("POST", "/v1/journal", body=body, headers={
                "Authorization": "Bearer " + self.token,
                "Content-Type": "application/json",
                "Idempotency-Key": key})
            resp = conn.getresponse()
            return resp.status, resp.read()
        except (OSError, http.client.HTTPException):
            return None, b""
        finally:
            conn.close()

    def send(self, part, srv, key, answers):
        body = json.dumps({"format": 1, "branch": part[0]["branch"],
                           "terminal": part[0]["terminal"],
                           "entries": part}, ensure_ascii=False).encode()
        while time.monotonic() < self.deadline:
            st, data = self.post(srv, body, key)
            if st == 200:
                answers.append(json.loads(data)["results"])
                return
            if st in (400, 401, 409, 413):
                raise AssertionError("%s: %s" % (st, data[:300]))
            self.failures += 1
            time.sleep(0.05)
            srv = self.rnd.choice(self.servers)
        raise AssertionError("batch not stored before the deadline")

    def run(self):
        try:
            while self.pos < len(self.chain):
                part = self.chain[self.pos:self.pos + self.rnd.randint(1, 6)]
                answers = []
                if self.both and self.rnd.random() < 0.33 and \
                        len(self.servers) > 1:
                    # Half of them under one Idempotency-Key (a window
                    # that timed out on one server and asked the other):
                    # then both answers are the same, the stored one.
                    same = self.rnd.random() < 0.5
                    k = str(uuid.uuid4())
                    a, b = self.servers[0], self.servers[1]
                    ts = [threading.Thread(target=self.send, args=(
                        part, s, k if same else str(uuid.uuid4()),
                        answers)) for s in (a, b)]
                    for t in ts:
                        t.start()
                    for t in ts:
                        t.join()
                    if same:
                        if len(answers) != 2 or answers[0] != answers[1]:
                            raise AssertionError("one key, two answers: %r"
                                                 % answers)
                        self.replayed += 1
                        del answers[1]
                else:
                    self.send(part, self.rnd.choice(self.servers),
                              str(uuid.uuid4()), answers)
                if not answers:
                    raise AssertionError("no answer for a batch")
                for results in answers:
                    for r in results:
                        if r["status"] == "accepted":
                            self.accepted[r["uuid"]] = \
                                self.accepted.get(r["uuid"], 0) + 1
                        elif r["status"] != "duplicate":
                            raise AssertionError("refused: %r" % r)
                for e in part:
                    if e["uuid"] not in self.accepted and \
                            not any(r["uuid"] == e["uuid"] for a in answers
                                    for r in a):
                        raise AssertionError("no result for %s" % e["uuid"])
                self.pos += len(part)
        except Exception as ex:        # reported by the test
            self.error = ex


@unittest.skipUnless(h.PG, "PostgreSQL only (POS_TEST_CENTRAL_DB=postgresql)")
class SeveralServers(h.CentralTestCase):

    def setUp(self):
        super().setUp()
        self.tokens = self.init_central(BRANCHES)
        rnd = random.Random(14)
        self.chains = {}
        for bi, b in enumerate(BRANCHES):
            for t in TERMINALS:
                self.chains[(b, t)] = make_chain(bi, b, t, 40, rnd)

    def health(self, srv):
        try:
            conn = http.client.HTTPConnection(srv.host, srv.port,
                                              timeout=scaled(10))
            conn.request("GET", "/healthz")
            st = conn.getresponse().status
            conn.close()
            return st
        except OSError:
            return None

    def push_all(self, servers, both=False):
        ps = [Pusher(self, self.tokens[b], c, servers, both)
              for (b, _), c in self.chains.items()]
        for p in ps:
            p.start()
        return ps

    def join_all(self, ps):
        for p in ps:
            p.join(scaled(180))
            self.assertFalse(p.is_alive(), "a window is still pushing")
            if p.error is not None:
                raise p.error

    def assert_central_equals_windows(self, ps=None):
        want_n = sum(len(c) for c in self.chains.values())
        want_lines = sum(len(e["lines"]) for c in self.chains.values()
                         for e in c)
        n, lines, pays, uuids = self.counts()
        self.assertEqual((n, uuids), (want_n, want_n))
        self.assertEqual(lines, want_lines)
        self.assertEqual(pays, want_n - len(self.chains))
        heads = {(r[0], int(r[1])): (int(r[2]), r[3]) for r in self.sql(
            "SELECT branch, terminal, last_seq, head FROM chains")}
        self.assertEqual(heads, {k: (len(c), c[-1]["hash"])
                                 for k, c in self.chains.items()})
        nets = {}
        for c in self.chains.values():
            for e in c:
                for ln in e["lines"]:
                    nets[ln["producer_code"]] = \
                        nets.get(ln["producer_code"], 0) + ln["net"]
        rep = self.central(["report", "producers", "--date", h.DAY1],
                           json_out=True)
        self.assertEqual({p["code"]: int(p["net"]) for p in rep["producers"]},
                         nets)
        v = self.central(["verify"], json_out=True)
        self.assertTrue(v["ok"], v)
        self.assertEqual(len(v["chains"]), len(self.chains))
        if ps is not None:
            # Each entry answered "accepted" once, whatever was retried.
            acc = {}
            for p in ps:
                for u, k in p.accepted.items():
                    acc[u] = acc.get(u, 0) + k
            self.assertEqual(sorted(set(acc.values())), [1])
            self.assertEqual(len(acc), want_n)
        return want_n

    def test_two_servers_one_database(self):
        a = self.serve(["--threads", "3", "--db-pool", "4"])
        b = self.serve(["--threads", "3", "--db-pool", "4"])
        ps = self.push_all([a, b], both=True)
        self.join_all(ps)
        n = self.assert_central_equals_windows(ps)
        replayed = sum(p.replayed for p in ps)
        self.assertGreater(replayed, 0)
        self.note("12 windows, 2 servers, batches to either or both at "
                  "once: %d entries each stored and accepted once; %d "
                  "batches sent to both under one key got one answer; "
                  "heads, producer nets and verify equal the windows"
                  % (n, replayed))

    def test_postgresql_stopped_mid_push(self):
        a = self.serve()
        b = self.serve()
        servers = [a, b]
        ps = self.push_all(servers)
        total = sum(len(c) for c in self.chains.values())
        self.assertTrue(wait_until(
            lambda: sum(p.pos for p in ps) >= total // 4, scaled(60)))
        cl = pgcluster.cluster()
        cl.stop()
        self.assertTrue(wait_until(lambda: self.health(a) == 503 and
                                   self.health(b) == 503, scaled(30)),
                        "healthz did not say 503 with PostgreSQL down")
        before = sum(p.pos for p in ps)
        self.assertTrue(wait_until(lambda: sum(p.failures for p in ps) > 0,
                                   scaled(30)))
        cl.start()
        self.assertTrue(wait_until(lambda: self.health(a) == 200 and
                                   self.health(b) == 200, scaled(30)))
        self.join_all(ps)
        n = self.assert_central_equals_windows()
        self.note("PostgreSQL stopped at %d of %d entries: /healthz 503 on "
                  "both servers, %d failed requests retried; after the "
                  "restart all %d stored once, verify ok"
                  % (before, total, sum(p.failures for p in ps), n))

    def test_server_killed_mid_batch(self):
        # Chains long enough to be cut ten times.
        rnd = random.Random(15)
        for bi, (b, t) in enumerate(list(self.chains)):
            self.chains[(b, t)] = make_chain(BRANCHES.index(b), b, t, 250,
                                             rnd)
        a = self.serve()
        b = self.serve()
        servers = [a, b]
        ps = self.push_all(servers)
        total = sum(len(c) for c in self.chains.values())
        rnd = random.Random(10)
        kills = 0
        for k in range(10):
            # Kill b when requests are in flight: some progress since the
            # last restart, then SIGKILL at a random moment.
            mark = sum(p.pos for p in ps)
            if mark >= total:
                break
            wait_until(lambda: sum(p.pos for p in ps) > mark or
                       all(not p.is_alive() for p in ps), scaled(30))
            time.sleep(rnd.random() * 0.05)
            victim = servers[1]
            victim.killed = True
            victim.proc.send_signal(signal.SIGKILL)
            victim.proc.wait(scaled(10))
            kills += 1
            servers[1] = self.serve()
        self.join_all(ps)
        n = self.assert_central_equals_windows()
        self.note("one of two servers SIGKILLed %d times mid-push: %d "
                  "entries stored once, %d requests retried, verify ok"
                  % (kills, n, sum(p.failures for p in ps)))
        self.assertEqual(kills, 10)


class Uri(h.CentralTestCase):

    @unittest.skipUnless(pgcluster.available(), "PostgreSQL not installed")
    def test_init_is_idempotent_and_shows_no_password(self):
        c = pgcluster.cluster()
        db = c.new_database()
        uri = "postgresql://%s:s3cret@/%s?host=%s&port=%d" % (
            pgcluster.PG_ROLE, db, c.dir, c.port)
        versions = []
        for _ in range(2):
            rc, out, err = self.run_prog([h.CENTRAL, "init", "--db", uri])
            self.assertEqual(rc, 0, err)
            self.assertIn("(postgresql)", out)
            self.assertNotIn("s3cret", out + err)
            versions.append(c.psql(db, "SELECT version FROM cstore_schema"
                                   " ORDER BY version"))
        # Every migration once, in order; the second init adds none.
        self.assertEqual(versions[0], [[str(v)] for v in
                                       range(1, len(versions[0]) + 1)])
        self.assertEqual(versions[1], versions[0])
        # POS_CENTRAL_DB when --db is absent.
        rc, out, err = self.run_prog([h.CENTRAL, "branch", "list",
                                      "--json"], env={"POS_CENTRAL_DB": uri})
        self.assertEqual((rc, json.loads(out)), (0, {"branches": []}), err)
        # A newer schema: refused by this program, with a message.
        c.psql(db, "INSERT INTO cstore_schema (version) VALUES (99)")
        rc, out, err = self.run_prog([h.CENTRAL, "verify", "--db", uri])
        self.assertEqual(rc, 1, err)
        self.assertIn("newer than this program", err)
        self.note("init twice: schema versions 1..N once each; no password shown; "
                  "POS_CENTRAL_DB read; version 99 refused: %s"
                  % err.strip())


class Migrate(h.CentralTestCase):
    """migrate needs a SQLite source: this test makes one whatever the
    backend, and a PostgreSQL database to copy it into."""

    @unittest.skipUnless(pgcluster.available(), "PostgreSQL not installed")
    def test_migrate_three_branches(self):
        src = os.path.join(self.tmp, "central-sqlite.db")
        dst = pgcluster.cluster().uri(pgcluster.cluster().new_database())
        self.pg, self.cdb = False, src
        tokens = self.init_central(("DMS01", "HMS01", "ALP01"))
        self.central(["branch", "revoke", "ALP01"])
        srv = self.serve()
        rnd = random.Random(3)
        chains = {}
        for bi, b in enumerate(("DMS01", "HMS01", "ALP01")):
            for t in TERMINALS:
                chains[(b, t)] = make_chain(bi, b, t, 25, rnd)
        for (b, t), c in chains.items():
            if b == "ALP01":
                continue
            st, ans = self.post(srv, tokens[b], {
                "format": 1, "branch": b, "terminal": t, "entries": c})
            self.assertEqual(st, 200, ans)

        def reports(db):
            out = []
            for args in (["report", "producers"],
                         ["report", "producers", "--date", h.DAY1],
                         ["report", "days", "--date", h.DAY1],
                         ["branch", "list"], ["verify"],
                         ["producer", "list"], ["product", "list"],
                         ["report", "conflicts"], ["report", "missing"]):
                rc, o, e = self.run_prog([h.CENTRAL] + args +
                                         ["--db", db, "--json"])
                self.assertEqual(rc, 0, e)
                out.append(json.loads(o))
                if args == ["verify"]:
                    # Kept on PostgreSQL only: there, equal to its rows.
                    self.assertEqual(out[-1]["summaries"].pop(
                        "sum_producer_products", 0), 0)
            for args in (["user", "list"],):
                rc, o, e = self.run_prog([h.CENTRAL] + args +
                                         ["--db", db, "--json"])
                self.assertEqual(rc, 0, e)
                out.append(json.loads(o))
            return out

        # Master data goes with it, versions and the merge included.
        self.central(["producer", "add", "F01", "Hama Bakery"])
        self.central(["producer", "add", "F02", "Idlib Co-op"])
        self.central(["product", "add", "P1", "خبز", "1500", "--producer",
                      "F01", "--barcode", "629"])
        self.central(["producer", "merge", "F03", "F01"])
        self.central(["producer", "merge", "F04", "F02"])
        self.central(["producer", "unmerge", "F04"])
        # What a window sent of its own goes with it too.
        st, ans = self.post(srv, tokens["DMS01"], {
            "format": 1, "branch": "DMS01", "terminal": 1,
            "currency": "SYP", "decimals": 0, "round": "e" * 64,
            "last": True,
            "producers": [{"code": "F09", "name": "أم أحمد"},
                          {"code": "F01", "name": "Hama bakery"}],
            "products": [{"code": "P1", "name": "خبز", "price": 1750,
                          "unit": "piece", "producer": "F01",
                          "active": True}]}, path="/v1/master/local")
        self.assertEqual(st, 200, ans)
        # The office's users and API tokens go with it.
        for name in ("mona", "sami"):
            rc, o, e = self.run_prog([h.CENTRAL, "user", "add", name,
                                      "--role", "office", "--db", src],
                                     stdin=b"correct horse battery\n")
            self.assertEqual(rc, 0, e)
        self.central(["user", "disable", "sami"])
        api = self.central(["token", "add", "nightly"], json_out=True)["token"]
        # An entry the centre rejected (its hash does not match), sent
        # twice: the office goes on chasing it on the copy.
        bad = make_chain(0, "DMS01", 3, 2, rnd)
        bad[1]["total"] += 1
        for _ in range(2):
            st, ans = self.post(srv, tokens["DMS01"], {
                "format": 1, "branch": "DMS01", "terminal": 3,
                "entries": bad})
            self.assertEqual(st, 200, ans)
            self.assertEqual([r["status"] for r in ans["results"]][-1],
                             "rejected", ans)
        before = reports(src)
        self.assertEqual([(r["branch"], r["terminal"], r["seq"], r["times"])
                          for r in before[8]["rejected"]],
                         [("DMS01", 3, 2, 2)])
        self.assertEqual([p["code"] for p in before[5]["local"]], ["F09"])
        self.assertEqual(before[6]["products"][0]["window_prices"][0]
                         ["price"], "1750")
        self.assertIn("F01", [c["code"] for c in before[7]["producers"]])
        self.assertEqual(before[5]["version"], 6)
        self.assertEqual(len(before[5]["merges"]), 2)
        rc, out, err = self.run_prog([h.CENTRAL, "migrate", "--from", src,
                                      "--db", dst, "--json"])
        self.assertEqual(rc, 0, err)
        m = json.loads(out)
        self.assertEqual((m["branches"], m["chains"], m["copied"],
                          m["skipped"], m["accounts"], m["rejections"]),
                         (3, 5, 101, 0, 3, 1))
        after = reports(dst)
        self.assertEqual(after, before)
        rc, out, err = self.run_prog([h.CENTRAL, "migrate", "--from", src,
                                      "--db", dst, "--json"])
        self.assertEqual(rc, 0, err)
        m = json.loads(out)
        self.assertEqual((m["branches"], m["copied"], m["skipped"],
                          m["accounts"], m["rejections"]), (0, 0, 101, 0, 1))
        self.assertEqual(reports(dst), before)
        # The copied tokens' digests work against a server on the copy.
        self.cdb = dst
        srv2 = self.serve()
        st, ans = self.post(srv2, tokens["DMS01"], {
            "format": 1, "branch": "DMS01", "terminal": 1,
            "entries": chains[("DMS01", 1)][-2:]})
        self.assertEqual(st, 200, ans)
        self.assertEqual([r["status"] for r in ans["results"]],
                         ["duplicate"] * 2)
        st, _ = self.post(srv2, tokens["ALP01"], {
            "format": 1, "branch": "ALP01", "terminal": 1, "entries": []})
        self.assertEqual(st, 401)
        st, body = self.post(srv2, api, b"", method="GET",
                             path="/v1/reports/days")
        self.assertEqual(st, 200, body)
        self.note("migrate: 3 branches (one revoked), 4 chains, 100 "
                  "entries, master data (version 6, a merge in force and "
                  "one undone), a window's own rows, a rejected entry; "
                  "reports, missing, conflicts, "
                  "branches, producer and product "
                  "lists and verify equal before and "
                  "after; a second run copied 0 and skipped 100; tokens "
                  "work on the copy")


if __name__ == "__main__":
    h.main()

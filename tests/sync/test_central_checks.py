"""The centre checks what it stores (sync/PROTOCOL.md, "What the server
does"): hand-made entries, sealed here with the reference implementation of
sync/ledger/CANONICAL.md section 7 (so their hashes are right), are sent to
the real pos-central over loopback. Each one that breaks a rule (arithmetic,
identity, dates, what its kind carries) is answered `rejected` with its
reason and is not stored, and `verify` stays ok; a far-future entry does not
move the default date of `report days`; a resent UUID with changed content
is not a duplicate; a lone surrogate escape is refused as jansson refuses
it; and authentication costs the same with 5,001 branches as with one.
"""

import copy
import hashlib
import http.client
import json
import os
import sqlite3
import time

import centralharness as h
from testtime import scaled

ENTRY = ["v", "uuid", "seq", "kind", "receipt", "branch", "terminal",
         "created_at", "business_date", "user", "currency", "decimals",
         "ref_uuid", "ref_receipt", "producer_code", "producer_name",
         "amount", "reason", "total", "discount", "paid", "change",
         "lines", "payments"]
LINE = ["product_code", "product_name", "producer_code", "producer_name",
        "unit", "qty", "unit_price", "total", "discount", "net"]
PAYMENT = ["method", "tendered", "amount"]
SHORT = {'"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f',
         '\n': '\\n', '\r': '\\r', '\t': '\\t'}
GENESIS = "0" * 64
NOW = h.DAY1 + "T09:00:00Z"     # the harness's POS_NOW, the server's clock


def jstring(s):
    out = []
    for c in s:
        if c in SHORT:
            out.append(SHORT[c])
        elif ord(c) < 0x20:
            out.append('\\u%04X' % ord(c))
        else:
            out.append(c)
    return '"' + ''.join(out) + '"'


def jvalue(v):
    if v is None:
        return 'null'
    if isinstance(v, bool) or not isinstance(v, (int, str)):
        raise TypeError(v)
    return str(v) if isinstance(v, int) else jstring(v)


def jobj(d, keys):
    parts = []
    for k in keys:
        if k == "lines":
            v = '[' + ','.join(jobj(x, LINE) for x in d[k]) + ']'
        elif k == "payments":
            v = '[' + ','.join(jobj(x, PAYMENT) for x in d[k]) + ']'
        else:
            v = jvalue(d[k])
        parts.append(jstring(k) + ':' + v)
    return '{' + ','.join(parts) + '}'


def seal(entry, prev):
    """The entry with prev_hash and its hash (CANONICAL.md section 7)."""
    e = dict(entry)
    e.pop("prev_hash", None)
    e.pop("hash", None)
    canon = jobj(e, ENTRY).encode("utf-8")
    e["prev_hash"] = prev
    e["hash"] = hashlib.sha256(bytes.fromhex(prev) + canon).hexdigest()
    return e


def base(seq, kind, branch="DMS01", terminal=1, date=h.DAY1):
    return {
        "v": 1, "uuid": "00000000-0000-4000-8000-%012d" % (terminal * 1000
                                                            + seq),
        "seq": seq, "kind": kind,
        "receipt": "%s-%d-%06d" % (branch, terminal, seq),
        "branch": branch, "terminal": terminal,
        "created_at": date + "T09:00:00Z", "business_date": date,
        "user": "رنا", "currency": "SYP", "decimals": 0,
        "ref_uuid": None, "ref_receipt": None, "producer_code": None,
        "producer_name": None, "amount": 0, "reason": None, "total": 0,
        "discount": 0, "paid": 0, "change": 0, "lines": [], "payments": []}


def day_open(terminal=1, date=h.DAY1):
    e = base(1, "day_open", terminal=terminal, date=date)
    e["amount"] = 10000
    return seal(e, GENESIS)


def good_sale():
    """CANONICAL.md's worked example, as seq 2 of terminal 1."""
    e = base(2, "sale")
    e.update(total=17500, discount=500, paid=20000, change=2500)
    e["lines"] = [
        {"product_code": "P001", "product_name": "Bread",
         "producer_code": "F07", "producer_name": "Hama Bakery",
         "unit": "piece", "qty": 2000, "unit_price": 3000, "total": 6000,
         "discount": 176, "net": 5824},
        {"product_code": "P014", "product_name": "Olives, black/green",
         "producer_code": "F11", "producer_name": "Idlib Co-op",
         "unit": "kg", "qty": 1250, "unit_price": 9600, "total": 12000,
         "discount": 324, "net": 11676}]
    e["payments"] = [{"method": "cash", "tendered": 20000, "amount": 17500}]
    return e


def line0(**kw):
    def f(e):
        e["lines"][0].update(kw)
    return f


def fields(**kw):
    def f(e):
        e.update(kw)
    return f


def pay0(**kw):
    def f(e):
        e["payments"][0].update(kw)
    return f


def both(*fs):
    def f(e):
        for g in fs:
            g(e)
    return f


def huge(e):
    for ln in e["lines"]:
        ln.update(unit="piece", qty=1000, unit_price=10 ** 15,
                  total=10 ** 15, discount=0, net=10 ** 15)
    e.update(total=10 ** 15, discount=0, paid=10 ** 15, change=0)
    e["payments"] = [{"method": "card", "tendered": 10 ** 15,
                      "amount": 10 ** 15}]


def consistent_negative(e):
    """A sale whose every sum agrees, with a line net of -1,000,000,000."""
    e["lines"] = [dict(e["lines"][0], qty=1000, unit_price=1000, total=1000,
                       discount=1000001000, net=-1000000000)]
    e.update(total=-1000000000, discount=1000001000, paid=0, change=0)
    e["payments"] = [{"method": "cash", "tendered": 0, "amount": 0}]


def other_kind(kind, **kw):
    def f(e):
        e.clear()
        e.update(base(2, kind))
        e.update(kw)
    return f


# (what is broken, change to the good sale, a part of the reason)
RULES = [
    ("a line net of -1,000,000,000", line0(net=-1000000000),
     "lines[0].net: -1000000000 is not total - discount (5824)"),
    ("-1,000,000,000 with every sum made to agree", consistent_negative,
     "lines[0].discount: 1000001000 is not between 0 and the line's total"),
    ("a line total that is not price x qty", line0(total=6001, net=5825),
     "lines[0].total: 6001 is not unit_price x qty"),
    ("part of a piece", line0(qty=1500, total=4500, net=4324),
     "lines[0].qty: 1500 thousandths of a piece"),
    ("a total that is not the lines' net",
     both(fields(total=17000, change=3000), pay0(amount=17000)),
     "total: 17000 is not the sum of the lines' net (17500)"),
    ("discount shares that do not add up", line0(discount=100, net=5900),
     "discount: 500 is not the sum of the lines' discounts (424)"),
    ("payments that do not pay the total", pay0(amount=17000),
     "total: 17500 is not the sum of the payments' amounts (17000)"),
    ("paid that is not what was tendered", fields(paid=21000, change=3500),
     "paid: 21000 is not the sum of the payments' tendered (20000)"),
    ("change that is not paid - total", fields(change=2000),
     "change: 2000 is not paid - total (2500)"),
    ("change given by card", pay0(method="card"),
     "payments[0].amount: 17500 is not what was tendered (20000): only "
     "cash gives change"),
    ("lines over the amount limit", huge,
     "lines: the lines' totals add up to 2000000000000000, over the limit "
     "of 1000000000000000"),
    ("a sale without lines", fields(lines=[]),
     "lines: a sale needs at least one"),
    ("a receipt naming another branch", fields(receipt="HMS01-1-000002"),
     "receipt: HMS01-1-000002 is not DMS01-1-000002"),
    ("a receipt naming another terminal", fields(receipt="DMS01-2-000002"),
     "receipt: DMS01-2-000002 is not DMS01-1-000002"),
    ("a receipt naming another seq", fields(receipt="DMS01-1-000003"),
     "receipt: DMS01-1-000003 is not DMS01-1-000002"),
    ("a date in 1900",
     fields(created_at="1900-01-01T09:00:00Z", business_date="1900-01-01"),
     "created_at: 1900-01-01T09:00:00Z is more than 3650 days before the "
     "server's date"),
    ("a business date in 1900", fields(business_date="1900-01-01"),
     "business_date: 1900-01-01 is more than 3650 days before"),
    ("a date in 2099",
     fields(created_at="2099-12-31T09:00:00Z", business_date="2099-12-31"),
     "created_at: 2099-12-31T09:00:00Z is more than 7 days after the "
     "server's date"),
    ("a date 8 days ahead",
     fields(created_at="2026-03-09T09:00:00Z", business_date="2026-03-09"),
     "is more than 7 days after"),
    ("a cash_in of a negative amount",
     other_kind("cash_in", amount=-5, reason="فكة"),
     "amount: must be positive on a cash_in"),
    ("a payout with no producer", other_kind("payout", amount=100),
     "producer_code: a payout needs one"),
    ("a refund of another terminal's receipt",
     other_kind("refund", ref_uuid="00000000-0000-4000-8000-000000001002",
                ref_receipt="DMS01-2-000001"),
     "ref_receipt: DMS01-2-000001 is not an earlier receipt of DMS01 "
     "terminal 1"),
    ("a void of a later receipt",
     other_kind("void", ref_uuid="00000000-0000-4000-8000-000000001002",
                ref_receipt="DMS01-1-000007", reason="خطأ"),
     "ref_receipt: DMS01-1-000007 is not an earlier receipt"),
]


def batch(entries, terminal=1):
    return {"format": 1, "branch": "DMS01", "terminal": terminal,
            "entries": entries}


class CentralChecks(h.CentralTestCase):

    def setUp(self):
        super().setUp()
        self.tokens = self.init_central()
        self.tok = self.tokens["DMS01"]

    def verify_ok(self):
        v = self.central(["verify"], json_out=True)
        self.assertTrue(v["ok"], v)

    def post_ok(self, srv, body):
        st, ans = self.post(srv, self.tok, body)
        self.assertEqual(st, 200, ans)
        return ans

    def test_each_rule_rejects_and_stores_nothing(self):
        srv = self.serve()
        opened = day_open()
        ans = self.post_ok(srv, batch([opened]))
        self.assertEqual(ans["results"][0]["status"], "accepted")
        for what, change, reason in RULES:
            with self.subTest(what):
                e = good_sale()
                change(e)
                e = seal(e, opened["hash"])
                ans = self.post_ok(srv, batch([e]))
                r = ans["results"][0]
                self.assertEqual(r["status"], "rejected", r)
                self.assertIn(reason, r["reason"])
                self.assertNotIn("blocked_by", r)
                self.assertEqual(ans["acked_through"], 1)
                self.assertEqual(self.counts(), (1, 0, 0, 1))
        self.note("%d rules: each entry rejected with its reason, nothing "
                  "stored" % len(RULES))
        # The same sale as it should be is taken, and everything checks.
        ans = self.post_ok(srv, batch([seal(good_sale(), opened["hash"])]))
        self.assertEqual(ans["results"][0]["status"], "accepted", ans)
        self.assertEqual(self.counts(), (2, 2, 1, 2))
        self.verify_ok()
        self.note("the sale as it should be is accepted; verify ok")

    def test_a_rejected_entry_blocks_what_follows_it(self):
        srv = self.serve()
        opened = day_open()
        bad = good_sale()
        bad["total"] = 1
        bad = seal(bad, opened["hash"])
        after = base(3, "cash_in")
        after.update(amount=500, reason="فكة")
        after = seal(after, bad["hash"])
        ans = self.post_ok(srv, batch([opened, bad, after]))
        self.assertEqual([r["status"] for r in ans["results"]],
                         ["accepted", "rejected", "rejected"])
        self.assertEqual(ans["results"][2]["blocked_by"], 2)
        self.assertEqual(ans["acked_through"], 1)
        self.assertEqual(self.counts(), (1, 0, 0, 1))
        self.verify_ok()

    def test_a_far_future_entry_does_not_move_report_days(self):
        srv = self.serve()
        self.post_ok(srv, batch([day_open()]))
        ans = self.post_ok(srv, batch([day_open(2, "2099-12-31")], 2))
        self.assertEqual(ans["results"][0]["status"], "rejected")
        self.assertIn("2099-12-31T09:00:00Z is more than 7 days after",
                      ans["results"][0]["reason"])
        self.assertEqual(self.central(["report", "days"], json_out=True)
                         ["date"], h.DAY1)
        # One stored while the server's clock said 2099 (or before this
        # rule existed) does not move it either.
        self.env["POS_NOW"] = "2099-12-31T09:00:00Z"
        fast = self.serve()
        self.env["POS_NOW"] = NOW
        ans = self.post_ok(fast, batch([day_open(2, "2099-12-31")], 2))
        self.assertEqual(ans["results"][0]["status"], "accepted", ans)
        self.assertEqual(self.counts()[0], 2)
        rep = self.central(["report", "days"], json_out=True)
        self.assertEqual(rep["date"], h.DAY1)
        self.assertEqual(self.central(["report", "days", "--date",
                                       "2099-12-31"], json_out=True)
                         ["date"], "2099-12-31")
        self.verify_ok()
        self.note("report days stays on %s with a 2099-12-31 day stored"
                  % h.DAY1)

    def test_the_date_tolerance_is_the_servers_setting(self):
        ahead = "2026-03-11"            # 10 days after the server's date
        srv = self.serve()
        ans = self.post_ok(srv, batch([day_open(2, ahead)], 2))
        self.assertEqual(ans["results"][0]["status"], "rejected", ans)
        self.assertIn("more than 7 days after", ans["results"][0]["reason"])
        wide = self.serve(["--date-tolerance-days", "30"])
        ans = self.post_ok(wide, batch([day_open(2, ahead)], 2))
        self.assertEqual(ans["results"][0]["status"], "accepted", ans)
        _, err = self.central(["serve", "--listen", "127.0.0.1:0",
                               "--date-tolerance-days", "0"], rc_want=2)
        self.assertIn("date-tolerance-days", err)
        self.verify_ok()
        self.note("a day 10 days ahead: rejected by default, accepted with "
                  "--date-tolerance-days 30; 0 refused (exit 2)")

    def test_a_resent_uuid_with_changed_content_is_not_a_duplicate(self):
        srv = self.serve()
        opened = day_open()
        self.post_ok(srv, batch([opened]))
        ans = self.post_ok(srv, batch([opened]))
        self.assertEqual(ans["results"][0]["status"], "duplicate")
        changed = dict(opened, amount=999999)   # the old hash, kept
        ans = self.post_ok(srv, batch([changed]))
        r = ans["results"][0]
        self.assertEqual(r["status"], "rejected", r)
        self.assertIn("with different content", r["reason"])
        # Changed and resealed: still not the stored entry.
        ans = self.post_ok(srv, batch([seal(changed, GENESIS)]))
        self.assertEqual(ans["results"][0]["status"], "rejected")
        self.assertEqual(self.counts(), (1, 0, 0, 1))
        self.verify_ok()

    def test_lone_surrogates_are_refused_as_the_window_refuses_them(self):
        srv = self.serve()
        opened = day_open()
        text = json.dumps(batch([opened]), ensure_ascii=True)
        self.assertEqual(text.count("\\u0631\\u0646\\u0627"), 1)   # رنا
        for esc, want in [("\\ud800", "invalid Unicode '\\uD800'"),
                          ("\\udc00", "invalid Unicode '\\uDC00'"),
                          ("\\uD800\\u0041",
                           "invalid Unicode '\\uD800\\u0041'"),
                          ("\\\\\\ud800", "invalid Unicode '\\uD800'")]:
            with self.subTest(esc):
                body = text.replace("\\u0631\\u0646\\u0627", "a" + esc)
                st, ans = self.post(srv, self.tok, body.encode())
                self.assertEqual(st, 400, ans)
                self.assertIn("body: not valid JSON: " + want,
                              ans["reasons"][0])
                self.assertEqual(self.counts(), (0, 0, 0, 0))
        # An escaped backslash before "ud800" is text, and a pair is a
        # character: both are read as jansson reads them, and hash right.
        for terminal, user in [(1, "a\\ud800"), (2, "a\U0001F600")]:
            e = day_open(terminal)
            e["user"] = user
            e = seal(e, GENESIS)
            body = json.dumps(batch([e], terminal), ensure_ascii=True)
            st, ans = self.post(srv, self.tok, body.encode())
            self.assertEqual(st, 200, ans)
            self.assertEqual(ans["results"][0]["status"], "accepted", ans)
        users = [r[0] for r in self.sql(
            "SELECT user FROM entries ORDER BY terminal",
            'SELECT "user" FROM entries ORDER BY terminal')]
        self.assertEqual(users, ["a\\ud800", "a\U0001F600"])
        self.verify_ok()

    @staticmethod
    def cpu(pid):
        """CPU seconds the process has used (utime + stime)."""
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def load(self, srv, n):
        """n empty batches POSTed on one connection: (requests per second,
        the server's CPU seconds for them). The CPU time is what the
        server spent, whatever else the machine is doing."""
        body = json.dumps(batch([])).encode()
        hdr = {"Authorization": "Bearer " + self.tok,
               "Content-Type": "application/json"}
        conn = http.client.HTTPConnection(srv.host, srv.port,
                                          timeout=scaled(30))
        c0, t0 = self.cpu(srv.proc.pid), time.perf_counter()
        for _ in range(n):
            conn.request("POST", "/v1/journal", body=body, headers=hdr)
            resp = conn.getresponse()
            resp.read()
            self.assertEqual(resp.status, 200)
        t, c = time.perf_counter() - t0, self.cpu(srv.proc.pid) - c0
        conn.close()
        return n / t, c

    def test_token_lookup_does_not_grow_with_the_branches(self):
        n = 1000
        # The request rates of one address and one branch are not what
        # this measures: their limits off.
        srv = self.serve(["--rate-address", "0", "--rate-branch", "0"])
        rate1, cpu1 = self.load(srv, n)
        if self.pg:
            self.sql(None, "INSERT INTO branches (code, name, token_hash,"
                     " created_at) SELECT 'B' || lpad(i::text, 5, '0'),"
                     " NULL, decode(md5(random()::text) ||"
                     " md5(random()::text), 'hex'), '%s'"
                     " FROM generate_series(0, 4999) i; ANALYZE branches"
                     % NOW)
        else:
            con = sqlite3.connect(self.cdb, timeout=scaled(10))
            with con:
                con.executemany(
                    "INSERT INTO branches (code, name, token_hash,"
                    " created_at) VALUES (?, NULL, ?, ?)",
                    [("B%05d" % i, os.urandom(32), NOW)
                     for i in range(5000)])
            con.close()
        self.load(srv, 50)      # the server's page cache, warmed again
        rate2, cpu2 = self.load(srv, n)
        self.note("%d POSTs (empty batch): %.0f/s and %.2f server CPU-s "
                  "with 1 branch; %.0f/s and %.2f CPU-s with 5001"
                  % (n, rate1, cpu1, rate2, cpu2))
        # Every branch's digest read per request made it 10-20 times dearer.
        self.assertLess(cpu2, 2 * cpu1 + 0.1)
        plan = " ".join(str(r) for r in self.sql(
            "EXPLAIN QUERY PLAN SELECT code, revoked_at, token_hash"
            " FROM branches WHERE token_hash = ?",
            "EXPLAIN SELECT code, revoked_at, token_hash FROM branches"
            " WHERE token_hash = decode('%s', 'hex')" % os.urandom(32).hex(),
            params=() if self.pg else (os.urandom(32),)))
        self.assertIn("branches_token", plan)
        # The stored digests of the tokens given out before still work.
        st, _ = self.post(srv, self.tok, batch([day_open()]))
        self.assertEqual(st, 200)


if __name__ == "__main__":
    h.main()

"""A producer's secret link and page, against the real pos-central fed by
real window stores through the real `pos sync`.

`pos-central producer link CODE [--rotate]` prints <public_url>/p/<token>
(64 hex digits), the same each time until rotated; the key file is made
0600; the store keeps only the token's hash. GET /p/<token> shows, for
today, this week, this month and a chosen period, the figures of
`report producers --json` for the same period, each window's share, sales
by product equal to the windows' own statements added up, one SVG bar per
day and a CSV with the same numbers; names are escaped. A
rotated or wrong token gets the same 404 as an unknown path. The link goes
to the windows in GET /v1/master, and a rotation makes the row change;
the window prints it as a QR code on the payout slip and the statement
(zbarimg reads it from the PNG render) with the centre stopped.

Usage: python3 test_producer_link.py POS_CENTRAL POS DUMP_BATCH
"""

import csv
from decimal import Decimal
import http.client
import io
import json
import os
import re
import shutil
import stat
import subprocess
from html.parser import HTMLParser

import centralharness as h
import pushharness
from testtime import scaled

PUBLIC = "https://pos.example.org/"
XSS = "<img src=x onerror=alert(1)>"
LINK = re.compile(r"^https://pos\.example\.org/p/([0-9a-f]{64})$")


class Page(HTMLParser):
    """The page's figures: summary rows by period, window rows, bars."""

    def __init__(self):
        super().__init__()
        self.rows = []          # (attrs of tr, {key: data-v})
        self.bars = []
        self.tags = []
        self.table = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if tag == "table":
            self.table = a.get("id")
        elif tag == "tr":
            self.rows.append((self.table, a, {}))
        elif tag == "bdi" and "data-k" in a and self.rows:
            self.rows[-1][2][a["data-k"]] = a["data-v"]
        elif tag == "rect" and a.get("class") == "bar":
            self.bars.append(a)


class ProducerLink(pushharness.PushTestCase):

    def setUp(self):
        super().setUp()
        self.key = os.path.join(self.tmp, "link.key")
        self.env["POS_CENTRAL_CENTRAL_PUBLIC_URL"] = PUBLIC
        self.env["POS_CENTRAL_CENTRAL_LINK_KEY"] = self.key

    def get(self, srv, path, token=None):
        c = http.client.HTTPConnection(srv.host, srv.port,
                                       timeout=scaled(30))
        hd = {"Authorization": "Bearer " + token} if token else {}
        try:
            c.request("GET", path, headers=hd)
            r = c.getresponse()
            return r.status, r.headers, r.read().decode()
        finally:
            c.close()

    def link(self, code, rotate=False):
        out, _ = self.central(["producer", "link", code] +
                              (["--rotate"] if rotate else []))
        m = LINK.match(out.strip())
        self.assertIsNotNone(m, out)
        return m.group(1)

    def report(self, frm, to):
        j = self.central(["report", "producers", "--from", frm, "--to", to],
                         json_out=True)
        return [p for p in j["producers"] if p["code"] == "F07"]

    def setup_windows(self):
        tokens = self.init_central(("DMS01",))
        self.tokens = tokens
        self.central(["producer", "add", "F07", "مخبز حماة"])
        self.central(["producer", "add", "X1", XSS])
        w1 = self.make_window("w1", "DMS01", 1)
        w2 = self.make_window("w2", "DMS01", 2, variant=1, close=False)
        srv = self.serve()
        tf = self.token_file(tokens["DMS01"], "tok")
        for db in (w1, w2):
            self.sync_ok(db, self.url(srv), tf)
        self.w1, self.w2, self.tf = w1, w2, tf
        return srv

    def test_link_page_numbers_csv_chart_rotation_and_master(self):
        srv = self.setup_windows()
        tok = self.link("F07")
        self.assertEqual(self.link("F07"), tok, "the link is stable")
        self.assertEqual(stat.S_IMODE(os.stat(self.key).st_mode), 0o600)
        # Only a hash of the token is stored.
        rows = self.sql("SELECT code, rotation, hex(token_hash) FROM "
                        "producer_links",
                        "SELECT code, rotation, encode(token_hash, 'hex') "
                        "FROM producer_links")
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0][0], "F07")
        self.assertNotEqual(rows[0][2].lower(), tok)
        self.central(["producer", "link", "NOPE"], rc_want=2)

        # The page: every figure is the report's for the same period.
        st, hd, body = self.get(srv, "/p/" + tok)
        self.assertEqual(st, 200, body)
        self.assertEqual(hd["Referrer-Policy"], "no-referrer")
        self.assertNotIn("script", hd["Content-Security-Policy"])
        self.assertIn('dir="rtl"', body)
        page = Page()
        page.feed(body)
        periods = {"today": (h.DAY1, h.DAY1), "week": ("2026-02-23", h.DAY1),
                   "month": ("2026-03-01", h.DAY1),
                   "period": ("2026-03-01", h.DAY1)}
        summary = {r[1]["data-period"]: r for r in page.rows
                   if r[0] == "summary" and "data-period" in r[1]}
        checked = 0
        for name, (frm, to) in periods.items():
            _, attrs, shown = summary[name]
            self.assertEqual((attrs["data-from"], attrs["data-to"]),
                             (frm, to), name)
            want = self.report(frm, to)
            self.assertEqual(len(want), 1, want)
            for k in ("sold", "refunded", "net", "paid_out"):
                self.assertEqual(shown[k], want[0][k], (name, k))
                checked += 1
        self.assertGreater(float(want[0]["sold"]), 0)
        owed = [r[2] for r in page.rows if r[0] == "owed" and r[2]]
        self.assertEqual(owed, [{"owed": want[0]["owed"],
                                 "owes_window": want[0]["owes_window"]}])
        wins = {(r[1]["data-branch"], r[1]["data-terminal"]): r[2]
                for r in page.rows if r[0] == "windows" and r[2]}
        self.assertEqual(len(wins), 2)
        for w in want[0]["windows"]:
            got = wins[(w["branch"], str(w["terminal"]))]
            for k in ("net", "paid_out", "owed", "owes_window"):
                self.assertEqual(got[k], w[k], (w, k))
        self.assertIn("2026-03-01T", body, "figures as of the last sync")
        # Sales by product: what the windows' own statements say, added up.
        shown = {r[1]["data-product"]: r[2] for r in page.rows
                 if r[0] == "products" and "data-product" in r[1]}
        want_p = {}
        for db in (self.w1, self.w2):
            st_ = self.pos(db, ["report", "producer", "F07", "--from", h.DAY1,
                                "--to", h.DAY1], json_out=True)
            for pr in st_["products"]:
                w = want_p.setdefault(pr["code"], [Decimal(0), Decimal(0)])
                w[0] += Decimal(pr["sold"])
                w[1] += Decimal(pr["refunded"])
        self.assertEqual(sorted(shown), sorted(want_p))
        for code, (sold, refunded) in want_p.items():
            self.assertEqual((Decimal(shown[code]["sold"]),
                              Decimal(shown[code]["refunded"]),
                              Decimal(shown[code]["net"])),
                             (sold, refunded, sold - refunded), code)
        self.assertEqual(sum(Decimal(v["net"]) for v in shown.values()),
                         Decimal(want[0]["net"]))

        # A chosen period: one bar per day, the day's net on its bar.
        q = "?from=2026-02-25&to=2026-03-01"
        st, _, body = self.get(srv, "/p/" + tok + q)
        self.assertEqual(st, 200)
        page = Page()
        page.feed(body)
        self.assertEqual([b["data-date"] for b in page.bars],
                         ["2026-02-25", "2026-02-26", "2026-02-27",
                          "2026-02-28", "2026-03-01"])
        day = self.report(h.DAY1, h.DAY1)[0]
        scale = 10 ** day["decimals"]
        self.assertEqual(int(page.bars[-1]["data-net"]),
                         round(float(day["net"]) * scale))
        self.assertEqual([b["data-net"] for b in page.bars[:-1]], ["0"] * 4)
        self.assertEqual(self.get(srv, "/p/" + tok +
                                  "?from=2026-03-02&to=2026-03-01")[0], 400)

        # The CSV: the same numbers.
        st, hd, text = self.get(srv, "/p/" + tok + q + "&format=csv")
        self.assertEqual(st, 200)
        self.assertTrue(hd["Content-Type"].startswith("text/csv"))
        rows = list(csv.DictReader(io.StringIO(text)))
        period = [r for r in rows if r["kind"] == "period"]
        want = self.report("2026-02-25", h.DAY1)[0]
        self.assertEqual(len(period), 1)
        for k in ("sold", "refunded", "net", "paid_out", "owed"):
            self.assertEqual(period[0][k], want[k], k)
        self.assertEqual(len([r for r in rows if r["kind"] == "window"]), 2)
        days = {r["from"]: r["net"] for r in rows if r["kind"] == "day"}
        self.assertEqual(sorted(days), [b["data-date"] for b in page.bars])
        self.assertEqual(days[h.DAY1], day["net"])
        prods = [r for r in rows if r["kind"] == "product"]
        self.assertEqual(sorted(r["product"] for r in prods), sorted(shown))
        self.assertEqual(sum(Decimal(r["net"]) for r in prods),
                         Decimal(want["net"]))

        # A name that is markup shows as text.
        xtok = self.link("X1")
        st, _, body = self.get(srv, "/p/" + xtok)
        self.assertEqual(st, 200)
        self.assertNotIn("<img", body)
        self.assertIn("&lt;img src=x onerror=alert(1)&gt;", body)

        # The link goes to the windows; a rotation changes the row.
        st, m = self.master(srv, "since=0")
        self.assertEqual(st, 200, m)
        got = {p["code"]: p.get("link") for p in m["producers"]}
        self.assertEqual(got["F07"], PUBLIC + "p/" + tok)
        before = m["version"]
        new = self.link("F07", rotate=True)
        self.assertNotEqual(new, tok)
        st, m = self.master(srv, "since=%d" % before)
        self.assertEqual([(p["code"], p.get("link")) for p in m["producers"]],
                         [("F07", PUBLIC + "p/" + new)])

        # The old token, a wrong one and an unknown path: the same 404.
        unknown = self.get(srv, "/no/such/path")
        self.assertEqual(unknown[0], 404)
        for path in ("/p/" + tok, "/p/" + "0" * 64, "/p/short",
                     "/p/" + tok + q + "&format=csv"):
            st, hd, body = self.get(srv, path)
            self.assertEqual((st, body), (unknown[0], unknown[2]), path)
            self.assertEqual(hd["Content-Type"], unknown[1]["Content-Type"])
        self.assertEqual(self.get(srv, "/p/" + new)[0], 200)

        # At the window: the link comes with the next sync and prints as a
        # QR code on the payout slip and the statement, offline.
        self.sync_ok(self.w2, self.url(srv), self.tf)
        self.stop_server(srv)
        pay = self.pos(self.w2, ["payout", "F07", "500", "--user", "sam",
                                 "--no-print"], env={"POS_PIN": h.SUPERVISOR_PIN},
                       json_out=True)
        for what, argv in (
                ("payout", ["receipt", "render", pay["receipt"], "--format",
                            "png"]),
                ("statement", ["report", "producer", "F07", "--from", h.DAY1,
                               "--to", h.DAY1, "--render", "png"])):
            self.assertEqual(self.qr(self.w2, argv, what),
                             PUBLIC + "p/" + new, what)
        self.note("link stable until rotated, key 0600, only a hash stored; "
                  "page = report JSON for today/week/month/period (%d "
                  "figures) and per window; one bar a day; CSV equal; "
                  "name escaped; link in /v1/master, rotation bumps it; "
                  "old token 404 like any unknown path" % checked)

    def test_a_merged_code_shows_nothing_and_counts_under_into(self):
        srv = self.setup_windows()
        self.central(["producer", "add", "F11", "Idlib Co-op"])
        f11, f07 = self.link("F11"), self.link("F07")
        before = self.summary(srv, f11)
        self.assertGreater(Decimal(before["sold"]), 0)
        self.central(["producer", "merge", "F11", "F07"])
        after = self.summary(srv, f11)
        self.assertEqual(after, {}, "FROM's page shows nothing of its own")
        want = self.report(h.DAY1, h.DAY1)[0]
        got = self.summary(srv, f07)
        for k in ("sold", "refunded", "net", "paid_out"):
            self.assertEqual(got[k], want[k], k)
        self.note("after merge F11 into F07: F11's link shows nothing, "
                  "F07's shows the merged report's figures")

    def summary(self, srv, tok):
        """The figures of the page's "today" row (empty: none)."""
        st, _, body = self.get(srv, "/p/" + tok)
        self.assertEqual(st, 200)
        page = Page()
        page.feed(body)
        rows = [r[2] for r in page.rows if r[0] == "summary" and
                r[1].get("data-period") == "today"]
        self.assertEqual(len(rows), 1)
        return rows[0]

    def test_migrate_to_postgresql_keeps_the_links(self):
        if not self.pg:
            self.skipTest("migrate copies into PostgreSQL: the _pg twin")
        src = os.path.join(self.tmp, "src.db")
        for argv in (["init"], ["producer", "add", "F07", "Hama"]):
            rc, out, err = self.run_prog([h.CENTRAL] + argv + ["--db", src])
            self.assertEqual(rc, 0, err)
        rc, out, err = self.run_prog([h.CENTRAL, "producer", "link", "F07",
                                      "--rotate", "--db", src])
        self.assertEqual(rc, 0, err)
        rc, out, err = self.run_prog([h.CENTRAL, "producer", "link", "F07",
                                      "--rotate", "--db", src])
        tok = LINK.match(out.strip()).group(1)
        rc, _, err = self.run_prog([h.CENTRAL, "migrate", "--from", src,
                                    "--db", self.cdb])
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.link("F07"), tok, "the same link after")
        srv = self.serve()
        self.assertEqual(self.get(srv, "/p/" + tok)[0], 200)
        self.note("migrate into PostgreSQL keeps the rotated link working")

    def qr(self, db, argv, name):
        """What zbarimg reads from the PNG the window renders."""
        zbarimg = shutil.which("zbarimg")
        self.assertIsNotNone(zbarimg, "zbarimg (zbar-tools) is needed")
        p = subprocess.run([h.POS, "--db", db] + argv, env=self.env,
                           capture_output=True, timeout=scaled(60))
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        path = os.path.join(self.tmp, name + ".png")
        with open(path, "wb") as f:
            f.write(p.stdout)
        z = subprocess.run([zbarimg, "-q", "--raw", path],
                           capture_output=True, text=True, timeout=scaled(60))
        self.assertEqual(z.returncode, 0, z.stderr)
        return z.stdout.strip()

    def master(self, srv, query):
        st, _, body = self.get(srv, "/v1/master?" + query,
                               token=self.tokens["DMS01"])
        return st, json.loads(body)


if __name__ == "__main__":
    h.main()

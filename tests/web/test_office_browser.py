"""The office's pages in a real browser: Debian's chromium, headless, driven
by playwright-core (office_browser.mjs) against the real pos-central, whose
data are real window stores pushed by the real `pos sync` over loopback.

Checked: log in; today and a window-day at 360x640 and 1280x800 (the
screenshots are kept in the build directory); the numbers on the pages
equal the JSON of /v1/reports and the windows' own Z reports; dir="rtl";
no sideways scrolling at 360 px; producers named like markup show as text
and no script runs; a POST without the CSRF token gets 403; the login
limit engages; axe-core finds nothing serious or critical on any page;
`tidy -e` finds no error or warning in any page.

Usage: python3 test_office_browser.py POS_CENTRAL POS DUMP_BATCH ARTEFACTS
"""

import http.client
import json
import os
import shutil
import subprocess
import sys
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "sync"))
import centralharness as h  # noqa: E402
import pushharness  # noqa: E402
from testtime import scaled  # noqa: E402

ARTEFACTS = None
PASSWORD = "correct horse battery"
XSS = ("<img src=x onerror=alert(1)>", '"><script>')


class OfficeBrowser(pushharness.PushTestCase):

    def make_windows(self):
        tokens = self.init_central(("DMS01", "HMS01"))
        d1 = self.make_window("d1", "DMS01", 1)
        d2 = self.make_window("d2", "DMS01", 2, variant=1, close=False)
        x1 = os.path.join(self.tmp, "x1.db")
        sup = {"POS_PIN": h.SUPERVISOR_PIN}
        self.pos(x1, ["init", "--branch", "HMS01", "--terminal", "1"])
        self.pos(x1, ["producer", "add", "X1", XSS[0]])
        self.pos(x1, ["producer", "add", "X2", XSS[1]])
        self.pos(x1, ["product", "add", "Q1", "سلة", "2500",
                      "--producer", "X1"])
        self.pos(x1, ["product", "add", "Q2", "صابون", "700",
                      "--producer", "X2"])
        self.pos(x1, ["user", "add", "ali", "--role", "attendant"],
                 stdin=(h.ATTENDANT_PIN + "\n").encode())
        self.pos(x1, ["user", "add", "sam", "--role", "supervisor"],
                 stdin=(h.SUPERVISOR_PIN + "\n").encode())
        self.pos(x1, ["day", "open", "--user", "ali", "--float", "5000"])
        self.pos(x1, ["sell", "--user", "ali", "--no-print", "Q1", "Q2*3"])
        self.pos(x1, ["day", "close", "--user", "sam", "--counted", "9000",
                      "--no-print"], env=sup)
        return tokens, {("DMS01", 1): d1, ("DMS01", 2): d2, ("HMS01", 1): x1}

    def user(self, name, role="office"):
        rc, out, err = self.run_prog(
            [h.CENTRAL, "user", "add", name, "--role", role, "--db",
             self.cdb], stdin=(PASSWORD + "\n").encode())
        self.assertEqual(rc, 0, out + err)

    def get(self, srv, path, cookie=None, token=None):
        conn = http.client.HTTPConnection(srv.host, srv.port,
                                          timeout=scaled(30))
        hd = {}
        if cookie:
            hd["Cookie"] = cookie
        if token:
            hd["Authorization"] = "Bearer " + token
        try:
            conn.request("GET", path, headers=hd)
            r = conn.getresponse()
            return r.status, r.headers, r.read().decode()
        finally:
            conn.close()

    def login_cookie(self, srv):
        """A session for fetching pages outside the browser (for tidy)."""
        st, hd, body = self.get(srv, "/login")
        login = hd["Set-Cookie"].split(";")[0]
        csrf = body.split('name="csrf" value="')[1][:64]
        conn = http.client.HTTPConnection(srv.host, srv.port,
                                          timeout=scaled(30))
        try:
            conn.request("POST", "/login", body=urllib.parse.urlencode(
                {"csrf": csrf, "user": "alice", "password": PASSWORD}),
                headers={"Cookie": login, "Content-Type":
                         "application/x-www-form-urlencoded"})
            r = conn.getresponse()
            r.read()
            self.assertEqual(r.status, 303)
            return r.headers["Set-Cookie"].split(";")[0]
        finally:
            conn.close()

    def test_the_office_pages_in_a_browser(self):
        node_modules = os.path.join(HERE, "node_modules")
        self.assertTrue(os.path.isdir(os.path.join(node_modules,
                                                   "playwright-core")),
                        "run .ci/setup (npm ci in tests/web) first")
        tokens, wins = self.make_windows()
        srv = self.serve()
        for (b, _), db in wins.items():
            self.sync_ok(db, self.url(srv),
                         self.token_file(tokens[b], "tok-" + b))
        # alice may change master data: the pages show her their forms.
        self.user("alice", "admin")
        self.user("limited")
        # The register names F07 otherwise than the windows: a conflict.
        for args in (["producer", "add", "F07", "مخبز حماه الكبير"],
                     ["product", "add", "P1", "خبز", "1500", "--producer",
                      "F07"]):
            rc, out, err = self.run_prog([h.CENTRAL] + args +
                                         ["--db", self.cdb])
            self.assertEqual(rc, 0, out + err)
        api = self.run_prog([h.CENTRAL, "token", "add", "t", "--db",
                             self.cdb, "--json"])
        api = json.loads(api[1])["token"]

        day = "/day?branch=HMS01&terminal=1&date=" + h.DAY1
        day_d1 = "/day?branch=DMS01&terminal=1&date=" + h.DAY1
        office = ["/producers", "/producers?q=" + urllib.parse.quote("حماه"),
                  "/producer?code=F07", "/conflicts", "/master/producers",
                  "/master/products", "/master/producer?code=F07",
                  "/master/product?code=P1", "/master/import",
                  "/producer/page/F07"]
        paths = ["/today", day, day_d1] + office
        shots = os.path.join(ARTEFACTS, "office" + ("_pg" if self.pg
                                                    else ""))
        shutil.rmtree(shots, True)
        os.makedirs(shots)
        rc, out, err = self.run_prog(
            ["node", os.path.join(HERE, "office_browser.mjs"),
             "http://" + srv.addr, "alice", PASSWORD, "limited", shots] +
            paths, timeout=240)
        self.assertEqual(rc, 0, err)
        seen = json.loads(out)

        self.assertEqual(seen["login"]["status"], 200)
        self.assertTrue(seen["login"]["url"].endswith("/today"), seen["login"])
        # Nothing was fetched from anywhere but the server.
        for u in seen["requests"]:
            self.assertTrue(u.startswith("http://" + srv.addr + "/"), u)
        self.assertIn("http://%s/static/NotoSansArabic-Regular.ttf"
                      % srv.addr, seen["requests"])
        self.assertEqual(seen["dialogs"], [])

        days = json.loads(self.get(srv, "/v1/reports/days", token=api)[2])
        prods = json.loads(self.get(srv, "/v1/reports/producers?date=" +
                                    h.DAY1, token=api)[2])
        for p, entry in seen["pages"].items():
            for size in ("360x640", "1280x800"):
                pg = entry[size]
                self.assertEqual(pg["status"], 200, p)
                self.assertTrue(os.path.getsize(pg["shot"]) > 0)
                self.assertEqual((pg["dir"], pg["lang"]), ("rtl", "ar"), p)
                self.assertLessEqual(pg["scrollWidth"], pg["clientWidth"],
                                     "%s at %s scrolls sideways" % (p, size))
                self.assertEqual(pg["injected"], 0)
                self.assertEqual(pg["scripts"], 0)
                self.assertIn("Noto Sans Arabic", pg["font"])
                for a in pg["amounts"]:
                    if a["key"] == "currency":
                        continue        # a producer page's currency column
                    self.assertTrue(a["bdi"], (p, a))
                    self.assertEqual(a["align"], "right", (p, a))
                    # "-600" on the screen, never "600-".
                    self.assertTrue(a["inOrder"], (p, size, a))
                self.assertEqual(pg["minusBad"], [], (p, size))
            bad = [v for v in entry["axe"] + entry["axe360"]
                   if v["impact"] in ("serious", "critical")]
            self.assertEqual(bad, [], p)

        # Today: every number is the JSON's.
        today = seen["pages"]["/today"]["360x640"]
        rows = {(r["branch"], str(r["terminal"])): r for r in days["days"]}
        pcodes = {p["code"]: p for p in prods["producers"]}
        checked = 0
        for a in today["amounts"]:
            shown = a["text"].replace(",", "")
            if a["code"]:
                want = pcodes[a["code"]][a["key"]]
            else:
                want = rows[(a["branch"], a["terminal"])][a["key"]]
            # null (a day still open) is shown as a dash.
            self.assertEqual(shown, want if want is not None else "—", a)
            checked += 1
        self.assertGreaterEqual(checked, 3 + 5 * 4)
        self.assertEqual(sorted(today["names"]),
                         # F07 by its registered name.
                         sorted(["مخبز حماه الكبير", "Idlib Co-op"] +
                                list(XSS)))

        # Producers: every number is the all-time JSON's, per producer and
        # per window.
        allp = json.loads(self.get(srv, "/v1/reports/producers",
                                   token=api)[2])
        byc = {p["code"]: p for p in allp["producers"]}
        pg = seen["pages"]["/producers"]["360x640"]
        checked = 0
        for a in pg["amounts"]:
            p = byc[a["code"]]
            if a["window"]:
                b, t = a["window"].split("/")
                p = [w for w in p["windows"] if w["branch"] == b and
                     w["terminal"] == int(t)][0]
            self.assertEqual(a["text"].replace(",", ""), p[a["key"]], a)
            checked += 1
        self.assertGreaterEqual(checked, 6 * len(byc))
        self.assertEqual(sorted(pg["names"]), sorted(
            [p["name"] for p in allp["producers"]]))
        self.assertEqual(
            {a["code"] for a in seen["pages"]["/producers?q=" +
                                              urllib.parse.quote("حماه")]
             ["360x640"]["amounts"]}, {"F07"})

        # A window-day: every figure is the window's own Z report.
        for p, db in ((day, wins[("HMS01", 1)]), (day_d1,
                                                  wins[("DMS01", 1)])):
            z = self.pos(db, ["report", "z", "--date", h.DAY1],
                         json_out=True)
            shown = {a["key"]: a["text"].replace(",", "")
                     for a in seen["pages"][p]["1280x800"]["amounts"]}
            for k in ("sales_count", "gross", "discounts", "refunds",
                      "refunds_count", "voids", "voids_total", "net",
                      "payouts", "cash_in", "cash_out", "float",
                      "expected_cash", "counted_cash", "difference"):
                self.assertEqual(shown[k], str(z[k]), (p, k))
            for k in ("cash", "card", "other"):
                self.assertEqual(shown[k], str(z["by_method"][k]), (p, k))

        self.assertEqual((seen["english"]["dir"], seen["english"]["lang"]),
                         ("ltr", "en"))
        self.assertEqual(seen["csrf"], 403)
        self.assertTrue(seen["afterLogout"].endswith("/login"))
        self.assertEqual(seen["limit"], [401] * 5 + [429])

        # The HTML validates: tidy reports no error and no warning.
        cookie = self.login_cookie(srv)
        for p in paths + ["/login", "/today?lang=en"]:
            st, _, html = self.get(srv, p, cookie=cookie)
            self.assertEqual(st, 200, p)
            t = subprocess.run(["tidy", "-e", "-q", "--show-warnings", "yes"],
                               input=html.encode(), capture_output=True,
                               timeout=scaled(30))
            self.assertEqual(t.returncode, 0, (p, t.stderr.decode()))
        self.note("producers, a producer, conflicts, master data and the "
                  "import form: numbers = JSON, axe, tidy, no overflow")
        self.note("login, today, two window-days at 360 and 1280 px "
                  "(screenshots in %s): rtl, no sideways scrolling, numbers "
                  "= JSON = the windows' Z, names as text, no script, CSRF "
                  "403, limit 429, axe and tidy clean" % shots)


if __name__ == "__main__":
    ARTEFACTS = sys.argv.pop(4)
    h.main()

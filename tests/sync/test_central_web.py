"""The office's accounts, login and pages on the real pos-central, fed by
real window stores pushed over loopback: users and API tokens as the store
keeps them, the login cookie and its CSRF token, the login limits, the
reports as JSON byte for byte the command line's, and journal text escaped
in the pages. Headless-browser checks are in tests/web.

The central store and the windows are made once (centralharness
made_once); every test works on fresh copies."""

import calendar
import http.client
import json
import os
import re
import time
import urllib.parse

import centralharness as h
from testtime import scaled

PASSWORD = "correct horse battery"
XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = '"><script>'


def make_xss_window(tc, name, branch, terminal):
    """A window whose producers are named like markup, with a day of
    sales of theirs, closed."""
    db = os.path.join(tc.tmp, name + ".db")
    sup = {"POS_PIN": h.SUPERVISOR_PIN}
    tc.pos(db, ["init", "--branch", branch, "--terminal", str(terminal)])
    tc.pos(db, ["producer", "add", "X1", XSS_IMG])
    tc.pos(db, ["producer", "add", "X2", XSS_SCRIPT])
    tc.pos(db, ["product", "add", "Q1", "سلة", "2500", "--producer", "X1"])
    tc.pos(db, ["product", "add", "Q2", "صابون", "700", "--producer", "X2"])
    tc.pos(db, ["user", "add", "ali", "--role", "attendant"],
           stdin=(h.ATTENDANT_PIN + "\n").encode())
    tc.pos(db, ["user", "add", "sam", "--role", "supervisor"],
           stdin=(h.SUPERVISOR_PIN + "\n").encode())
    tc.pos(db, ["day", "open", "--user", "ali", "--float", "5000"])
    tc.pos(db, ["sell", "--user", "ali", "--no-print", "Q1", "Q2*3"])
    tc.pos(db, ["day", "close", "--user", "sam", "--counted", "9600",
                "--no-print"], env=sup)
    return db


class Client:
    """One browser-like HTTP client: keeps its cookies (by name)."""

    def __init__(self, srv):
        self.srv = srv
        self.cookies = {}
        self.set_cookie = []

    def request(self, method, path, form=None, headers=None, body=None):
        conn = http.client.HTTPConnection(self.srv.host, self.srv.port,
                                          timeout=scaled(30))
        hd = dict(headers or {})
        if self.cookies:
            hd["Cookie"] = "; ".join("%s=%s" % kv
                                     for kv in self.cookies.items())
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            hd["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=hd)
            resp = conn.getresponse()
            data = resp.read()
        finally:
            conn.close()
        self.set_cookie = resp.headers.get_all("Set-Cookie") or []
        for c in self.set_cookie:
            k, v = c.split(";", 1)[0].split("=", 1)
            if "Max-Age=0" in c:
                self.cookies.pop(k, None)
            else:
                self.cookies[k] = v
        return resp.status, resp.headers, data.decode("utf-8", "replace")

    def login_form(self):
        st, _, body = self.request("GET", "/login")
        m = re.search(r'action="/login">\s*<input type="hidden" '
                      r'name="csrf" value="([0-9a-f]{64})"', body)
        return st, m.group(1) if m else None

    def login(self, user, password):
        _, csrf = self.login_form()
        return self.request("POST", "/login", form={
            "csrf": csrf, "user": user, "password": password})


class Web(h.CentralTestCase):

    WINDOWS = {("DMS01", 1): "d1", ("DMS01", 2): "d2"}

    def make_stores(self):
        tokens = self.init_central(("DMS01", "HMS01", "ALP01"))
        for i, ((b, t), name) in enumerate(self.WINDOWS.items()):
            self.make_window(name, b, t, variant=i, close=(name != "d2"))
        make_xss_window(self, "x1", "HMS01", 1)
        srv = self.serve()
        for (b, name) in (("DMS01", "d1"), ("DMS01", "d2"), ("HMS01", "x1")):
            w = os.path.join(self.tmp, name + ".db")
            st, ans = self.post(srv, tokens[b], self.dump(w))
            self.assertEqual(st, 200, ans)
        self.stop_server(srv)
        self.central_pw(["user", "add", "alice", "--role", "office"])
        self.central_pw(["user", "add", "root", "--role", "admin"])
        return tokens

    def central_pw(self, args, password=PASSWORD, rc_want=0):
        rc, out, err = self.run_prog([h.CENTRAL] + args + ["--db", self.cdb],
                                     stdin=(password + "\n").encode())
        self.assertEqual(rc, rc_want, out + err)
        return out, err

    def setUp(self):
        super().setUp()
        self.tokens = self.made_once(
            self.make_stores, ["central.db", "d1.db", "d2.db", "x1.db"])

    # ---- accounts ----

    def test_users_are_stored_with_a_slow_salted_kdf(self):
        self.central_pw(["user", "add", "bob", "--role", "office"])
        rows = dict(self.sql("SELECT name, password FROM users"))
        for name in ("alice", "bob"):
            scheme, iters, salt, key = rows[name].split("$")
            self.assertEqual(scheme, "pbkdf2-sha256")
            self.assertGreaterEqual(int(iters), 600000)
            self.assertEqual(len(bytes.fromhex(salt)), 16)
            self.assertEqual(len(bytes.fromhex(key)), 32)
        # Same password, different salt: different stored values.
        self.assertNotEqual(rows["alice"], rows["bob"])
        self.assertNotIn(PASSWORD, json.dumps(rows))
        users = self.central(["user", "list"], json_out=True)["users"]
        self.assertEqual([(u["name"], u["role"], u["disabled"])
                          for u in users],
                         [("alice", "office", False), ("bob", "office", False),
                          ("root", "admin", False)])
        self.assertNotIn("password", json.dumps(users))
        # Bad input changes nothing.
        self.central_pw(["user", "add", "bob", "--role", "office"],
                        rc_want=2)
        self.central_pw(["user", "add", "eve", "--role", "boss"], rc_want=2)
        self.central_pw(["user", "add", "eve", "--role", "office"],
                        password="short", rc_want=2)
        self.central_pw(["user", "add", "e<ve", "--role", "office"],
                        rc_want=2)
        self.assertEqual(len(self.central(["user", "list"],
                                          json_out=True)["users"]), 3)
        self.central(["user", "disable", "bob"])
        self.central(["user", "disable", "bob"], rc_want=2)
        self.central(["user", "disable", "nobody"], rc_want=2)
        users = self.central(["user", "list"], json_out=True)["users"]
        self.assertTrue(users[1]["disabled"])
        self.note("users: PBKDF2-SHA256 >= 600,000 rounds, 16-byte salt; "
                  "list, disable; bad input refused with exit 2")

    def test_api_tokens_are_stored_only_as_a_digest(self):
        tok = self.central(["token", "add", "scripts"], json_out=True)["token"]
        self.assertRegex(tok, "^[0-9a-f]{64}$")
        stored = self.sql("SELECT name, hex(token_hash) FROM api_tokens",
                          "SELECT name, encode(token_hash, 'hex')"
                          " FROM api_tokens")
        import hashlib
        self.assertEqual([(n, d.lower()) for n, d in stored],
                         [("scripts", hashlib.sha256(tok.encode())
                           .hexdigest())])
        self.central(["token", "add", "scripts"], rc_want=2)
        self.note("token add: shown once, stored as SHA-256 only")

    # ---- login ----

    def test_login_sets_a_strict_session_cookie_stored_as_a_digest(self):
        srv = self.serve()
        c = Client(srv)
        st, hd, _ = c.request("GET", "/today")
        self.assertEqual((st, hd["Location"]), (303, "/login"))
        st, hd, _ = c.login("alice", PASSWORD)
        self.assertEqual((st, hd["Location"]), (303, "/today"), _)
        cookie = [x for x in c.set_cookie if x.startswith("pc_session=")][0]
        for attr in ("HttpOnly", "SameSite=Strict", "Path=/", "Max-Age="):
            self.assertIn(attr, cookie)
        self.assertNotIn("Secure", cookie)     # plain HTTP here
        value = c.cookies["pc_session"]
        import hashlib
        stored = [r[0].lower() for r in self.sql(
            "SELECT hex(token_hash) FROM web_sessions",
            "SELECT encode(token_hash, 'hex') FROM web_sessions")]
        self.assertEqual(stored, [hashlib.sha256(value.encode()).hexdigest()])
        st, hd, body = c.request("GET", "/today")
        self.assertEqual(st, 200, body)
        for k, v in (("Content-Security-Policy", "frame-ancestors 'none'"),
                     ("Referrer-Policy", "no-referrer"),
                     ("X-Content-Type-Options", "nosniff")):
            self.assertIn(v, hd[k])
        self.assertNotIn("unsafe-inline", hd["Content-Security-Policy"])
        self.assertIn('dir="rtl"', body)
        self.note("login: 303 to /today; cookie HttpOnly, SameSite=Strict, "
                  "expiring; only its SHA-256 stored; CSP, no-referrer, "
                  "nosniff")

    def test_a_post_without_the_csrf_token_is_refused(self):
        srv = self.serve()
        c = Client(srv)
        c.login_form()
        st, _, _ = c.request("POST", "/login", form={
            "user": "alice", "password": PASSWORD})
        self.assertEqual(st, 403)
        st, _, _ = c.request("POST", "/login", form={
            "csrf": "0" * 64, "user": "alice", "password": PASSWORD})
        self.assertEqual(st, 403)
        self.assertEqual(self.sql("SELECT count(*) FROM web_sessions"),
                         [(0,)] if not self.pg else [("0",)])
        st, _, _ = c.login("alice", PASSWORD)
        self.assertEqual(st, 303)
        st, _, _ = c.request("POST", "/logout", form={})
        self.assertEqual(st, 403)
        st, _, _ = c.request("GET", "/today")
        self.assertEqual(st, 200)       # still logged in
        _, _, body = c.request("GET", "/today")
        csrf = re.search(r'name="csrf" value="([0-9a-f]{64})"', body).group(1)
        st, hd, _ = c.request("POST", "/logout", form={"csrf": csrf})
        self.assertEqual((st, hd["Location"]), (303, "/login"))
        st, hd, _ = c.request("GET", "/today")
        self.assertEqual((st, hd["Location"]), (303, "/login"))
        self.note("POST /login and /logout without their CSRF token: 403, "
                  "nothing changed; with it: logged in, then out")

    def test_wrong_password_and_unknown_user_answer_the_same(self):
        srv = self.serve()
        c = Client(srv)
        a = c.login("alice", "wrong password")
        b = c.login("nobody", "wrong password")
        self.central(["user", "disable", "root"])
        d = c.login("root", PASSWORD)
        self.assertEqual(a[0], 401)
        self.assertEqual((a[0], a[2]), (b[0], b[2]))
        self.assertEqual((a[0], a[2]), (d[0], d[2]))
        self.note("wrong password, unknown user, disabled user: the same "
                  "401 page")

    def test_the_login_limit_engages_per_user_and_per_address(self):
        srv = self.serve()
        c = Client(srv)
        for _ in range(5):
            st, _, _ = c.login("alice", "wrong password")
            self.assertEqual(st, 401)
        st, _, body = c.login("alice", PASSWORD)
        self.assertEqual(st, 429, body)
        self.assertEqual(self.sql("SELECT count(*) FROM web_sessions"),
                         [(0,)] if not self.pg else [("0",)])
        # Another user from the same address still may, until the address
        # has had 20 failures.
        st, _, _ = c.login("root", PASSWORD)
        self.assertEqual(st, 303)
        for i in range(15):
            st, _, _ = c.login("guess%d" % i, "wrong password")
            self.assertEqual(st, 401)
        st, _, _ = c.login("root", PASSWORD)
        self.assertEqual(st, 429)
        self.note("5 failures for a user, 20 for an address: then 429 even "
                  "with the right password")

    def test_a_disabled_user_loses_their_session(self):
        srv = self.serve()
        c = Client(srv)
        self.assertEqual(c.login("alice", PASSWORD)[0], 303)
        self.assertEqual(c.request("GET", "/today")[0], 200)
        self.central(["user", "disable", "alice"])
        self.assertEqual(c.request("GET", "/today")[0], 303)
        self.note("user disable ends the user's sessions")

    def test_two_servers_on_one_store_share_users_and_sessions(self):
        a = self.serve()
        b = self.serve()
        c = Client(a)
        self.assertEqual(c.login("alice", PASSWORD)[0], 303)
        c.srv = b
        st, _, body = c.request("GET", "/today")
        self.assertEqual(st, 200, body)
        self.note("a session made on one server is good on the other")

    # ---- JSON ----

    def api(self, srv, path, token=None, cookie=None):
        conn = http.client.HTTPConnection(srv.host, srv.port,
                                          timeout=scaled(30))
        hd = {}
        if token:
            hd["Authorization"] = "Bearer " + token
        if cookie:
            hd["Cookie"] = "pc_session=" + cookie
        try:
            conn.request("GET", path, headers=hd)
            r = conn.getresponse()
            return r.status, r.read().decode()
        finally:
            conn.close()

    def test_reports_json_is_the_command_lines(self):
        tok = self.central(["token", "add", "scripts"], json_out=True)["token"]
        srv = self.serve()
        c = Client(srv)
        c.login("alice", PASSWORD)
        cases = [("days", [], ""),
                 ("days", ["--date", h.DAY1], "?date=" + h.DAY1),
                 ("days", ["--from", h.DAY1, "--to", h.DAY1],
                  "?from=%s&to=%s" % (h.DAY1, h.DAY1)),
                 ("producers", [], ""),
                 ("producers", ["--date", h.DAY1], "?date=" + h.DAY1),
                 ("missing", [], ""),
                 ("missing", ["--hours", "1"], "?hours=1")]
        for report, args, q in cases:
            rc, cli, err = self.run_prog([h.CENTRAL, "report", report] + args
                                         + ["--db", self.cdb, "--json"])
            self.assertEqual(rc, 0, err)
            for auth in ({"token": tok},
                         {"cookie": c.cookies["pc_session"]}):
                st, body = self.api(srv, "/v1/reports/" + report + q, **auth)
                self.assertEqual(st, 200, body)
                self.assertEqual(body, cli, (report, args))
        # The numbers are the windows' own.
        d1 = self.pos(os.path.join(self.tmp, "d1.db"),
                      ["report", "z", "--date", h.DAY1], json_out=True)
        _, body = self.api(srv, "/v1/reports/days?date=" + h.DAY1, token=tok)
        row = [r for r in json.loads(body)["days"]
               if (r["branch"], r["terminal"]) == ("DMS01", 1)][0]
        self.assertEqual(row["net"], d1["net"])
        self.note("GET /v1/reports/days|producers|missing: byte for byte "
                  "`report ... --json`, by API token and by session")

    def test_reports_refuse_branch_tokens_and_strangers(self):
        srv = self.serve()
        st, body = self.api(srv, "/v1/reports/days",
                            token=self.tokens["DMS01"])
        self.assertEqual(st, 403, body)
        self.assertIn("branch", json.loads(body)["error"])
        st, _ = self.api(srv, "/v1/reports/days")
        self.assertEqual(st, 401)
        st, _ = self.api(srv, "/v1/reports/days", token="f" * 64)
        self.assertEqual(st, 401)
        tok = self.central(["token", "add", "scripts"], json_out=True)["token"]
        # An API token is no branch token either.
        st, _ = self.post(srv, tok, b"{}", path="/v1/journal")
        self.assertEqual(st, 401)
        for q in ("?date=2026-02-30", "?date=x", "?from=2026-03-02&to="
                  "2026-03-01", "?date=%s&from=%s" % (h.DAY1, h.DAY1)):
            st, body = self.api(srv, "/v1/reports/days" + q, token=tok)
            self.assertEqual(st, 400, q)
            self.assertIn("error", json.loads(body))
        st, body = self.api(srv, "/v1/reports/missing?hours=-1", token=tok)
        self.assertEqual(st, 400)
        self.note("a branch token: 403; none or unknown: 401; bad query: "
                  "400 with a reason; an API token cannot push")

    # ---- pages ----

    def test_pages_escape_journal_text_and_show_the_json(self):
        srv = self.serve()
        c = Client(srv)
        c.login("alice", PASSWORD)
        st, _, body = c.request("GET", "/today?date=" + h.DAY1)
        self.assertEqual(st, 200, body)
        self.assertNotIn(XSS_IMG, body)
        self.assertNotIn("<script", body)
        self.assertIn("&lt;img src=x onerror=alert(1)&gt;", body)
        self.assertIn("&quot;&gt;&lt;script&gt;", body)
        # d2's day is not closed: highlighted.
        self.assertRegex(body, r'<tr class="warn" data-branch="DMS01" '
                               r'data-terminal="2">')
        # Why, in the page's tongue (the JSON's codes), and its sync time
        # as the server's local time beside the stored UTC one.
        self.assertRegex(body, "لم يُغلق اليوم: \u200e"
                         r"\d{4}-\d\d-\d\d")
        self.assertNotIn("not closed", body)
        times = re.findall(r'<time dir="ltr" datetime="([0-9T:Z-]+)">'
                           r'([^<]+)</time>', body)
        self.assertTrue(times, body)
        for utc, shown in times:
            t = calendar.timegm(time.strptime(utc, "%Y-%m-%dT%H:%M:%SZ"))
            self.assertEqual(shown, time.strftime("%Y-%m-%d %H:%M",
                                                  time.localtime(t)))
        st, _, js = c.request("GET", "/v1/reports/days?date=" + h.DAY1)
        self.assertEqual(st, 200, js)
        miss = [m for m in json.loads(js)["missing"]
                if (m["branch"], m["terminal"]) == ("DMS01", 2)]
        self.assertEqual(len(miss), 1, js)
        self.assertIn("not_closed", miss[0]["why"])
        self.assertRegex(miss[0]["latest_day"], r"^\d{4}-\d\d-\d\d$")
        st, hd, csv = c.request("GET", "/today?csv=producers&date=" + h.DAY1)
        self.assertEqual(st, 200)
        self.assertIn("text/csv", hd["Content-Type"])
        self.assertIn("attachment", hd["Content-Disposition"])
        self.assertIn('X1,<img src=x onerror=alert(1)>', csv)
        st, _, body = c.request("GET", "/day?branch=HMS01&terminal=1&date="
                                + h.DAY1)
        self.assertEqual(st, 200, body)
        self.assertIn('data-k="float">5,000<', body)
        st, _, body = c.request("GET", "/today?lang=en&date=" + h.DAY1)
        self.assertIn('<html lang="en" dir="ltr">', body)
        self.assertRegex(body, "day not closed: \u200e"
                         r"\d{4}-\d\d-\d\d")
        self.assertIn('href="/day?branch=HMS01&amp;terminal=1&amp;date=%s'
                      '&amp;lang=en"' % h.DAY1, body)
        st, _, body = c.request("GET", "/day?branch=HMS01&terminal=9&date="
                                + h.DAY1)
        self.assertEqual(st, 404)
        st, _, body = c.request("GET", "/day?branch=HMS01&terminal=x")
        self.assertEqual(st, 400)
        self.note("names typed at a window are text in the pages and raw "
                  "in the CSV; the day page; 404 and 400 for bad days")

    def test_the_session_cookie_is_secure_over_tls(self):
        import ssl
        import subprocess
        cert = os.path.join(self.tmp, "cert.pem")
        key = os.path.join(self.tmp, "key.pem")
        p = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048",
                            "-nodes", "-subj", "/CN=localhost", "-addext",
                            "subjectAltName=IP:127.0.0.1", "-days", "2",
                            "-keyout", key, "-out", cert],
                           capture_output=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        srv = self.serve(["--tls-cert", cert, "--tls-key", key])
        ctx = ssl.create_default_context(cafile=cert)

        def req(method, path, body=None, hd=None):
            conn = http.client.HTTPSConnection(srv.host, srv.port,
                                               timeout=scaled(30), context=ctx)
            try:
                conn.request(method, path, body=body, headers=hd or {})
                r = conn.getresponse()
                return r, r.read().decode()
            finally:
                conn.close()
        r, body = req("GET", "/login")
        login = r.headers["Set-Cookie"]
        self.assertIn("; Secure", login)
        csrf = re.search(r'name="csrf" value="([0-9a-f]{64})"', body).group(1)
        r, _ = req("POST", "/login", urllib.parse.urlencode(
            {"csrf": csrf, "user": "alice", "password": PASSWORD}),
            {"Cookie": login.split(";")[0],
             "Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(r.status, 303)
        cookie = r.headers["Set-Cookie"]
        for attr in ("pc_session=", "HttpOnly", "SameSite=Strict", "Secure"):
            self.assertIn(attr, cookie)
        self.note("over TLS both cookies are Secure")

    def test_amounts_follow_the_currency_digits(self):
        self.env["POS_CENTRAL_CURRENCY_DIGITS"] = "arabic-indic"
        srv = self.serve()
        c = Client(srv)
        c.login("alice", PASSWORD)
        st, _, body = c.request("GET", "/day?branch=HMS01&terminal=1&date="
                                + h.DAY1)
        self.assertEqual(st, 200, body)
        self.assertIn('data-k="float">٥٬٠٠٠<', body)
        st, _, csv = c.request("GET", "/day?branch=HMS01&terminal=1&date="
                               + h.DAY1 + "&csv=z")
        self.assertIn("float,5000\r\n", csv)
        self.note("[currency] digits = arabic-indic: the pages show ٥٬٠٠٠, "
                  "the CSV keeps 5000")


if __name__ == "__main__":
    h.main()

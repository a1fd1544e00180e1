"""The office's producers, conflicts and master-data pages on the real
pos-central, fed by real window stores pushed over loopback: the figures
on the pages are the JSON's (`report producers|conflicts --json`), the
search normalises Arabic as the window does, changes need the CSRF token
and the role admin and go through the commands' functions (the
master-data version moves), the CSV import is all or nothing with
FILE:LINE errors, names typed at a window stay text, and `token list` /
`token revoke`. Headless-browser checks of these pages are in tests/web."""

import html
import http.client
import json
import os
import re
import urllib.parse
import uuid

import centralharness as h
from testtime import scaled
from test_central_web import Client, PASSWORD, make_xss_window

PUBLIC = "https://pos.example.org/"
LINK = re.compile(r"^https://pos\.example\.org/p/([0-9a-f]{64})$")
FIGURES = re.compile(r'data-k="([a-z_]+)" data-v="([^"]*)"')


def make_ahmad_window(tc, name, branch, terminal):
    """A window whose producer is written with hamza (أحمد), one sale."""
    db = os.path.join(tc.tmp, name + ".db")
    sup = {"POS_PIN": h.SUPERVISOR_PIN}
    tc.pos(db, ["init", "--branch", branch, "--terminal", str(terminal)])
    tc.pos(db, ["producer", "add", "A5", "أحمد الحلبي"])
    tc.pos(db, ["product", "add", "R1", "مربى", "1200", "--producer", "A5"])
    tc.pos(db, ["user", "add", "ali", "--role", "attendant"],
           stdin=(h.ATTENDANT_PIN + "\n").encode())
    tc.pos(db, ["user", "add", "sam", "--role", "supervisor"],
           stdin=(h.SUPERVISOR_PIN + "\n").encode())
    tc.pos(db, ["day", "open", "--user", "ali", "--float", "1000"])
    tc.pos(db, ["sell", "--user", "ali", "--no-print", "R1*2"])
    tc.pos(db, ["day", "close", "--user", "sam", "--counted", "3400",
                "--no-print"], env=sup)
    return db


def plain(shown):
    """An amount as a page shows it (Western digits, grouped) as the
    JSON writes it."""
    return shown.replace(",", "")


def rows(body, table):
    """{(data-code, data-window or ''): {data-k: shown}} of a table."""
    m = re.search(r'<table id="%s">(.*?)</table>' % table, body, re.S)
    out = {}
    if not m:
        return out
    for tr in re.finditer(r'<tr data-code="([^"]*)"[^>]*?'
                          r'(?: data-window="([^"]*)")?>(.*?)</tr>',
                          m.group(1), re.S):
        cells = dict(re.findall(r'<bdi[^>]*? data-k="([a-z_]+)">([^<]*)</bdi>',
                                tr.group(3)))
        out[(html.unescape(tr.group(1)), tr.group(2) or "")] = cells
    return out


class Office(h.CentralTestCase):

    def make_stores(self):
        tokens = self.init_central(("DMS01", "HMS01", "ALP01"))
        self.make_window("d1", "DMS01", 1)
        self.make_window("d2", "DMS01", 2, variant=1)
        make_xss_window(self, "x1", "HMS01", 1)
        make_ahmad_window(self, "a1", "ALP01", 1)
        srv = self.serve()
        for (b, name) in (("DMS01", "d1"), ("DMS01", "d2"), ("HMS01", "x1"),
                          ("ALP01", "a1")):
            st, ans = self.post(srv, tokens[b],
                                self.dump(os.path.join(self.tmp,
                                                       name + ".db")))
            self.assertEqual(st, 200, ans)
        self.stop_server(srv)
        # The register names F07 otherwise than the windows: a conflict.
        self.central(["producer", "add", "F07", "مخبز حماه الكبير"])
        for user, role in (("alice", "office"), ("root", "admin")):
            rc, out, err = self.run_prog(
                [h.CENTRAL, "user", "add", user, "--role", role, "--db",
                 self.cdb], stdin=(PASSWORD + "\n").encode())
            self.assertEqual(rc, 0, out + err)
        return tokens

    def setUp(self):
        super().setUp()
        self.tokens = self.made_once(
            self.make_stores, ["central.db", "d1.db", "d2.db", "x1.db",
                               "a1.db"])

    def login(self, srv, user):
        c = Client(srv)
        st, _, body = c.login(user, PASSWORD)
        self.assertEqual(st, 303, body)
        st, _, body = c.request("GET", "/producers")
        self.assertEqual(st, 200, body)
        c.csrf = re.search(r'name="csrf" value="([0-9a-f]{64})"',
                           body).group(1)
        return c

    # ---- producers ----

    def test_producers_page_shows_the_reports_json(self):
        srv = self.serve()
        c = self.login(srv, "alice")
        _, _, js = c.request("GET", "/v1/reports/producers")
        rep = json.loads(js)
        _, _, body = c.request("GET", "/producers")
        page = rows(body, "producers-table")
        wins = rows(body, "windows-table")
        self.assertEqual(len(page), len(rep["producers"]))
        keys = ("sold", "refunded", "net", "paid_out", "owed", "owes_window")
        nwin = 0
        for p in rep["producers"]:
            shown = page[(p["code"], "")]
            self.assertEqual({k: plain(shown[k]) for k in keys},
                             {k: p[k] for k in keys}, p["code"])
            for w in p["windows"]:
                nwin += 1
                cell = wins[(p["code"], "%s/%d" % (w["branch"],
                                                  w["terminal"]))]
                for k in ("net", "paid_out", "owed", "owes_window"):
                    self.assertEqual(plain(cell[k]), w[k], (p["code"], w))
        self.assertEqual(len(wins), nwin)
        # F07 sells at two windows: owed across them and at each.
        f07 = [p for p in rep["producers"] if p["code"] == "F07"][0]
        self.assertEqual(len(f07["windows"]), 2)
        _, hd, csv = c.request("GET", "/producers?csv=producers")
        self.assertIn("text/csv", hd["Content-Type"])
        lines = csv.split("\r\n")
        self.assertEqual(lines[0], "code,name,currency,sold,refunded,net,"
                         "paid_out,owed,owes_window")
        self.assertIn("F07,مخبز حماه الكبير,%s,%s,%s,%s,%s,%s,%s" % (
            f07["currency"], f07["sold"], f07["refunded"], f07["net"],
            f07["paid_out"], f07["owed"], f07["owes_window"]), lines)
        _, _, wcsv = c.request("GET", "/producers?csv=windows")
        self.assertEqual(len(wcsv.strip().split("\r\n")) - 1, nwin)
        # A producer's own view: the same figures.
        st, _, one = c.request("GET", "/producer?code=F07")
        self.assertEqual(st, 200)
        self.assertEqual(rows(one, "producers-table")[("F07", "")],
                         page[("F07", "")])
        self.assertEqual(len(rows(one, "windows-table")), 2)
        st, _, _ = c.request("GET", "/producer?code=NOPE")
        self.assertEqual(st, 404)
        st, _, _ = c.request("GET", "/producer?code=%3Cx%3E")
        self.assertEqual(st, 400)
        self.note("producers page and a producer's view: the numbers of "
                  "GET /v1/reports/producers, per producer and per window")

    def test_search_normalises_arabic_as_the_window(self):
        srv = self.serve()
        c = self.login(srv, "alice")
        cases = [("احمد", {"A5"}), ("أحمد", {"A5"}), ("إحمد", {"A5"}),
                 ("أَحْمَد", {"A5"}), ("حماة", {"F07"}), ("حماه", {"F07"}),
                 ("idlib", {"F11"}), ("f1", {"F11"}), ("لا يوجد", set())]
        for q, want in cases:
            st, _, body = c.request("GET", "/producers?q=" +
                                    urllib.parse.quote(q))
            self.assertEqual(st, 200, body)
            got = {k[0] for k in rows(body, "producers-table")}
            self.assertEqual(got, want, q)
            self.assertEqual('id="none"' in body, not want, q)
        _, _, csv = c.request("GET", "/producers?csv=producers&q=" +
                              urllib.parse.quote("احمد"))
        self.assertEqual([ln.split(",")[0] for ln in
                          csv.strip().split("\r\n")[1:]], ["A5"])
        self.note("احمد, إحمد and أَحْمَد find أحمد; حماه finds حماة")

    def test_pages_are_gzipped_for_clients_that_accept_it(self):
        import gzip
        srv = self.serve()
        c = self.login(srv, "alice")
        for path in ("/producers", "/today?date=" + h.DAY1,
                     "/producers?csv=producers"):
            st, hd, plain_body = c.request("GET", path)
            self.assertEqual(st, 200)
            self.assertIsNone(hd["Content-Encoding"])
            conn = http.client.HTTPConnection(srv.host, srv.port,
                                              timeout=scaled(30))
            try:
                conn.request("GET", path, headers={
                    "Accept-Encoding": "gzip, deflate",
                    "Cookie": "pc_session=" + c.cookies["pc_session"]})
                r = conn.getresponse()
                raw = r.read()
            finally:
                conn.close()
            self.assertEqual(r.headers["Vary"], "Accept-Encoding")
            if len(plain_body.encode()) > 2048:
                self.assertEqual(r.headers["Content-Encoding"], "gzip", path)
                self.assertEqual(gzip.decompress(raw).decode(), plain_body)
                self.assertLess(len(raw), len(plain_body.encode()))
            else:
                self.assertEqual(raw.decode(), plain_body)
        self.note("Accept-Encoding: gzip gets the same page gzipped; "
                  "without it, plain")

    # ---- conflicts ----

    def test_conflicts_page_is_report_conflicts(self):
        srv = self.serve()
        c = self.login(srv, "alice")
        rep = self.central(["report", "conflicts"], json_out=True)
        self.assertGreater(rep["conflicts"], 0)
        st, _, body = c.request("GET", "/conflicts")
        self.assertEqual(st, 200, body)
        self.assertIn('id="conflicts-count">%d<' % rep["conflicts"], body)
        trs = re.findall(r'<tr data-kind="([a-z]+)" data-code="([^"]*)">'
                         r'.*?<bdi class="name">([^<]*)</bdi>', body)
        want = [(kind[:-1], g["code"], n["name"])
                for kind in ("producers", "products") for g in rep[kind]
                for n in g["names"]]
        self.assertEqual([(k, c_, html.unescape(n)) for k, c_, n in trs],
                         want)
        _, _, csv = c.request("GET", "/conflicts?csv=1")
        self.assertEqual(len(csv.strip().split("\r\n")) - 1, len(want))
        self.assertIn("F07,مخبز حماه الكبير,", csv)
        self.note("the conflicts page lists what report conflicts --json "
                  "gives, name for name")

    # ---- master data ----

    # ---- a producer's own page and their link ----

    def link_env(self):
        self.env["POS_CENTRAL_CENTRAL_PUBLIC_URL"] = PUBLIC
        self.env["POS_CENTRAL_CENTRAL_LINK_KEY"] = os.path.join(self.tmp,
                                                                "link.key")

    def cli_link(self, code):
        out = self.central(["producer", "link", code])[0].strip()
        m = LINK.match(out)
        self.assertIsNotNone(m, out)
        return m.group(1)

    def anon_get(self, srv, path):
        c = http.client.HTTPConnection(srv.host, srv.port,
                                       timeout=scaled(30))
        try:
            c.request("GET", path)
            r = c.getresponse()
            return r.status, r.headers, r.read().decode()
        finally:
            c.close()

    def test_office_sees_the_producers_page_as_they_do(self):
        self.link_env()
        tok = self.cli_link("F07")
        srv = self.serve()
        alice = self.login(srv, "alice")
        st, _, one = alice.request("GET", "/producer?code=F07")
        self.assertEqual(st, 200, one)
        self.assertIn('href="/producer/page/F07"', one)
        # An office user may look, not rotate: no form.
        self.assertNotIn('action="/producer/rotate"', one)
        q = "?from=2000-01-01&to=2099-12-31"
        for suffix in ("", q):
            st, hd, office = alice.request("GET", "/producer/page/F07" +
                                           suffix)
            self.assertEqual(st, 200, office)
            st, _, theirs = self.anon_get(srv, "/p/" + tok + suffix)
            self.assertEqual(st, 200, theirs)
            figs = FIGURES.findall(office)
            self.assertTrue(figs)
            self.assertEqual(figs, FIGURES.findall(theirs), suffix)
        # The chosen period, all time, is the office's own all-time row.
        _, _, page = alice.request("GET", "/producer/page/F07" + q)
        allt = re.search(r'<tr data-period="period"[^>]*>(.*?)</tr>', page,
                         re.S)
        self.assertIsNotNone(allt, page)
        shown = dict(FIGURES.findall(allt.group(1)))
        self.assertIn("net", shown)
        rep = [p for p in json.loads(alice.request(
            "GET", "/v1/reports/producers")[2])["producers"]
               if p["code"] == "F07"][0]
        for k in ("sold", "refunded", "net", "paid_out", "owed"):
            if k in shown:
                self.assertEqual(shown[k], rep[k], k)
        _, hd, csv = alice.request("GET", "/producer/page/F07" + q +
                                   "&format=csv")
        self.assertIn("text/csv", hd["Content-Type"])
        self.assertEqual(csv, self.anon_get(srv, "/p/" + tok + q +
                                            "&format=csv")[2])
        st, _, _ = alice.request("GET", "/producer/page/%3Cx%3E")
        self.assertEqual(st, 400)
        # Without the office login: the login page, not the figures.
        st, _, body = self.anon_get(srv, "/producer/page/F07")
        self.assertNotEqual(st, 200)
        self.note("office: /producer/page/F07 shows what /p/<token> shows "
                  "(figures and CSV), under the office login")

    def test_rotate_link_needs_csrf_and_admin_then_old_is_404(self):
        self.link_env()
        old = self.cli_link("F07")
        before = self.producer_list()["version"]
        srv = self.serve()
        alice = self.login(srv, "alice")
        st, _, body = alice.request("POST", "/producer/rotate", form={
            "code": "F07", "csrf": alice.csrf})
        self.assertEqual(st, 403, body)
        root = self.login(srv, "root")
        st, _, one = root.request("GET", "/producer?code=F07")
        self.assertIn('action="/producer/rotate"', one)
        for form in ({"code": "F07"}, {"code": "F07", "csrf": "0" * 64}):
            st, _, body = root.request("POST", "/producer/rotate", form=form)
            self.assertEqual(st, 403, body)
        self.assertEqual(self.producer_list()["version"], before)
        self.assertEqual(self.anon_get(srv, "/p/" + old)[0], 200)
        st, _, body = root.request("POST", "/producer/rotate", form={
            "code": "NOPE", "csrf": root.csrf})
        self.assertEqual(st, 400, body)
        st, _, body = root.request("POST", "/producer/rotate", form={
            "code": "F07", "csrf": root.csrf})
        self.assertEqual(st, 200, body)
        m = re.search(r'<a id="link" href="%s/p/([0-9a-f]{64})">'
                      % re.escape(PUBLIC.rstrip("/")), body)
        self.assertIsNotNone(m, body)
        new = m.group(1)
        self.assertNotEqual(new, old)
        # What the command prints now is that same link.
        self.assertEqual(self.cli_link("F07"), new)
        self.assertGreater(self.producer_list()["version"], before)
        unknown = self.anon_get(srv, "/no/such/path")
        st, hd, body = self.anon_get(srv, "/p/" + old)
        self.assertEqual((st, body), (unknown[0], unknown[2]))
        self.assertEqual(st, 404)
        self.assertEqual(hd["Content-Type"], unknown[1]["Content-Type"])
        self.assertEqual(self.anon_get(srv, "/p/" + new)[0], 200)
        # The link is shown once: the producer's office page has no token.
        _, _, one = root.request("GET", "/producer?code=F07")
        self.assertNotIn(new, one)
        self.note("rotate: 403 without CSRF or for the office role, "
                  "nothing changed; an admin's POST gives the new link "
                  "(the command's), the old token is an unknown path")

    def test_rotate_without_public_url_says_so(self):
        self.env.pop("POS_CENTRAL_CENTRAL_PUBLIC_URL", None)
        before = self.producer_list()["version"]
        srv = self.serve()
        root = self.login(srv, "root")
        st, _, body = root.request("POST", "/producer/rotate", form={
            "code": "F07", "csrf": root.csrf})
        self.assertEqual(st, 400, body)
        self.assertIn("public_url", body)
        self.assertEqual(self.producer_list()["version"], before)

    def producer_list(self):
        return self.central(["producer", "list"], json_out=True)

    def test_office_role_cannot_change_master_data(self):
        srv = self.serve()
        before = self.producer_list()
        alice = self.login(srv, "alice")
        st, _, body = alice.request("GET", "/master/producers")
        self.assertEqual(st, 200)
        self.assertNotIn('action="/master/producers"', body)
        for path, form in (("/master/producers", {"code": "N1",
                                                  "name": "جديد"}),
                           ("/master/producer", {"code": "F07",
                                                 "name": "x"})):
            st, _, body = alice.request("POST", path, form=dict(
                form, csrf=alice.csrf))
            self.assertEqual(st, 403, body)
        root = self.login(srv, "root")
        st, _, body = root.request("POST", "/master/producers",
                                   form={"code": "N1", "name": "جديد"})
        self.assertEqual(st, 403, body)
        st, _, body = root.request("POST", "/master/producers", form={
            "code": "N1", "name": "جديد", "csrf": "0" * 64})
        self.assertEqual(st, 403, body)
        self.assertEqual(self.producer_list(), before)
        self.note("office role: 403 on every change; a POST without the "
                  "CSRF token or with a wrong one: 403; nothing changed")

    def test_admin_adds_and_edits_through_the_commands_functions(self):
        srv = self.serve()
        v0 = self.producer_list()["version"]
        root = self.login(srv, "root")
        st, _, body = root.request("POST", "/master/producers", form={
            "code": "N1", "name": "أسرة منتجة", "phone": "0933",
            "csrf": root.csrf})
        self.assertEqual(st, 200, body)
        self.assertIn('id="done"', body)
        pl = self.producer_list()
        self.assertGreater(pl["version"], v0)
        n1 = [p for p in pl["producers"] if p["code"] == "N1"][0]
        self.assertEqual((n1["name"], n1["phone"], n1["active"]),
                         ("أسرة منتجة", "0933", True))
        st, _, body = root.request("POST", "/master/producer", form={
            "code": "N1", "name": "أسرة منتجة ٢", "phone": "",
            "active": "no", "csrf": root.csrf})
        self.assertEqual(st, 200, body)
        n1 = [p for p in self.producer_list()["producers"]
              if p["code"] == "N1"][0]
        self.assertEqual((n1["name"], n1["phone"], n1["active"]),
                         ("أسرة منتجة ٢", None, False))
        st, _, body = root.request("POST", "/master/products", form={
            "code": "Z1", "name": "زعتر", "price": "2500", "producer": "N1",
            "unit": "kg", "csrf": root.csrf})
        self.assertEqual(st, 200, body)
        st, _, body = root.request("POST", "/master/product", form={
            "code": "Z1", "price": "2750", "csrf": root.csrf})
        self.assertEqual(st, 200, body)
        z1 = [p for p in self.central(["product", "list"],
                                      json_out=True)["products"]
              if p["code"] == "Z1"][0]
        self.assertEqual((z1["price"], z1["unit"], z1["producer"]),
                         ("2750", "kg", "N1"))
        st, _, body = root.request("GET", "/master/products")
        self.assertIn('data-v="2750">2,750<', body)
        # Bad input: a 400 with the reason, nothing changed.
        v1 = self.producer_list()["version"]
        for form in ({"code": "N1", "name": "dup"},
                     {"code": "bad code", "name": "x"}):
            st, _, body = root.request("POST", "/master/producers",
                                       form=dict(form, csrf=root.csrf))
            self.assertEqual(st, 400, body)
            self.assertIn('id="error"', body)
        st, _, body = root.request("POST", "/master/products", form={
            "code": "Z2", "name": "x", "price": "1.5", "producer": "N1",
            "csrf": root.csrf})
        self.assertEqual(st, 400, body)
        self.assertEqual(self.producer_list()["version"], v1)
        _, _, csv = root.request("GET", "/master/products?csv=1")
        self.assertIn("Z1,زعتر,2750,kg,N1,,yes,", csv)
        self.note("admin: add and edit producers and products; each change "
                  "a new master-data version; bad input 400, nothing saved")

    def upload(self, c, what, name, data, csrf=None):
        b = uuid.uuid4().hex
        parts = []
        for k, v in (("csrf", csrf if csrf is not None else c.csrf),
                     ("what", what)):
            parts.append('--%s\r\nContent-Disposition: form-data; '
                         'name="%s"\r\n\r\n%s\r\n' % (b, k, v))
        parts.append('--%s\r\nContent-Disposition: form-data; name="file"; '
                     'filename="%s"\r\nContent-Type: text/csv\r\n\r\n'
                     % (b, name))
        body = "".join(parts).encode() + data + ("\r\n--%s--\r\n" %
                                                 b).encode()
        return c.request("POST", "/master/import", body=body, headers={
            "Content-Type": "multipart/form-data; boundary=" + b})

    def test_csv_import_is_all_or_nothing_with_file_line_errors(self):
        srv = self.serve()
        root = self.login(srv, "root")
        before = self.producer_list()
        bad = "code,name\nM1,أم علي\nM2,\nM3,سعاد\n".encode()
        st, _, body = self.upload(root, "producers", "bad.csv", bad)
        self.assertEqual(st, 400, body)
        self.assertRegex(body, r'id="error">bad\.csv:3: ')
        self.assertEqual(self.producer_list(), before)
        st, _, body = self.upload(root, "producers", "good.csv",
                                  "code,name,phone\nM1,أم علي,\n"
                                  "M2,<b>x</b>,0944\n".encode())
        self.assertEqual(st, 200, body)
        self.assertIn("2 ", re.search(r'id="done">([^<]*)<', body).group(1))
        self.assertNotIn("<b>x</b>", body)
        codes = {p["code"] for p in self.producer_list()["producers"]}
        self.assertTrue({"M1", "M2"} <= codes)
        st, _, body = self.upload(root, "producers", "x.csv", b"code,name\n"
                                  b"M9,x\n", csrf="")
        self.assertEqual(st, 403)
        alice = self.login(srv, "alice")
        st, _, body = self.upload(alice, "producers", "x.csv",
                                  b"code,name\nM9,x\n")
        self.assertEqual(st, 403)
        self.assertNotIn("M9", {p["code"] for p in
                                self.producer_list()["producers"]})
        self.note("CSV import: bad.csv:3 shown, nothing stored; a good file "
                  "all stored; no CSRF or office role: 403")

    def test_names_typed_at_a_window_stay_text_on_every_page(self):
        srv = self.serve()
        root = self.login(srv, "root")
        self.central(["producer", "add", "X9", "<img src=x onerror=alert(1)>"])
        for path in ("/producers", "/producer?code=X1", "/conflicts",
                     "/master/producers", "/master/producer?code=X9",
                     "/producers?q=" + urllib.parse.quote('"><script>')):
            st, _, body = root.request("GET", path)
            self.assertIn(st, (200, 404), path)
            self.assertNotIn("<img src=x", body, path)
            self.assertNotIn("<script", body, path)
        _, _, body = root.request("GET", "/producers")
        self.assertIn("&lt;img src=x onerror=alert(1)&gt;", body)
        self.note("markup-named producers are escaped on the producers, "
                  "conflicts and master-data pages")

    # ---- API tokens ----

    def test_token_list_and_revoke(self):
        tok = self.central(["token", "add", "scripts"], json_out=True)["token"]
        self.central(["token", "add", "other"])
        srv = self.serve()
        c = Client(srv)
        st, _, _ = c.request("GET", "/v1/reports/days", headers={
            "Authorization": "Bearer " + tok})
        self.assertEqual(st, 200)
        lst = self.central(["token", "list"], json_out=True)["tokens"]
        self.assertEqual([(t["name"], t["revoked_at"]) for t in lst],
                         [("other", None), ("scripts", None)])
        self.assertNotIn(tok, json.dumps(lst))
        rc, out, err = self.run_prog([h.CENTRAL, "token", "list", "--db",
                                      self.cdb])
        self.assertEqual(rc, 0, err)
        self.assertIn("scripts", out)
        self.central(["token", "revoke", "scripts"])
        st, _, _ = c.request("GET", "/v1/reports/days", headers={
            "Authorization": "Bearer " + tok})
        self.assertEqual(st, 401)
        lst = self.central(["token", "list"], json_out=True)["tokens"]
        self.assertIsNotNone([t for t in lst
                              if t["name"] == "scripts"][0]["revoked_at"])
        rc, _, err = self.run_prog([h.CENTRAL, "token", "revoke", "nobody",
                                    "--db", self.cdb])
        self.assertNotEqual(rc, 0)
        self.assertIn("nobody", err)
        self.note("token list shows names and revoked_at, never a token; "
                  "token revoke: the token gets 401 from then on")


if __name__ == "__main__":
    h.main()

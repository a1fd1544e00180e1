"""Windows pull master data from the centre (GET /v1/master) at every sync,
after the push: the real `pos sync` against the real pos-central.

Central producers and products reach every window; the pull is
incremental (a sync with nothing new at the centre sends zero rows); a
change at the centre arrives at the next sync; a price set at a window
stays until the centre sets a new one; a local producer whose code the
centre gives another name is kept and flagged, and its central products
wait; the server killed between two pages of a pull leaves the window's
store as it was, and the next sync completes. `pos sync --status` shows
the version held and when it was pulled; `pos producer list` and
`pos product list` say central or local."""

import os
import signal
import socket
import sqlite3
import threading

import pushharness as h
from testtime import scaled

DAY2 = {"POS_NOW": "2026-03-02T09:00:00Z"}


class KillingProxy:
    """A loopback forwarder in front of pos-central that SIGKILLs the
    server when a request whose head contains `trigger` arrives, before
    forwarding it: the server dies between two requests of one pull."""

    def __init__(self, target, trigger, victim):
        self.target, self.trigger, self.victim = target, trigger, victim
        self.killed = threading.Event()
        self.requests = []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = "http://127.0.0.1:%d" % self.sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self):
        self.sock.close()

    def _accept(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(c,),
                             daemon=True).start()

    def _serve(self, c):
        u = None
        try:
            c.settimeout(scaled(20))
            head = b""
            while b"\r\n\r\n" not in head:
                data = c.recv(65536)
                if not data:
                    return
                head += data
            line = head.split(b"\r\n", 1)[0].decode()
            self.requests.append(line)
            if self.trigger in line and not self.killed.is_set():
                self.victim.killed = True
                os.kill(self.victim.proc.pid, signal.SIGKILL)
                self.victim.proc.wait()
                self.killed.set()
            u = socket.create_connection(self.target, timeout=scaled(10))
            u.sendall(head)
            u.settimeout(scaled(20))
            c.settimeout(scaled(20))
            # Requests here are GETs or small POSTs with Content-Length in
            # the head's packet or the next ones: pump both ways.
            threading.Thread(target=self._pipe, args=(c, u),
                             daemon=True).start()
            self._pipe(u, c)
        except OSError:
            pass
        finally:
            for s in (c, u):
                if s is not None:
                    try:
                        s.close()
                    except OSError:
                        pass

    @staticmethod
    def _pipe(src, dst):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass


class MasterPull(h.PushTestCase):

    def setUp(self):
        super().setUp()
        self.tokens = self.init_central(("DMS01", "ALP02"))
        self.tf = {b: self.token_file(t) for b, t in self.tokens.items()}

    # ---- helpers ----

    def register(self):
        """The centre's register: F07 as the windows call it, F11 under
        another name than the windows', two new producers, products."""
        self.central(["producer", "add", "F07", "مخبز حماة"])
        self.central(["producer", "add", "F11", "Khoury family"])
        self.central(["producer", "add", "UMM-AHMAD", "أم أحمد",
                      "--phone", "0933 111 222"])
        self.central(["producer", "add", "FAM-NOUR", "بيت نور"])
        self.central(["product", "add", "P1", "خبز", "1400", "--producer",
                      "F07"])
        self.central(["product", "add", "MAKDOUS", "مكدوس", "12000",
                      "--producer", "UMM-AHMAD", "--unit", "kg",
                      "--barcode", "6281000000017"])
        self.central(["product", "add", "ZAATAR", "زعتر", "4500",
                      "--producer", "FAM-NOUR"])
        self.central(["product", "add", "SOAP-K", "صابون", "3000",
                      "--producer", "F11"])

    def master_sync(self, db, url, branch="DMS01", env=None):
        j = self.sync_ok(db, url, self.tf[branch], env=env)
        self.assertIsNotNone(j["master"], j)
        return j["master"]

    def producers(self, db):
        return {p["code"]: p for p in
                self.pos(db, ["producer", "list"], json_out=True)
                ["producers"]}

    def products(self, db):
        return {p["code"]: p for p in
                self.pos(db, ["product", "list"], json_out=True)
                ["products"]}

    def centre_version(self):
        return self.central(["producer", "list"], json_out=True)["version"]

    # ---- tests ----

    def test_central_rows_reach_every_window_and_status_shows_them(self):
        self.register()
        w1 = self.make_window("w1", "DMS01", 1)
        w2 = self.make_window("w2", "ALP02", 1, variant=1)
        st = self.status(w1)
        self.assertEqual((st["master_version"], st["master_pulled_at"]),
                         (0, None))
        srv = self.serve()
        url = self.url(srv)
        version = self.centre_version()
        for w, b in ((w1, "DMS01"), (w2, "ALP02")):
            m = self.master_sync(w, url, b)
            self.assertEqual((m["since"], m["version"], m["rows"]),
                             (0, version, 8), m)
            prs, pds = self.producers(w), self.products(w)
            self.assertEqual(
                {c: (p["name"], p["central"]) for c, p in prs.items()},
                {"F07": ("مخبز حماة", True),
                 "F11": ("Idlib Co-op", False),
                 "UMM-AHMAD": ("أم أحمد", True),
                 "FAM-NOUR": ("بيت نور", True)})
            self.assertEqual(prs["UMM-AHMAD"]["phone"], "0933 111 222")
            self.assertIsNone(prs["F07"]["conflict"])
            self.assertIn("Khoury family", prs["F11"]["conflict"])
            self.assertEqual(
                {c: (p["name"], p["price"], p["unit"], p["barcode"],
                     p["producer"], p["central"]) for c, p in pds.items()},
                {"P1": ("خبز", "1500", "piece", None, "F07", True),
                 "P2": ("زيتون أسود", "9600", "kg", None, "F11", False),
                 "MAKDOUS": ("مكدوس", "12000", "kg", "6281000000017",
                             "UMM-AHMAD", True),
                 "ZAATAR": ("زعتر", "4500", "piece", None, "FAM-NOUR",
                            True)})
            st = self.status(w)
            self.assertEqual((st["master_version"], st["master_pulled_at"],
                              st["master_conflicts"]),
                             (version, "2026-03-01T09:00:00Z", 1))
        self.note("8 central rows pulled by two windows of two branches; "
                  "F07 and P1 (same names) became central, the window's P1 "
                  "price kept; F11 (another name at the centre) kept, "
                  "flagged; SOAP-K of F11 held back")
        out = self.pos(w1, ["sync", "--status"])
        self.assertIn("master data    version %d, pulled "
                      "2026-03-01T09:00:00Z" % version, out)
        out = self.pos(w1, ["producer", "list"])
        self.assertRegex(out, r"UMM-AHMAD +central +أم أحمد")
        self.assertRegex(out, r"F11 +local +Idlib Co-op.*CONFLICT")
        out = self.pos(w1, ["product", "list"])
        self.assertRegex(out, r"ZAATAR .* FAM-NOUR  central")
        self.assertRegex(out, r"P2 .* F11  local")
        self.note("sync --status, producer list and product list (text "
                  "and JSON) say central or local and the version held")
        # The window sells what it pulled, under the centre's producer.
        self.pos(w1, ["day", "open", "--user", "ali", "--float", "0"],
                 env=DAY2)
        e = self.sell(w1, ("MAKDOUS*0.5", "ZAATAR"), env=DAY2)
        self.assertEqual([(l["product_code"], l["producer_code"],
                           l["net"]) for l in e["lines"]],
                         [("MAKDOUS", "UMM-AHMAD", "6000"),
                          ("ZAATAR", "FAM-NOUR", "4500")])
        self.master_sync(w1, url)
        self.note("a pulled product sells at the centre's price under the "
                  "centre's producer, and the sale is pushed")

    def test_a_new_window_gets_the_whole_register(self):
        """A window made with `pos init` alone gets every central
        producer and product, exactly as the centre lists them."""
        self.register()
        w = os.path.join(self.tmp, "new.db")
        self.pos(w, ["init", "--branch", "DMS01", "--terminal", "2"])
        srv = self.serve()
        m = self.master_sync(w, self.url(srv))
        self.assertEqual((m["rows"], m["added"], m["conflicts"]), (8, 8, 0))
        cp = self.central(["product", "list"], json_out=True)["products"]
        self.assertEqual(
            {c: (p["name"], p["price"], p["unit"], p["barcode"],
                 p["producer"], p["central"], p["conflict"])
             for c, p in self.products(w).items()},
            {p["code"]: (p["name"], str(p["price"]), p["unit"],
                         p["barcode"], p["producer"], True, None)
             for p in cp})
        cr = self.central(["producer", "list"], json_out=True)["producers"]
        self.assertEqual(
            {c: (p["name"], p["phone"], p["central"])
             for c, p in self.producers(w).items()},
            {p["code"]: (p["name"], p["phone"], True) for p in cr})
        self.note("a new window: 4 producers and 4 products, as the centre "
                  "lists them")

    def test_a_replaced_register_is_taken_whole(self):
        """A centre whose register was replaced (its versions below the
        one the window holds): the window asks for everything again and
        applies every row."""
        self.register()
        w = self.make_window("w", "DMS01", 1)
        srv = self.serve()
        self.master_sync(w, self.url(srv))
        held = self.status(w)["master_version"]
        self.stop_server(srv)
        self.cdb = self.fresh_cdb("central2.db")
        tokens = self.init_central(("DMS01",))
        self.tf["DMS01"] = self.token_file(tokens["DMS01"], "token-new")
        self.central(["producer", "add", "UMM-AHMAD", "Umm Ahmad"])
        srv2 = self.serve()
        m = self.master_sync(w, self.url(srv2))
        self.assertEqual((m["since"], m["version"], m["rows"],
                          m["changed"]), (0, 1, 1, 1), m)
        self.assertEqual(self.producers(w)["UMM-AHMAD"]["name"],
                         "Umm Ahmad")
        self.assertEqual(self.status(w)["master_version"], 1)
        self.note("register replaced (version %d held, the new centre at "
                  "1): pulled again from 0, UMM-AHMAD renamed" % held)

    def test_incremental_second_sync_sends_nothing_and_changes_arrive(self):
        self.register()
        w = self.make_window("w", "DMS01", 1)
        srv = self.serve()
        url = self.url(srv)
        m = self.master_sync(w, url)
        self.assertEqual(m["rows"], 8)
        held = self.status(w)["master_version"]
        m = self.master_sync(w, url, env=DAY2)
        self.assertEqual((m["since"], m["version"], m["rows"], m["added"],
                          m["changed"]), (held, held, 0, 0, 0), m)
        st = self.status(w)
        self.assertEqual((st["master_version"], st["master_pulled_at"]),
                         (held, "2026-03-02T09:00:00Z"))
        # What the server sends for the version held: nothing.
        code, body = self.get_master(srv, "DMS01", "since=%d" % held)
        self.assertEqual(code, 200)
        self.assertEqual((body["producers"], body["products"],
                          body["more"], body["version"]),
                         ([], [], False, held))
        self.note("second sync with nothing new: 0 rows sent, version %d "
                  "held, pulled_at moved" % held)

        # A price set at the window stays while the centre's does not move.
        self.pos(w, ["product", "set", "ZAATAR", "--price", "5000"])
        self.central(["product", "set", "ZAATAR", "--name", "زعتر بلدي"])
        self.central(["product", "set", "MAKDOUS", "--price", "13000"])
        self.central(["producer", "set", "FAM-NOUR", "--phone", "0944"])
        self.central(["product", "add", "KISHK", "كشك", "2500",
                      "--producer", "FAM-NOUR"])
        m = self.master_sync(w, url)
        self.assertEqual((m["since"], m["rows"], m["added"], m["changed"]),
                         (held, 4, 1, 3), m)
        pds = self.products(w)
        self.assertEqual((pds["ZAATAR"]["name"], pds["ZAATAR"]["price"]),
                         ("زعتر بلدي", "5000"))
        self.assertEqual(pds["MAKDOUS"]["price"], "13000")
        self.assertEqual(pds["KISHK"]["price"], "2500")
        self.assertEqual(self.producers(w)["FAM-NOUR"]["phone"], "0944")
        self.note("changes at the centre arrive at the next sync (4 rows); "
                  "the window's own price 5000 for ZAATAR stays when the "
                  "centre renames it")
        self.central(["product", "set", "ZAATAR", "--price", "4800"])
        m = self.master_sync(w, url)
        self.assertEqual(m["rows"], 1, m)
        self.assertEqual(self.products(w)["ZAATAR"]["price"], "4800")
        self.note("a price set at the centre replaces the window's")

    def test_conflict_clears_when_the_names_agree(self):
        self.register()
        w = self.make_window("w", "DMS01", 1)
        srv = self.serve()
        url = self.url(srv)
        m = self.master_sync(w, url)
        self.assertEqual((m["conflicts"], m["held_back"]), (1, 1), m)
        self.assertNotIn("SOAP-K", self.products(w))
        # Sales of the window's F11 stay the window's F11.
        self.assertEqual(self.producers(w)["F11"]["name"], "Idlib Co-op")
        self.central(["producer", "set", "F11", "--name", "Idlib Co-op"])
        m = self.master_sync(w, url)
        self.assertEqual(m["conflicts"], 0, m)
        f11 = self.producers(w)["F11"]
        self.assertEqual((f11["central"], f11["conflict"]), (True, None))
        self.assertEqual(self.status(w)["master_version"], 0)
        m = self.master_sync(w, url)
        self.assertEqual((m["since"], m["added"], m["held_back"]),
                         (0, 1, 0), m)
        self.assertEqual(self.products(w)["SOAP-K"]["producer"], "F11")
        self.assertEqual(self.status(w)["master_version"],
                         self.centre_version())
        self.note("F11's conflict clears when the centre takes the "
                  "window's name; the next pull starts from 0 and adds "
                  "only the held-back SOAP-K")

    def test_server_killed_between_pages_changes_nothing(self):
        self.register()
        rows = ["code,name,price,producer"]
        rows += ["K%03d,منتج %d,%d,FAM-NOUR" % (i, i, 100 + i)
                 for i in range(60)]
        path = os.path.join(self.tmp, "more.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(rows) + "\n")
        self.central(["import", "products", path])
        w = self.make_window("w", "DMS01", 1)
        before = (self.products(w), self.producers(w), self.status(w))
        srv = self.serve()
        proxy = KillingProxy((srv.host, srv.port), "after=", srv)
        self.addCleanup(proxy.close)
        page = {"POS_MASTER_PAGE": "7", "POS_SYNC_DEADLINE": "3"}
        rc, j, err, _ = self.sync(w, proxy.url, self.tf["DMS01"], env=page)
        self.assertTrue(proxy.killed.is_set(), proxy.requests)
        self.assertNotEqual(rc, 0, j)
        self.assertFalse(j["ok"], j)
        self.assertIn("master data", j["error"])
        self.assertIsNone(j["master"])
        after = (self.products(w), self.producers(w), self.status(w))
        for k in ("master_version", "master_pulled_at", "master_conflicts"):
            self.assertEqual(after[2][k], before[2][k], k)
        self.assertEqual(after[0], before[0])
        self.assertEqual(after[1], before[1])
        self.note("server SIGKILLed before the second page of 7 rows: the "
                  "sync fails, the window's products, producers and "
                  "master-data version are as before")
        srv2 = self.serve()
        m = self.master_sync(w, self.url(srv2), env=page)
        self.assertEqual((m["since"], m["rows"], m["pages"]),
                         (0, 68, 10), m)
        pds = self.products(w)
        self.assertEqual(len([c for c in pds if c.startswith("K")]), 60)
        self.assertEqual(pds["K059"]["price"], "159")
        self.assertEqual(self.status(w)["master_version"],
                         self.centre_version())
        self.note("the next sync pulls all 68 rows in 10 pages and holds "
                  "the centre's version")

    def test_large_pull_is_searchable_and_sells(self):
        """A pull of more than 2,000 products rebuilds the search index
        once at its end (not row by row): what it brought is found by
        name and by barcode, and sold."""
        self.register()
        rows = ["code,name,price,producer,barcode"]
        rows += ["L%04d,عسل جبلي %d,%d,UMM-AHMAD,99%06d" % (i, i, 1000 + i, i)
                 for i in range(2500)]
        path = os.path.join(self.tmp, "large.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(rows) + "\n")
        self.central(["import", "products", path])
        w = self.make_window("w", "DMS01", 1)
        srv = self.serve()
        m = self.master_sync(w, self.url(srv))
        # 2 producers and 2,502 products new here (F07, P1 adopted).
        self.assertEqual((m["rows"], m["added"]), (2508, 2504), m)
        found = self.pos(w, ["product", "list", "--search", "جبلي 1234"],
                         json_out=True)["products"]
        self.assertEqual([p["code"] for p in found], ["L1234"])
        found = self.pos(w, ["product", "list", "--search", "99002345"],
                         json_out=True)["products"]
        self.assertEqual([p["code"] for p in found], ["L2345"])
        self.assertEqual(len(self.products(w)), 2502 + 2)
        self.pos(w, ["day", "open", "--user", "ali", "--float", "0"],
                 env=DAY2)
        e = self.sell(w, ("L2000*2",), env=DAY2)
        self.assertEqual(e["lines"][0]["net"], "6000")
        # A later small pull keeps the index up row by row.
        self.central(["product", "set", "L0007", "--name", "دبس رمان"])
        self.master_sync(w, self.url(srv), env=DAY2)
        found = self.pos(w, ["product", "list", "--search", "دبس رمان"],
                         json_out=True)["products"]
        self.assertEqual([p["code"] for p in found], ["L0007"])
        self.note("2,508 rows pulled in one go: found by name and barcode, "
                  "sold; a later rename found by its new name")

    def test_bad_row_in_a_bulk_pull_into_an_empty_window_changes_nothing(self):
        """Into a window with no product, a bulk pull makes the products'
        indexes once at its end; a bad row in the middle refuses the whole
        pull and leaves the store as it was, indexes included."""
        self.register()
        rows = ["code,name,price,producer"]
        rows += ["L%04d,عسل جبلي %d,%d,UMM-AHMAD" % (i, i, 1000 + i)
                 for i in range(2500)]
        path = os.path.join(self.tmp, "large.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(rows) + "\n")
        self.central(["import", "products", path])
        # A row no window would take, written past the centre's checks.
        self.sql("UPDATE products SET name = 'x' || char(1) WHERE code = "
                 "'L2400'", "UPDATE products SET name = 'x' || chr(1) "
                 "WHERE code = 'L2400'")
        w = os.path.join(self.tmp, "empty.db")
        self.pos(w, ["init", "--branch", "DMS01", "--terminal", "1"])
        indexes = "SELECT name, sql FROM sqlite_schema WHERE type = 'index'" \
            " AND tbl_name = 'products' ORDER BY name"
        con = sqlite3.connect(w)
        before = con.execute(indexes).fetchall()
        con.close()
        self.assertIn("products_producer", [n for n, _ in before])
        srv = self.serve()
        rc, j, err, _ = self.sync(w, self.url(srv), self.tf["DMS01"])
        self.assertNotEqual(rc, 0, (j, err))
        self.assertIn("L2400", err)
        con = sqlite3.connect(w)
        self.assertEqual(con.execute(indexes).fetchall(), before)
        self.assertEqual(con.execute("SELECT count(*) FROM products")
                         .fetchone()[0], 0)
        con.close()
        self.note("a bad row among 2,504 into an empty window: refused (%s), "
                  "no product kept, the indexes as before"
                  % err.strip().splitlines()[-1][:80])
        self.sql("UPDATE products SET name = 'عسل' WHERE code = 'L2400'")
        m = self.master_sync(w, self.url(srv))
        self.assertEqual(m["added"], 2504 + 4, m)
        con = sqlite3.connect(w)
        self.assertEqual(con.execute(indexes).fetchall(), before)
        self.assertEqual(con.execute("PRAGMA integrity_check").fetchone()[0],
                         "ok")
        plan = " ".join(r[-1] for r in con.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM products WHERE "
            "producer_id = 1"))
        con.close()
        self.assertIn("products_producer", plan)
        self.note("the good pull: 2,508 rows added, the indexes as a new "
                  "store has them, integrity_check ok")

    def test_owed_at_all_windows_comes_with_the_pull(self):
        """Each pull brings what the centre computes each producer is owed
        over all windows (merges applied), and when; `pos report producer`
        shows it beside what is owed at this window, and payouts stay
        limited to this window's."""
        self.register()
        w1 = self.make_window("w1", "DMS01", 1)
        w2 = self.make_window("w2", "ALP02", 1, variant=1)
        srv = self.serve()
        url = self.url(srv)
        self.master_sync(w1, url)
        self.master_sync(w2, url, "ALP02")
        later = {"POS_NOW": "2026-03-01T10:00:00Z"}
        # The centre's clock is its process's: a server started later.
        self.stop_server(srv)
        srv2 = self.serve_env(later)
        self.master_sync(w1, self.url(srv2), env=later)
        centre = self.central_producers()
        here = self.pos(w1, ["report", "producer", "F07"], json_out=True)
        there = self.pos(w2, ["report", "producer", "F07"], json_out=True)
        self.assertEqual(int(here["owed_all_windows"]), centre["F07"]["owed"])
        self.assertEqual(int(here["owed"]) + int(there["owed"]),
                         centre["F07"]["owed"])
        self.assertEqual(here["owed_as_of"], "2026-03-01T10:00:00Z")
        self.assertEqual(int(there["owed_all_windows"]),
                         int(there["owed"]) + int(here["owed"]))
        self.assertIsNone(self.pos(w1, ["report", "producer", "UMM-AHMAD"],
                                   json_out=True)["owed_all_windows"])
        out = self.pos(w1, ["report", "producer", "F07"])
        owed_all = int(here["owed_all_windows"])
        # 10:00 UTC is 13:00 in Damascus: the time is local.
        self.assertIn("owed at all windows %s ل.س (as of 2026-03-01 "
                      "13:00, the last sync)" % format(owed_all, ","), out)
        self.assert_statement_shows_both(w1, here, owed_all)
        self.note("F07 owed %s at this window, %s at all windows as of "
                  "the last sync (the centre's report producers)"
                  % (here["owed"], here["owed_all_windows"]))
        # Payouts stay limited to what is owed at this window.
        self.pos(w1, ["day", "open", "--user", "ali", "--float", "100000"],
                 env=DAY2)
        rc, _, err = self.run_prog(
            [h.h.POS, "--db", w1, "payout", "F07",
             str(int(here["owed"]) + 1), "--user", "sam", "--no-print"],
            env=dict(DAY2, POS_PIN=h.h.SUPERVISOR_PIN))
        self.assertEqual(rc, 2, err)
        self.assertIn("cannot pay F07 %d: they are owed %s"
                      % (int(here["owed"]) + 1, here["owed"]), err)
        self.note("a payout over this window's owed is refused, whatever "
                  "is owed at all windows")

    def test_owed_is_sent_again_only_when_entries_arrived(self):
        """What producers are owed costs the centre a report over all
        windows: a window that holds figures newer (by the slack) than
        every chain's last entry, under the register's current version,
        gets only a new as-of time; entries that arrived, or a changed
        register, bring the figures again."""
        self.register()
        w1 = self.make_window("w1", "DMS01", 1)
        w2 = self.make_window("w2", "ALP02", 1, variant=1)
        t0, t1, t2 = ("2026-03-01T10:00:00Z", "2026-03-01T11:00:00Z",
                      "2026-03-01T12:00:00Z")
        srv = self.serve_env({"POS_NOW": t0})
        self.master_sync(w1, self.url(srv), env={"POS_NOW": t0})
        v = self.centre_version()
        code, body = self.get_master(srv, "DMS01", "since=%d&owed=1"
                                     "&owed_since=%s" % (v, t0))
        self.assertEqual(code, 200, body)
        self.assertIn("owed", body)
        self.assertNotIn("owed_unchanged", body)
        self.stop_server(srv)
        srv = self.serve_env({"POS_NOW": t1})
        code, body = self.get_master(srv, "DMS01", "since=%d&owed=1"
                                     "&owed_since=%s" % (v, t1))
        self.assertEqual((body.get("owed_unchanged"), body["owed_as_of"]),
                         (True, t1), body)
        self.assertNotIn("owed", body)
        code, body = self.get_master(srv, "DMS01", "since=%d&owed=1"
                                     "&owed_since=%s" % (v - 1, t1))
        self.assertIn("owed", body)
        code, body = self.get_master(srv, "DMS01", "since=%d&owed=1"
                                     "&owed_since=yesterday" % v)
        self.assertEqual(code, 400)
        self.assertIn("owed_since", body["error"])
        # The window: figures made at t1, then only a new as-of at t2.
        self.master_sync(w1, self.url(srv), env={"POS_NOW": t1})
        before = self.pos(w1, ["report", "producer", "F07"], json_out=True)
        self.assertEqual(before["owed_as_of"], t1)
        self.stop_server(srv)
        srv = self.serve_env({"POS_NOW": t2})
        self.master_sync(w1, self.url(srv), env={"POS_NOW": t2})
        after = self.pos(w1, ["report", "producer", "F07"], json_out=True)
        self.assertEqual((after["owed_as_of"], after["owed_all_windows"]),
                         (t2, before["owed_all_windows"]))
        # Another window's sales arrive: the figures come again.
        self.master_sync(w2, self.url(srv), "ALP02", env={"POS_NOW": t2})
        self.master_sync(w1, self.url(srv), env={"POS_NOW": t2})
        now = self.pos(w1, ["report", "producer", "F07"], json_out=True)
        centre = self.central_producers()
        self.assertEqual(int(now["owed_all_windows"]), centre["F07"]["owed"])
        self.assertNotEqual(now["owed_all_windows"],
                            before["owed_all_windows"])
        self.note("owed sent again only after entries arrived or the "
                  "register changed; otherwise a new as-of only (%s -> %s)"
                  % (before["owed_all_windows"], now["owed_all_windows"]))

    def statements(self, db, env=None):
        """Print F07's statement (no printer: a text file beside the
        store) and return the text of the newest one."""
        rdir = os.path.join(os.path.dirname(db), "receipts")
        before = set(os.listdir(rdir)) if os.path.isdir(rdir) else set()
        self.pos(db, ["report", "producer", "F07", "--print"], env=env)
        new = sorted(set(os.listdir(rdir)) - before)
        self.assertEqual(len(new), 1, new)
        with open(os.path.join(rdir, new[0]), encoding="utf-8") as f:
            return f.read()

    def assert_statement_shows_both(self, db, here, owed_all):
        """The printed statement shows what is owed at this window and at
        all windows as of the last sync, in English and in Arabic with
        Arabic-Indic digits."""
        text = self.statements(db)
        self.assertRegex(text, r"Owed here +%s ل.س"
                         % format(int(here["owed"]), ","))
        self.assertRegex(text, r"Owed at all windows +%s ل.س"
                         % format(owed_all, ","))
        self.assertRegex(text, r"As of last sync +2026/03/01 13:00")
        ar = self.statements(db, env={"POS_UI_LANGUAGE": "ar",
                                      "POS_CURRENCY_DIGITS": "arabic-indic"})
        ind = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
        self.assertIn("المستحق في كل النوافذ", ar)
        self.assertIn(format(owed_all, ",").replace(",", "٬")
                      .translate(ind), ar)
        self.assertIn("حسب آخر مزامنة", ar)
        self.assertIn("٢٠٢٦/٠٣/٠١ ١٣:٠٠", ar)
        self.assertIn("المستحق هنا", ar)
        self.note("the printed statement: 'Owed here %s', 'Owed at all "
                  "windows %s', 'As of last sync 2026/03/01 13:00' (local "
                  "time); the same in Arabic with Arabic-Indic digits"
                  % (here["owed"], owed_all))

    def serve_env(self, env):
        saved = dict(self.env)
        self.env.update(env)
        try:
            return self.serve()
        finally:
            self.env = saved

    def test_bad_queries_are_refused(self):
        self.register()
        srv = self.serve()
        for query, status, words in (
                ("since=x", 400, "since"),
                ("since=1&since=2", 400, "given twice"),
                ("limit=0", 400, "limit"),
                ("after=bogus", 400, "after"),
                ("after=products:0:P1&since=3", 400, "after"),
                ("owed=yes", 400, "owed"),
                ("what=1", 400, "does not take")):
            code, body = self.get_master(srv, "DMS01", query)
            self.assertEqual(code, status, query)
            self.assertIn(words, body["error"], query)
        code, body = self.get_master(srv, None, "since=0")
        self.assertEqual(code, 401)
        code, body = self.get_master(srv, "DMS01", "since=0&limit=3")
        self.assertEqual((len(body["producers"]), len(body["products"]),
                          body["more"], body["next"]),
                         (3, 0, True, "producers:3:UMM-AHMAD"))
        code, body = self.get_master(
            srv, "DMS01", "since=0&limit=3&after=" + body["next"])
        self.assertEqual(([p["code"] for p in body["producers"]],
                          [p["code"] for p in body["products"]],
                          body["more"]),
                         (["FAM-NOUR"], ["P1", "MAKDOUS"], True))
        self.note("GET /v1/master: 400 with a reason for bad arguments, "
                  "401 without a token; pages of 3 in (version, code) "
                  "order, producers first")

    def get_master(self, srv, branch, query):
        import http.client
        import json
        c = http.client.HTTPConnection(srv.host, srv.port,
                                       timeout=scaled(20))
        hdr = {}
        if branch is not None:
            hdr["Authorization"] = "Bearer " + self.tokens[branch]
        c.request("GET", "/v1/master?" + query, headers=hdr)
        r = c.getresponse()
        body = json.loads(r.read())
        c.close()
        return r.status, body


if __name__ == "__main__":
    h.main()

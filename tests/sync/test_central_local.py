"""Producers and products a window defines itself reach the centre with
the sync (POST /v1/master/local, sent by the real `pos sync` after the
journal) and show there as local to that window until the office
registers or merges the code; a window's own price of a registered
product shows beside the register's; `pos-central report conflicts` lists
every code whose name differs between the register and a window or
between two windows (from the rows windows sent and from their journals),
and a merged code is no conflict. Bad bodies get a 4xx with the reason
and store nothing."""

import os

import pushharness as h


def local_keys(rows):
    return sorted((r["code"], r["branch"], r["terminal"]) for r in rows)


def names_of(conflict):
    """{name: [(source, branch, terminal)]} of one conflict."""
    return {n["name"]: [(s["source"], s["branch"], s["terminal"])
                        for s in n["sources"]] for n in conflict["names"]}


class LocalMaster(h.PushTestCase):

    def local_rows(self):
        return (int(self.sql("SELECT count(*) FROM local_producers")[0][0]),
                int(self.sql("SELECT count(*) FROM local_products")[0][0]))

    def bare_window(self, name, branch, terminal):
        """A window with the harness's producers and products, no sales."""
        return self.make_window(name, branch, terminal, day=False)

    def test_producer_added_offline_shows_local_after_sync(self):
        tokens = self.init_central(("DMS01",))
        tf = self.token_file(tokens["DMS01"])
        self.central(["producer", "add", "F07", "مخبز حماة"])
        self.central(["product", "add", "P1", "خبز", "1500", "--producer",
                      "F07"])
        w = self.bare_window("d1", "DMS01", 1)
        # Offline: a family turns up with something new.
        self.pos(w, ["producer", "add", "UMM-AHMAD", "أم أحمد"])
        self.pos(w, ["product", "add", "JAM1", "مربى مشمش", "2500",
                     "--producer", "UMM-AHMAD"])
        self.assertEqual(self.central(["producer", "list"],
                                      json_out=True)["local"], [])

        srv = self.serve()
        url = self.url(srv)
        j = self.sync_ok(w, url, tf)
        self.assertEqual(j["sent"], 0, j)       # nothing sold yet
        self.assertEqual(j["local"], {"ok": True, "sent": True,
                                      "unchanged": False, "producers": 3,
                                      "products": 3, "error": None})
        pl = self.central(["producer", "list"], json_out=True)
        self.assertEqual(local_keys(pl["local"]),
                         [("F11", "DMS01", 1), ("UMM-AHMAD", "DMS01", 1)])
        umm = [p for p in pl["local"] if p["code"] == "UMM-AHMAD"][0]
        self.assertEqual(umm["name"], "أم أحمد")
        self.assertEqual([p["code"] for p in pl["producers"]], ["F07"])
        out, _ = self.central(["producer", "list"])
        self.assertIn("UMM-AHMAD    local to DMS01/1  أم أحمد", out)
        ql = self.central(["product", "list"], json_out=True)
        self.assertEqual(local_keys(ql["local"]),
                         [("JAM1", "DMS01", 1), ("P2", "DMS01", 1)])
        jam = [p for p in ql["local"] if p["code"] == "JAM1"][0]
        self.assertEqual((jam["price"], jam["producer"], jam["unit"],
                          jam["currency"]), ("2500", "UMM-AHMAD", "piece",
                                             "SYP"))
        self.assertEqual(ql["products"][0]["window_prices"], [])
        self.note("a producer and product added offline show at the centre "
                  "as local to DMS01/1 after one sync, before any sale")

        # Unchanged: nothing is sent again.
        j = self.sync_ok(w, url, tf)
        self.assertTrue(j["local"]["unchanged"], j)
        self.assertFalse(j["local"]["sent"], j)

        # A window's own price of a registered product is seen centrally.
        self.pos(w, ["product", "set", "P1", "--price", "1750"])
        j = self.sync_ok(w, url, tf)
        self.assertTrue(j["local"]["sent"], j)
        ql = self.central(["product", "list"], json_out=True)
        p1 = [p for p in ql["products"] if p["code"] == "P1"][0]
        self.assertEqual(p1["price"], "1500")
        self.assertEqual(p1["window_prices"], [
            {"branch": "DMS01", "terminal": 1, "price": "1750",
             "currency": "SYP", "decimals": 0, "source": "local"}])
        out, _ = self.central(["product", "list"])
        self.assertIn("1750 at DMS01/1 (local)", out)
        self.note("a local price change (1500 -> 1750) shows at the centre")

        # Registered by the office: no longer local; the window's name kept
        # nowhere but in its own row.
        self.central(["producer", "add", "UMM-AHMAD", "أم أحمد"])
        pl = self.central(["producer", "list"], json_out=True)
        self.assertEqual(local_keys(pl["local"]), [("F11", "DMS01", 1)])
        self.note("once the office registers UMM-AHMAD it is not local")

    def test_many_rows_go_in_pages_and_a_sale_price_is_seen(self):
        tokens = self.init_central(("DMS01",))
        tf = self.token_file(tokens["DMS01"])
        self.central(["producer", "add", "F07", "مخبز حماة"])
        self.central(["product", "add", "P1", "خبز", "1200", "--producer",
                      "F07"])
        w = self.bare_window("d1", "DMS01", 1)
        path = os.path.join(self.tmp, "many.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write("code,name,price,producer\n")
            for i in range(1200):
                f.write("M%04d,صنف %d,%d,F11\n" % (i, i, 100 + i))
        self.pos(w, ["import", "products", path])
        srv = self.serve()
        j = self.sync_ok(w, self.url(srv), tf)
        self.assertEqual((j["local"]["producers"], j["local"]["products"]),
                         (2, 1202), j)
        self.assertEqual(self.local_rows(), (2, 1202))
        self.note("1,204 rows sent in pages of at most 500; all stored")

        # The journal's unit price (a sale at the window's price) too.
        self.pos(w, ["day", "open", "--user", "ali", "--float", "0"])
        self.sell(w, ["P1"])
        self.sql("DELETE FROM local_products")
        j = self.sync_ok(w, self.url(srv), tf)
        self.assertTrue(j["local"]["unchanged"], j)
        ql = self.central(["product", "list"], json_out=True)
        p1 = [p for p in ql["products"] if p["code"] == "P1"][0]
        self.assertEqual(p1["window_prices"], [
            {"branch": "DMS01", "terminal": 1, "price": "1500",
             "currency": "SYP", "decimals": 0, "source": "journal"}])
        self.note("a sale's unit price differing from the register's is "
                  "listed from the journal")

    def test_conflicts_listed_and_merged_code_is_not(self):
        tokens = self.init_central(("DMS01", "HMS01"))
        self.central(["producer", "add", "F07", "مخبز حماة"])
        self.central(["producer", "add", "F11", "Idlib Cooperative"])
        self.central(["producer", "add", "FAM-KHOURY", "بيت الخوري"])
        self.central(["product", "add", "P2", "Black olives", "9600",
                      "--producer", "F11", "--unit", "kg"])
        w1 = self.bare_window("d1", "DMS01", 1)
        self.pos(w1, ["producer", "add", "FAM-KHOURY", "Khoury family"])
        self.pos(w1, ["producer", "add", "FAM-X", "أم أحمد"])
        w2 = self.bare_window("h1", "HMS01", 1)
        self.pos(w2, ["producer", "add", "FAM-X", "Umm Ahmad"])
        # A window whose journal alone reaches the centre (posted as is).
        w3 = self.make_window("d2", "DMS01", 2)
        srv = self.serve()
        st, ans = self.post(srv, tokens["DMS01"], self.dump(w3))
        self.assertEqual(st, 200, ans)
        url = self.url(srv)
        self.sync_ok(w1, url, self.token_file(tokens["DMS01"], "t-d"))
        self.sync_ok(w2, url, self.token_file(tokens["HMS01"], "t-h"))

        r = self.central(["report", "conflicts"], json_out=True)
        got = {c["code"]: names_of(c) for c in r["producers"]}
        self.assertEqual(sorted(got), ["F11", "FAM-KHOURY", "FAM-X"])
        self.assertEqual(got["FAM-KHOURY"], {
            "بيت الخوري": [("register", None, None)],
            "Khoury family": [("local", "DMS01", 1)]})
        self.assertEqual(got["FAM-X"], {
            "أم أحمد": [("local", "DMS01", 1)],
            "Umm Ahmad": [("local", "HMS01", 1)]})
        self.assertEqual(got["F11"], {
            "Idlib Cooperative": [("register", None, None)],
            "Idlib Co-op": [("local", "DMS01", 1), ("journal", "DMS01", 2),
                            ("local", "HMS01", 1)]})
        prods = {c["code"]: names_of(c) for c in r["products"]}
        self.assertEqual(sorted(prods), ["P2"])
        self.assertEqual(prods["P2"], {
            "Black olives": [("register", None, None)],
            "زيتون أسود": [("local", "DMS01", 1), ("journal", "DMS01", 2),
                           ("local", "HMS01", 1)]})
        self.assertEqual(r["conflicts"], 4)
        out, _ = self.central(["report", "conflicts"])
        self.assertIn("producer FAM-X\n", out)
        self.assertIn('"Umm Ahmad": HMS01/1 (local)', out)
        self.assertIn("4 conflicts", out)
        self.note("register vs window (FAM-KHOURY, F11 from rows and "
                  "journal, product P2) and window vs window (FAM-X)")

        # Later entries of w3 name P2 otherwise: the names the centre
        # keeps of its journal follow (only the new entries are read).
        n3 = self.window_head(w3)["entries"]
        self.pos(w3, ["product", "set", "P2", "--name", "زيتون"])
        self.pos(w3, ["day", "open", "--user", "ali", "--float", "0"])
        self.sell(w3, ["P2*1"])
        st, ans = self.post(srv, tokens["DMS01"], self.dump(w3, n3 + 1))
        self.assertEqual(st, 200, ans)
        r = self.central(["report", "conflicts"], json_out=True)
        prods = {c["code"]: names_of(c) for c in r["products"]}
        self.assertEqual(prods["P2"], {
            "Black olives": [("register", None, None)],
            "زيتون أسود": [("local", "DMS01", 1), ("local", "HMS01", 1)],
            "زيتون": [("journal", "DMS01", 2)]})
        self.note("a later sale under a new name replaces the journal's "
                  "name for that window")

        # Nothing was overwritten or merged silently.
        pl = self.central(["producer", "list"], json_out=True)
        reg = {p["code"]: p["name"] for p in pl["producers"]}
        self.assertEqual(reg["FAM-KHOURY"], "بيت الخوري")
        self.assertEqual(reg["F11"], "Idlib Cooperative")
        self.assertEqual(local_keys(pl["local"]),
                         [("FAM-X", "DMS01", 1), ("FAM-X", "HMS01", 1)])

        self.central(["producer", "merge", "FAM-X", "FAM-KHOURY"])
        r = self.central(["report", "conflicts"], json_out=True)
        self.assertEqual(sorted(c["code"] for c in r["producers"]),
                         ["F11", "FAM-KHOURY"])
        self.assertEqual(r["conflicts"], 3)
        pl = self.central(["producer", "list"], json_out=True)
        self.assertEqual(pl["local"], [])
        self.note("after producer merge FAM-X FAM-KHOURY, FAM-X is neither "
                  "a conflict nor local")
        self.central(["producer", "unmerge", "FAM-X"])
        r = self.central(["report", "conflicts"], json_out=True)
        self.assertIn("FAM-X", [c["code"] for c in r["producers"]])
        self.note("unmerged, it is a conflict again")

    def test_a_refused_send_never_fails_the_push(self):
        tokens = self.init_central(("DMS01",))
        tf = self.token_file(tokens["DMS01"])
        w = self.bare_window("d1", "DMS01", 1)
        path = os.path.join(self.tmp, "some.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write("code,name,price,producer\n")
            for i in range(100):
                f.write("S%03d,صنف طويل الاسم رقم %d,%d,F07\n" % (i, i, i))
        self.pos(w, ["import", "products", path])
        self.pos(w, ["day", "open", "--user", "ali", "--float", "0"])
        self.sell(w, ["P1"])
        # Journal batches fit in 4 KiB; the window's 102 products do not.
        srv = self.serve(["--max-body", "4096"])
        rc, j, err, _ = self.sync(w, self.url(srv), tf)
        self.assertEqual(rc, 0, (j, err))
        self.assertTrue(j["ok"], j)
        self.assertEqual((j["sent"], j["unsynced"]), (2, 0), j)
        self.assertFalse(j["local"]["ok"], j)
        self.assertFalse(j["local"]["sent"], j)
        self.assertIn("HTTP 413", j["local"]["error"], j)
        self.assertEqual(self.local_rows(), (0, 0))
        self.assert_central_equals_window(w, "DMS01", 1)
        rc, out, err = self.run_prog(
            [h.h.POS, "--db", w, "sync"],
            env={"POS_SYNC_URL": self.url(srv), "POS_SYNC_TOKEN_FILE": tf})
        self.assertEqual(rc, 0, err)
        self.assertIn("own producers and products not sent (the next sync "
                      "tries again): HTTP 413", out)
        self.note("the centre refused the window's own rows (413): the "
                  "journal push still succeeds, exit 0, the error said")

        # The next sync with room sends them: nothing was noted as sent.
        self.stop_server(srv)
        srv = self.serve()
        j = self.sync_ok(w, self.url(srv), tf)
        self.assertTrue(j["local"]["sent"], j)
        self.assertEqual(self.local_rows(), (2, 102))
        # A server that cannot be reached: the local send is not tried.
        rc, j, err, _ = self.sync(w, self.dead_url(), tf,
                                  env={"POS_SYNC_DEADLINE": "2"})
        self.assertEqual(rc, 1, (j, err))
        self.assertIsNone(j["local"], j)
        self.note("sent at the next sync; not tried when the server is "
                  "down")

    def test_the_push_after_a_close_sends_them(self):
        tokens = self.init_central(("DMS01",))
        tf = self.token_file(tokens["DMS01"])
        w = self.bare_window("d1", "DMS01", 1)
        self.pos(w, ["producer", "add", "UMM-AHMAD", "أم أحمد"])
        self.pos(w, ["day", "open", "--user", "ali", "--float", "0"])
        srv = self.serve()
        env = {"POS_SYNC_URL": self.url(srv), "POS_SYNC_TOKEN_FILE": tf,
               "POS_PIN": h.h.SUPERVISOR_PIN}
        self.pos(w, ["day", "close", "--user", "sam", "--counted", "0",
                     "--no-print"], env=env)
        pl = self.central(["producer", "list"], json_out=True)
        self.assertIn(("UMM-AHMAD", "DMS01", 1), local_keys(pl["local"]))
        self.assert_central_equals_window(w, "DMS01", 1)
        self.note("pos day close pushes the journal, then the window's own "
                  "producers: UMM-AHMAD local to DMS01/1")

    def test_bad_bodies_are_refused_and_change_nothing(self):
        tokens = self.init_central(("DMS01", "HMS01"))
        tok = tokens["DMS01"]
        srv = self.serve()
        path = "/v1/master/local"
        good = {"format": 1, "branch": "DMS01", "terminal": 1,
                "currency": "SYP", "decimals": 0, "round": "a" * 64,
                "last": True,
                "producers": [{"code": "F1", "name": "أم أحمد",
                               "phone": None}],
                "products": [{"code": "J1", "name": "مربى", "price": 2500,
                              "unit": "piece", "barcode": None,
                              "producer": "F1", "active": True}]}

        def variant(**kw):
            b = {k: v for k, v in good.items()}
            for k, v in kw.items():
                if v is None:
                    b.pop(k, None)
                else:
                    b[k] = v
            return b

        def prod(**kw):
            p = dict(good["products"][0])
            p.update(kw)
            return [p]

        bad = [
            (b"{not json", 400, "body: not valid JSON"),
            (b"[]", 400, "body: must be a JSON object"),
            (variant(format=2), 400, "format: unsupported"),
            (variant(format=None), 400, "format: missing"),
            (variant(extra=1), 400, "extra: unknown key"),
            (variant(terminal=0), 400, "terminal: must be an integer"),
            (variant(currency="syp"), 400, "currency:"),
            (variant(round="xyz"), 400, "round: must be 64"),
            (variant(last="yes"), 400, "last: must be true or false"),
            (variant(producers=None), 400, "producers: missing"),
            (variant(producers=[{"code": "bad code", "name": "x"}]), 400,
             "producers[0].code: must be 1-32"),
            (variant(producers=[{"code": "F1", "name": "a\tb"}]), 400,
             "producers[0].name: must be 1-120"),
            (variant(producers=[{"code": "F1", "name": "x", "age": 3}]), 400,
             "producers[0].age: unknown key"),
            (variant(producers=[{"code": "F1", "name": "x"},
                                {"code": "F1", "name": "y"}]), 400,
             "producers[1].code: F1 is also producers[0]"),
            (variant(products=prod(price=-1)), 400, "products[0].price"),
            (variant(products=prod(price=1.5)), 400, "products[0].price"),
            (variant(products=prod(unit="box")), 400, "products[0].unit"),
            (variant(products=prod(active=1)), 400, "products[0].active"),
            (variant(products=prod(barcode="a b")), 400,
             "products[0].barcode"),
            (variant(products=[dict(good["products"][0], code="X%d" % i)
                               for i in range(1001)]), 400,
             "more than the limit of 1000"),
            (variant(branch="HMS01"), 403, "this token is for branch DMS01"),
        ]
        for body, status, reason in bad:
            st, ans = self.post(srv, tok, body, path=path)
            self.assertEqual(st, status, (body if len(str(body)) < 300
                                          else reason, ans))
            self.assertIn(reason, str(ans), ans)
            self.assertEqual(self.local_rows(), (0, 0), reason)
        st, ans = self.post(srv, None, good, path=path)
        self.assertEqual(st, 401, ans)
        st, ans = self.post(srv, tok, b"", path=path, method="GET")
        self.assertEqual(st, 405, ans)
        self.assertEqual(self.local_rows(), (0, 0))
        self.note("%d bad bodies: 4xx with the reason, nothing stored"
                  % (len(bad) + 2))

        st, ans = self.post(srv, tok, good, path=path)
        self.assertEqual(st, 200, ans)
        self.assertEqual((ans["producers"], ans["products"]), (1, 1))
        self.assertEqual(self.local_rows(), (1, 1))
        # A round without J1, last: the window no longer has it.
        st, ans = self.post(srv, tok, variant(round="b" * 64, products=[]),
                            path=path)
        self.assertEqual(st, 200, ans)
        self.assertEqual(self.local_rows(), (1, 0))
        # Not last: nothing is forgotten yet.
        st, ans = self.post(srv, tok, variant(round="c" * 64, last=False,
                                              producers=[]), path=path)
        self.assertEqual(st, 200, ans)
        self.assertEqual(self.local_rows(), (1, 1))
        self.note("the last page of a round forgets the window's rows of "
                  "other rounds; other pages add")


if __name__ == "__main__":
    h.main()

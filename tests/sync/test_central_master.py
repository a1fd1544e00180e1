"""The centre as the register of producers and of the catalogue:
`pos-central producer|product add|set|list`, `producer merge|unmerge`,
`import producers|products`. Every change bumps the master-data version,
stored on the rows it touches; bad input exits 2 with a clear message and
changes nothing; a CSV error names FILE:LINE and imports nothing; a merge
makes `report producers` count FROM as INTO, and unmerge undoes it."""

import os

import centralharness as h

KEYS = ("sold", "refunded", "net", "paid_out", "balance", "owed")


class Master(h.CentralTestCase):

    def setUp(self):
        super().setUp()
        self.central(["init"])

    def lists(self):
        return (self.central(["producer", "list"], json_out=True),
                self.central(["product", "list"], json_out=True))

    def refused(self, args, message):
        """Exit 2, the message on stderr, nothing changed."""
        before = self.lists()
        _, err = self.central(args, rc_want=2)
        self.assertIn(message, err, args)
        self.assertEqual(self.lists(), before, args)

    def csv(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def test_producer_add_set_list_bump_the_version(self):
        r = self.central(["producer", "add", "UMM-AHMAD", "أم أحمد",
                          "--phone", "0933 111 222"], json_out=True)
        self.assertEqual(r, {"producer": "UMM-AHMAD", "version": 1})
        self.central(["producer", "add", "FAM-KHOURY", "بيت الخوري"])
        r = self.central(["producer", "set", "UMM-AHMAD", "--name",
                          "Umm Ahmad", "--active", "no"], json_out=True)
        self.assertEqual(r["version"], 3)
        pl = self.central(["producer", "list"], json_out=True)
        self.assertEqual(pl["version"], 3)
        self.assertEqual(
            [(p["code"], p["name"], p["phone"], p["active"], p["version"],
              p["merged_into"]) for p in pl["producers"]],
            [("FAM-KHOURY", "بيت الخوري", None, True, 2, None),
             ("UMM-AHMAD", "Umm Ahmad", "0933 111 222", False, 3, None)])
        self.central(["producer", "set", "UMM-AHMAD", "--phone", "",
                      "--active", "yes"])
        p = self.central(["producer", "list"], json_out=True)["producers"][1]
        self.assertEqual((p["phone"], p["active"], p["version"]),
                         (None, True, 4))
        out, _ = self.central(["producer", "list"])
        self.assertIn("FAM-KHOURY   active   بيت الخوري", out)
        self.note("producer add/set/list; versions 1..4, one per change, "
                  "stored per row")

    def test_producer_bad_input_changes_nothing(self):
        self.central(["producer", "add", "F07", "Hama Bakery"])
        self.refused(["producer", "add", "F07", "Other"],
                     "producer F07 already exists")
        self.refused(["producer", "add", "bad code", "x"],
                     'producer code "bad code": must be 1-32')
        self.refused(["producer", "add", "F08", "a\tb"],
                     "name: must be 1-120 characters")
        self.refused(["producer", "add", "F08", "x", "--phone", "1" * 33],
                     "phone: must be at most 32")
        self.refused(["producer", "set", "F99", "--name", "x"],
                     "no producer F99")
        self.refused(["producer", "set", "F07", "--active", "maybe"],
                     '--active: must be yes or no, got "maybe"')
        self.refused(["producer", "set", "F07"], "nothing to change")
        self.refused(["producer", "add", "F08"], "missing argument")
        self.refused(["producer", "merge", "F07", "F07"],
                     "cannot merge F07 into itself")
        self.refused(["producer", "merge", "X1", "NOPE"],
                     "no producer NOPE: merge into a registered producer")
        self.refused(["producer", "unmerge", "X1"], "X1 is not merged")
        self.central(["producer", "merge", "X1", "F07"])
        self.refused(["producer", "merge", "X1", "F07"],
                     "X1 is merged into F07 already; unmerge it first")
        self.central(["producer", "add", "F09", "Other"])
        self.refused(["producer", "merge", "F09", "X1"],
                     "no producer X1")
        self.refused(["producer", "merge", "F07", "F09"],
                     "X1 is merged into F07; unmerge it first")
        self.central(["producer", "merge", "F09", "F07"])
        self.refused(["producer", "merge", "X2", "F09"],
                     "F09 is merged into F07; merge X2 into F07")
        self.note("producer: 15 kinds of bad input, exit 2, nothing changed")

    def test_product_add_set_list(self):
        self.central(["producer", "add", "F07", "Hama Bakery"])
        r = self.central(["product", "add", "P1", "خبز", "1500",
                          "--producer", "F07"], json_out=True)
        self.assertEqual(r, {"product": "P1", "version": 2})
        self.central(["product", "add", "P2", "زيتون أسود", "9600",
                      "--producer", "F07", "--unit", "kg", "--barcode",
                      "6291041500213"])
        self.central(["product", "set", "P1", "--price", "1750", "--name",
                      "خبز عربي", "--barcode", "111", "--active", "no"])
        pl = self.central(["product", "list"], json_out=True)
        self.assertEqual(pl["version"], 4)
        self.assertEqual(
            [(p["code"], p["name"], p["price"], p["unit"], p["barcode"],
              p["producer"], p["active"], p["version"])
             for p in pl["products"]],
            [("P1", "خبز عربي", "1750", "piece", "111", "F07", False, 4),
             ("P2", "زيتون أسود", "9600", "kg", "6291041500213", "F07",
              True, 3)])
        out, _ = self.central(["product", "list"])
        self.assertIn("P2", out)
        self.assertIn("9600 kg", out)
        self.note("product add/set/list with unit, barcode, active")

    def test_product_bad_input_changes_nothing(self):
        self.central(["producer", "add", "F07", "Hama Bakery"])
        self.central(["product", "add", "P1", "x", "1500", "--producer",
                      "F07", "--barcode", "123"])
        self.refused(["product", "add", "P2", "x", "15"],
                     "--producer CODE is required")
        self.refused(["product", "add", "P2", "x", "15", "--producer",
                      "NOPE"], "no producer NOPE")
        self.refused(["product", "add", "P2", "x", "1.5", "--producer",
                      "F07"], 'price: too many decimals (at most 0), '
                     'got "1.5"')
        self.refused(["product", "add", "P2", "x", "-3", "--producer",
                      "F07"], "price: ")
        self.refused(["product", "add", "P2", "x", "15", "--producer",
                      "F07", "--unit", "litre"],
                     'unit: must be piece or kg, got "litre"')
        self.refused(["product", "add", "P1", "x", "15", "--producer",
                      "F07"], "product P1 already exists")
        self.refused(["product", "add", "P2", "x", "15", "--producer",
                      "F07", "--barcode", "123"],
                     "product P2: barcode 123 is another product's")
        self.refused(["product", "add", "P2", "x", "15", "--producer",
                      "F07", "--barcode", "P1"],
                     "barcode P1 is another product's code")
        self.refused(["product", "set", "P9", "--price", "1"],
                     "no product P9")
        self.refused(["product", "set", "P1", "--price", "abc"],
                     '--price: not a number, got "abc"')
        self.refused(["product", "set", "P1"], "nothing to change")
        self.note("product: 11 kinds of bad input, exit 2, nothing changed")

    def test_import_is_all_or_nothing_and_names_file_line(self):
        good = self.csv("producers.csv", "code,name,phone\n"
                        "F07,مخبز حماة,0933\n\"F11\",\"Idlib, Co-op\",\n")
        bad = self.csv("bad.csv", "code,name\nF20,a\nF21,\nF22,c\n")
        self.refused(["import", "producers", bad],
                     bad + ":3: name: missing")
        self.refused(["import", "producers",
                      self.csv("dup.csv", "code,name\nF30,a\nF30,b\n")],
                     "dup.csv:3: producer F30 already exists")
        self.refused(["import", "producers",
                      self.csv("hdr.csv", "code,name,price\n")],
                     'hdr.csv:1: unknown column "price"')
        self.refused(["import", "things", good],
                     'import producers or products, not "things"')
        r = self.central(["import", "producers", good], json_out=True)
        self.assertEqual(r, {"imported": 2, "what": "producers",
                             "version": 1})
        products = self.csv("products.csv",
                            "code,name,price,producer,unit,barcode,active\n"
                            "P1,خبز,1500,F07,,,\n"
                            "P2,زيتون,9600,F11,kg,629,no\n")
        self.refused(["import", "products", self.csv(
            "pbad.csv", "code,name,price,producer\nP1,a,10,F07\n"
            "P2,b,10,NOPE\n")], "pbad.csv:3: no producer NOPE")
        self.refused(["import", "products", self.csv(
            "pbad2.csv", "code,name,price,producer\nP1,a,1.5,F07\n")],
            'pbad2.csv:2: price: too many decimals')
        self.refused(["import", "products", self.csv(
            "pbad3.csv", "code,name,price,producer,active\n"
            "P1,a,1,F07,maybe\n")],
            'pbad3.csv:2: active: must be yes or no')
        self.central(["import", "products", products])
        pl = self.central(["product", "list"], json_out=True)
        self.assertEqual(pl["version"], 2)
        self.assertEqual([(p["code"], p["price"], p["unit"], p["barcode"],
                           p["active"], p["version"])
                          for p in pl["products"]],
                         [("P1", "1500", "piece", None, True, 2),
                          ("P2", "9600", "kg", "629", False, 2)])
        names = [p["name"] for p in self.central(
            ["producer", "list"], json_out=True)["producers"]]
        self.assertEqual(names, ["مخبز حماة", "Idlib, Co-op"])
        self.note("import: 7 bad files refused with FILE:LINE, nothing "
                  "imported; good files under one version each")

    def test_prices_use_the_currency_decimals(self):
        self.env["POS_CENTRAL_CURRENCY_DECIMALS"] = "2"
        self.central(["producer", "add", "F07", "Hama Bakery"])
        self.central(["product", "add", "P1", "x", "12.50", "--producer",
                      "F07"])
        self.central(["import", "products", self.csv(
            "p.csv", "code,name,price,producer\nP2,y,0.05,F07\n")])
        pl = self.central(["product", "list"], json_out=True)
        self.assertEqual([p["price"] for p in pl["products"]],
                         ["12.50", "0.05"])
        self.assertEqual([int(r[0]) for r in self.sql(
            "SELECT price FROM products ORDER BY code")], [1250, 5])
        self.note("[currency] decimals = 2: 12.50 stored as 1250")

    def test_merge_counts_from_as_into_and_unmerge_restores(self):
        tokens = self.init_central(("DMS01",))
        w = self.make_window("w1", "DMS01", 1)
        srv = self.serve()
        st, ans = self.post(srv, tokens["DMS01"], self.dump(w))
        self.assertEqual(st, 200, ans)
        self.stop_server(srv)
        counts = self.counts()

        def report():
            r = self.central(["report", "producers"], json_out=True)
            return {p["code"]: (p["name"], {k: int(p[k]) for k in KEYS})
                    for p in r["producers"]}, int(r["net"])

        before, net = report()
        self.assertEqual(set(before), {"F07", "F11"})
        self.assertEqual(before["F07"][0], "مخبز حماة")
        self.central(["producer", "add", "F07", "Hama Bakery"])
        named, _ = report()
        self.assertEqual(named["F07"][0], "Hama Bakery")
        self.central(["producer", "merge", "F11", "F07"])
        merged, net2 = report()
        self.assertEqual(list(merged), ["F07"])
        self.assertEqual(merged["F07"][0], "Hama Bakery")
        self.assertEqual(merged["F07"][1],
                         {k: before["F07"][1][k] + before["F11"][1][k]
                          for k in KEYS})
        self.assertEqual(net2, net)
        pl = self.central(["producer", "list"], json_out=True)
        self.assertEqual([(m["from"], m["into"], m["undone_at"])
                          for m in pl["merges"]], [("F11", "F07", None)])
        out, _ = self.central(["producer", "list"])
        self.assertIn("merge F11 -> F07 since ", out)
        self.central(["producer", "unmerge", "F11"])
        after, _ = report()
        self.assertEqual(after, named)
        m = self.central(["producer", "list"], json_out=True)["merges"]
        self.assertEqual([(x["from"], x["undone_at"] is not None)
                          for x in m], [("F11", True)])
        self.assertEqual(self.counts(), counts)
        v = self.central(["verify"], json_out=True)
        self.assertTrue(v["ok"], v)
        self.note("merge F11 into F07: one row, sums %s; unmerge restores; "
                  "journal rows unchanged, verify ok" % (merged["F07"][1],))

    def test_an_older_store_is_upgraded(self):
        """A store made before master data (SQLite schema 3, PostgreSQL
        schema 2) gets the tables on its next open, its journal kept."""
        tokens = self.init_central(("DMS01",))
        # The tables of later migrations go too: the store is as it was
        # (the window's own rows, the office's accounts, the summaries).
        drop = ("DROP TABLE seen_marks; DROP TABLE seen_producers;"
                " DROP TABLE seen_products;"
                " DROP TABLE local_producers; DROP TABLE local_products;"
                " DROP TABLE IF EXISTS web_sessions;"
                " DROP TABLE IF EXISTS login_failures;"
                " DROP TABLE IF EXISTS api_tokens;"
                " DROP TABLE IF EXISTS users;"
                " DROP TABLE producer_merges; DROP TABLE products;"
                " DROP TABLE producers; DROP TABLE master_version;"
                " DROP VIEW raw_sum_days; DROP VIEW raw_sum_producer_days;"
                " DROP TABLE sum_days; DROP TABLE sum_producer_days;"
                " DROP TABLE sum_producer_months; DROP TABLE sum_producer_all;"
                " DROP TABLE sum_producer_names;"
                " DROP TABLE IF EXISTS producer_links;"
                " DROP VIEW IF EXISTS raw_sum_producer_products;"
                " DROP TABLE IF EXISTS sum_producer_products;"
                " DROP INDEX lines_producer_products;"
                " CREATE INDEX lines_producer ON lines(producer_code);")
        if self.pg:
            self.sql(None, "DROP TRIGGER sum_entry ON entries;"
                     " DROP TRIGGER sum_line ON lines;"
                     " DROP TRIGGER sum_payment ON payments;"
                     " DROP FUNCTION sum_entry(); DROP FUNCTION sum_line();"
                     " DROP FUNCTION sum_payment();" + drop +
                     " DELETE FROM cstore_schema WHERE version >= 3")
        else:
            self.sql(drop + " PRAGMA user_version = 3")
        self.assertEqual(
            self.central(["branch", "list"], json_out=True)["branches"][0]
            ["code"], "DMS01")
        r = self.central(["producer", "add", "F07", "Hama Bakery"],
                         json_out=True)
        self.assertEqual(r["version"], 1)
        _, out, _ = self.run_prog([h.CENTRAL, "--version"])
        sq, pg = [int(line.split()[-1]) for line in out.splitlines()[1:3]]
        if self.pg:
            self.assertEqual(self.sql(None, "SELECT max(version) FROM"
                                      " cstore_schema"), [(str(pg),)])
        else:
            self.assertEqual(self.sql("PRAGMA user_version"), [(sq,)])
        del tokens
        self.note("an older store upgraded on open: master tables made, "
                  "branches kept")


if __name__ == "__main__":
    h.main()

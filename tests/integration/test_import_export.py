"""CSV import (all-or-nothing, errors name FILE:LINE: and the column) and
export (producers/products round-trip, sales by date range)."""

import csv
import io
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import posharness as H                                    # noqa: E402

BOM = "\ufeff"
PRODUCERS_CSV = (
    BOM + "code,name,phone\n"
    'P1,"أحمد ""الحلبي""، دمشق",+963 11 1234\n'
    "P2,Olive & Sons 🫒,\n"
    'P3,"مريم, الشام",""\n'
)
PRODUCERS = {"P1": ('أحمد "الحلبي"، دمشق', "+963 11 1234"),
             "P2": ("Olive & Sons 🫒", None),
             "P3": ("مريم, الشام", None)}

PRODUCTS_CSV = (
    "code,name,price,producer,barcode,unit,active\n"
    'HONEY,"عسل ""جبلي"", 500غ",1500,P1,6281000000011,piece,yes\n'
    "CHEESE,جبنة بلدية,333,P1,,kg,yes\n"
    '"OIL","Olive oil, 1L",2750,P2,6281000000028,,\n'
    "OLD,قديم,١٠٠,P3,,,no\n"
    "THYME,زعتر,1200,P3,,kg,\n"
)
PRODUCTS = {
    # code: name, price, producer, barcode, unit, active
    "HONEY": ('عسل "جبلي", 500غ', "1500", "P1", "6281000000011", "piece", True),
    "CHEESE": ("جبنة بلدية", "333", "P1", None, "kg", True),
    "OIL": ("Olive oil, 1L", "2750", "P2", "6281000000028", "piece", True),
    "OLD": ("قديم", "100", "P3", None, "piece", False),
    "THYME": ("زعتر", "1200", "P3", None, "kg", True),
}


class ImportExport(H.PosTestCase):

    def write(self, name, text, newline="\n"):
        path = os.path.join(self.tmp, name)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text.replace("\n", newline))
        return path

    def load(self, db=None, newline="\n"):
        self.init_store(db=db)
        out = self.j(["import", "producers",
                      self.write("producers.csv", PRODUCERS_CSV, newline)], db=db)
        self.assertEqual(out["imported"], 3)
        out = self.j(["import", "products",
                      self.write("products.csv", PRODUCTS_CSV, newline)], db=db)
        self.assertEqual(out["imported"], 5)

    def check_catalog(self, db=None):
        got = {p["code"]: (p["name"], p["phone"])
               for p in self.j(["producer", "list"], db=db)["producers"]}
        self.assertEqual(got, PRODUCERS)
        got = {p["code"]: (p["name"], p["price"], p["producer"], p["barcode"],
                           p["unit"], p["active"])
               for p in self.j(["product", "list"], db=db)["products"]}
        self.assertEqual(got, PRODUCTS)

    def test_import_arabic_quoted_bom(self):
        self.load()
        self.check_catalog()
        self.note("producers (BOM, quotes, commas, emoji) and products (kg, "
                  "barcodes, Arabic-Indic price, active no) imported exactly")

    def test_import_crlf(self):
        self.load(newline="\r\n")
        self.check_catalog()
        self.note("the same files with CRLF line ends import the same")

    def test_import_reordered_columns(self):
        self.init_store()
        self.ok(["import", "producers", self.write("p.csv", "name,code\nأبو سمير,P1\n")])
        self.ok(["import", "products", self.write(
            "q.csv", "unit,producer,price,name,code\nkg,P1,450,لبنة,LABNEH\n")])
        p = self.j(["product", "list"])["products"]
        self.assertEqual([(x["code"], x["name"], x["price"], x["unit"],
                           x["producer"]) for x in p],
                         [("LABNEH", "لبنة", "450", "kg", "P1")])
        self.note("columns are found by header name, in any order")

    def test_bad_seventh_line_imports_nothing(self):
        self.init_store()
        self.ok(["producer", "add", "P0", "موجود"])
        before = self.snapshot(exports=True)
        good_prod = ["code,name,phone", "P1,أ,", "P2,ب,", "P3,ج,", "P4,د,", "P5,ه,"]
        cases = [
            ("producers", good_prod + ["P6,,"], "name"),
            ("producers", good_prod + ["P 6,x,"], "code"),
            ("producers", good_prod + ["P1,again,"], "P1"),
            ("producers", good_prod + ["P0,exists,"], "P0"),
            ("producers", good_prod + ['P6,"a\x01b",'], "name"),
            ("producers", good_prod + ["P6," + "ن" * 121 + ","], "name"),
            ("producers", good_prod + ['P6,"unterminated'], None),
        ]
        good = ["code,name,price,producer,unit", "A1,أ,10,P0,", "A2,ب,20,P0,kg",
                "A3,ج,30,P0,", "A4,د,40,P0,", "A5,ه,50,P0,"]
        cases += [
            ("products", good + ["A6,و,abc,P0,"], "price"),
            ("products", good + ["A6,و,12.5,P0,"], "price"),
            ("products", good + ["A6,و,-1,P0,"], "price"),
            ("products", good + ["A6,و,,P0,"], "price"),
            ("products", good + ["A6,و,10,NOPE,"], "producer"),
            ("products", good + ["A6,و,10,,"], "producer"),
            ("products", good + ["A6,و,10,P0,litre"], "unit"),
            ("products", good + ["A3,again,10,P0,"], "A3"),
            ("products", good + ["A6,,10,P0,"], "name"),
        ]
        for i, (what, lines, col) in enumerate(cases):
            path = self.write("bad%d.csv" % i, "\n".join(lines) + "\n")
            with self.subTest(what=what, line7=lines[6]):
                err = self.fails(["import", what, path], 2, None)
                self.assertIn("%s:7:" % path, err)
                if col:
                    self.assertIn(col, err.split("%s:7:" % path, 1)[1])
                self.assertEqual(self.snapshot(exports=True), before,
                                 "a refused import changed the store")
            self.note("import %s, bad line 7 %r: exit 2, %r names %s:7:, "
                      "nothing imported" % (what, lines[6], err.strip()[:90],
                                            os.path.basename(path)))

    def test_bad_header(self):
        self.init_store()
        before = self.snapshot(exports=True)
        for what, text in (("producers", "code,nom\nP1,x\n"),
                           ("producers", "code,name,price\nP1,x,1\n"),
                           ("products", "code,name,price\nA,x,1\n"),
                           ("products", "code,name,name,price,producer\nA,x,x,1,P\n"),
                           ("products", "")):
            path = self.write("h.csv", text)
            err = self.fails(["import", what, path], 2, None)
            self.assertIn("h.csv", err)
            self.assertEqual(self.snapshot(exports=True), before)
        self.note("bad or missing headers: exit 2 naming the file, nothing imported")

    def test_export_round_trip(self):
        self.load()
        a_prod = self.ok(["export", "producers"])
        a_items = self.ok(["export", "products"])
        rows = list(csv.reader(io.StringIO(a_items)))
        self.assertEqual(rows[0], ["code", "name", "price", "producer", "barcode",
                                   "unit", "active"])
        self.assertEqual(len(rows), 1 + len(PRODUCTS))
        rows = list(csv.reader(io.StringIO(a_prod)))
        self.assertEqual({r[0]: r[1] for r in rows[1:]},
                         {k: v[0] for k, v in PRODUCERS.items()})
        b = os.path.join(self.tmp, "b.db")
        self.init_store(db=b)
        self.ok(["import", "producers", self.write("ep.csv", a_prod)], db=b)
        self.ok(["import", "products", self.write("eq.csv", a_items)], db=b)
        self.assertEqual(self.ok(["export", "producers"], db=b), a_prod)
        self.assertEqual(self.ok(["export", "products"], db=b), a_items)
        self.check_catalog(db=b)
        self.note("export producers/products -> import into a fresh store -> "
                  "identical export")

    def test_export_sales_by_date(self):
        self.load()
        self.add_users()
        sup = {"POS_PIN": H.SUPERVISOR_PIN}
        d2 = {"POS_NOW": "2026-03-02T09:00:00Z"}
        self.ok(["day", "open", "--user", "ali", "--float", "0"])
        self.ok(["sell", "--user", "ali", "HONEY", "CHEESE*0.5"])        # 2
        self.ok(["sell", "--user", "ali", "OIL"])                        # 3
        self.ok(["void", H.receipt(3), "--user", "sam", "--reason", "x"], env=sup)
        self.ok(["day", "close", "--user", "sam", "--counted", "1667"], env=sup)
        self.ok(["day", "open", "--user", "ali", "--float", "0"], env=d2)   # 6
        self.ok(["sell", "--user", "ali", "THYME*0.25", "--discount", "50"],
                env=d2)                                                   # 7
        self.ok(["refund", H.receipt(2), "CHEESE", "--user", "sam"],
                env=dict(d2, **sup))                                      # 8

        def export(*args):
            rows = list(csv.DictReader(io.StringIO(self.ok(["export", "sales"]
                                                            + list(args)))))
            return [(r["business_date"], r["receipt"], r["kind"],
                     r["product_code"], r["qty"], r["total"], r["discount"],
                     r["net"], r["voided"]) for r in rows]

        day1 = [("2026-03-01", H.receipt(2), "sale", "HONEY", "1", "1500", "0",
                 "1500", "no"),
                ("2026-03-01", H.receipt(2), "sale", "CHEESE", "0.5", "167", "0",
                 "167", "no"),
                ("2026-03-01", H.receipt(3), "sale", "OIL", "1", "2750", "0",
                 "2750", "yes")]
        day2 = [("2026-03-02", H.receipt(7), "sale", "THYME", "0.25", "300", "50",
                 "250", "no"),
                ("2026-03-02", H.receipt(8), "refund", "CHEESE", "0.5", "167",
                 "0", "167", "no")]
        self.assertEqual(export("--from", "2026-03-01", "--to", "2026-03-01"), day1)
        self.assertEqual(export("--from", "2026-03-02"), day2)
        self.assertEqual(export("--to", "2026-03-01"), day1)
        self.assertEqual(export(), day1 + day2)
        self.assertEqual(export("--from", "2026-03-03"), [])
        self.note("export sales: --from/--to select by business date; voided "
                  "flag, refund rows, kg qty and discount shares exact")


if __name__ == "__main__":
    H.main()

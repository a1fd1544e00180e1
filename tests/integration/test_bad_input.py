"""Bad input for every `pos` command: the documented exit code (2 for bad
input and rule conflicts, 3 for authority and day state), a message on
stderr, and nothing changed in the store (journal, catalog, users, meta).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import posharness as H                                    # noqa: E402
from posharness import receipt                            # noqa: E402

SUP = {"POS_PIN": H.SUPERVISOR_PIN}
ATT = {"POS_PIN": H.ATTENDANT_PIN}
WRONG = {"POS_PIN": "0000"}
NOPIN = {"POS_PIN": None}
DAY2_NOW = {"POS_NOW": "2026-03-02T09:00:00Z"}

S_A = receipt(2)   # sale HONEY, cash
S_B = receipt(3)   # sale HONEY CHEESE*0.5, voided by receipt(4)
S_C = receipt(5)   # sale HONEY*2, HONEY*1 refunded by receipt(6)
S_D = receipt(7)   # sale BIG by card (P2 is owed more than the drawer holds)

LONG_NAME = "ب" * 121


class BadInput(H.PosTestCase):

    @classmethod
    def setUpClass(cls):
        b = H.PosTestCase()
        b.setUp()
        cls.builder = b
        cls.tpl = {}
        # "empty": set up, users, no day opened yet
        db = os.path.join(b.tmp, "empty.db")
        b.init_store(db=db)
        b.add_users(db=db)
        b.ok(["producer", "add", "P1", "منتج واحد"], db=db)
        b.ok(["product", "add", "HONEY", "عسل", "1500", "--producer", "P1"], db=db)
        cls.tpl["empty"] = db
        # "open": a day with a plain sale, a voided one, a refunded one
        db = os.path.join(b.tmp, "open.db")
        b.init_store(db=db)
        b.add_users(db=db)
        b.ok(["producer", "add", "P1", 'أبو "سمير"'], db=db)
        b.ok(["producer", "add", "P2", "Big Farm"], db=db)
        b.ok(["product", "add", "HONEY", "عسل", "1500", "--producer", "P1",
              "--barcode", "6281000000011"], db=db)
        b.ok(["product", "add", "CHEESE", "جبنة", "1000", "--producer", "P1",
              "--unit", "kg"], db=db)
        b.ok(["product", "add", "OLD", "قديم", "100", "--producer", "P1"], db=db)
        b.ok(["product", "set", "OLD", "--active", "no"], db=db)
        b.ok(["product", "add", "BIG", "Tractor", "100000", "--producer", "P2"],
             db=db)
        b.ok(["day", "open", "--user", "ali", "--float", "1000"], db=db)
        b.ok(["sell", "--user", "ali", "HONEY"], db=db)                    # 2
        b.ok(["sell", "--user", "ali", "HONEY", "CHEESE*0.5"], db=db)      # 3
        b.ok(["void", S_B, "--user", "sam", "--reason", "test"], db=db,
             env=SUP)                                                      # 4
        b.ok(["sell", "--user", "ali", "HONEY*2"], db=db)                  # 5
        b.ok(["refund", S_C, "HONEY*1", "--user", "sam"], db=db, env=SUP)  # 6
        b.ok(["sell", "--user", "ali", "BIG", "--pay", "card:100000"], db=db)  # 7
        cls.tpl["open"] = db
        # drawer: float 1000 + cash 1500 + 3000 - 1500 = 4000
        cls.drawer = 4000
        # "closed": the same day, closed
        db = os.path.join(b.tmp, "closed.db")
        b.copy_store(cls.tpl["open"], db)
        b.ok(["day", "close", "--user", "sam", "--counted", "4000"], db=db,
             env=SUP)
        cls.tpl["closed"] = db
        # "day2": the next day open, the first day's sales in the past
        db = os.path.join(b.tmp, "day2.db")
        b.copy_store(cls.tpl["closed"], db)
        b.ok(["day", "open", "--user", "ali", "--float", "0"], db=db,
             env=DAY2_NOW)
        cls.tpl["day2"] = db
        cls.baseline = {k: b.snapshot(db=v) for k, v in cls.tpl.items()}
        cls.exports = {k: b.snapshot(db=v, exports=True) for k, v in cls.tpl.items()}

    @classmethod
    def tearDownClass(cls):
        cls.builder.doCleanups()

    def use(self, fixture):
        self.copy_store(self.tpl[fixture], self.db)
        self.fixture = fixture

    def check_cases(self, fixture, cases):
        """cases: (args, want_rc, stderr regex or None, env or None, stdin)."""
        self.use(fixture)
        for case in cases:
            args, want, pattern = case[0], case[1], case[2]
            env = case[3] if len(case) > 3 else None
            stdin = case[4] if len(case) > 4 else None
            with self.subTest(fixture=fixture, args=args):
                rc, out, err = self.pos(args, env=env, stdin=stdin)
                self.assertEqual(rc, want, "pos %r: want exit %d, got %d\n"
                                 "stdout: %s\nstderr: %s" % (args, want, rc, out, err))
                self.assertTrue(err.strip(),
                                "pos %r: no message on stderr (%r)" % (args, err))
                if pattern:
                    self.assertRegex(err, pattern, "pos %r" % (args,))
                # Every row of every table as before the case. What `pos
                # verify` says follows from the rows; it is checked once
                # for the whole list below (under a sanitizer one run of
                # pos costs far more than one of sqlite3).
                if self.sqlite(".dump")[1] != self.baseline[fixture]["dump"]:
                    after = self.snapshot()
                    self.use(fixture)      # start the next case clean
                    self.fail("pos %r (exit %d) changed the store:\n%s" % (
                        args, rc, self.diff(self.baseline[fixture], after)))
            self.note("exit %d%s: pos %s" % (want, "" if not pattern else
                      " /%s/" % pattern, " ".join(
                          a if isinstance(a, str) else repr(a) for a in args)))
        self.assertEqual(self.snapshot(exports=True), self.exports[fixture],
                         "pos export output changed")

    @staticmethod
    def diff(a, b):
        return "\n".join("%s:\n  before %r\n  after  %r" % (k, a.get(k), b.get(k))
                         for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k))

    # ---- the command line itself ----

    def test_usage_errors(self):
        self.check_cases("open", [
            ([], 2, None),
            (["frobnicate"], 2, "unknown command"),
            (["producer"], 2, None),
            (["producer", "frob"], 2, "unknown subcommand"),
            (["--frob", "verify"], 2, "unknown"),
            (["verify", "--json"], 2, "unknown option"),
            (["help", "extra"], 2, "usage"),
            (["sell", "--user", "ali", "HONEY", "--bogus"], 2, "unknown option"),
            (["sell", "--user"], 2, None),
            (["sell", "--user", "ali", "--user", "ali", "HONEY"], 2, "twice"),
            (["config", "check", "extra"], 2, "usage"),
            (["config"], 2, None),
            (["verify", "extra"], 2, "usage"),
        ])
        # global options come before the command; a lone --db has no value
        rc, out, err = self.pos(["--db"], use_db=False)
        self.assertEqual(rc, 2, err)
        self.note("exit 2: pos --db (no value)")

    # ---- catalog ----

    def test_producer_add(self):
        self.check_cases("open", [
            (["producer", "add", "P1", "duplicate"], 2, "already exists"),
            (["producer", "add", "P 9", "x"], 2, "code"),
            (["producer", "add", "P/9", "x"], 2, "code"),
            (["producer", "add", "", "x"], 2, "code"),
            (["producer", "add", "كود", "x"], 2, "code"),
            (["producer", "add", "C" * 33, "x"], 2, "code"),
            (["producer", "add", "P9", LONG_NAME], 2, "120"),
            (["producer", "add", "P9", ""], 2, "name"),
            (["producer", "add", "P9", "a\x01b"], 2, "control"),
            (["producer", "add", "P9", "a\nb"], 2, "control"),
            (["producer", "add", "P9", "a\tb"], 2, "control"),
            (["producer", "add", "P9", "a\x7fb"], 2, "control"),
            (["producer", "add", "P9", "a\u0085b"], 2, "control"),
            (["producer", "add", "P9", b"\xff\xfe"], 2, "UTF-8"),
            (["producer", "add", "P9", b"caf\xc3"], 2, "UTF-8"),
            (["producer", "add", "P9", b"\xc0\xaf"], 2, "UTF-8"),
            (["producer", "add", "P9", b"\xed\xa0\x80"], 2, "UTF-8"),
            (["producer", "add", "P9"], 2, "usage"),
            (["producer", "add", "P9", "x", "y"], 2, "usage"),
            (["producer", "add", "P9", "x", "--fax", "1"], 2, "unknown option"),
            (["producer", "add", "P9", "x", "--phone", "1" * 33], 2, "phone"),
            (["producer", "add", "P9", "x", "--phone", "1\x02"], 2, "phone"),
            (["producer", "list", "x"], 2, "usage"),
        ])

    def test_product_add(self):
        base = ["product", "add", "NEW", "جديد"]
        self.check_cases("open", [
            (base + ["100", "--producer", "NOPE"], 2, "no producer"),
            (["product", "add", "HONEY", "x", "100", "--producer", "P1"], 2,
             "already exists"),
            (base + ["100", "--producer", "P1", "--barcode", "6281000000011"], 2,
             None),
            (base + ["100", "--producer", "P1", "--barcode", "HONEY"], 2, None),
            (["product", "add", "6281000000011", "x", "100", "--producer", "P1"],
             2, None),
            (base + ["12.5", "--producer", "P1"], 2, "price"),
            (base + ["-5", "--producer", "P1"], 2, None),
            (base + ["+5", "--producer", "P1"], 2, "price"),
            (base + ["abc", "--producer", "P1"], 2, "price"),
            (base + ["", "--producer", "P1"], 2, "price"),
            (base + ["1,500", "--producer", "P1"], 2, "price"),
            (base + [" 15", "--producer", "P1"], 2, "price"),
            (base + ["1e3", "--producer", "P1"], 2, "price"),
            (base + ["0x10", "--producer", "P1"], 2, "price"),
            (base + ["99999999999999999999999", "--producer", "P1"], 2, "price"),
            (base + ["18446744073709551616", "--producer", "P1"], 2, "price"),
            (base + ["1000000000000001", "--producer", "P1"], 2, "price"),
            (base + ["100", "--producer", "P1", "--unit", "litre"], 2, "unit"),
            (base + ["100"], 2, "producer"),
            (base, 2, "usage"),
            (["product", "add", "A B", "x", "100", "--producer", "P1"], 2, "code"),
            (["product", "add", "A" * 33, "x", "100", "--producer", "P1"], 2,
             "code"),
            (["product", "add", "NEW", LONG_NAME, "100", "--producer", "P1"], 2,
             "120"),
            (["product", "add", "NEW", b"\xd8", "100", "--producer", "P1"], 2,
             "UTF-8"),
            (["product", "add", "NEW", "a\x1bb", "100", "--producer", "P1"], 2,
             "control"),
            (base + ["100", "--producer", "P1", "--barcode", "12 34"], 2, "barcode"),
            (base + ["100", "--producer", "P1", "--barcode", "١٢٣"], 2, "barcode"),
        ])

    def test_product_set_and_list(self):
        self.check_cases("open", [
            (["product", "set", "NOPE", "--price", "5"], 2, "no product"),
            (["product", "set", "HONEY", "--price", "12.5"], 2, "price"),
            (["product", "set", "HONEY", "--price", "-1"], 2, "price"),
            (["product", "set", "HONEY", "--active", "maybe"], 2, "yes or no"),
            (["product", "set", "HONEY"], 2, "usage"),
            (["product", "set", "HONEY", "--name", b"\xff"], 2, "UTF-8"),
            (["product", "set", "HONEY", "--name", ""], 2, "name"),
            (["product", "set", "HONEY", "--name", LONG_NAME], 2, "120"),
            (["product", "set", "HONEY", "--barcode", "CHEESE"], 2, None),
            (["product", "set", "CHEESE", "--barcode", "6281000000011"], 2, None),
            (["product", "set", "HONEY", "--colour", "red"], 2, "unknown option"),
            (["product", "list", "extra"], 2, "usage"),
            (["product", "list", "--search", b"\xff"], 2, "UTF-8"),
        ])

    def test_import_export_args(self):
        bad = os.path.join(self.tmp, "bad.csv")
        with open(bad, "w") as f:
            f.write("code,colour\nX,red\n")
        self.check_cases("open", [
            (["import", "customers", bad], 2, None),
            (["import", "products", os.path.join(self.tmp, "none.csv")], 2,
             "none.csv"),
            (["import", "producers", bad], 2, "bad.csv:1:"),
            (["import", "producers"], 2, "usage"),
            (["export", "customers"], 2, None),
            (["export"], 2, "usage"),
            (["export", "sales", "--from", "2026-13-01"], 2, "date"),
            (["export", "sales", "--from", "2026-3-1"], 2, "date"),
            (["export", "sales", "--to", "2026-02-30"], 2, "date"),
            (["export", "sales", "--to", "yesterday"], 2, "date"),
        ])

    def test_user_add(self):
        self.check_cases("open", [
            (["user", "add", "newu", "--role", "boss"], 2, "role", None, "1234\n"),
            (["user", "add", "newu"], 2, "role", None, "1234\n"),
            (["user", "add", "newu", "--role", "attendant"], 2, "PIN", None,
             "12\n"),
            (["user", "add", "newu", "--role", "attendant"], 2, "PIN", None,
             "abcd\n"),
            (["user", "add", "newu", "--role", "attendant"], 2, "PIN", None,
             "1234567890123\n"),
            (["user", "add", "newu", "--role", "attendant"], 2, "PIN", None, ""),
            (["user", "add", "ali", "--role", "attendant"], 2, "ali", None,
             "1234\n"),
            (["user", "add", b"\xff", "--role", "attendant"], 2, "name", None,
             "1234\n"),
            (["user", "add", "", "--role", "attendant"], 2, "name", None, "1234\n"),
            (["user", "add", "--role", "attendant"], 2, "usage", None, "1234\n"),
        ])

    # ---- the day ----

    def test_day_open_close(self):
        self.check_cases("open", [
            (["day", "open", "--user", "ali", "--float", "0"], 3, "already open"),
            (["day", "close", "--user", "sam", "--counted", "0"], 3, "PIN", WRONG),
            (["day", "close", "--user", "ali", "--counted", "0"], 3, None, ATT),
            (["day", "close", "--user", "nobody", "--counted", "0"], 3, None, SUP),
            (["day", "close", "--user", "sam", "--counted", "0"], 3, "PIN", NOPIN),
            (["day", "close", "--user", "sam", "--counted", "abc"], 2, "counted",
             SUP),
            (["day", "close", "--user", "sam", "--counted", "-1"], 2, "counted",
             SUP),
            (["day", "close", "--user", "sam"], 2, "counted", SUP),
            (["day", "close", "--counted", "0"], 2, "user", SUP),
        ])
        self.check_cases("empty", [
            (["day", "open", "--user", "nobody", "--float", "0"], 3, "nobody"),
            (["day", "open", "--user", "ali", "--float", "12.5"], 2, "float"),
            (["day", "open", "--user", "ali", "--float", "-5"], 2, "float"),
            (["day", "open", "--user", "ali"], 2, "float"),
            (["day", "open", "--float", "0"], 2, "user"),
            (["day", "close", "--user", "sam", "--counted", "0"], 3, "no day",
             SUP),
            (["sell", "--user", "ali", "HONEY"], 3, "no day"),
            (["cash", "in", "100", "--user", "ali", "--reason", "x"], 3, "no day"),
            (["payout", "P1", "100", "--user", "sam"], 3, None, SUP),
            (["report", "x"], 3, "no day"),
            (["report", "z"], 2, None),
        ])
        self.check_cases("closed", [
            (["sell", "--user", "ali", "HONEY"], 3, "open"),
            (["day", "open", "--user", "ali", "--float", "0"], 3, "before",
             {"POS_NOW": "2026-02-27T09:00:00Z"}),
            (["cash", "out", "1", "--user", "ali", "--reason", "x"], 3, None),
            (["void", S_A, "--user", "sam", "--reason", "x"], 3, None, SUP),
            (["refund", S_A, "HONEY", "--user", "sam"], 3, None, SUP),
            (["day", "close", "--user", "sam", "--counted", "0"], 3, None, SUP),
            (["report", "x"], 3, None),
            (["report", "z", "--date", "2026-02-28"], 2, None),
        ])
        self.check_cases("day2", [
            (["void", S_A, "--user", "sam", "--reason", "late"], 2, "2026-03-01",
             SUP),
            (["day", "open", "--user", "ali", "--float", "0"], 3, None),
            (["day", "open", "--user", "ali", "--float", "0"], 3, None, {
                "POS_NOW": "2026-02-27T09:00:00Z"}),
        ])

    # ---- sales ----

    def test_sell(self):
        s = ["sell", "--user", "ali"]
        self.check_cases("open", [
            (s + ["NOPE"], 2, "NOPE"),
            (s + ["9999999999999"], 2, "9999999999999"),
            (s + ["HONEY", "NOPE"], 2, "NOPE"),
            (s + ["OLD"], 2, "inactive"),
            (s + ["HONEY*0"], 2, None),
            (s + ["CHEESE*0"], 2, None),
            (s + ["HONEY*1.5"], 2, "whole"),
            (s + ["HONEY*abc"], 2, None),
            (s + ["HONEY*-1"], 2, None),
            (s + ["HONEY*"], 2, None),
            (s + ["*2"], 2, None),
            (s + ["CHEESE*0.0001"], 2, None),
            (s + ["HONEY*99999999999999999999"], 2, None),
            (s + ["HONEY*999999999999"], 2, None),
            (["sell", "--user", "nobody", "HONEY"], 3, "nobody"),
            (["sell", "HONEY"], 2, "user"),
            (s, 2, None),
            (s + ["HONEY", "--pay", "bitcoin:1500"], 2, "cash, card or other"),
            (s + ["HONEY", "--pay", "cash"], 2, "METHOD:AMOUNT"),
            (s + ["HONEY", "--pay", "cash:abc"], 2, "pay"),
            (s + ["HONEY", "--pay", "cash:-5"], 2, "pay"),
            (s + ["HONEY", "--pay", "cash:0"], 2, None),
            (s + ["HONEY", "--pay", "card:1501"], 2, "exceed"),
            (s + ["HONEY", "--pay", "card:1000", "--pay", "other:501"], 2, "exceed"),
            (s + ["HONEY", "--pay", "cash:1499"], 2, "short"),
            (s + ["HONEY", "--pay", "card:500", "--pay", "cash:999"], 2, "short"),
            (s + ["HONEY", "--discount", "1501"], 2, "discount"),
            (s + ["HONEY", "--discount", "-5"], 2, "discount"),
            (s + ["HONEY", "--discount", "12.5"], 2, "discount"),
        ])

    def test_void(self):
        v = ["--user", "sam", "--reason", "x"]
        self.check_cases("open", [
            (["void", S_A] + v, 3, "wrong PIN", WRONG),
            (["void", S_A, "--user", "ali", "--reason", "x"], 3, None, ATT),
            (["void", S_A, "--user", "nobody", "--reason", "x"], 3, None, SUP),
            (["void", S_A] + v, 3, "PIN", NOPIN),
            (["--pin-stdin", "void", S_A] + v, 3, None, NOPIN, "0000\n"),
            (["void", S_A, "--user", "sam"], 2, "reason", SUP),
            (["void", S_A, "--user", "sam", "--reason", "a\x01"], 2, "reason", SUP),
            (["void", S_A, "--user", "sam", "--reason", ""], 2, "reason", SUP),
            (["void", receipt(99)] + v, 2, receipt(99), SUP),
            (["void", "garbage"] + v, 2, "garbage", SUP),
            (["void", S_B] + v, 2, "already voided", SUP),
            (["void", S_C] + v, 2, "refund", SUP),
            (["void", receipt(1)] + v, 2, "not a sale", SUP),
            (["void", receipt(4)] + v, 2, "not a sale", SUP),
            (["void"] + v, 2, "usage", SUP),
        ])

    def test_refund(self):
        r = ["--user", "sam"]
        self.check_cases("open", [
            (["refund", S_B, "HONEY"] + r, 2, "voided", SUP),
            (["refund", S_C, "HONEY*2"] + r, 2, "only 1", SUP),
            (["refund", S_C, "HONEY*1", "HONEY*1"] + r, 2, None, SUP),
            (["refund", S_C, "CHEESE"] + r, 2, "not sold", SUP),
            (["refund", S_C, "NOPE"] + r, 2, None, SUP),
            (["refund", S_C, "HONEY*0.5"] + r, 2, "whole", SUP),
            (["refund", S_C, "HONEY*abc"] + r, 2, None, SUP),
            (["refund", S_C, "HONEY"] + r, 3, "wrong PIN", WRONG),
            (["refund", S_C, "HONEY", "--user", "ali"], 3, None, ATT),
            (["refund", S_C, "HONEY", "--user", "nobody"], 3, None, SUP),
            (["refund", S_C, "HONEY", "--to", "bitcoin"] + r, 2, "cash, card", SUP),
            (["refund", S_C, "HONEY", "--reason", "a\nb"] + r, 2, "reason", SUP),
            (["refund", receipt(6), "HONEY"] + r, 2, "not a sale", SUP),
            (["refund", receipt(99), "HONEY"] + r, 2, None, SUP),
            (["refund", S_C] + r, 2, "usage", SUP),
        ])

    def test_payout_and_cash(self):
        self.check_cases("open", [
            (["payout", "P1", "99999", "--user", "sam"], 2, "owed", SUP),
            (["payout", "P2", str(self.drawer + 1), "--user", "sam"], 2,
             "drawer", SUP),
            (["payout", "NOPE", "100", "--user", "sam"], 2, "NOPE", SUP),
            (["payout", "P1", "abc", "--user", "sam"], 2, "amount", SUP),
            (["payout", "P1", "0", "--user", "sam"], 2, None, SUP),
            (["payout", "P1", "-5", "--user", "sam"], 2, None, SUP),
            (["payout", "P1", "12.5", "--user", "sam"], 2, None, SUP),
            (["payout", "P1", "100", "--user", "sam"], 3, "wrong PIN", WRONG),
            (["payout", "P1", "100", "--user", "ali"], 3, None, ATT),
            (["payout", "P1", "--user", "sam"], 2, "usage", SUP),
            (["cash", "out", str(self.drawer + 1), "--user", "ali", "--reason",
              "x"], 2, "drawer"),
            (["cash", "out", "100", "--user", "ali"], 2, "reason"),
            (["cash", "in", "100", "--user", "ali", "--reason", ""], 2, "reason"),
            (["cash", "in", "0", "--user", "ali", "--reason", "x"], 2, None),
            (["cash", "in", "-5", "--user", "ali", "--reason", "x"], 2, None),
            (["cash", "in", "abc", "--user", "ali", "--reason", "x"], 2, "amount"),
            (["cash", "in", "100", "--user", "nobody", "--reason", "x"], 3, None),
            (["cash", "in", "100", "--reason", "x"], 2, "user"),
            (["cash", "sideways", "100", "--user", "ali", "--reason", "x"], 2,
             None),
        ])

    # ---- reading ----

    def test_reports_show_verify(self):
        self.check_cases("open", [
            (["report", "x", "extra"], 2, "usage"),
            (["report", "z"], 2, "closed"),
            (["report", "z", "--date", "2026-03-01"], 3, "open"),
            (["report", "z", "--date", "2025-01-01"], 2, None),
            (["report", "z", "--date", "01/03/2026"], 2, "date"),
            (["report", "producers", "--date", "2026-3-1"], 2, "date"),
            (["report", "producer", "NOPE"], 2, "NOPE"),
            (["report", "producer"], 2, "usage"),
            (["report", "producer", "P1", "--from", "2026-03-02", "--to",
              "2026-03-01"], 2, "after"),
            (["report", "producer", "P1", "--from", "2026-02-31"], 2, "date"),
            (["report", "bogus"], 2, None),
            (["show", receipt(99)], 2, None),
            (["show"], 2, "usage"),
            (["show", "garbage"], 2, None),
        ])

    # ---- the store itself ----

    def test_store_not_set_up(self):
        missing = os.path.join(self.tmp, "missing.db")
        for args in (["producer", "list"], ["verify"], ["report", "x"],
                     ["sell", "--user", "ali", "HONEY"],
                     ["day", "open", "--user", "ali", "--float", "0"]):
            self.fails(args, 2, "init", db=missing)
            self.assertFalse(os.path.exists(missing),
                             "pos %r created %s" % (args, missing))
        self.note("no store file: exit 2 naming 'pos init', no file created")
        empty = os.path.join(self.tmp, "empty.db")
        open(empty, "w").close()
        for args in (["producer", "list"], ["verify"],
                     ["producer", "add", "P1", "x"],
                     ["day", "open", "--user", "ali", "--float", "0"]):
            self.fails(args, 2, "init", db=empty)
        self.note("an empty (not init'ed) file: exit 2 naming 'pos init'")
        self.fails(["verify"], 2, None, db=self.tmp)
        self.note("a directory as --db: exit 2")
        self.use("open")
        self.fails(["init", "--branch", "DMS01", "--terminal", "1"], 2, "already")
        self.fails(["init", "--branch", "OTHER", "--terminal", "2"], 2, "already")
        self.assertEqual(self.snapshot(), self.baseline["open"])
        self.note("pos init twice: exit 2, identity unchanged")

    def test_init_bad_args(self):
        new = os.path.join(self.tmp, "new.db")
        for args in (["init", "--branch", "DMS01"],
                     ["init", "--terminal", "1"],
                     ["init", "--branch", "DM S", "--terminal", "1"],
                     ["init", "--branch", "B" * 17, "--terminal", "1"],
                     ["init", "--branch", "DMS01", "--terminal", "0"],
                     ["init", "--branch", "DMS01", "--terminal", "abc"],
                     ["init", "--branch", "DMS01", "--terminal", "1000"],
                     ["init", "--branch", "DMS01", "--terminal", "1",
                      "--name", "a\x01"]):
            with self.subTest(args=args):
                self.fails(args, 2, None, db=new)
                if os.path.exists(new):
                    # a failed init must not leave a set-up store behind
                    self.fails(["verify"], 2, "init", db=new)
        self.ok(["init", "--branch", "DMS01", "--terminal", "1"], db=new)
        self.note("bad init arguments: exit 2, store not set up; then init works")

    def test_init_bad_args_leave_no_file(self):
        new = os.path.join(self.tmp, "new.db")
        self.fails(["init", "--branch", "DM S", "--terminal", "1"], 2, None, db=new)
        self.assertFalse(os.path.exists(new),
                         "a refused 'pos init' created the store file %s" % new)
        self.note("refused init leaves no file")

    # ---- what must be accepted ----

    def test_accepted_edge_inputs(self):
        self.use("open")
        self.ok(["producer", "add", "C" * 32, "ب" * 120])
        got = {p["code"]: p["name"] for p in self.j(["producer", "list"])["producers"]}
        self.assertEqual(got["C" * 32], "ب" * 120)
        self.note("32-char code and 120-character (240-byte) Arabic name accepted")
        self.ok(["product", "add", "Ab-9_z.1", "x", "١٥٠٠", "--producer", "P1"])
        got = {p["code"]: p for p in self.j(["product", "list"])["products"]}
        self.assertEqual(got["Ab-9_z.1"]["price"], "1500")
        self.note("Arabic-Indic price ١٥٠٠ = 1500; code with - _ .")
        e = self.j(["sell", "--user", "ali", "CHEESE*٠٫٥", "HONEY*٢",
                    "--pay", "cash:٥٠٠٠"])
        lines = {l["product_code"]: l for l in e["lines"]}
        self.assertEqual((lines["CHEESE"]["qty"], lines["CHEESE"]["total"]),
                         ("0.5", "500"))
        self.assertEqual((lines["HONEY"]["qty"], lines["HONEY"]["total"]),
                         ("2", "3000"))
        self.assertEqual((e["total"], e["paid"], e["change"]), ("3500", "5000",
                                                                "1500"))
        self.note("Arabic-Indic quantities ٠٫٥ and ٢ and payment ٥٠٠٠ accepted")
        self.fails(["sell", "--user", "ali", "HONEY", "--pay", "cash:1500.0"], 2)
        self.note("'1500.0' refused with 0 decimals")


if __name__ == "__main__":
    H.main()

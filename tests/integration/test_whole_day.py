"""A whole business day (and a second one) through the `pos` CLI.

Every figure is computed here from the prices the test sets, never read
back from one pos command to check another.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import posharness as H                                    # noqa: E402
from posharness import (largest_remainder, line_total, parse_qty,  # noqa: E402
                        receipt, round_half_up)
from fractions import Fraction                            # noqa: E402

DAY1 = "2026-03-01"
DAY2 = "2026-03-02"
# 22:30 UTC on 1 March is already 2 March in Damascus (UTC+3).
DAY2_NOW = "2026-03-01T22:30:00Z"

PRODUCERS = {
    # code: name (byte for byte, quotes and emoji included)
    "P-AH": 'أحمد "الحلبي" 🍯',
    "P2": 'Olive & "Sons", Ltd. 🫒',
    "P3": "مريم الشامي",
}
PRODUCTS = {
    # code: (name, price, unit, producer, barcode)
    "HONEY": ("عسل جبلي", 1500, "piece", "P-AH", "6281000000011"),
    "CHEESE": ("جبنة بلدية", 333, "kg", "P-AH", None),
    "OIL": ("Olive oil 1L", 2750, "piece", "P2", "6281000000028"),
    "JAM": ("مربى مشمش", 800, "piece", "P3", None),
    "THYME": ("زعتر حلبي", 1200, "kg", "P3", None),
}


class Model:
    """What the day should contain, computed from the prices above."""

    def __init__(self):
        self.sales = {}         # receipt -> dict(lines, payments, voided)
        self.refunds = []       # (day, receipt of sale, {code: (qty, net)}, method)
        self.payouts = []       # (day, producer, amount)
        self.cash_in = {}
        self.cash_out = {}
        self.floats = {}

    def sale(self, day, rc, items, discount=0, pays=None):
        """items: list of (code, qty text); repeated codes merge."""
        qty = {}
        order = []
        for code, q in items:
            if code not in qty:
                order.append(code)
                qty[code] = 0
            qty[code] += parse_qty(q)
        lines = []
        for code in order:
            price = PRODUCTS[code][1]
            lines.append({"code": code, "qty": qty[code], "price": price,
                          "total": line_total(price, qty[code])})
        shares = largest_remainder(discount, [l["total"] for l in lines])
        for l, s in zip(lines, shares):
            l["discount"] = s
            l["net"] = l["total"] - s
        gross = sum(l["total"] for l in lines)
        total = gross - discount
        if pays is None:
            pays = [("cash", total)]
        tendered = sum(a for _, a in pays)
        change = tendered - total
        # money kept per method: change comes out of the cash
        kept = {"cash": 0, "card": 0, "other": 0}
        for m, a in pays:
            kept[m] += a
        kept["cash"] -= change
        self.sales[rc] = {"day": day, "lines": lines, "gross": gross,
                          "discount": discount, "total": total,
                          "paid": tendered, "change": change, "kept": kept,
                          "voided": False}
        return self.sales[rc]

    def refund(self, day, rc, code, qty_text=None, method="cash"):
        """Refund qty (None = the rest) of code on sale rc; returns the amount."""
        line = [l for l in self.sales[rc]["lines"] if l["code"] == code][0]
        done = sum(r[2].get(code, (0, 0))[0] for r in self.refunds if r[1] == rc)
        done_net = sum(r[2].get(code, (0, 0))[1] for r in self.refunds
                       if r[1] == rc)
        q = line["qty"] - done if qty_text is None else parse_qty(qty_text)
        if done + q == line["qty"]:
            amount = line["net"] - done_net
        else:
            amount = round_half_up(Fraction(line["net"] * (done + q), line["qty"])) \
                - done_net
        self.refunds.append((day, rc, {code: (q, amount)}, method))
        return q, amount

    def day(self, day):
        sales = [s for s in self.sales.values() if s["day"] == day]
        live = [s for s in sales if not s["voided"]]
        refs = [r for r in self.refunds if r[0] == day]
        by = {"cash": 0, "card": 0, "other": 0}
        for s in live:
            for m in by:
                by[m] += s["kept"][m]
        refunds = 0
        for r in refs:
            amt = sum(a for _, a in r[2].values())
            refunds += amt
            by[r[3]] -= amt
        gross = sum(s["gross"] for s in live)
        disc = sum(s["discount"] for s in live)
        payouts = sum(a for d, _, a in self.payouts if d == day)
        voided = [s for s in sales if s["voided"]]
        r = {
            "date": day, "sales_count": len(live), "gross": gross,
            "discounts": disc, "refunds": refunds,
            "voids": len(voided), "voids_total": sum(s["total"] for s in voided),
            "net": gross - disc - refunds, "by_method": by,
            "payouts": payouts, "cash_in": self.cash_in.get(day, 0),
            "cash_out": self.cash_out.get(day, 0), "float": self.floats[day],
        }
        r["expected_cash"] = (r["float"] + by["cash"] - payouts + r["cash_in"]
                              - r["cash_out"])
        return r

    def producer(self, code, days):
        sold = refunded = paid = 0
        for s in self.sales.values():
            if s["day"] in days and not s["voided"]:
                sold += sum(l["net"] for l in s["lines"]
                            if PRODUCTS[l["code"]][3] == code)
        for d, _, parts, _ in self.refunds:
            if d in days:
                refunded += sum(a for c, (_, a) in parts.items()
                                if PRODUCTS[c][3] == code)
        paid = sum(a for d, p, a in self.payouts if d in days and p == code)
        return {"sold": sold, "refunded": refunded, "net": sold - refunded,
                "paid_out": paid, "balance": sold - refunded - paid}

    def owed(self, code):
        everything = {s["day"] for s in self.sales.values()} | \
            {d for d, _, _ in self.payouts} | {r[0] for r in self.refunds}
        p = self.producer(code, everything)
        return p["balance"]


def M(v):
    return H.money(v)


class WholeDay(H.PosTestCase):

    def setUp(self):
        super().setUp()
        self.seq = 0
        self.model = Model()

    def entry(self, args, kind, **kw):
        """A command that writes one journal entry: check its seq and receipt."""
        e = self.j(args, **kw)
        self.seq += 1
        self.assertEqual(e["seq"], self.seq, "seq of %s" % kind)
        self.assertEqual(e["receipt"], receipt(self.seq))
        self.assertRegex(e["uuid"], r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-"
                         r"[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
        if "kind" in e:
            self.assertEqual(e["kind"], kind)
        return e

    def check_sale(self, e, s):
        for k in ("total", "paid", "change"):
            self.assertEqual(e[k], M(s[k]), "sale %s: %s" % (e["receipt"], k))
        if "discount" in e:
            self.assertEqual(e["discount"], M(s["discount"]))
        if "lines" in e:
            got = {l["product_code"]: l for l in e["lines"]}
            self.assertEqual(sorted(got), sorted(l["code"] for l in s["lines"]),
                             "repeated items are merged into one line")
            for l in s["lines"]:
                g = got[l["code"]]
                name, price, unit, prod, _ = PRODUCTS[l["code"]]
                self.assertEqual(g["product_name"], name)
                self.assertEqual(g["producer_code"], prod)
                self.assertEqual(g["producer_name"], PRODUCERS[prod])
                self.assertEqual(g["unit"], unit)
                self.assertEqual(g["qty"], H.qty_text(l["qty"]))
                self.assertEqual(g["unit_price"], M(price))
                self.assertEqual(g["total"], M(l["total"]))
                self.assertEqual(g["discount"], M(l["discount"]))
                self.assertEqual(g["net"], M(l["net"]))
            self.assertEqual(sum(int(l["discount"]) for l in e["lines"]),
                             s["discount"], "discount shares sum to the discount")

    def check_day(self, got, want, closed, counted=None):
        for k, v in want.items():
            if k == "by_method":
                self.assertEqual(got["by_method"],
                                 {m: M(a) for m, a in v.items()}, "by_method")
            elif k in ("date",):
                self.assertEqual(got[k], v)
            elif k in ("sales_count", "voids"):
                self.assertEqual(got[k], v, k)
                self.assertIsInstance(got[k], int, k + " is a count")
            else:
                self.assertEqual(got[k], M(v), k)
        if counted is None:
            self.assertIsNone(got["counted_cash"], "X report: counted is null")
            self.assertIsNone(got["difference"], "X report: difference is null")
        else:
            self.assertEqual(got["counted_cash"], M(counted))
            self.assertEqual(got["difference"], M(counted - want["expected_cash"]))
        if "closed" in got:
            self.assertIs(got["closed"], closed)

    def check_producers(self, got, day):
        want_net = 0
        self.assertEqual(got["date"], day)
        codes = [p["code"] for p in got["producers"]]
        self.assertEqual(sorted(codes), sorted(PRODUCERS))
        for p in got["producers"]:
            w = self.model.producer(p["code"], {day})
            self.assertEqual(p["name"], PRODUCERS[p["code"]])
            for k in ("sold", "refunded", "net", "paid_out", "balance"):
                self.assertEqual(p[k], M(w[k]), "%s %s on %s" % (p["code"], k, day))
            self.assertEqual(p["owed"], M(self.model.owed(p["code"])),
                             "%s owed" % p["code"])
            self.assertEqual(int(p["net"]), int(p["sold"]) - int(p["refunded"]))
            self.assertEqual(int(p["balance"]), int(p["net"]) - int(p["paid_out"]))
            want_net += w["net"]
        self.assertEqual(sum(int(p["net"]) for p in got["producers"]),
                         int(got["net"]), "sum of producer nets = report net")
        self.assertEqual(int(got["net"]), self.model.day(day)["net"],
                         "producers' net = the day's net")
        self.assertEqual(want_net, self.model.day(day)["net"])

    def test_whole_day_then_second_day(self):
        m = self.model
        sup = self.sup()
        self.init_store()
        self.assertEqual(os.stat(self.db).st_mode & 0o777, 0o600)
        for code, name in PRODUCERS.items():
            self.ok(["producer", "add", code, name, "--phone", "+963 11 555"])
        listed = self.j(["producer", "list"])["producers"]
        self.assertEqual({p["code"]: p["name"] for p in listed}, PRODUCERS)
        self.note("producers with Arabic/Latin names, quotes, emoji listed back "
                  "byte for byte")
        for code, (name, price, unit, prod, bc) in PRODUCTS.items():
            args = ["product", "add", code, name, str(price), "--producer", prod,
                    "--unit", unit]
            if bc:
                args += ["--barcode", bc]
            self.ok(args)
        got = {p["code"]: p for p in self.j(["product", "list"])["products"]}
        for code, (name, price, unit, prod, bc) in PRODUCTS.items():
            self.assertEqual((got[code]["name"], got[code]["price"],
                              got[code]["unit"], got[code]["producer"],
                              got[code]["barcode"], got[code]["active"]),
                             (name, M(price), unit, prod, bc, True))
        self.note("products (piece and kg, barcodes) listed back exactly")
        self.add_users()

        # ---- day 1 ----
        m.floats[DAY1] = 10000
        e = self.entry(["day", "open", "--user", "ali", "--float", "10000"],
                       "day_open")
        self.assertEqual(e["date"], DAY1)

        # S1: repeated items merged, kg rounding half up (333 x 0.5 = 166.5 -> 167)
        e = self.entry(["sell", "--user", "ali", "HONEY", "CHEESE*0.5", "HONEY"],
                       "sale")
        s1 = e["receipt"]
        want = m.sale(DAY1, s1, [("HONEY", "1"), ("CHEESE", "0.5"), ("HONEY", "1")])
        self.assertEqual(want["lines"][1]["total"], 167)
        self.check_sale(e, want)
        self.assertEqual(set(e), set(e) | {"receipt", "uuid", "seq", "total",
                                           "paid", "change"})
        self.note("sale: HONEY twice merged (qty 2), CHEESE 333 x 0.5 kg = 167")

        # rejected payments write nothing
        self.fails(["sell", "--user", "ali", "OIL", "--pay", "card:3000"], 2)
        self.fails(["sell", "--user", "ali", "OIL", "--pay", "cash:2000"], 2)
        self.fails(["sell", "--user", "ali", "OIL", "--pay", "card:1000",
                    "--pay", "other:1000"], 2)
        self.assertEqual(self.j(["verify"])["entries"], self.seq)
        self.note("card above due and short payments: exit 2, nothing written")

        # S2: barcode lookup, CODE*QTY, sale discount, split card + cash w/ change
        e = self.entry(["sell", "--user", "ali", "6281000000011", "OIL*2", "JAM",
                        "--discount", "500", "--pay", "card:3000",
                        "--pay", "cash:5000"], "sale")
        s2 = e["receipt"]
        want = m.sale(DAY1, s2, [("HONEY", "1"), ("OIL", "2"), ("JAM", "1")], 500,
                      [("card", 3000), ("cash", 5000)])
        self.assertEqual([l["discount"] for l in want["lines"]], [96, 353, 51])
        self.assertEqual(want["change"], 700)
        self.check_sale(e, want)
        if "payments" in e:
            self.assertEqual(sorted((p["method"], p["amount"]) for p in e["payments"]),
                             [("card", "3000"), ("cash", "4300")])
        self.note("sale by barcode, OIL*2, discount 500 shared 96/353/51, "
                  "card 3000 + cash 5000 -> change 700")

        # S3: to be voided (THYME 1200 x 0.25 = 300, CHEESE 333 x 0.25 = 83.25 -> 83)
        e = self.entry(["sell", "--user", "ali", "THYME*0.25", "JAM",
                        "CHEESE*0.250", "--pay", "cash:2000"], "sale")
        s3 = e["receipt"]
        want = m.sale(DAY1, s3, [("THYME", "0.25"), ("JAM", "1"),
                                 ("CHEESE", "0.25")], 0, [("cash", 2000)])
        self.assertEqual(want["total"], 1183)
        self.check_sale(e, want)
        self.fails(["void", s3, "--user", "ali", "--reason", "x"], 3,
                   env={"POS_PIN": H.ATTENDANT_PIN})
        e = self.entry(["--pin-stdin", "void", s3, "--user", "sam",
                        "--reason", "الزبون غيّر رأيه"], "void",
                       stdin=H.SUPERVISOR_PIN + "\n")
        m.sales[s3]["voided"] = True
        if "lines" in e:
            self.assertEqual(e["lines"], [], "a void entry has no lines")
        self.fails(["void", s3, "--user", "sam", "--reason", "again"], 2, env=sup)
        self.note("void by supervisor (--pin-stdin); attendant refused (3); "
                  "double void refused (2)")

        # S4: discount 99 over CHEESE 1.5 kg (499.5 -> 500) and JAM x 3,
        # paid 483 by card (what the CHEESE comes to) and the rest in cash
        e = self.entry(["sell", "--user", "ali", "CHEESE*1.5", "JAM*3",
                        "--discount", "99", "--pay", "card:483",
                        "--pay", "cash:2318"], "sale")
        s4 = e["receipt"]
        want = m.sale(DAY1, s4, [("CHEESE", "1.5"), ("JAM", "3")], 99,
                      [("card", 483), ("cash", 2318)])
        self.assertEqual([l["total"] for l in want["lines"]], [500, 2400])
        self.assertEqual([l["discount"] for l in want["lines"]], [17, 82])
        self.check_sale(e, want)

        # refund JAM 1 then the rest; the parts sum to the line's net exactly
        q, a1 = m.refund(DAY1, s4, "JAM", "1")
        e = self.entry(["refund", s4, "JAM*1", "--user", "sam",
                        "--reason", "مكسور"], "refund", env=sup)
        got1 = int(e["total"])
        self.assertLess(abs(Fraction(got1) - Fraction(2318, 3)), 1,
                        "one of three JAM units returns a third of the net")
        self.assertEqual(got1, a1)
        q, a2 = m.refund(DAY1, s4, "JAM")
        self.assertEqual(q, 2000)
        e = self.entry(["refund", s4, "JAM", "--user", "sam"], "refund", env=sup)
        self.assertEqual(int(e["total"]), a2)
        self.assertEqual(got1 + int(e["total"]), 2318,
                         "the two partial refunds sum to the line's net")
        self.fails(["refund", s4, "JAM*1", "--user", "sam"], 2, env=sup)
        self.fails(["void", s4, "--user", "sam", "--reason", "x"], 2, env=sup)
        self.fails(["refund", s3, "JAM", "--user", "sam"], 2, env=sup)
        # the CHEESE to card
        q, a3 = m.refund(DAY1, s4, "CHEESE", None, "card")
        e = self.entry(["refund", s4, "CHEESE", "--user", "sam", "--to", "card"],
                       "refund", env=sup)
        self.assertEqual(int(e["total"]), a3)
        self.assertEqual(a3, 483)
        if "payments" in e:
            self.assertEqual([(p["method"], p["amount"]) for p in e["payments"]],
                             [("card", "483")])
        self.note("refund JAM 1 (%d) + rest (%d) = line net 2318; over-refund, "
                  "void of refunded, refund of voided refused; CHEESE to card"
                  % (a1, a2))

        # S5: paid with "other"
        e = self.entry(["sell", "--user", "ali", "6281000000028",
                        "--pay", "other:2750"], "sale")
        s5 = e["receipt"]
        self.check_sale(e, m.sale(DAY1, s5, [("OIL", "1")], 0, [("other", 2750)]))

        # payout, cash in/out
        owed_ah = m.owed("P-AH")
        self.assertEqual(owed_ah, 3167 + 1404)
        self.fails(["payout", "P-AH", str(owed_ah + 1), "--user", "sam"], 2,
                   env=sup)
        e = self.entry(["payout", "P-AH", "2000", "--user", "sam"], "payout",
                       env=sup)
        m.payouts.append((DAY1, "P-AH", 2000))
        if "producer_code" in e:
            self.assertEqual((e["producer_code"], e["producer_name"]),
                             ("P-AH", PRODUCERS["P-AH"]))
        self.entry(["cash", "in", "5000", "--user", "ali", "--reason", "فكة"],
                   "cash_in")
        m.cash_in[DAY1] = 5000
        drawer = m.day(DAY1)["expected_cash"]
        self.fails(["cash", "out", str(drawer + 1), "--user", "ali",
                    "--reason", "bank"], 2)
        self.entry(["cash", "out", "1500", "--user", "ali", "--reason", "bank"],
                   "cash_out")
        m.cash_out[DAY1] = 1500
        self.note("payout over owed refused, payout 2000, cash in 5000, cash out "
                  "over drawer refused, cash out 1500")

        # ---- X report ----
        want = m.day(DAY1)
        self.assertEqual(want["by_method"], {"cash": 3167 + 4300 + 2318 - a1 - a2,
                                             "card": 3000 + 483 - a3,
                                             "other": 2750})
        x = self.j(["report", "x"])
        self.check_day(x, want, False)
        self.note("X report: %s" % {k: want[k] for k in ("sales_count", "gross",
                  "discounts", "refunds", "voids", "net", "expected_cash")})

        prods = self.j(["report", "producers"])
        self.check_producers(prods, DAY1)
        self.note("producers report: per-producer sold/refunded/net/paid_out/"
                  "balance/owed; sum of nets = day net")

        p = self.j(["report", "producer", "P-AH", "--from", DAY1, "--to", DAY1])
        w = m.producer("P-AH", {DAY1})
        for k in w:
            self.assertEqual(p[k], M(w[k]), "report producer P-AH " + k)
        self.assertEqual(p["owed"], M(m.owed("P-AH")))
        if "products" in p:
            byp = {r["code"]: r for r in p["products"]}
            self.assertEqual(byp["HONEY"]["qty_sold"], "3")
            self.assertEqual(byp["HONEY"]["sold"], M(3000 + 1404))
            self.assertEqual(byp["CHEESE"]["sold"], M(167 + 483))
            self.assertEqual(byp["CHEESE"]["qty_sold"], "2")
            self.assertEqual(byp["CHEESE"]["refunded"], M(483))

        # ---- close day 1, short by 150 ----
        counted = want["expected_cash"] - 150
        self.fails(["day", "close", "--user", "ali", "--counted", str(counted)], 3,
                   env={"POS_PIN": H.ATTENDANT_PIN})
        z = self.j(["day", "close", "--user", "sam", "--counted", str(counted)],
                   env=sup)
        self.seq += 1
        self.check_day(z, want, True, counted)
        self.assertEqual(z["difference"], "-150")
        z2 = self.j(["report", "z"])
        self.check_day(z2, want, True, counted)
        z3 = self.j(["report", "z", "--date", DAY1])
        # The last session's Z and the date's differ only in which they are.
        self.assertEqual((z2.pop("session"), z3.pop("session")), (1, None))
        self.assertEqual(z2, z3)
        self.note("day close counted=%d: Z difference -150; report z (session "
                  "1) == report z --date" % counted)
        self.fails(["sell", "--user", "ali", "HONEY"], 3)
        self.fails(["report", "x"], 3)
        self.fails(["day", "open", "--user", "ali", "--float", "0"], 3,
                   env={"POS_NOW": "2026-02-28T09:00:00Z"})

        v = self.j(["verify"])
        self.assertIs(v["ok"], True)
        self.assertEqual(v["entries"], self.seq)
        self.assertRegex(v["head"], "^[0-9a-f]{64}$")
        self.note("verify ok, %d entries = entries written" % self.seq)

        # show: the lines are a snapshot, not the current catalog
        self.ok(["product", "set", "JAM", "--name", "مربى جديد", "--price", "900"])
        shown = self.j(["show", s2])
        self.assertEqual(shown["kind"], "sale")
        self.assertEqual(shown["date"], DAY1)
        self.check_sale(shown, m.sales[s2])
        self.assertEqual(shown["ref_receipt"], None)
        voide = self.j(["show", receipt(5)])
        self.assertEqual((voide["kind"], voide["ref_receipt"]), ("void", s3))
        shown = self.j(["show", receipt(7)])
        self.assertEqual((shown["kind"], shown["ref_receipt"], shown["total"]),
                         ("refund", s4, M(a1)))
        self.assertEqual([(l["product_code"], l["qty"], l["net"])
                          for l in shown["lines"]], [("JAM", "1", M(a1))])
        self.note("show %s: lines snapshot (old JAM name/price) and payments; "
                  "show of a refund names its sale" % s2)
        PRODUCTS["JAM"] = ("مربى جديد", 900, "piece", "P3", None)

        # ---- day 2 (later clock, same Damascus date rule) ----
        env2 = {"POS_NOW": DAY2_NOW}
        env2s = dict(env2, POS_PIN=H.SUPERVISOR_PIN)
        m.floats[DAY2] = 5000
        e = self.entry(["day", "open", "--user", "ali", "--float", "5000"],
                       "day_open", env=env2)
        self.assertEqual(e["date"], DAY2, "22:30Z is the next day in Damascus")
        self.fails(["void", s2, "--user", "sam", "--reason", "late"], 2, env=env2s)
        self.check_day(self.j(["report", "z"], env=env2), m.day(DAY1), True,
                       counted)
        self.note("day 2 open: report z is still the last closed day (day 1)")
        e = self.entry(["sell", "--user", "ali", "HONEY*2", "JAM"], "sale", env=env2)
        s6 = e["receipt"]
        self.check_sale(e, m.sale(DAY2, s6, [("HONEY", "2"), ("JAM", "1")]))
        # a day-1 sale refunded on day 2 counts on day 2
        q, a4 = m.refund(DAY2, s2, "JAM")
        e = self.entry(["refund", s2, "JAM", "--user", "sam", "--pin-stdin"],
                       "refund", env=env2, stdin=H.SUPERVISOR_PIN + "\n")
        self.assertEqual(int(e["total"]), a4)
        self.assertEqual(a4, 749)
        # payout against what is owed across both days
        owed = m.owed("P-AH")
        self.assertEqual(owed, 4571 - 2000 + 3000)
        e = self.entry(["payout", "P-AH", str(owed), "--user", "sam"], "payout",
                       env=env2s)
        m.payouts.append((DAY2, "P-AH", owed))
        self.fails(["payout", "P-AH", "1", "--user", "sam"], 2, env=env2s)
        self.check_day(self.j(["report", "x"], env=env2), m.day(DAY2), False)
        self.check_producers(self.j(["report", "producers"], env=env2), DAY2)
        self.check_producers(self.j(["report", "producers", "--date", DAY1],
                                    env=env2), DAY1)
        p = self.j(["report", "producer", "P-AH", "--from", DAY1, "--to", DAY2],
                   env=env2)
        w = m.producer("P-AH", {DAY1, DAY2})
        for k in w:
            self.assertEqual(p[k], M(w[k]), "P-AH over both days: " + k)
        self.assertEqual(p["owed"], "0")
        p3 = self.j(["report", "producer", "P3", "--from", DAY1, "--to", DAY2],
                    env=env2)
        self.assertEqual(p3["owed"], M(m.owed("P3")))
        self.assertEqual(p3["net"], M(m.producer("P3", {DAY1, DAY2})["net"]))
        self.note("day 2: owed accumulates over days (P-AH paid %d = all owed); "
                  "report producer over both days" % owed)

        want2 = m.day(DAY2)
        z = self.j(["day", "close", "--user", "sam", "--counted",
                    str(want2["expected_cash"])], env=env2s)
        self.seq += 1
        self.check_day(z, want2, True, want2["expected_cash"])
        self.assertEqual(z["difference"], "0")
        self.check_day(self.j(["report", "z"], env=env2), want2, True,
                       want2["expected_cash"])
        self.check_day(self.j(["report", "z", "--date", DAY1], env=env2),
                       m.day(DAY1), True, m.day(DAY1)["expected_cash"] - 150)
        # A customer after the close: the date's next session, from zero.
        self.ok(["day", "open", "--user", "ali", "--float", "0"], env=env2)
        self.seq += 1
        x2 = self.j(["report", "x"], env=env2)
        self.assertEqual((x2["date"], x2["session"], x2["sales_count"],
                          x2["expected_cash"]), (DAY2, 2, 0, "0"))
        v = self.j(["verify"])
        self.assertEqual((v["ok"], v["entries"]), (True, self.seq))
        self.note("day 2 closed exact (difference 0); report z defaults to day 2; "
                  "day 1 Z unchanged; a second session of day 2 opens from "
                  "zero; verify ok with %d entries" % self.seq)

    def test_producer_products_in_natural_order(self):
        """P2 before P10, in the CLI's statement as on the printed one."""
        self.init_store()
        self.add_users()
        self.ok(["producer", "add", "N", "بيت النجار"])
        for code in ("N10", "N2", "N1"):
            self.ok(["product", "add", code, "صابون " + code, "100",
                     "--producer", "N"])
        self.ok(["day", "open", "--user", "ali", "--float", "0"])
        self.ok(["sell", "--user", "ali", "N10", "N2", "N1", "--no-print"])
        r = self.j(["report", "producer", "N", "--from", DAY1, "--to", DAY1])
        self.assertEqual([p["code"] for p in r["products"]],
                         ["N1", "N2", "N10"])
        text = self.ok(["report", "producer", "N", "--from", DAY1, "--to", DAY1])
        at = [text.index(" %s " % c) for c in ("N1", "N2", "N10")]
        self.assertEqual(at, sorted(at), text)
        self.note("report producer lists N1, N2, N10 in that order")


if __name__ == "__main__":
    H.main()

"""Money that cannot go wrong, on real store files: the store owns its
currency and decimals, the drawer never goes below zero, refunds go back
the way the money came, a producer paid for what was then taken back owes
the window, and refund lines explain their amount."""

import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import posharness as H                                    # noqa: E402


# What the migrations after 9 added, taken away again so that a store can
# be made to look as an older program left it (later migrations run again).
AFTER_9 = ("ALTER TABLE producers DROP COLUMN page_link;"
           "DROP INDEX producers_conflict; DROP INDEX products_conflict;"
           "ALTER TABLE producers DROP COLUMN central_version;"
           "ALTER TABLE producers DROP COLUMN conflict;"
           "ALTER TABLE producers DROP COLUMN owed_all_windows;"
           "ALTER TABLE products DROP COLUMN central_version;"
           "ALTER TABLE products DROP COLUMN central_price;"
           "ALTER TABLE products DROP COLUMN conflict;"
           "DROP TABLE master_state;")


class Base(H.PosTestCase):

    def setup_day(self, decimals=None, float_amount="0"):
        if decimals is not None:
            self.env["POS_CURRENCY_DECIMALS"] = str(decimals)
        self.init_store()
        self.add_users()
        self.ok(["producer", "add", "P1", "بيت الصابون"])
        self.ok(["producer", "add", "P2", "مربيات"])
        self.ok(["product", "add", "SOAP", "صابون", "100",
                 "--producer", "P1"])
        self.ok(["product", "add", "JAM", "مربى", "250",
                 "--producer", "P2"])
        self.ok(["product", "add", "THYME", "زعتر", "1000",
                 "--producer", "P2", "--unit", "kg"])
        self.ok(["day", "open", "--user", "ali", "--float", float_amount])

    def sell(self, *args):
        return self.j(["sell", "--user", "ali", "--no-print"] + list(args))

    def expected_cash(self):
        return self.j(["report", "x"])["expected_cash"]


class Currency(Base):

    def test_init_records_currency_and_decimals(self):
        self.env["POS_CURRENCY_DECIMALS"] = "2"
        self.env["POS_CURRENCY_CODE"] = "USD"
        self.init_store()
        _, out, _ = self.sqlite("SELECT key, value FROM meta WHERE key IN "
                                "('currency', 'decimals') ORDER BY key")
        self.assertEqual(out.split(), ["currency|USD", "decimals|2"])
        self.note("pos init records the currency code and decimals")

    def test_config_decimals_mismatch_refused(self):
        self.setup_day(decimals=2)
        s = self.sell("SOAP")
        self.assertEqual(s["total"], "100.00")
        before = self.snapshot()
        del self.env["POS_CURRENCY_DECIMALS"]
        for args in (["report", "x"], ["sell", "--user", "ali", "SOAP",
                                         "--no-print"], ["verify"]):
            self.fails(args, 2, r"keeps its money in SYP with 2 decimals.*"
                       r"configuration says SYP with 0")
        self.env["POS_CURRENCY_DECIMALS"] = "2"
        self.assertEqual(self.snapshot(), before)
        self.note("a 2-decimal store opened with 0 decimals: exit 2, "
                  "nothing written")

    def test_config_code_mismatch_refused(self):
        self.setup_day()
        self.fails(["report", "x"], 2, r"keeps its money in SYP.*says EUR",
                   env={"POS_CURRENCY_CODE": "EUR"})
        self.note("a SYP store opened with code EUR: exit 2")

    def test_old_store_keeps_the_decimals_of_its_journal(self):
        # As an older program left it: no currency recorded, schema 7.
        self.setup_day(decimals=2)
        self.sell("SOAP")
        self.sqlite("DELETE FROM meta WHERE key IN ('currency', 'decimals');"
                    "DROP VIEW day_sessions;" + AFTER_9 +
                    "PRAGMA user_version = 7;")
        del self.env["POS_CURRENCY_DECIMALS"]
        self.fails(["report", "x"], 2, r"SYP with 2 decimals")
        _, out, _ = self.sqlite("SELECT value FROM meta WHERE key = "
                                "'decimals'")
        self.assertEqual(out.strip(), "2")
        self.env["POS_CURRENCY_DECIMALS"] = "2"
        self.assertEqual(self.j(["report", "x"])["expected_cash"], "100.00")
        self.note("an old store takes the decimals its journal was "
                  "written in")

    def test_old_store_without_entries_adopts_config(self):
        self.env["POS_CURRENCY_DECIMALS"] = "2"
        self.init_store()
        self.sqlite("DELETE FROM meta WHERE key IN ('currency', 'decimals');"
                    "DROP VIEW day_sessions;" + AFTER_9 +
                    "PRAGMA user_version = 7;")
        self.env["POS_CURRENCY_DECIMALS"] = "3"
        self.ok(["verify"])
        _, out, _ = self.sqlite("SELECT value FROM meta WHERE key = "
                                "'decimals'")
        self.assertEqual(out.strip(), "3")
        self.env["POS_CURRENCY_DECIMALS"] = "2"
        self.fails(["verify"], 2, r"with 3 decimals")
        self.note("a store with an empty journal adopts the config's "
                  "decimals at its first open, then keeps them")

    def test_verify_finds_an_entry_in_other_decimals(self):
        # What an older program allowed: a chain written in 0 decimals,
        # then opened with 2 and sold into.
        self.setup_day()
        self.sell("SOAP")
        self.sqlite("DELETE FROM meta WHERE key IN ('currency', 'decimals')")
        self.env["POS_CURRENCY_DECIMALS"] = "2"
        self.sell("SOAP")
        rc, out, err = self.run_pos(["verify"])
        self.assertEqual(rc, 1, out + err)
        self.assertIn("BAD: entry seq 1: written in SYP with 0 decimals, "
                      "but the store keeps SYP with 2", out)
        self.note("verify: an entry whose decimals are not the store's "
                  "is reported")


class Drawer(Base):

    def test_cash_refund_over_the_drawer_refused(self):
        self.setup_day()
        s = self.sell("JAM", "--pay", "cash:250")["receipt"]
        self.ok(["cash", "out", "200", "--user", "ali", "--reason", "bank"])
        self.assertEqual(self.expected_cash(), "50")
        before = self.snapshot()
        self.fails(["refund", s, "JAM", "--user", "sam"], 2,
                   r"take 250 cash from the drawer, which should hold "
                   r"only 50", env=self.sup())
        self.assertEqual(self.snapshot(), before)
        self.ok(["cash", "in", "200", "--user", "ali", "--reason", "change"])
        self.ok(["refund", s, "JAM", "--user", "sam", "--no-print"],
                env=self.sup())
        self.assertEqual(self.expected_cash(), "0")
        self.note("cash refund of 250 with 50 in the drawer: exit 2, "
                  "nothing written; with 250 it goes and leaves 0")

    def test_void_of_cash_sale_over_the_drawer_refused(self):
        self.setup_day()
        s = self.sell("JAM", "--pay", "cash:250")["receipt"]
        self.ok(["payout", "P2", "250", "--user", "sam", "--no-print"],
                env=self.sup())
        self.assertEqual(self.expected_cash(), "0")
        before = self.snapshot()
        self.fails(["void", s, "--user", "sam", "--reason", "x"], 2,
                   r"cannot void it: it would take 250 cash from the "
                   r"drawer, which should hold only 0", env=self.sup())
        self.assertEqual(self.snapshot(), before)
        self.note("void of a 250 cash sale with an empty drawer: exit 2")

    def test_refund_in_a_later_session_checks_that_session_drawer(self):
        self.setup_day()
        s = self.sell("JAM", "--pay", "cash:250")["receipt"]
        self.j(["day", "close", "--user", "sam", "--counted", "250"],
               env=self.sup())
        self.ok(["day", "open", "--user", "ali", "--float", "100"])
        # The date's cash so far is 350; the open session's drawer is 100.
        self.assertEqual(self.expected_cash(), "100")
        before = self.snapshot()
        self.fails(["refund", s, "JAM", "--user", "sam"], 2,
                   r"take 250 cash from the drawer, which should hold "
                   r"only 100", env=self.sup())
        self.assertEqual(self.snapshot(), before)
        self.note("a refund in session 2 is held to session 2's drawer "
                  "(100), not the date's (350)")

    def test_void_of_card_sale_needs_no_cash(self):
        self.setup_day()
        s = self.sell("JAM", "--pay", "card:250")["receipt"]
        self.ok(["void", s, "--user", "sam", "--reason", "x", "--no-print"],
                env=self.sup())
        self.assertEqual(self.expected_cash(), "0")
        self.note("void of a card sale with an empty drawer goes")


class RefundMethods(Base):

    def test_cash_sale_not_refunded_to_card(self):
        self.setup_day(float_amount="1000")
        s = self.sell("JAM", "SOAP")["receipt"]
        before = self.snapshot()
        self.fails(["refund", s, "JAM", "--user", "sam", "--to", "card"], 2,
                   r"not paid by card", env=self.sup())
        self.assertEqual(self.snapshot(), before)
        e = self.j(["refund", s, "JAM", "--user", "sam", "--no-print"],
                   env=self.sup())
        self.assertEqual([(p["method"], p["amount"]) for p in e["payments"]],
                         [("cash", "250")])
        x = self.j(["report", "x"])
        self.assertEqual(x["by_method"]["card"], "0")
        self.note("a cash sale refunded --to card: exit 2; without --to it "
                  "goes back in cash")

    def test_refund_up_to_what_the_method_paid(self):
        self.setup_day(float_amount="1000")
        s = self.sell("JAM", "SOAP", "--pay", "card:100",
                      "--pay", "cash:250")["receipt"]
        self.fails(["refund", s, "JAM", "--user", "sam", "--to", "card"], 2,
                   r"cannot refund 250 by card: .* paid 100 by card, of "
                   r"which 0 is already refunded", env=self.sup())
        self.ok(["refund", s, "SOAP", "--user", "sam", "--to", "card",
                 "--no-print"], env=self.sup())
        self.fails(["refund", s, "JAM", "--user", "sam", "--to", "card"], 2,
                   r"paid 100 by card, of which 100 is already refunded",
                   env=self.sup())
        e = self.j(["refund", s, "JAM", "--user", "sam", "--to", "cash",
                    "--no-print"], env=self.sup())
        self.assertEqual(e["total"], "250")
        x = self.j(["report", "x"])
        self.assertEqual((x["by_method"]["card"], x["by_method"]["cash"]),
                         ("0", "0"))
        self.note("card paid 100, cash 250: JAM (250) to card refused, "
                  "SOAP (100) to card goes, then JAM to cash; no method "
                  "goes below zero")

    def test_card_sale_refunds_to_card_by_default(self):
        self.setup_day()
        s = self.sell("JAM", "--pay", "card:250")["receipt"]
        e = self.j(["refund", s, "JAM", "--user", "sam", "--no-print"],
                   env=self.sup())
        self.assertEqual([(p["method"], p["amount"]) for p in e["payments"]],
                         [("card", "250")])
        self.note("a card sale refunded without --to goes back to the card")


class ProducerDebt(Base):

    def paid_then_voided(self):
        """P2 sells JAM (250, by card), takes 250 in cash, and the sale is
        voided: P2 owes the window 250."""
        self.setup_day(float_amount="1000")
        s = self.sell("JAM", "--pay", "card:250")["receipt"]
        self.ok(["payout", "P2", "250", "--user", "sam", "--no-print"],
                env=self.sup())
        self.ok(["void", s, "--user", "sam", "--reason", "x", "--no-print"],
                env=self.sup())

    def test_owes_the_window_shown_never_negative(self):
        self.paid_then_voided()
        prods = {p["code"]: p for p in
                 self.j(["report", "producers"])["producers"]}
        self.assertEqual((prods["P2"]["owed"], prods["P2"]["owes_window"]),
                         ("0", "250"))
        self.assertEqual((prods["P1"]["owed"], prods["P1"]["owes_window"]),
                         ("0", "0"))
        text = self.ok(["report", "producers"])
        self.assertIn("owes the window 250", text)
        self.assertIn("over 250", text)
        self.assertNotIn("-250", text)
        st = self.j(["report", "producer", "P2"])
        self.assertEqual((st["owed"], st["owes_window"]), ("0", "250"))
        text = self.ok(["report", "producer", "P2"])
        self.assertIn("owes the window 250", text)
        self.assertNotIn("owed now", text)
        self.assertNotIn("-250", text)
        self.note("paid 250 then voided: owed 0, owes_window 250 in JSON; "
                  "'owes the window 250' in the text reports")

    def test_statement_slip_says_owes_the_window(self):
        self.paid_then_voided()
        self.ok(["report", "producer", "P2", "--print"])
        rdir = os.path.join(self.tmp, "receipts")
        texts = []
        for f in sorted(os.listdir(rdir)):
            with open(os.path.join(rdir, f), encoding="utf-8") as fh:
                texts.append(fh.read())
        slip = [t for t in texts if "PRODUCER STATEMENT" in t]
        self.assertEqual(len(slip), 1, texts)
        self.assertRegex(slip[0], r"Owes the window +250")
        self.assertRegex(slip[0], r"Paid beyond net +250")
        self.assertNotIn("-250", slip[0])
        self.note("the printed statement says 'Owes the window 250'")

    def test_next_payout_reduced_by_the_debt(self):
        self.paid_then_voided()
        self.fails(["payout", "P2", "1", "--user", "sam"], 2,
                   r"they owe the window 250", env=self.sup())
        self.sell("JAM", "JAM", "--pay", "card:500")
        self.fails(["payout", "P2", "251", "--user", "sam"], 2,
                   r"they are owed 250", env=self.sup())
        self.ok(["payout", "P2", "250", "--user", "sam", "--no-print"],
                env=self.sup())
        p = self.j(["report", "producer", "P2"])
        self.assertEqual((p["owed"], p["owes_window"]), ("0", "0"))
        self.note("a debt of 250 then sales of 500: the next payout is at "
                  "most 250")


class RefundLines(Base):

    def test_small_refunds_never_show_a_negative_discount(self):
        # 0.004 kg at 750/kg = 3, discount 1: refunded 0.001 kg at a time.
        self.setup_day()
        self.ok(["product", "add", "SAFFRON", "زعفران", "750",
                 "--producer", "P2", "--unit", "kg"])
        s = self.sell("SAFFRON*0.004", "--discount", "1")
        sl = s["lines"][0]
        self.assertEqual((sl["total"], sl["discount"], sl["net"]),
                         ("3", "1", "2"))
        got = []
        for _ in range(4):
            e = self.j(["refund", s["receipt"], "SAFFRON*0.001", "--user",
                        "sam", "--no-print"], env=self.sup())
            (l,) = e["lines"]
            t, d, n = int(l["total"]), int(l["discount"]), int(l["net"])
            self.assertTrue(0 <= d <= t and n == t - d, (t, d, n))
            self.assertEqual(int(e["total"]), n)
            got.append((t, d, n))
        self.assertEqual(tuple(map(sum, zip(*got))), (3, 1, 2), got)
        self.assertTrue(self.j(["verify"])["ok"])
        self.note("four 0.001 kg refunds of a 0.004 kg line (3, discount 1): "
                  "%s, each discount within 0..total, sums exact" % got)

    def test_refunds_in_random_steps_sum_to_the_line(self):
        # Lines of odd sizes with a sale discount, each refunded in random
        # steps: every step within its rules, the steps summing exactly.
        self.setup_day()
        self.ok(["product", "add", "SAFFRON", "زعفران", "997",
                 "--producer", "P2", "--unit", "kg"])
        rnd = random.Random(16)
        checked = 0
        for qty, discount in ((7, 5), (13, 11), (9, 40), (11, 1)):
            s = self.sell("SAFFRON*0.%03d" % qty, "JAM*3",
                          "--discount", str(discount))
            line = [l for l in s["lines"] if l["product_code"] == "SAFFRON"][0]
            want = tuple(int(line[k]) for k in ("total", "discount", "net"))
            left, got = qty, []
            while left > 0:
                q = rnd.randint(1, left)
                left -= q
                e = self.j(["refund", s["receipt"], "SAFFRON*0.%03d" % q,
                            "--user", "sam", "--no-print"], env=self.sup())
                (l,) = e["lines"]
                t, d, n = int(l["total"]), int(l["discount"]), int(l["net"])
                self.assertTrue(0 <= d <= min(t, want[1]) and n == t - d,
                                (qty, discount, q, t, d, n))
                got.append((t, d, n))
            self.assertEqual(tuple(map(sum, zip(*got))), want,
                             (qty, discount, got))
            checked += len(got)
        self.assertTrue(self.j(["verify"])["ok"])
        self.note("%d random refund steps over 4 discounted kg lines: "
                  "each discount within 0..total, sums exact" % checked)

    def test_refund_slip_explains_the_amount(self):
        self.setup_day()
        s = self.sell("JAM*2", "--discount", "100")["receipt"]
        r = self.j(["refund", s, "JAM*1", "--user", "sam", "--no-print"],
                   env=self.sup())
        (l,) = r["lines"]
        self.assertEqual((l["total"], l["discount"], l["net"]),
                         ("250", "50", "200"))
        text = self.ok(["receipt", "render", r["receipt"], "--format",
                        "text"])
        # Bidi isolates and no-break spaces hold the quantity line together;
        # a negative figure is a left-to-right isolate.
        for mark in ("\u2066", "\u2068", "\u2069"):
            text = text.replace(mark, "")
        lines = [x.replace("\xa0", " ").strip() for x in text.splitlines()]
        i = next(k for k, x in enumerate(lines) if x.startswith("مربى"))
        self.assertRegex(lines[i + 1], r"1 × 250 ل.س +250 ل.س$")
        self.assertRegex(lines[i + 2], r"^Discount share +-50 ل.س$")
        self.assertRegex(lines[i + 3], r"^Returned +200 ل.س$")
        self.assertTrue(any(x.startswith("Returned") and "200" in x
                            for x in lines[i + 4:]), text)
        self.note("refund slip: line price 250, discount share -50, "
                  "returned 200")


if __name__ == "__main__":
    H.main()

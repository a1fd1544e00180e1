"""Tampering with the journal: the append-only triggers refuse UPDATE and
DELETE; someone who drops them and edits a row with the sqlite3 CLI is
caught by `pos verify` (ok false, bad_seq = the tampered entry, exit 1).
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import posharness as H                                    # noqa: E402

TRIGGERS = ["journal_no_update", "journal_no_delete", "lines_no_update",
            "lines_no_delete", "payments_no_update", "payments_no_delete"]
DROP = "".join("DROP TRIGGER %s;" % t for t in TRIGGERS)


class Tamper(H.PosTestCase):

    @classmethod
    def setUpClass(cls):
        b = H.PosTestCase()
        b.setUp()
        cls.builder = b
        db = os.path.join(b.tmp, "day.db")
        b.init_store(db=db)
        b.add_users(db=db)
        b.ok(["producer", "add", "P1", "أم أحمد"], db=db)
        b.ok(["producer", "add", "P2", "Abu Karim"], db=db)
        b.ok(["product", "add", "HONEY", "عسل", "1500", "--producer", "P1"], db=db)
        b.ok(["product", "add", "CHEESE", "جبنة", "1000", "--producer", "P2",
              "--unit", "kg"], db=db)
        sup = {"POS_PIN": H.SUPERVISOR_PIN}
        b.ok(["day", "open", "--user", "ali", "--float", "1000"], db=db)     # 1
        b.ok(["sell", "--user", "ali", "HONEY", "CHEESE*0.5"], db=db)        # 2
        b.ok(["sell", "--user", "ali", "HONEY*2", "CHEESE*0.25",
              "--discount", "100", "--pay", "card:1000",
              "--pay", "cash:5000"], db=db)                                  # 3
        b.ok(["void", H.receipt(2), "--user", "sam", "--reason", "x"], db=db,
             env=sup)                                                        # 4
        b.ok(["refund", H.receipt(3), "CHEESE", "--user", "sam"], db=db,
             env=sup)                                                        # 5
        b.ok(["cash", "in", "500", "--user", "ali", "--reason", "فكة"], db=db)  # 6
        b.ok(["sell", "--user", "ali", "HONEY"], db=db)                      # 7
        cls.entries = 7
        cls.template = db
        v = json.loads(b.ok(["verify"], db=db, json_out=True))
        assert v["ok"] and v["entries"] == 7, v
        cls.head = v["head"]

    @classmethod
    def tearDownClass(cls):
        cls.builder.doCleanups()

    def setUp(self):
        super().setUp()
        self.copy_store(self.template, self.db)

    def tamper(self, sql, seq, drop=True):
        self.sqlite((DROP if drop else "") + sql)
        rc, out, err = self.pos(["verify"], json_out=True)
        self.assertEqual(rc, 1, "verify after %r: exit %d\n%s%s" % (sql, rc, out, err))
        # the first JSON document on stdout is the verify result (see
        # test_failed_verify_prints_one_json_document for the rest)
        v, _ = json.JSONDecoder().raw_decode(out)
        self.assertIs(v["ok"], False, sql)
        self.assertEqual(v["bad_seq"], seq, "bad_seq after %r: %s" % (sql, out))
        self.assertTrue(err.strip(), "a failed verify says so on stderr")
        rc, out, err = self.pos(["verify"])
        self.assertEqual(rc, 1)
        self.assertIn("seq %d" % seq, out + err)
        self.note("%s -> ok=false, bad_seq=%d, exit 1" % (sql, seq))

    def test_intact_store_verifies(self):
        v = self.j(["verify"])
        self.assertEqual((v["ok"], v["entries"], v["head"]), (True, 7, self.head))
        self.note("untouched copy: ok, 7 entries, same head")

    def test_line_qty(self):
        self.tamper("UPDATE journal_lines SET qty = qty + 1000 WHERE seq = 3 "
                    "AND product_code = 'HONEY';", 3)

    def test_line_total(self):
        self.tamper("UPDATE journal_lines SET net = net - 1 WHERE seq = 3 "
                    "AND product_code = 'HONEY';", 3)

    def test_line_producer_name(self):
        self.tamper("UPDATE journal_lines SET producer_name = 'أم محمد' "
                    "WHERE seq = 2 AND product_code = 'HONEY';", 2)

    def test_line_product_code(self):
        self.tamper("UPDATE journal_lines SET product_code = 'HONEY2' "
                    "WHERE seq = 7;", 7)

    def test_payment_amount(self):
        self.tamper("UPDATE journal_payments SET amount = amount - 100 "
                    "WHERE seq = 3 AND method = 'cash';", 3)

    def test_payment_method(self):
        self.tamper("UPDATE journal_payments SET method = 'card' WHERE seq = 7;", 7)

    def test_entry_total(self):
        self.tamper("UPDATE journal SET total = total + 1 WHERE seq = 3;", 3)

    def test_entry_amount(self):
        self.tamper("UPDATE journal SET amount = 5000 WHERE seq = 6;", 6)

    def test_entry_float(self):
        self.tamper("UPDATE journal SET amount = 0 WHERE seq = 1;", 1)

    def test_entry_business_date(self):
        self.tamper("UPDATE journal SET business_date = '2026-02-28' "
                    "WHERE seq = 5;", 5)

    def test_entry_user(self):
        self.tamper("UPDATE journal SET user = 'sam' WHERE seq = 2;", 2)

    def test_entry_kind(self):
        self.tamper("UPDATE journal SET kind = 'cash_out' WHERE seq = 6;", 6)

    def test_entry_reason(self):
        self.tamper("UPDATE journal SET reason = 'y' WHERE seq = 4;", 4)

    def test_void_reference(self):
        self.tamper("UPDATE journal SET ref_receipt = '%s' WHERE seq = 4;"
                    % H.receipt(3), 4)

    def test_entry_hash_rewritten(self):
        self.tamper("UPDATE journal SET hash = '%s' WHERE seq = 3;" % ("0" * 64), 3)

    def test_delete_last_payment(self):
        self.tamper("DELETE FROM journal_payments WHERE seq = 7;", 7)

    def test_delete_a_line(self):
        self.tamper("DELETE FROM journal_lines WHERE seq = 3 AND "
                    "product_code = 'CHEESE';", 3)

    def test_insert_a_line(self):
        self.tamper("INSERT INTO journal_lines SELECT seq, line_no + 10, "
                    "product_code, product_name, producer_code, producer_name, "
                    "unit, qty, unit_price, total, discount, net FROM "
                    "journal_lines WHERE seq = 7;", 7)

    def test_insert_a_payment(self):
        self.tamper("INSERT INTO journal_payments VALUES (2, 9, 'cash', 1, 1);", 2)

    def test_delete_an_entry(self):
        # its lines and payments go too; the next entry no longer follows
        self.tamper("DELETE FROM journal_lines WHERE seq = 5;"
                    "DELETE FROM journal_payments WHERE seq = 5;"
                    "DELETE FROM journal WHERE seq = 5;", 6)

    def test_failed_verify_prints_one_json_document(self):
        self.sqlite(DROP + "UPDATE journal SET total = total + 1 WHERE seq = 3;")
        rc, out, err = self.pos(["verify"], json_out=True)
        self.assertEqual(rc, 1)
        try:
            v = json.loads(out)
        except ValueError as exc:
            self.fail("pos --json verify on a tampered store: stdout is not one "
                      "JSON document (%s):\n%s" % (exc, out))
        self.assertEqual((v["ok"], v["bad_seq"]), (False, 3))
        self.note("pos --json verify (tampered): stdout is one JSON document")

    def test_triggers_refuse_changes(self):
        for sql in ("UPDATE journal SET total = 1 WHERE seq = 3;",
                    "DELETE FROM journal WHERE seq = 7;",
                    "UPDATE journal_lines SET qty = 1 WHERE seq = 3;",
                    "DELETE FROM journal_lines WHERE seq = 3;",
                    "UPDATE journal_payments SET amount = 1 WHERE seq = 3;",
                    "DELETE FROM journal_payments WHERE seq = 7;"):
            rc, out, err = self.sqlite(sql, check=False)
            self.assertNotEqual(rc, 0, "%s was allowed" % sql)
            self.assertIn("append-only", err)
            self.note("refused by trigger: %s" % sql)
        v = self.j(["verify"])
        self.assertEqual((v["ok"], v["entries"], v["head"]), (True, 7, self.head))
        self.note("journal unchanged after the refused statements")


if __name__ == "__main__":
    H.main()

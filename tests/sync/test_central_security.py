"""Bad, forged and unauthenticated requests: each gets the right status and
a reason, and stores nothing it should not.

The central store (three branches, one revoked) and the window store are
made once, by the first test, and kept; every test starts its own server
on a fresh copy of them. Making them takes some thirty runs of pos and
pos-central, which is most of this file's time under a sanitizer."""

import copy
import json
import os
import unittest

import centralharness as h


class Security(h.CentralTestCase):

    def make_stores(self):
        tokens = self.init_central(("DMS01", "DMS02", "HMS01"))
        self.central(["branch", "revoke", "HMS01"])
        return tokens, self.dump(self.make_window("w1", "DMS01", 1))

    def setUp(self):
        super().setUp()
        self.tokens, self.batch = self.made_once(
            self.make_stores, ("central.db", "w1.db"))
        self.win = os.path.join(self.tmp, "w1.db")
        self.n = len(self.batch["entries"])
        self.srv = self.serve(["--max-body", "65536", "--max-entries", "50"])
        self.tok = self.tokens["DMS01"]

    def assertStored(self, n):
        self.assertEqual(self.counts()[0], n)
        v = self.central(["verify"], json_out=True)
        self.assertTrue(v["ok"], v)

    def assertRefused(self, status, want, body, token=None, pattern=None,
                      **kw):
        st, ans = self.post(self.srv, self.tok if token is None else token,
                            body, **kw)
        self.assertEqual(st, want, ans)
        self.assertIsInstance(ans, dict, ans)
        self.assertIn("error", ans)
        if pattern is not None:
            self.assertRegex(json.dumps(ans, ensure_ascii=False), pattern)
        self.assertStored(0)
        self.note("%s: %d" % (status, want))
        return ans

    # ---- who is asking ----

    def test_no_token_is_401(self):
        self.assertRefused("no token", 401, self.batch, token="",
                           headers={"Authorization": ""})
        st, ans = self.post(self.srv, None, self.batch)
        self.assertEqual(st, 401, ans)
        self.assertStored(0)

    def test_wrong_or_malformed_token_is_401(self):
        self.assertRefused("unknown token", 401, self.batch, token="ab" * 32)
        self.assertRefused("short token", 401, self.batch, token="abc")
        self.assertRefused("basic auth", 401, self.batch, token="",
                           headers={"Authorization": "Basic " + self.tok})
        self.assertRefused("token upper case", 401, self.batch,
                           token=self.tok.upper())

    def test_revoked_token_is_401(self):
        self.assertRefused("revoked token", 401, self.batch,
                           token=self.tokens["HMS01"], pattern="revoked")
        st, _ = self.post(self.srv, self.tokens["HMS01"], b"",
                          method="GET", path="/v1/status")
        self.assertEqual(st, 401)

    def test_another_branchs_batch_is_403(self):
        self.assertRefused("DMS02 token, DMS01 batch", 403, self.batch,
                           token=self.tokens["DMS02"], pattern="DMS02")

    # ---- what is sent ----

    def test_forged_hash_is_rejected_and_blocks_the_rest(self):
        b = copy.deepcopy(self.batch)
        b["entries"][1]["lines"][0]["qty"] += 1000      # hash kept: forged
        st, ans = self.post(self.srv, self.tok, b)
        self.assertEqual(st, 200, ans)
        res = ans["results"]
        self.assertEqual(res[0]["status"], "accepted")
        self.assertEqual(res[1]["status"], "rejected")
        self.assertRegex(res[1]["reason"], "hash does not match")
        for r in res[2:]:
            self.assertEqual(r["status"], "rejected")
            self.assertEqual(r["blocked_by"], 2)
            self.assertRegex(r["reason"], "follows rejected entry seq 2")
        self.assertEqual(ans["acked_through"], 1)
        self.assertStored(1)
        self.note("forged entry 2: rejected; 3.. blocked; only seq 1 stored")
        # The real entries still go in after it.
        st, ans = self.post(self.srv, self.tok, self.batch)
        self.assertEqual([r["status"] for r in ans["results"]],
                         ["duplicate"] + ["accepted"] * (self.n - 1))
        self.assertStored(self.n)

    def test_forged_first_entry_stores_nothing(self):
        b = copy.deepcopy(self.batch)
        b["entries"][0]["amount"] = 999999
        st, ans = self.post(self.srv, self.tok, b)
        self.assertEqual(st, 200, ans)
        self.assertEqual({r["status"] for r in ans["results"]}, {"rejected"})
        self.assertEqual(ans["acked_through"], 0)
        self.assertStored(0)

    def test_broken_prev_hash_is_rejected(self):
        b = copy.deepcopy(self.batch)
        b["entries"][2]["prev_hash"] = "1" * 64
        st, ans = self.post(self.srv, self.tok, b)
        self.assertEqual(st, 200, ans)
        self.assertEqual(ans["results"][2]["status"], "rejected")
        self.assertRegex(ans["results"][2]["reason"], "prev_hash")
        self.assertStored(2)

    def test_same_uuid_other_content_is_rejected(self):
        st, _ = self.post(self.srv, self.tok, self.dump(self.win, 1, 3))
        self.assertEqual(st, 200)
        b = self.dump(self.win, 4, 0)
        b["entries"][0]["uuid"] = self.batch["entries"][0]["uuid"]
        st, ans = self.post(self.srv, self.tok, b)
        self.assertEqual(st, 200, ans)
        self.assertEqual(ans["results"][0]["status"], "rejected")
        self.assertRegex(ans["results"][0]["reason"], "uuid already stored")
        self.assertStored(3)

    def test_reordered_seq_is_400(self):
        b = copy.deepcopy(self.batch)
        b["entries"][1], b["entries"][2] = b["entries"][2], b["entries"][1]
        self.assertRefused("reordered", 400, b,
                           pattern=r"entries\[1\]\.seq: 3 does not follow 1")

    def test_gap_is_409_with_expected_seq(self):
        ans = self.assertRefused("gap", 409, self.dump(self.win, 3, 0))
        self.assertEqual(ans["expected_seq"], 1)
        self.assertEqual(ans["head"], "0" * 64)

    def test_replayed_batch_is_all_duplicate(self):
        for _ in range(3):
            st, ans = self.post(self.srv, self.tok, self.batch)
            self.assertEqual(st, 200)
        self.assertEqual({r["status"] for r in ans["results"]}, {"duplicate"})
        self.assertEqual(self.counts()[0], self.counts()[3])
        self.assertStored(self.n)

    def test_malformed_json_is_400(self):
        self.assertRefused("not JSON", 400, b"{\"format\": 1, ",
                           pattern="not valid JSON")
        self.assertRefused("array", 400, b"[]", pattern="must be an object")
        self.assertRefused("duplicate key", 400,
                           b'{"format":1,"format":1,"branch":"DMS01",'
                           b'"terminal":1,"entries":[]}')
        self.assertRefused("unknown key", 400,
                           dict(self.batch, extra=1), pattern="extra")
        b = copy.deepcopy(self.batch)
        b["entries"][3]["lines"][0]["qty"] = "1000"
        self.assertRefused("string qty", 400, b,
                           pattern=r"entries\[3\]\.lines\[0\]\.qty")
        b = copy.deepcopy(self.batch)
        del b["entries"][0]["hash"]
        self.assertRefused("missing hash", 400, b,
                           pattern=r"entries\[0\]\.hash: missing")

    def test_oversized_body_is_413(self):
        big = json.dumps(self.batch).encode() + b" " * 70000
        self.assertRefused("Content-Length over the limit", 413, big)
        self.assertRefused("chunked over the limit", 413, big, chunked=True)
        # The server is still there and takes the real batch.
        st, _ = self.post(self.srv, self.tok, self.batch)
        self.assertEqual(st, 200)

    def test_huge_strings_are_400(self):
        b = copy.deepcopy(self.batch)
        b["entries"][1]["lines"][0]["product_name"] = "خ" * 20000
        self.assertRefused("40 KB name", 400, b,
                           pattern=r"entries\[1\]\.lines\[0\]\.product_name: "
                                   "longer than 480 bytes")
        b = copy.deepcopy(self.batch)
        b["branch"] = "D" * 30000
        self.assertRefused("30 KB branch", 400, b, pattern="branch")

    def test_invalid_utf8_is_400(self):
        raw = json.dumps(self.batch, ensure_ascii=False).encode()
        i = raw.index("مخبز".encode())
        bad = raw[:i] + b"\xff\xfe" + raw[i + 2:]
        self.assertRefused("invalid UTF-8", 400, bad)
        bad = raw[:i] + b"\xed\xa0\x80" + raw[i + 3:]     # a lone surrogate
        self.assertRefused("UTF-8 surrogate", 400, bad)

    def test_wrong_format_version_is_400(self):
        self.assertRefused("format 2", 400, dict(self.batch, format=2),
                           pattern="format")
        b = copy.deepcopy(self.batch)
        b["entries"][0]["v"] = 2
        self.assertRefused("entry v 2", 400, b, pattern=r"entries\[0\]\.v")

    def test_too_many_entries_is_400(self):
        b = copy.deepcopy(self.batch)
        b["entries"] = b["entries"] * 6      # 54 > --max-entries 50
        self.assertRefused("54 entries", 400, b, pattern="limit of 50")

    def test_entries_of_another_terminal_are_400(self):
        self.assertRefused("terminal mismatch", 400,
                           dict(self.batch, terminal=2),
                           pattern=r"entries\[0\]\.terminal")

    def test_bad_idempotency_key_is_400(self):
        self.assertRefused("long key", 400, self.batch, key="k" * 200)

    def test_unknown_path_and_method(self):
        st, _ = self.post(self.srv, self.tok, b"", method="PUT",
                          path="/v1/journal")
        self.assertEqual(st, 405)
        # GET reads a page of a journal and needs its terminal.
        st, _ = self.post(self.srv, self.tok, b"", method="GET",
                          path="/v1/journal")
        self.assertEqual(st, 400)
        st, _ = self.post(self.srv, self.tok, b"", method="GET", path="/nope")
        self.assertEqual(st, 404)
        self.assertStored(0)

    @unittest.skipIf(h.PG, "a file's mode: SQLite only")
    def test_store_file_is_private(self):
        # (copy_store keeps the mode pos-central gave the file)
        self.assertEqual(os.stat(self.cdb).st_mode & 0o777, 0o600)
        out, _ = self.central(["branch", "list"])
        self.assertNotIn(self.tok, out)
        with open(self.cdb, "rb") as f:
            self.assertNotIn(self.tok.encode(), f.read())


if __name__ == "__main__":
    h.main()

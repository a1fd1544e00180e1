"""Two (and more) pos processes on one store at once: every sale commits,
the seq stays gapless, the chain verifies, reports read while sells write."""

import json
import os
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import posharness as H                                    # noqa: E402

PRICE = 1500


class Concurrency(H.PosTestCase):

    def setUp(self):
        super().setUp()
        self.init_store()
        self.add_users()
        self.ok(["producer", "add", "P1", "منتج"])
        self.ok(["product", "add", "HONEY", "عسل", str(PRICE), "--producer", "P1"])
        self.ok(["product", "add", "CHEESE", "جبنة", "333", "--producer", "P1",
                 "--unit", "kg"])
        self.ok(["day", "open", "--user", "ali", "--float", "0"])

    def popen(self, args):
        return subprocess.Popen([H.POS, "--db", self.db, "--json"] + args,
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=self.env, cwd=self.tmp)

    def seller(self, n, results):
        for _ in range(n):
            p = self.popen(["sell", "--user", "ali", "HONEY", "CHEESE*0.5"])
            out, err = p.communicate(timeout=H.scaled(60))
            results.append((p.returncode, out.decode(), err.decode()))

    def reader(self, stop, results):
        cmds = [["report", "x"], ["report", "producers"], ["verify"],
                ["export", "sales"], ["product", "list", "--search", "عسل"]]
        i = 0
        while not stop.is_set() or i < len(cmds):
            p = self.popen(cmds[i % len(cmds)])
            out, err = p.communicate(timeout=H.scaled(60))
            results.append((cmds[i % len(cmds)], p.returncode, out.decode(),
                            err.decode()))
            i += 1

    def check_sales(self, results, n, first_seq):
        bad = [r for r in results if r[0] != 0]
        self.assertEqual(bad, [], "every concurrent sell exits 0")
        seqs = sorted(json.loads(out)["seq"] for _, out, _ in results)
        self.assertEqual(seqs, list(range(first_seq, first_seq + n)),
                         "seq gapless and unique")
        receipts = sorted(json.loads(out)["receipt"] for _, out, _ in results)
        self.assertEqual(receipts, [H.receipt(s) for s in seqs])
        for _, out, _ in results:
            self.assertEqual(json.loads(out)["total"], str(PRICE + 167))

    def test_two_writers_and_a_reader(self):
        a, b, reads = [], [], []
        stop = threading.Event()
        threads = [threading.Thread(target=self.seller, args=(50, a)),
                   threading.Thread(target=self.seller, args=(50, b)),
                   threading.Thread(target=self.reader, args=(stop, reads))]
        for t in threads:
            t.start()
        threads[0].join()
        threads[1].join()
        stop.set()
        threads[2].join()
        self.check_sales(a + b, 100, 2)
        self.note("2 x 50 concurrent pos sell: all exit 0, seq 2..101 gapless")
        bad = [r for r in reads if r[1] != 0]
        self.assertEqual(bad, [], "reports and verify during the sells exit 0")
        for cmd, rc, out, err in reads:
            if cmd[0] == "export":
                self.assertTrue(out.startswith('"business_date"'), out[:80])
                continue
            j = json.loads(out)
            if cmd == ["verify"]:
                self.assertIs(j["ok"], True)
            if cmd == ["report", "x"]:
                # a consistent snapshot: counts and sums agree
                self.assertEqual(int(j["gross"]),
                                 j["sales_count"] * (PRICE + 167))
                self.assertEqual(int(j["by_method"]["cash"]), int(j["gross"]))
        self.note("%d reads (report x/producers, verify, export, search) while "
                  "selling: all exit 0 and consistent" % len(reads))
        v = self.j(["verify"])
        self.assertEqual((v["ok"], v["entries"]), (True, 101))
        x = self.j(["report", "x"])
        self.assertEqual(x["sales_count"], 100)
        self.assertEqual(x["gross"], str(100 * (PRICE + 167)))
        self.assertEqual(x["expected_cash"], str(100 * (PRICE + 167)))
        self.note("verify ok with 101 entries; report x sales_count 100, "
                  "gross %d" % (100 * (PRICE + 167)))

    def test_report_x_is_one_snapshot(self):
        """report x read while sales commit must add up within itself."""
        sales, reads = [], []
        stop = threading.Event()

        def xreader():
            while not stop.is_set():
                p = self.popen(["report", "x"])
                out, err = p.communicate(timeout=H.scaled(60))
                reads.append((p.returncode, out.decode(), err.decode()))

        writers = [threading.Thread(target=self.seller, args=(50, sales))
                   for _ in range(2)]
        readers = [threading.Thread(target=xreader) for _ in range(2)]
        for t in writers + readers:
            t.start()
        for t in writers:
            t.join()
        stop.set()
        for t in readers:
            t.join()
        self.check_sales(sales, 100, 2)
        self.assertEqual([r for r in reads if r[0] != 0], [])
        torn = []
        for _, out, _ in reads:
            j = json.loads(out)
            n = j["sales_count"]
            if (int(j["gross"]), int(j["by_method"]["cash"]),
                    int(j["expected_cash"])) != ((PRICE + 167) * n,) * 3:
                torn.append({k: j[k] for k in ("sales_count", "gross",
                                                "by_method", "expected_cash")})
        self.assertEqual(torn, [], "%d of %d report x runs during sells do not "
                         "add up (sales_count/gross vs by_method/expected_cash "
                         "read at different moments)" % (len(torn), len(reads)))
        self.note("%d report x runs during 100 sells: each adds up "
                  "(gross = count x price = by_method.cash = expected_cash)"
                  % len(reads))

    def test_burst_of_writers(self):
        procs = [self.popen(["sell", "--user", "ali", "HONEY", "CHEESE*0.5"])
                 for _ in range(24)]
        results = []
        for p in procs:
            out, err = p.communicate(timeout=H.scaled(60))
            results.append((p.returncode, out.decode(), err.decode()))
        self.check_sales(results, 24, 2)
        v = self.j(["verify"])
        self.assertEqual((v["ok"], v["entries"]), (True, 25))
        self.note("24 pos sell started at once: all exit 0, gapless, verify ok")


if __name__ == "__main__":
    H.main()

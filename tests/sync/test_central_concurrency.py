"""Several branches posting at once: every entry stored exactly once, every
chain intact; two clients racing with the same batch store it once."""

import threading

import centralharness as h

BRANCHES = ["B%02d" % i for i in range(1, 7)]


class Concurrency(h.CentralTestCase):

    def test_branches_post_at_once(self):
        tokens = self.init_central(BRANCHES)
        wins = {b: self.make_window(b, b, 1 + i % 2, variant=i)
                for i, b in enumerate(BRANCHES)}
        batches = {b: self.dump(w) for b, w in wins.items()}
        srv = self.serve(["--threads", "3"])
        errors = []

        def client(b, resend):
            try:
                n = len(batches[b]["entries"])
                for first in range(1, n + 1, 2):
                    part = self.dump(wins[b], first, min(2, n - first + 1))
                    for _ in range(2 if resend else 1):
                        st, ans = self.post(srv, tokens[b], part,
                                            key="%s-%d" % (b, first))
                        if st != 200 or ans["acked_through"] < \
                                part["entries"][-1]["seq"]:
                            errors.append((b, first, st, ans))
            except Exception as exc:        # noqa: BLE001 (reported below)
                errors.append((b, repr(exc)))

        threads = [threading.Thread(target=client, args=(b, i % 2 == 0))
                   for i, b in enumerate(BRANCHES)]
        # Two more clients race with B01's whole day, without keys.
        def racer():
            st, ans = self.post(srv, tokens["B01"], batches["B01"])
            if st != 200:
                errors.append(("racer", st, ans))
        threads += [threading.Thread(target=racer) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        self.assertEqual(errors, [])

        total = sum(len(b["entries"]) for b in batches.values())
        entries, _, _, uuids = self.counts()
        self.assertEqual((entries, uuids), (total, total))
        v = self.central(["verify"], json_out=True)
        self.assertTrue(v["ok"], v)
        heads = {(c["branch"], c["terminal"]): c["head"] for c in v["chains"]}
        for i, b in enumerate(BRANCHES):
            self.assertEqual(heads[(b, 1 + i % 2)],
                             self.window_head(wins[b])["head"])
        self.note("%d branches, %d entries, each once, chains intact"
                  % (len(BRANCHES), total))


if __name__ == "__main__":
    h.main()

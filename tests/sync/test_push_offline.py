"""No network: [sync] url points at a loopback port nobody listens on.
`pos sync` fails at once (exit 1, the reason on stderr, well inside the
deadline); selling goes on; `pos day close` succeeds and says the push
failed, leaving everything queued; once a server is there, one `pos sync`
delivers it all."""

import pushharness as h


class PushOffline(h.PushTestCase):

    def test_a_dead_server_blocks_nothing(self):
        tf = self.token_file(self.init_central()["DMS01"])
        win = self.make_window("w1", "DMS01", 1, close=False)
        dead = self.dead_url()
        env = {"POS_SYNC_URL": dead, "POS_SYNC_TOKEN_FILE": tf}

        rc, j, err, dt = self.sync(win, dead, tf)
        self.assertEqual(rc, 1, err)
        self.assertIn("cannot connect", err)
        self.assertLess(dt, h.scaled(5.0))
        self.assertFalse(j["ok"])
        self.note("dead url: exit 1 in %.2fs: %s" % (dt, err.strip()))

        for _ in range(3):
            self.sell(win, ["P1"], env=env)
        rc, out, err = self.run_prog(
            [h.h.POS, "--db", win, "day", "close", "--user", "sam",
             "--counted", "0", "--no-print"],
            env=dict(env, POS_PIN=h.h.SUPERVISOR_PIN))
        self.assertEqual(rc, 0, err)
        self.assertIn("closed", out)
        self.assertRegex(out, r"sync: push failed, \d+ entries stay queued")
        st = self.status(win)
        v = self.window_head(win)
        self.assertEqual(st["unsynced"], v["entries"])
        self.assertIn("cannot connect", st["last_error"])
        self.note("sales and day close work offline; close says: %s"
                  % out.strip().splitlines()[-1][:100])

        # --json day close keeps one JSON document on stdout.
        self.pos(win, ["day", "open", "--user", "ali", "--float", "0"],
                 env=dict(env, POS_NOW="2026-03-02T08:00:00Z"))
        rc, out, err = self.run_prog(
            [h.h.POS, "--db", win, "--json", "day", "close", "--user", "sam",
             "--counted", "0", "--no-print"],
            env=dict(env, POS_PIN=h.h.SUPERVISOR_PIN,
                     POS_NOW="2026-03-02T18:00:00Z"))
        self.assertEqual(rc, 0, err)
        import json
        self.assertEqual(json.loads(out)["date"], "2026-03-02")
        self.assertIn("sync: push failed", err)

        srv = self.serve()
        j = self.sync_ok(win, self.url(srv), tf)
        self.assertEqual(j["sent"], self.window_head(win)["entries"])
        self.assert_central_equals_window(win, "DMS01", 1)

        # Online, day close pushes its own entry at once.
        self.pos(win, ["day", "open", "--user", "ali", "--float", "0"],
                 env={"POS_NOW": "2026-03-03T08:00:00Z"})
        rc, out, err = self.run_prog(
            [h.h.POS, "--db", win, "day", "close", "--user", "sam",
             "--counted", "0", "--no-print"],
            env={"POS_SYNC_URL": self.url(srv), "POS_SYNC_TOKEN_FILE": tf,
                 "POS_PIN": h.h.SUPERVISOR_PIN,
                 "POS_NOW": "2026-03-03T18:00:00Z"})
        self.assertEqual(rc, 0, err)
        self.assertIn("sync: pushed to the central server", out)
        self.assert_central_equals_window(win, "DMS01", 1)
        self.note("back online: one sync delivers the backlog; day close "
                  "pushes by itself")


if __name__ == "__main__":
    h.main()

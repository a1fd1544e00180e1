"""Configuration: errors name FILE:LINE: [section] key and exit 2; layers
(defaults < system < user < --config < POS_<SECTION>_<KEY>); `pos config
check` prints the effective configuration; currency decimals change how
amounts are parsed and shown."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import posharness as H                                    # noqa: E402


class ConfigErrors(H.PosTestCase):

    def conf(self, name, text):
        path = os.path.join(self.tmp, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def bad(self, text, want, args=("config", "check")):
        path = self.conf("pos.conf", text)
        rc, out, err = self.pos(["--config", path] + list(args), use_db=False)
        self.assertEqual(rc, 2, "config %r: exit %d\n%s" % (text, rc, err))
        self.assertIn(want % {"f": path}, err)
        self.note("%r -> exit 2, %s" % (text, (want % {"f": "pos.conf"})))

    def test_bad_values(self):
        self.bad("# comment\n[currency]\ndecimals = x\n",
                 '%(f)s:3: [currency] decimals: must be 0..3, got "x"')
        self.bad("[currency]\ndecimals = 4\n",
                 '%(f)s:2: [currency] decimals: must be 0..3, got "4"')
        self.bad("[currency]\ndecimals = -1\n",
                 '%(f)s:2: [currency] decimals: must be 0..3, got "-1"')
        self.bad("[window]\ntimezone = Mars/Base\n",
                 '%(f)s:2: [window] timezone:')
        self.bad("[printer]\npaper = 70\n", '%(f)s:2: [printer] paper:')
        self.bad("[currency]\ndigits = roman\n", '%(f)s:2: [currency] digits:')

    def test_unknown_key_and_section(self):
        self.bad("[currency]\nfoo = 1\n", "%(f)s:2: [currency] foo: unknown key")
        self.bad("[window]\nname = a\n\n[bogus]\nx = 1\n",
                 "%(f)s:4: [bogus]: unknown section")
        self.bad("[bogus]\n", "%(f)s:1: [bogus]: unknown section")
        self.bad("name = a\n", "%(f)s:1:")

    def test_bad_config_stops_every_command(self):
        self.init_store()
        before = self.snapshot()
        self.bad("[currency]\ndecimals = x\n",
                 '%(f)s:2: [currency] decimals: must be 0..3, got "x"',
                 args=("--db", self.db, "producer", "add", "P1", "x"))
        self.assertEqual(self.snapshot(), before)
        self.fails(["--config", os.path.join(self.tmp, "none.conf"), "verify"],
                   2, "none.conf")
        self.note("a missing --config file: exit 2 naming it")

    def test_env_errors(self):
        rc, out, err = self.pos(["config", "check"], use_db=False,
                                env={"POS_CURRENCY_DECIMALS": "x"})
        self.assertEqual(rc, 2)
        self.assertIn('POS_CURRENCY_DECIMALS', err)
        self.assertIn('must be 0..3, got "x"', err)
        rc, out, err = self.pos(["config", "check"], use_db=False,
                                env={"POS_WINDOW_TIMEZONE": "Nowhere/At_All"})
        self.assertEqual(rc, 2)
        self.assertIn("POS_WINDOW_TIMEZONE", err)
        self.note("bad POS_<SECTION>_<KEY> values: exit 2 naming the variable")

    def test_layers_and_config_check(self):
        user = self.conf("xdg-config/pos/pos.conf",
                         "[window]\nname = from user\nphone = 011 111\n")
        explicit = self.conf("explicit.conf", "[window]\nname = from --config\n")
        out = self.ok(["config", "check"], use_db=False)
        self.assertIn('[window] name = "from user"', out)
        self.assertIn('[window] phone = "011 111"', out)
        self.assertIn(user, out)
        self.assertIn('[currency] decimals = "0"', out)
        self.assertRegex(out, r'\[window\] timezone = "Asia/Damascus" +# env '
                         r'POS_WINDOW_TIMEZONE')
        out = self.ok(["--config", explicit, "config", "check"], use_db=False)
        self.assertIn('[window] name = "from --config"', out)
        self.assertIn('[window] phone = "011 111"', out)
        out = self.ok(["--config", explicit, "config", "check"], use_db=False,
                      env={"POS_WINDOW_NAME": "from env"})
        self.assertIn('[window] name = "from env"', out)
        system = self.conf("system.conf", "[window]\naddress = Souq 1\n"
                           "name = from system\n")
        out = self.ok(["config", "check"], use_db=False,
                      env={"POS_SYSTEM_CONFIG": system})
        self.assertIn('[window] address = "Souq 1"', out)
        self.assertIn('[window] name = "from user"', out)
        for key in ("name", "address", "phone", "footer", "timezone"):
            self.assertIn("[window] %s = " % key, out)
        for key in ("[store] path", "[currency] code", "[currency] symbol",
                    "[currency] digits", "[printer] name", "[printer] format",
                    "[printer] paper", "[printer] copies", "[sync] url",
                    "[sync] token_file", "[sync] ca_file", "[sync] interval",
                    "[sync] batch", "[ui] language", "[ui] bidi"):
            self.assertIn(key + " = ", out)
        self.note("config check: every key; user < --config < env; system file "
                  "under the user file; sources named")

    def test_user_config_error_is_reported(self):
        path = self.conf("xdg-config/pos/pos.conf", "[currency]\ncode = syp1\n")
        rc, out, err = self.pos(["config", "check"], use_db=False)
        self.assertEqual(rc, 2)
        self.assertIn("%s:2: [currency] code:" % path, err)
        self.note("an error in $XDG_CONFIG_HOME/pos/pos.conf names that file")

    def test_two_decimals(self):
        env = {"POS_CURRENCY_DECIMALS": "2"}
        # The store's decimals are fixed by pos init.
        self.env.update(env)
        self.init_store()
        self.add_users()
        self.ok(["producer", "add", "P1", "x"], env=env)
        self.ok(["product", "add", "TEA", "شاي", "12.50", "--producer", "P1"],
                env=env)
        self.ok(["product", "add", "CAKE", "كعك", "3", "--producer", "P1",
                 "--unit", "kg"], env=env)
        self.fails(["product", "add", "BAD", "x", "1.505", "--producer", "P1"], 2,
                   "decimals", env=env)
        p = {x["code"]: x["price"] for x in
             self.j(["product", "list"], env=env)["products"]}
        self.assertEqual(p, {"TEA": "12.50", "CAKE": "3.00"})
        self.ok(["day", "open", "--user", "ali", "--float", "100.5"], env=env)
        e = self.j(["sell", "--user", "ali", "TEA*3", "CAKE*0.333",
                    "--discount", "0.07", "--pay", "card:10", "--pay",
                    "cash:٣٠٫٠٠"], env=env)
        # TEA 1250 x 3 = 3750; CAKE 300 x 0.333 = 99.9 -> 100; gross 3850
        self.assertEqual((e["total"], e["discount"], e["paid"], e["change"]),
                         ("38.43", "0.07", "40.00", "1.57"))
        shares = H.largest_remainder(7, [3750, 100])
        lines = {l["product_code"]: l for l in e["lines"]}
        self.assertEqual(lines["TEA"]["discount"], H.money(shares[0], 2))
        self.assertEqual(lines["CAKE"]["total"], "1.00")
        x = self.j(["report", "x"], env=env)
        self.assertEqual((x["gross"], x["float"], x["expected_cash"]),
                         ("38.50", "100.50", H.money(10050 + 3843 - 1000, 2)))
        self.note("POS_CURRENCY_DECIMALS=2: '12.50' accepted, JSON '12.50', "
                  "'1.505' refused; split payment and X report in 2 decimals")


if __name__ == "__main__":
    H.main()

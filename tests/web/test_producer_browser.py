"""A producer's page in a real browser: Debian's chromium, headless,
driven by playwright-core (producer_browser.mjs) against the real
pos-central fed by real window stores through the real `pos sync`.

Checked, in Arabic (the default) and English, for a producer with sales
and one whose name is markup: dir="rtl" in Arabic; no sideways scrolling
at 360 px; amounts in <bdi>, right-aligned; one SVG bar per day; the
markup name shows as text and no script runs; nothing is fetched from
elsewhere; axe-core finds nothing serious or critical; `tidy -e` finds no
error or warning. Screenshots at 360x640 and 1280x800 are kept in the
build directory.

Usage: python3 test_producer_browser.py POS_CENTRAL POS DUMP_BATCH ARTEFACTS
"""

import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "sync"))
import centralharness as h  # noqa: E402
from testtime import scaled  # noqa: E402
import test_producer_link as tpl  # noqa: E402

ARTEFACTS = None


class ProducerBrowser(tpl.ProducerLink):

    def test_link_page_numbers_csv_chart_rotation_and_master(self):
        self.skipTest("run by test_producer_link")

    def test_migrate_to_postgresql_keeps_the_links(self):
        self.skipTest("run by test_producer_link")

    def test_a_merged_code_shows_nothing_and_counts_under_into(self):
        self.skipTest("run by test_producer_link")

    def test_the_producer_page_in_a_browser(self):
        self.assertTrue(os.path.isdir(os.path.join(
            HERE, "node_modules", "playwright-core")),
            "run .ci/setup (npm ci in tests/web) first")
        srv = self.setup_windows()
        f07, x1 = self.link("F07"), self.link("X1")
        base = "http://" + srv.addr
        period = "?from=2026-02-20&to=2026-03-01"
        paths = ["/p/" + f07 + period, "/p/" + x1,
                 "/p/" + f07 + period + "&lang=en"]
        shots = os.path.join(ARTEFACTS, "producer" + ("_pg" if self.pg
                                                      else ""))
        shutil.rmtree(shots, True)
        os.makedirs(shots)
        rc, out, err = self.run_prog(
            ["node", os.path.join(HERE, "producer_browser.mjs"), shots] +
            [base + p for p in paths], timeout=240)
        self.assertEqual(rc, 0, err)
        seen = json.loads(out)
        self.assertEqual(seen["dialogs"], [])
        for u in seen["requests"]:
            self.assertTrue(u.startswith(base + "/"), u)
        for i, entry in enumerate(seen["pages"]):
            for size in ("360x640", "1280x800"):
                pg = entry[size]
                self.assertEqual(pg["status"], 200, entry["url"])
                self.assertTrue(os.path.getsize(pg["shot"]) > 0)
                want = ("ltr", "en") if i == 2 else ("rtl", "ar")
                self.assertEqual((pg["dir"], pg["lang"]), want)
                self.assertLessEqual(pg["scrollWidth"], pg["clientWidth"],
                                     "%s at %s scrolls sideways"
                                     % (entry["url"], size))
                self.assertEqual((pg["injected"], pg["scripts"]), (0, 0))
                self.assertIn("Noto Sans Arabic", pg["font"])
                for a in pg["amounts"]:
                    self.assertTrue(a["bdi"], a)
                    self.assertEqual(a["align"], "right", a)
                bad = [v for v in pg["axe"]
                       if v["impact"] in ("serious", "critical")]
                self.assertEqual(bad, [], (entry["url"], size))
        self.assertEqual(seen["pages"][0]["360x640"]["bars"], 10)
        self.assertGreater(len(seen["pages"][0]["360x640"]["amounts"]), 8)
        self.assertIn(tpl.XSS, seen["pages"][1]["360x640"]["h1"])

        # The HTML validates.
        for p in paths:
            st, _, html = self.get(srv, p)
            self.assertEqual(st, 200, p)
            t = subprocess.run(["tidy", "-e", "-q", "--show-warnings", "yes"],
                               input=html.encode(), capture_output=True,
                               timeout=scaled(30))
            self.assertEqual(t.returncode, 0, (p, t.stderr.decode()))
        self.note("producer pages at 360 and 1280 px (screenshots in %s): "
                  "rtl (ltr in English), no sideways scrolling, amounts in "
                  "right-aligned <bdi>, 10 bars for 10 days, markup name as "
                  "text, no script, axe and tidy clean" % shots)


if __name__ == "__main__":
    ARTEFACTS = sys.argv.pop(4)
    h.main()
